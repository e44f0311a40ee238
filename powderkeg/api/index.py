"""An in-memory filter index over the events table, one per data version, for ``/events``.

DuckDB answers a filtered page by scanning and sorting every matching row (a top-N over
the whole table, ~10 ms of CPU at 200,000 events, more under concurrency). The index holds
the table's rows in the API's sort order (``coalesce(date, FAR), article_id, sentence_start,
id``) as columns, so a filtered page is a walk from the first row after the cursor, in
blocks, until the page is full (keyset pagination without a sort):

- the date window and the cursor are two binary searches (rows are sorted by date first);
- ``type`` and ``factuality`` are small codes per row, tested through a lookup table;
- ``country`` (source, target or place) is a sorted list of row positions per country;
- ``text`` is found in the rows' lower-cased sentences (lowered by DuckDB, as the SQL path
  does), all in one string, with ``str.find`` per candidate or across a block.

Only the page's records are then read from DuckDB, by rowid. The index is built from one
read of the store and used only while ``Access.version()`` is the one it was built at;
a change of data makes the next request rebuild it in the background, and requests use the
SQL path (``queries.events_page``) until it is ready, so results never depend on it: the
tests compare both paths on many random filters.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import duckdb
import numpy as np

from ..store.access import Access
from .queries import FAR, Filters

log = logging.getLogger(__name__)

ORDER = "coalesce(date, DATE '9999-12-31'), article_id, sentence_start, id"
BLOCK = 32_768  # rows tested per step of a page's walk
RECORD_BUDGET = 256 * 2**20  # bytes of records held in memory (else read per page, ~2 ms more)
SEP = "\x00"  # between sentences in the text column (a needle holding it goes to SQL)


@dataclass
class EventIndex:
    """The events table's filter columns in page order (see the module docstring)."""

    rowid: np.ndarray  # int64 per position
    day: np.ndarray  # int64 date ordinal per position, FAR's for undated rows
    dated: np.ndarray  # bool per position
    article_id: list[str]
    sentence_start: list[int]
    id: list[str]
    type_code: np.ndarray  # int16 per position, into types (never NULL)
    types: dict[str, int]
    fact_code: np.ndarray  # int16 per position, into facts (-1: NULL)
    facts: dict[str, int]
    country: dict[str, np.ndarray]  # code -> sorted positions where it is source, target or place
    text: str  # lower(sentence) of every row in order, each followed by SEP
    starts: np.ndarray  # int64 offset of each row's sentence in text (n + 1 entries)
    first_undated: int  # first position whose date is NULL or FAR
    record_bytes: bytes  # every row's record, in order (empty when over the budget)
    record_offsets: np.ndarray | None  # int64 offset of each row's record (n + 1 entries)
    _position: dict[str, int] = field(default_factory=dict)  # id -> position, on first use
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return len(self.id)

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection, record_budget: int = RECORD_BUDGET) -> EventIndex:
        """The index of the events table as ``con`` sees it; the rows' records too (UTF-8 JSON, one
        bytes object) when they take at most ``record_budget`` bytes, else pages read them by rowid."""
        if con.execute("SELECT count(*) FROM events WHERE sentence_start IS NULL").fetchone() != (0,):
            raise _Unindexable("an event without sentence_start")
        size = con.execute("SELECT coalesce(sum(strlen(CAST(record AS VARCHAR))), 0) FROM events").fetchone()
        keep = bool(size and size[0] <= record_budget)
        cols = con.execute(
            "SELECT rowid, coalesce(date, DATE '9999-12-31') - DATE '0001-01-01' + 1 AS day, date IS NOT NULL,"
            " article_id, sentence_start, id, type, factuality, coalesce(lower(sentence), ''),"
            f" {'encode(CAST(record AS VARCHAR))' if keep else 'NULL'} FROM events ORDER BY {ORDER}"
        ).fetchall()
        n = len(cols)
        rowid, day, dated, article_id, sentence_start, ids, type_, fact, sentences, records = (
            [list(c) for c in zip(*cols, strict=True)] if n else [[] for _ in range(10)]
        )
        del cols
        offsets = None
        if keep:
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.fromiter(map(len, records), dtype=np.int64, count=n), out=offsets[1:])
        if any(SEP in s for s in sentences):
            raise _Unindexable("a sentence holding NUL")
        types = {t: i for i, t in enumerate(sorted(set(type_)))}
        facts = {f: i for i, f in enumerate(sorted({f for f in fact if f is not None}))}
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter((len(s) + 1 for s in sentences), dtype=np.int64, count=n), out=starts[1:])
        country: dict[str, np.ndarray] = {}
        rows = con.execute(
            f"""
            WITH s AS (SELECT row_number() OVER (ORDER BY {ORDER}) - 1 AS pos, place_country,
                              source_countries, target_countries FROM events),
            c AS (SELECT pos, place_country AS code FROM s
                  UNION SELECT pos, unnest(source_countries) FROM s
                  UNION SELECT pos, unnest(target_countries) FROM s)
            SELECT code, list(pos ORDER BY pos) FROM c WHERE code IS NOT NULL GROUP BY code
            """
        ).fetchall()
        for code, positions in rows:
            country[code] = np.asarray(positions, dtype=np.int64)
        days = np.asarray(day, dtype=np.int64)
        return cls(
            rowid=np.asarray(rowid, dtype=np.int64),
            day=days,
            dated=np.asarray(dated, dtype=bool),
            article_id=article_id,
            sentence_start=sentence_start,
            id=ids,
            type_code=np.fromiter((types[t] for t in type_), dtype=np.int16, count=n),
            types=types,
            fact_code=np.fromiter((-1 if f is None else facts[f] for f in fact), dtype=np.int16, count=n),
            facts=facts,
            country=country,
            text=SEP.join(sentences) + SEP if n else "",
            starts=starts,
            first_undated=int(np.searchsorted(days, FAR.toordinal(), side="left")),
            record_bytes=b"".join(records) if keep else b"",
            record_offsets=offsets,
        )

    # -- a page ----------------------------------------------------------------------------

    def page(self, f: Filters, size: int, after: Sequence[Any] | None) -> list[int] | None:
        """Positions of the first ``size`` + 1 rows matching ``f`` after the cursor key
        ``after`` (date, article_id, sentence_start, id); None when only SQL can answer."""
        needle = f.text.lower() if f.text else ""
        if SEP in needle or _beyond_index(f):
            return None
        lo, hi = 0, self.size
        if f.since:
            lo = int(np.searchsorted(self.day, f.since.toordinal(), side="left"))
        if f.until:
            hi = int(np.searchsorted(self.day, f.until.toordinal(), side="right"))
        if after is not None:
            start = self._after(after)
            if start is None:
                return None
            lo = max(lo, start)
        undated_matter = bool(f.since or f.until) and hi > self.first_undated
        type_ok = self._allowed(self.types, f.type)
        facts = f.factualities()
        fact_ok = self._allowed(self.facts, facts) if facts else None
        countries = [self.country.get(c, _EMPTY) for c in f.country]
        found: list[int] = []
        want = size + 1
        b0 = lo
        while b0 < hi and len(found) < want:
            b1 = min(b0 + BLOCK, hi)
            mask = np.ones(b1 - b0, dtype=bool)
            if type_ok is not None:
                mask &= type_ok[self.type_code[b0:b1] + 1]
            if fact_ok is not None:
                mask &= fact_ok[self.fact_code[b0:b1] + 1]
            if countries:
                hit = np.zeros(b1 - b0, dtype=bool)
                for positions in countries:
                    i, j = np.searchsorted(positions, (b0, b1), side="left")
                    hit[positions[i:j] - b0] = True
                mask &= hit
            if undated_matter:
                mask &= self.dated[b0:b1]
            if needle:
                self._with_text(needle, mask, b0, b1, found, want)
            else:
                found.extend((np.flatnonzero(mask)[: want - len(found)] + b0).tolist())
            b0 = b1
        return found

    def _allowed(self, codes: dict[str, int], values: Sequence[str]) -> np.ndarray | None:
        """A lookup table (code + 1 -> allowed; slot 0 is NULL) for a filter on a coded column."""
        if not values:
            return None
        table = np.zeros(len(codes) + 1, dtype=bool)
        for v in values:
            if v in codes:
                table[codes[v] + 1] = True
        return table

    def _with_text(
        self, needle: str, mask: np.ndarray, b0: int, b1: int, found: list[int], want: int
    ) -> None:
        """Append to ``found``, in order, the block's rows in ``mask`` whose sentence holds ``needle``."""
        text, starts = self.text, self.starts
        candidates = np.flatnonzero(mask)
        if len(candidates) * 8 < b1 - b0:  # few candidates: look in each one's sentence
            for p in (candidates + b0).tolist():
                if text.find(needle, starts[p], starts[p + 1]) >= 0:
                    found.append(p)
                    if len(found) >= want:
                        return
            return
        end = int(starts[b1])  # many: find the needle across the block, keep the candidates it is in
        at = text.find(needle, int(starts[b0]), end)
        while at >= 0:
            p = int(np.searchsorted(starts, at, side="right")) - 1
            if mask[p - b0]:
                found.append(p)
                if len(found) >= want:
                    return
            at = text.find(needle, int(starts[p + 1]), end)

    def _after(self, key: Sequence[Any]) -> int | None:
        """The first position whose sort key is greater than ``key``."""
        day, article_id, sentence_start, event_id = key
        if not (
            isinstance(day, dt.date)
            and isinstance(article_id, str)
            and isinstance(sentence_start, int)
            and isinstance(event_id, str)
        ):
            return None
        d = day.toordinal()
        a = int(np.searchsorted(self.day, d, side="left"))
        b = int(np.searchsorted(self.day, d, side="right"))
        rest = (article_id, sentence_start, event_id)
        return (
            bisect.bisect_right(
                range(a, b), rest, key=lambda i: (self.article_id[i], self.sentence_start[i], self.id[i])
            )
            + a
        )

    def records(self, positions: Sequence[int]) -> list[bytes] | None:
        """The records of these positions, or None when they are not held in memory."""
        offsets = self.record_offsets
        if offsets is None:
            return None
        data = self.record_bytes
        return [data[offsets[p] : offsets[p + 1]] for p in positions]

    def by_id(self, ids: Sequence[str]) -> dict[str, tuple[int, bytes]] | None:
        """(sentence_start, record) of the events with these ids that exist, or None when the
        records are not held in memory."""
        if self.record_offsets is None:
            return None
        with self._lock:
            if not self._position:
                self._position.update((i, p) for p, i in enumerate(self.id))
        known = [(i, p) for i in ids if (p := self._position.get(i)) is not None]
        held = self.records([p for _, p in known])
        assert held is not None
        return {i: (self.sentence_start[p], r) for (i, p), r in zip(known, held, strict=True)}

    def keys(self, positions: Sequence[int]) -> list[tuple[Any, ...]]:
        """(rowid, coalesce(date, FAR), article_id, sentence_start, id) of each position."""
        return [
            (
                int(self.rowid[p]),
                dt.date.fromordinal(int(self.day[p])),
                self.article_id[p],
                self.sentence_start[p],
                self.id[p],
            )
            for p in positions
        ]


