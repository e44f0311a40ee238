"""How long do the reads of the fused tables take with and without their secondary indexes?

    python bench/fused_reads.py STORE.duckdb [--repeat 20]

Each read is timed (median wall ms of ``--repeat`` runs, DuckDB with one thread and with its
default) on a copy of the store as it is, then on the same copy with the indexes on the fused
tables' columns other than their keys dropped (``fused_date``, ``fused_members_fused``,
``fuse_log_fused``, where present). A read without an index scans its column, zone maps aside:
its time grows with the table, so per 1M articles it is about 1,000,000 / (the store's
articles) times the figure printed. ``index`` says whether the plan read an index
("Index Scan"). The ids and days read are picked from the store: its most recent fused
events, the busiest 32-day block of ``fused_days``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

# the reads fusion and the run's index make, as they make them (not copies that could drift)
from powderkeg.store.fused import _MEMBER_SQL
from powderkeg.store.reach import _OF_EVENTS, _ON_DAYS

INDEXES = ("fused_date", "fused_members_fused", "fuse_log_fused")


def reads(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, list[Any]]]:
    """name -> (SQL, parameters) of the reads, with ids and days from this store."""
    last = [r[0] for r in con.execute("SELECT id FROM fused_events ORDER BY rowid DESC LIMIT 500").fetchall()]
    one = con.execute(
        "SELECT fused_id FROM fused_members GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()
    assert one is not None
    day = con.execute(
        "SELECT min(day) FROM (SELECT day FROM fused_days GROUP BY day ORDER BY count(*) DESC LIMIT 1)"
    ).fetchone()
    assert day is not None
    block = con.execute(
        "SELECT list(DISTINCT m.fused_id) FROM fused_days d JOIN fused_members m ON m.report_id = d.report_id"
        " WHERE d.day BETWEEN ? AND ? + 31",
        [day[0], day[0]],
    ).fetchone()
    assert block is not None
    days = con.execute(
        "SELECT list(DISTINCT report_id) FROM (SELECT report_id FROM fused_days ORDER BY rowid DESC LIMIT 100)"
    ).fetchone()
    assert days is not None
    members = _MEMBER_SQL
    return {
        "log of one event (API/show)": (
            "SELECT seq, logged_at, action, fused_id, report_id, score, reason FROM fuse_log"
            " WHERE fused_id = ? ORDER BY seq",
            [one[0]],
        ),
        "members of one event (unmerge)": (members, [[one[0]]]),
        "members of 200 events (fusion)": (members, [last[:200]]),
        f"block load, {len(block[0])} events (reach)": (_OF_EVENTS, [block[0]]),
        "reports on a block's days (reach)": (_ON_DAYS, [[day[0]], [day[0] + dt.timedelta(days=31)]]),
        "export, 500 events' reports": (
            "SELECT m.fused_id, e.record, a.id FROM fused_members m JOIN events e ON e.id = m.report_id"
            " JOIN articles a ON a.id = e.article_id WHERE m.fused_id IN (SELECT unnest(?))",
            [last],
        ),
        "alert counts, 200 events": (
            "SELECT m.report_id, e.date FROM fused_members m JOIN events e ON e.id = m.report_id"
            " WHERE m.fused_id IN (SELECT unnest(?))",
            [last[:200]],
        ),
        "map points, 50 events (API)": (
            "SELECT m.fused_id, e.record->'$.place' FROM fused_members m JOIN events e ON e.id = m.report_id"
            " WHERE list_contains(?, m.fused_id)",
            [last[:50]],
        ),
        "/fused page of one month": (
            "SELECT record, coalesce(date, DATE '9999-12-31'), id FROM fused_events"
            " WHERE date >= ? AND date <= ? + 30 ORDER BY coalesce(date, DATE '9999-12-31'), id LIMIT 51",
            [day[0], day[0]],
        ),
        "/fused on one day": (
            "SELECT record, id FROM fused_events WHERE date = ? ORDER BY id LIMIT 51",
            [day[0]],
        ),
        "fused_days of 100 reports (write)": (
            "SELECT report_id FROM fused_days WHERE report_id IN (SELECT unnest(?))",
            [days[0]],
        ),
    }


def timed(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], repeat: int) -> tuple[float, bool]:
    con.execute(sql, params).fetchall()  # warm
    took = []
    for _ in range(repeat):
        start = time.perf_counter()
        con.execute(sql, params).fetchall()
        took.append((time.perf_counter() - start) * 1000)
    plan = con.execute("EXPLAIN ANALYZE " + sql, params).fetchall()
    return statistics.median(took), "Index Scan" in str(plan)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    results: dict[str, dict[str, tuple[float, bool]]] = {}
    with tempfile.TemporaryDirectory(prefix="pk-reads-") as tmp:
        copy = str(Path(tmp) / "copy.duckdb")
        shutil.copy(args.store, copy)
        for state in ("with", "without"):
            with duckdb.connect(copy) as con:
                if state == "without":
                    for name in INDEXES:
                        con.execute(f"DROP INDEX IF EXISTS {name}")
                    con.execute("CHECKPOINT")
                todo = reads(con)
                for threads in ("1", "default"):
                    con.execute("RESET threads" if threads == "default" else f"SET threads = {threads}")
                    for name, (sql, params) in todo.items():
                        results.setdefault(name, {})[f"{state} {threads}"] = timed(
                            con, sql, params, args.repeat
                        )
    cols = ["with 1", "without 1", "with default", "without default"]
    print(f"{'read':40s} " + " ".join(f"{c:>16s}" for c in cols) + "   (ms, * = index scan)")
    for name, by in results.items():
        cells = [f"{by[c][0]:15.2f}{'*' if by[c][1] else ' '}" for c in cols]
        print(f"{name:40s} " + " ".join(cells))


if __name__ == "__main__":
    main()
