"""Fused-event tables (schema_fused.sql): reading reports, writing memberships, the merge log.

The raw ``events`` table is never changed: every coded report stays there, and
``fused_members`` says which fused event each counted report belongs to.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import duckdb

from ..knowledge.ontology import STATEMENT_TYPES
from ..records import COUNTED, NUMBER_FIELDS, FusedEvent, Report, shift_date
from .duckdb import insert_rows
from .filters import DATED
from .reach import FusedReach

_COUNTED = f"e.factuality IN ({', '.join(repr(c) for c in COUNTED)})"
# public statements (CAMEO 01) are never fused: the tension index, its volume and alerts never see them;
# the last column is the article's context country: the one most of its placed events are in,
# a tie going to the one placed first (DuckDB's mode() breaks ties differently from run to run),
# counted for the articles read alone, not for the whole store (a subquery per row that DuckDB
# ran over every event). {events} is a condition on the events table alone, on its key or
# article_id, {articles} one on the articles', and {told} the events of those articles: each is
# taken first on their own (MATERIALIZED: DuckDB would otherwise push the other conditions into one
# scan), so that DuckDB looks them up in the tables' indexes instead of reading every event and
# every article, which made each batch's fusion slower as the store grew
_REPORT_SQL = f"""
WITH e AS MATERIALIZED (SELECT * FROM events WHERE {{events}}),
a AS MATERIALIZED (SELECT id, seq, ingested_at, source, title, path FROM articles WHERE {{articles}}),
told AS MATERIALIZED ({{told}}),
ctx AS (
    SELECT article_id, place_country, row_number() OVER (
        PARTITION BY article_id ORDER BY count(*) DESC, min(sentence_start), place_country) AS k
    FROM told WHERE place_country <> '' GROUP BY article_id, place_country
)
SELECT e.id, e.article_id, e.type, coalesce(e.mode, ''), e.quad_class, e.score,
       list_concat(e.source_countries, e.source_orgs), list_concat(e.target_countries, e.target_orgs),
       e.date, e.date_precision, e.factuality, e.sentence, e.sentence_start, e.record,
       CAST(a.ingested_at AS DATE), coalesce(nullif(a.source, ''), nullif(a.title, ''), a.path, ''),
       c.place_country, a.seq
