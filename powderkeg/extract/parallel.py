"""Coding articles, in this process or on every core.

``code_articles`` runs spaCy and the rules over articles in batches and turns each Doc
into plain records at once (a list of ``Event``, or ``Quarantined`` when coding failed).
``CodingPool`` does the same in worker processes, each loading the spaCy pipeline and
the rules once: articles go out in chunks, records come back, and they are yielded in
input order. The coder keeps its state on the Doc (``doc._``), which never leaves the
process that made it, so a run on N processes gives exactly the records one process gives.

Workers are started with ``spawn`` (not ``fork``): the parent may run threads (the
watcher's fetchers, the alert dispatcher, DuckDB's), and a forked child would inherit
their locks. A worker that dies (out of memory, a crash in native code) breaks the pool:
the pool is started again and the chunks in flight are coded one article per task, one
task at a time, so the article that kills a worker is quarantined (E107) and the rest go on.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, TypeVar

from ..errors import CodingFailed, ConfigError
from ..records import Article, Event, Quarantined
from ..settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

Result = list[Event] | Quarantined
T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(settings: Settings) -> int:
    """How many processes code: ``n_process`` (0: one per core)."""
    return settings.n_process if settings.n_process > 0 else cores()


def failed(article: Article, exc: BaseException | str) -> Quarantined:
    """The quarantine record of an article the coder failed on: a reason for people (the
    exception itself goes to the log, never into the reason)."""
    if isinstance(exc, str):
        message = exc
    else:
        log.warning("coding failed on article %s", article.id, exc_info=exc)
        message = f"the event coder failed on this text ({type(exc).__name__})"
    return Quarantined(
        article.path or article.url or article.id,
        CodingFailed.code,
        f"{message}; {CodingFailed.remedy}",
        article.id,
        len(article.text),
    )


def code_articles(
    nlp: Language, articles: Iterable[Article], batch_size: int, skip: bool = False
) -> Iterator[Result]:
    """Each article's events (or its quarantine record), in input order.

    With ``skip`` (setting ``skip_prepass``), only the sentences that can hold an event
    are tagged, parsed and run through NER (``prepass.py``). A batch that fails is coded
    again one document at a time, so one bad document is quarantined with its reason and
    the others keep their events.
    """
    from ..geocode.doctext import keep_text
    from .events import doc_to_events
    from .reflow import reflow
    from .truecase import lower_cased_text, truecaser

    batch: list[tuple[object, Article]] = []
    for article in articles:
        # hard-wrapped text is parsed as paragraphs; the offsets stay the article's
        text = reflow(article.text)
        lowered = lower_cased_text(text)
        # lower-cased text is parsed with its certain capitals back (the offsets stay)
        parsed = truecaser(nlp)(text) if lowered else text
        doc = nlp.make_doc(parsed)
        keep_text(doc, parsed)  # a Doc's text is the string it was made from
        doc._.lower_cased = lowered
        doc._.published = article.published
        batch.append((doc, article))
        if len(batch) >= batch_size * 4:
            yield from _code_batch(nlp, batch, batch_size, doc_to_events, skip)
            batch = []
    if batch:
        yield from _code_batch(nlp, batch, batch_size, doc_to_events, skip)


def _code_batch(nlp, batch, batch_size, doc_to_events, skip=False) -> Iterator[Result]:
    from .prepass import pipe_kept

    try:
        if skip:
            processed = list(pipe_kept(nlp, batch, batch_size))
        else:
            processed = list(nlp.pipe(batch, as_tuples=True, batch_size=batch_size))
    except Exception:  # one bad document must not kill the batch: retry one by one
        log.warning("a batch failed; coding its %d documents one at a time", len(batch))
        for doc, article in batch:
            try:
                coded = next(pipe_kept(nlp, [(doc, article)], 1))[0] if skip else nlp(doc)
            except Exception as exc:  # noqa: BLE001 - quarantined with its reason
                yield failed(article, exc)
            else:
                yield list(doc_to_events(coded, article))
        return
    for doc, article in processed:
        yield list(doc_to_events(doc, article))


# -- worker processes ------------------------------------------------------------


class WorkerStartError(Exception):
    """A worker could not load the pipeline (raised in the worker, re-raised as ConfigError here)."""


_worker_nlp: Language | None = None
_worker_batch = 32
_worker_skip = False
_worker_error = ""


def _start_worker(settings: Settings) -> None:
    global _worker_nlp, _worker_batch, _worker_skip, _worker_error
    from .nlp import load_nlp

    _exit_with_parent()
    try:
        _worker_nlp = load_nlp(settings)
    except Exception as exc:  # noqa: BLE001 - said on the first task, in the parent
        _worker_error = str(exc)
    else:
        # the pipeline (model, rules, knowledge, gazetteer) lives as long as the worker: left
        # out of the garbage collector's full passes, which otherwise walk all of it again
        # every few batches (about 0.1-0.2 s of CPU per 300 articles, measured); only how
        # often cyclic garbage is looked for changes, never what is coded
        gc.freeze()
    _worker_batch = settings.batch_size
    _worker_skip = settings.skip_prepass


def _exit_with_parent() -> None:
    """End this worker when the parent process ends, even by SIGKILL (which runs no clean-up)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _code_chunk(articles: list[Article]) -> list[Result]:
    if _worker_nlp is None:
        raise WorkerStartError(_worker_error or "the worker was not started")
    return list(code_articles(_worker_nlp, articles, _worker_batch, _worker_skip))


