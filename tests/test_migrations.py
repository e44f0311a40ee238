"""Versioned migrations: a database written by an older powderkeg is upgraded, step by step, without loss."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from powderkeg import Store
from powderkeg.errors import StoreError
from powderkeg.store import EventQuery
from powderkeg.store.duckdb import EVENT_COLUMNS
from powderkeg.store.migrations import SCHEMA_VERSION, STEPS

# made by `powderkeg run --alerts default` at commit 3d6a20f (schema version 1) on five demo
# articles and an empty file, plus one watched source and entry
V1 = Path(__file__).parent / "data" / "store-v1-3d6a20f.duckdb.gz"
TABLES = [
    "articles", "events", "evidence", "quarantine", "fused_events", "fused_members", "fuse_log",
    "fuse_blocks", "alerts", "sources", "source_entries", "source_fetches", "article_minhash",
]  # fmt: skip


@pytest.fixture()
def v1_db(tmp_path):
    db = tmp_path / "old.duckdb"
    with gzip.open(V1) as packed, db.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return db


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    out = {}
    for table in TABLES:
        # record: rewritten by step 2; seq: added by step 7 (its own test below)
        columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in ("record", "seq")]
        out[table] = sorted(map(repr, con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()))
    return out


def _version(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])


def test_a_version_1_database_is_upgraded_without_loss(v1_db):
    con = duckdb.connect(str(v1_db))
    assert _version(con) == 1
    before = _snapshot(con)
    old_records = dict(con.execute("SELECT id, record FROM events").fetchall())
    con.close()
    assert sum(map(len, before.values())) > 100 and all(before[t] for t in ("events", "alerts", "sources"))

    with Store(v1_db) as store:
        assert _version(store.con) == SCHEMA_VERSION > 1
        assert _snapshot(store.con) == before  # every row of every table kept
        events = {e["id"]: e for e in store.events(EventQuery(include_unconfirmed=True))}
    assert events.keys() == old_records.keys()
    for event_id, record in old_records.items():
        old, new = json.loads(record), events[event_id]
        for side in ("source", "target"):
            assert isinstance(new[side], list)
            was = old[side] if isinstance(old[side], list) else [old[side]] if old[side] else []
            assert new[side] == was
        assert {k: v for k, v in new.items() if k not in ("source", "target")} == {
            k: v for k, v in old.items() if k not in ("source", "target")
        }
    with Store(v1_db) as again:  # opening an upgraded file changes nothing
        assert _version(again.con) == SCHEMA_VERSION and _snapshot(again.con) == before


def test_the_upgraded_database_takes_new_articles_and_fuses_them(v1_db, pipeline, tmp_path):
    from .conftest import DEMO

    (tmp_path / "in").mkdir()
    shutil.copy(DEMO / "09_serbia-frees-kosovo-officers.txt", tmp_path / "in")
    with Store(v1_db) as store:
        fused_before = store.con.execute("SELECT count(*) FROM fused_members").fetchone()[0]
        summary = pipeline.run([tmp_path / "in"], store)
        assert summary.articles_new == 1 and summary.fused_touched > 0
        assert store.con.execute("SELECT count(*) FROM fused_members").fetchone()[0] > fused_before


def test_each_step_runs_once_in_order(tmp_path):
    assert [s.version for s in STEPS] == list(range(1, SCHEMA_VERSION + 1))
    with Store(tmp_path / "new.duckdb") as store:
        assert _version(store.con) == SCHEMA_VERSION
        applied = store.con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert [v for (v,) in applied] == [s.version for s in STEPS]


def test_a_database_from_a_newer_powderkeg_is_refused(tmp_path):
    db = tmp_path / "future.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match="newer") as info:
        Store(db)
    assert info.value.remedy


def test_an_old_database_opened_read_only_says_how_to_upgrade(v1_db):
    with pytest.raises(StoreError, match="version 1") as info:
        Store(v1_db, read_only=True)
    assert "powderkeg migrate" in info.value.remedy


def test_every_schema_file_belongs_to_a_step():
    folder = Path(__file__).parent.parent / "powderkeg" / "store"
    files = {p.name for p in folder.rglob("*.sql")}
    used = {name for step in STEPS for name in step.files}
    assert files == used


def test_migrate_command_upgrades_then_has_nothing_to_do(v1_db):
    from typer.testing import CliRunner

    from powderkeg.cli import app

    first = CliRunner().invoke(app, ["migrate", "--db", str(v1_db)])
    assert first.exit_code == 0 and f"schema version 1 -> {SCHEMA_VERSION}" in first.output
    again = CliRunner().invoke(app, ["migrate", "--db", str(v1_db)])
    assert again.exit_code == 0 and "nothing to do" in again.output
    shown = CliRunner().invoke(app, ["events", "--db", str(v1_db), "--format", "contract"])
    assert shown.exit_code == 0 and all(
        isinstance(json.loads(line)["source"], list) for line in shown.output.splitlines()
    )


def _three_articles(db: Path) -> Path:
    """A store at ``db`` of three articles, each with two events and their evidence."""
    from .fusion_helpers import article, event

    with Store(db) as store:
        for name in ("first", "second", "third"):
            told = article(name)
            store.add_many([(told, [event(told, "ASSAULT", "SRB", "NATO", "2023-05-29"),
                                    event(told, "PROTEST", "SRB", "", "2023-05-30", start=9)])])  # fmt: skip
    return db


def _before_step_13(con: duckdb.DuckDBPyConnection) -> None:
    """Undo step 13 on ``con``'s store: fused events keyed by id alone, without ``seq``."""
    con.execute("CREATE TEMP TABLE kept AS SELECT * EXCLUDE (seq) FROM fused_events ORDER BY rowid")
    con.execute("DROP TABLE fused_events")
    columns = con.execute("DESCRIBE kept").fetchall()
    con.execute(
        "CREATE TABLE fused_events (id VARCHAR PRIMARY KEY, "
        + ", ".join(f"{c[0]} {c[1]}" + (" NOT NULL" if c[0] == "type" else "") for c in columns[1:])
        + ")"
    )
    con.execute("ALTER TABLE fused_events ALTER updated_at SET DEFAULT current_timestamp")
    con.execute("INSERT INTO fused_events SELECT * FROM kept ORDER BY rowid")
    con.execute("DROP TABLE kept")