_EMPTY = np.zeros(0, dtype=np.int64)


class _Unindexable(Exception):
    """The table holds something the index cannot represent exactly (the SQL path answers)."""


class Indexes:
    """One of this server's indexes: the one of the current data version, rebuilt in the
    background after a change (at most one build at a time, and no sooner after the last
    build than three times what it took, so a store written every few seconds costs the
    server at most a quarter of its time in builds); ``None`` until it is ready."""

    def __init__(self, access: Access, build: Callable[[duckdb.DuckDBPyConnection], Any]):
        self.access = access
        self._build = build
        self._lock = threading.Lock()
        self._current: tuple[tuple[int, ...], Any] | None = None
        self._building = False
        self._next_build = 0.0
        self.unindexable: tuple[int, ...] | None = None  # a version the index cannot represent

    def get(self, version: tuple[int, ...] | None = None) -> Any | None:
        version = version if version is not None else self.access.version()
        with self._lock:
            current = self._current
            if current is not None and current[0] == version:
                return current[1]
            if self._building or self.unindexable == version or time.monotonic() < self._next_build:
                return None
            self._building = True
        threading.Thread(target=self._rebuild, name="api-index", daemon=True).start()
        return None

    def _rebuild(self) -> None:
        started = time.monotonic()
        built: tuple[tuple[int, ...], Any] | None = None
        version: tuple[int, ...] | None = None
        try:
            version = self.access.version()  # before reading: a change meanwhile shows as a newer one
            with self.access.read() as con:
                built = (version, self._build(con))
        except _Unindexable as exc:
            log.info("served by SQL: %s", exc)
        except Exception:  # noqa: BLE001 - the SQL path serves on; a new version is tried again
            log.exception("building an index failed")
        took = time.monotonic() - started
        with self._lock:
            if built is not None:
                self._current = built
            elif version is not None:
                self.unindexable = version
            self._building = False
            self._next_build = time.monotonic() + 3 * took

    def wait(self, timeout: float = 30.0) -> Any | None:
        """The index of the current version, building it now if need be (tests, warm-up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            version = self.access.version()
            found = self.get(version)
            if found is not None or self.unindexable == version:
                return found
            time.sleep(0.02)
        return None


#: the filters the index answers; any other one set (mode, actor, dyad, bbox, ... and any filter
#: added to ``Filters`` later) leaves the page to SQL, so both give the same rows
HELD = frozenset({"country", "type", "factuality", "include_unconfirmed", "since", "until", "text", "limit"})


def _beyond_index(f: Filters) -> bool:
    """Whether ``f`` sets a filter the index does not hold."""
    return any(getattr(f, x.name) != x.default for x in fields(f) if x.name not in HELD)
