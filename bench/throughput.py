"""Throughput of `powderkeg run` on every core and on one, against bare spaCy in one process.

    python bench/throughput.py [--docs 500] [--batch-size 32] [--commit-every 128] [--workers N] [--alerts]

The demo corpus is repeated (each copy made unique with a numbered header, so
no copy is skipped as already stored) to at least --docs documents. These
figures are printed, each as docs/s and words/s (and the CPU seconds of the
process, steadier than wall time on a shared machine):

  spacy     bare `nlp.pipe` of the same model over the same texts (the baseline)
  spacy-ob  the same with the products powderkeg's pipeline uses (setting ``blas``: numpy's
            OpenBLAS on one thread, ``extract/blas.py``), to tell what that gains from the rest
  extract   powderkeg's pipeline (spaCy + our components + Doc -> Event), no storage
  noplaces  the same with place resolution (the ``pk_places`` component) switched off;
            event locations then fall back to looking each name up alone
  noskip    extract with every sentence parsed (``skip_prepass = false``: no cheap pass)
  run1      the whole `powderkeg run` in one process (n_process = 1): read files, code,
            write a fresh DuckDB file, fuse (with --alerts also the packaged alert rules)
  run       the same on --workers coding processes (default: one per core) and one writer
  run-noskip  run with every sentence parsed

then the share of sentences the cheap pass leaves unparsed, where run1's CPU goes (one more run
over all the documents, after the timed rounds: spaCy's own components and tokenizer, ours, the
coder, reading, the store, fusion; and how many units of work it took on the store file), the ratios (by wall and by CPU
time) of extract, run1 and run to the baseline, of run to run1 (what the cores add), of
extract to noplaces (what place resolution costs) and of extract and run to noskip and
run-noskip (what the cheap pass gains), the load average, and a projection: hours for 100,000 articles of 500 words at run's speed.

The workers of `run` start once, before the rounds (their start, a few seconds, is printed
apart: a real run pays it once, and on a day of articles it is nothing); their CPU time is
counted with the parent's (from /proc). The documents are split into --rounds rounds
(default 5) and the stages take turns within each round, their order rotating, so a slow
spell of a shared machine falls on all of them alike; the per-round spread of each ratio
is printed beside it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import powderkeg.extract.events as coder
import powderkeg.pipeline as stages
from powderkeg import Pipeline, Settings, Store
from powderkeg.analyze.alerts import AlertEngine
from powderkeg.analyze.rules import load_rules
from powderkeg.extract.blas import numpy_products
from powderkeg.extract.nlp import load_base
from powderkeg.extract.parallel import cores
from powderkeg.extract.prepass import event_model, gate_for, segments
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


def clock(fn, pids=()) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Run ``fn`` once; its wall and CPU seconds (this process's and those of ``pids``)."""
    start, cpu = time.perf_counter(), time.process_time() + cpu_of(pids)
    fn()
    return time.perf_counter() - start, time.process_time() + cpu_of(pids) - cpu


def cpu_of(pids) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds used so far by the processes ``pids`` (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


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


class Ledger:
    """CPU seconds charged to labels, exclusively: the innermost label running is charged (a
    component pulling documents from the one before it hands the CPU back to that one)."""

    def __init__(self) -> None:
        self.spent: Counter[str] = Counter()
        self.stack = ["other"]
        self.mark = time.process_time()

    def _charge(self) -> None:
        now = time.process_time()
        self.spent[self.stack[-1]] += now - self.mark
        self.mark = now

    def call(self, label: str, fn: Callable) -> Callable:  # type: ignore[type-arg]
        def charged(*args, **kwargs):  # type: ignore[no-untyped-def]
            self._charge()
            self.stack.append(label)
            try:
                return fn(*args, **kwargs)
            finally:
                self._charge()
                self.stack.pop()

        return charged

    def iterate(self, label: str, items: Iterable) -> Iterator:  # type: ignore[type-arg]
        items = iter(items)
        while True:
            self._charge()
            self.stack.append(label)
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self._charge()
                self.stack.pop()
            yield item


class _Charged:
    """A pipeline component whose work is charged to ``label``."""

    def __init__(self, ledger: Ledger, label: str, proc) -> None:  # type: ignore[no-untyped-def]
        self._ledger, self._label, self._proc = ledger, label, proc

    def __call__(self, doc):  # type: ignore[no-untyped-def]
        return self._ledger.call(self._label, self._proc)(doc)

    def pipe(self, docs, **kwargs):  # type: ignore[no-untyped-def]
        if not hasattr(self._proc, "pipe"):
            return map(self, docs)
        return self._ledger.iterate(self._label, self._proc.pipe(docs, **kwargs))

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._proc, name)


