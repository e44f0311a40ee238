"""Filters (one definition for CLI, API and Python) and exports (one column set per record kind),
on a real DuckDB file built from hand-made events (no spaCy)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import duckdb
import pytest
from typer.testing import CliRunner

from powderkeg.cli import app
from powderkeg.errors import BadParameter
from powderkeg.fuse import fuse
from powderkeg.geocode.areas import Admin1Areas
from powderkeg.knowledge.countries import country_code, place_codes
from powderkeg.records import Actor, Place
from powderkeg.store import Filters, Store
from powderkeg.store.export import ACLED_COLUMNS, EVENT_COLUMNS, FUSED_COLUMNS, interaction

from .fusion_helpers import article, event

runner = CliRunner()


def _placed(e, name, country, lat, lon, admin1=""):
    return dataclasses.replace(
        e, place=Place(name, country=country, admin1=admin1, lat=lat, lon=lon, precision="place")
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Four articles: a clash told twice (mirrored), a meeting told as two mirrored reports,
    an arrest with a figure, a denied attack, and an article without a date."""
    path = tmp_path_factory.mktemp("filters") / "pk.duckdb"
    a1 = article("Zvecan clash", "2023-05-30", source="Wire One")
    a2 = article("Brussels talks", "2023-06-22", source="Daily Two")
    a3 = article("Arrests", "2023-06-14", source="Wire One")
    a4 = article("Undated", None, source="Blog Four")
    clash = _placed(
        event(a1, "ASSAULT", "SRB", "NATO", "2023-05-29", mode="clash", sentence="Serb protesters clashed with KFOR.", injured=30),
        "Zvečan", "XKX", 42.91, 20.84, admin1="10097358",
    )  # fmt: skip
    clash = dataclasses.replace(
        clash, source=(Actor("Serb protesters from the north", country="SRB", sector="PRO"),)
    )
    mirrored = event(a1, "ASSAULT", "NATO", "SRB", "2023-05-29", mode="clash", sentence="KFOR clashed with Serbs.", start=40, injured=30)  # fmt: skip
    meet_a = event(a2, "CONSULT", "SRB", "XKX", "2023-06-22", sentence="Vucic met Kurti in Brussels.")
    meet_b = event(
        a2, "CONSULT", "XKX", "SRB", "2023-06-22", sentence="Vucic met Kurti in Brussels.", start=1
    )
    arrest = _placed(
        event(a3, "COERCE", "SRB", "XKX", "2023-06-14", mode="arrest", sentence="Serbian police detained three Kosovo officers.", arrested=3, killed=1),
        "Raška", "SRB", 43.28, 20.61,
    )  # fmt: skip
    denied = event(a3, "ASSAULT", "SRB", "XKX", "2023-06-14", sentence="Belgrade denied attacking.", start=60, factuality="denied")  # fmt: skip
    undated = event(a4, "ASSAULT", "SRB", "XKX", None, sentence="Gunmen attacked a patrol.")
    with Store(path) as store:
        store.add_many(
            [(a1, [clash, mirrored]), (a2, [meet_a, meet_b]), (a3, [arrest, denied]), (a4, [undated])]
        )
        fuse(store.con)
    return path


