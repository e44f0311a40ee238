"""The FastAPI application: ``create_app(settings)``.

The app reads and writes the store through this process's ``Access`` to it
(``store/access.py``): each request is one unit of work, reads share the file,
a write (``POST /articles``, the watcher of ``powderkeg serve --watch``) has it
alone for one batch, and between units other processes (the CLI) get their turn.
Reads are open to clients on the loopback address; anyone else, and every write,
needs the ``api_token`` setting as a bearer token (``check_bind`` refuses to serve
a non-loopback address without one). The dashboard (``powderkeg/web``) is served
at ``/``; OpenAPI at ``/openapi.json``, docs at ``/docs``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

import duckdb
from anyio import to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    ApiError,
    BadParameter,
    BriefError,
    ConfigError,
    NotAStore,
    NotFound,
    PowderkegError,
    StoreLocked,
    StoreNotFound,
    UngroundedBrief,
)
from ..geocode.areas import Admin1Areas
from ..settings import Settings
from ..store.access import Access, access_for
from .http import check_token, is_loopback, problem
from .index import EventIndex, Indexes
from .series import FusedIndex

log = logging.getLogger(__name__)

#: threads that run requests (reads of the store). DuckDB releases the GIL while it works, so a few
#: keep both cores busy; anyio's default of 40 only makes 40 requests share the GIL at once, which
#: on two cores cost a third of the throughput and tripled the p99 (bench/api_load.py). The others
#: wait their turn in the event loop, first come first served.
THREADS = 4

#: Content-Security-Policy of the dashboard: its own scripts only, no inline script, no handlers
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
    " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class State:
    """What the routes share: settings, the store access, the pipeline (loaded on first write)."""

    def __init__(self, settings: Settings, access: Access) -> None:
        self.settings = settings
        self.access = access
        self.areas = Admin1Areas(
            settings.gazetteer
        )  # first-level areas' names (gazetteer opened on first use)
        self.events_index = Indexes(access, EventIndex.build)
        self.fused_index = Indexes(access, FusedIndex.build)
        self._pipeline: Any = None
        self._lock = threading.Lock()

    def pipeline(self) -> Any:
        with self._lock:
            if self._pipeline is None:
                from ..pipeline import Pipeline

                self._pipeline = Pipeline(self.settings)
                self._pipeline.nlp  # noqa: B018 - load the model once, under the lock
            return self._pipeline


def check_bind(host: str, settings: Settings) -> None:
    """Refuse to serve a non-loopback address without a token."""
    if not is_loopback(host) and not settings.api_token:
        raise ConfigError(
            f"refusing to serve on {host} without an api_token: anyone who can reach it could read and write",
            remedy="set api_token (POWDERKEG_API_TOKEN) or serve on 127.0.0.1",
        )


def create_app(settings: Settings | None = None, access: Access | None = None) -> FastAPI:
    """The API and dashboard over ``settings.db``."""
    settings = settings or Settings.load()
    access = access or access_for(
        settings.db,
        wait=settings.lock_wait,
        linger=0.5,
        memory_limit=settings.store_memory,
        threads=settings.store_threads,
    )
    state = State(settings, access)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        access.start_reaper()
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        state.events_index.get()  # start building the indexes
        state.fused_index.get()
        yield
        access.close()

    app = FastAPI(
        title="powderkeg",
        version=_version(),
        summary="Coded political events with their evidence: events, fused events, tension, alerts.",
        lifespan=lifespan,
        dependencies=[Depends(_guard(state))],
    )
    app.state.pk = state
    _handlers(app)
    from .routes import router

    app.include_router(router)
    static = resources.files("powderkeg.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        return FileResponse(str(static.joinpath("index.html")), headers={"Content-Security-Policy": CSP})

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """``X-Content-Type-Options`` and the CSP on every response: a plain ASGI middleware
    (Starlette's ``BaseHTTPMiddleware`` costs a task and a stream per request)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in _SECURITY:
                    if name not in names:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


_SECURITY = ((b"x-content-type-options", b"nosniff"), (b"content-security-policy", CSP.encode("ascii")))


def _guard(state: State) -> Any:
    async def guard(request: Request) -> None:  # async: no trip to the thread pool
        """Reads from this machine are open; other clients need the token, and writes always do."""
        path = request.url.path
        if path == "/" or path.startswith("/static/"):
            return
        if request.method not in ("GET", "HEAD") or not is_loopback(
            request.client.host if request.client else None
        ):
            check_token(request, state.settings.api_token)

    return guard


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(PowderkegError)
    async def powderkeg_error(request: Request, exc: PowderkegError) -> Response:
        extra = {}
        if isinstance(exc, ApiError):
            status = exc.status
        elif isinstance(exc, UngroundedBrief):
            status, extra = 422, {"problems": exc.problems}
        elif isinstance(exc, BriefError):
            status = 404 if "no single" in exc.message else 400
        elif isinstance(exc, StoreLocked):
            status = 503
        elif isinstance(exc, StoreNotFound | NotAStore):
            status = 503
        else:
            status = 500
        return problem(exc, status, request.url.path, **extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'body'))}: {e.get('msg')}"
            for e in exc.errors()
        )
        return problem(BadParameter(details or "invalid request"), 400, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        err: PowderkegError = (
            NotFound(f"nothing at {request.url.path}")
            if exc.status_code == 404
            else (BadParameter(str(exc.detail)))
        )
        return problem(err, exc.status_code, request.url.path)

    @app.exception_handler(duckdb.CatalogException)
    async def old_store(request: Request, exc: duckdb.CatalogException) -> Response:
        err = NotAStore(
            f"the database lacks a table: {str(exc).splitlines()[0]}", remedy="run powderkeg run on it once"
        )
        return problem(err, 503, request.url.path)


def _version() -> str:
    from .. import __version__

    return __version__