def breakdown(settings: Settings, folders: list[Path], workdir: Path) -> None:
    """One run1 over all the documents with its CPU charged by stage, and its units of work."""
    ledger = Ledger()
    pipeline = Pipeline(settings)
    nlp = pipeline.nlp
    nlp._components = [  # spaCy's list of (name, component); a bench-only wrapping
        (name, _Charged(ledger, name if name.startswith("pk_") else "spaCy", proc))
        for name, proc in nlp._components
    ]
    nlp.tokenizer = ledger.call("spaCy", nlp.tokenizer)  # type: ignore[assignment]
    saved = (coder.doc_to_events, stages.read_paths, stages.fuse_reports)
    saved_store = {name: getattr(Store, name) for name in ("add_many", "known_articles", "quarantine")}
    coder.doc_to_events = ledger.call("coder (Doc -> Event)", coder.doc_to_events)
    stages.read_paths = lambda *a, **k: ledger.iterate("read files", saved[1](*a, **k))
    stages.fuse_reports = ledger.call("fusion", stages.fuse_reports)
    for name, method in saved_store.items():
        setattr(Store, name, ledger.call("store", method))
    try:
        with Store(workdir / "breakdown.duckdb") as store:
            units = store.access.writes
            ledger._charge()
            ledger.spent.clear()
            pipeline.run(folders, store)
            ledger._charge()
            units = store.access.writes - units
    finally:
        coder.doc_to_events, stages.read_paths, stages.fuse_reports = saved
        for name, method in saved_store.items():
            setattr(Store, name, method)
    total = sum(ledger.spent.values())
    spacy = ledger.spent["spaCy"]
    ours = sum(v for k, v in ledger.spent.items() if k.startswith("pk_"))
    parts = [("spaCy (tokenizer, tok2vec, tagger, parser, ner, ...)", spacy), ("our components (pk_*)", ours)]
    parts += sorted(
        ((k, v) for k, v in ledger.spent.items() if k != "spaCy" and not k.startswith("pk_")),
        key=lambda kv: -kv[1],
    )
    print(f"run1 CPU by stage (one run over all {sum(len(list(f.glob('*'))) for f in folders)} documents, "
          f"{total:.1f} s; 'other' is the cheap pass, joining parsed pieces, the loop):")  # fmt: skip
    for label, seconds in parts:
        print(f"  {label:<52} {seconds:6.1f} s  {seconds / max(total, 1e-9):5.1%}")
    for name in sorted(n for n in ledger.spent if n.startswith("pk_")):
        print(f"    {name:<50} {ledger.spent[name]:6.1f} s")
    print(
        f"store units of work in that run, after opening the file: {units} (commit_every {settings.commit_every})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (see above)")
    parser.add_argument("--workers", type=int, default=0, help="coding processes of `run` (0: one per core)")
    parser.add_argument("--alerts", action="store_true", help="evaluate the packaged alert rules in `run`")
    parser.add_argument(
        "--commit-every", type=int, default=Settings().commit_every, help="documents per store unit"
    )
    parser.add_argument("--no-breakdown", action="store_true", help="skip run1's CPU by stage")
    args = parser.parse_args()
    settings = Settings(batch_size=args.batch_size, n_process=1, commit_every=args.commit_every)
    many = Settings(
        batch_size=args.batch_size, n_process=args.workers, parallel_min=1, commit_every=args.commit_every
    )
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
        base_ob = load_base(settings)
        numpy_products(base_ob)
        pipeline = Pipeline(settings)
        parallel = Pipeline(many)
        noskip = Pipeline(replace(settings, skip_prepass=False), nlp=pipeline.nlp)
        parallel_noskip = Pipeline(replace(many, skip_prepass=False))
        # warm the pipelines on a few texts so model loading (and the workers' start) is not timed
        list(base.pipe(rounds[0][2][:8]))
        list(base_ob.pipe(rounds[0][2][:8]))
        list(pipeline.code(rounds[0][1][:8]))
        started = time.perf_counter()
        list(parallel.code(rounds[0][1][: 8 * parallel.workers]))
        start_s = time.perf_counter() - started
        pids = parallel._pool.pids() if parallel._pool is not None else []
        list(parallel_noskip.code(rounds[0][1][: 8 * parallel.workers]))
        pids_noskip = parallel_noskip._pool.pids() if parallel_noskip._pool is not None else []
        print(
            f"model: {base.meta['name']} {base.meta['version']}, batch size {args.batch_size}, "
            f"{cores()} cores; `run` codes on {parallel.workers} processes (their start and warm-up: "
            f"{start_s:.1f} s, once per run, not timed below)"
        )
        load_before = os.getloadavg()
        suffix = "+alerts" if args.alerts else ""
        labels = (
            "spacy",
            "spacy-ob",
            "extract",
            "noplaces",
            "run1" + suffix,
            "run" + suffix,
            "noskip",
            "run-noskip",
        )
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in labels}
        worker_cpu = 0.0
        for r, (folder, articles, texts) in enumerate(rounds):

            def no_places(articles=articles) -> None:  # type: ignore[no-untyped-def]
                with pipeline.nlp.select_pipes(disable=["pk_places"]):
                    sum(len(e) for _, e in pipeline.code(articles))

            def run(folder=folder, r=r, p=pipeline, name="one") -> None:  # type: ignore[no-untyped-def]
                with Store(workdir / f"bench{r}-{name}.duckdb") as store:
                    p.run([folder], store, alerts=quiet_alerts(store) if args.alerts else None)

            stages = {
                "spacy": lambda texts=texts: list(base.pipe(texts, batch_size=args.batch_size)),
                "spacy-ob": lambda texts=texts: list(base_ob.pipe(texts, batch_size=args.batch_size)),
                "extract": lambda articles=articles: sum(len(e) for _, e in pipeline.code(articles)),
                "noplaces": no_places,
                labels[4]: run,
                labels[5]: lambda run=run: run(p=parallel, name="many"),
                "noskip": lambda articles=articles: sum(len(e) for _, e in noskip.code(articles)),
                "run-noskip": lambda run=run: run(p=parallel_noskip, name="many-noskip"),
            }
            # the order turns each round, so no stage always runs first or last
            n = len(labels)
            for label in labels[r % n :] + labels[: r % n]:
                if label == labels[5]:
                    before = cpu_of(pids)
                own = {labels[5]: pids, "run-noskip": pids_noskip}.get(label, ())
                times[label].append(clock(stages[label], own))
                if label == labels[5]:
                    worker_cpu += cpu_of(pids) - before
        load_after = os.getloadavg()
        docs = sum(len(texts) for _, _, texts in rounds)
        gate, model = gate_for(pipeline.nlp), event_model(pipeline.nlp)
        sents = skipped = 0
        for _, _, texts in rounds:
            for doc in map(pipeline.nlp.make_doc, texts):
                segs = segments(doc)
                kept = gate.kept(doc, segs, model)
                sents, skipped = sents + len(segs), skipped + kept.count(False)
        print(f"cheap pass: {skipped} of {sents} sentences not parsed ({skipped / max(sents, 1):.0%})")
        if not args.no_breakdown:
            breakdown(settings, [folder for folder, _, _ in rounds], workdir)
        words = sum(len(t.split()) for _, _, texts in rounds for t in texts)
        for label in labels:
            report(label, docs, words, sum(t[0] for t in times[label]), sum(t[1] for t in times[label]))
        ratio("extract/spacy", times["spacy"], times["extract"])
        ratio("spacy-ob/spacy", times["spacy"], times["spacy-ob"], "  the models' products on OpenBLAS")
        ratio(f"{labels[4]}/spacy", times["spacy"], times[labels[4]], "  one process")
        ratio(
            f"{labels[5]}/spacy", times["spacy"], times[labels[5]], f"  {parallel.workers} coding processes"
        )
        ratio(f"{labels[5]}/{labels[4]}", times[labels[4]], times[labels[5]], "  what the cores add")
        ratio("extract/noplaces", times["noplaces"], times["extract"], "  place resolution's cost")
        ratio("extract/noskip", times["noskip"], times["extract"], "  what the cheap pass gains")
        ratio(f"{labels[5]}/run-noskip", times["run-noskip"], times[labels[5]], "  the same with the cores")
        ratio("run-noskip/spacy", times["spacy"], times["run-noskip"], "  without the cheap pass")
        ratio(
            f"{labels[5]}/spacy-ob", times["spacy-ob"], times[labels[5]], "  against bare spaCy on OpenBLAS"
        )
        print(
            "load average (1, 5, 15 min): before "
            + ", ".join(f"{x:.1f}" for x in load_before)
            + "; after "
            + ", ".join(f"{x:.1f}" for x in load_after)
        )
        # Under load the kernel shares the CPU among sessions (autogroup), not processes: a run's
        # workers then share one session's slice and wall time cannot show what the cores add.
        # So also: the wall time the CPU times imply if the cores were free.
        spacy_cpu = sum(t[1] for t in times["spacy"])
        total_cpu = sum(t[1] for t in times[labels[5]])
        parent_cpu = total_cpu - worker_cpu
        free = max(parent_cpu, worker_cpu / parallel.workers, total_cpu / cores())
        print(
            f"if the {cores()} cores were free (from CPU times: parent {parent_cpu:.1f} s, workers "
            f"{worker_cpu:.1f} s): {labels[5]}/spacy {spacy_cpu / free:.2f}, "
            f"{labels[4]}/spacy {spacy_cpu / sum(t[1] for t in times[labels[4]]):.2f}"
        )
        rate = words / sum(t[0] for t in times[labels[5]])  # words/s of the whole run
        hours = 100_000 * 500 / rate / 3600
        print(
            f"projection: 100,000 articles of 500 words take {hours:.1f} h with `{labels[5]}` on this "
            f"machine ({rate:.0f} words/s; at this load)"
        )
        parallel.close()
        parallel_noskip.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def quiet_alerts(store: Store) -> AlertEngine:
    """The packaged alert rules, evaluated and stored but delivered nowhere."""
    rules = load_rules("default")
    rules = replace(rules, rules=tuple(replace(r, sinks=()) for r in rules.rules))
    return AlertEngine(store.con, rules, sinks={})


if __name__ == "__main__":
    main()
