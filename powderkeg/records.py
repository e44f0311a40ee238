"""Typed records that flow between pipeline stages.

Article -> Sentence -> (Actor, Place) -> Event. Each is a frozen dataclass so a
stage cannot quietly edit what an earlier one produced; stages build new
records instead. ``to_dict`` gives the JSON shape of the event contract (see
README, "Event contract").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, deterministic id from its parts (used as a content key)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:length]


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
        return dataclasses.asdict(self)

    def __bool__(self) -> bool:
        return any(v is not None for v in dataclasses.astuple(self))


FACTUALITY = ("asserted", "claimed", "denied", "hypothetical", "future")
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
        def actors(group: tuple[Actor, ...]) -> Any:
            if not group:
                return None
            if len(group) == 1:
                return group[0].to_dict()
            return [a.to_dict() for a in group]

        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode or None,
            "cameo": self.cameo,
            "acled_type": self.acled_type,
            "quad_class": self.quad_class,
            "score": self.score,
            "source": actors(self.source),
            "target": actors(self.target),
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