def _ids(path, f: Filters) -> set[str]:
    with Store(path, read_only=True) as store:
        return {e["id"] for e in store.events(f)}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"country": "Serbia"}, 6),  # a country name
        ({"country": "region:western-balkans"}, 6),
        ({"country": "region:Western Europe"}, 0),
        ({"type": "consult"}, 2),
        ({"mode": "clash"}, 2),
        ({"quad_class": "1"}, 2),
        ({"factuality": "denied"}, 1),
        ({"include_unconfirmed": True}, 7),
        ({"actor": "NATO"}, 2),  # an organisation code
        ({"actor": "protesters"}, 1),  # words of an actor's text
        ({"actor": "Kosovo", "side": "source"}, 1),  # a country name, one side
        ({"dyad": "SRB-XKX"}, 4),
        ({"dyad": "SRB>XKX"}, 3),
        ({"min_killed": 1}, 1),
        ({"admin1": "10097358"}, 1),  # a code, in any country
        ({"admin1": "XKX.10097358"}, 1),  # a code in its country
        ({"admin1": "SRB.10097358"}, 0),
        ({"bbox": "20,42,21,43"}, 1),  # Zvečan, not Raška
        ({"outlet": "wire one"}, 3),
        ({"text": "brussels"}, 2),
        ({"since": "2023-06-01", "until": "2023-06-20"}, 1),
    ],
)
def test_each_filter_selects_what_it_says(db, kwargs, expected):
    assert len(_ids(db, Filters.parse(**kwargs))) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": "ASSUALT"}, "did you mean ASSAULT"),
        ({"country": "Serbiaa"}, "did you mean Serbia (SRB)"),
        ({"country": "XKV"}, "Kosovo (XKX)"),
        ({"country": "region:western-balkan"}, "did you mean western-balkans"),
        ({"mode": "clsh"}, "did you mean clash"),
        ({"factuality": "asserted,hypothetic"}, "did you mean hypothetical"),
        ({"quad_class": "5"}, "not 1..4"),
        ({"bbox": "1,2,3"}, "four numbers"),
        ({"dyad": "SRB"}, "two actors"),
        ({"since": "May 2023"}, "YYYY-MM-DD"),
    ],
)
def test_unknown_names_are_errors_with_suggestions(kwargs, message):
    with pytest.raises(BadParameter) as err:
        Filters.parse(**kwargs)
    assert message in str(err.value) and err.value.code == "E601"


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("Mitrovica", ("XKX.10097358",)),
        ("MITROVICA", ("XKX.10097358",)),
        ("Priština", ("XKX.10097360",)),  # accents or none
        ("vojvodina", ("SRB.VO",)),
        ("10097358", ("10097358",)),  # codes stay codes
        ("srb.vo", ("SRB.VO",)),
    ],
)
def test_admin1_is_named_or_coded(typed, codes):
    assert Admin1Areas().codes(typed) == codes
    assert Admin1Areas().name("XKX", "10097358") == "Mitrovica" and Admin1Areas().name("XKX", "") == ""


def test_an_unknown_admin1_is_an_error_with_suggestions():
    with pytest.raises(BadParameter) as err:
        Filters.parse(admin1="Vojvodna", admin1_codes=Admin1Areas().codes)
    assert "did you mean Vojvodina" in str(err.value) and err.value.code == "E601"


def test_country_names_and_regions_resolve():
    assert country_code("Serbia") == country_code("srb") == country_code("Serbian") == "SRB"
    assert country_code("kosovo") == "XKX"
    assert country_code("Guinea-Bissau") == "GNB"
    assert place_codes("region:western-balkans") == ("SRB", "XKX", "BIH", "MNE", "MKD", "ALB", "HRV")
    southern = place_codes("region:Southern Europe")
    assert {"XKX", "SRB", "ITA"} <= set(southern) and place_codes("region:southern-europe") == southern


def _cli(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_jsonl_and_parquet_share_one_column_set(db, tmp_path):
    names = [c.name for c in EVENT_COLUMNS]
    rows = list(csv.DictReader(io.StringIO(_cli("events", "--db", str(db), "-f", "csv"))))
    lines = [json.loads(x) for x in _cli("events", "--db", str(db), "-f", "jsonl").splitlines()]
    out = tmp_path / "e.parquet"
    _cli("events", "--db", str(db), "-f", "parquet", "--out", str(out))
    parquet = duckdb.sql(f"SELECT * FROM '{out}'")
    assert list(rows[0]) == list(lines[0]) == parquet.columns == names
    assert len(rows) == len(lines) == len(parquet.fetchall()) == 6
    types = dict(zip(parquet.columns, (str(t) for t in parquet.types), strict=True))
    assert types["date"] == "DATE" and types["lat"] == "DOUBLE" and types["killed"] == "INTEGER"
    clash = next(r for r in lines if r["source"].startswith("Serb protesters"))
    # full actor text (no ellipsis), the place with its point, admin1 and precision, the article's fields
    assert clash["source"] == "Serb protesters from the north" and clash["source_sector"] == "PRO"
    assert (clash["place"], clash["lat"], clash["lon"]) == ("Zvečan", 42.91, 20.84)
    # the first-level area by name, as ACLED gives it, and by its GeoNames code
    assert (clash["admin1"], clash["admin1_code"], clash["geo_precision"]) == (
        "Mitrovica",
        "10097358",
        "place",
    )
    assert (
        clash["title"] == "Zvecan clash"
        and clash["outlet"] == "Wire One"
        and clash["fused_id"].startswith("F")
    )


def test_record_id_the_user_gave_is_exported(tmp_path, pipeline):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "my-42", "published": "2023-09-24", "url": "https://x.example/a",
                    "text": "Serbian gunmen attacked Kosovo police in Banjska on Sunday."}) + "\n",
        "utf-8",
    )  # fmt: skip
    db = tmp_path / "pk.duckdb"
    with Store(db) as store:
        pipeline.run([src], store)
    [row] = [json.loads(x) for x in _cli("events", "--db", str(db), "-f", "jsonl").splitlines()]
    assert row["record_id"] == "my-42" and row["url"] == "https://x.example/a"


