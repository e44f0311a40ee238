"""A run's index of the fused reports in reach (store/reach.py) fuses exactly as asking the store
every batch, keeps in step when another writer changes the fused tables between its batches,
and holds about as much late in a long feed as early."""

from __future__ import annotations

import duckdb
import pytest

from powderkeg import Store
from powderkeg.fuse import fuse, unmerge
from powderkeg.store.fused import FuseTables, ReportCache

from .test_fuse_reach import feed


def _state(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[object, ...]], ...]:
    """What fusion wrote: memberships, the day index, fused events, the log, the blocks."""
    return (
        con.execute(
            "SELECT report_id, fused_id, how, score, reason FROM fused_members ORDER BY 1"
        ).fetchall(),
        con.execute("SELECT * FROM fused_days ORDER BY report_id").fetchall(),
        con.execute("SELECT id, n_reports, record FROM fused_events ORDER BY id").fetchall(),
        con.execute(
            "SELECT seq, action, fused_id, report_id, score, reason FROM fuse_log ORDER BY seq"
        ).fetchall(),
        con.execute("SELECT * FROM fuse_blocks ORDER BY ALL").fetchall(),
    )


def _split_biggest(con: duckdb.DuckDBPyConnection) -> list[str]:
    """A user's unmerge of the fused event with most reports (ties by id)."""
    row = con.execute(
        "SELECT fused_id FROM fused_members GROUP BY 1 ORDER BY count(*) DESC, fused_id LIMIT 1"
    ).fetchone()
    assert row is not None
    return unmerge(con, row[0])


def _run(path, items, cache: ReportCache, between=None, batch: int = 8, at: tuple[int, ...] = (), runs=None):
    """Store and fuse ``items`` batch by batch with one cache (as a run does); before the batches
    numbered in ``at``, ``between(store)`` (another writer's change); ``runs``: from the batches
    of these numbers, the cache it gives (a new run on the store the last left). Each batch's
    touched ids, and the fused tables at the end."""
    touched = []
    runs = runs or {}
    store = Store(path)
    try:
        for k, i in enumerate(range(0, len(items), batch)):
            if k in at and between is not None:
                store = between(store) or store
            cache = runs.get(k, cache)
            group = items[i : i + batch]
            store.add_many(group)
            touched.append(fuse(store.con, [a.id for a, _ in group], cache))
        return touched, _state(store.con)
    finally:
        store.close()


@pytest.mark.parametrize(("seed", "keep"), [(1, 64), (2, 3), (3, 1)])
def test_the_runs_index_fuses_as_asking_the_store_every_batch(tmp_path, seed, keep):
    """Same touched ids batch by batch, same fused tables, with the index on and off; with a
    ``keep`` of one pass, blocks are let go of and read again nearly every batch."""
    items = list(feed(days=90, per_day=6, seed=seed))
    first, second = ReportCache(keep=keep), ReportCache(keep=keep)  # a second run from batch 30
    with_index = _run(tmp_path / "on.duckdb", items, first, runs={30: second})
    off = ReportCache(keep=keep, reach=False)
    without = _run(tmp_path / "off.duckdb", items, off, runs={30: ReportCache(keep=keep, reach=False)})
    assert with_index == without
    batches = len(with_index[0])
    assert first.reach.answers + second.reach.answers == batches  # it did answer, every batch
    assert first.reach.resets == second.reach.resets == 0
    assert second.reach.loads > 0  # a store it did not write: the days in reach are read
    assert sum(1 for m in with_index[1][0] if m[2] == "merged") > 50  # the feed fuses, not only founds


def test_a_users_unmerge_between_two_batches_is_seen(tmp_path):
    """An unmerge through ``fuse.unmerge`` on the run's own connection, between two batches,
    moves reports the index held: the index lets go and fusion goes on as without it."""
    items = list(feed(days=40, per_day=6, seed=5))

    def split(store):
        assert _split_biggest(store.con)

    on = ReportCache()
    with_index = _run(tmp_path / "on.duckdb", items, on, split, at=(10, 20))
    without = _run(tmp_path / "off.duckdb", items, ReportCache(reach=False), split, at=(10, 20))
    assert with_index == without
    assert on.reach.resets == 2
    assert any(row[1] == "unmerge" for row in with_index[1][3])
    assert with_index[1][4]  # the unmerged reports are blocked from their old event


