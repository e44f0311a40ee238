"""``fused_days`` has no key nor fused id (schema step 10): the writer gives each fused report one
row there, when it is first fused, and never updates it (its fused event is in ``fused_members``),
however fusion is run (again, as a catch-up, after an unmerge, with the run's index of fused
reports on or off, on a store edited by hand)."""

from __future__ import annotations

import duckdb
import pytest

from powderkeg import Store
from powderkeg.fuse import fuse, unmerge
from powderkeg.store.fused import ReportCache

from .test_fuse_reach import feed


def _one_row_each(con: duckdb.DuckDBPyConnection) -> None:
    twice = con.execute("SELECT report_id FROM fused_days GROUP BY 1 HAVING count(*) > 1").fetchall()
    assert twice == []
    days = con.execute("SELECT report_id FROM fused_days ORDER BY 1").fetchall()
    members = con.execute("SELECT report_id FROM fused_members ORDER BY 1").fetchall()
    assert days == members and len(days) > 20
    # each row holds its report's own type and day (its date, or its article's ingestion day)
    wrong = con.execute(
        "SELECT count(*) FROM fused_days d JOIN events e ON e.id = d.report_id JOIN articles a ON a.id = e.article_id"
        " WHERE d.type <> e.type OR d.day <> coalesce(e.date, CAST(a.ingested_at AS DATE))"
        " OR d.dated <> (e.date IS NOT NULL)"
    ).fetchone()
    assert wrong == (0,)


@pytest.mark.parametrize("reach", [True, False])
def test_no_report_gets_two_day_rows(tmp_path, reach):
    """Batches, the same batches again, a catch-up of the whole store, unmerges, then fusion
    again: each step leaves one ``fused_days`` row per fused report, and reports moved between
    fused events (merges, unmerges) keep theirs as it was written."""
    items = list(feed(days=30, per_day=6, seed=11))
    with Store(tmp_path / "days.duckdb") as store:
        con, cache = store.con, ReportCache(reach=reach)
        batches = [items[i : i + 6] for i in range(0, len(items), 6)]
        for group in batches:
            store.add_many(group)
            fuse(con, [a.id for a, _ in group], cache)
        _one_row_each(con)
        written = con.execute("SELECT rowid, * FROM fused_days ORDER BY rowid").fetchall()
        moved = con.execute("SELECT count(*) FROM fused_members WHERE how = 'merged'").fetchone()
        assert moved is not None and moved[0] > 30
        for group in batches[:10]:  # run again: nothing is pending
            assert fuse(con, [a.id for a, _ in group], cache) == []
        fuse(con, None, cache)  # a catch-up pass over the whole store
        _one_row_each(con)
        for _ in range(3):  # a user's unmerges of the biggest events, then fusion goes on
            biggest = con.execute(
                "SELECT fused_id FROM fused_members GROUP BY 1 ORDER BY count(*) DESC, fused_id LIMIT 1"
            ).fetchone()
            assert biggest is not None
            assert unmerge(con, biggest[0])
        _one_row_each(con)
        assert con.execute("SELECT rowid, * FROM fused_days ORDER BY rowid").fetchall() == written
        more = list(feed(days=10, per_day=6, seed=12))
        store.add_many(more)
        fuse(con, [a.id for a, _ in more], cache)
        fuse(con, None, cache)
        _one_row_each(con)
        split = con.execute("SELECT count(*) FROM fused_members WHERE how = 'split'").fetchone()
        assert split is not None and split[0] > 0


@pytest.mark.parametrize("reach", [True, False])
def test_a_day_row_left_behind_by_hand_is_replaced_not_doubled(tmp_path, reach):
    """A report's membership deleted by hand, its ``fused_days`` row left: fused again (a
    catch-up), it has one row there."""
    items = list(feed(days=20, per_day=6, seed=13))
    with Store(tmp_path / "edited.duckdb") as store:
        con, cache = store.con, ReportCache(reach=reach)
        for i in range(0, len(items), 6):
            group = items[i : i + 6]
            store.add_many(group)
            fuse(con, [a.id for a, _ in group], cache)
        con.execute(
            "DELETE FROM fused_members WHERE report_id IN"
            " (SELECT report_id FROM fused_members WHERE how = 'merged' ORDER BY report_id LIMIT 3)"
        )
        assert con.execute("SELECT count(*) FROM fused_days").fetchone() == (
            con.execute("SELECT count(*) FROM fused_members").fetchone()[0] + 3,  # type: ignore[index]
        )
        fuse(con, None, cache)
        _one_row_each(con)
