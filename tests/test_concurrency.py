"""Several processes on one store: reads while `watch` or `serve` write, lock and path errors.

Real processes (the CLI as a user runs it), a real DuckDB file and a real feed
server on 127.0.0.1. See store/access.py for the design.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import duckdb
import httpx
import pytest

from powderkeg import Store
from powderkeg.store.access import Access, locked_by

from .test_watch import demo_texts, publish
from .webserver import rss, wait_for_http

pytestmark = pytest.mark.slow
# seconds a read may take while the watcher writes (issue 14: within 5 s each); plus 3x the same
# query timed with no writer, so that a loaded machine's slowness is not read as waiting
QUERY_BUDGET = 5.0


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "POWDERKEG_ALLOW_HOSTS": "127.0.0.1",
        "POWDERKEG_HOST_DELAY": "0",
        "POWDERKEG_POLL_INTERVAL": "0.3",
        "POWDERKEG_BATCH_SIZE": "1",
        **extra,
    }


def pk(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "powderkeg", *args],
        capture_output=True,
        text=True,
        env=env or _env(),
        timeout=timeout,
    )


def _python_store_query(db: str) -> list[str]:
    code = f"from powderkeg import Store\nwith Store({db!r}, read_only=True) as s: print(s.counts().events)"
    return [sys.executable, "-c", code]


def _reads(db: str, event_id: str) -> list[list[str]]:
    cli = [sys.executable, "-m", "powderkeg"]
    return [
        [*cli, "events", "--db", db, "--limit", "5"],
        [*cli, "tension", "SRB", "XKX", "--db", db, "--json"],
        [*cli, "show", event_id, "--db", db],
        [*cli, "alerts", "--db", db, "--rules", "default"],
        _python_store_query(db),
    ]


# Another process that runs CLI commands (and a Python Store query) on request and times each,
# so that what is timed is the command (waiting for the file included), not Python's start-up.
READER = """
import contextlib, io, json, sys, time
from powderkeg.cli import app
from powderkeg import Store
print("ready", flush=True)
for line in sys.stdin:
    args = json.loads(line)
    out, err, rc = io.StringIO(), io.StringIO(), 0
    started = time.monotonic()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            if args[0] == "store":
                with Store(args[1], read_only=True) as store:
                    store.counts()
            else:
                app(args, standalone_mode=False)
    except SystemExit as exc:
        rc = exc.code or 0
    except Exception as exc:
        rc, _ = 1, err.write(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"rc": rc, "seconds": time.monotonic() - started, "err": err.getvalue()[-400:]}), flush=True)