def test_acled_columns(db):
    rows = list(csv.DictReader(io.StringIO(_cli("events", "--db", str(db), "-f", "acled"))))
    assert list(rows[0])[:23] == [c.name for c in ACLED_COLUMNS][:23]
    assert list(rows[0])[:3] == ["event_id_cnty", "event_date", "year"]
    arrest = next(r for r in rows if r["plover"] == "COERCE/arrest")
    assert arrest["event_type"] == "Strategic developments" and arrest["sub_event_type"] == "Other"
    assert arrest["fatalities"] == "1" and arrest["country"] == "Serbia" and arrest["geo_precision"] == "1"
    assert arrest["inter1"] == "7" and arrest["source"] == "Wire One"  # hand-made actors have no sector
    meeting = next(r for r in rows if r["plover"] == "CONSULT")
    assert meeting["event_type"] == "Strategic developments" and meeting["powderkeg_sub_event_type"] == ""
    assert interaction(1, 6) == 16 and interaction(6, 1) == 16 and interaction(6, 0) == 60


def test_geojson_has_the_events_with_places(db):
    collection = json.loads(_cli("events", "--db", str(db), "-f", "geojson"))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [20.84, 42.91]}
    assert first["properties"]["place"] == "Zvečan"


def test_fused_lists_one_row_per_real_world_event(db, tmp_path):
    rows = [json.loads(x) for x in _cli("fused", "--db", str(db), "-f", "jsonl").splitlines()]
    assert list(rows[0]) == [c.name for c in FUSED_COLUMNS]
    # 7 counted reports: the mirrored clash and the mirrored meeting are one record each
    assert len(rows) == 4 and sum(r["n_reports"] for r in rows) == 6 + 1 - 1
    meeting = next(r for r in rows if r["type"] == "CONSULT")
    assert meeting["n_reports"] == 2 and meeting["participants"] == "SRB+XKX"
    clash = next(r for r in rows if r["mode"] == "clash")
    assert clash["participants"] == "NATO+SRB" and (clash["injured_min"], clash["injured_max"]) == (30, 30)
    undated = next(r for r in rows if r["date_basis"] == "ingested")
    assert undated["date"] is None and undated["date_precision"] == "unknown"
    for fmt in ("csv", "acled", "contract"):
        assert len(_cli("fused", "--db", str(db), "-f", fmt).splitlines()) == 4 + (fmt in ("csv", "acled"))
    geo = json.loads(_cli("fused", "--db", str(db), "-f", "geojson"))
    assert len(geo["features"]) == 2  # those with a place (or a country) to put them
    out = tmp_path / "f.parquet"
    _cli("fused", "--db", str(db), "-f", "parquet", "--out", str(out))
    assert duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall() == [(4,)]
    table = _cli("fused", "--db", str(db), "--dyad", "SRB-XKX")
    assert "participants" in table and "3 real-world events (1 from undated articles" in table


