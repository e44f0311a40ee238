"""Score the coder on ConfliBERT's five-way CAMEO classes (conflibert_cameo_train.jsonl format).

Each record: ``text`` and ``pentaclass`` (0 statement/appeal, 1 verbal
cooperation, 2 material cooperation, 3 verbal conflict, 4 material
conflict). The coder's primary PLOVER event, else its public statement
(STATEMENT, CAMEO 01, which ranks after every act), gives a CAMEO code,
collapsed by ``ontology.five_way``. A sentence with neither is read as class
0 too: CAMEO 01 "make public statement" is what a news sentence with no
directed action is. Coverage reports the share of sentences with an event;
``statement_coded`` how many of class 0 got a statement or appeal record
rather than none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extract.primary import primary
from ..knowledge.ontology import five_way
from .common import classification, code_records, read_jsonl, score_rows
from .report import Metric, Report, bootstrap

if TYPE_CHECKING:
    from ..pipeline import Pipeline

CLASSES = (0, 1, 2, 3, 4)
STATEMENT = 0


def figures(rows: Sequence[tuple]) -> list[Metric]:
    """Five-way figures of ``(record, gold class, predicted class, event)`` rows."""
    out = classification([(g, p) for _, g, p, _ in rows], CLASSES, "fiveway")
    out = [m for m in out if m.name != "coverage"]
    out.append(bootstrap([(g, e is not None) for _, g, _, e in rows], _event_share, "coverage"))
    zero = [(g, e is not None) for _, g, _, e in rows if g == STATEMENT]
    out.append(bootstrap(zero, _event_share, "statement_coded"))
    out.append(Metric("sentences", len(rows), len(rows)))
    return out


def evaluate(
    path: str | Path,
    pipeline: Pipeline | None = None,
    errors: int = 0,
    text: Callable[[str], str] | None = None,
) -> Report:
    """The five-way report on the gold file at ``path``; ``text`` rewrites each sentence before it
    is coded (``eval/messy.py``)."""
    records = read_jsonl(path, ["text", "pentaclass"])
    rows = []
    for record, events in code_records(records, pipeline, text):
        event = primary(events, plover_only=True, statements=True)
        label = five_way(event.cameo) if event is not None else None
        rows.append((record, int(record["pentaclass"]), STATEMENT if label is None else label, event))
    report = Report(
        "fiveway", str(path), notes=["no PLOVER event -> class 0 (statement); coverage = share with an event"]
    )
    return score_rows(report, rows, figures, errors)


def _event_share(items: Sequence[tuple[Any, Any]]) -> float:
    return sum(bool(p) for _, p in items) / len(items) if items else 0.0
