"""Versioned migrations: each schema change is a numbered step, applied once and in order when a
database is opened for writing.

A database's version is ``meta.schema_version`` (0 for a new file); ``schema_migrations`` lists the
steps applied to it and when. ``migrate(con)`` reads the version and applies every later step,
each in its own transaction together with the new version, so a crash leaves the database at
one version or the next, never between. A released step is never edited: a schema change is a
new step at the end of ``STEPS``, made of SQL files beside this module and/or a function for
data that SQL cannot rewrite simply.

1  the schema of powderkeg 0.1 (articles and events, fused events and alerts, watched sources)
2  event records' ``source`` and ``target`` become lists of actors (the event contract's one shape)
3  indexes on ``evidence.event_id`` and ``fuse_log.fused_id`` (one event's evidence, one fused event's log)
4  ``alert_deliveries``: an alert is delivered to a sink only once the sink took it (retried by the next run)
5  ``fused_days``: each fused report's type and day, the index fusion finds the fused events in reach by
6  ``evidence`` without its key (event_id, field), which the writer keeps and whose index grew a writer's memory
7  ``seq`` on articles, events and evidence, by which reads find an event's evidence in place of the index
   ``evidence_event``; ``events_date`` dropped too (both grew a writer's memory)
8  no index on ``fused_events.date``, ``fused_members.fused_id`` nor ``fuse_log.fused_id`` (each grew a
   writer's memory; the reads that used them scan a column)
9  no index on events' article: an article's events are read by its ``seq``
10 ``fused_days`` without ``fused_id`` nor its key: a report's row is written once, its fused event read
   from ``fused_members`` (the key's index grew a writer's memory)
11 ``events`` keyed by (seq, id) instead of id: new rows touch only the end of the key's index, so a
   writer loads only that part of it (keyed by a hash, it loaded all of it)
12 ``fused_members`` keyed by (seq, report_id) instead of report_id, for the same reason
13 ``fused_events`` keyed by (seq, id) instead of id, seq the number of the founder's article, for the
   same reason
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import duckdb

from ..errors import StoreError


@dataclass(frozen=True)
class Step:
    version: int
    summary: str
    files: tuple[str, ...] = ()  # SQL files in this folder, run in this order
    run: Callable[[duckdb.DuckDBPyConnection], None] | None = None  # after the files


def _actors_as_lists(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite each event record whose source or target is one actor (a dict) or none (null)."""
    rows = con.execute(
        "SELECT id, record FROM events"
        " WHERE json_type(record, '$.source') <> 'ARRAY' OR json_type(record, '$.target') <> 'ARRAY'"
    ).fetchall()
    if not rows:
        return
    updated = [
        (event_id, json.dumps(_with_lists(json.loads(record)), ensure_ascii=False))
        for event_id, record in rows
    ]
    con.execute("CREATE TEMP TABLE actor_lists (id VARCHAR, record JSON)")
    con.execute(
        "INSERT INTO actor_lists SELECT unnest(?), unnest(?)",
        [[i for i, _ in updated], [r for _, r in updated]],
    )
    con.execute("UPDATE events SET record = a.record FROM actor_lists a WHERE events.id = a.id")
    con.execute("DROP TABLE actor_lists")


def _with_lists(record: dict[str, Any]) -> dict[str, Any]:
    for side in ("source", "target"):
        value = record.get(side)
        record[side] = value if isinstance(value, list) else [value] if value else []
    return record


STEPS = (
    Step(1, "articles and events, fused events and alerts, watched sources",
         ("schema.sql", "schema_fused.sql", "schema_sources.sql")),
    Step(2, "event records: source and target are always lists of actors", run=_actors_as_lists),
    Step(3, "indexes for one event's evidence and one fused event's merge log", ("schema_lookups.sql",)),
    Step(4, "alert deliveries: each alert's delivery to each sink, retried until a sink takes it",
         ("schema_deliveries.sql",)),
    Step(5, "fused days: each fused report's type and day, so fusion reads only the fused events in reach",
         ("schema_fused_days.sql",)),
    Step(6, "evidence without its key: the writer keeps one row per event and field, and the key's index"
            " held memory that grew with the store", ("schema_evidence.sql",)),
    Step(7, "articles, events and evidence numbered by article (seq), evidence read by it in place of its"
            " index; no index on events' date: both indexes' memory grew with the store", ("schema_seq.sql",)),
    Step(8, "no index on fused events' date nor on the fused id of members and log: their memory grew with the"
            " store, and the reads that used them scan a column", ("schema_fused_indexes.sql",)),
    Step(9, "no index on events' article: an article's events are read by its number (seq), and the"
            " index's memory grew with the store", ("schema_events_article.sql",)),
    Step(10, "fused days written once per report, without its fused event (read from fused members) nor"
             " its key: the key's index memory grew with the store", ("schema_fused_days_once.sql",)),
    Step(11, "events keyed by their article's number and their id (seq, id) instead of their id: new rows"
             " touch only the end of the key's index, so a writer no longer loads the whole of it",
         ("schema_events_key.sql",)),
    Step(12, "fused members keyed by their report's article number and the report's id (seq, report_id)"
             " instead of the report's id: new rows touch only the end of the key's index, so a writer no"
             " longer loads the whole of it", ("schema_fused_members_key.sql",)),
    Step(13, "fused events keyed by the number of their founder's article and their id (seq, id) instead"
             " of their id: new rows touch only the end of the key's index, so a writer no longer loads"
             " the whole of it", ("schema_fused_events_key.sql",)),
)  # fmt: skip
SCHEMA_VERSION = STEPS[-1].version


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version a database is at: 0 when it has no ``meta`` table yet (a new file)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'"
    ).fetchone()
    if not found or not found[0]:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def check(con: duckdb.DuckDBPyConnection, path: str, writable: bool) -> int:
    """The database's version; StoreError if this powderkeg cannot use it as it is."""
    version = current_version(con)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} has schema version {version}, newer than this powderkeg's {SCHEMA_VERSION}",
            remedy="upgrade powderkeg (pip install -U powderkeg) to open it",
        )
    if version < SCHEMA_VERSION and not writable:
        raise StoreError(
            f"{path} has schema version {version}; this powderkeg reads version {SCHEMA_VERSION}",
            remedy=f"upgrade the file first: powderkeg migrate --db {path}",
        )
    return version


def migrate(con: duckdb.DuckDBPyConnection, path: str = "") -> tuple[int, int]:
    """Apply every step after the database's version; return (version before, version after)."""
    before = check(con, path, writable=True)
    folder = resources.files("powderkeg.store")
    for step in STEPS:
        if step.version <= before:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for name in step.files:
                con.execute(folder.joinpath(name).read_text("utf-8"))
            if step.run is not None:
                step.run(con)
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, summary VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
            )
            con.execute(
                "INSERT INTO schema_migrations (version, summary) VALUES (?, ?)", [step.version, step.summary]
            )
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [str(step.version)],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return before, max(before, SCHEMA_VERSION)
