"""What a key costs a writer that opens a big store and adds a batch, by the key's order.

    python bench/art_keys.py [--rows 3000000] [--batch 2000]

A table of ``--rows`` rows in a DuckDB file, keyed three ways: by a random 16-character hash
(as ``events.id`` is), by (``seq``, hash) where ``seq`` follows insertion order (six rows a
number, as an article's events share its number), and not at all. Each file is reopened, one
batch of new rows is inserted and committed, then a CHECKPOINT is made, and the figures are read
in that fresh instance: the index memory DuckDB reports (``duckdb_memory()``'s ART_INDEX), the
process's RSS, and the insert's and the checkpoint's time, with ratios to the unkeyed table.

DuckDB loads an index's buffers lazily and a checkpoint lets them go: new keys that are random
touch every buffer, so the whole index comes back at every batch after a checkpoint; keys led
by an insertion-ordered column touch only the newest buffers.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

KEYS = {
    "random hash": "PRIMARY KEY (id)",
    "(seq, hash)": "PRIMARY KEY (seq, id)",
    "no key": "",
}
PER_SEQ = 6  # rows sharing one number, like an article's events


def art_mb(con: duckdb.DuckDBPyConnection) -> float:
    row = con.execute(
        "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'"
    ).fetchone()
    return row[0] / 2**20 if row else 0.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rows(start: int, count: int) -> str:
    return (
        f"SELECT substr(sha1(i::VARCHAR), 1, 16), i // {PER_SEQ}, 0 FROM range({start}, {start + count}) r(i)"
    )


def build(path: Path, key: str, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        comma = f", {key}" if key else ""
        con.execute(f"CREATE TABLE t (id VARCHAR NOT NULL, seq BIGINT NOT NULL, v INTEGER{comma})")
        con.execute(f"INSERT INTO t {_rows(0, rows)}")
        con.execute("CHECKPOINT")


def batch(path: Path, start: int, count: int) -> dict[str, float]:
    """Reopen the file, add one batch, checkpoint: what that cost this instance."""
    with duckdb.connect(str(path)) as con:
        con.execute("SET threads = 1")
        before = rss_mb()
        began = time.perf_counter()
        con.execute(f"INSERT INTO t {_rows(start, count)}")
        insert_ms = (time.perf_counter() - began) * 1000
        art, after = art_mb(con), rss_mb()
        began = time.perf_counter()
        con.execute("CHECKPOINT")
        checkpoint_ms = (time.perf_counter() - began) * 1000
        return {
            "insert_ms": insert_ms,
            "checkpoint_ms": checkpoint_ms,
            "art_mb": art,
            "rss_growth_mb": after - before,
            "art_after_checkpoint_mb": art_mb(con),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=3_000_000, help="rows in the table before the batch")
    parser.add_argument("--batch", type=int, default=2000, help="rows inserted")
    args = parser.parse_args()
    print(
        f"DuckDB {duckdb.__version__}: {args.rows:,} rows, then {args.batch:,} inserted in a fresh instance"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, key in KEYS.items():
            path = Path(tmp) / f"{len(results)}.duckdb"
            build(path, key, args.rows)
            results[name] = batch(path, args.rows, args.batch)
    base = results["no key"]
    print(
        f"{'key':<12} {'insert ms':>10} {'x':>6} {'checkpoint ms':>14} {'x':>6} {'ART MB':>8} {'RSS +MB':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:<12} {r['insert_ms']:>10.1f} {r['insert_ms'] / base['insert_ms']:>6.1f}"
            f" {r['checkpoint_ms']:>14.1f} {r['checkpoint_ms'] / base['checkpoint_ms']:>6.1f}"
            f" {r['art_mb']:>8.1f} {r['rss_growth_mb']:>8.1f}"
        )
    print(
        "ART MB after the checkpoint:",
        ", ".join(f"{n} {r['art_after_checkpoint_mb']:.1f}" for n, r in results.items()),
    )


if __name__ == "__main__":
    main()
