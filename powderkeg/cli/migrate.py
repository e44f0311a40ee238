"""`powderkeg migrate`: upgrade a database to this version's schema (every write command also does)."""

from __future__ import annotations

import typer

from ..store import Store
from ..store.migrations import STEPS
from .app import ConfigOption, DbOption, app, settings_from


@app.command("migrate")
def migrate_cli(db: DbOption = None, config: ConfigOption = None) -> None:
    """Apply the schema migrations the database has not had yet, one step at a time."""
    settings = settings_from(config, db=db)
    with Store(settings.db, create=False) as store:  # a missing file is E002, not a new database
        before, after = store.migrated
    if before == after:
        typer.echo(f"{settings.db}: schema version {after}, nothing to do")
        return
    for step in STEPS:
        if before < step.version <= after:
            typer.echo(f"{settings.db}: {step.version} {step.summary}")
    typer.echo(f"{settings.db}: schema version {before} -> {after}")
