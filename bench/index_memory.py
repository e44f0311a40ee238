"""How much memory does each key index of a store take in a writer?

    python bench/index_memory.py STORE.duckdb [--rows 20000]

DuckDB loads an index (ART) into memory as a writer touches it and cannot let it go nor spill
it; new rows with hash keys touch nearly all of one. For each index, a copy of the store keeps
that index alone (a table's key cannot be dropped, so an index on a keyed table is measured with
the key: the key's own line is the part to subtract), ``--rows`` of the table's last rows are
inserted again with new keys and committed, and ``duckdb_memory()``'s ART_INDEX is read in that
fresh instance. Make a store to measure with, e.g., ``bench/scale.py --one 50000 --replay 1
--coded 300 --workdir DIR --workers 0`` (it keeps DIR/replay-50000.duckdb).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import duckdb

#: the columns given new values in the copied rows: keys and what indexes are on
NEW_KEYS = {
    "articles": ["id"],
    "events": ["id", "article_id"],
    "evidence": ["event_id"],
    "fused_events": ["id"],
    "fused_members": ["report_id", "fused_id", "article_id"],
    "fused_days": ["report_id"],
    "fuse_log": ["fused_id", "report_id"],
    "fuse_blocks": ["report_id", "fused_id"],
    "alerts": ["id"],
    "quarantine": ["id"],
    "sources": ["name"],
    "source_entries": ["entry_key", "article_id"],
    "article_duplicates": ["article_id"],
    "article_minhash": ["article_id"],
}


def art_mb(con: duckdb.DuckDBPyConnection) -> float:
    row = con.execute(
        "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'"
    ).fetchone()
    return round(row[0] / 2**20, 1) if row else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("store")
    parser.add_argument("--rows", type=int, default=20000, help="rows inserted into each copy")
    args = parser.parse_args()
    with duckdb.connect(args.store, read_only=True) as con:
        indexes = con.execute(
            "SELECT index_name, table_name FROM duckdb_indexes() ORDER BY table_name"
        ).fetchall()
        keyed = con.execute(
            "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
            " ORDER BY table_name"
        ).fetchall()
        tables = {t for _, t in indexes} | {t for (t,) in keyed}
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # type: ignore[index]
        columns = {t: {c[0] for c in con.execute(f"DESCRIBE {t}").fetchall()} for t in tables}
    targets = [(f"{t} key", t, None) for (t,) in keyed] + [(name, t, name) for name, t in indexes]
    print(f"{'index':28s} {'table rows':>10s}  ART MB after {args.rows} new rows")
    with tempfile.TemporaryDirectory(prefix="pk-index-") as tmp:
        copy = str(Path(tmp) / "copy.duckdb")
        for label, table, keep in targets:
            if not rows[table] or table not in NEW_KEYS:
                continue
            shutil.copy(args.store, copy)
            with duckdb.connect(copy) as con:
                for name, _ in indexes:
                    if name != keep:
                        con.execute(f"DROP INDEX {name}")
            new = [
                f"'x' || md5({c} || random()::VARCHAR) AS {c}" for c in NEW_KEYS[table] if c in columns[table]
            ]
            # numbered after the last, as new rows are (events, fused members and fused events: seq
            # leads their key, schema steps 11 to 13)
            if table in ("fuse_log", "events", "fused_members", "fused_events"):
                new.append("seq + 1000000000 AS seq")
            with duckdb.connect(copy) as con:
                con.execute("BEGIN")
                con.execute(
                    f"INSERT INTO {table} SELECT * REPLACE ({', '.join(new)})"
                    f" FROM (SELECT * FROM {table} ORDER BY rowid DESC LIMIT {args.rows})"
                )
                con.execute("COMMIT")
                note = "" if keep is None or (table,) not in keyed else f" (with the {table} key)"
                print(f"{label:28s} {rows[table]:>10,}  {art_mb(con):6.1f}{note}", flush=True)


if __name__ == "__main__":
    main()
