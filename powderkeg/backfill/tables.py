"""The lake's tables: the store's columns (store/schema.sql), plus ``day``, the partition.

Each table is a folder of Parquet files partitioned by ``day``, the publication day of the
article a row comes from (``day=__HIVE_DEFAULT_PARTITION__`` for undated articles and for
quarantined documents without a readable date), so an article, its events and their
evidence always sit in the same day and a day can be replaced as one.
Rows are built here, once, for both engines: the same record gives the same row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

from ..records import Article, Event, Quarantined
from ..store.duckdb import event_row

#: column name and type (Spark SQL names; ``local.py`` maps them to DuckDB's)
Columns = Sequence[tuple[str, str]]

ARTICLES: Columns = (
    ("id", "STRING"), ("url", "STRING"), ("title", "STRING"), ("published", "DATE"),
    ("source", "STRING"), ("path", "STRING"), ("text", "STRING"), ("n_chars", "INT"),
    ("n_events", "INT"), ("meta", "STRING"), ("record_id", "STRING"),
)  # fmt: skip
EVENTS: Columns = (
    ("id", "STRING"), ("article_id", "STRING"), ("type", "STRING"), ("mode", "STRING"),
    ("cameo", "STRING"), ("acled_type", "STRING"), ("quad_class", "INT"), ("score", "DOUBLE"),
    ("source_countries", "ARRAY<STRING>"), ("target_countries", "ARRAY<STRING>"),
    ("source_orgs", "ARRAY<STRING>"), ("target_orgs", "ARRAY<STRING>"), ("place_country", "STRING"),
    ("date", "DATE"), ("date_precision", "STRING"), ("killed", "INT"), ("injured", "INT"),
    ("arrested", "INT"), ("size", "INT"), ("factuality", "STRING"), ("claimed_by", "STRING"),
    ("sentence", "STRING"), ("sentence_start", "INT"), ("sentence_index", "INT"), ("rule", "STRING"),
    ("confidence", "DOUBLE"), ("record", "STRING"),
)  # fmt: skip
EVIDENCE: Columns = (
    ("event_id", "STRING"), ("field", "STRING"), ("start_char", "INT"), ("end_char", "INT"), ("text", "STRING"),
)  # fmt: skip
QUARANTINE: Columns = (
    ("id", "STRING"), ("origin", "STRING"), ("code", "STRING"), ("reason", "STRING"),
    ("content_hash", "STRING"), ("size", "BIGINT"),
)  # fmt: skip

TABLES: dict[str, Columns] = {
    "articles": ARTICLES,
    "events": EVENTS,
    "evidence": EVIDENCE,
    "quarantine": QUARANTINE,
}
PARTITION = "day"
#: the folder name Spark and DuckDB give a partition whose value is null
NO_DAY = "__HIVE_DEFAULT_PARTITION__"

#: one row of the lake: (table, day, values in the table's column order)
Row = tuple[str, dt.date | None, tuple[Any, ...]]


def rows(article: Article, result: list[Event] | Quarantined) -> Iterator[Row]:
    """The lake rows of one coded article (or of its quarantine record)."""
    day = article.published
    if isinstance(result, Quarantined):
        yield quarantine_row(result, day)
        return
    yield (
        "articles",
        day,
        (
            article.id, article.url, article.title, article.published, article.source, article.path,
            article.text, len(article.text), len(result), json.dumps(article.meta),
            str(article.meta.get("record_id", "")) or None,
        ),
    )  # fmt: skip
    for event in result:
        yield "events", day, event_row(event)
        for name, (start, end) in event.spans.items():
            yield "evidence", day, (event.id, name, start, end, article.text[start:end])


def quarantine_row(item: Quarantined, day: dt.date | None) -> Row:
    return "quarantine", day, (item.id, item.origin, item.code, item.reason, item.content_hash, item.size)


def day_folder(day: dt.date | None) -> str:
    return f"{PARTITION}={day.isoformat() if day else NO_DAY}"
