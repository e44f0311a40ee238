"""`powderkeg fused`: real-world events, one row each, in every format `events` has.

A fused event holds every report of one real-world event (see README, "One real-world event,
one record"): a meeting or a clash coded as two mirrored reports is one row with its
participants, so counts are not doubled. Columns: ``store/export.py``'s ``FUSED_COLUMNS``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from ..errors import BadParameter
from ..geocode.areas import Admin1Areas
from ..store import Store
from ..store.export import (
    ACLED_COLUMNS,
    FUSED_COLUMNS,
    acled_row,
    feature_collection,
    fused_records,
    fused_row,
    write,
)
from ..store.filters import filters_from
from .app import ConfigOption, DbOption, LakeOption, app, settings_from
from .events import (
    FORMAT_HELP,
    Actor,
    Admin1,
    Bbox,
    Country,
    Dyad,
    Fact,
    Format,
    Limit,
    MinKilled,
    Mode,
    Out,
    Outlet,
    Quad,
    Side,
    Since,
    Text,
    Type,
    Until,
    console_for,
    output,
)
from .tension import fuse_pending


def _sides(row: dict[str, Any]) -> str:
    if row["participants"]:
        return row["participants"].replace("+", ", ") + " (participants)"
    return f"{row['source'] or '?'} \u2192 {row['target'] or '?'}"


def _figures(row: dict[str, Any]) -> str:
    out = []
    for name in ("killed", "injured", "arrested", "size"):
        low, high = row[f"{name}_min"], row[f"{name}_max"]
        if low is not None:
            out.append(f"{name} {low:,}" + (f"-{high:,}" if high != low else ""))
    return ", ".join(out)


def fused_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for name in ("date", "event", "actors", "place", "figures", "reports", "factuality", "id"):
        table.add_column(name, overflow="fold", no_wrap=name in ("date", "id"))
    for r in rows:
        table.add_row(
            str(r["date"] or "undated"),
            r["type"] + (f"/{r['mode']}" if r["mode"] else ""),
            _sides(r),
            " ".join(x for x in (r["place"], f"({r['place_country']})" if r["place_country"] else "") if x),
            _figures(r),
            f"{r['n_reports']} from {r['n_sources']} article(s)",
            r["factuality"],
            r["id"][:11],
        )
    return table


@app.command("fused")
def fused_cli(
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
    format: Annotated[Format, typer.Option("--format", "-f", help=FORMAT_HELP)] = Format.table,
    out: Out = None,
    limit: Limit = None,
    db: DbOption = None,
    lake: LakeOption = None,
    config: ConfigOption = None,
) -> None:
    """List real-world (fused) events, one row each with all its reports; `powderkeg show F...` shows one."""
    settings = settings_from(config, lake, db=db)
    areas = Admin1Areas(settings.gazetteer)
    f = filters_from(ctx.params, areas.codes)
    if format is Format.parquet and not out:
        raise BadParameter("--format parquet needs a file to write", remedy="add --out FILE")
    fuse_pending(settings.db)
    with Store(settings.db, read_only=True) as store, store.unit() as con:
        items = fused_records(con, f)
        if format is Format.parquet:
            n = write(
                (fused_row(r, reps, areas.name) for r, reps in items), FUSED_COLUMNS, "parquet", str(out)
            )
            typer.echo(f"wrote {n} fused events to {out}", err=True)
            return
        with output(out) as stream:
            if format in (Format.csv, Format.jsonl):
                write(
                    (fused_row(r, reps, areas.name) for r, reps in items), FUSED_COLUMNS, format.value, stream
                )
            elif format is Format.acled:
                write(
                    (acled_row(r, {}, reports=reps, admin1_name=areas.name) for r, reps in items),
                    ACLED_COLUMNS,
                    "csv",
                    stream,
                )
            elif format is Format.contract:
                for record, _ in items:
                    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif format is Format.geojson:
                placed = (
                    (row, row["lat"], row["lon"])
                    for row in (fused_row(r, reps, areas.name) for r, reps in items)
                    if row["lat"] is not None
                )
                json.dump(feature_collection(placed), stream, ensure_ascii=False, default=str)
                stream.write("\n")
            else:
                listed = [fused_row(r, reps, areas.name) for r, reps in items]
                undated = sum(1 for r in listed if r["date_basis"] == "ingested")
                title = f"{len(listed)} real-world events" + (
                    f" ({undated} from undated articles: left out of tension and alerts)" if undated else ""
                )
                console_for(stream).print(fused_table(listed, title))
