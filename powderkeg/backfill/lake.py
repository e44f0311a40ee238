"""Reading a lake back: a DuckDB file built from its Parquet, fused, for `events|fused|tension --lake`.

For a lake that fits one machine, DuckDB reads the Parquet files (``read_parquet`` with hive
partitions) into a powderkeg database with the store's schema; fusion then runs over it in
order of publication (chunks of articles, as a run in date order would fuse them), and every
read command works on it unchanged. The file is kept in the cache folder under a fingerprint
of the lake's files (names, sizes, times), so it is built once per state of the lake and built
anew when a backfill changes it.
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
from .tables import TABLES

#: the store's columns of each table (the lake's ``record_id`` and ``day`` are not kept)
STORE_COLUMNS = {
    "articles": "id, url, title, published, source, path, text, n_chars, n_events, meta",
    "events": ", ".join(name for name, _ in TABLES["events"]),
    "evidence": "event_id, field, start_char, end_char, text",
    "quarantine": "id, origin, code, reason, content_hash, size",
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
    digest = hashlib.sha256()
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
                    con.execute(
                        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM read_parquet(?, "
                        "hive_partitioning = true, union_by_name = true) ON CONFLICT DO NOTHING",
                        [[str(p) for p in found]],
                    )
            ordered = [
                r[0]
                for r in con.execute("SELECT id FROM articles ORDER BY published NULLS LAST, id").fetchall()
            ]
            cache = ReportCache()
            for start in range(0, len(ordered), FUSE_CHUNK):
                fuse(con, ordered[start : start + FUSE_CHUNK], cache)
    os.replace(partial, target)
    for old in target.parent.glob(f"lake-{name}-*.duckdb"):  # earlier states of this lake
        if old != target:
            old.unlink(missing_ok=True)
    return target
