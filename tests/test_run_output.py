"""What `powderkeg run` shows while it works: a bar with a rate and an ETA from 50 documents
on, and with -v one log line per file saying what became of it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from powderkeg.cli.run import PROGRESS_FROM, progress_bar


def _shown(total: int, done: int) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    with progress_bar(console, total) as progress:
        task = progress.add_task("coding", total=total)
        progress.advance(task, done)
        progress.refresh()
    return out.getvalue()


def test_a_bar_with_rate_and_eta_from_50_documents():
    shown = _shown(PROGRESS_FROM, 10)
    assert "articles/s" in shown and "ETA" in shown and f"10/{PROGRESS_FROM}" in shown


def test_no_bar_for_a_few_documents():
    assert _shown(PROGRESS_FROM - 1, 10) == ""


@pytest.mark.slow
def test_verbose_logs_each_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "---\npublished: 2024-03-04\n---\nProtesters blocked a road in Ruritania on Monday.\n", "utf-8"
    )
    (folder / "b.txt").write_text("", "utf-8")
    powderkeg = str(Path(sys.executable).parent / "powderkeg")
    args = [powderkeg, "-v", "run", str(folder), "--db", str(tmp_path / "x.duckdb")]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    lines = done.stderr.splitlines()
    assert any("a.txt" in line and "article" in line for line in lines), done.stderr
    assert any("b.txt" in line and "quarantined" in line and "E101" in line for line in lines), done.stderr
    quiet = subprocess.run(args[:1] + args[2:], capture_output=True, text=True, timeout=600)
    assert "a.txt" not in quiet.stderr  # without -v, no line per file (a.txt is now already stored)
