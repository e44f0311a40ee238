"""`powderkeg events`: stored events as a table, CSV, JSON lines, Parquet, ACLED-compatible CSV or GeoJSON.

The filters are ``store/filters.py``'s (the API's are the same); the columns of csv, jsonl
and parquet are ``store/export.py``'s ``EVENT_COLUMNS``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import IO, Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from ..errors import BadParameter
from ..geocode.areas import Admin1Areas
from ..records import COUNTED, FACTUALITY
from ..store import Filters, Store
from ..store.export import (
    ACLED_COLUMNS,
    EVENT_COLUMNS,
    acled_row,
    event_records,
    event_row,
    feature_collection,
    write,
)
from ..store.filters import filters_from, sql_where, where_events
from .app import ConfigOption, DbOption, LakeOption, app, settings_from


class Format(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    acled = "acled"
    geojson = "geojson"
    contract = "contract"


FORMAT_HELP = (
    "table; csv, jsonl, parquet (one column set); acled (ACLED-compatible columns, CSV); geojson"
    " (those with a place); contract (the JSON records as stored)"
)

# the filter options of `events` and `fused` (store/filters.py says what each means)
Country = Annotated[
    str | None,
    typer.Option(help="source, target or place country: ISO3 code or name, or region:NAME; comma-separated"),
]
Type = Annotated[str | None, typer.Option("--type", help="PLOVER types, comma-separated (ASSAULT,PROTEST)")]
Mode = Annotated[str | None, typer.Option(help="PLOVER modes, comma-separated (clash,riot)")]
Quad = Annotated[str | None, typer.Option("--quad", help="quad classes 1-4, comma-separated")]
Fact = Annotated[str | None, typer.Option(help=f"factualities, comma-separated ({', '.join(FACTUALITY)})")]
Since = Annotated[str | None, typer.Option(help="first date, YYYY-MM-DD")]
Until = Annotated[str | None, typer.Option(help="last date, YYYY-MM-DD")]
Actor = Annotated[
    str | None,
    typer.Option(help="an actor on either side (--side): country code or name, organisation code, or words"),
]
Side = Annotated[str | None, typer.Option(help="where --actor stands: source or target")]
Dyad = Annotated[str | None, typer.Option(help="two actors, one on each side: SRB-XKX (either way), SRB>XKX")]
MinKilled = Annotated[int | None, typer.Option("--min-fatalities", help="at least this many killed")]
Admin1 = Annotated[
    str | None,
    typer.Option(help="first-level area of the place: name (Vojvodina) or GeoNames admin1 code (VO, SRB.VO)"),
]
Bbox = Annotated[str | None, typer.Option(help="places inside WEST,SOUTH,EAST,NORTH (degrees)")]
Outlet = Annotated[
    str | None, typer.Option("--source", help="news source: words of its name, URL or file path")
]
Text = Annotated[str | None, typer.Option(help="words the evidence sentence contains")]
Limit = Annotated[int | None, typer.Option(min=0, help="at most this many rows (0: none)")]
Out = Annotated[str | None, typer.Option(help="write to this file (required for parquet)")]


def actor_text(actors: list[dict[str, Any]]) -> str:
    """'Serb protesters (SRB/PRO)' for each actor of a side, joined with ' + '."""
    return " + ".join(_one_actor(a) for a in actors)


def _one_actor(actor: dict[str, Any]) -> str:
    codes = "/".join(x for x in (actor.get("org"), actor.get("country"), actor.get("sector")) if x)
    return f"{actor['text']} ({codes})" if codes else actor["text"]


def numbers_text(numbers: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in numbers.items() if v is not None)


def events_table(events: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for name in ("date", "event", "source", "target", "place", "numbers", "factuality", "id"):
        table.add_column(name, overflow="fold", no_wrap=name in ("date", "id"))
    for e in events:
        place = (e.get("place") or {}).get("name") or ""
        kind = e["type"] + (f"/{e['mode']}" if e.get("mode") else "")
        fact = e["factuality"] + (f" ({e['claimed_by']})" if e.get("claimed_by") else "")
        table.add_row(
            e.get("date") or "?",
            kind,
            actor_text(e["source"]),
            actor_text(e["target"]),
            place,
            numbers_text(e["numbers"]),
            fact,
            e["id"][:10],
        )
    return table


@contextlib.contextmanager
def output(out: str | None) -> Iterator[IO[str]]:
    """The file ``--out`` names, else standard output."""
    if not out:
        yield sys.stdout
        return
    with open(out, "w", encoding="utf-8", newline="") as stream:
        yield stream


def console_for(stream: IO[str]) -> Console:
    console = Console(file=stream, markup=False)  # stored text, never markup
    return console if console.is_terminal else Console(file=stream, width=160, markup=False)


def counted_note(con: duckdb.DuckDBPyConnection, f: Filters, shown: int) -> str:
    """'116 events (20 denied, hypothetical or future not shown: --include-unconfirmed)'."""
    if f.include_unconfirmed or f.factuality:
        return f"{shown} events"
    unconfirmed = tuple(x for x in FACTUALITY if x not in COUNTED)
    clauses, params = where_events(dataclasses.replace(f, factuality=unconfirmed, limit=None))
    row = con.execute(f"SELECT count(*) FROM events {sql_where(clauses)}", params).fetchone()
    hidden = row[0] if row else 0
    return f"{shown} events" + (
        f" ({hidden} denied, hypothetical or future not shown: --include-unconfirmed)" if hidden else ""
    )


@app.command("events")
def events_cli(
    ctx: typer.Context,
    country: Country = None,
    type: Type = None,
    mode: Mode = None,
    quad: Quad = None,
    factuality: Fact = None,
    since: Since = None,
    until: Until = None,
    actor: Actor = None,
    side: Side = None,
    dyad: Dyad = None,
    min_fatalities: MinKilled = None,
    admin1: Admin1 = None,
    bbox: Bbox = None,
    source: Outlet = None,
    text: Text = None,
    include_unconfirmed: Annotated[
        bool, typer.Option(help="also denied, hypothetical and future events")
    ] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help=FORMAT_HELP)] = Format.table,
    out: Out = None,
    limit: Limit = None,
    db: DbOption = None,
    lake: LakeOption = None,
    config: ConfigOption = None,
) -> None:
    """List stored events (asserted and claimed ones unless --include-unconfirmed or --factuality)."""
    settings = settings_from(config, lake, db=db)
    areas = Admin1Areas(settings.gazetteer)
    f = filters_from(ctx.params, areas.codes)
    if format is Format.parquet and not out:
        raise BadParameter("--format parquet needs a file to write", remedy="add --out FILE")
    with Store(settings.db, read_only=True) as store, store.unit() as con:
        rows = event_records(con, f)
        if format is Format.parquet:
            n = write(
                (event_row(r, a, fid, areas.name) for r, a, fid in rows), EVENT_COLUMNS, "parquet", str(out)
            )
            typer.echo(f"wrote {n} events to {out}", err=True)
            return
        with output(out) as stream:
            if format in (Format.csv, Format.jsonl):
                write(
                    (event_row(r, a, fid, areas.name) for r, a, fid in rows),
                    EVENT_COLUMNS,
                    format.value,
                    stream,
                )
            elif format is Format.acled:
                write(
                    (acled_row(r, a, admin1_name=areas.name) for r, a, _ in rows),
                    ACLED_COLUMNS,
                    "csv",
                    stream,
                )
            elif format is Format.contract:
                for record, _, _ in rows:
                    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif format is Format.geojson:
                placed = (
                    (event_row(r, a, fid, areas.name), r["place"]["lat"], r["place"]["lon"])
                    for r, a, fid in rows
                    if (r.get("place") or {}).get("lat") is not None
                )
                json.dump(feature_collection(placed), stream, ensure_ascii=False, default=str)
                stream.write("\n")
            else:
                events = [record for record, _, _ in rows]
                console_for(stream).print(events_table(events, counted_note(con, f, len(events))))
