"""Fusion reads only the fused events in reach of the new reports (the ``fused_days`` index by
type and day), and fuses exactly as it did when it read every fused report in a date range."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from typing import cast

import duckdb
import pytest

from powderkeg import Store
from powderkeg.fuse import REACH, fuse, span
from powderkeg.fuse.cluster import MAX_WINDOW, Clusters, _days_near
from powderkeg.records import Report
from powderkeg.store.fused import FuseTables, ReportCache
from powderkeg.store.migrations import SCHEMA_VERSION

from .fusion_helpers import article, event

TYPES = ("ASSAULT", "COERCE", "MOBILIZE", "ACCUSE", "CONSULT")
ACTORS = ("SRB", "XKX", "NATO", "", "SRB+NATO", "ALB")
PLACES = (None, None, ("Zvecan", "XKX"), ("Mitrovica", "XKX"), ("Belgrade", "SRB"))


class RangeTables(FuseTables):
    """Fusion's reads before the index: every fused report dated in [lo, hi] or of the new
    reports' articles, but none of an event holding an undated report of another article."""

    def members_in_reach(self, reports, reach, lo, hi):  # type: ignore[no-untyped-def]
        articles = sorted({r.article_id for r in reports})
        sql = """
        WITH near AS (
            SELECT m.fused_id, e.id, e.article_id, e.date IS NULL AND e.article_id NOT IN (SELECT unnest(?)) AS inert
            FROM events e JOIN articles a ON a.id = e.article_id JOIN fused_members m ON m.report_id = e.id
            WHERE coalesce(e.date, CAST(a.ingested_at AS DATE)) BETWEEN ? AND ?
               OR e.article_id IN (SELECT unnest(?))
        )
        SELECT fused_id, id, article_id FROM near WHERE fused_id NOT IN (SELECT fused_id FROM near WHERE inert)
        """
        rows = self.con.execute(sql, [articles, lo, hi, articles]).fetchall()
        self.rows_read += len(rows)
        return self._members(rows)


def feed(days: int, per_day: int, seed: int, undated: float = 0.05):
    """A dense dated feed: ``per_day`` articles a day, each with one to three reports of a few
    types and actors, dated on or a few days before the article, now and then ten years back
    (a report recalling an old event) and now and then undated."""
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    for d in range(days):
        day = start + dt.timedelta(days=d)
        for k in range(per_day):
            art = article(f"d{d}-{k}-{seed}", None if rng.random() < undated else day.isoformat())
            reports = []
            for j in range(rng.randint(1, 3)):
                when: dt.date | None = day - dt.timedelta(days=rng.randint(0, 3))
                if rng.random() < 0.1:
                    when = day - dt.timedelta(days=3652)
                elif rng.random() < undated:
                    when = None
                figures = {"killed": rng.choice((2, 3, 20))} if rng.random() < 0.3 else {}
                reports.append(
                    event(
                        art, rng.choice(TYPES), rng.choice(ACTORS), rng.choice(ACTORS),
                        when.isoformat() if when else None, precision=rng.choice(("day", "day", "week", "month")),
                        place=rng.choice(PLACES), start=40 * j, **figures,
                    )
                )  # fmt: skip
            yield art, reports


def _fuse_in_batches(path, items, batch: int = 8, cache: ReportCache | None = None):
    """Store and fuse ``items`` batch by batch (as a run does, with one cache); each batch's
    touched ids, and the memberships and fused events at the end."""
    touched = []
    with Store(path) as store:
        cache = cache if cache is not None else ReportCache()
        for i in range(0, len(items), batch):
            group = items[i : i + batch]
            store.add_many(group)
            touched.append(fuse(store.con, [a.id for a, _ in group], cache))
        members = store.con.execute(
            "SELECT report_id, fused_id, how, score, reason FROM fused_members ORDER BY 1"
        ).fetchall()
        events = store.con.execute("SELECT id, n_reports, record FROM fused_events ORDER BY id").fetchall()
        index = store.con.execute("SELECT * FROM fused_days ORDER BY report_id").fetchall()
    return touched, members, events, index


