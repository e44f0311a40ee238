"""The CLI as a user runs it: run, events, show, code."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest
from typer.testing import CliRunner

from powderkeg.cli import app

from .conftest import DEMO

pytestmark = pytest.mark.slow  # every command here codes with the spaCy model

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    result = runner.invoke(app, ["run", str(DEMO), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "events added" in result.output and "quarantined" in result.output
    return path


def test_events_formats(db, tmp_path):
    table = runner.invoke(app, ["events", "--db", str(db)])
    assert table.exit_code == 0 and "ASSAULT" in table.output
    lines = runner.invoke(app, ["events", "--db", str(db), "--format", "contract", "--type", "ASSAULT"])
    events = [json.loads(line) for line in lines.output.splitlines()]
    assert events and {e["type"] for e in events} == {"ASSAULT"}
    contract = {
        "id",
        "type",
        "mode",
        "cameo",
        "acled_type",
        "quad_class",
        "score",
        "source",
        "target",
        "place",
        "date",
        "date_precision",
        "numbers",
        "factuality",
        "claimed_by",
        "article_id",
        "sentence",
        "spans",
        "rule",
        "confidence",
    }
    assert contract <= set(events[0])
    rows = list(
        csv.DictReader(
            io.StringIO(
                runner.invoke(app, ["events", "--db", str(db), "--format", "csv", "--country", "XKX"]).output
            )
        )
    )
    assert rows and all(
        "XKX" in (r["source_country"] + r["target_country"] + r["place_country"]) for r in rows
    )
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["events", "--db", str(db), "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    count = duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall()[0][0]
    assert count == len(
        runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl"]).output.splitlines()
    )


def test_events_rejects_bad_dates(db):
    result = runner.invoke(app, ["events", "--db", str(db), "--since", "last year"])
    assert result.exit_code != 0


def test_show_highlights_evidence(db):
    first = json.loads(
        runner.invoke(
            app, ["events", "--db", str(db), "--format", "contract", "--limit", "1"]
        ).output.splitlines()[0]
    )
    result = runner.invoke(app, ["show", first["id"][:10], "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert first["sentence"][:30] in result.output.replace("\n", " ")
    assert "trigger" in result.output and "rule:" in result.output
    as_json = json.loads(runner.invoke(app, ["show", first["id"], "--db", str(db), "--json"]).output)
    assert {e["field"] for e in as_json["evidence"]} >= {"trigger"}
    missing = runner.invoke(app, ["show", "nope", "--db", str(db)])
    assert missing.exit_code == 1


def test_code_writes_one_line_per_record_in_order(tmp_path):
    records = [
        {"id": "a", "text": "Serbian gunmen attacked Kosovo police near Banjska.", "date": "2023-09-24"},
        {"id": "b", "text": "The weather was fine."},
        {"id": "c", "text": "Serbian troops could attack Kosovo police."},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["code", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["a", "b", "c", "line-4"]
    assert lines[0]["events"][0]["type"] == "ASSAULT" and lines[0]["events"][0]["date"] == "2023-09-24"
    assert lines[1]["events"] == [] and lines[3]["events"] == []
    assert lines[2]["events"] == []  # hypothetical: only with --include-unconfirmed
    every = runner.invoke(app, ["code", str(src), "--include-unconfirmed"])
    assert json.loads(every.stdout.splitlines()[2])["events"][0]["factuality"] == "hypothetical"
