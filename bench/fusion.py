"""Event fusion against a labelled synthetic set: pairwise precision and recall of merges.

    python bench/fusion.py [bench/data/fusion_synthetic.jsonl]

Codes and fuses the set with `Pipeline.run` into a temporary DuckDB file, then
scores every pair of reports (coded events of the article's labelled type;
other events an article happens to yield are left out and counted): a pair is
a true merge when both reports carry the same incident label. Baselines run in
the same process on the same reports: no fusion, an exact-key dedup (type, date
and both actor sets equal, as in GDELT/ICEWS-style dedup) and a loose
single-link rule (same type, a shared actor, within 7 days).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from powderkeg import Pipeline, Settings, Store
from powderkeg.records import Report
from powderkeg.store.fused import FuseTables

DATA = Path(__file__).parent / "data" / "fusion_synthetic.jsonl"


def pairwise(labels: dict[str, str], clusters: dict[str, str]) -> tuple[float, float, int, int, int]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(labels), 2):
        gold, pred = labels[a] == labels[b], clusters[a] == clusters[b]
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def single_link(reports: Sequence[Report], same: Callable[[Report, Report], bool]) -> dict[str, str]:
    parent = {r.id: r.id for r in reports}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in itertools.combinations(reports, 2):
        if same(a, b):
            parent[root(a.id)] = root(b.id)
    return {r.id: root(r.id) for r in reports}


def exact_key(a: Report, b: Report) -> bool:
    return (a.type, a.date, a.source_keys, a.target_keys) == (b.type, b.date, b.source_keys, b.target_keys)


def loose(a: Report, b: Report) -> bool:
    near = a.date is not None and b.date is not None and abs((a.date - b.date).days) <= 7
    actors = (a.source_keys | a.target_keys) & (b.source_keys | b.target_keys)
    return a.type == b.type and near and bool(actors)


def main(path: Path = DATA) -> None:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    gold = {r["id"]: (r["event"], r["type"]) for r in records}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        pipeline = Pipeline(Settings())
        pipeline.nlp  # noqa: B018 - load the model outside the timing
        started = time.perf_counter()
        summary = pipeline.run([path], store)
        seconds = time.perf_counter() - started
        record_of = dict(
            store.con.execute("SELECT id, json_extract_string(meta, 'record_id') FROM articles").fetchall()
        )
        tables = FuseTables(store.con)
        reports = [r for rs in tables.reports_of(tables_ids(store)).values() for r in rs]
        fused = dict(store.con.execute("SELECT report_id, fused_id FROM fused_members").fetchall())
        store.close()
    kept = [r for r in reports if gold[record_of[r.article_id]][1] == r.type]
    labels = {r.id: gold[record_of[r.article_id]][0] for r in kept}
    print(f"{len(records)} articles, {len(set(labels.values()))} incidents; {summary.events_new} coded events,"
          f" {len(reports)} counted reports, {len(kept)} of the labelled type scored"
          f" ({len(reports) - len(kept)} other events left out); run + fuse {seconds:.1f} s")  # fmt: skip
    runs = {
        "powderkeg fuse": {rid: fused[rid] for rid in labels},
        "baseline: no fusion": {rid: rid for rid in labels},
        "baseline: exact key (type, date, actors)": single_link(kept, exact_key),
        "baseline: loose (type, shared actor, 7 days)": single_link(kept, loose),
    }
    print(f"{'method':<46} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
    scores = {}
    for name, clusters in runs.items():
        p, r, tp, fp, fn = pairwise(labels, clusters)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        scores[name] = f1
        print(f"{name:<46} {p:>9.3f} {r:>7.3f} {f1:>6.3f} {tp:>4} {fp:>4} {fn:>4}")
    ours = scores["powderkeg fuse"]
    for name, f1 in scores.items():
        if name != "powderkeg fuse" and f1:
            print(f"F1 ratio powderkeg / {name.removeprefix('baseline: ')}: {ours / f1:.2f}")
    print(f"({dt.date.today()})")


def tables_ids(store: Store) -> list[str]:
    return [r[0] for r in store.con.execute("SELECT id FROM fused_events").fetchall()]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
