"""`powderkeg unmerge FUSED_ID [REPORT_ID...]`: undo a merge, keeping it undone."""

from __future__ import annotations

from typing import Annotated

import typer

from ..fuse import unmerge
from ..store import Store
from .app import ConfigOption, DbOption, app, settings_from


@app.command("unmerge")
def unmerge_cli(
    fused_id: Annotated[str, typer.Argument(help="a fused event id (F...), or a unique prefix")],
    reports: Annotated[
        list[str] | None, typer.Argument(help="report (event) ids to take out; default: all but the first")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Take reports out of a fused event; each becomes an event of its own and never rejoins it."""
    settings = settings_from(config, db=db)
    with Store(settings.db, create=False) as store:
        new = unmerge(store.con, fused_id, reports or [])
    if not new:
        typer.echo("nothing to unmerge: the event has a single report")
    for fid in new:
        typer.echo(f"split off {fid}")
