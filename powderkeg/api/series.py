"""An in-memory index of the dated fused events, one per data version, for ``/tension``.

``analyze.index.readings`` reads every fused event of the key and period as a ``FusedEvent``
(parsed from the store per request: 0.1 to 0.4 s of CPU for a dyad or a country over a year
of a 100,000-event store) and regroups the store-wide news volume on each call. This index
holds, in (date, id) order, each event's light form (what ``Key.matches`` and ``contribution``
read), its contribution (computed once, by ``analyze.index.contribution`` itself), its
articles and first sentence, the positions of the events each country takes part in, and
the volume per period. A series is then the key's positions in the date window, grouped by
period, with the same sums, maxima and rankings as ``readings`` makes, in the same order, so
the readings are identical (tests compare both on the demo store and a synthetic one).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
import threading
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

import duckdb
import numpy as np

from ..analyze.index import Key, Reading, contribution, period_of
from ..records import FusedEvent, Spread
from ..store.fused import FuseTables

_EPOCH = dt.date(1970, 1, 1).toordinal()


class Light(NamedTuple):
    """The fields of a fused event that ``Key.matches``, ``contribution`` and ``/tension`` read."""

    id: str
    type: str
    mode: str
    quad_class: int
    score: float
    date: dt.date
    source_keys: tuple[str, ...]
    target_keys: tuple[str, ...]
    place_country: str
    context_country: str
    factuality: str
    numbers: dict[str, Spread[int]]
    articles: frozenset[str]
    n_sources: int
    label: str


# as api.tension reads a fused event, plus its first report's sentence
COLUMNS = (
    "id, type, mode, quad_class, score, date, source_keys, target_keys, place_country,"
    " record->>'context_country', factuality, killed_min, killed_max, injured_min, injured_max,"
    " arrested_min, arrested_max, size_min, size_max, json_extract_string(record, '$.reports[*].article_id'),"
    " record->>'$.reports[0].sentence'"
)
FIGURES = ("killed", "injured", "arrested", "size")


def _light(row: tuple[Any, ...]) -> tuple[Light, str]:
    (fid, type_, mode, quad, score, date, source, target, place, context, fact, *rest) = row
    *figures, articles, sentence = rest
    numbers = {
        name: Spread(figures[2 * i], figures[2 * i + 1])
        for i, name in enumerate(FIGURES)
        if figures[2 * i] is not None
    }
    mode = mode or ""
    arts = frozenset(articles or ())
    light = Light(
        id=fid,
        type=type_,
        mode=mode,
        quad_class=int(quad or 0),
        score=float(score or 0.0),
        date=date,
        source_keys=tuple(source or ()),
        target_keys=tuple(target or ()),
        place_country=place or "",
        context_country=context or "",
        factuality=fact,
        numbers=numbers,
        articles=arts,
        n_sources=len(arts),
        label=type_ + (f"/{mode}" if mode else ""),
    )
    return light, sentence or ""


@dataclass
class FusedIndex:
    events: list[Light]
    contributions: np.ndarray  # float64 per position, by analyze.index.contribution
    article_ptr: np.ndarray  # int64 (n + 1): position p's articles are article_code[ptr[p]:ptr[p + 1]]
    article_code: np.ndarray  # int64 codes of article ids
    sentences: list[str]
    day: np.ndarray  # int64 date ordinal per position
    involved: dict[str, np.ndarray]  # code -> sorted positions: in source, target, or place (else context)
    volume: dict[dt.date, set[str]]  # articles reporting any fused event, per day (the whole store)
    _periods: dict[str, tuple[np.ndarray, dict[dt.date, int], Any]] = field(default_factory=dict)
    _position: dict[str, int] = field(default_factory=dict)  # id -> position, on first use
    _top_json: dict[str, tuple[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection) -> FusedIndex:
        rows = con.execute(
            f"SELECT {COLUMNS} FROM fused_events WHERE date IS NOT NULL ORDER BY date, id"
        ).fetchall()
        events: list[Light] = []
        sentences: list[str] = []
        involved: dict[str, list[int]] = {}
        for pos, row in enumerate(rows):
            light, sentence = _light(row)
            events.append(light)
            sentences.append(sentence)
            for code in {
                *light.source_keys,
                *light.target_keys,
                light.place_country or light.context_country,
            }:
                if code:
                    involved.setdefault(code, []).append(pos)
        codes: dict[str, int] = {}
        article_code = [codes.setdefault(a, len(codes)) for e in events for a in sorted(e.articles)]
        article_ptr = np.zeros(len(events) + 1, dtype=np.int64)
        np.cumsum([len(e.articles) for e in events], out=article_ptr[1:])
        return cls(
            events=events,
            contributions=np.asarray([contribution(cast(FusedEvent, e)) for e in events], dtype=np.float64),
            article_ptr=article_ptr,
            article_code=np.asarray(article_code, dtype=np.int64),
            sentences=sentences,
            day=np.fromiter((e.date.toordinal() for e in events), dtype=np.int64, count=len(events)),
            involved={c: np.asarray(p, dtype=np.int64) for c, p in involved.items()},
            volume=FuseTables(con).volume(None, None),
        )

    def periods(self, by: str) -> tuple[np.ndarray, dict[dt.date, int], Any]:
        """Each position's period (as an ordinal), and the store's volume per period with its
        median, as ``readings`` regroups them."""
        with self._lock:
            if by not in self._periods:
                days = self.day
                if by == "week":
                    starts = days - (days - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
                elif by == "month":
                    months = (days - _EPOCH).astype("datetime64[D]").astype("datetime64[M]")
                    starts = months.astype("datetime64[D]").astype(np.int64) + _EPOCH
                else:
                    starts = days
                per_volume: dict[dt.date, set[str]] = {}
                for d, articles in self.volume.items():
                    per_volume.setdefault(period_of(d, by), set()).update(articles)
                typical = statistics.median(len(a) for a in per_volume.values()) if per_volume else 1
                self._periods[by] = (starts, {p: len(a) for p, a in per_volume.items()}, typical)
            return self._periods[by]

    def readings(
        self,
        key: Key,
        by: str,
        min_sources: int = 1,
        top: int = 3,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Reading]:
        """What ``analyze.index.readings`` gives for the fused events of the store, the store's
        volume and the default weights."""
        lo = int(np.searchsorted(self.day, since.toordinal(), side="left")) if since else 0
        hi = int(np.searchsorted(self.day, until.toordinal(), side="right")) if until else len(self.events)
        lists = [self._slice(self.involved.get(c), lo, hi) for c in key.countries]
        if key.dyad:
            positions = np.intersect1d(lists[0], lists[1], assume_unique=True)
        else:
            positions = _union(lists)
        if key.dyad:  # the candidates have both countries somewhere; Key.matches decides
            events = self.events
            positions = np.fromiter(
                (p for p in positions.tolist() if key.matches(cast(FusedEvent, events[p]))), dtype=np.int64
            )
        starts, per_volume, typical = self.periods(by)
        # the key's events by period: runs of equal period starts (positions are in date order)
        periods = starts[positions]
        m = len(positions)
        cuts = np.concatenate(([0], np.flatnonzero(np.diff(periods)) + 1, [m])).astype(np.int64)
        lengths = np.diff(cuts)
        group = np.repeat(np.arange(len(lengths)), lengths)
        contributions = self.contributions[positions]
        # distinct articles per period, from (period, article) pairs
        lo, n = self.article_ptr[positions], self.article_ptr[positions + 1] - self.article_ptr[positions]
        taken = np.repeat(lo - np.concatenate(([0], np.cumsum(n)[:-1])), n) + np.arange(int(n.sum()))
        width = int(self.article_code.max(initial=0)) + 1
        pairs = np.unique(np.repeat(group, n) * width + self.article_code[taken])
        n_articles = np.bincount(pairs // width, minlength=len(lengths)).tolist()
        # readings ranks a period's events by -|c|, ties in event order: a stable sort per period
        ranked = np.lexsort((np.arange(m), -np.abs(contributions), group))
        rank_in_group = np.arange(m) - cuts[group[ranked]]
        tops: dict[int, list[int]] = {}
        for g, k in zip(
            group[ranked][rank_in_group < top].tolist(), ranked[rank_in_group < top].tolist(), strict=True
        ):
            tops.setdefault(g, []).append(k)
        values = contributions.tolist()
        order, events = positions.tolist(), self.events
        found = {
            dt.date.fromordinal(int(periods[i])): (g, i, j)
            for g, (i, j) in enumerate(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))
            if j > i
        }
        first = period_of(since, by) if since else dt.date.min
        out = []
        for period in sorted(
            p for p in set(per_volume) | set(found) if first <= p and (until is None or p <= until)
        ):
            g, i, j = found.get(period, (-1, 0, 0))
            articles = n_articles[g] if g >= 0 else 0
            v = max(per_volume.get(period, 0), articles, 1)
            raw = sum(values[i:j])  # in the events' order, as readings adds them
            index = raw * math.sqrt(typical / v) if articles >= max(min_sources, 1) else None
            top_events = tuple((values[k], events[order[k]]) for k in tops.get(g, ()))
            out.append(Reading(key.label, period, by, raw, index, j - i, articles, v, cast(Any, top_events)))
        return out

    @staticmethod
    def _slice(positions: np.ndarray | None, lo: int, hi: int) -> np.ndarray:
        if positions is None:
            return np.zeros(0, dtype=np.int64)
        i, j = np.searchsorted(positions, (lo, hi), side="left")
        return positions[i:j]

    def top_json(self, fused_id: str) -> tuple[str, str]:
        """A fused event as ``/tension`` lists it among a period's top events, in JSON, around its
        contribution: (the id, the fields after it)."""
        cached = self._top_json.get(fused_id)
        if cached is None:
            e = self.events[self._position_of(fused_id)]
            tail = {"type": e.label, "source": list(e.source_keys), "target": list(e.target_keys)}
            text = json.dumps(
                {**tail, "sentence": self.sentence(fused_id)}, ensure_ascii=False, separators=(",", ":")
            )
            cached = self._top_json[fused_id] = (json.dumps(e.id, ensure_ascii=False), text[1:])
        return cached

    def _position_of(self, fused_id: str) -> int:
        with self._lock:
            if not self._position:
                self._position.update((e.id, p) for p, e in enumerate(self.events))
        return self._position[fused_id]

    def sentence(self, fused_id: str) -> str:
        """The first report's sentence of a fused event."""
        with self._lock:
            if not self._position:
                self._position.update((e.id, p) for p, e in enumerate(self.events))
        p = self._position.get(fused_id)
        return "" if p is None else self.sentences[p]


def _union(lists: list[np.ndarray]) -> np.ndarray:
    """The sorted union of sorted position lists."""
    if len(lists) == 1:
        return lists[0]
    merged = np.sort(np.concatenate(lists)) if lists else np.zeros(0, dtype=np.int64)
    return merged[np.concatenate(([True], merged[1:] != merged[:-1]))] if len(merged) else merged
