"""`powderkeg backfill`: a Parquet lake by day, the same events as `code` and `run`, idempotent days,
bad records quarantined; the Spark engine (local[2]) writes what the local one writes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from powderkeg import Pipeline, Settings, Store
from powderkeg.backfill import backfill
from powderkeg.cli import app
from powderkeg.ingest import read_paths
from powderkeg.records import Article

from .conftest import DEMO

pytestmark = pytest.mark.slow

BAD = [
    '{"id": "empty", "published": "DAY", "text": ""}',
    "{this is not json",
    '{"id": "short", "published": "DAY", "text": "too short"}',
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The demo articles as JSONL records (two undated, two on one day), then three bad lines."""
    articles = [a for a in read_paths([DEMO], Settings()) if isinstance(a, Article)]
    path = tmp_path_factory.mktemp("backfill-in") / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n, a in enumerate(articles):
            when = articles[2].published if n == 1 else a.published  # the second shares the third's day
            published = when.isoformat() if when and n % 12 else None
            record = {
                "id": f"doc-{n}",
                "url": a.url,
                "title": a.title,
                "published": published,
                "text": a.text,
            }
            out.write(json.dumps(record) + "\n")
        out.write("\n".join(BAD).replace("DAY", articles[2].published.isoformat()) + "\n")
    return path


def _rows(lake: Path, table: str, columns: str = "*", where: str = "") -> list[tuple]:
    files = [str(p) for p in (lake / table).rglob("*.parquet")]
    if not files:
        return []
    sql = f"SELECT {columns} FROM read_parquet(?, hive_partitioning = true) {where} ORDER BY ALL"
    return duckdb.connect().execute(sql, [files]).fetchall()


def _events(lake: Path) -> dict[str, dict]:
    return {r[0]: json.loads(r[1]) for r in _rows(lake, "events", "id, record")}


@pytest.fixture(scope="module")
def local_lake(corpus, tmp_path_factory) -> Path:
    lake = tmp_path_factory.mktemp("lake") / "local"
    summary = backfill([str(corpus)], str(lake), Settings())
    assert (summary.documents, summary.articles, summary.quarantined) == (27, 24, 3)
    return lake


def test_the_lake_holds_the_stores_tables_by_day(local_lake):
    for table in ("articles", "events", "evidence", "quarantine"):
        days = {p.name for p in (local_lake / table).iterdir()}
        assert days and all(d.startswith("day=") for d in days), table
    assert (local_lake / "articles" / "day=__HIVE_DEFAULT_PARTITION__").is_dir()  # the undated ones
    # an article, its events and their evidence sit in one day
    for day in (p.name for p in (local_lake / "events").iterdir()):
        ids = {
            r[0] for r in _rows(local_lake, "articles", "id", f"WHERE day IS NOT DISTINCT FROM {_day(day)}")
        }
        of = {
            r[0]
            for r in _rows(local_lake, "events", "article_id", f"WHERE day IS NOT DISTINCT FROM {_day(day)}")
        }
        assert of <= ids
    codes = sorted(r[0] for r in _rows(local_lake, "quarantine", "code"))
    assert codes == ["E101", "E101", "E105"]  # empty, too short, not JSON: quarantined, not fatal


def _day(folder: str) -> str:
    value = folder.split("=", 1)[1]
    return "NULL" if value.startswith("__") else f"DATE '{value}'"


def test_events_in_the_lake_are_those_a_run_stores(local_lake, corpus, pipeline, tmp_path):
    with Store(tmp_path / "run.duckdb") as store:
        Pipeline(Settings(n_process=1), nlp=pipeline.nlp).run([corpus], store)
        stored = {
            r[0]: json.loads(r[1]) for r in store.con.execute("SELECT id, record FROM events").fetchall()
        }
    assert stored and _events(local_lake) == stored  # same ids, same contract


def test_events_in_the_lake_are_those_code_gives(local_lake, corpus, pipeline):
    """`powderkeg code` keys articles by the record's id, the lake (like the store) by the text's
    hash: everything else of each event is the same, record by record."""
    records = [json.loads(line) for line in corpus.read_text().splitlines()[:24]]
    coded = {
        r["id"]: sorted(_plain(e.to_dict()) for e in events)
        for r, events in Pipeline(Settings(n_process=1), nlp=pipeline.nlp).code_texts(records)
    }
    article_of = dict(_rows(local_lake, "articles", "id, record_id"))
    in_lake: dict[str, list[str]] = {}
    for record in _events(local_lake).values():
        in_lake.setdefault(article_of[record["article_id"]], []).append(_plain(record))
    assert sum(len(v) for v in coded.values()) > 50
    assert {k: sorted(v) for k, v in in_lake.items()} == {k: v for k, v in coded.items() if v}


def _plain(event: dict) -> str:
    """An event without its ids: type, mode, actors, spans, sentence, date, ..."""
    return json.dumps({k: v for k, v in event.items() if k not in ("id", "article_id")}, sort_keys=True)


