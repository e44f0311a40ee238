"""`powderkeg watch --sources sources.toml`: poll sources until stopped (Ctrl-C or SIGTERM).

Each handled entry is printed as one line: outcome, article id, events, source, URL.
New articles are fused as they are stored and the alert rules (``--alerts``, the packaged
rules by default; ``--alerts none`` for none) are evaluated on what they change.
A health snapshot is written beside the database after every poll, so
`powderkeg sources` can report while the watcher holds the database.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..analyze.alerts import AlertEngine
from ..errors import StoreLocked
from ..ingest.sources import AutoSource, load_sources
from ..ingest.web import Fetcher
from ..monitor import OnProgress, PollReport, Watcher
from ..pipeline import Pipeline
from ..settings import Settings
from ..store import Store
from ..store.sources import Handled
from .alerts import engine_for
from .app import ConfigOption, DbOption, app, settings_from


def print_handled(handled: Handled, n_events: int) -> None:
    typer.echo(
        f"{handled.outcome:<11} {handled.article_id or '-':<16} {n_events:>3} events"
        f"  {handled.source}  {handled.url}"
    )


def progress_printer(settings: Settings) -> OnProgress:
    """A line on stderr per chunk (``commit_every`` entries) of a large poll (a feed of thousands of
    new items)."""

    chunk = max(settings.commit_every, 1)  # as the watcher's own chunk size

    def print_progress(source: str, done: int, total: int) -> None:
        if total > chunk:
            typer.echo(f"{source}: {done} of {total} new entries handled", err=True)

    return print_progress


def write_health(watcher: Watcher, db: str) -> None:
    """``<db>.sources.json``: the sources' health, replaced atomically."""
    if db == ":memory:":
        return
    target = Path(f"{db}.sources.json")
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(watcher.book.health(), default=str, indent=1), "utf-8")
    os.replace(tmp, target)


def reports_table(reports: list[PollReport], title: str) -> Table:
    table = Table(title=title)
    columns = ("entries", "new", "known", "copies", "quarantined", "pending", "events", "fused", "alerts")
    for name in ("source", *columns, "note"):
        table.add_column(name)
    for r in reports:
        note = r.error.split(" ")[0] if r.error else ("not modified" if r.not_modified else "")
        values = (
            r.entries,
            r.new,
            r.known,
            r.duplicates,
            r.quarantined,
            r.pending,
            r.events,
            r.fused,
            r.alerts,
        )
        table.add_row(r.source, *(str(v) for v in values), note)
    return table


@app.command("watch")
def watch_cli(
    sources: Annotated[
        str, typer.Option("--sources", help="TOML file of [[source]] tables")
    ] = "sources.toml",
    once: Annotated[bool, typer.Option("--once", help="poll every source once, then stop")] = False,
    alerts: Annotated[
        str,
        typer.Option(help="alert rules evaluated as events arrive: `default` (packaged), a file, or `none`"),
    ] = "default",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Poll feeds and pages, code new articles and store them, until stopped."""
    settings = settings_from(config, db=db)
    configured = load_sources(sources)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    pipeline = Pipeline(settings)
    with Store(settings.db) as store, Fetcher(settings) as fetcher:  # a bad --db fails before the model loads
        pipeline.nlp  # load the model before the first poll  # noqa: B018
        engine = engine_for(store, alerts, settings) if alerts != "none" else None
        watcher = Watcher(
            configured,
            store,
            pipeline,
            fetcher,
            settings,
            on_handled=print_handled,
            on_polled=lambda _: write_health(watcher, settings.db),
            alerts=engine,
            on_progress=progress_printer(settings),
        )
        try:
            if once:
                reports = watcher.run_once(stop)  # Ctrl-C / SIGTERM: stop after the chunk in hand
                title = f"powderkeg watch --once -> {settings.db}"
                Console(stderr=True, markup=False).print(reports_table(reports, title))
                if not print_failures(reports):
                    raise typer.Exit(1)
                return
            typer.echo(f"watching {len(configured)} sources; Ctrl-C to stop", err=True)
            while not stop.is_set():
                try:
                    watcher.run_forever(stop)
                except StoreLocked as exc:  # another process held the file past lock_wait: poll again
                    typer.echo(f"powderkeg: {exc}", err=True)
                    store.release()
                    stop.wait(1.0)
        finally:
            watcher.close()
            pipeline.close()
            _deliver(engine)


def print_failures(reports: list[PollReport]) -> bool:
    """One line per failed source, with the error's code and remedy; False when every source failed."""
    failed = [r for r in reports if r.error]
    for r in failed:
        typer.echo(f"powderkeg: source {r.source} failed: {r.error}", err=True)
    if reports and len(failed) == len(reports):
        typer.echo("powderkeg: every source failed", err=True)
        return False
    return True


def run_urls(urls: list[str], settings: Settings, alerts: str | None = None) -> bool:
    """`powderkeg run URL...`: one pass over each URL, read as a feed or a page by what it answers.
    False when every URL failed."""
    sources = [AutoSource(name=url, url=url) for url in urls]
    with Store(settings.db) as store, Fetcher(settings) as fetcher, Pipeline(settings) as pipeline:
        engine = engine_for(store, alerts, settings) if alerts else None
        watcher = Watcher(
            sources,
            store,
            pipeline,
            fetcher,
            settings,
            on_handled=print_handled,
            alerts=engine,
            on_progress=progress_printer(settings),
        )
        try:
            reports = watcher.run_once()
        finally:
            watcher.close()
            _deliver(engine)
    Console(stderr=True, markup=False).print(reports_table(reports, f"powderkeg run -> {settings.db}"))
    return print_failures(reports)


def _deliver(engine: AlertEngine | None) -> None:
    """Wait for the alerts queued to the sinks to be delivered (or given up on), and record it."""
    if engine is not None:
        engine.close()
