"""Reading a lake back: a DuckDB file built from its Parquet, fused, for `events|fused|tension --lake`.

For a lake that fits one machine, DuckDB reads the Parquet files (``read_parquet`` with hive
partitions) into a powderkeg database with the store's schema; fusion then runs over it in
order of publication (chunks of articles, as a run in date order would fuse them), and every
read command works on it unchanged. The file is kept in the cache folder under a fingerprint
of the lake's files (names, sizes, times) and the store's schema version, so it is built once per
state of the lake and built anew when a backfill changes it or powderkeg's schema is newer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import ConfigError
from ..fuse import fuse
from ..records import stable_id
from ..store import Store
from ..store.fused import ReportCache
from ..store.migrations import SCHEMA_VERSION
from .tables import TABLES

#: the store's columns of each table (the lake's ``record_id`` and ``day`` are not kept)
STORE_COLUMNS = {
    "articles": "id, url, title, published, source, path, text, n_chars, n_events, meta",
    "events": ", ".join(name for name, _ in TABLES["events"]),
    "evidence": "event_id, field, start_char, end_char, text",
    "quarantine": "id, origin, code, reason, content_hash, size",
}
#: the columns of a table with no key in the store (evidence: schema step 6) whose rows are kept
#: once, the first in the lake's order (an article coded twice, from two records with the same text,
#: is in the lake twice), as ``ON CONFLICT DO NOTHING`` keeps each key's first row in the others
FIRST_OF = {"evidence": "event_id, field"}
#: each article numbered in the order its row was written (run once the articles are read in), and its
#: events and their evidence given its number (``seq``), by which the store's reads find an article's
#: events and an event's evidence: an event's as it is read in (``seq`` leads the events' key, schema
#: step 11, so it is never NULL: an event whose article is not in the lake is given 0), its evidence's
#: from its event once both are in
NUMBER_ARTICLES = (
    "UPDATE articles SET seq = n.seq FROM (SELECT rowid AS r, row_number() OVER (ORDER BY rowid) AS seq"
    " FROM articles) n WHERE articles.rowid = n.r"
)
SEQ_OF = {"events": "coalesce((SELECT seq FROM articles a WHERE a.id = article_id), 0)"}
NUMBER_EVIDENCE = "UPDATE evidence SET seq = e.seq FROM events e WHERE e.id = evidence.event_id"
#: each table's rows in the order a run in date order would have stored them: articles by
#: publication (the order fusion reads them in), an article's events after it, an event's evidence
#: after it, so that an article's rows lie together and the reads by its number (``seq``) find them
#: in one row group, as in a store, instead of in every row group of the Parquet files' order
IN_ORDER = {
    "articles": " ORDER BY published NULLS LAST, id",
    "events": " ORDER BY (SELECT rowid FROM articles a WHERE a.id = article_id) NULLS LAST, article_id, id",
    "evidence": " ORDER BY (SELECT rowid FROM events e WHERE e.id = event_id) NULLS LAST, event_id, field",
}
#: articles fused together, oldest first
FUSE_CHUNK = 256


def is_lake(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and (p / "events").is_dir() and (p / "articles").is_dir()


def files(lake: Path, table: str) -> list[Path]:
    return sorted(p for p in (lake / table).rglob("*.parquet") if not _hidden(p.relative_to(lake)))


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts)


def fingerprint(lake: Path) -> str:
    """The lake's files (names, sizes, times) and the store's schema version: a database built by an
    older powderkeg, which read commands would refuse (E501), is built anew."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for table in TABLES:
        for p in files(lake, table):
            stat = p.stat()
            digest.update(f"{p.relative_to(lake)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "powderkeg" / "lakes"


def lake_database(lake: str | Path) -> Path:
    """A powderkeg database holding the lake's rows, fused (built now if the lake changed)."""
    root = Path(lake).resolve()
    if not is_lake(root):
        raise ConfigError(
            f"{lake} is not a powderkeg lake (no articles/ and events/ folders)",
            remedy="point --lake at the --out folder of `powderkeg backfill`",
        )
    name = stable_id(str(root))
    target = cache_dir() / f"lake-{name}-{fingerprint(root)}.duckdb"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with Store(partial) as store:
        with store.unit() as con:
            for table, columns in STORE_COLUMNS.items():
                found = files(root, table)
                if found:
                    con.execute(_insert_sql(table, columns), [[str(p) for p in found]])
                if table == "articles":
                    con.execute(NUMBER_ARTICLES)  # before the events, which are given their article's number
            con.execute(NUMBER_EVIDENCE)
            # stored and numbered in publication order (IN_ORDER, NUMBER_ARTICLES): fused in that order
            ordered = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY seq").fetchall()]
            cache = ReportCache()
            for start in range(0, len(ordered), FUSE_CHUNK):
                fuse(con, ordered[start : start + FUSE_CHUNK], cache)
    os.replace(partial, target)
    for old in target.parent.glob(f"lake-{name}-*.duckdb"):  # earlier states of this lake
        if old != target:
            old.unlink(missing_ok=True)
    return target


def _insert_sql(table: str, columns: str) -> str:
    """The INSERT of a table's rows from the lake's Parquet files, each key's first row kept."""
    read = "read_parquet(?, hive_partitioning = true, union_by_name = true"
    key, order = FIRST_OF.get(table), IN_ORDER.get(table, "")
    if key is None:
        seq = SEQ_OF.get(table)
        stored, read_in = (columns, columns) if seq is None else (f"{columns}, seq", f"{columns}, {seq}")
        return f"INSERT INTO {table} ({stored}) SELECT {read_in} FROM {read}){order} ON CONFLICT DO NOTHING"
    return (
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {read}, filename = true, file_row_number = true)"
        f" QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY filename, file_row_number) = 1{order}"
    )
