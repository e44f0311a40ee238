"""An in-memory index of the dated fused events, one per data version, for ``/tension``.

``analyze.index.readings`` reads every fused event of the key and period as a ``FusedEvent``
(parsed from the store per request: 0.1 to 0.4 s of CPU for a dyad or a country over a year
of a 100,000-event store) and regroups the store-wide news volume on each call. This index
holds, in (date, id) order, the fused events as the SQL path reads them (``tension.candidates``
with no key: the same rows, the same fields, so a change to what the index may read shows in
both), each one's contribution (computed once, by ``analyze.index.contribution`` itself), its
articles and first sentence, the positions of the events each country takes part in, and the
volume per period. A series is then the key's positions in the date window, grouped by period,
with the same sums, maxima and rankings as ``readings`` makes, in the same order, so the
readings are identical (tests compare both on the demo store and a synthetic one). Which
events a series of a given period places at all (an event's date may be too coarse for it) is
asked of ``readings`` itself, once per date precision.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
import threading
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np

from ..analyze.index import Key, Reading, contribution, fits, period_of, readings
from ..records import FusedEvent
from ..store.fused import FuseTables, Volume
from .tension import candidates

_EPOCH = dt.date(1970, 1, 1).toordinal()


@dataclass
class FusedIndex:
    events: list[FusedEvent]  # as tension.candidates reads them: their reports carry the article only
    contributions: np.ndarray  # float64 per position, by analyze.index.contribution
    article_ptr: np.ndarray  # int64 (n + 1): position p's articles are article_code[ptr[p]:ptr[p + 1]]
    article_code: np.ndarray  # int64 codes of article ids
    sentences: dict[str, str]  # id -> its first report's sentence
    day: np.ndarray  # int64 date ordinal per position
    involved: dict[str, np.ndarray]  # code -> sorted positions: in source, target, or place (else context)
    volume: Volume  # articles reporting any fused event, per (day, date precision) (the whole store)
    _periods: dict[str, tuple[np.ndarray, dict[dt.date, int], Any]] = field(default_factory=dict)
    _placed: dict[str, np.ndarray | None] = field(default_factory=dict)
    _position: dict[str, int] = field(default_factory=dict)  # id -> position, on first use
    _top_json: dict[str, tuple[str, str]] = field(default_factory=dict)
    _dyads: dict[Key, np.ndarray] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection) -> FusedIndex:
        events = [e for e in candidates(con, None, None, None) if e.date is not None]
        sentences = dict(
            con.execute(
                "SELECT id, coalesce(record->>'$.reports[0].sentence', '') FROM fused_events"
                " WHERE date IS NOT NULL"
            ).fetchall()
        )
        involved: dict[str, list[int]] = {}
        for pos, e in enumerate(events):
            for code in {*e.source_keys, *e.target_keys, e.place_country or e.context_country}:
                if code:
                    involved.setdefault(code, []).append(pos)
        articles = [sorted({r.article_id for r in e.reports}) for e in events]
        codes: dict[str, int] = {}
        article_code = [codes.setdefault(a, len(codes)) for group in articles for a in group]
        article_ptr = np.zeros(len(events) + 1, dtype=np.int64)
        np.cumsum([len(group) for group in articles], out=article_ptr[1:])
        return cls(
            events=events,
            contributions=np.asarray([contribution(e) for e in events], dtype=np.float64),
            article_ptr=article_ptr,
            article_code=np.asarray(article_code, dtype=np.int64),
            sentences=sentences,
            day=np.fromiter(
                (e.date.toordinal() for e in events if e.date), dtype=np.int64, count=len(events)
            ),
            involved={c: np.asarray(p, dtype=np.int64) for c, p in involved.items()},
            volume=FuseTables(con).volume(None, None),
        )

    def placed(self, by: str) -> np.ndarray | None:
        """Per position, whether ``readings`` puts the event in a series by ``by`` (None: all
        are). Asked of ``readings`` with one event of each date precision and a key it matches,
        so that whatever it leaves out (a month-dated event in a daily series, say), so does
        the index."""
        with self._lock:
            if by in self._placed:
                return self._placed[by]
        example: dict[str, tuple[FusedEvent, Key]] = {}
        for e in self.events:
            if e.date_precision not in example and (key := _key_of(e)) is not None:
                example[e.date_precision] = (e, key)
        left_out = {
            p for p, (e, key) in example.items() if not any(r.n_events for r in readings([e], {}, key, by))
        }
        mask = (
            np.fromiter(
                (e.date_precision not in left_out for e in self.events), dtype=bool, count=len(self.events)
            )
            if left_out
            else None
        )
        with self._lock:
            self._placed[by] = mask
        return mask

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
                for (d, precision), articles in self.volume.items():
                    if fits(precision, by):  # as analyze.index.readings counts it
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
        if key.dyad:
            positions = self._slice(self._dyad(key), lo, hi)
        else:
            positions = _union([self._slice(self.involved.get(c), lo, hi) for c in key.countries])
        placed = self.placed(by)
        if placed is not None:
            positions = positions[placed[positions]]
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
            out.append(Reading(key.label, period, by, raw, index, j - i, articles, v, top_events))
        return out

    def _dyad(self, key: Key) -> np.ndarray:
        """The positions of the events a dyad matches, over the whole store, kept per key (its
        events are matched one by one in Python: most of a year's /tension took that)."""
        found = self._dyads.get(key)
        if found is None:
            # the candidates have both countries somewhere; Key.matches decides
            a, b = (self.involved.get(c) for c in key.countries)
            both = np.intersect1d(a, b, assume_unique=True) if a is not None and b is not None else ()
            events = self.events
            found = np.fromiter(
                (p for p in np.asarray(both).tolist() if key.matches(events[p])), dtype=np.int64
            )
            with self._lock:
                while len(self._dyads) >= _DYADS:
                    self._dyads.pop(next(iter(self._dyads)))
                self._dyads[key] = found
        return found

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
        return self.sentences.get(fused_id) or ""


def _key_of(event: FusedEvent) -> Key | None:
    """A one-country key the event matches, if any."""
    for code in (*event.source_keys, *event.target_keys, event.place_country or event.context_country):
        if code and Key.parse([code]).matches(event):
            return Key.parse([code])
    return None


_DYADS = 4096  # dyads whose matched events are kept (an array of positions each)


def _union(lists: list[np.ndarray]) -> np.ndarray:
    """The sorted union of sorted position lists."""
    if len(lists) == 1:
        return lists[0]
    merged = np.sort(np.concatenate(lists)) if lists else np.zeros(0, dtype=np.int64)
    return merged[np.concatenate(([True], merged[1:] != merged[:-1]))] if len(merged) else merged
