"""Scoring against gold sets: one module per kind of set, one report format.

``powderkeg eval KIND FILE`` looks KIND up in ``KINDS`` and calls that
module's ``evaluate(path, pipeline, errors=N) -> Report`` (or the function named after a
colon, ``module:function``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .report import Metric, Report, bootstrap

KINDS = {
    "seed": "powderkeg.eval.seed",
    "seed_brief": "powderkeg.eval.seed_brief",
    "plover": "powderkeg.eval.plover",
    "fiveway": "powderkeg.eval.fiveway",
    "case2021": "powderkeg.eval.case2021",
    "petrarch": "powderkeg.eval.petrarch",
    "geo": "powderkeg.eval.geo",
    "actors": "powderkeg.eval.actors",
    "dates": "powderkeg.eval.dates",
    "india_police": "powderkeg.eval.india_police",
    # the same sets lower-cased, with each figure's drop (module:function)
    "fiveway_lower": "powderkeg.eval.messy:fiveway",
    "plover_lower": "powderkeg.eval.messy:plover",
}


def evaluator(kind: str) -> Callable[..., Report]:
    if kind not in KINDS:
        raise KeyError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    module, _, function = KINDS[kind].partition(":")
    return getattr(importlib.import_module(module), function or "evaluate")


__all__ = ["KINDS", "Metric", "Report", "bootstrap", "evaluator"]
