"""Articles without a publication date: their events keep no date, stay out of tension and
alerts, and `run` says how many there were; a date the user gives (--published, front matter,
a JSONL field) brings them in. The real CLI on a real DuckDB file."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from typer.testing import CliRunner

from powderkeg import Store
from powderkeg.cli import app

from .conftest import shared

pytestmark = pytest.mark.slow
runner = CliRunner()


def _run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _alert_days(db) -> list[str]:
    with Store(db, read_only=True) as store:
        return [str(r[0]) for r in store.con.execute("SELECT period FROM alerts ORDER BY 1").fetchall()]


def test_an_undated_article_raises_no_alert_and_run_says_it_had_no_date(tmp_path):
    seed = tmp_path / "seed.txt"
    shutil.copy(shared("corpus", "000_c1c670cd4088478c.txt"), seed)
    db = tmp_path / "undated.duckdb"
    out = _run("run", str(seed), "--alerts", "default", "--db", str(db))
    assert "1 article(s) had no publication date" in out and "left out of tension and alerts" in out
    assert _alert_days(db) == []
    assert "0 new alert(s)" in _run("alerts", "--db", str(db))
    tension = json.loads(_run("tension", "SRB", "XKX", "--json", "--db", str(db)) or "null")
    assert tension is None  # no reading at all: nothing is placed on the day it was ingested
    events = [json.loads(x) for x in _run("events", "-f", "contract", "--db", str(db)).splitlines()]
    undated = [e for e in events if e["date"] is None]
    assert undated and all(e["date_precision"] == "unknown" for e in undated)
    listed = _run("fused", "--db", str(db))
    assert "from undated articles: left out of tension and alerts" in listed

    dated = tmp_path / "dated.duckdb"
    out = _run("run", str(seed), "--alerts", "default", "--published", "2025-03-10", "--db", str(dated))
    assert "had no publication date" not in out
    days = _alert_days(dated)
    assert days and all("2025-03-01" <= d <= "2025-03-10" for d in days)
    assert str(dt.date.today()) not in days


def test_front_matter_and_jsonl_dates_count_and_published_fills_only_missing_ones(tmp_path):
    text = "Serbian troops attacked a Kosovo police post near Jarinje on Sunday, killing two officers."
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(f"---\npublished: 2023-10-02\n---\n\n{text}\n", "utf-8")
    (tmp_path / "in" / "b.jsonl").write_text(
        json.dumps({"id": "b", "published": "2023-10-03", "text": text.replace("two", "three")}) + "\n",
        "utf-8",
    )
    (tmp_path / "in" / "c.txt").write_text(text.replace("two", "four") + "\n", "utf-8")
    db = tmp_path / "pk.duckdb"
    out = _run("run", str(tmp_path / "in"), "--published", "2023-10-09", "--db", str(db))
    assert "had no publication date" not in out
    with Store(db, read_only=True) as store:
        published = dict(store.con.execute("SELECT id, CAST(published AS VARCHAR) FROM articles").fetchall())
        dates = {(published[e["article_id"]], e["date"]) for e in store.events() if e["type"] == "ASSAULT"}
    assert sorted(published.values()) == ["2023-10-02", "2023-10-03", "2023-10-09"]  # --published fills in
    # each Sunday counted back from its own article's date
    assert dates == {("2023-10-02", "2023-10-01"), ("2023-10-03", "2023-10-01"), ("2023-10-09", "2023-10-08")}
