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
from urllib.parse import urlsplit

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


KEYS = ("name", "url", "kind", "interval")  # of a [[source]] table (and of [defaults], but name and url)


def load_sources(path: str | Path) -> list[Source]:
    """Sources from a TOML file of ``[[source]]`` tables (name, url, kind?, interval?), each checked
    when the file loads: an unknown table or key, a URL that is not http(s), or an interval that
    is not a positive number is a ConfigError naming it."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"sources file {path} not found", remedy="see examples/sources.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}", remedy="fix the TOML syntax") from None
    _known(path, "the file", data, ("source", "defaults"), "[[source]] tables and one [defaults] table")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ConfigError(f"{path}: defaults must be a table", remedy="write [defaults] above the sources")
    _known(path, "[defaults]", defaults, ("kind", "interval"), "kind and interval")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: source must be [[source]] tables", remedy="see examples/sources.toml")
    sources: list[Source] = []
    names: set[str] = set()
    for number, table in enumerate(tables, start=1):
        _known(path, f"source {number}", table, KEYS, ", ".join(KEYS))
        spec = {**defaults, **table}
        url = spec.get("url")
        if not url or not isinstance(url, str):
            raise ConfigError(f"{path}: source {number} has no url", remedy='add url = "https://..."')
        name = str(spec.get("name") or url)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"{path}: source {name!r} has url {url!r}, which is not an http(s) address",
                remedy="give a URL that starts with https:// or http:// and names a host",
            )
        kind = spec.get("kind", "auto")
        if kind not in KINDS:
            raise ConfigError(
                f"{path}: source {name!r} has unknown kind {kind!r}", remedy=f"use one of {sorted(KINDS)}"
            )
        if name in names:
            raise ConfigError(
                f"{path}: two sources are named {name!r}", remedy="give each source its own name"
            )
        names.add(name)
        sources.append(KINDS[kind](name=name, url=url, interval=_interval(path, name, spec.get("interval"))))
    if not sources:
        raise ConfigError(f"{path}: no [[source]] tables", remedy="see examples/sources.toml")
    return sources


def _known(path: Path, where: str, table: dict[str, Any], keys: tuple[str, ...], allowed: str) -> None:
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise ConfigError(
            f"{path}: {where} has unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}",
            remedy=f"the keys are {allowed}",
        )


def _interval(path: Path, name: str, value: object) -> float | None:
    """Seconds between polls: a positive number, or None for the poll_interval setting."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
        raise ConfigError(
            f"{path}: source {name!r} has interval {value!r}; it must be a positive number of seconds",
            remedy="e.g. interval = 60, or leave it out for the poll_interval setting",
        )
    return float(value)
