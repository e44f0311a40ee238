"""Flat rows for analysts: one column set per kind of record, whatever the file format.

``EVENT_COLUMNS`` are the columns of ``powderkeg events --format csv|jsonl|parquet`` (one
row per coded report), ``FUSED_COLUMNS`` those of ``powderkeg fused`` (one row per
real-world event), ``ACLED_COLUMNS`` those of ``--format acled`` for either: ACLED's column
names and meanings where they apply ("ACLED-compatible columns", not ACLED data; the mapping
is ``knowledge/data/acled.toml``). Each column has a DuckDB type (Parquet keeps it) and a
description (docs/codebook.md lists them). ``event_rows`` and ``fused_rows`` read the store;
``event_row`` and ``fused_row`` build a row from the JSON records alone, so any other
backend holding the same records (a Parquet lake) gives the same columns. ``write`` writes
rows as CSV, JSON lines or Parquet; ``feature_collection`` as GeoJSON.

A place keeps its first-level area as a GeoNames admin1 code; the ``admin1`` columns give the
area's name, as ACLED's does, through the ``admin1_name`` each row builder is passed (the
gazetteer's, ``geocode.areas.Admin1Areas.name``; the store does not read the gazetteer), and
``admin1_code`` keeps the code.
"""

from __future__ import annotations

import csv
import functools
import json
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any

import duckdb

from ..knowledge.countries import country_name
from ..records import NUMBER_FIELDS, FusedEvent
from .filters import Filters, sql_where, where_events, where_fused

PRECISION_RANK = {"place": 0, "admin1": 1, "country": 2, "region": 3}

#: the name of a first-level area from its country (ISO3) and admin1 code; '' when unknown
Admin1Name = Callable[[str, str], str]


def no_names(country: str, code: str) -> str:
    """An ``Admin1Name`` that knows no names: ``admin1`` columns stay empty, ``admin1_code`` is kept."""
    return ""


def _admin1(place: dict[str, Any], admin1_name: Admin1Name) -> tuple[str, str]:
    """(name, code) of a place's first-level area."""
    code = place.get("admin1") or ""
    return (admin1_name(place.get("country") or "", code) if code else ""), code


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type
    doc: str


