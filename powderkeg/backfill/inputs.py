"""Backfill input: JSONL or Parquet records (id, url, title, published, text) -> Article or Quarantined.

Both engines turn a record into an article with ``article_from_record`` (the same checks as
`powderkeg run` on JSONL: text present, not too long, not too short, not binary), so a bad
record is quarantined with the same code and reason whichever engine read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DocumentError, MalformedDocument
from ..ingest.files import article_from_record
from ..ingest.text import parse_date
from ..records import Article, Quarantined
from ..settings import Settings

#: the input columns a backfill reads
COLUMNS = ("id", "url", "title", "published", "text")


def item(record: dict[str, Any] | None, origin: str, raw: str, settings: Settings) -> Article | Quarantined:
    """An article from ``record`` (None: the line was not a JSON object), or why not."""
    digest = hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()[:16]
    try:
        if record is None:
            raise MalformedDocument("the line is not a JSON object")
        return article_from_record(record, settings, path=origin)
    except DocumentError as exc:
        reason = exc.message + (f"; {exc.remedy}" if exc.remedy else "")
        return Quarantined(origin, exc.code, reason, digest, len(raw))


def day_of(record: dict[str, Any] | None) -> dt.date | None:
    """The publication day of a record, for the partition of its quarantine row."""
    try:
        return parse_date((record or {}).get("published") or (record or {}).get("date"))
    except (ValueError, TypeError):
        return None


def parse_line(line: str) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None


def is_parquet(path: str) -> bool:
    p = Path(path)
    return p.suffix.lower() == ".parquet" or (p.is_dir() and any(p.rglob("*.parquet")))


def read_jsonl(path: Path) -> Iterator[tuple[dict[str, Any] | None, str, str]]:
    """(record or None, origin, raw line) for each non-empty line, read as a stream."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield parse_line(line), f"{path}:{number}", line


def read_parquet(path: str) -> Iterator[tuple[dict[str, Any] | None, str, str]]:
    """(record, origin, raw) for each row of a Parquet file or folder, read in batches."""
    import duckdb

    con = duckdb.connect()
    try:
        pattern = str(Path(path) / "**" / "*.parquet") if Path(path).is_dir() else path
        have = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [pattern]).fetchall()}
        cols = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in COLUMNS)
        cur = con.execute(f"SELECT {cols} FROM read_parquet(?)", [pattern])
        number = 0
        while batch := cur.fetchmany(1000):
            for values in batch:
                number += 1
                record = dict(zip(COLUMNS, values, strict=True))
                yield record, f"{path}#{number}", str(record.get("id") or record.get("text") or "")[:2000]
    finally:
        con.close()
