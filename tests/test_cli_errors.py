"""Every command says what is wrong in one coded line with the remedy: no traceback, ever.

Each command that takes ``--db`` is run through ``powderkeg.cli.main`` (what the
``powderkeg`` script runs) against a missing database, a folder, a file that is not a
database, and a database another process holds locked. A new command with ``--db``
fails ``test_every_db_command_is_covered`` until it is added to ``ARGS``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
import typer

from powderkeg.cli import app, main

from .conftest import DEMO

# the arguments each command with --db needs; WRITES create a missing database, the others refuse
ARGS = {
    "alerts": [],
    "brief": ["SRB", "XKX"],
    "events": [],
    "fused": [],
    "migrate": [],
    "run": [str(DEMO / "01_north-kosovo-elections-boycott.txt")],
    "serve": [],
    "show": ["F123"],
    "sources": [],
    "tension": ["SRB", "XKX"],
    "unmerge": ["F123"],
    "watch": ["--sources", "SOURCES", "--once"],
}
WRITES = {"run", "watch"}


def _commands() -> dict[str, Any]:
    def walk(
        command: Any, prefix: str
    ) -> dict[str, Any]:  # click commands (typer's, not imported: click is not declared)
        subs = getattr(command, "commands", None)
        if not subs:
            return {prefix.strip(): command}
        out: dict[str, Any] = {}
        for name, sub in subs.items():
            out.update(walk(sub, f"{prefix} {name}"))
        return out

    return walk(typer.main.get_command(app), "")


def run_main(args: list[str], capsys, monkeypatch) -> tuple[int, list[str]]:
    """``powderkeg ARGS`` as the installed script runs it: exit code and stderr's lines."""
    monkeypatch.setattr(sys, "argv", ["powderkeg", *args])
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main()
    return int(done.value.code or 0), capsys.readouterr().err.strip().splitlines()


def _args(command: str, db: str, tmp_path) -> list[str]:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "x"\nurl = "http://127.0.0.1:9/feed.xml"\n', "utf-8")
    args = [a.replace("SOURCES", str(sources)) for a in ARGS[command]]
    return [*command.split(), *args, "--db", db]


def test_every_db_command_is_covered():
    with_db = {name for name, c in _commands().items() if any(p.name == "db" for p in c.params)}
    assert with_db == set(ARGS)


@pytest.mark.parametrize("command", sorted(ARGS))
def test_bad_database_paths_are_one_coded_line(command, tmp_path, capsys, monkeypatch):
    missing = tmp_path / "nowhere" / "missing.duckdb"
    if command not in WRITES:
        code, err = run_main(_args(command, str(missing), tmp_path), capsys, monkeypatch)
        assert code == 2 and len(err) == 1 and err[0].startswith("powderkeg: [E002]"), err
        assert not missing.exists()
    code, err = run_main(_args(command, str(tmp_path), tmp_path), capsys, monkeypatch)
    assert code == 2 and len(err) == 1 and err[0].startswith("powderkeg: [E003]"), err
    junk = tmp_path / "notes.duckdb"
    junk.write_text("not a database\n" * 200, "utf-8")
    code, err = run_main(_args(command, str(junk), tmp_path), capsys, monkeypatch)
    assert code == 2 and len(err) == 1 and err[0].startswith("powderkeg: [E003]"), err


@pytest.fixture(scope="module")
def locked(tmp_path_factory):
    """A database another process writes and does not let go of."""
    db = tmp_path_factory.mktemp("locked") / "held.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield db, holder.pid
    holder.stdin.close()  # type: ignore[union-attr]
    holder.wait(timeout=30)


@pytest.mark.parametrize("command", sorted(ARGS))
def test_a_locked_database_is_one_coded_line_naming_the_process(
    command, locked, tmp_path, capsys, monkeypatch
):
    db, pid = locked
    monkeypatch.setenv("POWDERKEG_LOCK_WAIT", "0.3")
    started = time.monotonic()
    code, err = run_main(_args(command, str(db), tmp_path), capsys, monkeypatch)
    assert code == 2 and len(err) == 1 and err[0].startswith("powderkeg: [E204]"), err
    assert f"process {pid}" in err[0] and time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("args", "code", "start"),
    [
        (["actors", "import", "no-such-file.txt", "--out", "OUT"], 2, "powderkeg: [E005] cannot read no-such-file.txt"),
        (["gazetteer", "import", "no-such-dump.txt", "--gazetteer", "OUT/g.sqlite"], 2, "powderkeg: [E005]"),
        (["code", "no-such-records.jsonl"], 2, "powderkeg: [E005]"),
        (["geocode", "no-such-records.jsonl"], 2, "powderkeg: [E005]"),
        (["events", "--type", "ASSUALT", "--db", "DB"], 2, "powderkeg: [E601] unknown type 'ASSUALT'; did you mean ASSAULT?"),
        (["events", "--country", "Serbiaa", "--db", "DB"], 2, "powderkeg: [E601] unknown country 'Serbiaa'; did you mean Serbia (SRB)?"),
        (["fused", "--admin1", "Mitrovca", "--db", "DB"], 2, "powderkeg: [E601] unknown admin1 'Mitrovca'; did you mean Mitrovica"),
        (["tension", "region:western-balkan", "--db", "DB"], 2, "powderkeg: [E601] unknown region 'western-balkan'; did you mean western-balkans"),
        (["tension", "Serbia", "Kosovoo", "--db", "DB"], 2, "powderkeg: [E601] unknown country 'Kosovoo'; did you mean Kosovo (XKX)?"),
        (["brief", "--db", "DB"], 2, "powderkeg: [E601] give exactly one of: a dyad, --country"),
        (["brief", "SRB", "--country", "XKX", "--db", "DB"], 2, "powderkeg: [E601] give exactly one of"),
        (["brief", "SRB", "XKX", "ALB", "--db", "DB"], 2, "powderkeg: [E601] a dyad is two ISO3 codes, not 'SRB XKX ALB'"),
        (["backfill", "OUT", "--out", "OUT/lake", "--conf", "spark.x"], 2, "powderkeg: [E601] --conf 'spark.x' is not KEY=VALUE"),
    ],
)  # fmt: skip
def test_bad_names_and_files_are_one_coded_line(args, code, start, tmp_path, capsys, monkeypatch):
    from powderkeg import Store

    db = tmp_path / "pk.duckdb"
    Store(db).close()
    args = [a.replace("OUT", str(tmp_path)).replace("DB", str(db)) for a in args]
    got, err = run_main(args, capsys, monkeypatch)
    assert got == code and len(err) == 1 and err[0].startswith(start), err


def test_watch_help_shows_the_source_tables(capsys, monkeypatch):
    code, _ = run_main(["watch", "--help"], capsys, monkeypatch)
    monkeypatch.setattr(sys, "argv", ["powderkeg", "watch", "--help"])
    with pytest.raises(SystemExit):
        main()
    assert "[[source]]" in capsys.readouterr().out and code == 0
