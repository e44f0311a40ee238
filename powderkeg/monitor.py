"""Live monitoring: poll sources, turn new entries into coded, stored articles.

One poll of a source: fetch it (conditional GET), skip entries already
handled, then take the new entries a chunk at a time (``commit_every``, the setting
``powderkeg run`` commits by, so a feed of 10,000 items holds a chunk's pages in
memory, never all of them, and other processes get the file between two chunks): fetch the
chunk's pages in parallel (the Fetcher keeps each host polite; the next chunk's
pages are fetched while this one is coded), in feed order decide for each article
whether it is new, already stored (same text) or a near-duplicate of a stored
original; code the new ones; commit the chunk's articles together with their
entries' bookkeeping through the pipeline's ``Commit`` (stored in one transaction,
then fused, then the alert rules evaluated). A SIGKILL at any point therefore
loses nothing and doubles nothing: an entry is handled exactly when its article
is stored, and reports stored but not fused are fused at the start of the next
round of polls. Sources are polled side by side and each is handled as soon as
its answer is in, so a slow source (cut off at ``fetch_timeout``) never holds up
the others.

An entry whose page fails transiently (timeout, 5xx, 429) stays pending and is
retried on later polls, up to ``item_retries`` times, then read from its feed
summary. The source's validators (ETag, Last-Modified) are saved only when no
entry is pending, so a 304 can never hide an entry that was not handled.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from .errors import DocumentError, PowderkegError, Throttled, TransientError, redact
from .ingest.feeds import Entry, entry_article, summary_article
from .ingest.neardup import NearDuplicates
from .ingest.sources import Poll, Source
from .ingest.web import Fetcher
from .pipeline import VALUE_ERRORS, Commit, Committed, Pipeline
from .records import Article, Event, Quarantined
from .settings import Settings
from .store import Store
from .store.sources import Handled, SourceBook

if TYPE_CHECKING:
    from .analyze.alerts import AlertEngine

log = logging.getLogger(__name__)

#: called after each entry is committed
OnHandled = Callable[[Handled, int], None]
#: called after each chunk of a source's new entries: (source, entries done, new entries in all)
OnProgress = Callable[[str, int, int], None]
POLL_GRACE = 2.0  # seconds the sources' answers are awaited together before each is handled as it comes


@dataclass
class PollReport:
    source: str
    entries: int = 0
    new: int = 0  # articles stored and coded
    known: int = 0  # same text already stored
    duplicates: int = 0  # near-duplicates linked to an original
    quarantined: int = 0
    pending: int = 0  # left for a later poll
    events: int = 0
    fused: int = 0  # fused events created or changed
    alerts: int = 0  # alerts fired
    not_modified: bool = False
    error: str = ""
    retry_after: float = 0.0
    seconds: float = 0.0


class Watcher:
    def __init__(
        self,
        sources: Sequence[Source],
        store: Store,
        pipeline: Pipeline,
        fetcher: Fetcher,
        settings: Settings | None = None,
        on_handled: OnHandled | None = None,
        on_polled: Callable[[PollReport], None] | None = None,
        alerts: AlertEngine | None = None,
        on_progress: OnProgress | None = None,
    ) -> None:
        self.sources = list(sources)
        self.on_progress = on_progress
        self.store = store
        self.pipeline = pipeline
        self.commit = Commit(store, alerts)
        self.fetcher = fetcher
        self.settings = settings or pipeline.settings
        self.on_handled = on_handled
        self.on_polled = on_polled
        self.book = SourceBook(store)
        for source in self.sources:
            self.book.register(source.name, source.url, type(source).__name__)
        self.neardup = NearDuplicates(self.settings.neardup_threshold)
        self.neardup.load(self.book.signatures())
        self.attempts: Counter[tuple[str, str]] = Counter()
        self.due = {s.name: 0.0 for s in self.sources}
        workers = max(self.settings.fetch_workers, 1)
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="fetch")  # entries' pages
        self.polls = ThreadPoolExecutor(workers, thread_name_prefix="poll")  # sources, never behind pages

    @property
    def chunk_size(self) -> int:
        """New entries fetched, coded and committed together: one unit of work, as in ``run``."""
        return max(self.settings.commit_every, 1)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.polls.shutdown(wait=False, cancel_futures=True)

    # -- scheduling ----------------------------------------------------------

    def run_once(self, stop: threading.Event | None = None) -> list[PollReport]:
        """Poll every source once, now (until ``stop`` is set: what is left waits for a later poll)."""
        return self._poll_all(self.sources, stop)

    def run_forever(self, stop: threading.Event) -> None:
        """Poll each source when it is due until ``stop`` is set (between chunks of entries, never
        inside one)."""
        while not stop.is_set():
            now = time.monotonic()
            due = [s for s in self.sources if self.due[s.name] <= now]
            if due:
                self._poll_all(due, stop)
            pause = min(self.due.values()) - time.monotonic()
            stop.wait(min(max(pause, 0.05), 60.0))

    def _poll_all(self, sources: Sequence[Source], stop: threading.Event | None = None) -> list[PollReport]:
        """Poll ``sources`` side by side; handle those that answered within ``POLL_GRACE`` in
        ``sources`` order (so which of two copies is the original does not depend on timing),
        then each of the others as soon as its answer is in: a source that answers slowly
        holds up no other. The reports come back in ``sources`` order."""
        self.commit.catch_up()  # reports a killed watcher stored but did not fuse
        validators = [self.book.validators(s.name) for s in sources]  # the store is read in this thread only
        self.store.release()  # not held while fetching: other processes use the file meanwhile
        polls = {
            self.polls.submit(self._fetch_source, s, v): s for s, v in zip(sources, validators, strict=True)
        }
        prompt, late = wait(polls, timeout=POLL_GRACE)
        reports: dict[str, PollReport] = {}
        for done in chain([f for f in polls if f in prompt], as_completed(late)):
            if stop is not None and stop.is_set():
                break
            source = polls[done]
            try:
                report = self._handle(source, done.result(), stop)
            finally:
                self.store.release()
            interval = source.interval or self.settings.poll_interval
            self.due[source.name] = time.monotonic() + max(interval, report.retry_after)
            reports[source.name] = report
            if self.on_polled:
                self.on_polled(report)
        return [reports[s.name] for s in sources if s.name in reports]

    # -- one poll ------------------------------------------------------------

    def _fetch_source(self, source: Source, validators: tuple[str, str]) -> Poll | PowderkegError:
        etag, last_modified = validators
        try:
            return source.poll(self.fetcher, etag, last_modified)
        except PowderkegError as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - a bad source must not stop the others
            log.exception("source %s failed unexpectedly", source.name)
            return PowderkegError(f"{type(exc).__name__}: {exc}")

    def poll(self, source: Source) -> PollReport:
        return self._handle(source, self._fetch_source(source, self.book.validators(source.name)))

    def _handle(
        self, source: Source, poll: Poll | PowderkegError, stop: threading.Event | None = None
    ) -> PollReport:
        report = PollReport(source.name)
        if isinstance(poll, PowderkegError):
            # "E110 ... (remedy)": what went wrong and what to do about it; a feed URL may hold a token
            report.error = f"{poll.code} {redact(poll.message)}" + (
                f" ({poll.remedy})" if poll.remedy else ""
            )
            report.retry_after = getattr(poll, "retry_after", 0.0)
            log.warning("source %s: %s", source.name, report.error)
            self.book.failed(source.name, 0.0, poll.code, redact(poll.message))
            return report
        report.seconds = poll.seconds
        if poll.not_modified:
            report.not_modified = True
            self.book.succeeded(source.name, poll.seconds, "not-modified", None)
            return report
        entries = list({e.key: e for e in reversed(poll.entries)}.values())[::-1]  # first of each key
        report.entries = len(entries)
        handled = self.book.handled_keys(source.name, [e.key for e in entries])
        fresh = [e for e in entries if e.key not in handled]
        self.store.release()  # pages are fetched politely, for seconds: not while holding the file
        size = self.chunk_size
        chunks = [fresh[i : i + size] for i in range(0, len(fresh), size)]
        fetching = self._fetch_chunk(source, chunks[0]) if chunks else []
        for number, chunk in enumerate(chunks, start=1):
            results = [f.result() for f in fetching]  # this chunk's pages, while the next one's are asked for
            fetching = self._fetch_chunk(source, chunks[number]) if number < len(chunks) else []
            self._store(source, zip(chunk, results, strict=True), report)
            if self.on_progress:
                self.on_progress(source.name, min(number * size, len(fresh)), len(fresh))
            if stop is not None and stop.is_set() and number < len(chunks):
                for future in fetching:
                    future.cancel()
                report.pending += sum(len(c) for c in chunks[number:])  # handled by a later poll
                break
        validators = (poll.etag, poll.last_modified) if report.pending == 0 else None
        self.book.succeeded(source.name, poll.seconds, "ok", validators)
        return report

    def _fetch_chunk(
        self, source: Source, chunk: list[Entry]
    ) -> list[Future[Article | Quarantined | TransientError]]:
        return [self.pool.submit(self._article, source, entry) for entry in chunk]

    def _article(self, source: Source, entry: Entry) -> Article | Quarantined | TransientError:
        """The entry's article, a quarantine record, or the transient error that leaves it pending."""
        origin = entry.url or f"{source.name}:{entry.key}"
        try:
            return entry_article(entry, self.fetcher, self.settings, source.name)
        except TransientError as exc:
            key = (source.name, entry.key)
            self.attempts[key] += 1
            if self.attempts[key] < self.settings.item_retries:
                return exc
            if not entry.summary:
                return Quarantined(origin, exc.code, f"{exc.message} (tried {self.attempts[key]} times)")
            try:
                return summary_article(entry, self.settings, source.name, reason=exc.message)
            except DocumentError as inner:
                return Quarantined(origin, inner.code, inner.message)
        except DocumentError as exc:
            return Quarantined(origin, exc.code, exc.message + (f"; {exc.remedy}" if exc.remedy else ""))
        except Exception as exc:  # noqa: BLE001 - one bad entry must not stop the watcher
            log.exception("entry %s failed unexpectedly", origin)
            return Quarantined(origin, "E100", f"{type(exc).__name__}: {exc}")

    def _store(
        self,
        source: Source,
        results: Iterable[tuple[Entry, Article | Quarantined | TransientError]],
        report: PollReport,
    ) -> None:
        """Decide known / duplicate / new in feed order, code the new ones, commit them together."""
        plan: list[tuple[Article, Handled, bool]] = []  # (article, bookkeeping, needs coding)
        seen: set[str] = set()
        results = list(results)
        articles = [r for _, r in results if isinstance(r, Article)]
        known = self.store.known_articles([a.id for a in articles])
        for entry, result in results:
            if isinstance(result, TransientError):
                report.pending += 1
                if isinstance(result, Throttled):
                    report.retry_after = max(report.retry_after, result.retry_after)
                continue
            self.attempts.pop((source.name, entry.key), None)
            if isinstance(result, Quarantined):
                self.book.quarantine(Handled(source.name, entry.key, entry.url, None, "quarantined"), result)
                report.quarantined += 1
                continue
            article = result
            text_from = str(article.meta.get("text_from", ""))
            handled = Handled(source.name, entry.key, entry.url, article.id, "known", text_from)
            if article.id in seen or article.id in known:
                plan.append((article, handled, False))
                continue
            seen.add(article.id)
            fingerprint = self.neardup.fingerprint(article.text)
            match = self.neardup.original_of(fingerprint)
            if match is not None:
                original, similarity = match
                meta = {**article.meta, "duplicate_of": original, "similarity": round(similarity, 3)}
                article = dataclasses.replace(article, meta=meta)
                plan.append(
                    (article, _with(handled, "duplicate", original_id=original, similarity=similarity), False)
                )
                continue
            self.neardup.add(article.id, fingerprint)  # later entries of this poll compare with it too
            signature = NearDuplicates.to_bytes(fingerprint)
            plan.append((article, _with(handled, "new", signature=signature), True))
        self.store.release()  # coding takes seconds: not while holding the file
        coded = dict(_coded(self.pipeline, [a for a, _, needs in plan if needs]))
        ready: list[tuple[Article, Handled, list[Event]]] = []
        for article, handled, needs in plan:
            events = coded.get(article.id, []) if needs else []
            if isinstance(events, Quarantined):
                self._quarantine(article, handled, events, report)
            else:
                ready.append((article, handled, events))
        try:
            try:
                done = self.commit(
                    [(a, e) for a, _, e in ready], also=self.book.entry_writer([h for _, h, _ in ready])
                )
            except VALUE_ERRORS:  # one article the store cannot hold: commit them one by one to find it
                for article, handled, events in ready:
                    one = self.commit([(article, events)], also=self.book.entry_writer([handled]))
                    if article.id in one.refused:
                        self._quarantine(article, handled, one.refused[article.id], report)
                    else:
                        self._count(report, handled, events, one)
                return
        except Exception:
            self._reload_fingerprints()
            raise
        report.fused += len(done.fused)
        report.alerts += len(done.alerts)
        for _, handled, events in ready:
            self._count(report, handled, events)

    def _count(
        self, report: PollReport, handled: Handled, events: list[Event], done: Committed | None = None
    ) -> None:
        field = {"new": "new", "known": "known", "duplicate": "duplicates"}[handled.outcome]
        setattr(report, field, getattr(report, field) + 1)
        report.events += len(events)
        if done is not None:
            report.fused += len(done.fused)
            report.alerts += len(done.alerts)
        if self.on_handled:
            self.on_handled(handled, len(events))

    def _quarantine(self, article: Article, handled: Handled, item: Quarantined, report: PollReport) -> None:
        self.neardup.discard(article.id)
        self.book.quarantine(_with(handled, "quarantined", article_id=None, signature=None), item)
        report.quarantined += 1

    def _reload_fingerprints(self) -> None:
        self.neardup = NearDuplicates(self.settings.neardup_threshold)
        self.neardup.load(self.book.signatures())


def _with(handled: Handled, outcome: str, **changes: Any) -> Handled:
    return dataclasses.replace(handled, outcome=outcome, **changes)


def _coded(pipeline: Pipeline, articles: list[Article]) -> Iterator[tuple[str, list[Event] | Quarantined]]:
    if not articles:
        return iter(())
    return ((article.id, result) for article, result in pipeline.code(articles))
