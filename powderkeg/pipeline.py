"""The only module that knows the order of the stages.

ingest (paths -> Article | Quarantined) -> extract (spaCy + rules -> Event)
-> commit (store, then fuse, then evaluate the alert rules). ``Pipeline.code``
streams articles through spaCy in batches; ``Commit`` is the one step that
commits a batch, used by ``Pipeline.run`` on files and by the live monitor
(``monitor.py``: `powderkeg watch` and `powderkeg run URL`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from .errors import DocumentError, PowderkegError, Unstorable
from .extract.parallel import CodingPool, code_articles, workers_for
from .fuse import fuse as fuse_reports
from .ingest import read_paths
from .records import Article, Event, Quarantined, Skipped
from .settings import Settings
from .store import Store
from .store.duckdb import iter_batches
from .store.fused import ReportCache

if TYPE_CHECKING:
    from spacy.language import Language

    from .analyze.alerts import AlertEngine

log = logging.getLogger(__name__)

#: bookkeeping written inside the store's transaction (see ``Store.add_many``)
Also = Callable[[duckdb.DuckDBPyConnection, set[str]], None]


@dataclass
class RunSummary:
    articles_seen: int = 0
    articles_new: int = 0
    articles_known: int = 0
    events_new: int = 0
    events_counted: int = 0  # of events_new: asserted or claimed (the rest are denied, hypothetical, future)
    undated: int = 0  # new articles without a publication date: their events stay out of tension and alerts
    quarantined: int = 0
    seconds: float = 0.0
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # files in folders not read, by kind
    fused_touched: int = 0  # distinct fused events created or changed (see powderkeg/fuse)
    alerts: int = 0


@dataclass(frozen=True)
class Committed:
    """What committing one batch did."""

    added: set[str]  # ids of the articles that were new
    fused: list[str]  # fused events created or changed, in date order
    alerts: list[dict[str, Any]]  # alerts fired
    refused: dict[str, Quarantined] = field(default_factory=dict)  # article id -> why the store refused it


#: errors of one article's values (a figure DuckDB cannot hold, text it cannot encode): that article is
#: refused and the rest of its batch stored; anything else (a lock, a full disk) stops the batch
VALUE_ERRORS = (
    duckdb.ConversionException,
    duckdb.OutOfRangeException,
    duckdb.InvalidInputException,
    UnicodeError,
    ValueError,
    OverflowError,
)


#: new articles ``Pipeline.run`` fuses together (the default batch_size: results as before it was split off)
FUSE_EVERY = 32


class Commit:
    """The one step that commits a batch: store it, fuse its reports, evaluate the alert rules.

    Each stage is its own transaction: articles with their events (and the caller's
    bookkeeping, ``also``), then fusion, then alerts. A crash between them loses nothing:
    reports stored but not fused are fused by the next ``catch_up`` (a run ends with one, a
    watcher's every round of polls starts with one), and alerts are evaluated on what it touches.

    With ``fuse_every`` (``Pipeline.run``: ``FUSE_EVERY``), fusion and alerts take the new
    articles in groups of that many, in the order they were committed, whatever the size of
    the batches stored: fused events, their ids and the alerts then do not depend on
    ``batch_size`` (greedy fusion founds an event on the report it meets first). ``catch_up``
    takes the last, smaller group.
    """

    def __init__(
        self,
        store: Store,
        alerts: AlertEngine | None = None,
        fuse: bool = True,
        fuse_every: int | None = None,
    ) -> None:
        self.store, self.alerts, self.fuse, self.fuse_every = store, alerts, fuse, fuse_every
        self.reports = ReportCache()  # the reports fused so far, kept across batches
        self.waiting: list[str] = []  # with fuse_every: new articles not fused yet, in commit order

    def __call__(
        self, items: Sequence[tuple[Article, Sequence[Event]]], also: Also | None = None
    ) -> Committed:
        """Commit ``items``; an article whose values the store refuses is left out (``refused``),
        the others are stored: a batch is stored again one article at a time to find it."""
        with self.store.unit():  # one batch, one hold of the file: other processes go between batches
            added, refused = self._store(items, also)
            if not self.fuse or not added:
                return Committed(added, [], [], refused)
            if self.fuse_every is None:
                fused = self._fuse(sorted(added))
                return Committed(added, fused, self._alert(fused), refused)
            self.waiting += list(dict.fromkeys(a.id for a, _ in items if a.id in added))
            fused, alerts = [], []
            while len(self.waiting) >= self.fuse_every:
                group, self.waiting = self.waiting[: self.fuse_every], self.waiting[self.fuse_every :]
                fused += (touched := self._fuse(sorted(group)))
                alerts += self._alert(touched)
            return Committed(added, list(dict.fromkeys(fused)), alerts, refused)

    def _store(
        self, items: Sequence[tuple[Article, Sequence[Event]]], also: Also | None
    ) -> tuple[set[str], dict[str, Quarantined]]:
        try:
            return self.store.add_many(items, also=also), {}
        except VALUE_ERRORS as exc:
            if len(items) > 1 and also is None:
                added: set[str] = set()
                refused: dict[str, Quarantined] = {}
                for item in items:
                    one_added, one_refused = self._store([item], None)
                    added |= one_added
                    refused |= one_refused
                return added, refused
            if len(items) != 1:
                raise
            article = items[0][0]
            log.warning("the store refused article %s: %s: %s", article.id, type(exc).__name__, exc)
            reason = Unstorable("the store cannot hold one of this document's values (a figure or a text)")
            return set(), {article.id: _quarantined(article, reason)}

    def _fuse(self, article_ids: Sequence[str] | None) -> list[str]:
        """Fuse; a failure of fusion itself is logged, never fatal: the reports stay stored and
        are fused by a later ``catch_up``, and the store stays usable."""
        try:
            return fuse_reports(self.store.con, article_ids, self.reports)
        except (PowderkegError, duckdb.IOException):
            raise
        except Exception:  # noqa: BLE001 - a bug in fusion must not stop a run or poison the store
            log.exception("fusion failed; the reports are stored and will be fused by a later run")
            return []

    def catch_up(self) -> Committed:
        """Fuse the reports stored but not fused yet (by a run that stopped before fusing them,
        or before fusion existed), and evaluate the rules on what that touched."""
        with self.store.unit():
            fused, alerts = [], []
            if self.fuse and self.waiting:  # the last group of a run's new articles, on its own
                group, self.waiting = self.waiting, []
                fused += (touched := self._fuse(sorted(group)))
                alerts += self._alert(touched)
            if self.fuse:
                fused += (touched := self._fuse(None))
                alerts += self._alert(touched)
            return Committed(set(), list(dict.fromkeys(fused)), alerts)

    def _alert(self, fused: list[str]) -> list[dict[str, Any]]:
        return self.alerts.observe(fused) if self.alerts is not None and fused else []


class Pipeline:
    """The stages in order. Coding runs on ``n_process`` processes (setting; 0: every core).

    Worker processes cost a few seconds to start (each loads the spaCy model), so they are
    started by the first ``code`` call that brings at least ``parallel_min`` articles (setting)
    and then kept until ``close()``; smaller calls before that are coded in this process.
    A pipeline given its own ``nlp`` always codes in this process (that object cannot be
    shipped to workers). Results are the same either way: same events, ids, order.
    """

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or Settings.load()
        self._nlp = nlp
        self._own_nlp = nlp is None
        self._pool: CodingPool | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from .extract import load_nlp

            self._nlp = load_nlp(self.settings)
        return self._nlp

    @property
    def workers(self) -> int:
        """How many processes code (1: this one)."""
        return workers_for(self.settings) if self._own_nlp else 1

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def code(
        self, articles: Iterable[Article], idle: Callable[[], object] | None = None
    ) -> Iterator[tuple[Article, list[Event] | Quarantined]]:
        """Each article with its events, or with a Quarantined record if coding it failed, in input
        order (also when a failed batch is coded again one document at a time). The model is
        loaded only once there is an article to code. On worker processes, ``idle`` is called
        while they code the last articles and no results are back yet (``CodingPool.code``)."""
        articles = iter(articles)
        first = next(articles, None)
        if first is None:
            return
        articles = itertools.chain([first], articles)
        if self.workers > 1 and self._pool is None:
            head = list(itertools.islice(articles, max(self.settings.parallel_min, 1)))
            if len(head) >= self.settings.parallel_min:
                self._pool = CodingPool(self.settings, self.workers)
            articles = itertools.chain(head, articles)
        if self._pool is not None:
            yield from self._pool.code(articles, idle)
            return
        # the results come from a generator: each article is paired as it goes through
        sent: deque[Article] = deque()

        def tracked() -> Iterator[Article]:
            for article in articles:
                sent.append(article)
                yield article

        for result in code_articles(
            self.nlp, tracked(), self.settings.batch_size, self.settings.skip_prepass
        ):
            yield sent.popleft(), result

    def code_texts(self, records: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], list[Event]]]:
        """Code ``{id, text, date?}`` records without storing them, in input order.

        Results are paired with records by the article each record became, never by position.
        """
        from .ingest.text import parse_date

        waiting: dict[int, tuple[Article, dict[str, Any]]] = {}  # id(article) -> (article, its record)

        def articles() -> Iterator[Article]:
            for record in records:
                article = Article(
                    id=str(record.get("id", "")),
                    text=str(record.get("text") or ""),
                    published=parse_date(record.get("date") or record.get("published")),
                )
                waiting[id(article)] = (article, record)  # the article is held, so its id() stays unique
                yield article

        for article, result in self.code(articles()):
            _, record = waiting.pop(id(article))
            yield record, (result if isinstance(result, list) else [])

    def run(
        self,
        paths: Iterable[str | Path],
        store: Store,
        progress: Callable[[int], None] | None = None,
        fuse: bool = True,
        alerts: AlertEngine | None = None,
        published: dt.date | None = None,
    ) -> RunSummary:
        """Ingest, code and store everything under ``paths``.

        Every ``commit_every`` new documents (setting) are committed by ``Commit`` as one
        unit of work: stored in one transaction, their reports fused into real-world events
        (``fuse``, ``FUSE_EVERY`` articles at a time), and the alert rules evaluated on the
        fused events they touched (``alerts``; delivery runs on the engine's own thread).
        Fewer, larger units cost less than one per spaCy batch; other processes still get the
        file between two units (store/access.py). On worker processes, once all the documents
        are sent, what comes back is committed while the workers code the rest (a fused group
        at least at a time), so the run does not end with its last unit committed alone. A run
        killed at any point loses and doubles nothing once run again: what it committed is
        known by its content ids and skipped, what it stored but did not fuse is fused by
        ``catch_up``. ``published`` dates the articles that have no date of their own (front
        matter, JSONL field, page metadata). Each document is logged at INFO (``powderkeg -v run``).
        """
        started = time.perf_counter()
        summary = RunSummary()

        def tick(n: int = 1) -> None:
            if progress:
                progress(n)

        def quarantine(items: list[Quarantined], done: int = 1) -> None:
            """Record quarantined documents, a read batch's together (one commit, not one each)."""
            if not items:
                return
            for item in items:
                log.info("%s: quarantined, %s %s", item.origin, item.code, item.reason)
                summary.quarantine_reasons.append((item.origin, f"{item.code} {item.reason}"))
            store.quarantine(items)
            summary.quarantined += len(items)
            tick(done * len(items))

        seen_now: set[str] = set()  # ids read in this run (a copy may come before its original is stored)

        def fresh() -> Iterator[Article]:
            for batch in iter_batches(read_paths(paths, self.settings), max(self.settings.commit_every, 1)):
                articles = [i for i in batch if isinstance(i, Article)]
                known = store.known_articles([a.id for a in articles])
                quarantine([i for i in batch if isinstance(i, Quarantined)])
                for item in batch:
                    if isinstance(item, Skipped):
                        summary.skipped[item.kind] += 1
                        continue
                    if isinstance(item, Quarantined):
                        continue
                    summary.articles_seen += 1
                    if item.id in known or item.id in seen_now:
                        log.info("%s: already stored (article %s)", _origin(item), item.id)
                        summary.articles_known += 1
                        tick()
                        continue
                    seen_now.add(item.id)
                    if item.published is None and published is not None:
                        item = dataclasses.replace(item, published=published)
                    yield item

        pending: list[tuple[Article, list[Event]]] = []
        commit = Commit(store, alerts, fuse, fuse_every=FUSE_EVERY)

        touched: set[str] = set()  # fused events the run created or changed, each once

        def count(done: Committed) -> None:
            """Add a commit's figures: a fused event touched by several units counts once (the
            figure does not depend on how the run cut its units, nor on the workers' timing)."""
            touched.update(done.fused)
            summary.fused_touched = len(touched)
            summary.alerts += len(done.alerts)

        def flush() -> None:
            done = commit(pending)
            for article, events in pending:
                if article.id in done.refused:
                    quarantine([done.refused[article.id]], done=0)  # ticked with the batch below
                elif article.id in done.added:
                    summary.articles_new += 1
                    summary.events_new += len(events)
                    summary.events_counted += sum(1 for e in events if e.counted)
                    summary.undated += article.published is None
                    log.info(
                        "%s: %d events, article %s%s", _origin(article), len(events), article.id,
                        "" if article.published else " (no publication date)",
                    )  # fmt: skip
                else:
                    summary.articles_known += 1
            count(done)
            tick(len(pending))
            pending.clear()

        def idle() -> None:
            """While the workers code the last chunks: commit what is back (a group to fuse at
            least), so that the run does not end storing and fusing its whole last unit alone."""
            if len(pending) >= FUSE_EVERY:
                flush()

        # the file stays attached from one unit to the next unless another process waits for it:
        # no checkpoint per unit (store/access.py, "Holding between units")
        with store.access.holding():
            for article, result in self.code(fresh(), idle):
                if isinstance(result, Quarantined):
                    quarantine([result])
                    continue
                pending.append((article, result))
                if len(pending) >= self.settings.commit_every:
                    flush()
            with store.unit():  # the last batch and the catch-up in one unit
                if pending:
                    flush()
                count(commit.catch_up())
        summary.seconds = time.perf_counter() - started
        return summary


def _quarantined(article: Article, error: DocumentError) -> Quarantined:
    reason = error.message + (f"; {error.remedy}" if error.remedy else "")
    return Quarantined(_origin(article), error.code, reason, article.id, len(article.text))


def _origin(article: Article) -> str:
    return article.path or article.url or article.id


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many files a run will read (for a progress bar); JSONL files count once."""
    from .ingest.files import walk

    total = 0
    for path in map(Path, paths):
        total += sum(1 for _, skipped in walk(path) if not skipped) if path.is_dir() else 1
    return total


__all__ = ["Commit", "Committed", "Pipeline", "RunSummary", "count_inputs"]