"""


def test_twenty_reads_succeed_while_watch_writes(web, tmp_path, demo_store):
    db = tmp_path / "watched.duckdb"
    shutil.copy(demo_store, db)
    with Store(db, read_only=True) as store:
        event_id = next(store.events())["id"]
    texts = demo_texts(24)
    items = publish(web, texts)
    shown = {"n": 4}

    def feed():  # a feed that grows while the test reads, so the watcher keeps writing
        from .webserver import Route

        shown["n"] = min(shown["n"] + 1, len(items))
        return Route(rss(items[: shown["n"]]), content_type="application/rss+xml")

    web.routes["/feed.xml"] = feed
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "grow"\nurl = "{web.url("/feed.xml")}"\nkind = "feed"\n', "utf-8")
    queries = [
        ["events", "--db", str(db), "--limit", "5"],
        ["tension", "SRB", "XKX", "--db", str(db), "--json"],
        ["show", event_id, "--db", str(db)],
        ["alerts", "--db", str(db)],
        ["store", str(db)],
    ]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert reader.stdout.readline().strip() == "ready"

    def ask(query: list[str]) -> dict:
        reader.stdin.write(json.dumps(query) + "\n")
        reader.stdin.flush()
        return json.loads(reader.stdout.readline())

    # each query once with no writer: the budget below scales with what this machine manages now
    quiet = {query[0]: ask(query)["seconds"] for query in queries}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "powderkeg", "watch", "--sources", str(sources), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(POWDERKEG_ALERTS=""),
    )
    try:
        deadline = time.monotonic() + 120
        while web.hits["/a/0"] == 0 and time.monotonic() < deadline:  # it polls and writes by now
            time.sleep(0.1)
        assert watcher.poll() is None, watcher.stderr.read()
        timings = []
        for i in range(20):
            query = queries[i % len(queries)]
            result = ask(query)
            timings.append((query[0], round(result["seconds"], 2)))
            assert result["rc"] == 0, (query, result["err"])
            # a read that queued behind the writer's lock would take lock_wait (10 s) or fail
            assert result["seconds"] < QUERY_BUDGET + 3 * quiet[query[0]], (query, result, quiet)
        reader.stdin.close()
        reader.wait(timeout=30)
        print("seconds per query while watch wrote:", timings)  # shown with pytest -s
        assert watcher.poll() is None  # the watcher never failed on a lock either
        assert shown["n"] > 5  # ... and it kept polling and storing meanwhile
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
        if reader.poll() is None:
            reader.kill()
    with Store(db, read_only=True) as store:
        assert store.counts().articles > 24  # what the watcher stored is there


def test_cli_reads_work_while_serve_runs_watches_and_serves(web, tmp_path, demo_store):
    db = tmp_path / "served.duckdb"
    shutil.copy(demo_store, db)
    with Store(db, read_only=True) as store:
        event_id = next(store.events())["id"]
        before = store.counts().articles
    items = publish(web, demo_texts(24))
    feed = [rss(items[:n]) for n in range(1, len(items) + 1)]
    polls = {"n": 0}

    def grow():  # one more item each poll: the server's watcher keeps writing while it serves
        from .webserver import Route

        polls["n"] += 1
        return Route(feed[min(polls["n"], len(feed)) - 1], content_type="application/rss+xml")

    web.routes["/feed.xml"] = grow
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "grow"\nurl = "{web.url("/feed.xml")}"\nkind = "feed"\n', "utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "powderkeg",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--watch",
            str(sources),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    served: list[int] = []

    def load() -> None:  # keep the server reading while the CLI runs
        with httpx.Client(base_url=base, timeout=10) as client:
            while not stop.is_set():
                served.append(client.get("/fused", params={"page_size": 50}).status_code)

    try:
        wait_for_http(base + "/events?page_size=1", 60)
        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        for command in _reads(str(db), event_id):
            done = subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=60)
            assert done.returncode == 0, (command, done.stderr)
        deadline = time.monotonic() + 120
        while web.hits["/a/3"] == 0 and time.monotonic() < deadline:  # the watcher is storing by now
            time.sleep(0.2)
        for command in _reads(str(db), event_id):  # and again while it writes
            done = subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=60)
            assert done.returncode == 0, (command, done.stderr)
        stop.set()
        loader.join(timeout=15)
        assert served and set(served) == {200}
        stored = httpx.get(base + "/fused", params={"text": "", "page_size": 500}).json()["count"]
        assert stored > 0 and server.poll() is None
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    with Store(db, read_only=True) as store:
        assert store.counts().articles > before  # the server's watcher stored what it polled


def test_a_lock_held_past_the_wait_is_one_coded_line_with_the_pid(tmp_path, demo_store):
    db = tmp_path / "held.duckdb"
    shutil.copy(demo_store, db)
    holder = duckdb.connect(str(db))  # this test process writes, and never lets go
    try:
        for args in (["events", "--db", str(db)], ["tension", "SRB", "XKX", "--db", str(db)]):
            done = pk(*args, env=_env(POWDERKEG_LOCK_WAIT="0.5"))
            lines = done.stderr.strip().splitlines()
            assert done.returncode == 2 and len(lines) == 1, done.stderr
            assert "[E204]" in lines[0] and f"process {os.getpid()}" in lines[0] and "kill" in lines[0]
    finally:
        holder.close()
    assert pk("events", "--db", str(db)).returncode == 0


def test_two_runs_at_once_both_store_everything(tmp_path):
    from .conftest import DEMO

    db = tmp_path / "two.duckdb"
    first, second = (
        subprocess.Popen(
            [sys.executable, "-m", "powderkeg", "run", str(DEMO / sub), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(POWDERKEG_LOCK_WAIT="60"),
        )
        for sub in ("", "")
    )
    for proc in (first, second):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    alone = tmp_path / "alone.duckdb"
    assert pk("run", str(DEMO), "--db", str(alone), timeout=300).returncode == 0
    with Store(db, read_only=True) as a, Store(alone, read_only=True) as b:
        assert a.counts() == b.counts()


@pytest.mark.parametrize("command", ["events", "tension SRB XKX", "show 123", "alerts", "sources", "serve"])
def test_a_missing_database_is_one_line_and_stays_missing(tmp_path, command):
    db = tmp_path / "nowhere" / "missing.duckdb"
    done = pk(*command.split(), "--db", str(db))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "[E002]" in lines[0], done.stderr
    assert "powderkeg run" in lines[0]
    assert not db.exists() and not db.parent.exists()
    folder = pk(*command.split(), "--db", str(tmp_path))
    assert (
        folder.returncode == 2 and "[E003]" in folder.stderr and len(folder.stderr.strip().splitlines()) == 1
    )


def test_access_lets_reads_share_and_a_write_wait(tmp_path):
    access = Access(str(tmp_path / "a.duckdb"), wait=5)
    with access.write() as con:
        con.execute("CREATE TABLE t (x INTEGER)")
        with access.read() as cur:  # a thread that writes may read inside its write
            assert cur.execute("SELECT count(*) FROM t").fetchone() == (0,)
    order: list[str] = []
    reading = threading.Event()

    def reader() -> None:
        with access.read() as cur:
            reading.set()
            time.sleep(0.3)
            cur.execute("SELECT 1")
            order.append("read done")

    thread = threading.Thread(target=reader)
    thread.start()
    reading.wait()
    with access.write() as con:  # waits for the reader, then has the file alone
        order.append("write")
        con.execute("INSERT INTO t VALUES (1)")
    thread.join()
    assert order == ["read done", "write"]
    with access.read() as cur:
        assert cur.execute("SELECT count(*) FROM t").fetchone() == (1,)
    assert locked_by("Conflicting lock is held in /usr/bin/python3 (PID 4242). See also") == 4242


def test_a_lingering_reader_makes_way_for_a_waiting_writer(tmp_path):
    db = tmp_path / "l.duckdb"
    Access(str(db)).close()
    with Store(db):
        pass
    access = Access(str(db), wait=5, linger=30)
    access.start_reaper()
    try:
        with access.read() as cur:
            cur.execute("SELECT 1")
        assert access._db is not None  # kept open for the next request
        # another process wants to write: it waits, leaves its note, and gets the file
        code = (
            f"from powderkeg import Store\nwith Store({str(db)!r}, wait=10) as s: s.con.execute('SELECT 1')"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    finally:
        access.close()


# A writer of another process that works unit after unit with only a moment between them.
BUSY_WRITER = """
import sys, time
from powderkeg.store.access import Access
access = Access(sys.argv[1], wait=30)
with access.write() as con:
    con.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    with access.write() as con:
        con.execute("INSERT INTO t VALUES (1)")
        time.sleep(0.2)  # a unit's work
    time.sleep(0.002)  # the moment between two units
