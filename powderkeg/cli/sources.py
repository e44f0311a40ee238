"""`powderkeg sources`: each source's health (last success, last error and why, entries, fetch time)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import StoreLocked
from ..store import Store
from ..store.sources import SourceBook
from .app import ConfigOption, DbOption, app, settings_from


def read_health(db: str) -> list[dict[str, Any]]:
    """From the database; from the watcher's snapshot when a running watcher holds the database."""
    try:
        with Store(db, read_only=True) as store:
            return SourceBook(store).health()
    except duckdb.CatalogException:
        return []  # nothing was ever watched into this database
    except (duckdb.IOException, StoreLocked):
        snapshot = Path(f"{db}.sources.json")
        if not snapshot.exists():
            raise
        return list(json.loads(snapshot.read_text("utf-8")))


def _when(value: Any) -> str:
    return str(value)[:19] if value else "never"


@app.command("sources")
def sources_cli(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Show each watched source's health."""
    settings = settings_from(config, db=db)
    rows = read_health(settings.db)
    if as_json:
        typer.echo(json.dumps(rows, default=str, indent=2))
        return
    table = Table(title=f"{len(rows)} sources in {settings.db}")
    for name in ("source", "last success", "last error", "why", "seen", "new", "copies", "median fetch"):
        table.add_column(name, overflow="fold")
    for r in rows:
        failing = r["last_error"] and (not r["last_success"] or str(r["last_error"]) > str(r["last_success"]))
        median = r["median_fetch_s"]
        table.add_row(
            r["name"],
            _when(r["last_success"]),
            Text(_when(r["last_error"]), "red" if failing else ""),
            r["last_error_reason"] or "",
            str(r["items_seen"]),
            str(r["items_new"]),
            str(r["duplicates"]),
            f"{median:.2f} s" if median is not None else "-",
        )
    Console(markup=False, highlight=False).print(table)  # names and reasons as they are, never markup
