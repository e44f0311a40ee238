"""`powderkeg brief SRB XKX`: a situation brief whose every sentence cites its evidence."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import BadParameter, UngroundedBrief
from ..fuse import fuse
from ..store import Store
from .app import ConfigOption, DbOption, app, day, settings_from


class Format(StrEnum):
    md = "md"
    html = "html"
    json = "json"


@app.command("brief")
def brief_cli(
    dyad: Annotated[list[str] | None, typer.Argument(help="two ISO3 codes (SRB XKX or SRB-XKX)")] = None,
    country: Annotated[str | None, typer.Option(help="one country, ISO3")] = None,
    region: Annotated[str | None, typer.Option(help="a UN M49 sub-region, e.g. 'Southern Europe'")] = None,
    article: Annotated[str | None, typer.Option(help="one article's id (or a unique prefix)")] = None,
    since: Annotated[
        str | None, typer.Option(help="first date, YYYY-MM-DD (default: 30 days before --until)")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="last date, YYYY-MM-DD (default: the last dated event)")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.md,
    out: Annotated[str | None, typer.Option("--out", help="write here instead of standard output")] = None,
    llm_model: Annotated[
        str | None, typer.Option(help="a GGUF file: rewrite sentences with it (powderkeg[llm])")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write a brief: headline, takeaways, what happened, why it matters, what to watch, sources.

    Every sentence cites fused events [n] and every number, date and name in it is checked
    against the cited evidence; a brief that fails is not written and the command exits 1,
    listing the unsupported tokens.
    """
    from ..brief import build_brief
    from ..brief.render import render

    chosen = [x for x in (dyad, country, region, article) if x]
    if len(chosen) != 1:
        raise BadParameter(
            "give exactly one of: a dyad, --country, --region, --article",
            remedy="e.g. powderkeg brief SRB XKX, or powderkeg brief --country SRB",
        )
    key: str | None = None
    if dyad:
        key = " ".join(dyad)
        if len(key.replace("-", " ").split()) != 2:
            raise BadParameter(
                f"a dyad is two ISO3 codes, not {key!r}", remedy="e.g. powderkeg brief SRB XKX"
            )
    elif country:
        key = country
    elif region:
        key = f"region:{region}"
    generator = None
    if llm_model:
        from ..brief.llm import LlamaCppGenerator

        generator = LlamaCppGenerator(llm_model)
    settings = settings_from(config, db=db)
    with Store(settings.db, create=False) as store:  # not read-only: reports not fused yet are fused first
        fuse(store.con)
        try:
            brief = build_brief(
                store, key, day(since, "since"), day(until, "until"), article=article, generator=generator
            )
        except UngroundedBrief as exc:
            typer.echo(
                f"powderkeg: [{exc.code}] the brief failed the grounding check; nothing written:", err=True
            )
            for problem in exc.problems:
                typer.echo(f"  {problem}", err=True)
            raise typer.Exit(1) from None
    text = render(brief, fmt.value)
    if out:
        Path(out).write_text(text, "utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text, nl=False)
