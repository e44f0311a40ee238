"""The local engine: this machine's cores (the pipeline's worker pool), DuckDB writing the Parquet.

Rows are buffered per table and day and written as Parquet part files into a staging folder
beside the lake; when every input is read, each day the run touched is swapped in whole, in
every table (an old day's folder is moved aside, the new one renamed in, the old one
deleted), so re-running a day replaces it and a run that fails leaves the lake as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from ..errors import ConfigError
from ..pipeline import Pipeline
from ..settings import Settings
from . import BackfillSummary
from .code import Record, code_records
from .inputs import is_parquet, read_jsonl, read_parquet
from .tables import PARTITION, TABLES, day_folder

DUCKDB_TYPES = {"STRING": "VARCHAR", "INT": "INTEGER", "ARRAY<STRING>": "VARCHAR[]"}
#: rows held before they are written out as part files
FLUSH_ROWS = 50_000


def run_local(inputs: Sequence[str], out: str, settings: Settings) -> BackfillSummary:
    started = time.perf_counter()
    lake = Path(out)
    staging = lake / f"_staging-{uuid.uuid4().hex[:8]}"
    summary = BackfillSummary()
    writer = _Writer(staging)
    try:
        with Pipeline(settings) as pipeline:
            for table, day, values in code_records(pipeline, _records(inputs, summary), seen=set()):
                writer.add(table, day, values)
                if table == "articles":
                    summary.articles += 1
                elif table == "events":
                    summary.events += 1
                elif table == "quarantine":
                    summary.quarantined += 1
        writer.flush()
        summary.days = _swap_in(staging, lake, writer.days)
    finally:
        writer.close()
        shutil.rmtree(staging, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _records(inputs: Sequence[str], summary: BackfillSummary) -> Iterator[Record]:
    for name in inputs:
        path = Path(name)
        if not path.exists():
            raise ConfigError(f"no input at {name}", remedy="give JSONL or Parquet files or folders of them")
        if is_parquet(name):
            found: Iterator[Record] = read_parquet(name)
        elif path.is_dir():
            found = (r for p in sorted(path.rglob("*.jsonl")) for r in read_jsonl(p))
        else:
            found = read_jsonl(path)
        for record in found:
            summary.documents += 1
            yield record


class _Writer:
    """Rows per (table, day), written as numbered Parquet part files under ``staging``."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.buffers: dict[tuple[str, dt.date | None], list[tuple[Any, ...]]] = defaultdict(list)
        self.held = 0
        self.parts = 0
        self.days: set[dt.date | None] = set()
        self.con = duckdb.connect()

    def add(self, table: str, day: dt.date | None, values: tuple[Any, ...]) -> None:
        self.buffers[(table, day)].append(values)
        self.days.add(day)
        self.held += 1
        if self.held >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for (table, day), rows in self.buffers.items():
            if rows:
                self._write(table, day, rows)
        self.buffers.clear()
        self.held = 0

    def _write(self, table: str, day: dt.date | None, rows: list[tuple[Any, ...]]) -> None:
        columns = TABLES[table]
        folder = self.staging / table / day_folder(day)
        folder.mkdir(parents=True, exist_ok=True)
        self.parts += 1
        target = folder / f"part-{self.parts:05d}.parquet"
        select = ", ".join(
            f'CAST(unnest(?) AS {DUCKDB_TYPES.get(kind, kind)}) AS "{name}"' for name, kind in columns
        )
        values = [list(c) for c in zip(*rows, strict=True)]
        self.con.execute(
            f"COPY (SELECT {select}) TO '{_sql(str(target))}' (FORMAT parquet, COMPRESSION zstd)", values
        )

    def close(self) -> None:
        self.con.close()


def _swap_in(staging: Path, lake: Path, days: set[dt.date | None]) -> int:
    """Replace each day the run touched, in every table, by what the run wrote for it."""
    for table in TABLES:
        for day in days:
            new = staging / table / day_folder(day)
            old = lake / table / day_folder(day)
            aside = lake / table / f".old-{uuid.uuid4().hex[:8]}-{day_folder(day)}"
            if old.exists():
                old.rename(aside)
            if new.exists():
                old.parent.mkdir(parents=True, exist_ok=True)
                new.rename(old)
            shutil.rmtree(aside, ignore_errors=True)
    return len(days)


def _sql(text: str) -> str:
    return text.replace("'", "''")


__all__ = ["PARTITION", "run_local"]
