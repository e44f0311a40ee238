"""Where live news comes from: a ``Source`` protocol, the built-in kinds, sources.toml.

A source is polled with the shared Fetcher and the validators (ETag,
Last-Modified) of its last successful poll, and answers with every entry it
lists now; the watcher works out which are new. Built-in kinds are registered
in ``KINDS`` the same way a third party's would be::

    [[source]]
    name = "balkan-insight"
    url = "https://balkaninsight.com/feed/"
    kind = "feed"          # feed | page | auto (default: auto, sniffed from the answer)
    interval = 60          # seconds between polls (default: settings.poll_interval)
"""

from __future__ import annotations

import hashlib
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import ConfigError
from .feeds import Entry, looks_like_feed, parse_feed
from .web import Fetcher, Page


@dataclass(frozen=True)
class Poll:
    entries: list[Entry] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    seconds: float = 0.0


class Source(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def interval(self) -> float | None: ...  # seconds between polls; None: settings.poll_interval

    def poll(self, fetcher: Fetcher, etag: str = "", last_modified: str = "") -> Poll: ...


@dataclass(frozen=True)
class FeedSource:
    """An RSS 2.0 or Atom 1.0 feed; each entry's page is fetched later."""

    name: str
    url: str
    interval: float | None = None

    def poll(self, fetcher: Fetcher, etag: str = "", last_modified: str = "") -> Poll:
        started = time.monotonic()
        page = fetcher.fetch(self.url, etag=etag, last_modified=last_modified)
        return _poll(
            page, parse_feed(page.body, page.final_url, page.content_type) if page.body else [], started
        )


@dataclass(frozen=True)
class PageSource:
    """A single page watched for changes; each new version is one entry."""

    name: str
    url: str
    interval: float | None = None

    def poll(self, fetcher: Fetcher, etag: str = "", last_modified: str = "") -> Poll:
        started = time.monotonic()
        page = fetcher.fetch(self.url, etag=etag, last_modified=last_modified)
        return _poll(page, [_page_entry(page)] if page.body else [], started)


@dataclass(frozen=True)
class AutoSource:
    """A URL that may be a feed or a page: decided by what it answers."""

    name: str
    url: str
    interval: float | None = None

    def poll(self, fetcher: Fetcher, etag: str = "", last_modified: str = "") -> Poll:
        started = time.monotonic()
        page = fetcher.fetch(self.url, etag=etag, last_modified=last_modified)
        if not page.body:
            return _poll(page, [], started)
        if looks_like_feed(page.body, page.content_type):
            return _poll(page, parse_feed(page.body, page.final_url, page.content_type), started)
        return _poll(page, [_page_entry(page)], started)


def _poll(page: Page, entries: list[Entry], started: float) -> Poll:
    return Poll(entries, page.etag, page.last_modified, page.not_modified, time.monotonic() - started)


def _page_entry(page: Page) -> Entry:
    digest = hashlib.sha256(page.body).hexdigest()[:16]
    return Entry(key=f"{page.final_url}#{digest}", url=page.final_url, html=page.text())


KINDS: dict[str, Any] = {"feed": FeedSource, "page": PageSource, "auto": AutoSource}


def load_sources(path: str | Path) -> list[Source]:
    """Sources from a TOML file of ``[[source]]`` tables (name, url, kind?, interval?)."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"sources file {path} not found", remedy="see examples/sources.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}", remedy="fix the TOML syntax") from None
    defaults = data.get("defaults", {})
    sources: list[Source] = []
    names: set[str] = set()
    for number, table in enumerate(data.get("source", []), start=1):
        spec = {**defaults, **table}
        url = str(spec.get("url") or "")
        name = str(spec.get("name") or url)
        kind = str(spec.get("kind", "auto"))
        if not url:
            raise ConfigError(f"{path}: source {number} has no url", remedy='add url = "https://..."')
        if kind not in KINDS:
            raise ConfigError(
                f"{path}: source {name!r} has unknown kind {kind!r}", remedy=f"use one of {sorted(KINDS)}"
            )
        if name in names:
            raise ConfigError(
                f"{path}: two sources are named {name!r}", remedy="give each source its own name"
            )
        names.add(name)
        interval = spec.get("interval")
        sources.append(KINDS[kind](name=name, url=url, interval=float(interval) if interval else None))
    if not sources:
        raise ConfigError(f"{path}: no [[source]] tables", remedy="see examples/sources.toml")
    return sources
