"""What fusion works on: a Report (one coded event as one article tells it) and a FusedEvent.

A Report is read back from the store's ``events`` table with the few article
fields fusion needs. A FusedEvent is one real-world event: every report kept,
and where reports disagree (numbers, place, date) the minimum, the maximum and
each report's value, never one value overwriting another.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

NUMBER_FIELDS = ("killed", "injured", "arrested", "size")


@dataclass(frozen=True)
class Report:
    id: str
    article_id: str
    type: str
    mode: str
    quad_class: int
    score: float
    source_keys: frozenset[str]  # countries and organisations of the source side
    target_keys: frozenset[str]
    place_name: str
    place_country: str
    place_precision: str
    lat: float | None
    lon: float | None
    date: dt.date | None  # the event's date, else the article's ingestion day (see date_basis)
    date_precision: str  # day | week | month | unknown
    date_basis: str  # text (coded date) | ingested (undated article placed on its ingestion day)
    numbers: dict[str, int | None]
    factuality: str
    sentence: str
    sentence_start: int
    outlet: str = ""  # the article's source, title or path, for display
    context_country: str = ""  # the country most of the article's placed events are in

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Report:
        """From a row of store/fuse.py's report query."""
        (rid, article, type_, mode, quad, score, src, tgt, date, precision, fact, sentence, start, record,
         ingested, outlet, context) = row  # fmt: skip
        rec = json.loads(record)
        place = rec.get("place") or {}
        numbers = rec.get("numbers") or {}
        return cls(
            id=rid,
            article_id=article,
            type=type_,
            mode=mode,
            quad_class=int(quad or 0),
            score=float(score or 0.0),
            source_keys=frozenset(src or ()),
            target_keys=frozenset(tgt or ()),
            place_name=place.get("name") or "",
            place_country=place.get("country") or "",
            place_precision=place.get("precision") or "",
            lat=place.get("lat"),
            lon=place.get("lon"),
            date=date or ingested,
            date_precision=precision or "unknown",
            date_basis="text" if date else "ingested",
            numbers={k: numbers.get(k) for k in NUMBER_FIELDS},
            factuality=fact,
            sentence=sentence or "",
            sentence_start=int(start or 0),
            outlet=outlet or "",
            context_country=context or "",
        )

    @cached_property  # a report is sorted again with every batch it is a candidate in
    def sort_key(self) -> tuple[Any, ...]:
        """Date, then article, then position and content (ties broken by content, not by id,
        so the same text fuses the same way whatever its article id)."""
        return (
            self.date or dt.date.max,
            self.article_id,
            self.sentence_start,
            self.type,
            self.mode,
            sorted(self.source_keys),
            sorted(self.target_keys),
            self.id,
        )


@dataclass(frozen=True)
class Spread:
    """One disputed quantity: its range and what each report said."""

    min: Any
    max: Any
    by_report: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_, max_ = self.min, self.max
        if isinstance(min_, dt.date):
            min_, max_ = min_.isoformat(), max_.isoformat()
        return {"min": min_, "max": max_, "by_report": self.by_report}


@dataclass(frozen=True)
class FusedEvent:
    id: str
    type: str
    mode: str
    quad_class: int
    score: float
    date: dt.date | None
    date_precision: str
    date_basis: str
    source_keys: tuple[str, ...]
    target_keys: tuple[str, ...]
    place_name: str
    place_country: str
    factuality: str
    reports: tuple[Report, ...]
    numbers: dict[str, Spread]
    dates: Spread | None
    places: dict[str, str]  # report id -> "name (country)" where reports name a place
    context_country: str = ""  # where its articles' other events are, when it names no place

    @property
    def n_sources(self) -> int:
        return len({r.article_id for r in self.reports})

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode or None,
            "quad_class": self.quad_class,
            "score": self.score,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "dates": self.dates.to_dict() if self.dates else None,
            "source": list(self.source_keys),
            "target": list(self.target_keys),
            "place": {"name": self.place_name or None, "country": self.place_country or None},
            "context_country": self.context_country or None,
            "places": self.places,
            "factuality": self.factuality,
            "numbers": {k: v.to_dict() for k, v in self.numbers.items()},
            "n_reports": len(self.reports),
            "n_sources": self.n_sources,
            "reports": [
                {
                    "id": r.id,
                    "article_id": r.article_id,
                    "outlet": r.outlet,
                    "sentence": r.sentence,
                    "factuality": r.factuality,
                }
                for r in self.reports
            ],
        }
