"""`powderkeg watch --once` over one large feed: wall time and peak memory of the watcher.

    python bench/watch_feed.py [--items 10000] [--seed 7]

A feed on 127.0.0.1 lists ``--items`` entries, each linking to its own page: a distinct
article made of five sentences drawn from the demo corpus, with its own figures (so few
are near-duplicates of each other). The watcher runs in a child process (packaged alert
rules, ``host_delay`` 0) and the figures are the child's: seconds and peak RSS, plus the
entries stored per second. The feed itself costs the watcher nothing to serve.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.webserver import Route, WebServer, article_html, rss  # noqa: E402

DEMO = ROOT / "powderkeg" / "demo" / "corpus"


def sentences() -> list[str]:
    out = []
    for path in sorted(DEMO.glob("*.txt")):
        body = path.read_text("utf-8").split("---")[-1]
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 6]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentences()
    folder = Path(tempfile.mkdtemp(prefix="pk-watch-feed-"))
    with WebServer() as web:
        items = []
        for i in range(args.items):
            picked = [re.sub(r"\b\d+\b", lambda _: str(rng.randint(2, 900)), s) for s in rng.sample(pool, 5)]
            web.routes[f"/a/{i}"] = Route(article_html(f"Report {i}", "\n\n".join(picked)))
            items.append({"title": f"Report {i}", "link": web.url(f"/a/{i}"), "guid": f"item-{i}"})
        web.routes["/feed"] = Route(rss(items), content_type="application/rss+xml")
        (folder / "sources.toml").write_text(f'[[source]]\nname = "big"\nurl = "{web.url("/feed")}"\n')
        (folder / "powderkeg.toml").write_text(
            '[powderkeg]\nallow_hosts = ["127.0.0.1"]\nhost_delay = 0.0\nhost_concurrency = 8\n'
        )
        command = [sys.executable, "-m", "powderkeg", "watch", "--once", "--sources", "sources.toml"]
        command += ["--db", "big.duckdb"]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stored = sum(1 for line in done.stdout.splitlines() if line.split()[:1] in (["new"], ["duplicate"]))
    print(done.stderr[-2000:])
    print(
        f"exit {done.returncode}; {args.items} items, {stored} stored; {seconds:.0f} s; peak RSS {peak:.0f} MB"
    )
    print(f"{stored / seconds:.1f} entries/s")


if __name__ == "__main__":
    main()