def _columns(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


_ARTICLE = (
    ("article_id", "VARCHAR", "the article's id (a hash of its text)"),
    ("record_id", "VARCHAR", "the id the input gave the article (a JSONL record's `id`), else empty"),
    ("url", "VARCHAR", "the article's URL"),
    ("title", "VARCHAR", "the article's title"),
    ("outlet", "VARCHAR", "the news source: the article's site or source name"),
    ("published", "DATE", "the article's publication date (empty: it had none)"),
    ("path", "VARCHAR", "the file (and line) the article was read from"),
)

EVENT_COLUMNS = _columns(
    ("id", "VARCHAR", "event id"),
    ("date", "DATE", "when it happened (empty: unknown)"),
    ("date_precision", "VARCHAR", "day, week, month or unknown"),
    ("type", "VARCHAR", "PLOVER event type"),
    ("mode", "VARCHAR", "PLOVER mode (empty: none)"),
    ("cameo", "VARCHAR", "CAMEO code"),
    (
        "quad_class",
        "INTEGER",
        "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
    ),
    ("score", "DOUBLE", "Goldstein-style score, -10 (most conflictual) to 10"),
    ("acled_type", "VARCHAR", "ACLED-style sub-event type"),
    ("source", "VARCHAR", "the source actors' full texts, ' + ' between actors"),
    ("source_country", "VARCHAR", "their ISO3 countries, '+' between them"),
    ("source_org", "VARCHAR", "their organisations, '+' between them"),
    ("source_sector", "VARCHAR", "their sectors, '+' between them"),
    ("target", "VARCHAR", "the target actors' full texts, ' + ' between actors"),
    ("target_country", "VARCHAR", "their ISO3 countries"),
    ("target_org", "VARCHAR", "their organisations"),
    ("target_sector", "VARCHAR", "their sectors"),
    ("place", "VARCHAR", "where it happened, as the text names it"),
    ("place_country", "VARCHAR", "the place's ISO3 country"),
    ("admin1", "VARCHAR", "the place's first-level administrative area, by name (empty: unknown)"),
    ("admin1_code", "VARCHAR", "its GeoNames admin1 code (unique within the country)"),
    ("lat", "DOUBLE", "latitude of the place"),
    ("lon", "DOUBLE", "longitude of the place"),
    ("geo_precision", "VARCHAR", "what the point stands for: place, admin1, country or region"),
    ("killed", "INTEGER", "people killed"),
    ("injured", "INTEGER", "people injured"),
    ("arrested", "INTEGER", "people arrested"),
    ("size", "INTEGER", "size of a crowd or force"),
    ("factuality", "VARCHAR", "asserted, claimed, denied, hypothetical or future"),
    ("claimed_by", "VARCHAR", "who claims it, for a claimed event"),
    ("confidence", "DOUBLE", "the coder's confidence, 0 to 1"),
    ("rule", "VARCHAR", "the pattern and role-finding rule that coded it"),
    ("sentence", "VARCHAR", "the evidence sentence"),
    *_ARTICLE,
    ("fused_id", "VARCHAR", "the real-world (fused) event it reports (empty: not counted, so not fused)"),
)

FUSED_COLUMNS = _columns(
    ("id", "VARCHAR", "fused event id"),
    ("date", "DATE", "when it happened (empty: no report dates it)"),
    ("date_min", "DATE", "the earliest date a report gives"),
    ("date_max", "DATE", "the latest date a report gives"),
    ("date_precision", "VARCHAR", "day, week, month or unknown"),
    ("date_basis", "VARCHAR", "text (a coded date) or ingested (undated articles only: date left empty)"),
    ("type", "VARCHAR", "PLOVER event type"),
    ("mode", "VARCHAR", "PLOVER mode"),
    ("quad_class", "INTEGER", "quad class (see events)"),
    ("score", "DOUBLE", "Goldstein-style score (median of the reports')"),
    ("acled_type", "VARCHAR", "ACLED-style sub-event type (most reports')"),
    ("participants", "VARCHAR", "meetings and clashes: both sides' countries and organisations, '+' between"),
    ("source", "VARCHAR", "the source side's countries and organisations, '+' between them"),
    ("target", "VARCHAR", "the target side's countries and organisations"),
    ("place", "VARCHAR", "where it happened"),
    ("place_country", "VARCHAR", "the place's ISO3 country (else the country its articles are about)"),
    ("admin1", "VARCHAR", "first-level administrative area of its most precise report's place, by name"),
    ("admin1_code", "VARCHAR", "its GeoNames admin1 code"),
    ("lat", "DOUBLE", "latitude: its most precise report's place, else its country's point"),
    ("lon", "DOUBLE", "longitude"),
    ("geo_precision", "VARCHAR", "place, admin1, country or region"),
    *(
        (f"{name}_{end}", "INTEGER", f"{word} {name} any report gives")
        for name in NUMBER_FIELDS
        for end, word in (("min", "the lowest figure of"), ("max", "the highest figure of"))
    ),
    ("factuality", "VARCHAR", "asserted when any report asserts it, else claimed"),
    ("n_reports", "INTEGER", "coded reports fused into it"),
    ("n_sources", "INTEGER", "articles that report it"),
    ("sentence", "VARCHAR", "the first report's evidence sentence"),
    ("report_ids", "VARCHAR", "its reports' event ids, ' ' between them"),
    ("article_ids", "VARCHAR", "its articles' ids, ' ' between them"),
    ("urls", "VARCHAR", "its articles' URLs, ' ' between them"),
    ("outlets", "VARCHAR", "its articles' news sources, '; ' between them"),
)

ACLED_COLUMNS = _columns(
    ("event_id_cnty", "VARCHAR", "powderkeg's event (or fused event) id"),
    ("event_date", "DATE", "event date"),
    ("year", "INTEGER", "year of the event"),
    ("time_precision", "INTEGER", "1 day, 2 week, 3 month"),
    ("event_type", "VARCHAR", "ACLED event type of the sub-event type (knowledge/data/acled.toml)"),
    ("sub_event_type", "VARCHAR", "ACLED sub-event type (Other where ACLED has none of powderkeg's)"),
    ("actor1", "VARCHAR", "the first source actor"),
    ("assoc_actor_1", "VARCHAR", "the other source actors, '; ' between them"),
    ("inter1", "INTEGER", "actor1's type: 1 state forces ... 8 external/other forces, 0 none"),
    ("actor2", "VARCHAR", "the first target actor"),
    ("assoc_actor_2", "VARCHAR", "the other target actors"),
    ("inter2", "INTEGER", "actor2's type"),
    ("interaction", "INTEGER", "inter1 and inter2 as one code, lower first (16: state forces-protesters)"),
    ("country", "VARCHAR", "the country's name"),
    ("admin1", "VARCHAR", "first-level administrative area, by name"),
    ("admin2", "VARCHAR", "second-level area (powderkeg does not code it: empty)"),
    ("location", "VARCHAR", "the place's name"),
    ("latitude", "DOUBLE", "latitude"),
    ("longitude", "DOUBLE", "longitude"),
    ("geo_precision", "INTEGER", "1 town, 3 region or country"),
    ("source", "VARCHAR", "the news sources"),
    ("notes", "VARCHAR", "the evidence sentence"),
    ("fatalities", "INTEGER", "people killed (fused events: the lowest figure reported)"),
    ("powderkeg_sub_event_type", "VARCHAR", "powderkeg's own sub-event type"),
    ("plover", "VARCHAR", "PLOVER type/mode"),
    ("factuality", "VARCHAR", "asserted, claimed, denied, hypothetical or future"),
)


# -- rows ----------------------------------------------------------------------


def _texts(actors: Sequence[dict[str, Any]]) -> str:
    return " + ".join(a.get("text") or "" for a in actors)


def _codes(actors: Sequence[dict[str, Any]], key: str) -> str:
    return "+".join(a[key] for a in actors if a.get(key))


def _outlet(article: dict[str, Any]) -> str:
    return article.get("source") or ""


def _article_cells(article: dict[str, Any]) -> dict[str, Any]:
    meta = article.get("meta") or {}
    if isinstance(meta, str):
        meta = json.loads(meta or "{}")
    return {
        "article_id": article.get("id") or "",
        "record_id": str(meta.get("record_id") or ""),
        "url": article.get("url") or "",
        "title": article.get("title") or "",
        "outlet": _outlet(article),
        "published": article.get("published"),
        "path": article.get("path") or "",
    }


def event_row(
    record: dict[str, Any], article: dict[str, Any], fused_id: str = "", admin1_name: Admin1Name = no_names
) -> dict[str, Any]:
    """An event-contract record (with its article's row) as ``EVENT_COLUMNS``."""
    place = record.get("place") or {}
    numbers = record.get("numbers") or {}
    admin1, admin1_code = _admin1(place, admin1_name)
    row = {
        "id": record["id"],
        "date": record.get("date"),
        "date_precision": record.get("date_precision"),
        "type": record["type"],
        "mode": record.get("mode") or "",
        "cameo": record.get("cameo") or "",
        "quad_class": record.get("quad_class"),
        "score": record.get("score"),
        "acled_type": record.get("acled_type") or "",
        "place": place.get("name") or "",
        "place_country": place.get("country") or "",
        "admin1": admin1,
        "admin1_code": admin1_code,
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "geo_precision": place.get("precision") or "",
        **{name: numbers.get(name) for name in NUMBER_FIELDS},
        "factuality": record["factuality"],
        "claimed_by": record.get("claimed_by") or "",
        "confidence": record.get("confidence"),
        "rule": record.get("rule") or "",
        "sentence": record.get("sentence") or "",
        **_article_cells({**article, "id": record.get("article_id")}),
        "fused_id": fused_id or "",
    }
    for side in ("source", "target"):
        actors = record.get(side) or []
        row[side] = _texts(actors)
        for key in ("country", "org", "sector"):
            row[f"{side}_{key}"] = _codes(actors, key)
    return {c.name: row[c.name] for c in EVENT_COLUMNS}


def fused_row(
    record: dict[str, Any],
    reports: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    admin1_name: Admin1Name = no_names,
) -> dict[str, Any]:
    """A fused-event record, with its reports (event record, article row), as ``FUSED_COLUMNS``."""
    fused = FusedEvent.from_dict(record)
    dated = fused.date_basis != "ingested"
    point = point_of(record, [r for r, _ in reports])
    admin1, admin1_code = _admin1(_best_place(r for r, _ in reports) or {}, admin1_name)
    row: dict[str, Any] = {
        "id": fused.id,
        "date": fused.date if dated else None,
        "date_min": fused.dates.min if fused.dates and dated else None,
        "date_max": fused.dates.max if fused.dates and dated else None,
        "date_precision": fused.date_precision if dated else "unknown",
        "date_basis": fused.date_basis,
        "type": fused.type,
        "mode": fused.mode,
        "quad_class": fused.quad_class,
        "score": fused.score,
        "acled_type": _most(r.get("acled_type") for r, _ in reports),
        "participants": "+".join(fused.participants),
        "source": "+".join(fused.source_keys),
        "target": "+".join(fused.target_keys),
        "place": fused.place_name,
        "place_country": fused.place_country or fused.context_country,
        "admin1": admin1,
        "admin1_code": admin1_code,
        "lat": point["lat"] if point else None,
        "lon": point["lon"] if point else None,
        "geo_precision": point["precision"] if point else "",
        "factuality": fused.factuality,
        "n_reports": len(fused.reports),
        "n_sources": fused.n_sources,
        "sentence": fused.reports[0].sentence if fused.reports else "",
        "report_ids": " ".join(r.id for r in fused.reports),
        "article_ids": " ".join(dict.fromkeys(r.article_id for r in fused.reports)),
        "urls": " ".join(dict.fromkeys(str(a["url"]) for _, a in reports if a.get("url"))),
        "outlets": "; ".join(dict.fromkeys(_outlet(a) for _, a in reports if _outlet(a))),
    }
    for name in NUMBER_FIELDS:
        spread = fused.numbers.get(name)
        row[f"{name}_min"], row[f"{name}_max"] = (spread.min, spread.max) if spread else (None, None)
    return {c.name: row[c.name] for c in FUSED_COLUMNS}


def _most(values: Iterable[Any]) -> str:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else ""


def _best_place(records: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    placed: list[dict[str, Any]] = [r["place"] for r in records if r.get("place")]
    return min(placed, key=lambda p: PRECISION_RANK.get(p.get("precision") or "", 4), default=None)


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


# -- ACLED-compatible columns ---------------------------------------------------------


@functools.cache
def _acled() -> dict[str, Any]:
    text = resources.files("powderkeg.knowledge").joinpath("data/acled.toml").read_text("utf-8")
    return tomllib.loads(text)


def inter_code(actor: dict[str, Any] | None, riot: bool = False) -> int:
    """ACLED's actor type code for an actor (acled.toml, [inter]); 0 for no actor."""
    if actor is None:
        return 0
    international = bool(actor.get("org")) and not actor.get("country")  # NATO, KFOR, the UN
    code = int(_acled()["inter"].get("IGO" if international else actor.get("sector") or "", 7))
    return 5 if riot and code in (6, 7) else code


def interaction(inter1: int, inter2: int) -> int:
    low, high = sorted((inter1, inter2))
    return low * 10 + high if low else high * 10


def _actor_name(actor: dict[str, Any]) -> str:
    return actor.get("name") or actor.get("text") or actor.get("org") or actor.get("country") or ""


def acled_row(
    record: dict[str, Any],
    article: dict[str, Any],
    *,
    reports: Sequence[tuple[dict[str, Any], dict[str, Any]]] = (),
    admin1_name: Admin1Name = no_names,
) -> dict[str, Any]:
    """``ACLED_COLUMNS`` for an event record (with its article), or for a fused-event record
    given its ``reports``: actors, place and notes then come from its most complete report,
    fatalities from the lowest figure reported, sources from all its articles."""
    if reports:
        flat = fused_row(record, reports)
        lead, _ = max(reports, key=lambda ra: len(ra[0].get("source") or []) + len(ra[0].get("target") or []))
        outlets, fatalities = flat["outlets"], flat["killed_min"]
        date, precision = flat["date"], flat["date_precision"]
        lat, lon, where = flat["lat"], flat["lon"], flat["geo_precision"]
        country = flat["place_country"]
        sub, plover, fact = (
            flat["acled_type"],
            record["type"] + (f"/{record['mode']}" if record.get("mode") else ""),
            flat["factuality"],
        )
    else:
        flat = event_row(record, article)
        lead, outlets, fatalities = record, _outlet(article), flat["killed"]
        date, precision = flat["date"], flat["date_precision"]
        lat, lon, where = flat["lat"], flat["lon"], flat["geo_precision"]
        country = flat["place_country"]
        sub, plover, fact = (
            flat["acled_type"],
            flat["type"] + (f"/{flat['mode']}" if flat["mode"] else ""),
            flat["factuality"],
        )
    event_types = _acled()["event_types"]
    acled_sub = sub if sub in event_types else "Other"
    riot = acled_sub in ("Violent demonstration", "Mob violence")
    sources, targets = lead.get("source") or [], lead.get("target") or []
    inter1 = inter_code(sources[0] if sources else None, riot)
    inter2 = inter_code(targets[0] if targets else None, riot)
    place = lead.get("place") or {}
    day = date if date is None or not isinstance(date, str) else date
    return {
        "event_id_cnty": record["id"],
        "event_date": day,
        "year": int(str(day)[:4]) if day else None,
        "time_precision": _acled()["precision"]["time"].get(precision or ""),
        "event_type": event_types[acled_sub],
        "sub_event_type": acled_sub,
        "actor1": _actor_name(sources[0]) if sources else "",
        "assoc_actor_1": "; ".join(_actor_name(a) for a in sources[1:]),
        "inter1": inter1,
        "actor2": _actor_name(targets[0]) if targets else "",
        "assoc_actor_2": "; ".join(_actor_name(a) for a in targets[1:]),
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "country": country_name(country) if country else "",
        "admin1": _admin1(place, admin1_name)[0],
        "admin2": "",
        "location": place.get("name") or "",
        "latitude": lat,
        "longitude": lon,
        "geo_precision": _acled()["precision"]["geo"].get(where or ""),
        "source": outlets,
        "notes": lead.get("sentence") or "",
        "fatalities": fatalities or 0,
        "powderkeg_sub_event_type": sub,
        "plover": plover,
        "factuality": fact,
    }


# -- reading the store -----------------------------------------------------------------

_ARTICLE_SQL = "a.id, a.url, a.title, a.source, a.path, a.published, a.meta"
_ARTICLE_NAMES = ("id", "url", "title", "source", "path", "published", "meta")


def event_records(
    con: duckdb.DuckDBPyConnection, f: Filters
) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    """(event record, article row, fused id) of the events ``f`` selects, oldest first."""
    clauses, params = where_events(f)
    sql = (
        f"SELECT e.record, {_ARTICLE_SQL}, m.fused_id FROM (SELECT * FROM events {sql_where(clauses)}) e"
        " JOIN articles a ON a.id = e.article_id LEFT JOIN fused_members m ON m.report_id = e.id"
        " ORDER BY e.date NULLS LAST, e.article_id, e.sentence_start, e.id"
    )
    if f.limit is not None:  # 0 is no rows, not all of them
        sql += f" LIMIT {int(f.limit)}"
    cur = con.execute(sql, params)
    while rows := cur.fetchmany(1000):
        for record, *article, fused_id in rows:
            yield json.loads(record), dict(zip(_ARTICLE_NAMES, article, strict=True)), fused_id or ""


def fused_records(
    con: duckdb.DuckDBPyConnection, f: Filters
) -> Iterator[tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, Any]]]]]:
    """(fused record, its reports as (event record, article row)) of the fused events ``f`` selects,
    oldest first (undated ones last)."""
    clauses, params = where_fused(f)
    sql = f"SELECT id, record FROM fused_events {sql_where(clauses)} ORDER BY date NULLS LAST, id"
    if f.limit is not None:  # 0 is no rows, not all of them
        sql += f" LIMIT {int(f.limit)}"
    rows = con.execute(sql, params).fetchall()
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        reports: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        for fid, record, *article in con.execute(
            f"SELECT m.fused_id, e.record, {_ARTICLE_SQL} FROM fused_members m JOIN events e ON e.id = m.report_id"
            " JOIN articles a ON a.id = e.article_id WHERE m.fused_id IN (SELECT unnest(?))"
            " ORDER BY e.date NULLS LAST, e.article_id, e.sentence_start",
            [[fid for fid, _ in chunk]],
        ).fetchall():
            reports.setdefault(fid, []).append(
                (json.loads(record), dict(zip(_ARTICLE_NAMES, article, strict=True)))
            )
        for fid, record in chunk:
            yield json.loads(record), reports.get(fid, [])