def _before_step_12(con: duckdb.DuckDBPyConnection) -> None:
    """Undo step 12 on ``con``'s store: fused members keyed by report id alone, without ``seq``."""
    con.execute("CREATE TEMP TABLE kept AS SELECT * EXCLUDE (seq) FROM fused_members ORDER BY rowid")
    con.execute("DROP TABLE fused_members")
    con.execute(
        "CREATE TABLE fused_members (report_id VARCHAR PRIMARY KEY, fused_id VARCHAR NOT NULL,"
        " article_id VARCHAR NOT NULL, how VARCHAR, score DOUBLE, reason VARCHAR,"
        " logged_at TIMESTAMP DEFAULT current_timestamp)"
    )
    con.execute("INSERT INTO fused_members SELECT * FROM kept ORDER BY rowid")
    con.execute("DROP TABLE kept")


def _before_step_11(con: duckdb.DuckDBPyConnection) -> None:
    """Undo step 11 on ``con``'s store: events keyed by id alone, ``seq`` a plain column."""
    con.execute("CREATE TEMP TABLE kept AS SELECT * FROM events ORDER BY rowid")
    columns = con.execute("SELECT column_name, column_type FROM (DESCRIBE kept)").fetchall()
    con.execute("DROP TABLE events")
    defined = {"id": "VARCHAR PRIMARY KEY", "article_id": "VARCHAR NOT NULL", "type": "VARCHAR NOT NULL",
               "created_at": "TIMESTAMP DEFAULT current_timestamp"}  # fmt: skip
    con.execute(f"CREATE TABLE events ({', '.join(f'{n} {defined.get(n, t)}' for n, t in columns)})")
    con.execute("INSERT INTO events SELECT * FROM kept ORDER BY rowid")
    con.execute("DROP TABLE kept")


