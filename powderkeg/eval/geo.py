"""Score the geocoder on toponyms with coordinates (the geo_geovirus.jsonl format).

Each record: ``{"doc_id", "text", "toponyms": [{"start", "end", "name", "lat", "lon"}, ...]}``;
a toponym without coordinates (a street the gold set could not place) is not scored.
Two protocols, both reported:

* ``given_*``: the gold spans are given and only resolved (how Mordecai3's
  published figures were measured);
* ``e2e_*``: powderkeg finds the toponyms itself; a gold toponym counts as
  found when a predicted span overlaps it, and one it misses scores the
  maximal error (20,039 km, half the Earth's circumference).

Metrics: accuracy within 161 km (100 miles), median error in km, and the
AUC of ln(error + 1) / ln(20039) (lower is better), each with n and a
bootstrap 95% interval; for end to end also recall and precision of spans
(a predicted span is right when it overlaps a gold toponym, placed or not).

Every set is split in two halves by a hash of each document's id
(``half``): errors are studied on ``look_*`` only, and a change is kept when
``confirm_*`` does not get worse. Both halves' accuracy and span figures are
reported beside the whole set's.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any

from ..geocode.gazetteer import Gazetteer, distance_km
from ..geocode.resolve import Resolved, resolve
from .common import HALVES, half
from .report import Report, bootstrap, cli, mean

if TYPE_CHECKING:
    from ..pipeline import Pipeline

MAX_KM = 20039.0
WITHIN_KM = 161.0


def records(path: str | Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


@dataclass
class _Tally:
    """Errors and span counts of one half (or of the whole set)."""

    given: list[float] = field(default_factory=list)
    e2e: list[float] = field(default_factory=list)
    predicted: list[int] = field(default_factory=list)  # 1 per predicted span that overlaps gold, else 0


def _metrics(report: Report, prefix: str, errors: list[float]) -> None:
    report.add(bootstrap(errors, _acc161, f"{prefix}acc161"))
    report.add(bootstrap(errors, lambda e: median(e), f"{prefix}median_km"))
    auc = math.log(MAX_KM)
    report.add(bootstrap(errors, lambda e: sum(math.log(x + 1) / auc for x in e) / len(e), f"{prefix}auc"))


def _acc161(errors: Sequence[float]) -> float:
    return sum(x <= WITHIN_KM for x in errors) / len(errors)


def _error(gold: dict[str, Any], found: Resolved | None) -> float:
    if found is None:
        return MAX_KM
    return distance_km(gold["lat"], gold["lon"], found.place.lat, found.place.lon)


def _placed(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in record["toponyms"] if t.get("lat") is not None]


def evaluate(
    path: str | Path,
    pipeline: Pipeline | None = None,
    errors: int = 0,
    gazetteer: Gazetteer | None = None,
    e2e: bool = True,
) -> Report:
    """Both protocols; with ``e2e=False`` only ``given_*`` (no spaCy model needed: seconds)."""
    gaz = gazetteer or Gazetteer()
    report = Report("geo", str(path))
    tallies = {"": _Tally(), **{h: _Tally() for h in HALVES}}
    misses: list[dict[str, Any]] = []
    data = [r for r in records(path) if r.get("toponyms")]
    for record in data:
        gold = _placed(record)
        spans = [(t["start"], t["end"], record["text"][t["start"] : t["end"]]) for t in gold]
        part = half(record.get("doc_id"))
        for g, r in zip(gold, resolve(gaz, spans, text=record["text"]), strict=True):
            err = _error(g, r)
            tallies[""].given.append(err)
            tallies[part].given.append(err)
            if err > WITHIN_KM and part == "look":
                misses.append(
                    {"doc": record.get("doc_id"), "text": g["name"], "gold": [g["lat"], g["lon"]],
                     "got": r.to_dict() if r else None, "km": round(err)}
                )  # fmt: skip
    _metrics(report, "given_", tallies[""].given)
    report.errors = sorted(misses, key=lambda m: -m["km"])[: errors or 0]
    if e2e:
        _end_to_end(data, gaz, pipeline, tallies)
        _metrics(report, "e2e_", tallies[""].e2e)
        _spans(report, "e2e_", tallies[""])
    for part in HALVES:
        tally = tallies[part]
        report.add(bootstrap(tally.given, _acc161, f"{part}_given_acc161"))
        if e2e:
            report.add(bootstrap(tally.e2e, _acc161, f"{part}_e2e_acc161"))
            _spans(report, f"{part}_e2e_", tally)
    report.notes.append(
        f"{len(data)} documents; given_* resolve the gold spans (Mordecai3's protocol), e2e_* find "
        "toponyms first (a missed toponym scores 20039 km); look_*/confirm_*: the two halves by a "
        "hash of the document id (study errors on look; --errors lists look's only)"
    )
    return report


def _end_to_end(
    data: list[dict[str, Any]], gaz: Gazetteer, pipeline: Pipeline | None, tallies: dict[str, _Tally]
) -> None:
    from ..geocode.toponyms import geocode_doc
    from ..pipeline import Pipeline
    from ..settings import Settings

    pipeline = pipeline or Pipeline(Settings.load())
    nlp = pipeline.nlp
    disabled = [n for n in nlp.pipe_names if n in ("pk_events", "pk_places")]
    texts = ((r["text"], r) for r in data)
    for doc, record in nlp.pipe(texts, as_tuples=True, disable=disabled):
        found = geocode_doc(doc, gaz)
        every = record["toponyms"]
        hits = [int(any(f.start < g["end"] and g["start"] < f.end for g in every)) for f in found]
        errs = []
        for g in _placed(record):
            hit = next((f for f in found if f.start < g["end"] and g["start"] < f.end), None)
            errs.append(_error(g, hit))
        for part in ("", half(record.get("doc_id"))):
            tallies[part].predicted += hits
            tallies[part].e2e += errs


def _spans(report: Report, prefix: str, tally: _Tally) -> None:
    found = [e < MAX_KM for e in tally.e2e]
    report.add(bootstrap(found, mean, f"{prefix}span_recall"))
    report.add(bootstrap(tally.predicted, mean, f"{prefix}span_precision"))


def main(argv: list[str] | None = None) -> None:
    cli(evaluate, argv)


if __name__ == "__main__":
    main()
