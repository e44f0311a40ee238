"""The tension index: per dyad (directed or not), country or region, per day or week.

Each fused event contributes

    c(e) = w(quad) * (-score) * (1 + sum_k a_k * ln(1 + n_k)) * (1 + b * log2(sources)) * f

- ``score`` is the event's Goldstein-style score (-10 most conflictual .. +10), set per
  PLOVER type and mode by the ontology, so -score is positive for conflict and negative
  for cooperation; ``w(quad)`` weighs the quad classes: conflict (3 verbal, 4 material)
  at 1.0, cooperation (1 verbal, 2 material) at 0.5, because a meeting does not undo a
  shooting;
- ``n_k`` are the event's numbers (midpoint of what its sources say): killed (a=1.0),
  injured (0.5), arrested (0.25), troop or crowd size (0.1), on a log scale;
- ``sources`` is how many articles report the event (corroboration, sub-linear, b=0.5);
- ``f`` is 1.0 for an asserted event and 0.75 when every report only relays a claim.

A period's raw reading is the sum of c(e) over the fused events of the key in that
period. It is normalised for news volume: ``index = raw * sqrt(V_typical / V(p))``,
where V(p) is the number of articles reporting any event in the period and V_typical
its median over the store. The square root is a compromise: dividing fully would make
the index fall when a crisis draws more outlets, not dividing would make it climb with
every new feed. A period in which fewer than ``min_sources`` articles report on the key
reads "insufficient coverage", never 0: silence is not calm. An event dated only to a month
counts in monthly series, not in daily or weekly ones: it has no day to sit on (``TOO_COARSE``);
nor do its articles count in those series' volume.
Fused events of undated articles are never read (``FuseTables.events``).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import BadParameter
from ..knowledge.countries import country_code, region_codes
from ..records import SYMMETRIC_MODES, SYMMETRIC_TYPES, FusedEvent
from .regions import is_country

if TYPE_CHECKING:
    from ..store.fused import Volume

QUAD_WEIGHTS = {1: 0.5, 2: 0.5, 3: 1.0, 4: 1.0}
NUMBER_WEIGHTS = {"killed": 1.0, "injured": 0.5, "arrested": 0.25, "size": 0.1}


@dataclass(frozen=True)
class Weights:
    quad: dict[int, float] = field(default_factory=lambda: dict(QUAD_WEIGHTS))
    numbers: dict[str, float] = field(default_factory=lambda: dict(NUMBER_WEIGHTS))
    sources: float = 0.5
    claimed: float = 0.75


@dataclass(frozen=True)
class Key:
    """What a series is about: a dyad (a, b), one country, or a region (several)."""

    countries: tuple[str, ...]
    dyad: bool = False
    directed: bool = False
    name: str = ""

    @classmethod
    def parse(cls, codes: Iterable[str], directed: bool = False, name: str = "") -> Key:
        codes = tuple(c.upper() for c in codes)
        if len(codes) == 2 and not name:
            return cls(codes, dyad=True, directed=directed)
        return cls(codes, name=name)

    @property
    def label(self) -> str:
        if self.dyad:
            return (">" if self.directed else "-").join(self.countries)
        return f"region:{self.name}" if self.name else "+".join(self.countries)

    def matches(self, event: FusedEvent) -> bool:
        src, tgt = set(event.source_keys), set(event.target_keys)
        place = event.place_country or event.context_country
        if not self.dyad:
            return bool(set(self.countries) & (src | tgt | {place}))
        if event.type in SYMMETRIC_TYPES or event.mode in SYMMETRIC_MODES:
            src = tgt = src | tgt  # a meeting or a clash has participants, not a direction
        return _dyad(self.countries[0], self.countries[1], src, tgt, place) or (
            not self.directed and _dyad(self.countries[1], self.countries[0], src, tgt, place)
        )


def parse_key(
    spec: str | Sequence[str], directed: bool = False, regions: Mapping[str, Sequence[str]] | None = None
) -> Key:
    """The key a user names: ``SRB-XKX`` or ``["SRB", "XKX"]`` (a dyad, either way unless
    ``directed``), ``SRB>XKX`` (directed), ``SRB``, ``Serbia``, or ``region:NAME`` (a named region,
    one of ``regions``, or a UN M49 sub-region). Names are checked: BadParameter (E601) with
    the closest known ones."""
    parts = [spec] if isinstance(spec, str) else [p for p in spec if p.strip()]
    if len(parts) == 1:
        text = parts[0].strip()
        if text.lower().startswith("region:"):
            name = text.split(":", 1)[1].strip()
            return Key(region_codes(name, regions), name=name)
        if ">" in text:
            directed, parts = True, text.split(">")
        elif "-" in text and not _is_name(text):  # "Guinea-Bissau" is one country
            parts = text.split("-")
    if len(parts) not in (1, 2) or not all(p.strip() for p in parts):
        raise BadParameter(
            f"key {' '.join(parts)!r} is not one country, two (a dyad) or region:NAME",
            remedy="e.g. SRB XKX, SRB-XKX, SRB>XKX (directed), Serbia, region:western-balkans",
        )
    return Key.parse([country_code(p.strip()) for p in parts], directed=directed)


def _is_name(text: str) -> bool:
    try:
        country_code(text)
    except BadParameter:
        return False
    return True


def _dyad(a: str, b: str, src: set[str], tgt: set[str], place: str) -> bool:
    """Does the event run from a to b? b is the target, or the place where a acts on a target
    that is no other country (KFOR, an unnamed crowd): Serb protesters clashing with KFOR in
    Zvecan is part of Serbia-Kosovo tension, Serbia's own army drill in Serbia is not. The
    place is the event's own, else its articles' main country (``context_country``)."""
    if a not in src:
        return False
    return b in tgt or (place == b and b not in src and not any(is_country(t) and t != a for t in tgt | src))


def contribution(event: FusedEvent, weights: Weights = Weights()) -> float:
    base = weights.quad.get(event.quad_class, 0.0) * -event.score
    numbers = 1.0
    for name, a in weights.numbers.items():
        spread = event.numbers.get(name)
        if spread:
            numbers += a * math.log1p((spread.min + spread.max) / 2)
    corroboration = 1.0 + weights.sources * math.log2(max(event.n_sources, 1))
    fact = 1.0 if event.factuality == "asserted" else weights.claimed
    return base * numbers * corroboration * fact


#: date precisions too coarse for a series: an event dated to a month has no day or week to sit on
TOO_COARSE = {"day": {"month"}, "week": {"month"}, "month": set()}


def fits(precision: str, by: str) -> bool:
    return precision not in TOO_COARSE.get(by, set())


def period_of(day: dt.date, by: str) -> dt.date:
    """The first day of the day's period: itself, its week's Monday, or its month's first day."""
    if by == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday()) if by == "week" else day


