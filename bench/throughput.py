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

The documents are split into --rounds rounds (default 5) and the four stages take turns
within each round, their order rotating, so a slow spell of a shared machine falls on
all of them alike; the per-round spread of each ratio is printed beside it.
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


def make_corpus(folder: Path, n_docs: int, rounds: int = 1) -> list[list[Path]]:
    """At least ``n_docs`` unique copies of the demo articles, spread over ``rounds`` folders."""
    sources = sorted(DEMO.glob("*.txt"))
    folders = [folder / f"round{r}" for r in range(rounds)]
    for f in folders:
        f.mkdir(parents=True, exist_ok=True)
    paths: list[list[Path]] = [[] for _ in folders]
    made = copy = 0
    while made < n_docs:
        for src in sources:
            if made >= n_docs:
                break
            text = src.read_text("utf-8")
            head, sep, body = text.partition("\n---\n")
            r = made % rounds
            target = folders[r] / f"{copy:03d}_{src.name}"
            target.write_text(f"{head}{sep}Bulletin {copy}.\n{body}", "utf-8")
            paths[r].append(target)
            made += 1
        copy += 1
    return paths


def clock(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Run ``fn`` once; its wall and CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def report(label: str, docs: int, words: int, seconds: float, cpu: float) -> None:
    print(
        f"{label:<10} {docs / seconds:8.1f} docs/s {words / seconds:10.0f} words/s"
        f"  ({docs} docs, {words} words, {seconds:.1f} s, cpu {cpu:.1f} s)"
    )


def ratio(
    label: str, fast: list[tuple[float, float]], slow: list[tuple[float, float]], note: str = ""
) -> None:
    """Throughput of ``slow`` relative to ``fast`` over all rounds (by wall and CPU time),
    and the spread of the per-round wall ratios (how much the machine's noise moves it)."""
    wall = sum(f[0] for f in fast) / sum(s[0] for s in slow)
    cpu = sum(f[1] for f in fast) / sum(s[1] for s in slow)
    per_round = sorted(f[0] / s[0] for f, s in zip(fast, slow, strict=True))
    spread = f", rounds {per_round[0]:.2f}-{per_round[-1]:.2f}" if len(per_round) > 1 else ""
    print(f"ratio {label + ' throughput:':<32} {wall:.2f}  (cpu {cpu:.2f}{spread}){note}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (see above)")
    parser.add_argument("--alerts", action="store_true", help="evaluate the packaged alert rules in `run`")
    args = parser.parse_args()
    settings = Settings(batch_size=args.batch_size)
    workdir = Path(tempfile.mkdtemp(prefix="pk-bench-"))
    try:
        folders = make_corpus(workdir, args.docs, max(args.rounds, 1))
        rounds = []
        for paths in folders:
            articles = [
                a for a in read_paths(sorted({p.parent for p in paths}), settings) if isinstance(a, Article)
            ]
            rounds.append((paths[0].parent, articles, [a.text for a in articles]))
        base = load_base(settings)
        pipeline = Pipeline(settings)
        # warm both pipelines on a few texts so model loading is not timed
        list(base.pipe(rounds[0][2][:8]))
        list(pipeline.code(rounds[0][1][:8]))
        print(f"model: {base.meta['name']} {base.meta['version']}, batch size {args.batch_size}")
        labels = ("spacy", "extract", "noplaces", "run+alerts" if args.alerts else "run")
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in labels}
        for r, (folder, articles, texts) in enumerate(rounds):

            def no_places(articles=articles) -> None:  # type: ignore[no-untyped-def]
                with pipeline.nlp.select_pipes(disable=["pk_places"]):
                    sum(len(e) for _, e in pipeline.code(articles))

            def run(folder=folder, r=r) -> None:  # type: ignore[no-untyped-def]
                with Store(workdir / f"bench{r}.duckdb") as store:
                    pipeline.run([folder], store, alerts=quiet_alerts(store) if args.alerts else None)

            stages = {
                "spacy": lambda texts=texts: list(base.pipe(texts, batch_size=args.batch_size)),
                "extract": lambda articles=articles: sum(len(e) for _, e in pipeline.code(articles)),
                "noplaces": no_places,
                labels[3]: run,
            }
            # the order turns each round, so no stage always runs first or last
            for label in labels[r % 4 :] + labels[: r % 4]:
                times[label].append(clock(stages[label]))
        docs = sum(len(texts) for _, _, texts in rounds)
        words = sum(len(t.split()) for _, _, texts in rounds for t in texts)
        for label in labels:
            report(label, docs, words, sum(t[0] for t in times[label]), sum(t[1] for t in times[label]))
        ratio("extract/spacy", times["spacy"], times["extract"])
        ratio("run/spacy", times["spacy"], times[labels[3]])
        ratio("extract/noplaces", times["noplaces"], times["extract"], "  place resolution's cost")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def quiet_alerts(store: Store) -> AlertEngine:
    """The packaged alert rules, evaluated and stored but delivered nowhere."""
    rules = load_rules("default")
    rules = replace(rules, rules=tuple(replace(r, sinks=()) for r in rules.rules))
    return AlertEngine(store.con, rules, sinks={})


if __name__ == "__main__":
    main()
