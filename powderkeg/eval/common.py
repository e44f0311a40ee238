"""What every sentence-level evaluator shares: reading gold JSONL, coding texts,
and the figures (accuracy, macro- and weighted F1, set P/R/F1) with intervals.

Sentences with no prediction count against accuracy and F1 (their predicted
label is ``None``); coverage reports how many had any prediction.

Every dev set is scored whole and in two halves, "look" and "confirm", chosen
by a stable hash of each record's id (``half``): find errors on the look half,
keep a change only if the confirm half does not get worse.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GoldFormatError
from ..records import Event
from .report import Metric, Report, bootstrap

if TYPE_CHECKING:
    from ..pipeline import Pipeline

Pair = tuple[Hashable, Hashable]  # (gold, predicted)

HALVES = ("look", "confirm")


def half(record_id: object) -> str:
    """The half of its set a record (or geocoded document) belongs to, from a stable hash of
    its id (the same on every machine and in every run): "look" or "confirm", about one in
    two each. Every set's split, coding and geocoding, is this one."""
    return HALVES[hashlib.sha1(str(record_id).encode("utf-8")).digest()[0] % 2]


def add_with_halves(
    report: Report,
    items: Sequence[Any],
    key: Callable[[Any], object],
    figures: Callable[[Sequence[Any]], Iterable[Metric]],
) -> None:
    """``figures`` of all ``items`` into ``report.metrics``, and of each half (by ``key``, the
    item's record id) into ``report.halves``."""
    for metric in figures(items):
        report.add(metric)
    for name in HALVES:
        part = [item for item in items if half(key(item)) == name]
        report.halves[name] = {m.name: m for m in figures(part)}


def read_jsonl(path: str | Path, required: Sequence[str]) -> list[dict[str, Any]]:
    """Gold records; a line that is not JSON or lacks a required field stops with its number."""
    out = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFormatError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            missing = [k for k in required if k not in record]
            if missing:
                raise GoldFormatError(
                    f"{path}:{number}: missing {', '.join(missing)}",
                    remedy=f"each line needs {', '.join(required)}",
                )
            record.setdefault("id", f"line-{number}")
            out.append(record)
    return out


def code_records(
    records: Iterable[dict[str, Any]],
    pipeline: Pipeline | None = None,
    text: Callable[[str], str] | None = None,
) -> Iterator[tuple[dict[str, Any], list[Event]]]:
    """Each gold record with every event the coder finds in its text (all factualities).

    ``text``, when given, rewrites each text before it is coded (``eval/messy.py`` lower-cases
    it); the records yielded are the gold ones, unchanged.

    A record whose text the event-type model was trained on is coded with a model
    trained without it (cross-fitting, ``eval/learned.py``): no record is scored
    by a model that saw it. The fold is the original text's, so a rewritten text
    is never scored by a model that saw the original either.
    """
    from ..learned.component import use_model
    from ..pipeline import Pipeline
    from .learned import groups

    pipeline = pipeline or Pipeline()
    records = list(records)
    coded = records if text is None else [dict(r, text=text(str(r.get("text") or ""))) for r in records]
    plan = groups(pipeline.nlp, records)
    if plan is None:
        for record, (_, events) in zip(records, pipeline.code_texts(coded), strict=True):
            yield record, events
        return
    # each fold's model is set on this process's nlp: code here, never in worker processes
    # (which load the shipped model, trained on every record)
    pipeline = Pipeline(pipeline.settings, nlp=pipeline.nlp)
    found: list[list[Event]] = [[] for _ in records]
    for model, indices in plan:
        with use_model(pipeline.nlp, model):
            for i, (_, events) in zip(indices, pipeline.code_texts([coded[i] for i in indices]), strict=True):
                found[i] = events
    yield from zip(records, found, strict=True)


# -- figures -------------------------------------------------------------------


def accuracy(pairs: Sequence[Pair]) -> float:
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def coverage(pairs: Sequence[Pair]) -> float:
    return sum(p is not None for _, p in pairs) / len(pairs) if pairs else 0.0


