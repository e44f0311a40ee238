"""Typed records that flow between pipeline stages.

Article -> Sentence -> (Actor, Place) -> Event -> Report -> FusedEvent. Each is a
frozen dataclass so a stage cannot quietly edit what an earlier one produced;
stages build new records instead. ``Event.to_dict`` gives the JSON shape of the
event contract (see README, "Event contract"), ``FusedEvent.to_dict`` that of a
fused event, and ``FusedEvent.from_dict`` reads it back.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Span = tuple[int, int]


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, deterministic id from its parts (used as a content key)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:length]


def shift_date(day: dt.date, days: float | dt.timedelta) -> dt.date:
    """``day`` moved by ``days``, held at the calendar's ends (1-01-01, 9999-12-31) rather than
    overflowing: an event's date comes from its text, and a text may say "9999"."""
    by = days if isinstance(days, dt.timedelta) else dt.timedelta(days=days)
    try:
        return day + by
    except OverflowError:
        return dt.date.max if by > dt.timedelta(0) else dt.date.min


@dataclass(frozen=True)
class Article:
    """One document: its text and what is known about where it came from."""

    id: str
    text: str
    title: str = ""
    url: str = ""
    published: dt.date | None = None
    source: str = ""
    path: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_text(cls, text: str, **kwargs: Any) -> Article:
        """Build an article keyed by its content, so the same text is the same article."""
        return cls(id=stable_id(" ".join(text.split())), text=text, **kwargs)


@dataclass(frozen=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str
    restatement: bool = False  # inside a "Key Takeaways"-style summary block


@dataclass(frozen=True)
class Actor:
    """Who acts or is acted upon, resolved to country, organisation and sector."""

    text: str
    country: str = ""  # ISO 3166 alpha-3, XKX for Kosovo
    org: str = ""  # organisation code, e.g. NATO (KFOR's org is NATO, its name KFOR)
    sector: str = ""  # GOV, MIL, COP, PRO, CVL, REB, ...
    name: str = ""  # canonical name of a person or organisation, when known
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "text": self.text,
            "country": self.country or None,
            "org": self.org or None,
            "sector": self.sector or None,
        }
        if self.name:
            out["name"] = self.name
        return out

    @property
    def key(self) -> str:
        return self.org or self.country or self.name or self.text.lower()


@dataclass(frozen=True)
class Place:
    name: str
    country: str = ""
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    precision: str = ""  # place | admin1 | country | region
    geonameid: int | None = None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country or None,
            "admin1": self.admin1 or None,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision or None,
        }


@dataclass(frozen=True)
class Numbers:
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    size: int | None = None

    def to_dict(self) -> dict[str, int | None]:
        # spelt out: ``dataclasses.asdict`` deep-copies every value, and this runs for every event stored
        return {"killed": self.killed, "injured": self.injured, "arrested": self.arrested, "size": self.size}

    def __bool__(self) -> bool:
        return not (
            self.killed is None and self.injured is None and self.arrested is None and self.size is None
        )


FACTUALITY = ("asserted", "claimed", "denied", "hypothetical", "future")
FACTUALITY_MEANING = {
    "asserted": "the text says it happened",
    "claimed": "someone the text names says it happened (`claimed_by`)",
    "denied": "the text, or someone in it, says it did not happen",
    "hypothetical": "it might happen or might have happened (could, if, would, threatened to)",
    "future": "announced or planned: it has not happened yet",
}
COUNTED = ("asserted", "claimed")


@dataclass(frozen=True)
class Event:
    """One coded event with the evidence that supports each field."""

    id: str
    article_id: str
    type: str  # PLOVER type
    mode: str
    cameo: str
    quad_class: int
    score: float
    acled_type: str
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    place: Place | None
    date: dt.date | None
    date_precision: str  # day | week | month | unknown
    numbers: Numbers
    factuality: str
    claimed_by: str
    sentence: str
    sentence_start: int
    spans: dict[str, Span]
    rule: str
    confidence: float
    sentence_index: int = 0
    depth: int = 0  # steps from the trigger up to its clause's root: 0 is the main clause

    @property
    def counted(self) -> bool:
        return self.factuality in COUNTED

    def to_dict(self) -> dict[str, Any]:
        """The event contract: ``source`` and ``target`` are always lists of actors (empty: none)."""
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode or None,
            "cameo": self.cameo,
            "acled_type": self.acled_type,
            "quad_class": self.quad_class,
            "score": self.score,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "place": self.place.to_dict() if self.place else None,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "numbers": self.numbers.to_dict(),
            "factuality": self.factuality,
            "claimed_by": self.claimed_by or None,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "spans": {k: list(v) for k, v in self.spans.items()},
            "rule": self.rule,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Quarantined:
    """A document (or part of one) that could not be processed, and why."""

    origin: str  # path, path:line or URL
    code: str  # see errors.py
    reason: str
    content_hash: str = ""
    size: int = 0

    @property
    def id(self) -> str:
        return stable_id(self.origin, self.content_hash, self.code)