def test_another_connections_changes_between_batches_are_seen(tmp_path):
    """Between two batches the run lets the file go and another connection (another process,
    as far as DuckDB knows: its own instance) unmerges and merges by hand through the log
    and tables: the index sees the store changed and fusion goes on as without it."""
    items = list(feed(days=40, per_day=6, seed=6))

    def elsewhere(store):
        path = store.path
        store.close()
        con = duckdb.connect(str(path))
        try:
            _split_biggest(con)
        finally:
            con.close()
        return Store(path)

    on = ReportCache()
    with_index = _run(tmp_path / "on.duckdb", items, on, elsewhere, at=(12,))
    without = _run(tmp_path / "off.duckdb", items, ReportCache(reach=False), elsewhere, at=(12,))
    assert with_index == without
    assert on.reach.resets == 1


def test_a_hand_edit_that_logs_nothing_is_seen_by_the_row_counts(tmp_path):
    """A report taken out of ``fused_members`` by hand (its ``fused_days`` row left behind):
    nothing is logged, but the counts change; the tables now disagree, so the index is not
    used again for this store, and fusion goes on as without it (the row left behind replaced)."""
    items = list(feed(days=30, per_day=6, seed=7))

    def edit(store):
        store.con.execute(
            "DELETE FROM fused_members WHERE report_id = (SELECT min(report_id) FROM fused_members WHERE how = 'merged')"
        )

    on = ReportCache()
    with_index = _run(tmp_path / "on.duckdb", items, on, edit, at=(9,))
    without = _run(tmp_path / "off.duckdb", items, ReportCache(reach=False), edit, at=(9,))
    assert with_index == without
    assert on.reach.answers == 9  # the batches before the edit only


def test_a_failed_pass_leaves_the_index_out_of_what_it_rolled_back(tmp_path, monkeypatch):
    """A pass that fails after its memberships went in (rolled back) lets the index go: the
    next batches fuse as without it."""
    items = list(feed(days=30, per_day=6, seed=8))
    calls = {"n": 0}
    upsert = FuseTables.upsert_many

    def failing(self, events):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 7:
            raise RuntimeError("disk gone")
        return upsert(self, events)

    def run(path, cache):
        touched = []
        with Store(path) as store:
            for i in range(0, len(items), 8):
                group = items[i : i + 8]
                store.add_many(group)
                try:
                    touched.append(fuse(store.con, [a.id for a, _ in group], cache))
                except RuntimeError:
                    touched.append(None)
            fuse(store.con, None, cache)  # the failed batch's reports, caught up
            return touched, _state(store.con)

    monkeypatch.setattr(FuseTables, "upsert_many", failing)
    on = ReportCache()
    with_index = run(tmp_path / "on.duckdb", on)
    calls["n"] = 0
    without = run(tmp_path / "off.duckdb", ReportCache(reach=False))
    assert with_index == without
    assert None in with_index[0]
    assert on.reach.answers > 10


def test_the_index_holds_about_as_much_late_in_a_long_feed_as_early(tmp_path):
    """What it holds depends on the reports in reach of recent batches, not on the store."""
    items = list(feed(days=200, per_day=6, seed=9))
    cache = ReportCache(keep=8)
    sizes = []
    with Store(tmp_path / "long.duckdb") as store:
        for i in range(0, len(items), 8):
            group = items[i : i + 8]
            store.add_many(group)
            fuse(store.con, [a.id for a, _ in group], cache)
            sizes.append(len(cache.reach))
    assert cache.reach.answers == len(sizes)
    early, late = sizes[60:70], sizes[-10:]  # past the first blocks in reach (96 days); the end
    assert max(late) < 1.3 * max(early), sizes


def test_a_block_read_after_a_hand_edit_that_keeps_every_count_is_not_answered_from(tmp_path):
    """A report's ``fused_days`` row given another report's id by hand, after the index checked
    the store (no count changes, nothing logged): when the index reads that report's days it
    finds the two tables disagree (a day row without a membership, a member without its day
    row), answers None (the caller asks the store) and is off."""
    items = list(feed(days=20, per_day=6, seed=8))
    _run(tmp_path / "s.duckdb", items, ReportCache())
    with Store(tmp_path / "s.duckdb") as store:
        con = store.con
        cache = ReportCache()
        cache.turn()
        assert cache.reach.check(con)  # the tables agree: it may answer
        row = con.execute(
            "SELECT report_id, type, day FROM fused_days WHERE dated ORDER BY day, report_id LIMIT 1"
        ).fetchone()
        assert row is not None
        rid, type_, day = row
        con.execute("UPDATE fused_days SET report_id = 'no such report' WHERE report_id = ?", [rid])
        assert cache.reach.check(con)  # the same pass: nothing read yet
        assert cache.reach.members(con, ([type_], [day], [day]), set(), day, day) is None
        cache.turn()
        assert not cache.reach.check(con)  # off for this store
