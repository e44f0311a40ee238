"""Does `powderkeg run` stay linear in cost and flat in memory as the corpus and the store grow?

    python bench/scale.py [--sizes 1000 10000 50000] [--replay 50000] [--coded 1000] [--workers 0]

Synthetic articles are made from the demo corpus: each copy moves the story to another
pair of countries with their capitals and leaders (five "theatres"), shifts its
publication date by one week more than the copy before (so the corpus is as dense in
articles per day at its end as at its start, as an archive is) and gets a numbered first line, so
every copy is new text with new events.

For each of --sizes, a fresh process runs the whole `powderkeg run` over a JSONL file of
that many articles into a fresh DuckDB file, and prints docs/s, its peak memory (parent
and workers, RSS), and how the commit of a batch (store, then fuse) costs early in the
run against late, when the store is large (mean ms per batch in the first and last tenth
of the batches, and the parent's RSS at each tenth). Fusion's CPU ms are also given by tenth,
with how many fused reports fusion compared a batch's reports with: the days in reach of the
first batches hold fewer stored reports (as at any archive's start), and the run's cache of
reports fills over its first passes, so a rise in fusion ms that comes with a rise in these is
warm-up, not the store's size; a rise while they stay flat is.

--replay N measures the store and fusion alone to N articles, where coding them all would
take hours on a small machine: it codes --coded synthetic articles once, then commits N
articles made from them (each a new article id, its events new ids, their dates shifted
by whole weeks) batch by batch through the pipeline's Commit, timing each batch. Its peak RSS
is the coding's (spaCy's models, before the store is opened: peak_rss_mb_coding); what the
store and fusion take is the RSS by tenth (max_rss_mb_batches its largest), split into DuckDB's
memory of every kind (its key indexes among it) and the C heap's bytes in use and held free.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from powderkeg import Pipeline, Settings, Store
from powderkeg.ingest import read_paths
from powderkeg.records import Article, stable_id
from powderkeg.store.access import access_for

#: one batch: (articles stored, store s, fuse s, RSS MB, store CPU s, fuse CPU s, fused reports
#: compared, key index MB, DuckDB MB, C heap MB in use, C heap MB free)
Row = tuple[int, float, float, float, float, float, int, float, float, float, float]

DEMO = Path(__file__).resolve().parent.parent / "powderkeg" / "demo" / "corpus"

#: whole words replaced to move a story elsewhere (the first theatre is the original)
THEATRES: list[dict[str, str]] = [
    {},
    {"Serbia": "Armenia", "Serbian": "Armenian", "Serbs": "Armenians", "Serb": "Armenian",
     "Kosovo": "Azerbaijan", "Belgrade": "Yerevan", "Pristina": "Baku", "Vucic": "Pashinyan",
     "Aleksandar": "Nikol", "Kurti": "Aliyev", "Albin": "Ilham", "Albanian": "Azerbaijani",
     "Zvecan": "Goris", "Banjska": "Lachin", "Mitrovica": "Ganja"},
    {"Serbia": "Russia", "Serbian": "Russian", "Serbs": "Russians", "Serb": "Russian",
     "Kosovo": "Ukraine", "Belgrade": "Moscow", "Pristina": "Kyiv", "Vucic": "Putin",
     "Aleksandar": "Vladimir", "Kurti": "Zelensky", "Albin": "Volodymyr", "Albanian": "Ukrainian",
     "Zvecan": "Kharkiv", "Banjska": "Bakhmut", "Mitrovica": "Donetsk"},
    {"Serbia": "India", "Serbian": "Indian", "Serbs": "Indians", "Serb": "Indian",
     "Kosovo": "Pakistan", "Belgrade": "New Delhi", "Pristina": "Islamabad", "Vucic": "Modi",
     "Aleksandar": "Narendra", "Kurti": "Sharif", "Albin": "Shehbaz", "Albanian": "Pakistani",
     "Zvecan": "Srinagar", "Banjska": "Uri", "Mitrovica": "Lahore"},
    {"Serbia": "Ethiopia", "Serbian": "Ethiopian", "Serbs": "Ethiopians", "Serb": "Ethiopian",
     "Kosovo": "Eritrea", "Belgrade": "Addis Ababa", "Pristina": "Asmara", "Vucic": "Abiy",
     "Aleksandar": "Ahmed", "Kurti": "Isaias", "Albin": "Afwerki", "Albanian": "Eritrean",
     "Zvecan": "Badme", "Banjska": "Zalambessa", "Mitrovica": "Mekelle"},
]  # fmt: skip


def demo_articles() -> list[Article]:
    return [a for a in read_paths([DEMO], Settings()) if isinstance(a, Article)]


def synthetic(n: int, base: list[Article]) -> Iterator[dict[str, str]]:
    """``n`` JSONL records (id, url, title, published, text), each a varied copy of a demo article."""
    patterns = [
        (re.compile(r"\b(" + "|".join(map(re.escape, t)) + r")\b"), t) if t else (None, t) for t in THEATRES
    ]
    for i in range(n):
        article = base[i % len(base)]
        copy = i // len(base)
        pattern, table = patterns[copy % len(THEATRES)]
        text = pattern.sub(lambda m, t=table: t[m.group(1)], article.text) if pattern else article.text
        title = pattern.sub(lambda m, t=table: t[m.group(1)], article.title) if pattern else article.title
        # one week later per copy: as many articles a day late in the corpus as early (an
        # archive grows in days, not in articles per day)
        published = (article.published or dt.date(2023, 6, 1)) + dt.timedelta(weeks=copy)
        yield {
            "id": f"syn-{i}",
            "url": f"https://scale.powderkeg.invalid/{i}",
            "title": title,
            "published": published.isoformat(),
            "text": f"Bulletin {i}.\n{text}",
        }


def rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
        "keepcost",
    )]  # fmt: skip


def _mallinfo2() -> Callable[[], _Mallinfo2] | None:
    """glibc's mallinfo2, looked up once; None where it is missing."""
    try:
        call = ctypes.CDLL(None).mallinfo2
    except (AttributeError, OSError):
        return None
    call.restype = _Mallinfo2
    return call