def test_rerunning_a_day_replaces_it_and_leaves_the_others(local_lake, corpus, tmp_path):
    lake = tmp_path / "lake"
    shutil.copytree(local_lake, lake)
    before = {t: len(_rows(lake, t)) for t in ("articles", "events", "evidence", "quarantine")}
    backfill([str(corpus)], str(lake), Settings())  # the same input again: nothing doubles
    assert {t: len(_rows(lake, t)) for t in before} == before
    # one day again, with one of its two articles: that day now holds that one; the rest stays
    records = [json.loads(line) for line in corpus.read_text().splitlines()[:24]]
    day = records[2]["published"]  # the fixture gives the second record this day too
    that_day = [r for r in records if r["published"] == day]
    assert len(that_day) >= 2
    (tmp_path / "again.jsonl").write_text(json.dumps(that_day[0]) + "\n")
    backfill([str(tmp_path / "again.jsonl")], str(lake), Settings())
    assert [r[0] for r in _rows(lake, "articles", "record_id", f"WHERE day = DATE '{day}'")] == [
        that_day[0]["id"]
    ]
    assert not _rows(
        lake, "quarantine", "id", f"WHERE day = DATE '{day}'"
    )  # the day's old quarantine went too
    others = f"WHERE day IS NULL OR day <> DATE '{day}'"
    assert len(_rows(lake, "articles", "id", others)) == before["articles"] - len(that_day)


def test_parquet_input_gives_the_same_lake(local_lake, corpus, tmp_path):
    source = tmp_path / "in.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT id, url, title, CAST(published AS DATE) AS published, text FROM read_json(?, "
        "columns = {id: 'VARCHAR', url: 'VARCHAR', title: 'VARCHAR', published: 'VARCHAR', text: 'VARCHAR'}, "
        "ignore_errors = true) WHERE text IS NOT NULL) TO '" + str(source) + "' (FORMAT parquet)",
        [str(corpus)],
    )
    lake = tmp_path / "lake"
    backfill([str(source)], str(lake), Settings())
    assert _events(lake) == _events(local_lake)


