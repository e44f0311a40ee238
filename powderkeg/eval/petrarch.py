"""Score the coder on PETRARCH2's unit-test sentences (petr_unittest.jsonl format).

Each record: ``text`` and ``codings`` (``{sourcecode, targetcode,
eventcode}``; several, or none, per sentence). The sentences name fictional
countries (Arnor, Gondor...) and expect the codes of PETRARCH's own
validation dictionaries: when a ``petrarch2/`` folder sits beside the gold
file (as in ../shared/eval), its actors, agents, verbs and discards are
imported for this run (``petrarch_dicts``), the verb patterns in place of
powderkeg's; without it only real countries resolve. Figures compare CAMEO
root codes (first two digits):

- root accuracy on the primary event against the first gold coding (a
  sentence with no gold coding is right when the coder says nothing);
- triple P/R/F1 over (source country, target country, root) for every
  counted event, against all gold codings of the sentence ("---", PETRARCH's
  actor of no country, is the coder's ""; a "noevents" or "error" record is
  no gold triple).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extract.primary import primary
from ..records import Actor, Event
from .common import accuracy, code_records, read_jsonl, score_rows, set_prf_part
from .petrarch_dicts import setup
from .report import Metric, Report, bootstrap

if TYPE_CHECKING:
    from ..pipeline import Pipeline


def root(code: str | None) -> str | None:
    return code[:2] if code and code[:2].isdigit() else None


def _country(actors: Iterable[Actor]) -> str:
    return next((a.country or a.org for a in actors if a.country or a.org), "")


def _gold_triple(coding: dict[str, str]) -> tuple[str, str, str | None]:
    """A gold coding as (source country, target country, root). PETRARCH writes an actor of
    no country as "---" ("---GOV": some government), which the coder writes as "". A coding
    with no event code ("noevents", "error") is no triple: the sentence's empty set says so."""

    def country(code: str) -> str:
        return "" if code.startswith("---") else code[:3]

    return (
        country(coding.get("sourcecode", "")),
        country(coding.get("targetcode", "")),
        root(coding["eventcode"]),
    )


def evaluate(path: str | Path, pipeline: Pipeline | None = None, errors: int = 0) -> Report:
    from ..pipeline import Pipeline
    from ..settings import Settings

    records = read_jsonl(path, ["text", "codings"])
    report = Report("petrarch", str(path))
    with tempfile.TemporaryDirectory() as tmp:
        validation = setup(Path(path), Path(tmp))
        if validation is not None:
            settings = pipeline.settings if pipeline is not None else Settings()
            settings = dataclasses.replace(settings, knowledge_dir=validation.knowledge_dir)
            if validation.patterns:
                settings = dataclasses.replace(settings, patterns=validation.patterns, packaged_patterns=())
            pipeline = Pipeline(settings)
            report.notes.extend(validation.notes)
        rows: list[tuple[dict[str, Any], Any, Any, Event | None, tuple[set, set]]] = []
        for record, events in code_records(records, pipeline):
            if validation is not None and validation.discarded(record["text"]):
                events = []  # PETRARCH's discard list: the sentence is not coded
            codings = record["codings"] or []
            gold = root(codings[0].get("eventcode")) if codings else None
            event = primary(events, plover_only=True)
            triples = (
                {_gold_triple(c) for c in codings if c.get("eventcode")},
                {(_country(e.source), _country(e.target), root(e.cameo)) for e in events if e.counted},
            )
            rows.append((record, gold, root(event.cameo) if event else None, event, triples))
    return score_rows(report, rows, figures, errors)


def figures(rows: Sequence[tuple]) -> list[Metric]:
    """Root accuracy and triple figures of ``(record, gold root, predicted root, event, triples)`` rows."""
    triples = [row[4] for row in rows]
    out = [bootstrap([(g, p) for _, g, p, _, _ in rows], accuracy, "root_accuracy")]
    for i, name in enumerate(("triple_precision", "triple_recall", "triple_f1")):
        out.append(bootstrap(triples, set_prf_part(i), name))
    out.append(Metric("sentences", len(rows), len(rows)))
    return out