FROM e JOIN a ON a.id = e.article_id LEFT JOIN ctx c ON c.article_id = e.article_id AND c.k = 1
WHERE {_COUNTED} AND e.type NOT IN ({", ".join(repr(t) for t in STATEMENT_TYPES)})
"""
# the articles of the events read, and all the events of those articles (for the articles' context);
# an article's events are read by its number (``seq``, which they carry), not by an index on their
# article: events are stored in article order, so DuckDB reads only the row groups holding the
# numbers it looks for (the numbers' min and max, pushed into the scan), and an index on
# ``events.article_id`` held memory that grew with the store (step 9 drops it)
_THEIR_ARTICLES = "id IN (SELECT article_id FROM e)"
_THEIR_EVENTS = (
    "SELECT article_id, place_country, sentence_start FROM events WHERE seq IN (SELECT seq FROM a)"
)
# the reports of the articles $1 (every event of theirs read once, for the reports and their context)
_OF_ARTICLES = _REPORT_SQL.format(
    events="seq IN (SELECT seq FROM articles WHERE id IN (SELECT unnest($1)))",
    articles="id IN (SELECT unnest($1))",
    told="SELECT article_id, place_country, sentence_start FROM e",
)
# the reports $1, of the articles $2: read by their articles' numbers (``seq``), which lead the events'
# key (schema step 11), so that DuckDB reads only the row groups holding them; an event's id alone
# is found by a scan of every id, which grows with the store
_BY_ID = _REPORT_SQL.format(
    events="seq IN (SELECT seq FROM articles WHERE id IN (SELECT unnest($2))) AND id IN (SELECT unnest($1))",
    articles="id IN (SELECT unnest($2))",
    told=_THEIR_EVENTS,
)
# the reports not in any fused event (a catch-up: the whole store is read)
_UNFUSED = _REPORT_SQL.format(
    events="id NOT IN (SELECT report_id FROM fused_members)", articles=_THEIR_ARTICLES, told=_THEIR_EVENTS
)
#: articles reporting dated fused events, by the events' date and date precision
Volume = dict[tuple[dt.date, str], set[str]]
# which fused event each report is in, looked up by fused id in ``fused_members`` alone (the
# reports themselves, counted ones only, come from `ReportCache`), not joined with the events and
# articles: a join DuckDB ran by reading the whole of both tables for every batch
_MEMBER_SQL = "SELECT fused_id, report_id, article_id FROM fused_members WHERE fused_id IN (SELECT unnest(?))"
# which of the reports $1, of the articles numbered $2, are fused: read by their articles' numbers,
# which lead the members' key (schema step 12), so that DuckDB reads only the row groups holding them;
# a report id alone is found by a scan of every id, which grows with the store
_FUSED = "SELECT report_id FROM fused_members WHERE seq IN (SELECT unnest($2)) AND report_id IN (SELECT unnest($1))"
# the numbers (``seq``) of these articles: a member's row carries its article's number, which leads the
# members' key. Fusion knows them from the reports it read (the last column of ``_REPORT_SQL``); this
# read (a scan of the articles' ids) is for any it was not told
_SEQS = "SELECT id, seq FROM articles WHERE id IN (SELECT unnest(?))"
# the numbers of these fused events (their founders' articles', which lead the fused events' key,
# schema step 13): a scan of every fused id, for the events a run has not written nor founded
_FUSED_SEQS = "SELECT id, seq FROM fused_events WHERE id IN (SELECT unnest(?))"


def _report(row: tuple[Any, ...]) -> Report:
    """A Report from a row of ``_REPORT_SQL``."""
    (rid, article, type_, mode, quad, score, src, tgt, date, precision, fact, sentence, start, record,
     ingested, outlet, context, _seq) = row  # fmt: skip
    rec = json.loads(record)
    place = rec.get("place") or {}
    numbers = rec.get("numbers") or {}
    return Report(
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


def _windows(
    reports: Iterable[Report], reach: dt.timedelta
) -> tuple[list[str], list[dt.date], list[dt.date]]:
    """The days within ``reach`` of the dated reports' dates, by type, as few (type, first day,
    last day) spans as cover them: columns for ``members_in_reach``."""
    spans: dict[str, list[tuple[dt.date, dt.date]]] = {}
    dated = sorted((r.date, r.type) for r in reports if r.date_basis != "ingested" and r.date is not None)
    for day, type_ in dated:
        lo, hi = shift_date(day, -reach), shift_date(day, reach)
        merged = spans.setdefault(type_, [])
        if merged and lo <= shift_date(merged[-1][1], 1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    cols = [(t, lo, hi) for t, merged in sorted(spans.items()) for lo, hi in merged]
    return [c[0] for c in cols], [c[1] for c in cols], [c[2] for c in cols]


class ReportCache:
    """Reports already read from the store, by id, so that a run reads and parses each only once.

    A report never changes once stored: its event and article rows are written once, in one
    transaction, and never updated, and everything a Report holds comes from them. So the
    cache needs no invalidation; it only must not outlive its store (one per run).

    It keeps the reports used in the last ``keep`` fusion passes (``turn`` starts one): a pass
    reads the reports in reach of its new ones, mostly those the passes just before it read or
    brought, while reports whose dates the run has left behind are not asked for again. So what
    it holds depends on how many reports lie within reach of a few batches, not on how many the
    store holds, and a run's memory stays flat as the store grows (a report asked for after it
    was let go is read from the store again: the same report).

    It also carries the run's ``FusedReach`` (``reach``): which fused reports are in reach of
    the batches, which, unlike the reports, changes (store/reach.py says how it stays in step).
    """

    def __init__(self, keep: int = 64, reach: bool = True) -> None:
        self.keep = keep
        self.reach = FusedReach(keep, enabled=reach)
        self._pass = 0
        # report id -> (the pass that last used it, the report), least recently used first
        self._reports: OrderedDict[str, tuple[int, Report]] = OrderedDict()
        # the numbers (``seq``) of the held reports' articles, with how many of them each holds
        self._seqs: dict[str, list[int]] = {}
        # fused id -> (the pass that last wrote it, its number: its founder's article's, which leads
        # the fused events' key, schema step 13), least recently written first
        self._fused: OrderedDict[str, tuple[int, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._reports)

    def turn(self) -> None:
        """Start a pass; let go of the reports no pass used in the last ``keep``."""
        self._pass += 1
        self.reach.turn()
        while self._reports and next(iter(self._reports.values()))[0] <= self._pass - self.keep:
            _, (_, report) = self._reports.popitem(last=False)
            if (held := self._seqs.get(report.article_id)) is not None:
                held[1] -= 1
                if held[1] <= 0:
                    del self._seqs[report.article_id]
        while self._fused and next(iter(self._fused.values()))[0] <= self._pass - self.keep:
            self._fused.popitem(last=False)

    def seq(self, article_id: str) -> int | None:
        """The number of a held report's article (None: not known here)."""
        held = self._seqs.get(article_id)
        return held[0] if held is not None else None

    def fused_seq(self, fused_id: str) -> int | None:
        """The number of a fused event written in the last ``keep`` passes (None: not known here)."""
        held = self._fused.get(fused_id)
        return held[1] if held is not None else None

    def hold_fused(self, fused_id: str, seq: int | None) -> None:
        """Hold a fused event's number (written now); None: it is gone."""
        self._fused.pop(fused_id, None)
        if seq is not None:
            self._fused[fused_id] = (self._pass, seq)

    def get(self, con: duckdb.DuckDBPyConnection, ids: Mapping[str, str]) -> dict[str, Report]:
        """The counted reports with these ids (report id -> its article's id), read from the store
        where not cached."""
        found = {}
        for i in ids:
            if (held := self._reports.get(i)) is not None:
                found[i] = held[1]
        self.add(found.values())  # used now
        missing = [i for i in ids if i not in found]
        if missing:
            articles = sorted({ids[i] for i in missing})
            rows = con.execute(_BY_ID, [missing, articles]).fetchall()
            read = [_report(r) for r in rows]
            found.update((r.id, r) for r in read)
            self.add(read, {r[1]: r[-1] for r in rows})
        return found

    def add(self, reports: Iterable[Report], seqs: Mapping[str, int] | None = None) -> None:
        """Hold these reports (used now); ``seqs``: their articles' numbers (article id -> seq)."""
        for report in reports:
            if report.id not in self._reports and seqs is not None and report.article_id in seqs:
                held = self._seqs.setdefault(report.article_id, [seqs[report.article_id], 0])
                held[1] += 1
            self._reports[report.id] = (self._pass, report)
            self._reports.move_to_end(report.id)


