"""The README cannot drift: every `powderkeg` command it shows runs against the demo store, and
the demo's figures it states are the demo's real output.

Commands are the lines of its ```sh blocks, `$ powderkeg ...` lines of other blocks, and
indented `powderkeg ...` lines. Each runs as a user types it (a shell in a folder holding the
demo store as powderkeg.duckdb and the files the README names), with these stand-ins: the
example ids become ids of the demo store, example.org a feed served on 127.0.0.1, ../shared the
shared data; `[optional parts]` are given. `watch` (without --once) and `serve` are started,
seen working, and stopped. `archive/` holds two demo articles as JSONL records and `lake/` the
lake a local backfill wrote from them; Spark runs in local mode, and the one command for a
cluster (`--master yarn`, S3) is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from powderkeg import Settings, Store

from .conftest import DEMO, ROOT, SHARED
from .webserver import Route, rss, wait_for_http

pytestmark = pytest.mark.slow
README = (ROOT / "README.md").read_text("utf-8")
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\s*$")


def readme_commands(text: str = README) -> list[str]:
    commands, fence = [], None
    for line in re.sub(r"\\\n\s*", "", text).splitlines():  # a command continued with \ is one line
        if m := FENCE.match(line.strip()):
            fence = None if fence is not None else m.group(1)
            continue
        body = line.strip()
        if fence is not None and fence != "python":
            body = body.removeprefix("$ ")
            if re.match(r"^([A-Z_]+=\S+ )*powderkeg ", body):
                commands.append(_uncomment(body))
        elif fence is None and line.startswith("    powderkeg "):
            commands.append(_uncomment(body))
    return list(dict.fromkeys(commands))


def _uncomment(line: str) -> str:
    return re.split(r"\s{2,}#", line)[0].strip()


def test_the_readme_shows_the_commands():
    commands = readme_commands()
    names = {c.split("powderkeg ", 1)[1].split()[0] for c in commands}
    assert len(commands) >= 25 and {"run", "events", "fused", "tension", "alerts", "serve", "watch"} <= names


# -- the folder each command runs in -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def placeholders(demo_store) -> dict[str, str]:
    """The README's example ids, as ids of the demo store."""
    with Store(demo_store, read_only=True) as store:
        [(event,)] = store.con.execute("SELECT id FROM events ORDER BY date, id LIMIT 1").fetchall()
        [(fused, report)] = store.con.execute(
            "SELECT m.fused_id, max(m.report_id) FROM fused_members m GROUP BY 1 HAVING count(*) > 1"
            " ORDER BY 1 LIMIT 1"
        ).fetchall()
    return {"3f2a9c1b7e": event[:10], "F2a136fcfa": fused[:10], "1a2b3c4d": report[:8]}


