"""docs/s of `powderkeg backfill`: the local engine on one core and on all, Spark in local[1] and local[2].

    python bench/backfill.py [--docs 240] [--masters local[1] local[2]] [--no-local]

The input is --docs synthetic articles (bench/scale.py's varied copies of the demo corpus)
in one JSONL file. Each engine writes a fresh lake. A Spark master gets its own session,
first warmed by a backfill of a few articles (so the JVM is up and every executor process
has loaded its spaCy pipeline, as on a long backfill), then timed on the whole input; the
cold figure (the warm-up's seconds) is printed beside it. Printed: seconds, docs/s, and the
ratio of each master to the first one (the scaling ratio of local[2] to local[1]).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from powderkeg import Settings
from powderkeg.backfill import backfill

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import demo_articles, synthetic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--masters", nargs="*", default=["local[1]", "local[2]"])
    parser.add_argument("--no-local", action="store_true", help="skip the local engine")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pk-bench-backfill-"))
    source = work / "articles.jsonl"
    base = demo_articles()
    with source.open("w", encoding="utf-8") as out:
        for record in synthetic(args.docs, base):
            out.write(json.dumps(record) + "\n")
    warm = work / "warm.jsonl"
    warm.write_text("".join(json.dumps(r) + "\n" for r in synthetic(8, base)))
    print(f"{args.docs} articles, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

    settings = Settings()
    if not args.no_local:
        for n in (1, 0):
            summary = backfill(
                [str(source)], str(work / f"local-{n}"), dataclasses.replace(settings, n_process=n)
            )
            label = "local engine, one process" if n == 1 else "local engine, every core"
            print(f"{label:<32} {summary.seconds:7.1f} s  {summary.documents / summary.seconds:6.2f} docs/s")

    from powderkeg.backfill.spark import run_spark, session

    first: float | None = None
    for master in args.masters:
        spark = session(master, "powderkeg bench")
        try:
            cold = run_spark([str(warm)], str(work / f"warm-{master}"), settings, master, spark=spark)
            started = time.perf_counter()
            summary = run_spark([str(source)], str(work / f"spark-{master}"), settings, master, spark=spark)
            seconds = time.perf_counter() - started
        finally:
            spark.stop()
        rate = summary.documents / seconds
        first = first or rate
        print(
            f"spark {master:<26} {seconds:7.1f} s  {rate:6.2f} docs/s  ({rate / first:.2f}x {args.masters[0]}; "
            f"cold start and 8 articles: {cold.seconds:.1f} s)  events {summary.events}"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