def test_events_and_tension_read_a_lake(local_lake, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runner = CliRunner()
    listed = runner.invoke(app, ["events", "--lake", str(local_lake), "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    ids = {json.loads(line)["id"] for line in listed.output.splitlines() if line.startswith("{")}
    counted = {i for i, e in _events(local_lake).items() if e["factuality"] in ("asserted", "claimed")}
    assert ids == counted
    # the filters and exports of `events` and `fused` read the lake's database as they read a store
    acled = runner.invoke(
        app, ["events", "--lake", str(local_lake), "--country", "Kosovo", "--format", "acled"]
    )
    assert acled.exit_code == 0, acled.output
    assert acled.output.startswith("event_id_cnty,event_date,") and "Kosovo" in acled.output
    fused = runner.invoke(
        app, ["fused", "--lake", str(local_lake), "--dyad", "SRB-XKX", "--format", "geojson"]
    )
    assert fused.exit_code == 0, fused.output
    assert json.loads(fused.output)["features"]
    tension = runner.invoke(
        app, ["tension", "SRB", "XKX", "--lake", str(local_lake), "--since", "2023-05-01", "--json"]
    )
    assert tension.exit_code == 0, tension.output
    assert any(
        json.loads(line).get("escalating") for line in tension.output.splitlines() if line.startswith("{")
    )
    # the lake's database is built once per state of the lake, fused: `show` finds a fused event
    assert len(list((tmp_path / "cache" / "powderkeg" / "lakes").glob("*.duckdb"))) == 1
    database = next((tmp_path / "cache" / "powderkeg" / "lakes").glob("*.duckdb"))
    first = (
        duckdb.connect(str(database), read_only=True).execute("SELECT min(id) FROM fused_events").fetchone()
    )
    assert first and first[0].startswith("F")
    shown = runner.invoke(app, ["show", first[0], "--lake", str(local_lake), "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["reports"]


def test_the_backfill_command(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("POWDERKEG_N_PROCESS", "1")
    runner = CliRunner()
    two = tmp_path / "two.jsonl"
    two.write_text("\n".join(corpus.read_text().splitlines()[2:3] + ["{broken"]) + "\n")
    done = runner.invoke(app, ["backfill", str(two), "--out", str(tmp_path / "lake")])
    assert done.exit_code == 0, done.output
    assert "2 documents: 1 articles" in done.output and "1 quarantined" in done.output
    assert _rows(tmp_path / "lake", "articles", "record_id") == [("doc-2",)]
    wrong = runner.invoke(app, ["backfill", str(two), "--out", str(tmp_path / "x"), "--engine", "dask"])
    assert "unknown engine" in str(wrong.exception) and "--engine spark" in wrong.exception.remedy
    conf = runner.invoke(app, ["backfill", str(two), "--out", "x", "--engine", "spark", "--conf", "spark.x"])
    assert "KEY=VALUE" in str(conf.exception) and "--conf" in conf.exception.remedy


# -- Spark (local[2]): Java from Debian and pyspark from the `spark` extra, both installed by `make test`


def _spark_ready() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


@pytest.fixture(scope="module")
def spark():
    if not _spark_ready():
        if os.environ.get("CI"):
            pytest.fail("the Spark tests need pyspark and java (make test installs both)")
        pytest.skip("pyspark or java missing (make test installs both)")
    from powderkeg.backfill.spark import session

    spark = session("local[2]", "powderkeg tests")
    yield spark
    spark.stop()


def test_spark_writes_the_lake_the_local_engine_writes(spark, local_lake, corpus, tmp_path):
    from powderkeg.backfill.spark import run_spark

    lake = tmp_path / "spark"
    summary = run_spark([str(corpus)], str(lake), Settings(), "local[2]", spark=spark)
    assert (summary.documents, summary.articles, summary.quarantined) == (27, 24, 3)
    assert _events(lake) == _events(local_lake)  # ids, types, actors, spans: every field
    for table in ("articles", "evidence"):
        columns = "id, text" if table == "articles" else "event_id, field, start_char, end_char, text"
        assert _rows(lake, table, columns) == _rows(local_lake, table, columns), table
    assert sorted(r[0] for r in _rows(lake, "quarantine", "code")) == ["E101", "E101", "E105"]
    # run again with one article of one day: that day is replaced, in every table, and nothing doubles
    first = json.loads(corpus.read_text().splitlines()[1])
    day = first["published"]
    (tmp_path / "again.jsonl").write_text(json.dumps(first) + "\n")
    run_spark([str(tmp_path / "again.jsonl")], str(lake), Settings(), "local[2]", spark=spark)
    assert [r[0] for r in _rows(lake, "articles", "record_id", f"WHERE day = DATE '{day}'")] == [first["id"]]
    assert not _rows(lake, "quarantine", "id", f"WHERE day = DATE '{day}'")
    others = f"WHERE day IS NULL OR day <> DATE '{day}'"
    assert _rows(lake, "events", "id", others) == _rows(local_lake, "events", "id", others)


def test_an_article_twice_in_the_lake_has_its_evidence_once(local_lake, tmp_path, monkeypatch):
    """The store's evidence table has no key (schema step 6): a lake read back keeps one row per
    event and field when its articles are in it twice (two records with the same text)."""
    from powderkeg.backfill.lake import lake_database

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lake = tmp_path / "twice"
    shutil.copytree(local_lake, lake)
    for table in ("articles", "events", "evidence"):
        for path in list((lake / table).rglob("*.parquet")):
            shutil.copy(path, path.with_name(f"again-{path.name}"))
    columns = "event_id, field, start_char, end_char, text"
    with Store(lake_database(lake), read_only=True) as store:
        rows = store.con.execute(f"SELECT {columns} FROM evidence ORDER BY ALL").fetchall()
        events = store.counts().events
    assert rows == sorted(set(_rows(local_lake, "evidence", columns))) and len(rows) > events
    assert events == len(_events(local_lake))


def test_a_lake_read_back_numbers_its_articles_and_finds_each_events_evidence(
    local_lake, tmp_path, monkeypatch
):
    """The store reads an event's evidence by its article's number (``seq``, schema step 7): the
    database built from a lake numbers its articles and gives their events and evidence the number."""
    from powderkeg.backfill.lake import lake_database

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with Store(lake_database(local_lake), read_only=True) as store:
        con = store.con
        numbers = [r[0] for r in con.execute("SELECT seq FROM articles ORDER BY rowid").fetchall()]
        assert numbers == list(range(1, len(numbers) + 1)) and numbers
        unnumbered = con.execute(
            "SELECT (SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id"
            " WHERE e.seq IS DISTINCT FROM a.seq),"
            " (SELECT count(*) FROM evidence v LEFT JOIN events e ON e.id = v.event_id"
            " WHERE v.seq IS DISTINCT FROM e.seq)"
        ).fetchone()
        assert unnumbered == (0, 0)
        event_id, count = con.execute(
            "SELECT event_id, count(*) FROM evidence GROUP BY event_id ORDER BY event_id LIMIT 1"
        ).fetchone()
        assert len(store.evidence(event_id)) == count > 0


def test_a_lake_read_back_stores_each_articles_rows_together_in_publication_order(
    local_lake, tmp_path, monkeypatch
):
    """The database built from a lake holds its rows as a run in date order would have written
    them: articles by publication, then each article's events and their evidence in its number's
    order, so that reads by number find an article's rows together (the Parquet files' own order
    is by partition and task)."""
    from powderkeg.backfill.lake import lake_database

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with Store(lake_database(local_lake), read_only=True) as store:
        con = store.con
        published = [r[0] for r in con.execute("SELECT published FROM articles ORDER BY rowid").fetchall()]
        dated = [p for p in published if p is not None]
        assert dated == sorted(dated) and published[: len(dated)] == dated
        for table in ("events", "evidence"):
            numbers = [r[0] for r in con.execute(f"SELECT seq FROM {table} ORDER BY rowid").fetchall()]
            assert numbers == sorted(numbers) and len(set(numbers)) > 1
