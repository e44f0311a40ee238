"""`powderkeg serve`: the HTTP API and dashboard, optionally with the watcher in the same process.

The process shares the store with itself and with others (see store/access.py): the API's
reads share the file, the watcher writes one entry at a time, fuses after each poll, and
lets go of the file in between, so `powderkeg events` and friends work while it serves.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

import typer

from ..errors import StoreLocked
from ..settings import Settings
from .app import ConfigOption, DbOption, app, settings_from

log = logging.getLogger(__name__)


@app.command("serve")
def serve_cli(
    watch: Annotated[
        str | None, typer.Option("--watch", help="also poll the [[source]]s of this TOML file")
    ] = None,
    host: Annotated[
        str, typer.Option(help="address to listen on (not loopback: api_token required)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard (/) until Ctrl-C."""
    import uvicorn

    from ..api import check_bind, create_app
    from ..store import Store

    settings = settings_from(config, db=db)
    check_bind(host, settings)
    Store(
        settings.db, read_only=watch is None
    ).close()  # one line, not a traceback, when there is no database
    stop = threading.Event()
    watcher = start_watcher(watch, settings, stop) if watch else None
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning", access_log=False)
    )
    typer.echo(
        f"serving {settings.db} on http://{host}:{port}/ (API docs at /docs); Ctrl-C to stop", err=True
    )
    try:
        server.run()
    finally:
        stop.set()
        if watcher is not None:
            watcher.join(timeout=30)


def start_watcher(sources_path: str, settings: Settings, stop: threading.Event) -> threading.Thread:
    """The watcher on a thread of its own: poll, then commit entry by entry (store, fuse; see
    ``pipeline.Commit``)."""
    from ..ingest.sources import load_sources
    from ..ingest.web import Fetcher
    from ..monitor import Watcher
    from ..pipeline import Pipeline
    from ..store import Store
    from .watch import print_handled

    configured = load_sources(sources_path)
    pipeline = Pipeline(settings)

    def run() -> None:
        pipeline.nlp  # noqa: B018 - load the model before the first poll
        store = Store(settings.db)
        with Fetcher(settings) as fetcher:
            watcher = Watcher(configured, store, pipeline, fetcher, settings, on_handled=print_handled)
            try:
                while not stop.is_set():
                    try:
                        watcher.run_forever(stop)
                    except StoreLocked as exc:  # the store stayed locked by another process: next poll
                        log.warning("watcher: %s", exc)
                        store.release()
                        stop.wait(1.0)
            finally:
                watcher.close()
                pipeline.close()
                store.close()

    thread = threading.Thread(target=run, name="watcher", daemon=True)
    thread.start()
    typer.echo(f"watching {len(configured)} sources from {sources_path}", err=True)
    return thread
