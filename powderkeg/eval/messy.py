"""Robustness to messy text: a sentence set scored again after it is lower-cased.

Real news reaches the coder in worse shape than the gold sets: some sources
write everything in lower case (IndiaPoliceEvents does), and a coder that
leans on capitals for names, countries and titles quietly loses events
there. ``fiveway_lower`` and ``plover_lower`` code each sentence of their set
twice, as written and lower-cased, and report the lower-cased figures with
``drop_<figure>`` (cased minus lower-cased) for the whole set and each half.
The misses listed (``--errors N``) are the look half's sentences the cased
run got right and the lower-cased run gets wrong, shown as written.

Cross-fitting keys each sentence's fold on its original text (``code_records``),
so a lower-cased sentence is never scored by a model that saw it cased.

The suite (``eval/suite.py``) has scored the set as written already: it hands that
report over (``cased``), and only the lower-cased sentences are coded here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import fiveway as fiveway_set
from . import plover as plover_set
from .report import Metric, Report

if TYPE_CHECKING:
    from ..pipeline import Pipeline

#: every look-half miss of a run, to tell the misses lower-casing adds from those it keeps
ALL = 10**9


def lower(text: str) -> str:
    """The text as a source that writes no capitals would send it."""
    return text.lower()


def compare(
    kind: str,
    evaluate: Callable[..., Report],
    path: str | Path,
    pipeline: Pipeline | None = None,
    errors: int = 0,
    cased: Report | None = None,
) -> Report:
    """``evaluate`` on ``path`` lower-cased, with each figure's drop from the cased run: ``cased``,
    the caller's report on ``path`` as written, when it has one and no misses are asked for (its
    misses are only those it was asked for, too few to tell which misses lower-casing adds)."""
    if cased is None or errors:
        cased = evaluate(path, pipeline, errors=ALL)
    lowered = evaluate(path, pipeline, errors=ALL, text=lower)
    report = Report(
        kind, str(path), notes=[f"every sentence lower-cased; drop_X = X cased - X lower-cased ({kind})"]
    )
    for metric in lowered.metrics.values():
        report.add(metric)
    for metric in _drops(cased.metrics, lowered.metrics):
        report.add(metric)
    for half, figures in lowered.halves.items():
        report.halves[half] = dict(figures) | {m.name: m for m in _drops(cased.halves[half], figures)}
    kept = {miss["id"] for miss in cased.errors}
    report.errors = [miss for miss in lowered.errors if miss["id"] not in kept][:errors]
    return report


def _drops(cased: dict[str, Metric], lowered: dict[str, Metric]) -> list[Metric]:
    return [
        Metric(f"drop_{name}", cased[name].value - m.value, m.n)
        for name, m in lowered.items()
        if name in cased and name != "sentences"
    ]


def fiveway(
    path: str | Path, pipeline: Pipeline | None = None, errors: int = 0, cased: Report | None = None
) -> Report:
    """The five-way set (``eval/fiveway.py``) lower-cased."""
    return compare("fiveway_lower", fiveway_set.evaluate, path, pipeline, errors, cased)


def plover(
    path: str | Path, pipeline: Pipeline | None = None, errors: int = 0, cased: Report | None = None
) -> Report:
    """The PLOVER set (``eval/plover.py``) lower-cased."""
    return compare("plover_lower", plover_set.evaluate, path, pipeline, errors, cased)
