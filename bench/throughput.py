"""Throughput of `powderkeg run` against bare spaCy over the same texts, in one process.

    python bench/throughput.py [--docs 500] [--batch-size 32] [--alerts]

The demo corpus is repeated (each copy made unique with a numbered header, so
no copy is skipped as already stored) to at least --docs documents. These
figures are printed, each as docs/s and words/s (and the CPU seconds of the
process, steadier than wall time on a shared machine):

  spacy     bare `nlp.pipe` of the same model over the same texts (the baseline)
  extract   powderkeg's pipeline (spaCy + our components + Doc -> Event), no storage
  noplaces  the same with place resolution (the ``pk_places`` component) switched off;
            event locations then fall back to looking each name up alone
  run       the whole `powderkeg run`: read files, code, write a fresh DuckDB file, fuse
            (with --alerts also the packaged alert rules, evaluated as batches arrive)

then the ratios (by wall and by CPU time) of extract and run to the baseline, and of
extract to noplaces (what place resolution costs the pipeline).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from powderkeg import Pipeline, Settings, Store
from powderkeg.analyze.alerts import AlertEngine
from powderkeg.analyze.rules import load_rules
from powderkeg.extract.nlp import load_base
from powderkeg.ingest import read_paths
from powderkeg.records import Article

DEMO = Path(__file__).resolve().parent.parent / "powderkeg" / "demo" / "corpus"


def make_corpus(folder: Path, n_docs: int) -> list[Path]:
    sources = sorted(DEMO.glob("*.txt"))
    paths = []
    copy = 0
    while len(paths) < n_docs:
        for src in sources:
            if len(paths) >= n_docs:
                break
            text = src.read_text("utf-8")
            head, sep, body = text.partition("\n---\n")
            target = folder / f"{copy:03d}_{src.name}"
            target.write_text(f"{head}{sep}Bulletin {copy}.\n{body}", "utf-8")
            paths.append(target)
        copy += 1
    return paths


def timed(label: str, texts: list[str], fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Run ``fn`` once; print and return its wall and CPU seconds."""
    words = sum(len(t.split()) for t in texts)
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{label:<10} {len(texts) / seconds:8.1f} docs/s {words / seconds:10.0f} words/s"
        f"  ({len(texts)} docs, {words} words, {seconds:.1f} s, cpu {cpu:.1f} s)"
    )
    return seconds, cpu


def ratio(label: str, fast: tuple[float, float], slow: tuple[float, float], note: str = "") -> None:
    """Throughput of ``slow`` relative to ``fast``, by wall time and by CPU time."""
    print(f"ratio {label + ' throughput:':<32} {fast[0] / slow[0]:.2f}  (cpu {fast[1] / slow[1]:.2f}){note}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--alerts", action="store_true", help="evaluate the packaged alert rules in `run`")
    args = parser.parse_args()
    settings = Settings(batch_size=args.batch_size)
    workdir = Path(tempfile.mkdtemp(prefix="pk-bench-"))
    try:
        make_corpus(workdir, args.docs)
        articles = [a for a in read_paths([workdir], settings) if isinstance(a, Article)]
        texts = [a.text for a in articles]
        base = load_base(settings)
        pipeline = Pipeline(settings)
        # warm both pipelines on a few texts so model loading is not timed
        list(base.pipe(texts[:8]))
        list(pipeline.code(articles[:8]))
        print(f"model: {base.meta['name']} {base.meta['version']}, batch size {args.batch_size}")
        baseline = timed("spacy", texts, lambda: list(base.pipe(texts, batch_size=args.batch_size)))
        extract = timed("extract", texts, lambda: sum(len(e) for _, e in pipeline.code(articles)))

        def no_places() -> None:
            with pipeline.nlp.select_pipes(disable=["pk_places"]):
                sum(len(e) for _, e in pipeline.code(articles))

        unplaced = timed("noplaces", texts, no_places)

        def run() -> None:
            with Store(workdir / "bench.duckdb") as store:
                pipeline.run([workdir], store, alerts=quiet_alerts(store) if args.alerts else None)

        whole = timed("run+alerts" if args.alerts else "run", texts, run)
        ratio("extract/spacy", baseline, extract)
        ratio("run/spacy", baseline, whole)
        ratio("extract/noplaces", unplaced, extract, "  place resolution's cost")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def quiet_alerts(store: Store) -> AlertEngine:
    """The packaged alert rules, evaluated and stored but delivered nowhere."""
    rules = load_rules("default")
    rules = replace(rules, rules=tuple(replace(r, sinks=()) for r in rules.rules))
    return AlertEngine(store.con, rules, sinks={})


if __name__ == "__main__":
    main()
