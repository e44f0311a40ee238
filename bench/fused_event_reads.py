"""How long do the reads and deletes of fused events by id take (schema step 13 keys them by (seq, id))?

    python bench/fused_event_reads.py STORE.duckdb [--repeat 20]

Keyed by (id), a fused event's id is looked up in the key's index; keyed by (seq, id), where seq is
its founder's article's number, a read by id alone (the API's and ``show``'s one event, ``unmerge``'s
resolve, the alert rules' and the tension index's events by id) scans ``fused_events.id``. Each
read is timed on the store opened read-only: the first run (cold: right after opening) and the
median wall ms of ``--repeat`` more, each with other ids. A writer's DELETE of the fused events a
batch rewrites (the last written, as fusion's are) is timed on a copy, each in a transaction rolled
back: by id alone, and, where the store has ``seq``, through the numbers fusion knows.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb


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
    parser.add_argument("--batch", type=int, default=500, help="fused events a batch rewrites")
    args = parser.parse_args()
    n = args.repeat + 1
    with duckdb.connect(args.store, read_only=True) as con:
        key = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints()"
            " WHERE table_name = 'fused_events' AND constraint_type = 'PRIMARY KEY'"
        ).fetchone()
        numbered = "seq" in {c[0] for c in con.execute("DESCRIBE fused_events").fetchall()}
        sample = [
            r[0]
            for r in con.execute(
                f"SELECT id FROM fused_events USING SAMPLE {n * 202} ROWS (reservoir, 7)"
            ).fetchall()
        ]
        picks = iter(sample)
        reads: dict[str, Callable[[], Any]] = {
            "one event by id (API, show)": lambda: con.execute(
                "SELECT id, record FROM fused_events WHERE id = ?", [next(picks)]
            ).fetchall(),
            "one event by prefix (unmerge, show)": lambda: con.execute(
                "SELECT id FROM fused_events WHERE id = ? OR id LIKE ? || '%' LIMIT 2",
                [p := next(picks)[:9], p],
            ).fetchall(),
            "200 events by id (alerts, tension)": lambda: con.execute(
                "SELECT record FROM fused_events WHERE id IN (SELECT unnest(?))",
                [[next(picks) for _ in range(200)]],
            ).fetchall(),
        }
        print(
            f"fused_events key {key[0] if key else None}; ms: first run after opening, median of {args.repeat}"
        )
        for name, read in reads.items():
            first = timed(read)
            rest = [timed(read) for _ in range(args.repeat)]
            print(f"  {name:40s} {first:8.2f} {statistics.median(rest):8.2f}")
    with tempfile.TemporaryDirectory(prefix="pk-fused-") as tmp:
        copy = str(Path(tmp) / "copy.duckdb")
        shutil.copy(args.store, copy)
        with duckdb.connect(copy) as con:
            columns = "id, seq" if numbered else "id, 0"
            last = con.execute(
                f"SELECT {columns} FROM fused_events ORDER BY rowid DESC LIMIT ?", [args.batch]
            ).fetchall()
            ids, seqs = [r[0] for r in last], sorted({r[1] for r in last})
            deletes = {"by id": ("DELETE FROM fused_events WHERE id IN (SELECT unnest(?))", [ids])}
            if numbered:
                deletes["by id, returning seq"] = (
                    "DELETE FROM fused_events WHERE id IN (SELECT unnest(?)) RETURNING id, seq",
                    [ids],
                )
                deletes["through seq"] = (
                    "DELETE FROM fused_events WHERE seq IN (SELECT unnest($1)) AND id IN (SELECT unnest($2))",
                    [seqs, ids],
                )
            print(
                f"delete the {len(ids)} fused events written last (a batch's), rolled back; ms median of {args.repeat}"
            )
            for name, (sql, params) in deletes.items():
                took = []
                for _ in range(args.repeat):
                    con.execute("BEGIN")
                    took.append(timed(lambda sql=sql, params=params: con.execute(sql, params).fetchall()))
                    con.execute("ROLLBACK")
                print(f"  {name:40s} {statistics.median(took):8.2f}")


if __name__ == "__main__":
    main()
