"""Score the geocoder on toponyms with coordinates (the geo_geovirus.jsonl format).

Each record: ``{"doc_id", "text", "toponyms": [{"start", "end", "name", "lat", "lon"}, ...]}``.
Two protocols, both reported:

* ``given_*``: the gold spans are given and only resolved (how Mordecai3's
  published figures were measured);
* ``e2e_*``: powderkeg finds the toponyms itself; a gold toponym counts as
  found when a predicted span overlaps it, and one it misses scores the
  maximal error (20,039 km, half the Earth's circumference).

Metrics: accuracy within 161 km (100 miles), median error in km, and the
AUC of ln(error + 1) / ln(20039) (lower is better), each with n and a
bootstrap 95% interval; for end to end also recall and precision of spans.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any

from ..geocode.gazetteer import Gazetteer, distance_km
from ..geocode.resolve import resolve
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


def _metrics(report: Report, prefix: str, errors: list[float]) -> None:
    report.add(bootstrap(errors, lambda e: sum(x <= WITHIN_KM for x in e) / len(e), f"{prefix}acc161"))
    report.add(bootstrap(errors, lambda e: median(e), f"{prefix}median_km"))
    auc = math.log(MAX_KM)
    report.add(bootstrap(errors, lambda e: sum(math.log(x + 1) / auc for x in e) / len(e), f"{prefix}auc"))


def _error(gold: dict[str, Any], lat: float | None, lon: float | None) -> float:
    if lat is None or lon is None:
        return MAX_KM
    return distance_km(gold["lat"], gold["lon"], lat, lon)


def evaluate(
    path: str | Path,
    pipeline: Pipeline | None = None,
    errors: int = 0,
    gazetteer: Gazetteer | None = None,
    e2e: bool = True,
) -> Report:
    """Both protocols; with ``e2e=False`` only ``given_*`` (no spaCy model needed: seconds)."""
    from ..geocode.toponyms import geocode_doc
    from ..pipeline import Pipeline

    gaz = gazetteer or Gazetteer()
    report = Report("geo", str(path))
    given_err: list[float] = []
    e2e_err: list[float] = []
    misses: list[dict[str, Any]] = []
    predicted = overlapping = 0
    data = [r for r in records(path) if r.get("toponyms")]
    for record in data:
        gold = [t for t in record["toponyms"] if t.get("lat") is not None]
        spans = [(t["start"], t["end"], record["text"][t["start"] : t["end"]]) for t in gold]
        for g, r in zip(gold, resolve(gaz, spans), strict=True):
            err = _error(g, r.place.lat if r else None, r.place.lon if r else None)
            given_err.append(err)
            if err > WITHIN_KM:
                misses.append(
                    {"doc": record.get("doc_id"), "text": g["name"], "gold": [g["lat"], g["lon"]],
                     "got": r.to_dict() if r else None, "km": round(err)}
                )  # fmt: skip
    _metrics(report, "given_", given_err)
    report.errors = sorted(misses, key=lambda m: -m["km"])[: errors or 0]
    if not e2e:
        return report
    from ..settings import Settings

    pipeline = pipeline or Pipeline(Settings.load())
    nlp = pipeline.nlp
    disabled = [n for n in nlp.pipe_names if n in ("pk_events", "pk_places")]
    texts = ((r["text"], r) for r in data)
    for doc, record in nlp.pipe(texts, as_tuples=True, disable=disabled):
        found = geocode_doc(doc, gaz)
        predicted += len(found)
        gold = [t for t in record["toponyms"] if t.get("lat") is not None]
        overlapping += sum(any(f.start < g["end"] and g["start"] < f.end for g in gold) for f in found)
        for g in gold:
            hit = next((f for f in found if f.start < g["end"] and g["start"] < f.end), None)
            e2e_err.append(_error(g, hit.place.lat if hit else None, hit.place.lon if hit else None))
    _metrics(report, "e2e_", e2e_err)
    found_gold = [e < MAX_KM for e in e2e_err]
    report.add(bootstrap(found_gold, lambda f: sum(f) / len(f), "e2e_span_recall"))
    report.add(bootstrap([1] * overlapping + [0] * (predicted - overlapping), mean, "e2e_span_precision"))
    report.notes.append(
        f"{len(data)} documents; given_* resolve the gold spans (Mordecai3's protocol), e2e_* find "
        "toponyms first (a missed toponym scores 20039 km)"
    )
    return report


def main(argv: list[str] | None = None) -> None:
    cli(evaluate, argv)


if __name__ == "__main__":
    main()