# -- writing -----------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def write(rows: Iterable[dict[str, Any]], columns: Sequence[Column], fmt: str, out: IO[str] | str) -> int:
    """Write rows as ``csv``, ``jsonl`` or ``parquet`` (``out`` a path for parquet); returns how many."""
    if fmt == "parquet":
        if not isinstance(out, str):
            raise ValueError("parquet is written to a file")
        return write_parquet(rows, columns, out)
    stream: IO[str] = out  # type: ignore[assignment]
    n = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=[c.name for c in columns])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else _cell(v) for k, v in row.items()})
            n += 1
        return n
    for row in rows:
        stream.write(json.dumps({k: _cell(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(rows: Iterable[dict[str, Any]], columns: Sequence[Column], path: str) -> int:
    """Rows to a Parquet file with the columns' types, through an in-memory DuckDB table."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"CREATE TABLE x ({', '.join(f'{json.dumps(c.name)} {c.type}' for c in columns)})")
        batch: list[tuple[Any, ...]] = []
        n = 0
        for row in rows:
            batch.append(tuple(_cell(row[c.name]) if c.type != "DATE" else row[c.name] for c in columns))
            if len(batch) >= 5000:
                n += _insert(con, columns, batch)
        n += _insert(con, columns, batch)
        con.execute(f"COPY x TO '{str(Path(path)).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
        return n
    finally:
        con.close()


def _insert(con: duckdb.DuckDBPyConnection, columns: Sequence[Column], batch: list[tuple[Any, ...]]) -> int:
    n = len(batch)
    if batch:
        cols = [list(c) for c in zip(*batch, strict=True)]
        casts = ", ".join(f"CAST(unnest(?) AS {c.type})" for c in columns)
        con.execute(f"INSERT INTO x SELECT {casts}", cols)
        batch.clear()
    return n


def feature_collection(items: Iterable[tuple[dict[str, Any], float, float]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of (properties, lat, lon)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}
            for props, lat, lon in items
        ],
    }