def _ready() -> int:
    if _worker_nlp is None:
        raise WorkerStartError(_worker_error or "the worker was not started")
    time.sleep(0.05)  # long enough that a worker which is ready does not answer for the others too
    return os.getpid()


def _result(future: Future[T]) -> T:
    try:
        return future.result()
    except WorkerStartError as exc:
        raise ConfigError(
            f"the coding worker processes cannot load the pipeline: {exc}",
            remedy="fix the setting it names, or set n_process = 1 to code in this process",
        ) from None


class CodingPool:
    """Worker processes that code articles, each with its own spaCy pipeline.

    ``code`` keeps at most ``2 × workers`` chunks in flight (reading its input only as
    fast as the workers code it, so memory stays flat on any corpus) and yields the
    results in input order. Close it with ``close()`` (or use it as a context manager).
    """

    def __init__(self, settings: Settings, workers: int, chunk: int | None = None) -> None:
        from ..geocode.gazetteer import gazetteer_at

        gazetteer_at(settings.gazetteer)  # built here, once, if missing: never by two workers at once
        self.settings, self.workers = settings, max(workers, 1)
        self.chunk = chunk or max(1, min(settings.batch_size, 16))  # small: the workers stay even
        self._deaths = 0  # single-article tasks in a row whose worker died
        self._executor = self._start()
        # a pool dropped without close() (a script's Pipeline) still stops its workers cleanly
        self._finalizer = weakref.finalize(self, _stop, self._executor)

    def _start(self) -> ProcessPoolExecutor:
        """Start the workers and wait until one has loaded the pipeline."""
        executor = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.settings,),
        )
        try:
            self._wait_ready(executor)
        except BrokenProcessPool:
            executor.shutdown(wait=False, cancel_futures=True)
            raise ConfigError(
                "the coding worker processes could not start",
                remedy="a script that codes on several processes must start its work under "
                "`if __name__ == '__main__':` (they are spawned and import it); or set n_process = 1",
            ) from None
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        return executor

    def _wait_ready(self, executor: ProcessPoolExecutor) -> None:
        """Until every worker has loaded the pipeline (each answers a short task with its id)."""
        seen: set[int] = set()
        deadline = time.monotonic() + 300  # a loaded machine may take a minute; never forever
        while len(seen) < self.workers and time.monotonic() < deadline:
            futures = [executor.submit(_ready) for _ in range(self.workers)]  # spawns them all at once
            seen.update(_result(f) for f in futures)

    def pids(self) -> list[int]:
        """The worker processes' ids (for measuring their CPU time)."""
        return [p.pid for p in self._executor._processes.values() if p.pid is not None]

    def close(self) -> None:
        self._finalizer.detach()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> CodingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def code(
        self, articles: Iterable[Article], idle: Callable[[], object] | None = None
    ) -> Iterator[tuple[Article, Result]]:
        """Each article with its events or quarantine record, in input order.

        ``idle`` is called once the input has all been sent, whenever the next results are
        not back yet, before waiting for them: the caller's own work (``Pipeline.run`` commits
        what it holds) then runs while the workers code the last chunks, not after them.
        """
        flight: deque[tuple[list[Article], Future[list[Result]]]] = deque()
        chunks = _chunks(articles, self.chunk)
        window = 2 * self.workers
        for chunk in chunks:
            flight.append((chunk, self._submit(chunk)))
            if len(flight) >= window:
                yield from self._collect(flight)
        while flight:
            yield from self._collect(flight, idle)

    def _submit(self, chunk: list[Article]) -> Future[list[Result]]:
        """``chunk`` sent to the workers. A pool that a dead worker broke refuses new work: the
        chunk then waits in flight as broken too, and ``_collect`` codes it with the others."""
        try:
            return self._executor.submit(_code_chunk, chunk)
        except BrokenProcessPool as exc:
            refused: Future[list[Result]] = Future()
            refused.set_exception(exc)
            return refused

    def _collect(
        self,
        flight: deque[tuple[list[Article], Future[list[Result]]]],
        idle: Callable[[], object] | None = None,
    ) -> Iterator[tuple[Article, Result]]:
        """The oldest chunk's results; if a worker died, the chunks in flight one article at a time."""
        chunk, future = flight[0]
        if idle is not None and not future.done():
            idle()
        try:
            results = _result(future)
        except BrokenProcessPool:
            log.warning(
                "a coding worker died; coding the %d chunks in flight one article at a time", len(flight)
            )
            pending = [article for chunk, _ in flight for article in chunk]
            flight.clear()
            self._restart()
            for article in pending:
                yield article, self._alone(article)
            return
        flight.popleft()
        yield from zip(chunk, results, strict=True)

    def _alone(self, article: Article) -> Result:
        try:
            result = _result(self._executor.submit(_code_chunk, [article]))[0]
        except BrokenProcessPool:
            self._deaths += 1
            if self._deaths >= 3:  # not one bad article: the workers cannot run here at all
                raise ConfigError(
                    "the coding worker processes keep dying, on 3 articles in a row",
                    remedy="check memory (each worker loads the spaCy model), or set n_process = 1",
                ) from None
            self._restart()
            return failed(article, "the worker process coding it died (out of memory or a crash)")
        self._deaths = 0
        return result

    def _restart(self) -> None:
        self._finalizer.detach()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()
        self._finalizer = weakref.finalize(self, _stop, self._executor)


def _stop(executor: ProcessPoolExecutor) -> None:
    executor.shutdown(wait=True, cancel_futures=True)


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