def _before_step_7(con: duckdb.DuckDBPyConnection) -> None:
    """Undo step 7 on ``con``'s store: no ``seq`` columns, the indexes on events' date and evidence's event."""
    _before_step_13(con)  # (DuckDB drops no column of a table's key)
    _before_step_12(con)
    _before_step_11(con)
    con.execute("DROP INDEX IF EXISTS events_article")  # (DuckDB alters no table that has an index)
    for table in ("articles", "events", "evidence"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN seq")
    con.execute("CREATE INDEX events_article ON events (article_id)")
    con.execute("CREATE INDEX events_date ON events (date)")
    con.execute("CREATE INDEX evidence_event ON evidence (event_id)")


def test_a_version_5_store_loses_the_evidence_key_and_keeps_every_row(tmp_path):
    """Step 6 builds the evidence table anew without its key (event_id, field): the same rows in
    the same order, the index reads find an event's evidence by made again, the other tables as
    they were."""
    db = _three_articles(tmp_path / "v5.duckdb")
    con = duckdb.connect(str(db))  # back to version 5: the evidence table as step 1 made it
    _before_step_7(con)
    rows = con.execute("SELECT rowid, * FROM evidence ORDER BY rowid").fetchall()
    con.execute("CREATE TEMP TABLE kept AS SELECT * FROM evidence ORDER BY rowid")
    con.execute("DROP TABLE evidence")
    con.execute(
        "CREATE TABLE evidence (event_id VARCHAR NOT NULL, field VARCHAR NOT NULL, start_char INTEGER,"
        " end_char INTEGER, text VARCHAR, PRIMARY KEY (event_id, field))"
    )
    con.execute("INSERT INTO evidence SELECT * FROM kept")
    con.execute("CREATE INDEX evidence_event ON evidence (event_id)")
    con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    con.execute("DELETE FROM schema_migrations WHERE version > 5")
    before = _snapshot(con)
    con.close()
    assert len(rows) >= 6
    old = tmp_path / "old.duckdb"  # another path: another Access, not yet migrated in this process
    shutil.copy(db, old)

    with Store(old) as store:
        assert store.migrated == (5, SCHEMA_VERSION)
        assert (
            store.con.execute("SELECT rowid, * EXCLUDE (seq) FROM evidence ORDER BY rowid").fetchall() == rows
        )
        assert _snapshot(store.con) == before
        kinds = store.con.execute(
            "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'evidence'"
        ).fetchall()
        assert ("PRIMARY KEY",) not in kinds and ("NOT NULL",) in kinds
        indexes = store.con.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'evidence'")
        assert indexes.fetchall() == []  # made again by step 6, dropped by step 7
        first = rows[0][1]
        assert len(store.evidence(first)) == sum(r[1] == first for r in rows) > 0


def test_a_version_6_store_is_numbered_by_article_without_two_indexes(tmp_path):
    """Step 7 numbers the articles in the order they were stored and gives each event and each
    evidence row its article's number (``seq``), drops the indexes on events' date and on evidence's
    event (not the one on events' article), and keeps every row in its order; reads by the number find the same rows,
    and new articles are numbered on from the last."""
    from .fusion_helpers import article, event

    db = _three_articles(tmp_path / "v6.duckdb")
    con = duckdb.connect(str(db))  # back to version 6: no seq, the two indexes
    _before_step_7(con)
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    con.execute("DELETE FROM schema_migrations WHERE version > 6")
    rows = {
        t: con.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
        for t in ("articles", "events", "evidence")
    }
    order = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY rowid").fetchall()]
    con.close()
    assert len(order) == 3 and len(rows["evidence"]) >= 6
    old = tmp_path / "old.duckdb"  # another path: another Access, not yet migrated in this process
    shutil.copy(db, old)

    with Store(old) as store:
        assert store.migrated == (6, SCHEMA_VERSION)
        con = store.con
        for table, kept in rows.items():  # every row in its place, seq the last column
            now = con.execute(f"SELECT rowid, * EXCLUDE (seq) FROM {table} ORDER BY rowid").fetchall()
            assert now == kept
        numbers = dict(con.execute("SELECT id, seq FROM articles").fetchall())
        assert [numbers[a] for a in order] == [1, 2, 3]
        wrong = con.execute(
            "SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id WHERE e.seq IS DISTINCT FROM a.seq"
        ).fetchone()
        assert wrong == (0,)
        wrong = con.execute(
            "SELECT count(*) FROM evidence v JOIN events e ON e.id = v.event_id WHERE v.seq IS DISTINCT FROM e.seq"
        ).fetchone()
        assert wrong == (0,)
        indexes = con.execute(
            "SELECT index_name FROM duckdb_indexes() WHERE table_name IN ('events', 'evidence')"
        )
        assert indexes.fetchall() == []  # step 9 drops events_article: reads go by seq
        first = rows["evidence"][0][1]
        assert len(store.evidence(first)) == sum(r[1] == first for r in rows["evidence"]) > 0
        told = article("fourth")
        store.add_many([(told, [event(told, "ASSAULT", "SRB", "NATO", "2023-06-01")])])
        assert con.execute("SELECT seq FROM articles WHERE id = ?", [told.id]).fetchone() == (4,)
        assert con.execute(
            "SELECT DISTINCT seq FROM evidence WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
            [told.id],
        ).fetchall() == [(4,)]


def _fused_store(db: Path) -> Path:
    """``_three_articles`` fused: reports fused together, in fused_days and the log."""
    from powderkeg.fuse import fuse

    with Store(_three_articles(db)) as store:
        fuse(store.con)
    return db


def _back_to(con: duckdb.DuckDBPyConnection, version: int) -> None:
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    con.execute("DELETE FROM schema_migrations WHERE version > ?", [version])


def _before_step_10(con: duckdb.DuckDBPyConnection) -> None:
    """Undo step 10 on ``con``'s store: fused_days keyed by report, with each report's fused id."""
    con.execute(
        "CREATE TEMP TABLE kept AS SELECT d.report_id, m.fused_id, d.type, d.day, d.dated"
        " FROM fused_days d JOIN fused_members m ON m.report_id = d.report_id ORDER BY d.rowid"
    )
    con.execute("DROP TABLE fused_days")
    con.execute(
        "CREATE TABLE fused_days (report_id VARCHAR PRIMARY KEY, fused_id VARCHAR NOT NULL,"
        " type VARCHAR NOT NULL, day DATE NOT NULL, dated BOOLEAN NOT NULL)"
    )
    con.execute("INSERT INTO fused_days SELECT * FROM kept ORDER BY rowid")
    con.execute("DROP TABLE kept")


def _before_step_8(con: duckdb.DuckDBPyConnection) -> None:
    """Undo step 8 on ``con``'s store: the three indexes on the fused tables."""
    con.execute("CREATE INDEX fused_date ON fused_events (date)")
    con.execute("CREATE INDEX fused_members_fused ON fused_members (fused_id)")
    con.execute("CREATE INDEX fuse_log_fused ON fuse_log (fused_id)")


def _layout(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], ...]:
    """A store's tables' columns, constraints and indexes."""
    return (
        con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall(),
        con.execute(
            "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()"
            " ORDER BY ALL"
        ).fetchall(),
        con.execute("SELECT index_name, table_name, sql FROM duckdb_indexes() ORDER BY ALL").fetchall(),
    )


