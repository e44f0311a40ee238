"""`powderkeg run PATH...`: ingest, code and store; print a summary.

The exit code is 1 when nothing could be read (every input quarantined, or every URL failed).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from ..pipeline import Pipeline, RunSummary, count_inputs
from ..store import Store
from .app import ConfigOption, DbOption, app, day, settings_from

PROGRESS_FROM = 50  # documents: a bar with a rate and an ETA from this many


class RateColumn(ProgressColumn):
    """Articles per second so far."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "- articles/s", style="progress.data.speed")


def progress_bar(console: Console, total: int) -> Progress:
    return Progress(
        TextColumn("[bold]coding"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=total < PROGRESS_FROM,
    )


@app.command("run")
def run_cli(
    paths: Annotated[
        list[str],
        typer.Argument(help="files or folders (.txt, .html, .jsonl), or http(s) URLs of feeds or pages"),
    ],
    db: DbOption = None,
    config: ConfigOption = None,
    encoding: Annotated[str | None, typer.Option(help="encoding of local text files")] = None,
    published: Annotated[
        str | None,
        typer.Option(help="publication date (YYYY-MM-DD) for the articles that give none"),
    ] = None,
    alerts: Annotated[
        str | None, typer.Option(help="evaluate these alert rules as events arrive (`default`: packaged)")
    ] = None,
) -> None:
    """Ingest, extract and store events from local files and folders, or one pass over URLs.

    With -v (powderkeg -v run ...) each document is logged with what became of it.
    """
    settings = settings_from(config, db=db, encoding=encoding)
    when = day(published, "--published")
    urls = [p for p in paths if p.startswith(("http://", "https://"))]
    if urls:
        from .watch import run_urls

        ok = run_urls(urls, settings, alerts)
        paths = [p for p in paths if p not in urls]
        if not paths:
            if not ok:
                raise typer.Exit(1)
            return
    console = Console(stderr=True)
    total = count_inputs(paths)
    with Store(settings.db) as store, progress_bar(console, total) as progress:
        task = progress.add_task("coding", total=total)
        engine = None
        if alerts:
            from .alerts import engine_for

            engine = engine_for(store, alerts, settings)
        with Pipeline(settings) as pipeline:
            summary = pipeline.run(
                paths, store, progress=lambda n: progress.advance(task, n), alerts=engine, published=when
            )
        if engine is not None:
            engine.close()
        counts = store.counts()
    print_summary(summary, settings.db, counts.articles, counts.events, Console())
    if summary.quarantined and not summary.articles_seen:
        _fail(f"every input was quarantined ({summary.quarantined}); nothing was stored")


def _fail(message: str) -> None:
    typer.echo(f"powderkeg: {message}", err=True)
    raise typer.Exit(1)


def print_summary(
    summary: RunSummary, db: str, total_articles: int, total_events: int, console: Console
) -> None:
    table = Table(title=f"powderkeg run -> {db}", show_header=False)
    table.add_row("articles read", str(summary.articles_seen))
    table.add_row("  new", str(summary.articles_new))
    table.add_row("  already stored", str(summary.articles_known))
    table.add_row("  new without a date", str(summary.undated))
    unconfirmed = summary.events_new - summary.events_counted
    table.add_row(
        "events added",
        f"{summary.events_new}: {summary.events_counted} counted, {unconfirmed} denied/hypothetical/future",
    )
    table.add_row("real-world events touched", str(summary.fused_touched))
    table.add_row("alerts", str(summary.alerts))
    table.add_row("quarantined", str(summary.quarantined))
    if summary.skipped:  # files in folders that are not documents: hidden, other types, pipes
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.skipped.items()))
        table.add_row("skipped files", escape(f"{summary.skipped.total()} ({kinds})"))
    table.add_row("time", f"{summary.seconds:.1f} s")
    table.add_row("store now holds", f"{total_articles} articles, {total_events} events")
    console.print(table)
    console.print(
        "Counted events (asserted or claimed) are fused into real-world events and drive tension and"
        " alerts; denied, hypothetical and future ones are kept but not counted"
        " (`powderkeg events --include-unconfirmed` lists them)."
    )
    if summary.undated:
        console.print(
            f"[yellow]{summary.undated} article(s) had no publication date[/]: their events are dated only"
            " where the text gives a full date (else date_precision is unknown), and the undated ones"
            " are left out of tension and alerts. Give a date with --published, `published:` front"
            " matter or a JSONL `published` field."
        )
    for origin, reason in summary.quarantine_reasons[:20]:
        console.print(f"[yellow]quarantined[/] {escape(origin)}: {escape(reason)}")
