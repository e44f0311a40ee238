"""`powderkeg events`: query stored events as a table, CSV, JSONL or Parquet."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..store import EventQuery, Store
from .app import ConfigOption, DbOption, LakeOption, app, settings_from


class Format(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def actor_text(actors: list[dict[str, Any]]) -> str:
    """'Serb protesters (SRB/PRO)' for each actor of a side, joined with ' + '."""
    return " + ".join(_one_actor(a) for a in actors)


def _one_actor(actor: dict[str, Any]) -> str:
    codes = "/".join(x for x in (actor.get("org"), actor.get("country"), actor.get("sector")) if x)
    text = actor["text"] if len(actor["text"]) <= 32 else actor["text"][:31] + "…"
    return f"{text} ({codes})" if codes else text


def numbers_text(numbers: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in numbers.items() if v is not None)


CSV_FIELDS = [
    "id",
    "date",
    "date_precision",
    "type",
    "mode",
    "cameo",
    "quad_class",
    "score",
    "acled_type",
    "source",
    "source_country",
    "target",
    "target_country",
    "place",
    "place_country",
    "killed",
    "injured",
    "arrested",
    "size",
    "factuality",
    "claimed_by",
    "confidence",
    "rule",
    "article_id",
    "sentence",
]


def csv_row(e: dict[str, Any]) -> dict[str, Any]:
    def countries(actors: list[dict[str, Any]]) -> str:
        return "+".join(a.get("country") or a.get("org") or "" for a in actors)

    place = e.get("place") or {}
    return {
        **{k: e.get(k) for k in CSV_FIELDS},
        **e["numbers"],
        "source": actor_text(e["source"]),
        "source_country": countries(e["source"]),
        "target": actor_text(e["target"]),
        "target_country": countries(e["target"]),
        "place": place.get("name"),
        "place_country": place.get("country"),
    }


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


@app.command("events")
def events_cli(
    country: Annotated[str | None, typer.Option(help="ISO3 code of source, target or place")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT")] = None,
    since: Annotated[str | None, typer.Option(help="first date, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="last date, YYYY-MM-DD")] = None,
    include_unconfirmed: Annotated[
        bool, typer.Option(help="also denied, hypothetical and future events")
    ] = False,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    out: Annotated[str | None, typer.Option(help="write to this file (required for parquet)")] = None,
    limit: Annotated[int | None, typer.Option(min=0, help="at most this many events (0: none)")] = None,
    db: DbOption = None,
    lake: LakeOption = None,
    config: ConfigOption = None,
) -> None:
    """List stored events (asserted and claimed ones unless --include-unconfirmed)."""
    settings = settings_from(config, lake, db=db)
    query = EventQuery(
        country=country,
        type=type,
        since=_date(since),
        until=_date(until),
        include_unconfirmed=include_unconfirmed,
        limit=limit,
    )
    with Store(settings.db, read_only=True) as store:
        if format is Format.parquet:
            if not out:
                raise typer.BadParameter("--format parquet needs --out FILE")
            n = store.export_parquet(query, out)
            typer.echo(f"wrote {n} events to {out}", err=True)
            return
        events = list(store.events(query))
    stream = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if format is Format.jsonl:
            for e in events:
                stream.write(json.dumps(e, ensure_ascii=False) + "\n")
        elif format is Format.csv:
            writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS)
            writer.writeheader()
            for e in events:
                writer.writerow(csv_row(e))
        else:
            console = Console(file=stream, markup=False)  # stored text, never markup
            if not console.is_terminal:
                console = Console(file=stream, width=160, markup=False)
            console.print(events_table(events, f"{len(events)} events"))
    finally:
        if out:
            stream.close()
