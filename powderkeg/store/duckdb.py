"""The DuckDB store: articles, events, per-field evidence, quarantine.

Everything is keyed by content (article id = hash of its text, event id =
hash of article, trigger and coding, quarantine id = hash of origin, content
and error), so storing the same input twice adds nothing. Each article is
written with its events and evidence in one transaction: a crash leaves either
all of it or none of it.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ..errors import NotAStore, StoreNotFound
from ..records import Article, Event, Quarantined
from .access import access_for
from .filters import Filters, sql_where, where_events
from .migrations import SCHEMA_VERSION, check, migrate


@dataclass(frozen=True)
class Counts:
    articles: int
    events: int
    evidence: int
    quarantined: int


class _Connection:
    """``store.con``: stands for the connection of the store's current unit, opening one on use."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store.connection(), name)


def _one_unit(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a Store method as one unit of work (generators: while they are consumed)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def gen(self: Store, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with self.unit():
                yield from method(self, *args, **kwargs)

        return gen

    @functools.wraps(method)
    def run(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self.unit():
            return method(self, *args, **kwargs)

    return run


class Store:
    """A powderkeg DuckDB file (or ``:memory:``), opened one unit of work at a time.

    ``Store`` holds the file only while it works (see ``store/access.py``): each method
    below is one unit; ``store.con`` (for code that runs its own SQL) opens the file on
    first use and holds it until ``release()``, so callers that loop (``Pipeline.run``,
    the watcher) release it between batches and other processes get their turn.
    ``with store.unit():`` makes several calls one unit. A read-only Store never creates
    a file: a missing one is ``StoreNotFound`` (E002).

    Opened for writing, the file is upgraded to this version's schema first (store/migrations.py;
    ``migrated`` says from which version to which); opened read-only, a file of another version
    is refused with a StoreError (E501) that says how to upgrade it.
    """

    def __init__(
        self,
        path: str | Path = "powderkeg.duckdb",
        read_only: bool = False,
        wait: float | None = None,
        create: bool = True,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        if (read_only or not create) and self.path != ":memory:" and not Path(self.path).is_file():
            raise (
                StoreNotFound(f"no database at {self.path}")
                if not Path(self.path).is_dir()
                else NotAStore(f"{self.path} is a folder, not a database file")
            )
        self.access = access_for(self.path, wait)
        self.con: duckdb.DuckDBPyConnection = _Connection(self)  # type: ignore[assignment]
        self._held: contextlib.ExitStack | None = None
        self._cur: duckdb.DuckDBPyConnection | None = None
        self.migrated = (SCHEMA_VERSION, SCHEMA_VERSION)  # (version found, version now)
        if read_only:
            with self.unit() as con:
                version = check(con, self.path, writable=False)
                self.migrated = (version, version)
        else:
            self.access.prepare = self._migrate  # on the first write open of the file in this process
            with self.unit() as con:  # create and migrate the file now
                check(con, self.path, writable=True)  # (changed by another program since, in this process)

    def close(self) -> None:
        self.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        stack = contextlib.ExitStack()
        self._cur = stack.enter_context(self.access.read() if self.read_only else self.access.write())
        self._held = stack
        return self._cur

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection, opening the file (and holding it until ``release``) if need be."""
        return self._cur if self._held is not None and self._cur is not None else self._open()

    def release(self) -> None:
        """End the unit ``con`` holds: the file is closed unless another unit of this process uses it."""
        held, self._held, self._cur = self._held, None, None
        if held is not None:
            held.close()

    @contextlib.contextmanager
    def unit(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One unit of work: the file is held for the block (re-entrant; a held ``con`` stays held)."""
        if self._held is not None and self._cur is not None:
            yield self._cur
            return
        try:
            yield self._open()
        finally:
            self.release()

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        self.migrated = migrate(con, self.path)

    # -- writing -------------------------------------------------------------

    @_one_unit
    def known_articles(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]
        ).fetchall()
        return {r[0] for r in rows}

    def add(self, article: Article, events: Sequence[Event]) -> bool:
        """Store an article with its events in one transaction. False if already stored."""
        return bool(self.add_many([(article, events)]))

    @_one_unit
    def add_many(
        self,
        items: Sequence[tuple[Article, Sequence[Event]]],
        also: Callable[[duckdb.DuckDBPyConnection, set[str]], None] | None = None,
    ) -> set[str]:
        """Store articles with their events, evidence included, in one transaction.

        Returns the ids of the articles that were new; known ones are left untouched.
        ``also(cursor, new_ids)`` runs inside the same transaction, so bookkeeping
        written there (e.g. which feed entry gave the article) commits with it or not at all.
        """
        if not items and also is None:
            return set()
        try:
            with self._transaction() as cur:
                return self._insert(cur, items, also, look_up=False)
        except duckdb.ConstraintException:
            pass  # a key is stored already: the same batch again, each key looked up first
        with self._transaction() as cur:
            return self._insert(cur, items, also, look_up=True)

    def _insert(
        self,
        cur: duckdb.DuckDBPyConnection,
        items: Sequence[tuple[Article, Sequence[Event]]],
        also: Callable[[duckdb.DuckDBPyConnection, set[str]], None] | None,
        look_up: bool,
    ) -> set[str]:
        """``add_many``'s writes. Without ``look_up``, every row of the batch is taken to be new (its
        first copy in the batch), and a key already stored fails the insert on the table's key
        (``duckdb.ConstraintException``): asking the store which ids it holds costs a scan of the
        whole id column (DuckDB does not look a list of keys up in the index), more as it grows,
        and is needed only when an article comes again, which ``Pipeline.run`` and the watcher
        mostly see to before coding it. With ``look_up``, stored rows are left out."""
        known: set[str] = set()
        if look_up:
            known = {
                r[0]
                for r in cur.execute(
                    "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [[a.id for a, _ in items]]
                ).fetchall()
            }
        new: dict[str, tuple[Article, Sequence[Event]]] = {}
        for article, events in items:
            if article.id not in known:
                new.setdefault(article.id, (article, events))
        # each new article's number, its events' and their evidence's: reads find rows by it (``seq``)
        row = cur.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()
        first = (row[0] if row else 0) + 1
        seqs = {article_id: first + i for i, article_id in enumerate(new)}
        articles = [
            (
                a.id,
                a.url,
                a.title,
                a.published,
                a.source,
                a.path,
                a.text,
                len(a.text),
                len(ev),
                json.dumps(a.meta),
                seqs[a.id],
            )
            for a, ev in new.values()
        ]
        event_rows = [(*event_row(e), seqs[a.id]) for a, ev in new.values() for e in ev]
        evidence = [
            (e.id, name, start, end, a.text[start:end], seqs[a.id])
            for a, ev in new.values()
            for e in ev
            for name, (start, end) in e.spans.items()
        ]
        event_rows, evidence = _unstored(cur if look_up else None, event_rows, evidence)
        # none of these rows is stored (articles: ``known``): plain inserts, see ``insert_rows``
        insert_rows(
            cur,
            "articles (id, url, title, published, source, path, text, n_chars, n_events, meta, seq)",
            articles,
            new_keys=True,
        )
        insert_rows(cur, f"events ({EVENT_COLUMNS}, seq)", event_rows, new_keys=True)
        insert_rows(
            cur, "evidence (event_id, field, start_char, end_char, text, seq)", evidence, new_keys=True
        )
        if also is not None:
            also(cur, set(new))
        return set(new)

    @_one_unit
    def quarantine(
        self,
        item: Quarantined | Sequence[Quarantined],
        also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> None:
        """Quarantine a document, or several in one transaction (seen again: counted);
        ``also(cursor)`` commits with them or not at all."""
        items = [item] if isinstance(item, Quarantined) else list(item)
        with self._transaction() as cur:
            for one in items:
                cur.execute(
                    "INSERT INTO quarantine (id, origin, code, reason, content_hash, size)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " last_seen = now(), times_seen = quarantine.times_seen + 1",
                    [one.id, one.origin, one.code, one.reason, one.content_hash, one.size],
                )
            if also is not None:
                also(cur)

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor whose writes commit together when the block ends, or not at all."""
        cur = self.access.cursor(self.con)
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()

    # -- reading -------------------------------------------------------------

    @_one_unit
    def counts(self) -> Counts:
        row = self.con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),"
            " (SELECT count(*) FROM evidence), (SELECT count(*) FROM quarantine)"
        ).fetchone()
        assert row is not None
        return Counts(*row)

    @_one_unit
    def events(self, query: Filters | None = None) -> Iterator[dict[str, Any]]:
        """Events as event-contract dicts, oldest first (``Filters``: see store/filters.py)."""
        query = query or Filters()
        clauses, params = where_events(query)
        sql = f"SELECT record FROM events {sql_where(clauses)} ORDER BY date NULLS LAST, article_id, sentence_start, id"
        if query.limit is not None:  # 0 is no events, not all of them
            if query.limit < 0:
                raise ValueError(f"limit must be 0 or more, not {query.limit}")
            sql += f" LIMIT {int(query.limit)}"
        for (record,) in self.con.execute(sql, params).fetchall():
            yield json.loads(record)

    @_one_unit
    def event(self, event_id: str) -> dict[str, Any] | None:
        rows = self.con.execute(
            "SELECT record FROM events WHERE id = ? OR id LIKE ? || '%'", [event_id, event_id]
        ).fetchall()
        return json.loads(rows[0][0]) if len(rows) == 1 else None

    @_one_unit
    def evidence(self, event_id: str, article_id: str | None = None) -> list[tuple[str, int, int, str]]:
        """The evidence rows of one event; pass its ``article_id`` where it is known (a record's).

        evidence has no index on event_id (schema step 7): its event's article number narrows the
        scan to the row group that holds it (given as a value, the scan tests it before the id; as
        a subquery, after). The number is looked up in the articles key by the article's id, or,
        with the event's id alone, read by a scan of events' ids: the events key leads with the
        number (schema step 11), so an id alone is not looked up in the key's index."""
        if article_id is not None:
            row = self.con.execute("SELECT seq FROM articles WHERE id = ?", [article_id]).fetchone()
        else:
            row = self.con.execute("SELECT seq FROM events WHERE id = ?", [event_id]).fetchone()
        if row is None:
            return []
        return self.con.execute(
            "SELECT field, start_char, end_char, text FROM evidence WHERE seq = ? AND event_id = ? ORDER BY start_char",
            [row[0], event_id],
        ).fetchall()

    @_one_unit
    def article(self, article_id: str) -> dict[str, Any] | None:
        cur = self.con.execute("SELECT * EXCLUDE (seq) FROM articles WHERE id = ?", [article_id])
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    @_one_unit
    def quarantined(self) -> list[dict[str, Any]]:
        cur = self.con.execute(
            "SELECT origin, code, reason, size, times_seen FROM quarantine ORDER BY first_seen, origin"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


EVENT_COLUMNS = (
    "id, article_id, type, mode, cameo, acled_type, quad_class, score, source_countries,"
    " target_countries, source_orgs, target_orgs, place_country, date, date_precision, killed,"
    " injured, arrested, size, factuality, claimed_by, sentence, sentence_start, sentence_index,"
    " rule, confidence, record"
)


def insert_rows(
    cur: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple[Any, ...]], new_keys: bool = False
) -> None:
    """One ``INSERT ... SELECT unnest(?), ... ON CONFLICT DO NOTHING`` with one list per column.

    DuckDB binds a few long lists far faster than a VALUES clause with a parameter per
    cell (which it also plans anew for every distinct row count). With ``new_keys`` (the
    caller knows no row's key is stored, nor twice among the rows) a plain INSERT: DuckDB's
    ON CONFLICT costs several times the insert itself, and more as the table grows.
    """
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    conflict = "" if new_keys else " ON CONFLICT DO NOTHING"
    cur.execute(f"INSERT INTO {table} SELECT {', '.join(['unnest(?)'] * len(columns))}{conflict}", columns)


def _unstored(
    cur: duckdb.DuckDBPyConnection | None, events: list[tuple[Any, ...]], evidence: list[tuple[Any, ...]]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The event and evidence rows an ``ON CONFLICT DO NOTHING`` insert would add: the first row
    of each key, unless the key is stored (asked of ``cur``; None: none is). A new article's
    events are new (an event's id hashes its article's), so the store is asked only which event
    ids it holds; evidence is written only with its event, so only an event id it holds can have
    stored evidence. The evidence table has no key (schema step 6: its index held memory that
    grew with the store), so this is what keeps one row per event and field: a batch's insert
    fails on the articles' key before its evidence could repeat a stored row. (The events' key is
    (seq, id), schema step 11: a new article's events, numbered after every stored one, never
    conflict with it, and their ids, hashes of a new article's id, are not stored.)"""
    stored: set[Any] = set()
    if cur is not None:
        stored = {
            r[0]
            for r in cur.execute(
                "SELECT id FROM events WHERE id IN (SELECT unnest(?))", [[row[0] for row in events]]
            ).fetchall()
        }
    taken: set[tuple[Any, ...]] = set()
    if stored and cur is not None:
        taken = {
            (r[0], r[1])
            for r in cur.execute(
                "SELECT event_id, field FROM evidence WHERE event_id IN (SELECT unnest(?))", [sorted(stored)]
            ).fetchall()
        }

    def first(rows: list[tuple[Any, ...]], width: int, held: set[Any]) -> list[tuple[Any, ...]]:
        seen = set(held)
        out = []
        for row in rows:
            key = row[0] if width == 1 else row[:width]
            if key not in seen:
                seen.add(key)
                out.append(row)
        return out

    return first(events, 1, stored), first(evidence, 2, taken)


def event_row(e: Event) -> tuple[Any, ...]:
    return (
        e.id,
        e.article_id,
        e.type,
        e.mode,
        e.cameo,
        e.acled_type,
        e.quad_class,
        e.score,
        [a.country for a in e.source if a.country],
        [a.country for a in e.target if a.country],
        [a.org for a in e.source if a.org],
        [a.org for a in e.target if a.org],
        e.place.country if e.place else None,
        e.date,
        e.date_precision,
        e.numbers.killed,
        e.numbers.injured,
        e.numbers.arrested,
        e.numbers.size,
        e.factuality,
        e.claimed_by,
        e.sentence,
        e.sentence_start,
        e.sentence_index,
        e.rule,
        e.confidence,
        json.dumps(e.to_dict(), ensure_ascii=False),
    )


def iter_batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