#: the demo articles of the README's backfill archive
ARCHIVE = ("03_kfor-soldiers-injured-zvecan.txt", "13_banjska-attack.txt")


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory) -> Path:
    """archive/2023/demo.jsonl (the ARCHIVE articles as records) and lake/, a local backfill of it."""
    from powderkeg.backfill import backfill
    from powderkeg.ingest import read_paths
    from powderkeg.records import Article

    root = tmp_path_factory.mktemp("readme-backfill")
    archive = root / "archive" / "2023"
    archive.mkdir(parents=True)
    articles = [
        a for a in read_paths([DEMO / name for name in ARCHIVE], Settings()) if isinstance(a, Article)
    ]
    assert len(articles) == len(ARCHIVE)
    lines = [
        json.dumps({"id": f"demo-{n}", "url": a.url, "title": a.title, "published": str(a.published), "text": a.text})
        for n, a in enumerate(articles)
    ]  # fmt: skip
    (archive / "demo.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    backfill([str(archive)], str(root / "lake"), Settings(n_process=1))
    return root


@pytest.fixture()
def folder(tmp_path, demo_store, web, placeholders, backfilled):
    shutil.copy(demo_store, tmp_path / "powderkeg.duckdb")
    shutil.copytree(backfilled / "archive", tmp_path / "archive")
    shutil.copytree(backfilled / "lake", tmp_path / "lake")
    (tmp_path / "articles").mkdir()
    for path in sorted(DEMO.glob("*.txt"))[:2]:
        shutil.copy(path, tmp_path / "articles" / path.name)
    record = {"id": "r1", "published": "2023-06-14", "text": "Serbian police detained three Kosovo police officers near the boundary on Wednesday."}  # fmt: skip
    (tmp_path / "more.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    text = "Kosovo police arrested two men in Zvecan on Monday."
    start = text.index("Zvecan")
    (tmp_path / "records.jsonl").write_text(
        json.dumps({"id": "g1", "date": "2023-05-30", "text": text, "toponyms": [{"start": start, "end": start + 6}]})
        + "\n",
        "utf-8",
    )  # fmt: skip
    (tmp_path / "Phoenix.Countries.actors.txt").write_text(
        "JANE_DOE_  # our own test entry\n\t[GONGOV 050101-121231]\nMINAS_TIRITH_COUNCIL_ [GONGOV]\n", "utf-8"
    )
    (tmp_path / "Phoenix.agents.txt").write_text("FARMER [~AGR]\n", "utf-8")
    (tmp_path / "allCountries.txt").write_text(
        "\t".join(
            [
                "99999901",
                "Testovac",
                "Testovac",
                "",
                "42.9",
                "20.9",
                "P",
                "PPL",
                "XK",
                "",
                "",
                "",
                "",
                "",
                "120",
                "",
                "",
                "Europe/Belgrade",
                "2024-01-01",
            ]
        )
        + "\n",  # fmt: skip
        "utf-8",
    )
    text = (DEMO / "13_banjska-attack.txt").read_text("utf-8").split("\n---\n", 1)[1]
    web.routes["/a/1"] = Route(f"<html><body><article><p>{text}</p></article></body></html>")
    web.routes["/feed.xml"] = Route(
        rss([{"title": "Banjska", "link": web.url("/a/1"), "guid": "b1", "pubDate": "Sun, 24 Sep 2023 12:00:00 GMT"}]),
        content_type="application/rss+xml",
    )  # fmt: skip
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nname = "local"\nurl = "{web.url("/feed.xml")}"\n', "utf-8"
    )
    (tmp_path / "examples").mkdir()
    shutil.copy(tmp_path / "sources.toml", tmp_path / "examples" / "sources.toml")
    shutil.copy(ROOT / "powderkeg" / "analyze" / "default_alerts.toml", tmp_path / "my_alerts.toml")
    from powderkeg.geocode.gazetteer import Gazetteer

    gaz = Gazetteer()  # the user cache's, built if need be; the test imports into a copy
    shutil.copy(gaz.path, tmp_path / "gazetteer.sqlite")
    gaz.close()
    return tmp_path, {
        **placeholders,
        "https://example.org/feed.xml": web.url("/feed.xml"),
        "../shared": str(SHARED),
    }


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWDERKEG_")}
    return {
        **env,
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "POWDERKEG_ALLOW_HOSTS": "127.0.0.1",
        "POWDERKEG_HOST_DELAY": "0",
        "POWDERKEG_POLL_INTERVAL": "0.5",
        "POWDERKEG_GAZETTEER": str(tmp_path / "gazetteer.sqlite"),
        "POWDERKEG_LOCK_WAIT": "60",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),  # a lake's database, built by --lake
    }


def _as_run(command: str, stand_ins: dict[str, str]) -> str:
    for example, real in stand_ins.items():
        command = command.replace(example, real)
    command = command.replace("POWDERKEG_API_TOKEN=...", "POWDERKEG_API_TOKEN=readme-test-token")
    return re.sub(r"\[(--[^\]]+)\]", r"\1", command)  # optional parts given (not local[2])


def _spark_ready() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


