"""A real DuckDB file: re-running adds nothing, bad files are quarantined and the batch goes on."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from powderkeg import Pipeline, Settings, Store
from powderkeg.store import EventQuery

from .conftest import DEMO

GOOD = """---
title: Clashes in Zvecan
published: 2023-05-30
---

Serb protesters threw stones at KFOR soldiers in Zvecan on Monday. NATO said 30 soldiers were injured.
"""


def _counts(db):
    with Store(db) as store:
        return store.counts()


def test_rerun_leaves_counts_unchanged(tmp_path, pipeline):
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO, corpus)
    db = tmp_path / "pk.duckdb"
    with Store(db) as store:
        first = pipeline.run([corpus], store)
    before = _counts(db)
    assert first.articles_new == before.articles > 20
    assert before.events > 50 and before.evidence > before.events
    with Store(db) as store:
        second = pipeline.run([corpus], store)
    assert second.articles_new == 0 and second.events_new == 0
    assert second.articles_known == first.articles_new
    assert _counts(db) == before


def test_same_text_in_two_files_is_one_article(tmp_path, pipeline):
    (tmp_path / "a.txt").write_text(GOOD, "utf-8")
    (tmp_path / "b.txt").write_text(GOOD, "utf-8")
    with Store(tmp_path / "pk.duckdb") as store:
        summary = pipeline.run([tmp_path], store)
        assert store.counts().articles == 1
    assert summary.articles_known == 1


@pytest.fixture()
def messy(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\n ", "utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "latin1.txt").write_bytes("Kosovo police arrested a man in Zvečan on Monday.".encode("cp1250"))
    cut = GOOD.encode("utf-8") + "Zvečan".encode()[:-3]  # a multibyte character cut in half
    (folder / "truncated.txt").write_bytes(cut)
    lines = [
        json.dumps({"id": 1, "text": GOOD.split("---")[-1], "published": "2023-05-30"}),
        '{"id": 2, "text": "Serbia deployed troops near the border',
        "[1, 2]",
        json.dumps({"id": 4, "title": "no text"}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "broken.html").write_text("<html><head><title>x</title></head><body><script>", "utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    return folder


def test_bad_inputs_are_quarantined_and_the_rest_processed(messy, tmp_path, pipeline):
    db = tmp_path / "pk.duckdb"
    with Store(db) as store:
        summary = pipeline.run([messy, messy / "notes.docx"], store)
        rows = {r["origin"].split("/")[-1]: r for r in store.quarantined()}
        counts = store.counts()
    assert counts.articles == 1  # good.txt and batch.jsonl line 1 hold the same text
    assert counts.events >= 1
    expected = {
        "empty.txt": "E101",
        "blank.txt": "E101",
        "binary.txt": "E102",
        "latin1.txt": "E103",
        "truncated.txt": "E103",
        "batch.jsonl:2": "E105",
        "batch.jsonl:3": "E105",
        "batch.jsonl:4": "E105",
        "broken.html": "E105",
        "notes.docx": "E106",
    }
    assert {k: v["code"] for k, v in rows.items()} == expected
    assert all(r["reason"] for r in rows.values())
    assert "UTF-8" in rows["latin1.txt"]["reason"] or "utf-8" in rows["latin1.txt"]["reason"]
    assert summary.quarantined == len(expected)
    # re-running quarantines nothing twice and loses nothing
    with Store(db) as store:
        pipeline.run([messy, messy / "notes.docx"], store)
        assert store.counts() == counts
        assert {r["times_seen"] for r in store.quarantined()} == {2}


def test_encoding_setting_reads_legacy_files(tmp_path, pipeline):
    (tmp_path / "latin1.txt").write_bytes(
        "Kosovo police arrested a Serb man in Zvečan on Monday.".encode("cp1250")
    )
    p = Pipeline(Settings(encoding="cp1250"), nlp=pipeline.nlp)
    with Store(tmp_path / "pk.duckdb") as store:
        summary = p.run([tmp_path], store)
        text = store.con.execute("SELECT text FROM articles").fetchone()[0]
    assert summary.quarantined == 0 and "Zvečan" in text


def test_oversized_document_is_quarantined(tmp_path, pipeline):
    (tmp_path / "big.txt").write_text(GOOD * 50, "utf-8")
    p = Pipeline(Settings(max_bytes=2000), nlp=pipeline.nlp)
    with Store(tmp_path / "pk.duckdb") as store:
        p.run([tmp_path], store)
        assert [r["code"] for r in store.quarantined()] == ["E104"]


def test_events_carry_evidence_spans_into_the_article(tmp_path, pipeline):
    (tmp_path / "a.txt").write_text(GOOD, "utf-8")
    db = tmp_path / "pk.duckdb"
    with Store(db) as store:
        pipeline.run([tmp_path], store)
        events = list(store.events(EventQuery(include_unconfirmed=True)))
        assert events
        for event in events:
            article = store.article(event["article_id"])
            assert event["sentence"] in article["text"]
            evidence = store.evidence(event["id"])
            assert store.evidence(event["id"], event["article_id"]) == evidence  # the number by the article
            for field, start, end, text in evidence:
                assert article["text"][start:end] == text and text
                assert text in event["sentence"] or field == "date"
            assert event["rule"] and "trigger" in event["spans"]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM evidence WHERE field = 'trigger'").fetchone()[0] == len(events)
    con.close()


def test_queries_filter_by_country_type_and_date(tmp_path, pipeline):
    with Store(tmp_path / "pk.duckdb") as store:
        pipeline.run([DEMO], store)
        every = list(store.events(EventQuery(include_unconfirmed=True)))
        counted = list(store.events())
        assert len(counted) < len(every)
        assert all(e["factuality"] in ("asserted", "claimed") for e in counted)
        srb = list(store.events(EventQuery(country="SRB")))
        assert srb and all("SRB" in json.dumps([e["source"], e["target"], e["place"]]) for e in srb)
        assaults = list(store.events(EventQuery(type="assault")))
        assert assaults and {e["type"] for e in assaults} == {"ASSAULT"}
        import datetime as dt

        window = list(store.events(EventQuery(since=dt.date(2023, 9, 24), until=dt.date(2023, 9, 30))))
        assert window and all("2023-09-24" <= e["date"] <= "2023-09-30" for e in window)


def test_rows_whose_keys_are_stored_or_repeated_keep_the_first(tmp_path):
    """Storing skips an event (and its evidence) whose id the batch already gave, as ON CONFLICT DO
    NOTHING did, though new articles' rows are inserted without it. An event's id hashes its
    article's, so a new article's events are new: the events' key is (seq, id) (schema step 11),
    and an id stored under another article (a collision no real id makes) is not looked for."""
    import dataclasses

    from .fusion_helpers import article, event

    first, second = article("first"), article("second")
    kept = event(first, "ASSAULT", "SRB", "NATO", "2023-05-29")
    twice = event(second, "PROTEST", "SRB", "", "2023-05-29")
    echo = dataclasses.replace(twice, sentence="told twice", spans={"trigger": (0, 1), "source": (2, 3)})
    with Store(tmp_path / "k.duckdb") as store:
        assert store.add_many([(first, [kept])]) == {first.id}
        assert store.add_many([(second, [twice, echo])]) == {second.id}
        rows = store.con.execute("SELECT id, article_id, sentence FROM events ORDER BY id").fetchall()
        evidence = store.con.execute("SELECT event_id, field FROM evidence ORDER BY ALL").fetchall()
    assert sorted(rows) == sorted([(kept.id, first.id, kept.sentence), (twice.id, second.id, twice.sentence)])
    # each (event, field)'s first row: the repeated event's new field is added, as before
    assert evidence == sorted([(kept.id, "trigger"), (twice.id, "trigger"), (twice.id, "source")])


def test_a_batch_with_a_stored_article_stores_only_the_others(tmp_path):
    """A batch is first inserted as all new; an article the store holds fails that on its key,
    and the batch is stored again with each key looked up: the stored article stays as it was."""
    import dataclasses

    from .fusion_helpers import article, event

    old, new = article("old"), article("new")
    told = event(old, "ASSAULT", "SRB", "NATO", "2023-05-29")
    with Store(tmp_path / "k.duckdb") as store:
        assert store.add_many([(old, [told])]) == {old.id}
        retold = dataclasses.replace(told, sentence="told again")
        assert store.add_many([(old, [retold]), (new, [event(new, "PROTEST", "SRB", "", "2023-05-29")])]) == {
            new.id
        }
        assert store.counts().articles == 2 and store.counts().events == 2
        assert store.con.execute("SELECT sentence FROM events WHERE id = ?", [told.id]).fetchone() == (
            told.sentence,
        )


def test_evidence_is_stored_once_however_often_its_batch_comes(tmp_path):
    """The evidence table has no key (schema step 6): the writer alone keeps one row per event and
    field, for a batch stored again whole, and again with a new article (each key looked up)."""
    import dataclasses

    from .fusion_helpers import article, event

    old, new = article("old"), article("new")
    told = event(old, "ASSAULT", "SRB", "NATO", "2023-05-29")
    twice = dataclasses.replace(told, spans={"trigger": (0, 3), "source": (4, 7)})
    batch = [(old, [told, twice, event(old, "PROTEST", "SRB", "", "2023-05-30", start=9)])]
    with Store(tmp_path / "k.duckdb") as store:
        assert store.add_many(batch) == {old.id}
        stored = store.con.execute("SELECT * FROM evidence ORDER BY ALL").fetchall()
        assert store.add_many(batch) == set()
        assert store.add_many([*batch, (new, [event(new, "PROTEST", "SRB", "", "2023-05-29")])]) == {new.id}
        rows = store.con.execute("SELECT * FROM evidence ORDER BY ALL").fetchall()
    keys = [(r[0], r[1]) for r in rows]
    assert len(keys) == len(set(keys)) and len(stored) >= 3
    assert [r for r in rows if r[0] != event(new, "PROTEST", "SRB", "", "2023-05-29").id] == stored