def _old_and_fresh(db: Path, tmp_path: Path) -> tuple[Path, tuple[list[tuple], ...]]:
    """``db`` copied to another path (another Access, not yet migrated in this process), and the
    layout of a new store to compare the upgraded one with."""
    old = tmp_path / "old.duckdb"
    shutil.copy(db, old)
    with Store(tmp_path / "fresh.duckdb") as store:
        return old, _layout(store.con)


def test_a_version_7_store_loses_three_indexes_on_the_fused_tables(tmp_path):
    """Step 8 drops the indexes on fused events' date and on members' and log's fused id: the
    store then has the layout of a new one, every row as it was, and reads a fused event's
    members and log as before."""
    from powderkeg.store.fused import FuseTables

    db = _fused_store(tmp_path / "v7.duckdb")
    con = duckdb.connect(str(db))  # back to version 7
    _before_step_13(con)
    _before_step_12(con)
    _before_step_11(con)
    _before_step_10(con)
    _before_step_9(con)
    _before_step_8(con)
    _back_to(con, 7)
    before = _snapshot(con)
    days = con.execute("SELECT rowid, report_id, type, day, dated FROM fused_days ORDER BY rowid").fetchall()
    biggest = con.execute(
        "SELECT fused_id FROM fused_members GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    assert biggest is not None
    log = FuseTables(con).log(biggest[0])
    con.close()
    old, fresh = _old_and_fresh(db, tmp_path)

    with Store(old) as store:
        con = store.con
        assert store.migrated == (7, SCHEMA_VERSION)
        assert _snapshot(con) == before
        assert con.execute("SELECT rowid, * FROM fused_days ORDER BY rowid").fetchall() == days
        assert _layout(con) == fresh
        assert {i[0] for i in fresh[2]} == {"source_entries_article"}
        assert FuseTables(con).log(biggest[0]) == log and len(log) > 1


def _before_step_9(con: duckdb.DuckDBPyConnection) -> None:
    """Undo step 9 on ``con``'s store: the index on events' article."""
    con.execute("CREATE INDEX events_article ON events (article_id)")


def test_a_version_8_store_loses_the_index_on_events_article_and_reads_by_number(tmp_path):
    """Step 9 drops ``events_article``; every row stays, and an article's events are still found,
    by the filters and by fusion, through the number its events carry."""
    from powderkeg.fuse import fuse

    db = _three_articles(tmp_path / "v8.duckdb")
    con = duckdb.connect(str(db))  # back to version 8: the index on events' article
    _before_step_13(con)
    _before_step_12(con)
    _before_step_11(con)
    _before_step_10(con)
    _before_step_9(con)
    _back_to(con, 8)
    tables = ("articles", "events", "evidence")
    before = {t: con.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    articles = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY seq").fetchall()]
    con.close()
    old = tmp_path / "old.duckdb"
    shutil.copy(db, old)

    with Store(old) as store:
        assert store.migrated == (8, SCHEMA_VERSION)
        indexes = store.con.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'events'")
        assert indexes.fetchall() == []
        for table, kept in before.items():
            assert store.con.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall() == kept
        for article_id in articles:
            found = list(store.events(EventQuery(article_id=article_id, include_unconfirmed=True)))
            assert len(found) == 2 and {e["article_id"] for e in found} == {article_id}
        fuse(store.con)
        fused = store.con.execute("SELECT count(DISTINCT article_id) FROM fused_members").fetchone()
        assert fused == (3,)


def test_a_version_9_store_keeps_each_reports_day_row_without_its_fused_id_nor_key(tmp_path):
    """Step 10 builds fused_days anew without ``fused_id`` and without its key (each report's
    type and day, in the same order): the store then has the layout of a new one, every other
    table as it was, and fusion, an unmerge and fusion again leave one fused_days row per fused
    report, whose fused event fused_members holds."""
    from powderkeg.fuse import fuse, unmerge

    from .fusion_helpers import article, event

    db = _fused_store(tmp_path / "v9.duckdb")
    con = duckdb.connect(str(db))  # back to version 9
    _before_step_13(con)
    _before_step_12(con)
    _before_step_11(con)
    _before_step_10(con)
    _back_to(con, 9)
    days = con.execute("SELECT rowid, report_id, type, day, dated FROM fused_days ORDER BY rowid").fetchall()
    before = _snapshot(con)
    con.close()
    assert len(days) >= 6
    old, fresh = _old_and_fresh(db, tmp_path)

    with Store(old) as store:
        con = store.con
        assert store.migrated == (9, SCHEMA_VERSION)
        assert con.execute("SELECT rowid, * FROM fused_days ORDER BY rowid").fetchall() == days
        assert _snapshot(con) == before
        assert _layout(con) == fresh
        assert [c[1] for c in fresh[0] if c[0] == "fused_days"] == ["report_id", "type", "day", "dated"]
        assert not [c for c in fresh[1] if c[0] == "fused_days" and c[1] == "PRIMARY KEY"]
        told = article("fourth")
        store.add_many([(told, [event(told, "ASSAULT", "SRB", "NATO", "2023-05-29")])])
        fuse(con, [told.id])
        biggest = con.execute("SELECT fused_id FROM fused_members GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        assert unmerge(con, biggest.fetchone()[0])  # type: ignore[index]
        fuse(con)
        twice = con.execute("SELECT report_id FROM fused_days GROUP BY 1 HAVING count(*) > 1").fetchall()
        assert twice == []
        assert (
            con.execute("SELECT report_id FROM fused_days ORDER BY 1").fetchall()
            == con.execute("SELECT report_id FROM fused_members ORDER BY 1").fetchall()
        )
        assert len(days) < con.execute("SELECT count(*) FROM fused_days").fetchone()[0]  # type: ignore[index]


def test_a_version_10_store_keys_its_events_by_number_and_id_and_keeps_every_row(tmp_path):
    """Step 11 builds the events table anew keyed by (seq, id) instead of id, every row as it was
    and in its order (an event with no number, its article not stored, numbered 0): the store then
    has the layout of a new one, an event is read by its id alone with its evidence, a new article's
    events are numbered on from the last, and the same article stored again adds nothing."""
    from powderkeg.fuse import fuse

    from .fusion_helpers import article, event

    db = _fused_store(tmp_path / "v10.duckdb")
    con = duckdb.connect(str(db))  # back to version 10: events keyed by id
    _before_step_13(con)
    _before_step_12(con)
    _before_step_11(con)
    _back_to(con, 10)
    assert con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints()"
        " WHERE table_name = 'events' AND constraint_type = 'PRIMARY KEY'"
    ).fetchall() == [(["id"],)]
    rest = EVENT_COLUMNS.split(",", 1)[1]
    con.execute(  # an event whose article is not stored: no number (step 7 numbered events by article)
        f"INSERT INTO events ({EVENT_COLUMNS}, seq) SELECT 'lone-event', {rest}, NULL"
        " FROM events ORDER BY rowid LIMIT 1"
    )
    events = con.execute("SELECT rowid, * EXCLUDE (seq), seq FROM events ORDER BY rowid").fetchall()
    before = _snapshot(con)
    con.close()
    assert len(events) == 7
    old, fresh = _old_and_fresh(db, tmp_path)

    with Store(old) as store:
        con = store.con
        assert store.migrated == (10, SCHEMA_VERSION)
        assert _layout(con) == fresh
        assert [c[2] for c in fresh[1] if c[0] == "events" and c[1] == "PRIMARY KEY"] == [["seq", "id"]]
        now = con.execute("SELECT rowid, * EXCLUDE (seq), seq FROM events ORDER BY rowid").fetchall()
        assert now == [(0, *events[-1][1:-1], 0)] + [(r[0] + 1, *r[1:]) for r in events[:-1]]  # seq order
        assert _snapshot(con) == before
        first = events[0][1]
        assert store.event(first) is not None and store.event("lone-event") is not None
        assert len(store.evidence(first)) == con.execute(
            "SELECT count(*) FROM evidence WHERE event_id = ?", [first]
        ).fetchone()[0] > 0  # fmt: skip
        told = article("fourth")
        stored = [(told, [event(told, "ASSAULT", "SRB", "NATO", "2023-06-01")])]
        assert store.add_many(stored) == {told.id}
        counts = store.counts()
        assert store.add_many(stored) == set() and store.counts() == counts
        numbers = con.execute("SELECT DISTINCT seq FROM events WHERE article_id = ?", [told.id])
        assert numbers.fetchall() == [(4,)]
        fuse(con, [told.id])
        fused = con.execute("SELECT count(*) FROM fused_members WHERE article_id = ?", [told.id])
        assert fused.fetchone() == (1,)


def test_a_version_11_store_keys_its_fused_members_by_number_and_report_and_keeps_every_row(tmp_path):
    """Step 12 builds fused_members anew keyed by (seq, report_id) instead of report_id, each row
    given its article's number and copied in number order (a member whose article is not stored
    numbered 0): the store then has the layout of a new one, fusion of a new article numbers its
    members on, an unmerge moves reports in place (one row each), and a re-run adds nothing."""
    from powderkeg.fuse import fuse, unmerge

    from .fusion_helpers import article, event

    db = _fused_store(tmp_path / "v11.duckdb")
    con = duckdb.connect(str(db))  # back to version 11: fused members keyed by report id
    _before_step_13(con)
    _before_step_12(con)
    _back_to(con, 11)
    assert con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints()"
        " WHERE table_name = 'fused_members' AND constraint_type = 'PRIMARY KEY'"
    ).fetchall() == [(["report_id"],)]
    con.execute(  # a member whose article is not stored: no number
        "INSERT INTO fused_members SELECT * REPLACE ('lone-report' AS report_id, 'lone-article' AS article_id)"
        " FROM fused_members ORDER BY rowid LIMIT 1"
    )
    members = con.execute("SELECT * FROM fused_members ORDER BY rowid").fetchall()
    numbers = dict(con.execute("SELECT id, seq FROM articles").fetchall())
    before = _snapshot(con)
    con.close()
    assert len(members) >= 6
    old, fresh = _old_and_fresh(db, tmp_path)

    with Store(old) as store:
        con = store.con
        assert store.migrated == (11, SCHEMA_VERSION)
        assert _layout(con) == fresh
        keys = [c[2] for c in fresh[1] if c[0] == "fused_members" and c[1] == "PRIMARY KEY"]
        assert keys == [["seq", "report_id"]]
        now = con.execute("SELECT * FROM fused_members ORDER BY rowid").fetchall()
        # in number order, and stored order within a number
        numbered = sorted((numbers.get(m[2], 0), n) for n, m in enumerate(members))
        assert now == [(*members[n], seq) for seq, n in numbered]
        assert now[0][0] == "lone-report" and now[0][-1] == 0
        assert _snapshot(con) == before
        told = article("fourth")
        store.add_many([(told, [event(told, "ASSAULT", "SRB", "NATO", "2023-05-29")])])
        fuse(con, [told.id])
        added = con.execute("SELECT seq FROM fused_members WHERE article_id = ?", [told.id]).fetchall()
        assert added == con.execute("SELECT seq FROM articles WHERE id = ?", [told.id]).fetchall() == [(4,)]
        biggest = con.execute(
            "SELECT fused_id FROM fused_members GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        count = con.execute("SELECT count(*) FROM fused_members").fetchone()
        assert biggest is not None and unmerge(con, biggest[0])
        assert con.execute("SELECT count(*) FROM fused_members WHERE how = 'split'").fetchone()[0] > 0  # type: ignore[index]
        assert con.execute("SELECT count(*) FROM fused_members").fetchone() == count
        wrong = con.execute(
            "SELECT count(*) FROM fused_members m JOIN articles a ON a.id = m.article_id WHERE m.seq <> a.seq"
        )
        assert wrong.fetchone() == (0,)
        fuse(con)
        assert con.execute("SELECT count(*) FROM fused_members").fetchone() == count


def test_a_version_12_store_keys_its_fused_events_by_their_founders_number_and_keeps_every_row(tmp_path):
    """Step 13 builds fused_events anew keyed by (seq, id) instead of id, each row given the number
    of its founder's article (the founding member's; for an event its founder left by an unmerge,
    the report of its first line in the log; with neither, 0) and copied in number order: the same
    numbers fusion gives a new store's events, the layout of a new store; fusion of a new article
    numbers its event by it, an upgraded event rewritten keeps its number, and a re-run adds nothing."""
    from powderkeg.fuse import fuse, unmerge

    from .fusion_helpers import article, event

    db = _fused_store(tmp_path / "v12.duckdb")
    with Store(db) as store:  # an event founded by the fourth article
        early = article("early")
        store.add_many([(early, [event(early, "ASSAULT", "SRB", "NATO", "2023-01-10")])])
        fuse(store.con, [early.id])
    con = duckdb.connect(str(db))
    biggest = con.execute(
        "SELECT fused_id FROM fused_members GROUP BY 1 HAVING count(*) > 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()
    assert biggest is not None
    founder = con.execute(
        "SELECT report_id FROM fused_members WHERE fused_id = ? AND how = 'founded'", biggest
    ).fetchone()
    assert founder is not None
    con.close()
    with Store(db) as store:  # its founder taken out: found in the log alone
        assert unmerge(store.con, biggest[0], founder)
    con = duckdb.connect(str(db))
    founders = con.execute(  # each event's founder's article number, as fusion wrote it
        "SELECT id, seq FROM fused_events ORDER BY rowid"
    ).fetchall()
    assert len(founders) >= 4 and {s for _, s in founders} >= {3, 4}
    left = con.execute("SELECT seq FROM fused_members WHERE report_id = ?", founder).fetchone()
    assert left is not None and dict(founders)[biggest[0]] == left[0]
    _before_step_13(con)  # back to version 12: fused events keyed by id
    _back_to(con, 12)
    assert con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints()"
        " WHERE table_name = 'fused_events' AND constraint_type = 'PRIMARY KEY'"
    ).fetchall() == [(["id"],)]
    con.execute(  # an event with neither member nor log (written by hand): no number
        "INSERT INTO fused_events SELECT * REPLACE ('F-lone' AS id) FROM fused_events ORDER BY rowid LIMIT 1"
    )
    rows = con.execute("SELECT * FROM fused_events ORDER BY rowid").fetchall()
    numbers = {**dict(founders), "F-lone": 0}
    before = _snapshot(con)
    con.close()
    old, fresh = _old_and_fresh(db, tmp_path)

    with Store(old) as store:
        con = store.con
        assert store.migrated == (12, SCHEMA_VERSION)
        assert _layout(con) == fresh
        keys = [c[2] for c in fresh[1] if c[0] == "fused_events" and c[1] == "PRIMARY KEY"]
        assert keys == [["seq", "id"]]
        now = con.execute("SELECT * FROM fused_events ORDER BY rowid").fetchall()
        # in number order, and stored order within a number
        numbered = sorted((numbers[r[0]], n) for n, r in enumerate(rows))
        assert now == [(*rows[n], seq) for seq, n in numbered]
        assert now[0][0] == "F-lone" and now[0][-1] == 0
        assert _snapshot(con) == before
        told = article("fifth")
        store.add_many([(told, [event(told, "ASSAULT", "SRB", "NATO", "2023-05-29"),
                                event(told, "ASSAULT", "SRB", "NATO", "2023-03-01", start=9)])])  # fmt: skip
        touched = fuse(con, [told.id])
        new_seq = con.execute("SELECT seq FROM articles WHERE id = ?", [told.id]).fetchone()
        assert new_seq == (5,)
        # founded now by the new article's report, or an upgraded one it joined
        assert {fid: numbers.get(fid, 5) for fid in touched} == dict(
            con.execute(
                "SELECT id, seq FROM fused_events WHERE id IN (SELECT unnest(?))", [touched]
            ).fetchall()
        )
        assert 5 in {numbers.get(fid, 5) for fid in touched} and set(numbers) & set(touched)
        count = con.execute("SELECT count(*) FROM fused_events").fetchone()
        split = unmerge(con, biggest[0])  # an upgraded event rewritten: keeps its number
        if split:
            assert con.execute("SELECT seq FROM fused_events WHERE id = ?", biggest).fetchall() == [
                (numbers[biggest[0]],)
            ]
        assert con.execute("SELECT count(*) - count(DISTINCT id) FROM fused_events").fetchone() == (0,)
        count = con.execute("SELECT count(*) FROM fused_events").fetchone()
        fuse(con)
        assert con.execute("SELECT count(*) FROM fused_events").fetchone() == count
