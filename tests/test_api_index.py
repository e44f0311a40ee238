"""The API's in-memory indexes answer exactly as its SQL does (the straightforward path).

Each index (``api/index.py`` for /events and /fused/{id}, ``api/series.py`` for /tension) is
compared with the SQL path on many seeded random requests, over the demo store and over a
synthetic store written here with the cases the demo lacks: undated events, NULL places and
factualities, several actors a side, sentences in mixed case and non-ASCII script, ties on
dates, placeless fused events read by their articles' country.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import duckdb
import pytest

from powderkeg import Store
from powderkeg.analyze.regions import is_country
from powderkeg.api.http import dumps, page_body
from powderkeg.api.index import EventIndex, Indexes
from powderkeg.api.queries import Filters, events_page
from powderkeg.api.series import FusedIndex
from powderkeg.api.tension import parse_key, tension, tension_body
from powderkeg.api.views import fused_detail
from powderkeg.knowledge.ontology import code as ontology_code
from powderkeg.store.access import access_for
from powderkeg.store.duckdb import EVENT_COLUMNS, insert_rows

COUNTRIES = ["SRB", "XKX", "ALB", "MNE", "UKR", "RUS", "BIH", "HRV"]
TYPES = ["ASSAULT", "PROTEST", "COERCE", "THREATEN", "ACCUSE", "CONSULT", "AGREE", "MOBILIZE"]
FACTS = ["asserted", "asserted", "asserted", "claimed", "denied", "future", "hypothetical", None]
PLACES = ["Zvečan", "MITROVICA", "Leposavić", "İstanbul", "Straße", "Kyiv", "Банско"]
WORDS = ["zvečan", "mitrovica", "clash", "protest", "İstanbul", "straße", "банско", "forces of", "zzz", "k"]


def build_synthetic(db: Path, n_articles: int = 500, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = dt.date(2022, 12, 1)
    articles, events, fused, members = [], [], [], []
    for a in range(n_articles):
        aid = f"{rng.getrandbits(60):015x}"
        day = start + dt.timedelta(days=rng.randrange(240)) if rng.random() > 0.05 else None
        text, offset = [], 0
        for k in range(rng.randint(1, 9)):
            etype = rng.choice(TYPES)
            src = rng.sample(COUNTRIES, rng.choice([0, 1, 1, 2]))
            tgt = rng.sample(COUNTRIES, rng.choice([0, 1, 1, 2]))
            place = rng.choice(PLACES)
            country = rng.choice([*COUNTRIES, None])
            verb = {"ASSAULT": "clashed with", "PROTEST": "protested against"}.get(etype, "met")
            sentence = (
                f"Forces of {'/'.join(src) or 'someone'} {verb} {'/'.join(tgt) or 'crowds'} near {place}."
            )
            fact = rng.choice(FACTS)
            info = ontology_code(etype)
            eid = f"{rng.getrandbits(60):015x}"
            killed = rng.choice([None, None, None, rng.randrange(1, 30)])
            edate = day if rng.random() > 0.1 else None
            record = {"id": eid, "type": etype, "sentence": sentence, "article_id": aid, "factuality": fact,
                      "date": edate.isoformat() if edate else None, "place": {"name": place, "country": country},
                      "spans": {"trigger": [offset + 10, offset + 17]}, "numbers": {"killed": killed}}  # fmt: skip
            events.append((
                eid, aid, etype, None, info.cameo, "", info.quad_class, info.score, src, tgt, [], [], country, edate,
                "day", killed, None, None, None, fact, None, sentence, offset, k, "test", 0.9, json.dumps(record),
            ))  # fmt: skip
            text.append(sentence)
            offset += len(sentence) + 1
            if fact in ("asserted", "claimed") and edate is not None or rng.random() < 0.05:
                if fused and rng.random() < 0.3 and fused[-1]["type"] == etype:
                    f = fused[-1]
                    f["reports"].append({"id": eid, "article_id": aid, "sentence": sentence})
                else:
                    f = {"id": "F" + eid, "type": etype, "quad": info.quad_class, "score": info.score,
                         "date": edate, "src": sorted(set(src)), "tgt": sorted(set(tgt)),
                         "place": country if rng.random() > 0.2 else None, "context": rng.choice(COUNTRIES),
                         "fact": fact or "asserted", "killed": killed,
                         "reports": [{"id": eid, "article_id": aid, "sentence": sentence}]}  # fmt: skip
                    fused.append(f)
                members.append((eid, f["id"], aid, "founded", 0.0, "test"))
        articles.append((aid, "", f"Report {a}", day, "test", "", " ".join(text), offset, len(text), "{}"))
    rows = []
    for f in fused:
        record = {"id": f["id"], "type": f["type"], "date": f["date"].isoformat() if f["date"] else None,
                  "source": f["src"], "target": f["tgt"], "place": {"country": f["place"]},
                  "context_country": f["context"], "reports": f["reports"]}  # fmt: skip
        k = f["killed"]
        rows.append((
            f["id"], f["type"], None, f["quad"], f["score"], f["date"], None, None, "day", "text", f["src"], f["tgt"],
            None, f["place"], f["fact"], len(f["reports"]), len({r["article_id"] for r in f["reports"]}),
            k, k + 3 if k else None, json.dumps(record),
        ))  # fmt: skip
    # each article numbered in order, its events and their evidence with its number (schema step 7)
    seq = {row[0]: n for n, row in enumerate(articles, 1)}
    with Store(db) as store, store.unit() as con:
        insert_rows(
            con,
            "articles (id, url, title, published, source, path, text, n_chars, n_events, meta, seq)",
            [(*row, seq[row[0]]) for row in articles],
        )
        insert_rows(con, f"events ({EVENT_COLUMNS}, seq)", [(*e, seq[e[1]]) for e in events])
        # one row per event: the evidence table has no key to refuse a second (schema step 6)
        evidence = [(e[0], "trigger", e[22] + 10, e[22] + 17, "trigger", seq[e[1]]) for e in events]
        insert_rows(
            con, "evidence (event_id, field, start_char, end_char, text, seq)", evidence, new_keys=True
        )
        insert_rows(
            con,
            "fused_members (report_id, fused_id, article_id, how, score, reason, seq)",
            [(*m, seq[m[2]]) for m in members],
        )
        insert_rows(
            con,
            "fused_events (id, type, mode, quad_class, score, date, date_min, date_max, date_precision, date_basis,"
            " source_keys, target_keys, place_name, place_country, factuality, n_reports, n_sources, killed_min,"
            " killed_max, record, seq)",
            [(*row, seq[f["reports"][0]["article_id"]]) for row, f in zip(rows, fused, strict=True)],
        )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("synthetic") / "synthetic.duckdb"
    build_synthetic(db)
    return db


@pytest.fixture(params=["synthetic", pytest.param("demo", marks=pytest.mark.slow)])
def store_path(request, synthetic) -> Path:
    return request.getfixturevalue("demo_store") if request.param == "demo" else synthetic


def random_filters(rng: random.Random, types: list[str], countries: list[str]) -> Filters:
    kw: dict = {}
    if rng.random() < 0.5:
        kw["type"] = ",".join(rng.sample(types, min(len(types), rng.randint(1, 3))))
    if rng.random() < 0.5:
        kw["country"] = ",".join(rng.sample(countries, min(len(countries), rng.randint(1, 2))))
    if rng.random() < 0.5:
        kw["since"] = (dt.date(2022, 11, 1) + dt.timedelta(days=rng.randint(0, 400))).isoformat()
    if rng.random() < 0.4:
        kw["until"] = (dt.date(2022, 11, 1) + dt.timedelta(days=rng.randint(0, 400))).isoformat()
    if rng.random() < 0.3:
        kw["factuality"] = rng.choice(["asserted", "claimed", "denied,future", "hypothetical"])
    if rng.random() < 0.3:
        kw["text"] = rng.choice(WORDS)
    if rng.random() < 0.3:
        kw["include_unconfirmed"] = True
    return Filters.parse(**kw)


@pytest.mark.parametrize("budget", [None, 0], ids=["records held", "records by rowid"])
def test_event_pages_from_the_index_equal_sql(store_path, budget):
    with duckdb.connect(str(store_path), read_only=True) as con:
        index = EventIndex.build(con) if budget is None else EventIndex.build(con, record_budget=budget)
        types = sorted(index.types)
        countries = sorted(index.country)
        rng = random.Random(11)
        compared = 0
        for _ in range(120):
            f = random_filters(rng, types, countries)
            size, cursor = rng.choice([1, 3, 50, 500]), None
            for _ in range(4):
                sql = events_page(con, f, size, cursor)
                mem = events_page(con, f, size, cursor, index)
                assert page_body(mem.records, mem.next_cursor) == page_body(sql.records, sql.next_cursor), (
                    f,
                    cursor,
                )
                compared += 1
                cursor = sql.next_cursor
                if cursor is None:
                    break
        assert compared > 120


def test_tension_from_the_index_equals_sql(store_path):
    with duckdb.connect(str(store_path), read_only=True) as con:
        index = FusedIndex.build(con)
        codes = sorted(c for c in index.involved if is_country(c))  # not organisations
        rng = random.Random(5)
        for _ in range(60):
            shape = rng.random()
            if shape < 0.5:
                key = "-".join(rng.sample(codes, 2))
            elif shape < 0.6:
                key = ">".join(rng.sample(codes, 2))
            elif shape < 0.9:
                key = rng.choice(codes)
            else:
                key = "region:" + rng.choice(["western-balkans", "Eastern Europe", "Southern Europe"])
            by = rng.choice(["day", "week", "month"])
            since = (
                dt.date(2022, 11, 1) + dt.timedelta(days=rng.randint(0, 300)) if rng.random() < 0.8 else None
            )
            until = (
                (since or dt.date(2022, 11, 1)) + dt.timedelta(days=rng.randint(0, 200))
                if rng.random() < 0.7
                else None
            )
            args = (parse_key(key), by, since, until, rng.choice([1, 1, 2]), rng.choice([0, 1, 3, 5]), None)
            assert tension_body(con, *args, index) == dumps(tension(con, *args)), (key, by, since, until)


def test_fused_detail_with_the_event_index_equals_sql(store_path):
    with duckdb.connect(str(store_path), read_only=True) as con:
        index = EventIndex.build(con)
        for (fid,) in con.execute("SELECT id FROM fused_events ORDER BY id LIMIT 80").fetchall():
            assert dumps(fused_detail(con, fid, index)) == dumps(fused_detail(con, fid))
            assert dumps(fused_detail(con, fid[:8], index)) == dumps(fused_detail(con, fid[:8]))


def test_index_follows_writes_and_sql_answers_meanwhile(synthetic, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(synthetic, db)
    access = access_for(str(db), wait=5)
    indexes = Indexes(access, EventIndex.build)
    everything = Filters.parse(include_unconfirmed=True)
    index = indexes.wait()
    assert index is not None and index.size == access_count(access)
    with Store(db) as store, store.unit() as con:  # one more event, through this process's Access
        row = con.execute(f"SELECT {EVENT_COLUMNS} FROM events LIMIT 1").fetchone()
        assert row is not None
        rest = EVENT_COLUMNS.split(",", 1)[1]
        con.execute(
            f"INSERT INTO events ({EVENT_COLUMNS}, seq) SELECT 'new-event', {rest}, seq FROM events WHERE id = ?",
            [row[0]],
        )
    assert indexes.get() is None  # stale: SQL answers while the new version is built
    fresh = indexes.wait()
    assert fresh is not None and fresh is not index and fresh.size == index.size + 1
    with access.read() as con:
        sql = events_page(con, everything, 500, None)
        mem = events_page(con, everything, 500, None, fresh)
        assert page_body(mem.records, mem.next_cursor) == page_body(sql.records, sql.next_cursor)
    access.close()


def access_count(access) -> int:
    with access.read() as con:
        row = con.execute("SELECT count(*) FROM events").fetchone()
        return int(row[0]) if row else 0
