"""The fused reports in reach of a writer's batches, held in memory between its fusion passes.

Fusion compares a batch's new reports with the fused events that have a dated report of their
type within reach of their dates (``FuseTables.members_in_reach``). Asking the store costs a
scan and a hash join of ``fused_days`` (each fused report's type and day) and
``fused_members`` (its fused event) per batch, more as they grow
(zone maps do not help: a row group holds 122,880 rows, and reports recalling old events
spread any group's days over decades). A run is the one writer of its fused tables while it
holds the file, so ``FusedReach`` keeps what it read of them and what it wrote, and answers
from memory the next batches, whose dates are mostly those the batches just before had:

- **Blocks of days.** The store's rows of a ``BLOCK`` of days are read all at once, with the
  whole of every fused event they belong to, the first time a pass needs a day of the block.
  The days after the last the store had when the index was filled (``_beyond``) hold nothing
  the index does not hold, as long as only this writer writes: a run whose dates move forward
  reads no block at all. What a pass writes goes into the index as into the store.
- **Bounded.** A block no pass used in the last ``keep`` is let go of, with the fused events
  that have no report left in a block held; so memory depends on how many reports lie within
  reach of recent batches, not on the store's size.
- **The store stays the truth.** Each pass first reads a change token (row counts of
  ``fuse_log``, ``fused_members`` and ``fused_days``: fusion and ``unmerge`` log every
  membership they write, so another connection's or process's merge or unmerge shows there)
  and lets go of everything when it is not the one its own last pass left; a pass that fails
  lets go too (its writes were rolled back). A hand edit of these tables that leaves every
  count as it was is not seen; a new run (or ``clear()``) starts afresh.
- **Only where it can answer exactly.** A store whose ``fused_days`` and ``fused_members``
  disagree (a report in one and not the other, or twice in ``fused_days``: edited by hand)
  turns it off, and ``members`` returns None where it cannot
  answer as the SQL would: the caller then asks the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import duckdb

if TYPE_CHECKING:
    from ..records import Report

#: days read from the store at once (a window reaches up to 31 days either side of a date)
BLOCK = 32

_TOKEN = "SELECT (SELECT count(*) FROM fuse_log), (SELECT count(*) FROM fused_members), (SELECT count(*) FROM fused_days)"
# reports in one of the two tables and not in the other, or twice in fused_days, which has no key
# (a store edited by hand): the index holds the two as one, so it is not used for such a store
_DISAGREE = """
SELECT (SELECT count(*) FROM fused_members m FULL JOIN fused_days d ON d.report_id = m.report_id
        WHERE m.report_id IS NULL OR d.report_id IS NULL)
     + (SELECT count(*) - count(DISTINCT report_id) FROM fused_days)
