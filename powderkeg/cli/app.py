"""The Typer application; subcommands register themselves from their modules."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

import typer

from ..settings import Settings
from ..store.access import access_for
from ..store.filters import date_param

app = typer.Typer(
    name="powderkeg",
    help="Watch the news for political tension: coded events with their evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts are plain: `[[source]]` is text, not markup
)

ConfigOption = Annotated[str | None, typer.Option("--config", help="settings TOML file")]
DbOption = Annotated[str | None, typer.Option("--db", help="DuckDB file (default: powderkeg.duckdb)")]


LakeOption = Annotated[
    str | None, typer.Option("--lake", help="read a Parquet lake written by `powderkeg backfill` (not --db)")
]


def settings_from(config: str | None = None, lake: str | None = None, **overrides: object) -> Settings:
    """The settings, with ``lock_wait``, ``store_memory`` and ``store_threads`` applied to every use
    of the database in this process.

    With ``lake`` (or a ``db`` that is a lake's folder), ``db`` is the lake's database (built
    from its Parquet files and fused, see backfill/lake.py)."""
    db = overrides.get("db")
    if lake is None and isinstance(db, str):
        from ..backfill.lake import is_lake

        lake = db if is_lake(db) else None
    if lake is not None:
        from ..backfill.lake import lake_database

        overrides["db"] = str(lake_database(lake))
    settings = Settings.load(config, **overrides)
    if settings.db != ":memory:":
        access_for(
            settings.db,
            wait=settings.lock_wait,
            memory_limit=settings.store_memory,
            threads=settings.store_threads,
        )
    return settings


def day(value: str | None, name: str = "date") -> dt.date | None:
    """A YYYY-MM-DD option as a date (None when not given); E601 when it is not one."""
    return date_param(name, value)


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress")] = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def main() -> None:
    import duckdb

    from ..errors import NotReadable, PowderkegError

    try:
        app()
    except PowderkegError as exc:
        typer.echo(f"powderkeg: {exc}", err=True)
        raise SystemExit(2) from None
    except OSError as exc:  # a file named on the command line: missing, a folder, not readable
        if exc.filename is None:
            raise
        why = NotReadable(f"cannot read {exc.filename}: {exc.strerror or exc}")
        typer.echo(f"powderkeg: {why}", err=True)
        raise SystemExit(2) from None
    except duckdb.CatalogException as exc:  # a DuckDB file some other program wrote
        first = str(exc).splitlines()[0]
        typer.echo(
            f"powderkeg: [E003] not a powderkeg database: {first} (point --db at a file powderkeg wrote)"
        )
        raise SystemExit(2) from None
