"""CLI edges under hostile input (issue 15): stored text is never rich markup, `--limit` edges,
and a second writer waits for the lock, then stores everything or says so in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from powderkeg import Store
from powderkeg.cli import app
from powderkeg.fuse import fuse

from .fusion_helpers import article, event
from .webserver import Route, rss

runner = CliRunner()
MARKUP = "[/oops] [bold]x[/bold] [deadbeef] [/x]"


@pytest.fixture()
def hostile_db(tmp_path):
    """A store whose titles, sentences, places and paths are full of rich markup."""
    db = tmp_path / "m.duckdb"
    a = article("markup")
    a = type(a)(**{**a.__dict__, "title": MARKUP, "url": "http://x.test/[/x]", "path": "/in/[/oops].txt"})
    e = event(
        a,
        "ASSAULT",
        "SRB",
        "XKX",
        "2023-05-29",
        sentence=f"Police {MARKUP} fired.",
        place=("Zvecan [/oops]", "XKX"),
        killed=2,
    )
    with Store(db) as store:
        store.add(a, [e])
        [fid] = fuse(store.con)
    return db, e.id, fid


@pytest.mark.parametrize("which", ["event", "fused"])
def test_show_prints_stored_markup_as_text(hostile_db, which):
    db, event_id, fused_id = hostile_db
    done = runner.invoke(app, ["show", event_id if which == "event" else fused_id, "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert MARKUP in done.output and event_id[:10] in done.output or fused_id in done.output
    assert "[deadbeef]" in done.output  # a bracketed id is text, not an unknown style


def test_events_table_prints_stored_markup_as_text(hostile_db):
    db, _, _ = hostile_db
    done = runner.invoke(app, ["events", "--db", str(db)])
    assert done.exit_code == 0, done.output


def test_run_url_and_sources_print_a_url_with_markup(tmp_path, web):
    web.routes["/feed"] = Route(rss([]), content_type="application/rss+xml")
    url = web.url("/feed?q=[/x]")
    db = str(tmp_path / "u.duckdb")
    env = {"POWDERKEG_ALLOW_HOSTS": "127.0.0.1", "POWDERKEG_HOST_DELAY": "0"}
    done = runner.invoke(app, ["run", url, "--db", db], env=env)
    assert done.exit_code == 0, done.output  # the URL names the source in the summary table
    listed = runner.invoke(app, ["sources", "--db", db])
    assert listed.exit_code == 0 and "[/x]" in listed.output, listed.output


@pytest.mark.parametrize(("limit", "count"), [("0", 0), ("1", 1)])
def test_limit_zero_gives_nothing_and_one_gives_one(hostile_db, limit, count):
    db, _, _ = hostile_db
    done = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl", "--limit", limit])
    assert done.exit_code == 0 and len(done.output.splitlines()) == count


def test_a_negative_limit_is_a_usage_error(hostile_db):
    db, _, _ = hostile_db
    done = runner.invoke(app, ["events", "--db", str(db), "--limit", "-1"])
    assert done.exit_code == 2 and "Traceback" not in done.output and "--limit" in done.output


def _corpus(folder, n=10):
    folder.mkdir()
    for i in range(n):
        (folder / f"{i}.jsonl").write_text(
            json.dumps(
                {"id": i, "text": f"Serbian police arrested {i + 2} protesters in Zvecan, report {i}."}
            )
            + "\n"
        )
    return folder


def _hold(db, seconds: float) -> subprocess.Popen:
    """Another process that opens the file for writing and keeps it ``seconds``."""
    code = (
        "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('held', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\ncon.close()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _run(corpus, db, wait):
    env = {**os.environ, "POWDERKEG_LOCK_WAIT": str(wait)}
    command = [sys.executable, "-m", "powderkeg", "run", str(corpus), "--db", str(db)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_a_second_run_waits_for_the_lock_and_then_stores_everything(tmp_path):
    db = tmp_path / "w.duckdb"
    Store(db).close()
    holder = _hold(db, 3.0)
    started = time.monotonic()
    done = _run(_corpus(tmp_path / "in"), db, 60)
    holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 2.0  # it waited for the holder rather than failing
    with Store(db, read_only=True) as store:
        assert store.counts().articles == 10


@pytest.mark.slow
def test_a_second_run_past_the_wait_says_so_in_one_line_and_a_rerun_stores_everything(tmp_path):
    db = tmp_path / "w.duckdb"
    Store(db).close()
    corpus = _corpus(tmp_path / "in")
    holder = _hold(db, 60)
    try:
        done = _run(corpus, db, 1)
    finally:
        holder.kill()
        holder.wait()
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "[E204]" in lines[0] and f"process {holder.pid}" in lines[0] and "lock_wait" in lines[0]
    assert _run(corpus, db, 10).returncode == 0  # nothing was lost: the documents are all stored now
    with Store(db, read_only=True) as store:
        assert store.counts().articles == 10
