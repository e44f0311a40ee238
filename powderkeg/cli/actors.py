"""`powderkeg actors import FILE`: bring CAMEO/Phoenix actor or agent dictionaries into knowledge files."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import ConfigError
from ..knowledge.phoenix import import_file
from .app import ConfigOption, app, settings_from

actors_app = typer.Typer(help="The actor knowledge base.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")


@actors_app.command("import")
def import_cli(
    paths: Annotated[list[str], typer.Argument(help="Phoenix/TABARI .actors.txt or agents files")],
    out: Annotated[
        str | None, typer.Option(help="knowledge folder to write (default: the knowledge_dir setting)")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Append the dictionaries' people, organisations and sector terms to user knowledge files."""
    settings = settings_from(config)
    target = out or settings.knowledge_dir
    if not target:
        raise ConfigError(
            "no knowledge folder to write the imported actors to",
            remedy="pass --out DIR, or set knowledge_dir (POWDERKEG_KNOWLEDGE_DIR) to the folder powderkeg reads",
        )
    for path in paths:
        counts = import_file(path, target)
        summary = ", ".join(f"{n} rows to {name}" for name, n in counts.items())
        typer.echo(f"{path}: {summary}", err=True)
