"""`powderkeg run PATH...`: ingest, code and store; print a summary."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..pipeline import Pipeline, RunSummary, count_inputs
from ..store import Store
from .app import ConfigOption, DbOption, app, settings_from


@app.command("run")
def run_cli(
    paths: Annotated[
        list[str],
        typer.Argument(help="files or folders (.txt, .html, .jsonl), or http(s) URLs of feeds or pages"),
    ],
    db: DbOption = None,
    config: ConfigOption = None,
    encoding: Annotated[str | None, typer.Option(help="encoding of local text files")] = None,
    alerts: Annotated[
        str | None, typer.Option(help="evaluate these alert rules as events arrive (`default`: packaged)")
    ] = None,
) -> None:
    """Ingest, extract and store events from local files and folders, or one pass over URLs."""
    settings = settings_from(config, db=db, encoding=encoding)
    urls = [p for p in paths if p.startswith(("http://", "https://"))]
    if urls:
        from .watch import run_urls

        run_urls(urls, settings, alerts)
        paths = [p for p in paths if p not in urls]
        if not paths:
            return
    console = Console(stderr=True)
    total = count_inputs(paths)
    with (
        Store(settings.db) as store,
        Progress(
            TextColumn("[bold]coding"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=total < 2,
        ) as progress,
    ):
        task = progress.add_task("coding", total=total)
        engine = None
        if alerts:
            from .alerts import engine_for

            engine = engine_for(store, alerts, settings)
        with Pipeline(settings) as pipeline:
            summary = pipeline.run(paths, store, progress=lambda n: progress.advance(task, n), alerts=engine)
        if engine is not None:
            engine.close()
        counts = store.counts()
    print_summary(summary, settings.db, counts.articles, counts.events, Console())


def print_summary(
    summary: RunSummary, db: str, total_articles: int, total_events: int, console: Console
) -> None:
    table = Table(title=f"powderkeg run -> {db}", show_header=False)
    table.add_row("articles read", str(summary.articles_seen))
    table.add_row("  new", str(summary.articles_new))
    table.add_row("  already stored", str(summary.articles_known))
    table.add_row("events added", str(summary.events_new))
    table.add_row("fused events touched", str(summary.fused_touched))
    table.add_row("alerts", str(summary.alerts))
    table.add_row("quarantined", str(summary.quarantined))
    if summary.skipped:  # files in folders that are not documents: hidden, other types, pipes
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.skipped.items()))
        table.add_row("skipped files", escape(f"{summary.skipped.total()} ({kinds})"))
    table.add_row("time", f"{summary.seconds:.1f} s")
    table.add_row("store now holds", f"{total_articles} articles, {total_events} events")
    console.print(table)
    for origin, reason in summary.quarantine_reasons[:20]:
        console.print(f"[yellow]quarantined[/] {escape(origin)}: {escape(reason)}")
