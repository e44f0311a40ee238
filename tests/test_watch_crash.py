"""SIGKILL `powderkeg watch` at any point, restart it: nothing lost, nothing doubled.

A clean run and a run killed several times (during start-up and right after
entries were stored, mid-way through the next one) must end with the same
articles, events, evidence and entry bookkeeping, and with every counted report
in exactly one fused event (a report stored by a killed run is fused by the next).
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from .test_watch import demo_texts, publish
from .webserver import Route, article_html, atom, rss

pytestmark = pytest.mark.slow
LIMIT = 600  # seconds a watcher may take for one pass, far beyond the ~40 s of a machine under load


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "POWDERKEG_ALLOW_HOSTS": "127.0.0.1",
        "POWDERKEG_HOST_DELAY": "0",
        "POWDERKEG_POLL_INTERVAL": "0.5",
        "POWDERKEG_BATCH_SIZE": "1",
        # the watcher commits new entries a unit at a time (commit_every); one entry per unit here, so
        # that a kill can land between any two commits, as it can between units of a large feed
        "POWDERKEG_COMMIT_EVERY": "1",
    }


def _watch(sources, db, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "powderkeg", "watch", "--sources", str(sources), "--db", str(db), *extra],
        stdout=subprocess.PIPE,
        stderr=open(os.environ.get("PK_DEBUG_ERR", os.devnull), "a"),
        text=True,
        env=_env(),
    )


def _lines(proc) -> queue.Queue:
    """The lines saying an entry was handled (alerts go to standard output too)."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:
            if re.match(r"(new|known|duplicate|quarantined) ", line):
                lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _state(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": con.execute("SELECT id, n_events FROM articles ORDER BY id").fetchall(),
            "events": con.execute("SELECT id, article_id FROM events ORDER BY id").fetchall(),
            "evidence": con.execute("SELECT count(*) FROM evidence").fetchone(),
            "entries": con.execute(
                "SELECT source, entry_key, article_id, outcome FROM source_entries ORDER BY 1, 2"
            ).fetchall(),
            "duplicates": con.execute("SELECT * FROM article_duplicates ORDER BY 1").fetchall(),
            "fingerprints": con.execute("SELECT article_id FROM article_minhash ORDER BY 1").fetchall(),
            "unfused": con.execute(
                "SELECT count(*) FROM events e LEFT JOIN fused_members m ON m.report_id = e.id"
                " WHERE e.factuality IN ('asserted', 'claimed') AND m.report_id IS NULL"
                " AND e.type <> 'STATEMENT'"  # public statements are never fused
            ).fetchone(),
        }
    finally:
        con.close()


def test_sigkill_at_any_point_loses_and_doubles_nothing(web, tmp_path):
    texts = demo_texts(24)
    items = publish(web, texts)
    title, text = texts[2]
    web.routes["/copy"] = Route(article_html(title, "BELGRADE (AP) - " + text + "\n\nAP contributed."))
    web.routes["/rss"] = Route(rss(items[:12]), etag=True)
    web.routes["/atom"] = Route(atom(items[12:]), etag=True)
    web.routes["/wire"] = Route(rss([{"title": title, "link": web.url("/copy"), "guid": "w"}, items[5]]))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "".join(
            f'[[source]]\nname = "{n}"\nurl = "{web.url("/" + n)}"\nkind = "feed"\n'
            for n in ("rss", "atom", "wire")
        ),
        "utf-8",
    )

    clean = tmp_path / "clean.duckdb"
    # the time limits only guard against a hang: a 2-core machine under load needs minutes here
    assert _watch(sources, clean, "--once").wait(timeout=LIMIT) == 0
    expected = _state(clean)
    assert len(expected["articles"]) == 25 and len(expected["duplicates"]) == 1 and expected["events"]
    assert expected["unfused"] == (0,)

    crashed = tmp_path / "crashed.duckdb"
    rng = random.Random(5)
    proc = _watch(sources, crashed)  # killed during start-up
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    handled = []  # entries each killed run printed as stored
    while sum(handled) < 26 - 6 and len(handled) < 8:  # killed just after an entry, inside the next ones
        proc = _watch(sources, crashed)
        lines = _lines(proc)
        seen = 0
        while seen < 1 and lines.get(timeout=LIMIT) is not None:
            seen += 1
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        while not lines.empty():  # printed after a commit, before the kill
            seen += lines.get() is not None
        handled.append(seen)
    print("handled per killed run", handled)
    assert len(handled) >= 3 and all(handled)  # the kills landed mid-run, several times
    assert _watch(sources, crashed, "--once").wait(timeout=LIMIT) == 0
    assert _state(crashed) == expected