@dataclass(frozen=True)
class Reading:
    key: str
    period: dt.date
    by: str
    raw: float
    index: float | None  # None: insufficient coverage
    n_events: int
    n_sources: int
    volume: int
    top: tuple[tuple[float, FusedEvent], ...]  # (contribution, fused event), largest first

    @property
    def status(self) -> str:
        return "ok" if self.index is not None else "insufficient coverage"


def period_volume(volume: Volume, by: str) -> dict[dt.date, int]:
    """Articles per period of a ``by`` series: those reporting the events it can place (``fits``)."""
    per_volume: dict[dt.date, set[str]] = {}
    for (day, precision), articles in volume.items():
        if fits(precision, by):
            per_volume.setdefault(period_of(day, by), set()).update(articles)
    return {period: len(articles) for period, articles in per_volume.items()}


def readings(
    events: Iterable[FusedEvent],
    volume: Volume,
    key: Key,
    by: str = "day",
    min_sources: int = 1,
    weights: Weights = Weights(),
    top: int = 3,
    since: dt.date | None = None,
    until: dt.date | None = None,
    counts: tuple[Mapping[dt.date, int], float] | None = None,
) -> list[Reading]:
    """One reading per period in [since, until] that has any news, oldest first.

    ``volume`` (``FuseTables.volume``) should cover the whole store (its median is the typical
    volume), so that a period reads the same whatever range is asked for. It counts the articles
    of the events the series can place: a month-dated event is in neither a daily series nor
    its volume. A caller that keeps these figures itself passes ``counts`` instead (``volume``
    is then not read): the articles per period (``period_volume``) of at least [since, until],
    and the median over the whole store of those of every period.
    """
    if counts is not None:
        per_volume, typical = counts
    else:
        per_volume = period_volume(volume, by)
        typical = statistics.median(per_volume.values()) if per_volume else 1
    grouped: dict[dt.date, list[tuple[float, FusedEvent]]] = {}
    for event in events:
        if event.date is not None and fits(event.date_precision, by) and key.matches(event):
            period = period_of(event.date, by)
            grouped.setdefault(period, []).append((contribution(event, weights), event))
    out = []
    first = period_of(since, by) if since else dt.date.min
    for period in sorted(
        p for p in set(per_volume) | set(grouped) if first <= p and (until is None or p <= until)
    ):
        found = grouped.get(period, [])
        articles = {r.article_id for _, e in found for r in e.reports}
        v = max(per_volume.get(period, 0), len(articles), 1)
        raw = sum(c for c, _ in found)
        index = raw * math.sqrt(typical / v) if len(articles) >= max(min_sources, 1) else None
        ranked = sorted(found, key=lambda ce: -abs(ce[0]))[:top]
        out.append(Reading(key.label, period, by, raw, index, len(found), len(articles), v, tuple(ranked)))
    return out
