"""How long do the reads of events by id take on a store (schema step 11 keys events by (seq, id))?

    python bench/event_reads.py STORE.duckdb [--repeat 20]

Each read is timed on the store opened read-only, as the code of this checkout makes it: the first
run (cold: right after opening) and the median wall ms of ``--repeat`` more, each with other ids.
Reads by an event's id alone (``show``, an event's evidence) look the id up in the events key when
the key is (id); keyed by (seq, id) they scan ``events.id``. Fusion's reads of reports by id
(``_BY_ID``) are timed with reports among the last fused (as a run's reach mostly asks) and with
reports picked across the whole store; they are given as report id -> article id, which fusion's
callers hold (a checkout whose ``ReportCache.get`` takes a list of ids reads the keys alone). ``_unstored``'s look-up runs only when a batch
holds an article already stored (a re-run); it is timed with a batch's worth of ids.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import duckdb

from powderkeg.store import Store
from powderkeg.store.fused import ReportCache


def timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1800, help="event ids in a batch (about 300 articles)")
    args = parser.parse_args()
    rng = random.Random(7)
    with duckdb.connect(args.store, read_only=True) as con:
        sample = con.execute(
            "SELECT id, article_id FROM events USING SAMPLE 200 ROWS (reservoir, 7)"
        ).fetchall()
        ids = [r[0] for r in sample]
        # (report id, its article id): the reports fused last, and reports across the whole store
        recent = con.execute(
            "SELECT d.report_id, m.article_id FROM fused_days d JOIN fused_members m USING (report_id)"
            " ORDER BY d.rowid DESC LIMIT 2000"
        ).fetchall()
        spread = con.execute(
            "SELECT report_id, article_id FROM fused_members USING SAMPLE 1000 ROWS (reservoir, 7)"
        ).fetchall()
        tail = [
            r[0]
            for r in con.execute("SELECT id FROM events ORDER BY rowid DESC LIMIT ?", [args.batch]).fetchall()
        ]
        key = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints()"
            " WHERE table_name = 'events' AND constraint_type = 'PRIMARY KEY'"
        ).fetchone()
    print(f"events key {key[0] if key else None}; median ms of {args.repeat} (first run after opening)")
    with Store(args.store, read_only=True) as store:
        con = store.con
        picks = iter(ids)
        pairs = iter(sample * (args.repeat + 1))

        def each(read: Callable[[str], Any]) -> Callable[[], Any]:
            return lambda: read(next(picks))

        def reports(chosen: list[str]) -> Callable[[], Any]:
            return lambda: ReportCache().get(con, dict(rng.sample(chosen, min(len(chosen), 500))))

        def unstored() -> Any:
            from powderkeg.store.duckdb import _unstored

            batch = [(f"new{rng.random()}",) for _ in range(args.batch - 100)] + [(i,) for i in tail[:100]]
            return _unstored(con, batch, [])

        cases = {
            "an event by id (show, event())": each(store.event),
            "an event's evidence": each(store.evidence),
            "an event's evidence, its article given (show)": lambda: store.evidence(*next(pairs)),
            "500 of the reports fused last (_BY_ID)": reports(recent),
            "500 reports across the store (_BY_ID)": reports(spread),
            f"{args.batch} event ids stored? (_unstored)": unstored,
        }
        for name, run in cases.items():
            first = timed(run)
            times = [timed(run) for _ in range(args.repeat)]
            print(f"{name:42s} {statistics.median(times):8.2f} ms  ({first:.2f})", flush=True)


if __name__ == "__main__":
    main()
