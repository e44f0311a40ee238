"""Records in, lake rows out: the one coding step both engines run (local, or on each Spark executor)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from ..pipeline import Pipeline
from ..records import Article
from ..settings import Settings
from .inputs import day_of, item
from .tables import Row, quarantine_row, rows

#: an input record as read: (record or None when unreadable, origin, raw text for the content hash)
Record = tuple[dict[str, Any] | None, str, str]


def code_records(
    pipeline: Pipeline, records: Iterable[Record], seen: set[str] | None = None, chunk: int = 256
) -> Iterator[Row]:
    """Lake rows for ``records``: a bad record becomes a quarantine row, never an error.

    ``seen`` (article ids) skips a text read twice in one run, as the store would.
    """
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= chunk:
            yield from _code_chunk(pipeline, batch, seen)
            batch = []
    if batch:
        yield from _code_chunk(pipeline, batch, seen)


def _code_chunk(pipeline: Pipeline, batch: list[Record], seen: set[str] | None) -> Iterator[Row]:
    articles: list[Article] = []
    for record, origin, raw in batch:
        found = item(record, origin, raw, pipeline.settings)
        if not isinstance(found, Article):
            yield quarantine_row(found, day_of(record))
        elif seen is None or found.id not in seen:
            if seen is not None:
                seen.add(found.id)
            articles.append(found)
    for article, result in pipeline.code(articles):
        yield from rows(article, result)


# -- on a Spark executor ---------------------------------------------------------

_executor_pipeline: Pipeline | None = None


def code_partition(settings: Settings, records: Iterable[Any]) -> Iterator[Row]:
    """``mapPartitions`` over input rows (origin, id, url, title, published, text, corrupt).

    The pipeline is loaded once per executor process (Spark reuses its Python workers
    between tasks), and codes in that process: Spark gives each task its own core.
    """
    global _executor_pipeline
    if _executor_pipeline is None:
        _executor_pipeline = Pipeline(dataclasses.replace(settings, n_process=1))

    def read() -> Iterator[Record]:
        for origin, rid, url, title, published, text, corrupt in records:
            if corrupt is not None:
                yield None, origin, corrupt
                continue
            record = {"id": rid, "url": url, "title": title, "published": published, "text": text}
            yield record, f"{origin}#{rid}" if rid is not None else origin, text or ""

    yield from code_records(_executor_pipeline, read())