@pytest.mark.parametrize("seed", [1, 2])
def test_reading_only_events_in_reach_fuses_as_reading_the_whole_date_range(tmp_path, monkeypatch, seed):
    items = list(feed(days=40, per_day=6, seed=seed))
    new = _fuse_in_batches(tmp_path / "index.duckdb", items)
    monkeypatch.setattr("powderkeg.fuse.FuseTables", RangeTables)
    old = _fuse_in_batches(tmp_path / "range.duckdb", items)
    assert new[:3] == old[:3]
    touched, members, events, index = new
    merged = sum(1 for m in members if m[2] == "merged")
    assert merged > 50 and len(events) > 100  # the feed fuses plenty, not only founds
    assert [r[0] for r in index] == [m[0] for m in members]  # a day row for every fused report


def test_the_rows_fusion_reads_stay_flat_as_the_store_grows(tmp_path):
    """A batch of a dense dated feed reads about as many fused reports with 3,000 articles
    stored as with 650 (once the feed has run longer than the reach both ways), where the date
    range (stretched by reports recalling old events) reads more and more."""
    items = list(feed(days=300, per_day=10, seed=3, undated=0.0))
    reads: dict[str, list[int]] = {"index": [], "range": []}
    with Store(tmp_path / "grow.duckdb") as store:
        cache = ReportCache()
        for i in range(0, len(items), 10):
            group = items[i : i + 10]
            store.add_many(group)
            ids = [a.id for a, _ in group]
            if i // 10 in (65, 66, 67, 297, 298, 299):  # store: ~650 articles, then ~3,000
                pending = FuseTables(store.con).pending(ids)
                for name, tables in (("index", FuseTables(store.con)), ("range", RangeTables(store.con))):
                    tables.members_in_reach(pending, REACH, *span(pending))
                    reads[name].append(tables.rows_read)
            fuse(store.con, ids, cache)
    early_index, late_index = sum(reads["index"][:3]), sum(reads["index"][3:])
    early_range, late_range = sum(reads["range"][:3]), sum(reads["range"][3:])
    assert late_range > 2.5 * early_range, reads  # the feed does stretch the range
    assert late_index < 1.3 * early_index, reads


