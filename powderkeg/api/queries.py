"""What the API reads: filtered, keyset-paged events and fused events, their places, counts.

Filters mean what the CLI's do (``powderkeg events``): ``country`` is a source, target
or place country (for fused events also the country their articles are about, as the
tension index reads it); ``type`` a PLOVER type; ``since``/``until`` dates; counted
(asserted and claimed) events unless ``include_unconfirmed``. The API adds lists
(``type=ASSAULT,PROTEST``), ``factuality`` and ``text`` (words in the sentence).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

import duckdb

from ..analyze.regions import countries as known_countries
from ..errors import BadParameter
from ..knowledge.ontology import EVENT_TYPES
from ..records import COUNTED, FACTUALITY
from .http import decode_cursor, encode_cursor

FAR = dt.date(9999, 12, 31)  # undated rows sort last
PRECISION_RANK = {"place": 0, "admin1": 1, "country": 2, "region": 3}


@dataclass(frozen=True)
class Filters:
    country: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    factuality: tuple[str, ...] = ()
    text: str = ""
    include_unconfirmed: bool = False

    @classmethod
    def parse(
        cls,
        country: str | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        factuality: str | None = None,
        text: str | None = None,
        include_unconfirmed: bool = False,
    ) -> Filters:
        return cls(
            country=_known("country", _split(country), set(known_countries())),
            type=_known("type", _split(type), set(EVENT_TYPES)),
            since=_date("since", since),
            until=_date("until", until),
            factuality=_known("factuality", _split(factuality, upper=False), set(FACTUALITY)),
            text=(text or "").strip(),
            include_unconfirmed=include_unconfirmed,
        )

    def factualities(self) -> tuple[str, ...]:
        if self.factuality:
            return self.factuality
        return () if self.include_unconfirmed else COUNTED


def _split(value: str | None, upper: bool = True) -> tuple[str, ...]:
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    return tuple(p.upper() if upper else p.lower() for p in parts)


def _known(name: str, values: tuple[str, ...], known: set[str]) -> tuple[str, ...]:
    for value in values:
        if value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise BadParameter(f"unknown {name} {value!r}{hint}")
    return values


def _date(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}={value!r} is not a date (YYYY-MM-DD)") from None


def _literals(values: tuple[str, ...]) -> str:
    """Values already checked against a closed set (types, countries, factualities) as SQL literals:
    DuckDB filters a column against literals several times faster than against a bound list."""
    assert all(v.replace("_", "").isalnum() for v in values)
    return ", ".join(f"'{v}'" for v in values)


def _where_events(f: Filters) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.type:
        clauses.append(f"type IN ({_literals(f.type)})")
    _dates(f, clauses, params)
    if facts := f.factualities():
        clauses.append(f"factuality IN ({_literals(facts)})")
    if f.country:  # list_contains per code is twice as fast as list_has_any with a list
        clauses.append(
            "("
            + " OR ".join(
                f"place_country = '{c}' OR list_contains(source_countries, '{c}') OR list_contains(target_countries, '{c}')"
                for c in _literals(f.country).replace("'", "").split(", ")
            )
            + ")"
        )
    if f.text:
        clauses.append("contains(lower(sentence), ?)")
        params.append(f.text.lower())
    return clauses, params


def _where_fused(f: Filters) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.factuality:
        clauses.append("list_contains(?, factuality)")
        params.append(list(f.factuality))
    if f.country:
        clauses.append(
            "(list_has_any(source_keys, ?) OR list_has_any(target_keys, ?) OR list_contains(?, place_country)"
            " OR list_contains(?, record->>'context_country'))"
        )
        params += [list(f.country)] * 4
    if f.type:
        clauses.append("list_contains(?, type)")
        params.append(list(f.type))
    _dates(f, clauses, params)
    if f.text:
        clauses.append(
            "id IN (SELECT m.fused_id FROM fused_members m JOIN events e ON e.id = m.report_id"
            " WHERE contains(lower(e.sentence), ?))"
        )
        params.append(f.text.lower())
    return clauses, params


def _dates(f: Filters, clauses: list[str], params: list[Any]) -> None:
    if f.since:
        clauses.append("date >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("date <= ?")
        params.append(f.until)


def _sql_where(clauses: list[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


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
    after = None if key is None else (_date("cursor", key[0]), key[1], int(key[2]), key[3])
    positions = index.page(f, size, after) if index is not None else None
    if index is not None and positions is not None:
        keys = index.keys(positions)
        held = index.records(positions[:size])
        if held is not None:
            return _page([(r, *k[1:]) for r, k in zip(held, keys, strict=False)] + keys[size:], size)
    else:
        clauses, params = _where_events(f)
        if after is not None:
            clauses.append("(coalesce(date, ?), article_id, sentence_start, id) > (?, ?, ?, ?)")
            params += [FAR, *after]
        keys = con.execute(
            f"SELECT rowid, coalesce(date, ?), article_id, sentence_start, id FROM events {_sql_where(clauses)}"
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
    clauses, params = _where_fused(f)
    key = decode_cursor(cursor, 2)
    if key is not None:
        clauses.append("(coalesce(date, ?), id) > (?, ?)")
        params += [FAR, _date("cursor", key[0]), key[1]]
    rows = con.execute(
        f"SELECT record, coalesce(date, ?), id FROM fused_events {_sql_where(clauses)}"
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


def point_of(fused: dict[str, Any], reports: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """Where to map a fused event: its most precise report's place, else the centre of its
    place's (or its articles') country; None when neither is known."""
    best: tuple[int, float, float, str] | None = None
    for report in reports:
        place = report.get("place") or {}
        if place.get("lat") is None or place.get("lon") is None:
            continue
        rank = PRECISION_RANK.get(place.get("precision") or "", 4)
        if best is None or rank < best[0]:
            best = (rank, float(place["lat"]), float(place["lon"]), place.get("precision") or "")
    if best is not None:
        return {"lat": best[1], "lon": best[2], "precision": best[3]}
    country = (fused.get("place") or {}).get("country") or fused.get("context_country")
    if country in country_points():
        lat, lon = country_points()[country]
        return {"lat": lat, "lon": lon, "precision": "country"}
    return None


@functools.cache
def country_points() -> dict[str, tuple[float, float]]:
    text = resources.files("powderkeg.geocode").joinpath("data/country_points.tsv").read_text("utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    return {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in rows}


def timeline(con: duckdb.DuckDBPyConnection, f: Filters, by: str) -> list[dict[str, Any]]:
    """Fused events per period and quad class."""
    clauses, params = _where_fused(f)
    clauses.append("date IS NOT NULL")
    rows = con.execute(
        f"SELECT CAST(date_trunc(?, date) AS DATE) AS p, quad_class, count(*) FROM fused_events"
        f" {_sql_where(clauses)} GROUP BY ALL ORDER BY p, quad_class",
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
