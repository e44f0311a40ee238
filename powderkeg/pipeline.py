"""The only module that knows the order of the stages.

ingest (paths -> Article | Quarantined) -> extract (spaCy + rules -> Event)
-> store (DuckDB). ``Pipeline.code`` streams articles through spaCy in
batches; ``Pipeline.run`` skips articles already stored and writes each new
one with its events in one transaction.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .ingest import read_paths
from .records import Article, Event, Quarantined
from .settings import Settings
from .store import Store
from .store.duckdb import iter_batches
from .store.fuse import ReportCache

if TYPE_CHECKING:
    from .analyze.alerts import AlertEngine

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    articles_seen: int = 0
    articles_new: int = 0
    articles_known: int = 0
    events_new: int = 0
    quarantined: int = 0
    seconds: float = 0.0
    quarantine_reasons: list[tuple[str, str]] = field(default_factory=list)
    fused_touched: int = 0  # fused events created or changed (see powderkeg/fuse)
    alerts: int = 0


class Pipeline:
    def __init__(self, settings: Settings | None = None, nlp=None) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings or Settings()
        self._nlp = nlp

    @property
    def nlp(self):  # type: ignore[no-untyped-def]
        if self._nlp is None:
            from .extract import load_nlp

            self._nlp = load_nlp(self.settings)
        return self._nlp

    def code(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event] | Quarantined]]:
        """Each article with its events, or with a Quarantined record if coding it failed."""
        from .extract.events import doc_to_events

        nlp = self.nlp

        def docs() -> Iterator[tuple[object, Article]]:
            for article in articles:
                doc = nlp.make_doc(article.text)
                doc._.published = article.published
                yield doc, article

        for batch in iter_batches(docs(), self.settings.batch_size * 4):
            try:
                processed = list(nlp.pipe(batch, as_tuples=True, batch_size=self.settings.batch_size))
            except Exception:  # one bad document must not kill the batch: retry one by one
                log.warning("a batch failed; coding its %d documents one at a time", len(batch))
                processed = []
                for doc, article in batch:
                    try:
                        processed.append((nlp(doc), article))
                    except Exception as exc:  # noqa: BLE001 - quarantined with its reason
                        yield (
                            article,
                            Quarantined(
                                article.path or article.url or article.id,
                                "E107",
                                f"extraction failed: {type(exc).__name__}: {exc}",
                                article.id,
                                len(article.text),
                            ),
                        )
            for doc, article in processed:
                yield article, list(doc_to_events(doc, article))

    def code_texts(self, records: Iterable[dict]) -> Iterator[tuple[dict, list[Event]]]:
        """Code ``{id, text, date?}`` records without storing them, in input order."""
        from .ingest.text import parse_date

        queue: deque[dict] = deque()

        def articles() -> Iterator[Article]:
            for record in records:
                queue.append(record)
                yield Article(
                    id=str(record.get("id", "")),
                    text=str(record.get("text") or ""),
                    published=parse_date(record.get("date") or record.get("published")),
                )

        for _, result in self.code(articles()):
            yield queue.popleft(), (result if isinstance(result, list) else [])

    def run(
        self,
        paths: Iterable[str | Path],
        store: Store,
        progress: Callable[[int], None] | None = None,
        fuse: bool = True,
        alerts: AlertEngine | None = None,
    ) -> RunSummary:
        """Ingest, code and store everything under ``paths``.

        After each stored batch its reports are fused into real-world events
        (``fuse``), and the alert rules are evaluated on the fused events it
        touched (``alerts``; delivery runs on the engine's own thread).
        """
        started = time.perf_counter()
        summary = RunSummary()

        def tick(n: int = 1) -> None:
            if progress:
                progress(n)

        def quarantine(item: Quarantined) -> None:
            store.quarantine(item)
            summary.quarantined += 1
            summary.quarantine_reasons.append((item.origin, f"{item.code} {item.reason}"))
            tick()

        def fresh() -> Iterator[Article]:
            for batch in iter_batches(read_paths(paths, self.settings), 64):
                articles = [i for i in batch if isinstance(i, Article)]
                known = store.known_articles([a.id for a in articles])
                seen_now: set[str] = set()
                for item in batch:
                    if isinstance(item, Quarantined):
                        quarantine(item)
                        continue
                    summary.articles_seen += 1
                    if item.id in known or item.id in seen_now:
                        summary.articles_known += 1
                        tick()
                        continue
                    seen_now.add(item.id)
                    yield item

        pending: list[tuple[Article, list[Event]]] = []
        reports = ReportCache()  # the reports fused so far, kept across batches

        def flush() -> None:
            with store.unit():  # one batch, one hold of the file: other processes go between batches
                write_batch()

        def write_batch() -> None:
            added = store.add_many(pending)
            for article, events in pending:
                if article.id in added:
                    summary.articles_new += 1
                    summary.events_new += len(events)
                else:
                    summary.articles_known += 1
            tick(len(pending))
            pending.clear()
            if fuse and added:
                from .fuse import fuse as fuse_reports

                touched = fuse_reports(store.con, sorted(added), reports)
                summary.fused_touched += len(touched)
                if alerts is not None:
                    summary.alerts += len(alerts.observe(touched))

        for article, result in self.code(fresh()):
            if isinstance(result, Quarantined):
                quarantine(result)
                continue
            pending.append((article, result))
            if len(pending) >= self.settings.batch_size:
                flush()
        flush()
        if fuse:  # reports stored before fusion existed, or by a run that stopped before fusing them
            from .fuse import fuse as fuse_reports

            with store.unit():
                late = fuse_reports(store.con, cache=reports)
                summary.fused_touched += len(late)
                if alerts is not None and late:
                    summary.alerts += len(alerts.observe(late))
        summary.seconds = time.perf_counter() - started
        return summary


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many files a run will read (for a progress bar); JSONL files count once."""
    from .ingest.files import SUFFIXES

    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            total += 1
    return total


__all__ = ["Pipeline", "RunSummary", "count_inputs"]