def test_migrating_a_store_indexes_the_reports_it_had_fused(tmp_path):
    """A store fused before the index (schema 4) gets every fused report's type and day on
    upgrade, so the next fusion finds the events it had."""
    items = list(feed(days=6, per_day=4, seed=5))
    db = tmp_path / "new.duckdb"
    with Store(db) as store:
        store.add_many(items)
        fuse(store.con)
        before = store.con.execute("SELECT * FROM fused_days ORDER BY report_id").fetchall()
    from .test_migrations import _before_step_11

    con = duckdb.connect(str(db))  # back to version 4 (another path: another Access, not yet migrated)
    _before_step_11(con)  # events keyed by id: DuckDB drops no column of a key
    con.execute("DROP TABLE fused_days")
    # and without step 7's numbers (DuckDB alters no indexed table)
    con.execute("DROP INDEX IF EXISTS events_article")
    for table in ("articles", "events", "evidence"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN seq")
    con.execute("CREATE INDEX events_article ON events (article_id)")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.execute("DELETE FROM schema_migrations WHERE version >= 5")
    con.close()
    old = tmp_path / "old.duckdb"
    shutil.copy(db, old)
    with Store(old) as store:
        assert store.migrated == (4, SCHEMA_VERSION)
        after = store.con.execute("SELECT * FROM fused_days ORDER BY report_id").fetchall()
    assert after == before and len(before) > 20
    assert sum(1 for row in before if not row[3]) > 0  # undated reports too, on their ingestion day


class CountedCache(ReportCache):
    """A cache that lets go of reports after ``keep`` passes unused, noting its size per pass."""

    def __init__(self, keep: int) -> None:
        super().__init__(keep)
        self.sizes: list[int] = []

    def turn(self) -> None:
        super().turn()
        self.sizes.append(len(self))


def test_a_cache_that_lets_reports_go_fuses_as_one_that_keeps_them_all(tmp_path):
    """Reports let go of and read again fuse exactly as reports kept all run; and the cache holds
    about as many reports late in a long feed as early: those within reach of the last batches,
    not the whole store."""
    items = list(feed(days=120, per_day=6, seed=4))
    small = CountedCache(keep=3)
    kept_all = _fuse_in_batches(tmp_path / "all.duckdb", items, cache=ReportCache(keep=10**9))
    assert _fuse_in_batches(tmp_path / "small.duckdb", items, cache=small) == kept_all
    early, late = small.sizes[45:55], small.sizes[-10:]  # past the first days in reach; the end
    assert max(late) < 1.3 * max(early), small.sizes


REPORT = Report(
    id="", article_id="a", type="ASSAULT", mode="", quad_class=4, score=-5.0, source_keys=frozenset(),
    target_keys=frozenset(), place_name="", place_country="", place_precision="", lat=None, lon=None,
    date=None, date_precision="unknown", date_basis="ingested", numbers={}, factuality="asserted",
    sentence="", sentence_start=0,
)  # fmt: skip
NO_STORE = cast(duckdb.DuckDBPyConnection, None)  # a cache that held every report asked never reads


def test_the_cache_lets_go_of_the_reports_no_recent_pass_used():
    """Used (asked for or added) in one of the last ``keep`` passes: kept; else let go."""
    cache = ReportCache(keep=2)
    old, used, new = (dataclasses.replace(REPORT, id=name) for name in ("old", "used", "new"))
    cache.turn()
    cache.add([old, used])
    cache.turn()
    assert cache.get(NO_STORE, {"used": used.article_id}) == {"used": used}  # found: nothing is read
    cache.add([new])
    cache.turn()  # "old" was last used two passes ago
    assert len(cache) == 2
    assert cache.get(NO_STORE, {"used": used.article_id, "new": new.article_id}) == {"used": used, "new": new}


def _apart(a: Report, b: Report) -> bool:
    """The definition the fusion loops write out (``_days_near``): two reports of different
    articles, both dated, further apart than the widest window."""
    if a.date is None or b.date is None or a.article_id == b.article_id:
        return False
    return abs((a.date - b.date).days) > MAX_WINDOW


class AskingEveryPair(Clusters):
    """Consolidation as written before: ``_apart`` asked of every pair again after each merge
    (``assign`` tests the same days as ``_near``, see the test of ``_days_near``)."""

    def _near(self, a):  # type: ignore[no-untyped-def]
        first = self.members[a][0]
        return [b for b in self.of_type[first.type] if b != a and not _apart(first, self.members[b][0])]

    def consolidate(self, touched):  # type: ignore[no-untyped-def]
        merges, apart, changed = [], set(), True
        while changed:
            changed = False
            for a in sorted(touched & self.members.keys()):
                for b in self._near(a):
                    if (a, b) in apart:
                        continue
                    if not (found := self._joinable(a, b)):
                        apart.add((a, b))
                        continue
                    keep, gone = sorted((a, b), key=lambda f: min(r.sort_key for r in self.members[f]))
                    self.members[keep].extend(self.members.pop(gone))
                    del self.of_type[self.members[keep][0].type][gone]
                    apart = {pair for pair in apart if keep not in pair}
                    touched.discard(gone)
                    touched.add(keep)
                    merges.append((gone, keep, found.score, found.reason))
                    changed = True
                    break
                if changed:
                    break
        return merges


@pytest.mark.parametrize("seed", [6, 7])
def test_candidates_tested_once_fuse_as_every_pair_asked_again(tmp_path, monkeypatch, seed):
    """Consolidation works out each event's candidates once, not after every merge, testing
    their dates inline: the same fused events as asking every pair every time."""
    items = list(feed(days=30, per_day=8, seed=seed))
    new = _fuse_in_batches(tmp_path / "once.duckdb", items)
    monkeypatch.setattr("powderkeg.fuse.Clusters", AskingEveryPair)
    old = _fuse_in_batches(tmp_path / "every.duckdb", items)
    assert new == old
    assert sum(1 for m in new[1] if "merged in" in m[4]) > 0  # consolidation did merge events


@pytest.mark.parametrize(
    "day", [dt.date(2023, 5, 29), dt.date.min, dt.date(1, 1, 20), dt.date.max, dt.date(9999, 12, 20)]
)
def test_the_days_near_a_report_are_those_not_apart_from_it(day):
    report = dataclasses.replace(REPORT, date=day, date_basis="text")
    lo, hi = _days_near(report)
    for shift in range(-40, 41):
        try:
            other = dataclasses.replace(REPORT, article_id="b", date=day + dt.timedelta(days=shift))
        except OverflowError:
            continue
        assert (lo <= other.date <= hi) == (not _apart(report, other))
    assert _days_near(REPORT) == (dt.date.min, dt.date.max)  # undated: apart from none


def test_an_events_candidates_are_those_its_first_report_is_not_apart_from():
    """``_near`` (the dates tested inline) keeps every event of the type that ``_apart`` keeps,
    in order, at the window's edges too, undated and same-article reports included."""
    day = dt.date(2023, 5, 29)

    def report(rid: str, art: str, shift: int | None) -> Report:
        when = None if shift is None else day + dt.timedelta(days=shift)
        return dataclasses.replace(REPORT, id=rid, article_id=art, date=when, date_basis="text")

    others = [report(f"r{s}", "b", s) for s in range(-34, 35)] + [
        report("u", "b", None),
        report("s", "a", 90),
    ]
    clusters = Clusters([(report("x", "a", 0), "Fx")] + [(r, "F" + r.id) for r in others], set())
    assert clusters._near("Fx") == ["F" + r.id for r in others if not _apart(clusters.members["Fx"][0], r)]
    assert "Fr31" in clusters._near("Fx") and "Fr32" not in clusters._near("Fx")


@pytest.mark.parametrize("keep", [2, 64])
def test_each_fused_event_is_numbered_by_its_founders_article_however_long_the_cache_keeps_it(tmp_path, keep):
    """Fused events are keyed by (seq, id), seq the number of the article of the report that
    founded them (schema step 13): fused in batches with one cache, whether it holds an event's
    number from its founding to its every rewrite (64 passes) or lets it go and reads it again
    (2), and after an unmerge of the founder of an event, every event's seq is its founder's
    article's (its first line in the log) and no id is stored twice."""
    from powderkeg.fuse import unmerge

    items = list(feed(days=30, per_day=6, seed=4))
    path = tmp_path / "numbered.duckdb"
    _fuse_in_batches(path, items[:120], cache=ReportCache(keep))
    with Store(path) as store:
        biggest = store.con.execute(
            "SELECT fused_id FROM fused_members GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()
        assert biggest is not None
        founder = store.con.execute(
            "SELECT report_id FROM fused_members WHERE fused_id = ? AND how = 'founded'", biggest
        ).fetchone()
        assert founder is not None and unmerge(store.con, biggest[0], founder)
    _fuse_in_batches(path, items[120:], cache=ReportCache(keep))
    with Store(path) as store:
        rows = store.con.execute(
            """
            WITH founder AS (
                SELECT fused_id, arg_min(report_id, seq) AS report_id FROM fuse_log
                WHERE action IN ('found', 'unmerge') GROUP BY fused_id
            )
            SELECT f.id, f.seq, e.seq FROM fused_events f
            JOIN founder d ON d.fused_id = f.id JOIN events e ON e.id = d.report_id
            """
        ).fetchall()
        count = store.con.execute("SELECT count(*), count(DISTINCT id) FROM fused_events").fetchone()
        moved = store.con.execute(
            "SELECT count(*) FROM fused_members WHERE fused_id = ? AND report_id = ?",
            [biggest[0], founder[0]],
        ).fetchone()
    assert count is not None and count[0] == count[1] == len(rows) > 100
    assert [r for r in rows if r[1] != r[2]] == []
    assert {r[1] for r in rows} != {0} and moved == (0,)  # numbered, and the founder left its event
    assert biggest[0] in {r[0] for r in rows}
