"""Backfills: an archive of articles coded into a Parquet lake, on one machine or a Spark cluster.

    INPUT (JSONL or Parquet: id, url, title, published, text)
      -> read (inputs.py: a record -> Article, or Quarantined with its reason)
      -> code (one spaCy pipeline per process: a local pool, or one per Spark executor)
      -> write LAKE/{articles,events,evidence,quarantine}/day=YYYY-MM-DD/*.parquet

``tables.py`` defines the lake's tables (the store's columns, partitioned by the article's
publication day), ``local.py`` and ``spark.py`` are the two engines, and ``lake.py`` reads a
lake back: its events directly, fusion and tension through DuckDB over the Parquet files.
A day is the unit of a backfill: re-running a day replaces it, and never duplicates it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import ConfigError
from ..settings import Settings


@dataclass
class BackfillSummary:
    documents: int = 0
    articles: int = 0
    events: int = 0
    quarantined: int = 0
    days: int = 0
    seconds: float = 0.0


def backfill(
    inputs: Sequence[str],
    out: str,
    settings: Settings,
    engine: str = "local",
    master: str = "local[*]",
    conf: Mapping[str, str] | None = None,
) -> BackfillSummary:
    """Code ``inputs`` into the lake at ``out`` with the ``local`` or the ``spark`` engine
    (``master`` and ``conf``: the Spark master and settings, for the ``spark`` engine only)."""
    if engine == "local":
        from .local import run_local

        return run_local(inputs, out, settings)
    if engine == "spark":
        from .spark import run_spark

        return run_spark(inputs, out, settings, master, conf=conf)
    raise ConfigError(f"unknown engine {engine!r}", remedy="use --engine local or --engine spark")


__all__ = ["BackfillSummary", "backfill"]
