"""What the API reads: filtered, keyset-paged events and fused events, their places, counts.

Filters are the CLI's (``powderkeg events`` and ``powderkeg fused``): one definition,
``store/filters.py``, parses and checks them and writes their SQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb

from ..store.export import point_of
from ..store.filters import DATED, Filters, date_param, sql_where, where_events, where_fused
from .http import decode_cursor, encode_cursor

FAR = dt.date(9999, 12, 31)  # undated rows sort last


@dataclass(frozen=True)
class Page:
    records: Sequence[str | bytes]  # JSON text of each item, as stored (or its UTF-8)
    keys: list[list[Any]]
    next_cursor: str | None


def _page(rows: list[tuple[Any, ...]], size: int) -> Page:
    """Rows of (record, *sort key) fetched with LIMIT size + 1."""
    more = len(rows) > size
    rows = rows[:size]
    keys = [[_plain(v) for v in row[1:]] for row in rows]
    return Page([r[0] for r in rows], keys, encode_cursor(keys[-1]) if more and keys else None)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class PageIndex(Protocol):
    """What ``events_page`` asks of an in-memory index (``index.EventIndex``)."""

    def page(self, f: Filters, size: int, after: Sequence[Any] | None) -> list[int] | None: ...

    def keys(self, positions: Sequence[int]) -> list[tuple[Any, ...]]: ...

    def records(self, positions: Sequence[int]) -> list[bytes] | None: ...


def events_page(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    size: int,
    cursor: str | None,
    index: PageIndex | None = None,
) -> Page:
    """A page of events: the sort keys of the matching rows first (from ``index`` when given
    and able to answer, else by SQL), then only their records (by rowid), so that the large
    ``record`` column is read for one page, not for every match."""
    key = decode_cursor(cursor, 4)
    after = None if key is None else (date_param("cursor", key[0]), key[1], int(key[2]), key[3])
    positions = index.page(f, size, after) if index is not None else None
    if index is not None and positions is not None:
        keys = index.keys(positions)
        held = index.records(positions[:size])
        if held is not None:
            return _page([(r, *k[1:]) for r, k in zip(held, keys, strict=False)] + keys[size:], size)
    else:
        clauses, params = where_events(f)
        if after is not None:
            clauses.append("(coalesce(date, ?), article_id, sentence_start, id) > (?, ?, ?, ?)")
            params += [FAR, *after]
        keys = con.execute(
            f"SELECT rowid, coalesce(date, ?), article_id, sentence_start, id FROM events {sql_where(clauses)}"
            " ORDER BY coalesce(date, ?), article_id, sentence_start, id LIMIT ?",
            [FAR, *params, FAR, size + 1],
        ).fetchall()
    shown = keys[:size]
    rows = (
        con.execute(
            "SELECT rowid, id, record FROM events WHERE rowid IN (SELECT unnest(?))", [[k[0] for k in shown]]
        ).fetchall()
        if shown
        else []
    )
    records = {rowid: record for rowid, event_id, record in rows}
    if index is not None and {(r[0], r[1]) for r in rows} != {(k[0], k[4]) for k in shown}:
        return events_page(con, f, size, cursor)  # the table changed under the index: ask SQL
    return _page([(records[k[0]], *k[1:]) for k in shown] + keys[size:], size)


def fused_page(con: duckdb.DuckDBPyConnection, f: Filters, size: int, cursor: str | None) -> Page:
    clauses, params = where_fused(f)
    key = decode_cursor(cursor, 2)
    if key is not None:
        clauses.append("(coalesce(date, ?), id) > (?, ?)")
        params += [FAR, date_param("cursor", key[0]), key[1]]
    rows = con.execute(
        f"SELECT record, coalesce(date, ?), id FROM fused_events {sql_where(clauses)}"
        " ORDER BY coalesce(date, ?), id LIMIT ?",
        [FAR, *params, FAR, size + 1],
    ).fetchall()
    return _page(rows, size)


def with_points(con: duckdb.DuckDBPyConnection, records: Sequence[str | bytes]) -> list[dict[str, Any]]:
    """Fused records with ``point`` (see ``point_of``)."""
    fused = [json.loads(r) for r in records]
    reports: dict[str, list[dict[str, Any]]] = {}
    if fused:
        rows = con.execute(
            "SELECT m.fused_id, e.record->'$.place' FROM fused_members m JOIN events e ON e.id = m.report_id"
            " WHERE list_contains(?, m.fused_id)",
            [[f["id"] for f in fused]],
        ).fetchall()
        for fid, place in rows:
            reports.setdefault(fid, []).append({"place": json.loads(place) if place else None})
    for f in fused:
        f["point"] = point_of(f, reports.get(f["id"], []))
    return fused


def timeline(con: duckdb.DuckDBPyConnection, f: Filters, by: str) -> list[dict[str, Any]]:
    """Fused events per period and quad class."""
    clauses, params = where_fused(f)
    clauses += ["date IS NOT NULL", DATED]  # not on the day an undated article was ingested
    rows = con.execute(
        f"SELECT CAST(date_trunc(?, date) AS DATE) AS p, quad_class, count(*) FROM fused_events"
        f" {sql_where(clauses)} GROUP BY ALL ORDER BY p, quad_class",
        [by, *params],
    ).fetchall()
    out: dict[dt.date, dict[str, Any]] = {}
    for period, quad, n in rows:
        entry = out.setdefault(period, {"period": period.isoformat(), "total": 0, "by_quad": {}})
        entry["by_quad"][str(quad or 0)] = n
        entry["total"] += n
    return list(out.values())


def feature(record: dict[str, Any], lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": record}


def event_feature(record_json: str | bytes) -> dict[str, Any] | None:
    record = json.loads(record_json)
    place = record.get("place") or {}
    if place.get("lat") is None or place.get("lon") is None:
        return None
    return feature(record, place["lat"], place["lon"])
