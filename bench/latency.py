"""Latency of live monitoring: from an item's publication in a feed to its stored events.

    python bench/latency.py [--items 20] [--spread 240]

A feed on 127.0.0.1 publishes ``--items`` demo articles at random moments
over ``--spread`` seconds; a Watcher with the default poll settings (only
allow_hosts is set, so the local server may be reached) polls it. For each item
the time from publication to the commit of its article and events is printed,
with the median and the maximum. Target: at most 60 s. The baseline in the
same process is the poll interval itself: the expected wait for the next poll
is half of it, the worst case all of it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from powderkeg import Pipeline, Settings, Store  # noqa: E402
from powderkeg.ingest.sources import FeedSource  # noqa: E402
from powderkeg.ingest.web import Fetcher  # noqa: E402
from powderkeg.monitor import Watcher  # noqa: E402
from tests.test_watch import demo_texts  # noqa: E402
from tests.webserver import Route, WebServer, article_html, rss  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--spread", type=float, default=240.0, help="seconds over which items are published")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    settings = Settings(allow_hosts=("127.0.0.1",), db=str(Path(tempfile.mkdtemp()) / "latency.duckdb"))
    texts = (demo_texts(24) * (args.items // 24 + 1))[: args.items]
    rng = random.Random(args.seed)
    when = sorted(rng.uniform(0, args.spread) for _ in texts)
    published: dict[str, float] = {}
    stored: dict[str, float] = {}
    items: list[dict[str, str]] = []

    with WebServer() as web, Store(settings.db) as store, Fetcher(settings) as fetcher:
        web.routes["/feed"] = Route(rss([]), etag=True, content_type="application/rss+xml")
        pipeline = Pipeline(settings)
        pipeline.nlp  # noqa: B018 - loaded before the clock starts, as `powderkeg watch` does

        def on_handled(handled, n_events):  # type: ignore[no-untyped-def]
            stored[handled.key] = time.monotonic()

        watcher = Watcher(
            [FeedSource("bench", web.url("/feed"))], store, pipeline, fetcher, settings, on_handled
        )
        stop = threading.Event()
        start = time.monotonic()

        def publisher() -> None:
            for i, (offset, (title, text)) in enumerate(zip(when, texts, strict=True)):
                time.sleep(max(start + offset - time.monotonic(), 0))
                web.routes[f"/a/{i}"] = Route(article_html(title, f"Bulletin {i}.\n\n{text}"))
                items.insert(0, {"title": title, "link": web.url(f"/a/{i}"), "guid": f"item-{i}"})
                web.routes["/feed"] = Route(rss(list(items)), etag=True, content_type="application/rss+xml")
                published[f"item-{i}"] = time.monotonic()

        thread = threading.Thread(target=publisher, daemon=True)
        thread.start()
        runner = threading.Thread(target=watcher.run_forever, args=(stop,), daemon=True)
        runner.start()
        while (
            len(stored) < len(texts) and time.monotonic() - start < args.spread + 10 * settings.poll_interval
        ):
            time.sleep(0.2)
        stop.set()
        runner.join(timeout=60)
        watcher.close()

    lags = [stored[k] - published[k] for k in published if k in stored]
    print(f"poll interval {settings.poll_interval:.0f} s, host delay {settings.host_delay:.1f} s (defaults)")
    print(f"items published {len(published)}, stored {len(lags)}")
    if lags:
        print(f"publication -> stored events: median {statistics.median(lags):.1f} s, max {max(lags):.1f} s")
        print(
            f"ratio to the poll interval: median {statistics.median(lags) / settings.poll_interval:.2f},"
            f" max {max(lags) / settings.poll_interval:.2f}"
        )
        print("target <= 60 s:", "met" if max(lags) <= 60 and len(lags) == len(published) else "NOT met")


if __name__ == "__main__":
    main()