"""
# the fused reports on some days (the days of the blocks $1..$2 ranges), with their fused events
# (none: the tables disagree)
_ON_DAYS = """
SELECT d.report_id, m.fused_id FROM fused_days d
JOIN (SELECT unnest(?) AS lo, unnest(?) AS hi) w ON d.day BETWEEN w.lo AND w.hi
LEFT JOIN fused_members m ON m.report_id = d.report_id
"""
# every report of some fused events, with its day row (none: the tables disagree)
_OF_EVENTS = """
SELECT m.report_id, m.fused_id, m.article_id, d.report_id, d.type, d.day, d.dated
FROM fused_members m LEFT JOIN fused_days d ON d.report_id = m.report_id
WHERE m.fused_id IN (SELECT unnest(?))
"""


class Row(NamedTuple):
    """One fused report as the index holds it: ``fused_members`` and ``fused_days`` in one."""

    fused_id: str
    type: str
    day: int  # its date's ordinal (``fused_days.day``)
    dated: bool
    article_id: str


def _block(day: int) -> int:
    return day // BLOCK


def _days_of(block: int) -> tuple[dt.date, dt.date]:
    first, last = max(block * BLOCK, 1), min(block * BLOCK + BLOCK - 1, dt.date.max.toordinal())
    return dt.date.fromordinal(first), dt.date.fromordinal(last)


class FusedReach:
    """See the module. ``enabled=False``: never answers (every pass asks the store)."""

    def __init__(self, keep: int = 64, enabled: bool = True) -> None:
        self.keep, self.enabled = keep, enabled
        self._pass = 0
        self.answers = 0  # passes it answered (for benchmarks and tests)
        self.loads = 0  # blocks read from the store
        self.resets = 0  # times it let go of everything (a change by another writer, a failed pass)
        self._off = False  # the store's tables disagree: never answer for this store
        self._checked = 0  # the pass ``check`` last found it in step
        self.clear()

    def clear(self) -> None:
        """Let go of everything: the next pass starts afresh from the store."""
        self._token: tuple[int, ...] | None = None
        self._rows: dict[str, Row] = {}  # report id -> its row, for every report of an event held
        self._events: dict[str, set[str]] = {}  # fused id -> all its reports (in the store)
        self._days: dict[int, set[str]] = {}  # day held -> the reports on it
        # type -> day held -> the fused events with a dated report of that type on that day, and
        # how many: the events in reach of a window are those of its days
        self._near: dict[str, dict[int, dict[str, int]]] = {}
        self._blocks: dict[int, int] = {}  # block held, or written to, -> the last pass that used it
        self._beyond = 0  # this block and every later one: the store has nothing the index lacks
        self.answered = False  # this pass's ``members`` answered (so its writes go in)

    def __len__(self) -> int:
        return len(self._rows)

    def turn(self) -> None:
        """Start a pass; let go of the blocks no pass used in the last ``keep``."""
        self._pass += 1
        self.answered = False
        old = [b for b, used in self._blocks.items() if used <= self._pass - self.keep]
        if not old:
            return
        # a block let go of that was held for being beyond: the blocks between are held only if
        # in ``_blocks`` (every block beyond that holds a report is: ``write``)
        self._beyond = max(self._beyond, max(old) + 1)
        gone = set(old)
        for b in gone:
            del self._blocks[b]
        loose = set()
        for day in [d for d in self._days if _block(d) in gone]:
            for r in self._days.pop(day):
                row = self._rows[r]
                self._near.get(row.type, {}).pop(day, None)
                loose.add(row.fused_id)
        for fid in loose:  # an event with no report on a day held is let go of
            reports = self._events.get(fid, ())
            if not any(self._held(_block(self._rows[r].day)) for r in reports):
                for r in self._events.pop(fid, ()):
                    del self._rows[r]

    def _held(self, block: int) -> bool:
        return block >= self._beyond or block in self._blocks

    # -- in step with the store --------------------------------------------------

    def check(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Whether it can answer this pass: let go of everything if the store changed since its
        own last pass (or it holds nothing yet), and start afresh from the store's state."""
        if not self.enabled or self._off:
            return False
        if self._checked == self._pass and self._token is not None:
            return True  # already this pass (which has written nothing yet)
        token = con.execute(_TOKEN).fetchone()
        assert token is not None
        if token != self._token:
            if self._token is not None:
                self.resets += 1
            self.clear()
            disagree = con.execute(_DISAGREE).fetchone()
            if disagree and disagree[0]:
                self._off = True
                return False
            last = con.execute("SELECT max(day) FROM fused_days").fetchone()
            self._beyond = _block(last[0].toordinal()) + 1 if last and last[0] is not None else 0
            self._token = tuple(token)
        self._checked = self._pass
        return True

    def settle(self, con: duckdb.DuckDBPyConnection) -> None:
        """After this writer's pass wrote (in its transaction): the token it left."""
        if self._token is not None and self.answered:
            token = con.execute(_TOKEN).fetchone()
            assert token is not None
            self._token = tuple(token)
        else:
            self.clear()

    # -- reading -----------------------------------------------------------------

    def members(
        self,
        con: duckdb.DuckDBPyConnection,
        windows: tuple[list[str], list[dt.date], list[dt.date]],
        articles: set[str],
        lo: dt.date,
        hi: dt.date,
    ) -> list[tuple[str, str, str]] | None:
        """(fused id, report id, article id) of the reports ``FuseTables.members_in_reach`` reads, when no
        report of ``articles`` is fused yet (the caller knows: ``pending`` read them all); None
        when a block it read shows the two tables disagree (it is then off for this store)."""
        types, starts, ends = windows
        spans = [(t, s.toordinal(), e.toordinal()) for t, s, e in zip(types, starts, ends, strict=True)]
        needed = {b for _, s, e in spans for b in range(_block(s), _block(e) + 1)}
        for b in needed:
            if b in self._blocks or b >= self._beyond:
                self._blocks[b] = self._pass
        self._load(con, sorted(b for b in needed if not self._held(b)))
        if self._off:  # the store was edited by hand since ``check``: let the caller ask it
            return None
        near: dict[str, int] = {}
        for type_, first, last in spans:
            if (days := self._near.get(type_)) is not None:
                for day in range(first, last + 1):
                    if (there := days.get(day)) is not None:
                        near.update(there)
        out = []
        first, last = lo.toordinal(), hi.toordinal()
        rows = self._rows
        for fid in near:
            keep = []
            for r in self._events[fid]:
                row = rows[r]
                if first <= row.day <= last:
                    if not row.dated and row.article_id not in articles:
                        break  # an undated report of another article: the event takes nothing new
                    keep.append((fid, r, row.article_id))
            else:
                out += keep
        self.answered = True
        self.answers += 1
        return out

    def fused(self, reports: Iterable[tuple[str, dt.date]]) -> tuple[set[str], list[str]]:
        """Of these (report id, day) (``fused_days.day``), after ``check``: those fused, and those
        on days not held, which the index cannot tell."""
        fused, unknown = set(), []
        for rid, day in reports:
            n = day.toordinal()
            if not self._held(_block(n)):
                unknown.append(rid)
            elif rid in self._days.get(n, ()):
                fused.add(rid)
        return fused, unknown

    def members_of(self, fused_ids: Iterable[str]) -> tuple[list[tuple[str, str, str]], list[str]]:
        """(fused id, report id, article id) of every report of these fused events that are held, after this
        pass's ``members`` answered and its writes went in; and the fused ids not held."""
        rows, unknown = [], []
        for fid in fused_ids:
            if fid in self._events:
                rows += [(fid, r, self._rows[r].article_id) for r in self._events[fid]]
            else:
                unknown.append(fid)
        return rows, unknown

    def _load(self, con: duckdb.DuckDBPyConnection, blocks: list[int]) -> None:
        if not blocks:
            return
        self.loads += len(blocks)
        spans: list[list[int]] = []
        for b in blocks:
            if spans and spans[-1][1] == b - 1:
                spans[-1][1] = b
            else:
                spans.append([b, b])
        los = [_days_of(s[0])[0] for s in spans]
        his = [_days_of(s[1])[1] for s in spans]
        found = con.execute(_ON_DAYS, [los, his]).fetchall()
        new = sorted({fid for _, fid in found if fid is not None and fid not in self._events})
        read = con.execute(_OF_EVENTS, [new]).fetchall() if new else []
        seen: set[str] = set()
        for rid, fid, article, day_rid, type_, day, dated in read:
            if day_rid is None or rid in seen:  # a report in one table only, or twice in fused_days
                self._disagree()
                return
            seen.add(rid)
            self._rows[rid] = Row(fid, type_, day.toordinal(), dated, article)
            self._events.setdefault(fid, set()).add(rid)
        for b in blocks:
            self._blocks[b] = self._pass
        for rid, fid in found:
            if (row := self._rows.get(rid)) is None or row.fused_id != fid:  # fid None: no membership
                self._disagree()
                return
            if rid not in self._days.get(row.day, ()):
                self._place(rid, row)

    def _place(self, rid: str, row: Row) -> None:
        """Put a report on its (held) day."""
        self._days.setdefault(row.day, set()).add(rid)
        if row.dated:
            there = self._near.setdefault(row.type, {}).setdefault(row.day, {})
            there[row.fused_id] = there.get(row.fused_id, 0) + 1

    def _unplace(self, rid: str, row: Row) -> None:
        if rid not in self._days.get(row.day, ()):
            return
        self._days[row.day].discard(rid)
        if row.dated:
            there = self._near[row.type][row.day]
            there[row.fused_id] -= 1
            if not there[row.fused_id]:
                del there[row.fused_id]

    def _disagree(self) -> None:
        self.clear()
        self._off = True

    # -- writing -----------------------------------------------------------------

    def write(self, members: Iterable[tuple[str, str, str, str]], reports: Mapping[str, Report]) -> None:
        """(report id, fused id, article id, how) memberships this pass wrote to the store."""
        if not self.answered:
            return  # the pass asked the store: ``settle`` lets go
        for rid, fid, article, how in members:
            report = reports[rid]
            assert report.date is not None  # a counted report's date or its ingestion day
            row = Row(fid, report.type, report.date.toordinal(), report.date_basis != "ingested", article)
            block = _block(row.day)
            if (old := self._rows.pop(rid, None)) is not None:
                if self._held(block):
                    self._unplace(rid, old)
                held = self._events[old.fused_id]
                held.discard(rid)
                if not held:
                    del self._events[old.fused_id]
            if fid not in self._events:
                if how != "founded" and how != "split":  # joined an event the index never read
                    self.answered = False
                    return
                if not self._held(block):
                    continue  # founded on a day not held: read with its day when needed
                self._events[fid] = set()
            self._events[fid].add(rid)
            self._rows[rid] = row
            if self._held(block):
                self._place(rid, row)
                self._blocks.setdefault(block, self._pass)