# a membership written again (a report moved by a merge or an unmerge): its fused event changes,
# with how and why. fused_days holds no fused id, so a move writes nothing there
_MOVED_MEMBER = (
    " ON CONFLICT (seq, report_id) DO UPDATE SET fused_id = excluded.fused_id, how = excluded.how,"
    " score = excluded.score, reason = excluded.reason, logged_at = now()"
)


class Member(NamedTuple):
    report_id: str
    fused_id: str
    article_id: str
    how: str  # founded | merged | split
    score: float
    reason: str


class FuseTables:
    def __init__(self, con: duckdb.DuckDBPyConnection, cache: ReportCache | None = None) -> None:
        self.con = con
        self.cache = cache if cache is not None else ReportCache()
        self.fresh: dict[str, Report] = {}  # the reports ``pending`` gave
        self.fresh_seqs: dict[str, int] = {}  # their articles' numbers (article id -> seq)
        # articles ``pending`` was given when it found none of their counted reports fused
        self.unfused_articles: frozenset[str] = frozenset()
        self.rows_read = 0  # fused reports ``members_in_reach`` read (bounded: see there)

    # -- reading -------------------------------------------------------------

    def pending(self, article_ids: Sequence[str] | None = None) -> list[Report]:
        """Counted reports not yet in any fused event (of these articles, when given)."""
        if article_ids is None:
            read = self.con.execute(_UNFUSED).fetchall()
            reports = [_report(r) for r in read]
        else:
            read = self.con.execute(_OF_ARTICLES, [list(article_ids)]).fetchall()
            # the fused ones: those the run's index knows of, the others looked up by key (not
            # every fused report's id read per batch)
            ask = [r[0] for r in read]
            fused: set[str] = set()
            if self.cache.reach.check(self.con):  # a report's day: its date or its article's ingestion
                fused, ask = self.cache.reach.fused((r[0], r[8] or r[14]) for r in read)
            if ask:
                asked = set(ask)
                numbers = sorted({r[-1] for r in read if r[0] in asked})  # their articles', as read
                fused |= {r[0] for r in self.con.execute(_FUSED, [ask, numbers]).fetchall()}
            reports = [_report(r) for r in read if r[0] not in fused]
            self.unfused_articles = frozenset() if fused else frozenset(article_ids)
        self.fresh = {r.id: r for r in reports}
        self.fresh_seqs = {r[1]: r[-1] for r in read}
        # an undated report is read again only with its own article: it is not kept beyond this pass
        self.cache.add((r for r in reports if r.date_basis != "ingested"), self.fresh_seqs)
        return sorted(reports, key=lambda r: r.sort_key)

    def members_in_reach(
        self, reports: Sequence[Report], reach: dt.timedelta, lo: dt.date, hi: dt.date
    ) -> list[tuple[Report, str]]:
        """The fused reports that ``reports`` can be compared with, with their fused ids.

        Only fused events that have a dated report of some new report's type within ``reach``
        of its date (looked up in ``fused_days`` by type and day, their fused ids in
        ``fused_members``), or a report of the same
        articles, can take one of them or merge with an event that does (an event's reports
        are never further apart than the widest window; an undated report fuses only within
        its own article, see fuse/match.py). Of those events, their reports dated in [lo, hi]
        or from these articles are read; but none of an event that holds an undated report of
        another article: such an event can take nothing new. So the rows read depend on how
        many reports lie near the new ones, not on how many the store holds.

        A run's cache answers from memory (``FusedReach``, store/reach.py) when ``pending`` found
        none of these reports' articles' reports fused; the store is asked otherwise.
        """
        articles = sorted({r.article_id for r in reports})
        windows = _windows(reports, reach)
        if self.unfused_articles.issuperset(articles) and self.cache.reach.check(self.con):
            # from memory: no fused report of these articles to add (none is fused yet)
            found = self.cache.reach.members(self.con, windows, set(articles), lo, hi)
            if found is not None:
                self.rows_read += len(found)
                return self._members(found)
        types, starts, ends = windows
        sql = """
        WITH near AS (
            SELECT m.fused_id FROM fused_days d
            JOIN (SELECT unnest(?) AS type, unnest(?) AS lo, unnest(?) AS hi) w
              ON d.type = w.type AND d.day BETWEEN w.lo AND w.hi
            JOIN fused_members m ON m.report_id = d.report_id
            WHERE d.dated
            UNION SELECT fused_id FROM fused_members WHERE article_id IN (SELECT unnest(?))
        ), rows AS (
            SELECT m.fused_id, m.report_id, m.article_id, NOT d.dated AND m.article_id NOT IN (SELECT unnest(?)) AS inert
            FROM fused_members m JOIN fused_days d ON d.report_id = m.report_id
            WHERE m.fused_id IN (SELECT fused_id FROM near)
              AND (d.day BETWEEN ? AND ? OR m.article_id IN (SELECT unnest(?)))
        )
        SELECT fused_id, report_id, article_id FROM rows WHERE fused_id NOT IN (SELECT fused_id FROM rows WHERE inert)
        """
        params = [types, starts, ends, articles, articles, lo, hi, articles]
        rows = self.con.execute(sql, params).fetchall()
        self.rows_read += len(rows)
        return self._members(rows)

    def _members(self, rows: list[tuple[str, str, str]]) -> list[tuple[Report, str]]:
        """(report, fused id) for (fused id, report id, article id) rows of counted reports, in date
        order: not in whatever order DuckDB's threads return rows, so that where a report matches
        two fused events equally well, the one reported first wins every time."""
        reports = {rid: self.fresh[rid] for _, rid, _ in rows if rid in self.fresh}
        reports.update(self.cache.get(self.con, {rid: aid for _, rid, aid in rows if rid not in reports}))
        return sorted(
            ((reports[rid], fid) for fid, rid, _ in rows if rid in reports), key=lambda rf: rf[0].sort_key
        )

    def blocks(self) -> set[tuple[str, str]]:
        return {(r, f) for r, f in self.con.execute("SELECT report_id, fused_id FROM fuse_blocks").fetchall()}

    def reports_of(self, fused_ids: Iterable[str]) -> dict[str, list[Report]]:
        rows: list[tuple[str, str, str]] = []
        ask = list(fused_ids)
        if self.cache.reach.answered:  # the events of this pass's fusion: known to the run's index
            rows, ask = self.cache.reach.members_of(ask)
        if ask:
            rows += self.con.execute(_MEMBER_SQL, [ask]).fetchall()
        out: dict[str, list[Report]] = {}
        for report, fid in self._members(rows):
            out.setdefault(fid, []).append(report)
        return out

    def resolve(self, prefix: str) -> str | None:
        """The fused event id a unique prefix names (or the id itself: ids are hashes of one
        length, so none extends another), or None."""
        if self.con.execute("SELECT 1 FROM fused_events WHERE id = ?", [prefix]).fetchone():
            return prefix  # a lookup in the key's index, not a scan of every id
        rows = self.con.execute(
            "SELECT id FROM fused_events WHERE id = ? OR id LIKE ? || '%' LIMIT 2", [prefix, prefix]
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def fused_of_report(self, report_id: str) -> str | None:
        row = self.con.execute(
            "SELECT fused_id FROM fused_members WHERE report_id = ?", [report_id]
        ).fetchone()
        return row[0] if row else None

    def record(self, fused_id: str) -> dict[str, Any] | None:
        """A fused event as its stored JSON record (what `powderkeg show --json` prints)."""
        row = self.con.execute("SELECT record FROM fused_events WHERE id = ?", [fused_id]).fetchone()
        return json.loads(row[0]) if row else None

    def events_of(self, fused_ids: Iterable[str]) -> list[FusedEvent]:
        """These fused events (in no particular order; unknown ids are left out)."""
        rows = self.con.execute(
            "SELECT record FROM fused_events WHERE id IN (SELECT unnest(?))", [list(fused_ids)]
        ).fetchall()
        return [FusedEvent.from_dict(json.loads(r[0])) for r in rows]

    def events(self, since: dt.date | None = None, until: dt.date | None = None) -> list[FusedEvent]:
        """Fused events dated in [since, until] (either open), oldest first: what the tension index
        and the alert rules read, so never those placed on the day an undated article was ingested
        (``DATED``)."""
        rows = self.con.execute(
            "SELECT record FROM fused_events WHERE (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?)"
            f" AND {DATED} ORDER BY date, id",
            [since, since, until, until],
        ).fetchall()
        return [FusedEvent.from_dict(json.loads(r[0])) for r in rows]

    def volume(self, since: dt.date | None, until: dt.date | None) -> Volume:
        """For each date and date precision, the articles reporting any dated fused event with that
        date (news volume; a series counts those its events count, see ``analyze.index``)."""
        rows = self.con.execute(
            "SELECT f.date, coalesce(f.date_precision, 'day'), list(DISTINCT m.article_id)"
            " FROM fused_events f JOIN fused_members m"
            " ON m.fused_id = f.id WHERE (? IS NULL OR f.date >= ?) AND (? IS NULL OR f.date <= ?)"
            f" AND {DATED.replace('date_basis', 'f.date_basis')} GROUP BY 1, 2",
            [since, since, until, until],
        ).fetchall()
        return {(d, p): set(a) for d, p, a in rows if d is not None}

    def log(self, fused_id: str | None = None) -> list[tuple[Any, ...]]:
        where, params = ("WHERE fused_id = ?", [fused_id]) if fused_id is not None else ("", [])
        return self.con.execute(
            f"SELECT seq, logged_at, action, fused_id, report_id, score, reason FROM fuse_log {where} ORDER BY seq",
            params,
        ).fetchall()

    # -- writing -------------------------------------------------------------

    def write_members(
        self, members: Sequence[Member], log: Sequence[Member], reports: Mapping[str, Report]
    ) -> None:
        """Set each report's fused event (one row per report in ``fused_members``; ``reports``
        holds each member's report), give each report fused for the first time its row in
        ``fused_days``, and append the actions to the log. The reports ``pending`` gave have no
        membership yet (it reads, in the same transaction, those without): theirs are inserted
        plainly, DuckDB's ON CONFLICT costing several times the insert, and more as the table
        grows; the others' are updated. A report's ``fused_days`` row (its type and day: facts of
        the report, not of its fused event) is written once and never updated, so a move touches
        ``fused_members`` alone, through its key: ``fused_days`` needs none."""
        fresh = [m for m in members if m.report_id in self.fresh]
        moved = [m for m in members if m.report_id not in self.fresh]
        # each row carries its article's number
        seqs = self._article_seqs({m.article_id for m in members})
        for rows, on_member in ((fresh, ""), (moved, _MOVED_MEMBER)):
            if rows:
                self.con.execute(
                    "INSERT INTO fused_members (report_id, fused_id, article_id, how, score, reason, seq)"
                    " SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?)"
                    + on_member,
                    [
                        *(list(c) for c in zip(*rows, strict=True)),
                        [seqs[m.article_id] for m in rows],
                    ],
                )
        if fresh:
            ids = [m.report_id for m in fresh]
            # a store edited by hand may hold a row here for a report it has not in fused_members:
            # taken out first (a scan of the report ids), unless the run's index answered this
            # pass (it checked the two tables agree when it started, and only this writer wrote)
            if not self.cache.reach.answered:
                self.con.execute("DELETE FROM fused_days WHERE report_id IN (SELECT unnest(?))", [ids])
            told = [reports[rid] for rid in ids]
            self.con.execute(
                "INSERT INTO fused_days (report_id, type, day, dated)"
                " SELECT unnest(?), unnest(?), unnest(?), unnest(?)",
                [
                    ids,
                    [r.type for r in told],
                    [r.date for r in told],
                    [r.date_basis != "ingested" for r in told],
                ],
            )
        self.cache.reach.write(((m.report_id, m.fused_id, m.article_id, m.how) for m in members), reports)
        if log:
            actions = [
                {"founded": "found", "merged": "merge", "split": "unmerge"}.get(m.how, m.how) for m in log
            ]
            self.con.execute(
                "INSERT INTO fuse_log (action, fused_id, report_id, score, reason)"
                " SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?)",
                [actions, [m.fused_id for m in log], [m.report_id for m in log], [m.score for m in log],
                 [m.reason for m in log]],
            )  # fmt: skip

    def block(self, report_id: str, fused_id: str) -> None:
        self.con.execute(
            "INSERT INTO fuse_blocks VALUES (?, ?) ON CONFLICT DO NOTHING", [report_id, fused_id]
        )

    def found(self, fused_id: str, article_id: str) -> None:
        """``fused_id`` was founded now by a report of ``article_id``: its number (``seq``, which
        leads the fused events' key) is that article's, for as long as the event lives."""
        self.cache.hold_fused(fused_id, self._article_seqs([article_id])[article_id])

    def _article_seqs(self, article_ids: Iterable[str]) -> dict[str, int]:
        """The numbers (``seq``) of these articles: known from the reports read, else read from the
        articles; 0 for an article not stored (as in events)."""
        seqs = {a: self.fresh_seqs.get(a, self.cache.seq(a)) for a in article_ids}
        if unknown := [a for a, n in seqs.items() if n is None]:
            seqs.update(self.con.execute(_SEQS, [unknown]).fetchall())
        return {a: n or 0 for a, n in seqs.items()}

    def _delete(self, fused_ids: Sequence[str]) -> dict[str, int]:
        """Delete these fused events' rows; return their numbers (fused id -> seq). Those whose
        number is known (founded or written by this run) are deleted through it, the others found
        by a scan of every id, which grows with the store."""
        known = {f: n for f in fused_ids if (n := self.cache.fused_seq(f)) is not None}
        if unknown := [f for f in fused_ids if f not in known]:
            # read first, then deleted with the others: a DELETE ... RETURNING took three times as long
            known.update(self.con.execute(_FUSED_SEQS, [unknown]).fetchall())
        if known:
            self.con.execute(
                "DELETE FROM fused_events WHERE seq IN (SELECT unnest($1)) AND id IN (SELECT unnest($2))",
                [sorted(set(known.values())), list(known)],
            )
        return known

    def drop(self, fused_id: str) -> None:
        self._delete([fused_id])
        self.cache.hold_fused(fused_id, None)

    def upsert(self, event: FusedEvent) -> None:
        self.upsert_many([event])

    def upsert_many(self, events: Sequence[FusedEvent]) -> None:
        """Replace these fused events' rows: one DELETE and one multi-row INSERT. Each keeps its
        number (``seq``): the one its row had, or for an event founded now its founder's article's
        (``found``); 0 for a new event no one told the founder of."""
        if not events:
            return

        def spread(event: FusedEvent, name: str) -> list[Any]:
            s = event.numbers.get(name)
            return [s.min, s.max] if s else [None, None]

        rows = [
            (
                event.id,
                event.type,
                event.mode,
                event.quad_class,
                event.score,
                event.date,
                event.dates.min if event.dates else None,
                event.dates.max if event.dates else None,
                event.date_precision,
                event.date_basis,
                list(event.source_keys),
                list(event.target_keys),
                event.place_name,
                event.place_country,
                event.factuality,
                len(event.reports),
                event.n_sources,
                *spread(event, "killed"),
                *spread(event, "injured"),
                *spread(event, "arrested"),
                *spread(event, "size"),
                json.dumps(event.to_dict(), ensure_ascii=False),
            )
            for event in events
        ]
        seqs = self._delete([e.id for e in events])
        for event in events:
            self.cache.hold_fused(event.id, seqs.get(event.id, 0))
        insert_rows(
            self.con,
            "fused_events (id, type, mode, quad_class, score, date, date_min, date_max,"
            " date_precision, date_basis, source_keys, target_keys, place_name, place_country, factuality,"
            " n_reports, n_sources, killed_min, killed_max, injured_min, injured_max, arrested_min,"
            " arrested_max, size_min, size_max, record, seq)",
            [(*row, seqs.get(row[0], 0)) for row in rows],
            new_keys=len({row[0] for row in rows}) == len(rows),  # each deleted just above
        )