def _daemon(command: str) -> bool:
    words = command.split()
    return ("serve" in words) or ("watch" in words and "--once" not in words)


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_runs_on_the_demo_store(command, folder):
    tmp_path, stand_ins = folder
    if "../shared" in command and not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    if re.search(r"--master (?!'?local)", command):
        pytest.skip("needs a Spark cluster and its filesystem")
    if "--engine spark" in command and not _spark_ready():
        if os.environ.get("CI"):
            pytest.fail("the Spark commands need pyspark and java (make test installs both)")
        pytest.skip("pyspark or java missing (make test installs both)")
    line = _as_run(command, stand_ins)
    env = _env(tmp_path)
    if _daemon(line):
        _start_and_stop(line, tmp_path, env)
        return
    done = subprocess.run(
        ["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    _check_output(line, done.stdout, tmp_path)


def _check_output(line: str, out: str, tmp_path: Path) -> None:
    if "powderkeg code " in line:
        first = json.loads((tmp_path / "coded.jsonl").read_text("utf-8").splitlines()[0])
        assert set(first) == {"id", "events"}  # the shape the README describes: one line per record
    if line.startswith("powderkeg codebook"):
        assert out == (ROOT / "docs" / "codebook.md").read_text("utf-8")
    if "--format csv" in line:
        assert out.startswith("id,date,date_precision,type,")
    if "--format geojson" in line:
        assert json.loads((tmp_path / "fused.geojson").read_text("utf-8"))["type"] == "FeatureCollection"
    if line.startswith("powderkeg backfill"):
        assert f"{len(ARCHIVE)} documents: {len(ARCHIVE)} articles" in out
    if "--lake" in line:
        # the lake's events (the archive's articles), not the demo store's: no election boycott
        assert "2023-09-24" in out and "2023-04-23" not in out, out


def _start_and_stop(line: str, tmp_path: Path, env: dict[str, str]) -> None:
    serve = " serve" in line
    if serve:
        port = _free_port()
        line = re.sub(r"--port \d+", "", line) + f" --port {port}"
    proc = subprocess.Popen(
        ["bash", "-c", re.sub(r"^((?:[A-Z_]+=\S+ )*)", r"\1exec ", line)],  # the server, not bash, gets the signal
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        if serve:
            wait_for_http(f"http://127.0.0.1:{port}/events", seconds=120)
        else:
            deadline = time.monotonic() + 180
            while (
                not any("watching" in e for e in err) and time.monotonic() < deadline and proc.poll() is None
            ):
                time.sleep(0.2)
            assert any("watching" in e for e in err), "".join(err)
        assert proc.poll() is None, "".join(err)
    finally:
        proc.send_signal(signal.SIGTERM if not serve else signal.SIGINT)
        proc.wait(timeout=60)
    reader.join(timeout=5)
    assert "Traceback" not in "".join(err), "".join(err)


def test_the_python_example_runs(folder):
    tmp_path, _ = folder
    code = re.search(r"```python\n(.*?)```", README, re.S)
    assert code is not None
    done = subprocess.run([sys.executable, "-c", code.group(1)], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2023-" in done.stdout  # the demo store's Serbian mobilisations


# -- the demo's figures the README states ------------------------------------------------

MONTHS = "January February March April May June July August September October November December".split()
_DAYS = re.compile(rf"((?:\d{{1,2}}(?:,\s+|\s+and\s+))*\d{{1,2}})\s+({'|'.join(MONTHS)})(?:\s+(\d{{4}}))?")


def dates_in(text: str) -> list[str]:
    """ISO dates of "23 April, 26, 29 and 30 May 2023": a group without a year takes the next one's."""
    groups = [(re.findall(r"\d+", m[1]), MONTHS.index(m[2]) + 1, m[3]) for m in _DAYS.finditer(text)]
    out, year = [], None
    for days, month, given in reversed(groups):
        year = given or year
        out += [f"{year}-{month:02d}-{int(d):02d}" for d in days]
    return sorted(out)


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_the_demo_facts_are_the_demos(demo_store, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_store, db)
    env = _env(tmp_path)
    tension = subprocess.run(
        ["powderkeg", "tension", "SRB", "XKX", "--since", "2023-01-01", "--json", "--db", str(db)],
        env=env, capture_output=True, text=True, timeout=600, check=True,
    ).stdout  # fmt: skip
    readings = {r["period"]: r for r in map(json.loads, tension.splitlines())}
    subprocess.run(
        ["powderkeg", "alerts", "--db", str(db)], env=env, capture_output=True, timeout=600, check=True
    )
    with Store(db, read_only=True) as store:
        fired = store.con.execute("SELECT rule, CAST(period AS VARCHAR) FROM alerts ORDER BY 2").fetchall()
    with Store(db, read_only=True) as store:
        [(total, counted)] = store.con.execute(
            "SELECT count(*), count(*) FILTER (factuality IN ('asserted', 'claimed')) FROM events"
        ).fetchall()
    summary = " ".join(_between(README, "Its summary separates", "(counted events").split())
    assert (
        f"events added: {total}: {counted} counted, {total - counted} denied/hypothetical/future" in summary
    )
    said = " ".join(_between(README, "On the demo corpus (`make demo`)", "`tests/test_readme.py`").split())
    escalating = sorted(p for p, r in readings.items() if r["escalating"])
    assert dates_in(_between(said, "escalates on", ". The default rule")) == escalating
    assert dates_in(_between(said, "`serbia-kosovo` alerts on", "(")) == [
        p for r, p in fired if r == "serbia-kosovo"
    ]
    assert dates_in(_between(said, "`western-balkans-violence` alerts on", ".")) == [
        p for r, p in fired if r == "western-balkans-violence"
    ]
    example = _between(README, "$ powderkeg tension SRB XKX --since 2023-01-01", "```")
    rows = re.findall(r"^ (\d{4}-\d\d-\d\d)\s+(.+)$", example, re.M)
    assert len(rows) >= 3
    for period, rest in rows:
        got = readings[period]
        if rest.startswith("insufficient coverage"):
            assert got["status"] == "insufficient coverage"
            continue
        index, trend, z, events, sources = re.match(r"([-\d.]+)\s+(▲ ESCALATION|▲ rising|▼ falling|= steady)\s+([-\d.]+)\s+(\d+)\s+(\d+)", rest).groups()  # type: ignore[union-attr]  # fmt: skip
        want_trend = "▲ ESCALATION" if got["escalating"] else {"rising": "▲ rising", "falling": "▼ falling"}.get(got["trend"], "= steady")  # fmt: skip
        assert (index, trend, z, int(events), int(sources)) == (
            f"{got['index']:.1f}",
            want_trend,
            f"{got['z']:.1f}",
            got["n_events"],
            got["n_sources"],
        ), period


def test_dates_in_reads_the_readmes_lists():
    assert dates_in("on 23 April, 26 May and 24 September 2023, 3 February and 5\nAugust 2024") == [
        "2023-04-23", "2023-05-26", "2023-09-24", "2024-02-03", "2024-08-05",
    ]  # fmt: skip
    assert dates_in("26, 29 and 30 May 2023") == ["2023-05-26", "2023-05-29", "2023-05-30"]
