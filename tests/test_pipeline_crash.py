"""SIGKILL `powderkeg run` mid-way and run it again: nothing lost, nothing doubled.

A run stores ``commit_every`` new documents per unit of work; a kill loses the documents
coded since the last unit (the next run codes them again) and leaves fusion to the next
run's catch-up. The end state must be the clean run's, count for count.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from .conftest import DEMO

pytestmark = pytest.mark.slow
LIMIT = 600  # seconds for one run, far beyond the ~30 s of a machine under load


def _corpus(folder: Path, n: int) -> None:
    """``n`` distinct documents: copies of the demo articles, each with a numbered first line."""
    folder.mkdir()
    sources = sorted(DEMO.glob("*.txt"))
    for i in range(n):
        head, sep, body = sources[i % len(sources)].read_text("utf-8").partition("\n---\n")
        (folder / f"{i:04d}.txt").write_text(f"{head}{sep}Bulletin {i}.\n{body}", "utf-8")


def _run(corpus: Path, db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "POWDERKEG_N_PROCESS": "1", "POWDERKEG_COMMIT_EVERY": "40"}
    return subprocess.Popen(
        [sys.executable, "-m", "powderkeg", "-v", "run", str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _state(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": con.execute("SELECT id, n_events FROM articles ORDER BY id").fetchall(),
            "events": con.execute("SELECT id, article_id FROM events ORDER BY id").fetchall(),
            "evidence": one("SELECT count(*) FROM evidence"),
            "quarantined": one("SELECT count(*) FROM quarantine"),
            # every counted report (public statements are never fused) in exactly one fused event
            "fusable": one(
                "SELECT count(*) FROM events WHERE factuality IN ('asserted', 'claimed') AND type <> 'STATEMENT'"
            ),
            "members": one("SELECT count(*) FROM fused_members"),
            "indexed": one("SELECT count(*) FROM fused_days d JOIN fused_members m USING (report_id)"),
            "in_fused_events": one("SELECT sum(n_reports) FROM fused_events"),
            "member_events": one("SELECT count(DISTINCT fused_id) FROM fused_members"),
            "fused_events": one("SELECT count(*) FROM fused_events"),
        }
    finally:
        con.close()


def test_a_run_killed_mid_way_and_run_again_stores_everything_once(tmp_path):
    n = 100
    _corpus(tmp_path / "in", n)
    clean = _run(tmp_path / "in", tmp_path / "clean.duckdb")
    _, err = clean.communicate(timeout=LIMIT)
    assert clean.returncode == 0, err
    expected = _state(tmp_path / "clean.duckdb")
    assert len(expected["articles"]) == n and expected["members"] == expected["fusable"] > n

    db = tmp_path / "killed.duckdb"
    killed = _run(tmp_path / "in", db)
    assert killed.stderr is not None
    stored = 0
    for line in killed.stderr:  # one line per document stored, once its unit is committed
        stored += " events, article " in line
        if stored == 1:
            killed.send_signal(signal.SIGKILL)  # mid-way: coding the next unit's documents
            break
    killed.wait(timeout=LIMIT)
    assert killed.returncode == -signal.SIGKILL
    partial = _state(db)
    assert 0 < len(partial["articles"]) < n  # a unit was committed, the rest was not

    again = _run(tmp_path / "in", db)
    _, err = again.communicate(timeout=LIMIT)
    assert again.returncode == 0, err
    state = _state(db)
    assert state["articles"] == expected["articles"] and state["events"] == expected["events"]
    for key in ("evidence", "quarantined", "fusable"):
        assert state[key] == expected[key], key
    assert state["members"] == state["indexed"] == state["in_fused_events"] == state["fusable"]
    assert state["member_events"] == state["fused_events"]  # no fused event left without reports