"""


def test_a_reader_gets_in_between_the_units_of_a_busy_writer(tmp_path):
    db = str(tmp_path / "busy.duckdb")
    writer = subprocess.Popen(
        [sys.executable, "-c", BUSY_WRITER, db, "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        access = Access(db, wait=10)
        waits = []
        for _ in range(10):
            started = time.monotonic()
            with access.read() as cur:
                assert cur.execute("SELECT count(*) FROM t").fetchone()[0] >= 0
            waits.append(time.monotonic() - started)
        # each read waits for the unit in progress (0.2 s) and the writer's opening, not for a lucky gap
        assert max(waits) < 1.5, waits
        assert not access.reader_note.exists()  # cleared once in
    finally:
        writer.kill()
        writer.wait()


def test_a_held_file_stays_attached_between_units_and_is_let_go_for_another_process(tmp_path):
    """``holding()`` (a run) keeps the file between units, with no checkpoint each, but a reader
    of another process leaves its note and gets in between two units all the same."""
    db = str(tmp_path / "held.duckdb")
    access = Access(db, wait=10)
    reader = "import sys\nfrom powderkeg.store.access import Access\n" + (
        "with Access(sys.argv[1], wait=10).read() as cur: print(cur.execute('SELECT count(*) FROM t').fetchone()[0])"
    )
    with access.holding():
        with access.write() as con:
            con.execute("CREATE TABLE t (x INTEGER)")
            con.execute("INSERT INTO t VALUES (1)")
        assert access._db is not None  # kept for the next unit
        done = subprocess.run([sys.executable, "-c", reader, db], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr
        with access.write() as con:  # attached again once the reader is through
            con.execute("INSERT INTO t VALUES (2)")
    assert access._db is None  # let go at the end of the block
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM t").fetchone() == (2,)
    access.close()