@dataclass(frozen=True)
class Skipped:
    """A file in a folder that is not read: hidden, of an unsupported type, or not a regular file."""

    origin: str
    kind: str  # hidden | unsupported .EXT | not a regular file


# -- fusion: one report as fusion reads it, and one real-world event ---------------------

NUMBER_FIELDS = ("killed", "injured", "arrested", "size")
#: kinds of event with participants rather than a source and a target: meetings and clashes
SYMMETRIC_TYPES = frozenset({"CONSULT"})
SYMMETRIC_MODES = frozenset({"clash"})
T = TypeVar("T")


@dataclass(frozen=True)
class Report:
    """One counted event as one article tells it, with the few article fields fusion needs.

    Read back from the store (``store/fused.py``), never built by extraction.
    """

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

    @functools.cached_property  # a report is sorted again with every batch it is a candidate in
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

    @functools.cached_property  # fusion compares each report with many others
    def figures(self) -> tuple[tuple[str, int], ...]:
        """The figures this report gives (name, value), in ``numbers``' order."""
        return tuple((k, v) for k, v in self.numbers.items() if v is not None)

    @property
    def cited(self) -> Cited:
        return Cited(self.id, self.article_id, self.outlet, self.sentence, self.factuality)


@dataclass(frozen=True)
class Cited:
    """A report as a fused event cites it."""

    id: str
    article_id: str
    outlet: str
    sentence: str
    factuality: str

    def to_dict(self) -> dict[str, str]:
        # spelt out (not ``dataclasses.asdict``, which deep-copies): every fused event written cites its reports
        return {
            "id": self.id,
            "article_id": self.article_id,
            "outlet": self.outlet,
            "sentence": self.sentence,
            "factuality": self.factuality,
        }


@dataclass(frozen=True)
class Spread(Generic[T]):
    """One disputed quantity: its range and what each report said."""

    min: T
    max: T
    by_report: dict[str, T] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def out(value: T) -> Any:
            return value.isoformat() if isinstance(value, dt.date) else value

        return {
            "min": out(self.min),
            "max": out(self.max),
            "by_report": {k: out(v) for k, v in self.by_report.items()},
        }


@dataclass(frozen=True)
class FusedEvent:
    """One real-world event: every report kept, disagreements as ranges with each report's value."""

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
    reports: tuple[Cited, ...]
    numbers: dict[str, Spread[int]]
    dates: Spread[dt.date] | None
    places: dict[str, str]  # report id -> "name (country)" where reports name a place
    context_country: str = ""  # where its articles' other events are, when it names no place

    @property
    def n_sources(self) -> int:
        return len({r.article_id for r in self.reports})

    @property
    def participants(self) -> tuple[str, ...]:
        """Both sides together for a meeting or a clash (whose mirrored reports are one event), else ()."""
        if self.type in SYMMETRIC_TYPES or self.mode in SYMMETRIC_MODES:
            return tuple(sorted({*self.source_keys, *self.target_keys}))
        return ()

    @property
    def label(self) -> str:
        """PLOVER type and mode: "ASSAULT/clash"."""
        return self.type + (f"/{self.mode}" if self.mode else "")

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
            "participants": list(self.participants),
            "place": {"name": self.place_name or None, "country": self.place_country or None},
            "context_country": self.context_country or None,
            "places": self.places,
            "factuality": self.factuality,
            "numbers": {k: v.to_dict() for k, v in self.numbers.items()},
            "n_reports": len(self.reports),
            "n_sources": self.n_sources,
            "reports": [r.to_dict() for r in self.reports],
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> FusedEvent:
        """Read back what ``to_dict`` wrote (the ``record`` column of ``fused_events``), or a record
        with only some of it (figures without ``by_report``, reports as id and article: the
        light records a brief reads from the table's columns)."""
        dates = record.get("dates")
        place = record.get("place") or {}
        return cls(
            id=record["id"],
            type=record["type"],
            mode=record.get("mode") or "",
            quad_class=int(record["quad_class"]),
            score=float(record["score"]),
            date=_date(record.get("date")),
            date_precision=record.get("date_precision") or "unknown",
            date_basis=record.get("date_basis") or "text",
            source_keys=tuple(record["source"]),
            target_keys=tuple(record["target"]),
            place_name=place.get("name") or "",
            place_country=place.get("country") or "",
            factuality=record["factuality"],
            reports=tuple(
                Cited(
                    r["id"],
                    r["article_id"],
                    r.get("outlet", ""),
                    r.get("sentence", ""),
                    r.get("factuality", ""),
                )
                for r in record.get("reports") or ()
            ),
            numbers={
                k: Spread(v["min"], v["max"], dict(v.get("by_report") or {}))
                for k, v in (record.get("numbers") or {}).items()
            },
            dates=(
                Spread(
                    dt.date.fromisoformat(dates["min"]),
                    dt.date.fromisoformat(dates["max"]),
                    {k: dt.date.fromisoformat(v) for k, v in dates["by_report"].items()},
                )
                if dates
                else None
            ),
            places=dict(record.get("places") or {}),
            context_country=record.get("context_country") or "",
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