_MALLINFO2 = _mallinfo2()


def malloc_mb() -> tuple[float, float]:
    """MB the C heap (glibc's malloc: Python's objects, spaCy's, not DuckDB's own allocator) has
    in use, and MB it holds free (fragments RSS keeps); zeros where glibc's mallinfo2 is missing."""
    if _MALLINFO2 is None:
        return 0.0, 0.0
    info = _MALLINFO2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


class Timings:
    """Per-batch seconds of the store and of fusion, with the store's size and the RSS then;
    also their CPU seconds (this process's, DuckDB's threads included), which other work on
    a shared machine disturbs less than the wall clock; the fused reports fusion compared
    the batch's reports with (the work it had, which a batch's time follows); and the MB of
    key indexes (ART) DuckDB held as the batch's transaction ended: what it can neither let go
    of nor spill, so what a writer's memory grows by with the store. Where the rest of the RSS
    lies is told by DuckDB's memory of every kind then (buffer pool, indexes: its own
    allocator) and the C heap's bytes in use and held free after the batch."""

    def __init__(self) -> None:
        # (articles stored, store s, fuse s, rss, store cpu s, fuse cpu s, fused reports compared,
        # index MB, DuckDB MB, C heap MB in use, C heap MB free)
        self.rows: list[Row] = []
        self.stored = 0
        self._store = self._store_cpu = self._index_mb = self._duckdb_mb = 0.0
        self._compared = 0

    def install(self) -> None:
        import powderkeg.pipeline as pipeline
        from powderkeg.store.fused import FuseTables

        add_many, fuse, in_reach = Store.add_many, pipeline.fuse_reports, FuseTables.members_in_reach

        def counted_reach(tables, *args):  # type: ignore[no-untyped-def]
            found = in_reach(tables, *args)
            self._compared += len(found)
            return found

        def timed_add(store, items, also=None):  # type: ignore[no-untyped-def]
            def measured(cur, new):  # type: ignore[no-untyped-def]
                if also is not None:
                    also(cur, new)
                self._index_mb, self._duckdb_mb = duckdb_mb(cur)

            start, cpu = time.perf_counter(), time.process_time()
            added = add_many(store, items, also=measured)
            self._store, self._store_cpu = time.perf_counter() - start, time.process_time() - cpu
            self.stored += len(added)
            return added

        def timed_fuse(con, ids=None, cache=None):  # type: ignore[no-untyped-def]
            start, cpu, self._compared = time.perf_counter(), time.process_time(), 0
            touched = fuse(con, ids, cache)
            if ids is not None:  # a batch's fusion (catch_up passes none)
                took, took_cpu = time.perf_counter() - start, time.process_time() - cpu
                row = (
                    self.stored, self._store, took, rss_mb(), self._store_cpu, took_cpu, self._compared,
                    self._index_mb, self._duckdb_mb, *malloc_mb(),
                )  # fmt: skip
                self.rows.append(row)
            return touched

        Store.add_many = timed_add  # type: ignore[method-assign]
        pipeline.fuse_reports = timed_fuse
        FuseTables.members_in_reach = counted_reach  # type: ignore[method-assign]

    def summary(self) -> dict[str, object]:
        rows = self.rows
        tenth = max(len(rows) // 10, 1)
        early, late = rows[:tenth], rows[-tenth:]

        def mean(part: list[Row], i: int) -> float:
            return 1000 * sum(r[i] for r in part) / max(len(part), 1)

        tenths = [rows[k * len(rows) // 10 : (k + 1) * len(rows) // 10] for k in range(10)]
        deciles = [rows[min(len(rows) - 1, k * len(rows) // 10)] for k in range(10)] + rows[-1:]
        return {
            "batches": len(rows),
            "store_ms_early": round(mean(early, 1), 1),
            "store_ms_late": round(mean(late, 1), 1),
            "fuse_ms_early": round(mean(early, 2), 1),
            "fuse_ms_late": round(mean(late, 2), 1),
            "store_cpu_ms_early": round(mean(early, 4), 1),
            "store_cpu_ms_late": round(mean(late, 4), 1),
            "fuse_cpu_ms_early": round(mean(early, 5), 1),
            "fuse_cpu_ms_late": round(mean(late, 5), 1),
            # the curve, where early against late alone mixes warm-up with growth
            "fuse_cpu_ms_by_tenth": [round(mean(part, 5), 1) for part in tenths],
            "fuse_compared_by_tenth": [round(mean(part, 6) / 1000) for part in tenths],
            "rss_mb_by_tenth": [round(r[3]) for r in deciles],
            "index_mb_by_tenth": [round(r[7]) for r in deciles],
            "duckdb_mb_by_tenth": [round(r[8]) for r in deciles],
            "c_heap_mb_by_tenth": [round(r[9]) for r in deciles],
            "c_heap_free_mb_by_tenth": [round(r[10]) for r in deciles],
            "stored_by_tenth": [r[0] for r in deciles],
        }


def duckdb_mb(cur: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """The MB of key indexes (ART) DuckDB holds in ``cur``'s instance now, and the MB it holds of
    every kind (its buffer pool and indexes), in one look at ``duckdb_memory()``."""
    row = cur.execute(
        "SELECT coalesce(sum(memory_usage_bytes) FILTER (WHERE tag = 'ART_INDEX'), 0),"
        " coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()"
    ).fetchone()
    return (round(row[0] / 2**20, 1), round(row[1] / 2**20, 1)) if row else (0.0, 0.0)


def one_run(n: int, workers: int, workdir: Path, store_memory: str = "auto") -> dict[str, object]:
    """The whole `powderkeg run` over ``n`` synthetic articles (in this process and its workers)."""
    source = workdir / f"syn-{n}.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for record in synthetic(n, demo_articles()):
            out.write(json.dumps(record) + "\n")
    timings = Timings()
    timings.install()
    # one JSONL file of n articles: the file-size limits are per file, so raised here
    settings = Settings(n_process=workers, max_bytes=10**10, max_chars=10**10)
    access_for(str(workdir / f"scale-{n}.duckdb"), memory_limit=store_memory)
    peak_workers = 0.0
    with Pipeline(settings) as pipeline, Store(workdir / f"scale-{n}.duckdb") as store:
        start, cpu = time.perf_counter(), time.process_time()

        def watch_workers(_: int) -> None:
            nonlocal peak_workers
            if pipeline._pool is not None:
                peak_workers = max(peak_workers, max((rss_mb(p) for p in pipeline._pool.pids()), default=0))

        summary = pipeline.run([source], store, progress=watch_workers)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        events = store.counts().events
    return {
        "mode": "run",
        "articles": n,
        "new": summary.articles_new,
        "events": events,
        "seconds": round(seconds, 1),
        "docs_per_s": round(n / seconds, 2),
        "parent_cpu_s": round(cpu, 1),
        "workers": pipeline.workers,
        "peak_rss_mb_parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_mb_worker": round(peak_workers),
        **timings.summary(),
    }


def replay(
    n: int, coded: int, workers: int, workdir: Path, batch: int = 32, store_memory: str = "auto"
) -> dict[str, object]:
    """Store and fuse ``n`` articles made from ``coded`` coded ones (no spaCy in the timed part)."""
    from powderkeg.pipeline import Commit

    settings = Settings(n_process=workers)
    base = demo_articles()
    with Pipeline(settings) as pipeline:
        records = list(synthetic(coded, base))
        articles = [
            Article(id=r["id"], text=r["text"], published=dt.date.fromisoformat(r["published"]))
            for r in records
        ]
        pool = [(a, r) for a, r in pipeline.code(articles) if isinstance(r, list)]
    timings = Timings()
    timings.install()
    coding_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # spaCy's, not the store's
    start = time.perf_counter()
    access_for(str(workdir / f"replay-{n}.duckdb"), memory_limit=store_memory)
    # the file held between batches, as `powderkeg run` holds it (store/access.py)
    with Store(workdir / f"replay-{n}.duckdb") as store, store.access.holding():
        commit = Commit(store)
        pending = []
        for i in range(n):
            article, events = pool[i % len(pool)]
            # each round through the coded articles comes after the one before it in time
            shift = dt.timedelta(weeks=(len(pool) // len(base) + 1) * (i // len(pool)))
            new_id = stable_id(article.id, i)
            copy = dataclasses.replace(
                article, id=new_id, published=article.published and article.published + shift
            )
            pending.append(
                (
                    copy,
                    [
                        dataclasses.replace(
                            e, id=stable_id(new_id, e.id), article_id=new_id, date=e.date and e.date + shift
                        )
                        for e in events
                    ],
                )
            )
            if len(pending) >= batch:
                commit(pending)
                pending = []
        if pending:
            commit(pending)
        seconds = time.perf_counter() - start
        events = store.counts().events
    return {
        "mode": "replay",
        "articles": n,
        "coded": len(pool),
        "events": events,
        "seconds": round(seconds, 1),
        "docs_per_s": round(n / seconds, 1),
        "peak_rss_mb_parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_mb_coding": round(coding_peak),
        "max_rss_mb_batches": round(max((r[3] for r in timings.rows), default=0)),
        **timings.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 50000])
    parser.add_argument("--replay", type=int, default=0, help="store and fuse this many articles (no spaCy)")
    parser.add_argument("--coded", type=int, default=1000, help="articles coded for --replay")
    parser.add_argument("--workers", type=int, default=0, help="coding processes (0: one per core)")
    parser.add_argument(
        "--store-memory", default="auto", help="the store's memory_limit (setting store_memory)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: one size
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        workdir = Path(args.workdir)
        result = (
            replay(args.one, args.coded, args.workers, workdir, store_memory=args.store_memory)
            if args.replay
            else one_run(args.one, args.workers, workdir, store_memory=args.store_memory)
        )
        print(json.dumps(result))
        return
    jobs = [(n, False) for n in args.sizes] + ([(args.replay, True)] if args.replay else [])
    with tempfile.TemporaryDirectory(prefix="pk-scale-") as workdir:
        for n, is_replay in jobs:
            load = os.getloadavg()[0]
            command = [sys.executable, __file__, "--one", str(n), "--workdir", workdir, "--workers"]
            command += [str(args.workers), "--coded", str(args.coded), "--store-memory", args.store_memory]
            command += ["--replay", "1"] if is_replay else []
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{n}: failed\n{done.stderr[-2000:]}")
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["load_avg_at_start"] = round(load, 1)
            print(json.dumps(result), flush=True)
            for f in Path(workdir).glob("*"):
                f.unlink()


if __name__ == "__main__":
    main()