def _f1s(pairs: Sequence[Pair], labels: Iterable[Hashable]) -> dict[Hashable, tuple[float, int]]:
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for g, p in pairs:
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            if p is not None:
                fp[p] += 1
    out = {}
    for label in labels:
        denom = 2 * tp[label] + fp[label] + fn[label]
        out[label] = ((2 * tp[label] / denom) if denom else 0.0, tp[label] + fn[label])
    return out


def macro_f1(labels: Sequence[Hashable]) -> Callable[[Sequence[Pair]], float]:
    """Mean F1 over ``labels`` (every class of the set, present in a sample or not)."""

    def stat(pairs: Sequence[Pair]) -> float:
        f1s = _f1s(pairs, labels)
        return sum(f for f, _ in f1s.values()) / len(labels) if labels else 0.0

    return stat


def weighted_f1(labels: Sequence[Hashable]) -> Callable[[Sequence[Pair]], float]:
    """F1 per class weighted by the class's gold support (scikit-learn's 'weighted')."""

    def stat(pairs: Sequence[Pair]) -> float:
        f1s = _f1s(pairs, labels)
        total = sum(n for _, n in f1s.values())
        return sum(f * n for f, n in f1s.values()) / total if total else 0.0

    return stat


def set_prf(items: Sequence[tuple[set, set]]) -> tuple[float, float, float]:
    """Micro precision, recall and F1 over (gold set, predicted set) per item."""
    tp = sum(len(g & p) for g, p in items)
    npred = sum(len(p) for _, p in items)
    ngold = sum(len(g) for g, _ in items)
    prec = tp / npred if npred else 0.0
    rec = tp / ngold if ngold else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def set_prf_part(i: int) -> Callable[[Sequence[tuple[set, set]]], float]:
    """Precision (0), recall (1) or F1 (2) of ``set_prf``, as a statistic for ``bootstrap``."""
    return lambda items: set_prf(items)[i]


def classification(pairs: Sequence[Pair], labels: Sequence[Hashable], prefix: str) -> list[Metric]:
    """Accuracy, macro-F1, weighted F1 and coverage of one labelling, each with n and a 95% interval."""
    return [
        bootstrap(pairs, accuracy, f"{prefix}_accuracy"),
        bootstrap(pairs, macro_f1(labels), f"{prefix}_macro_f1"),
        bootstrap(pairs, weighted_f1(labels), f"{prefix}_weighted_f1"),
        bootstrap(pairs, coverage, "coverage"),
    ]


def score_rows(
    report: Report, rows: Sequence[tuple], figures: Callable[[Sequence[tuple]], Iterable[Metric]], errors: int
) -> Report:
    """``report`` with ``figures`` of a sentence set's ``rows`` (``(record, gold, predicted, event,
    ...)``), whole and by half of the record ids, and its worst ``errors`` misses (``misses``)."""
    add_with_halves(report, rows, lambda row: row[0]["id"], figures)
    report.errors = misses(rows, errors)
    return report


def misses(rows: Sequence[tuple], limit: int) -> list[dict[str, Any]]:
    """The worst misses of the look half first (errors are studied there only, so the confirm
    half stays a fair check): confident wrong predictions, then sentences with none. Each row is
    ``(record, gold, predicted, event, ...)``: the gold record, the gold and predicted labels, the
    event that gave the prediction (or None), then whatever else the set scores."""
    wrong = [r for r in rows if r[1] != r[2] and half(r[0].get("id")) == "look"]
    wrong.sort(key=lambda r: -(r[3].confidence if r[3] is not None else -1.0))
    out = []
    for record, gold, pred, event, *_ in wrong[:limit]:
        out.append(
            {
                "id": record.get("id"),
                "text": record.get("text"),
                "gold": gold,
                "predicted": pred,
                "rule": event.rule if event is not None else None,
            }
        )
    return out


__all__ = [
    "HALVES",
    "Metric",
    "GoldFormatError",
    "add_with_halves",
    "classification",
    "code_records",
    "half",
    "read_jsonl",
    "score_rows",
]