def test_fused_filters(db):
    def count(*args):
        return len(_cli("fused", "--db", str(db), "-f", "jsonl", *args).splitlines())

    assert count("--actor", "NATO") == 1
    assert count("--actor", "protesters") == 1  # words: matched on the reports
    assert count("--type", "CONSULT", "--dyad", "XKX>SRB") == 1  # a meeting has participants
    assert count("--source", "daily two") == 1
    assert count("--bbox", "20,42,21,43") == 1
    assert count("--min-fatalities", "1") == 1
    assert count("--country", "Kosovo") == 4
    assert count("--admin1", "mitrovica") == count("--admin1", "10097358") == 1
    [row] = [
        json.loads(x)
        for x in _cli("fused", "--db", str(db), "-f", "jsonl", "--admin1", "Mitrovica").splitlines()
    ]
    assert (row["admin1"], row["admin1_code"]) == ("Mitrovica", "10097358")


def _api(db, url, **params):
    """One request to the real ASGI app over ``db``."""
    import asyncio

    import httpx

    from powderkeg.api import create_app
    from powderkeg.settings import Settings

    async def get():
        transport = httpx.ASGITransport(app=create_app(Settings(db=str(db))), client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://pk.test") as client:
            return await client.get(url, params=params)

    return asyncio.run(get())


def test_the_api_takes_the_same_filters(db):
    def get(url, **params):
        return _api(db, url, **params)

    ok = get("/events", actor="protesters", country="Serbia")
    assert ok.status_code == 200 and len(ok.json()["items"]) == 1
    fused = get("/fused", dyad="SRB-XKX", type="CONSULT")
    assert len(fused.json()["items"]) == 1
    bad = get("/events", type="ASSUALT")
    assert bad.status_code == 400 and "did you mean ASSAULT" in bad.json()["detail"]
    named = get("/events", admin1="Mitrovica")
    assert [e["place"]["name"] for e in named.json()["items"]] == ["Zvečan"]
    assert len(get("/fused", admin1="mitrovica").json()["items"]) == 1
    unknown = get("/events", admin1="Mitrovca")
    assert unknown.status_code == 400 and "did you mean Mitrovica" in unknown.json()["detail"]


def test_demo_exports_name_first_level_areas(demo_store):
    """ACLED's admin1 is the area's name ("Mitrovica"), never a GeoNames code ("10097358")."""
    rows = list(csv.DictReader(io.StringIO(_cli("events", "--db", str(demo_store), "-f", "acled"))))
    areas = {(r["location"], r["admin1"]) for r in rows if r["admin1"]}
    assert ("Zvečan", "Mitrovica") in areas and ("Pristina", "Pristina") in areas
    assert not any(admin1.isdigit() or admin1.isupper() for _, admin1 in areas), areas
    by_name = _cli("events", "--db", str(demo_store), "-f", "jsonl", "--admin1", "mitrovica").splitlines()
    by_code = _cli("events", "--db", str(demo_store), "-f", "jsonl", "--admin1", "10097358").splitlines()
    assert by_name == by_code and {json.loads(x)["admin1"] for x in by_name} == {"Mitrovica"}
    fused = _cli("fused", "--db", str(demo_store), "-f", "acled", "--admin1", "Mitrovica")
    assert {r["admin1"] for r in csv.DictReader(io.StringIO(fused))} == {"Mitrovica"}


def test_undated_articles_events_are_not_placed_on_the_day_they_were_ingested(db):
    """The fused event of the undated article is listed (in order by the day it was ingested) but
    has no date: the timeline does not count it and date filters do not match it."""
    assert len(_api(db, "/fused").json()["items"]) == 4
    assert len(_api(db, "/fused", since="2000-01-01").json()["items"]) == 3
    periods = _api(db, "/timeline", by="day").json()["periods"]
    assert sum(p["total"] for p in periods) == 3 and all(p["period"] < "2024-01-01" for p in periods)
    assert len(_cli("fused", "--db", str(db), "-f", "jsonl", "--until", "2100-01-01").splitlines()) == 3
    events = _api(db, "/events").json()["items"]
    assert [e["date"] for e in events][-1] is None  # undated, listed last
