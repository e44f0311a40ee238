"""What a brief reads (brief/source.py) is what the straightforward reads give.

``BriefSource.fused`` builds light records and their typed form (``event_of``) from the table's
columns, with the members found by a join; here each is compared with ``FusedEvent.from_dict``
of the same record and with the members read one fused event at a time, on the demo store and
on the synthetic store of test_api_index.
"""

from __future__ import annotations

import datetime as dt

import pytest

from powderkeg import Store
from powderkeg.analyze.index import Key
from powderkeg.brief.source import BriefSource, event_of
from powderkeg.records import FusedEvent

from .test_api_index import build_synthetic


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    db = tmp_path_factory.mktemp("brief-source") / "synthetic.duckdb"
    build_synthetic(db, seed=8)
    return db


@pytest.fixture(params=["synthetic", pytest.param("demo", marks=pytest.mark.slow)])
def store_path(request, synthetic):
    return request.getfixturevalue("demo_store") if request.param == "demo" else synthetic


KEYS = [None, Key.parse(["SRB", "XKX"]), Key.parse(["XKX", "SRB"], directed=True), Key.parse(["SRB"]),
        Key(("ALB", "XKX", "UKR"), name="test-region")]  # fmt: skip


@pytest.mark.parametrize("key", KEYS, ids=["all", "dyad", "directed", "country", "region"])
def test_light_records_type_and_join_as_the_plain_reads(store_path, key):
    with Store(store_path, read_only=True) as store, store.unit() as con:
        records = BriefSource(store).fused(dt.date(2000, 1, 1), dt.date(2100, 1, 1), key)
        assert records
        for record in records:
            assert event_of(record) == FusedEvent.from_dict(dict(record))
            assert event_of(record) is event_of(record)  # built once
            members = con.execute(
                "SELECT report_id, article_id FROM fused_members WHERE fused_id = ? ORDER BY report_id",
                [record["id"]],
            ).fetchall()
            assert record["reports"] == [{"id": r, "article_id": a} for r, a in members]
        if key is None:
            plain = con.execute(
                "SELECT count(*) FROM fused_events WHERE date BETWEEN DATE '2000-01-01' AND DATE '2100-01-01'"
            ).fetchone()
            assert plain is not None and len(records) == plain[0]
        else:  # a superset of the key's events (build_brief keeps those Key.matches)
            everything = BriefSource(store).fused(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
            matching = {r["id"] for r in everything if key.matches(FusedEvent.from_dict(dict(r)))}
            assert matching and matching <= {r["id"] for r in records}
