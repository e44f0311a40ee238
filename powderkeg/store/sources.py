"""Bookkeeping of live monitoring: sources' health, entries handled, near-duplicate links.

An entry is marked handled in the same transaction that stores its article
(``entry_writer`` is passed to ``Store.add_many(also=...)``), so a crash at any
point leaves the entry either handled with its article stored, or neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from ..records import Quarantined
from .duckdb import Store


@dataclass(frozen=True)
class Handled:
    """What became of one entry of a source."""

    source: str
    key: str
    url: str
    article_id: str | None
    outcome: str  # new | known | duplicate | quarantined
    text_from: str = ""
    signature: bytes | None = None  # MinHash of a new article
    original_id: str | None = None  # for a duplicate
    similarity: float | None = None


class SourceBook:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.con = store.con

    def register(self, name: str, url: str, kind: str) -> None:
        self.con.execute(
            "INSERT INTO sources (name, url, kind) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind",
            [name, url, kind],
        )

    def validators(self, name: str) -> tuple[str, str]:
        row = self.con.execute("SELECT etag, last_modified FROM sources WHERE name = ?", [name]).fetchone()
        return (row[0] or "", row[1] or "") if row else ("", "")

    def handled_keys(self, name: str, keys: Iterable[str]) -> set[str]:
        rows = self.con.execute(
            "SELECT entry_key FROM source_entries WHERE source = ? AND entry_key IN (SELECT unnest(?))",
            [name, list(keys)],
        ).fetchall()
        return {r[0] for r in rows}

    def succeeded(self, name: str, seconds: float, outcome: str, validators: tuple[str, str] | None) -> None:
        """A poll went through; ``validators`` are kept only once every entry was handled."""
        now = dt.datetime.now()
        if validators is not None:
            self.con.execute(
                "UPDATE sources SET etag = ?, last_modified = ? WHERE name = ?", [*validators, name]
            )
        self.con.execute(
            "UPDATE sources SET last_polled = ?, last_success = ? WHERE name = ?", [now, now, name]
        )
        self._fetch(name, seconds, outcome)

    def failed(self, name: str, seconds: float, code: str, reason: str) -> None:
        now = dt.datetime.now()
        self.con.execute(
            "UPDATE sources SET last_polled = ?, last_error = ?, last_error_reason = ? WHERE name = ?",
            [now, now, f"{code} {reason}", name],
        )
        self._fetch(name, seconds, code)

    def _fetch(self, name: str, seconds: float, outcome: str) -> None:
        self.con.execute(
            "INSERT INTO source_fetches (source, seconds, outcome) VALUES (?, ?, ?)", [name, seconds, outcome]
        )

    def entry_writer(self, handled: list[Handled]) -> Callable[[duckdb.DuckDBPyConnection, set[str]], None]:
        """Writes the entries' rows inside ``Store.add_many``'s transaction."""

        def write(cur: duckdb.DuckDBPyConnection, _new: set[str]) -> None:
            for h in handled:
                _write(cur, h)

        return write

    def quarantine(self, handled: Handled, item: Quarantined) -> None:
        """Quarantine an entry's document and mark the entry handled, in one transaction."""
        self.store.quarantine(item, also=lambda cur: _write(cur, handled))

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        for article_id, signature in self.con.execute(
            "SELECT article_id, signature FROM article_minhash ORDER BY article_id"
        ).fetchall():
            yield article_id, bytes(signature)

    def health(self) -> list[dict[str, Any]]:
        """Per source: last success, last error and why, entries seen and new, median fetch time."""
        cur = self.con.execute(
            "SELECT s.name, s.url, s.kind, s.last_success, s.last_error, s.last_error_reason,"
            " (SELECT count(*) FROM source_entries e WHERE e.source = s.name) AS items_seen,"
            " (SELECT count(*) FROM source_entries e WHERE e.source = s.name AND e.outcome = 'new') AS items_new,"
            " (SELECT count(*) FROM source_entries e WHERE e.source = s.name AND e.outcome = 'duplicate')"
            " AS duplicates,"
            " (SELECT median(f.seconds) FROM (SELECT seconds FROM source_fetches f WHERE f.source = s.name"
            "   ORDER BY fetched_at DESC LIMIT 100) f) AS median_fetch_s"
            " FROM sources s ORDER BY s.name"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def further_sources(self, article_id: str) -> list[dict[str, Any]]:
        """Every entry that reported this article, itself or as a near-duplicate."""
        cur = self.con.execute(
            "SELECT e.source, e.url, e.article_id, e.outcome, d.similarity FROM source_entries e"
            " LEFT JOIN article_duplicates d ON d.article_id = e.article_id"
            " WHERE e.article_id = ? OR d.original_id = ? ORDER BY e.seen_at, e.source",
            [article_id, article_id],
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _write(cur: duckdb.DuckDBPyConnection, h: Handled) -> None:
    cur.execute(
        "INSERT INTO source_entries (source, entry_key, url, article_id, outcome, text_from)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [h.source, h.key, h.url, h.article_id, h.outcome, h.text_from],
    )
    if h.signature is not None and h.article_id:
        cur.execute(
            "INSERT INTO article_minhash VALUES (?, ?) ON CONFLICT DO NOTHING", [h.article_id, h.signature]
        )
    if h.original_id and h.article_id:
        cur.execute(
            "INSERT INTO article_duplicates VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [h.article_id, h.original_id, h.similarity],
        )
