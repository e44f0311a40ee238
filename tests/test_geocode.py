"""The gazetteer file, toponym resolution, `powderkeg geocode` and `powderkeg gazetteer import`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powderkeg.cli import app
from powderkeg.geocode.gazetteer import Gazetteer, distance_km
from powderkeg.geocode.resolve import resolve

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def gaz_path(tmp_path_factory) -> Path:
    # towns of 15,000 people and more: a real gazetteer, built in seconds
    path = tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite"
    Gazetteer(path, min_population=15000).close()
    return path


@pytest.fixture(scope="session")
def gaz(gaz_path) -> Gazetteer:
    return Gazetteer(gaz_path)


def test_distance_km_is_the_great_circle():
    assert distance_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    assert distance_km(44.8, 20.46, 44.8, 20.46) == 0


@pytest.mark.parametrize(
    ("name", "country", "precision"),
    [
        ("Kosovo", "XKX", "country"),
        ("U.S.", "USA", "country"),
        ("North Mitrovica", "XKX", "place"),
        ("Jarinje", "XKX", "place"),
        ("Adriatic Sea", "", "region"),
        ("Queensland", "AUS", "admin1"),
    ],
)
def test_names_resolve_with_their_precision(gaz, name, country, precision):
    place = gaz.lookup(name)
    assert place is not None and place.country == country and place.precision == precision


def test_article_context_decides_between_namesakes(gaz):
    text = "Floods hit Texas and Louisiana. In Paris, residents were evacuated."
    spans = [(i, i + len(w), w) for w in ("Texas", "Louisiana", "Paris") for i in [text.index(w)]]
    *_, paris = resolve(gaz, spans)
    assert paris is not None and paris.place.country == "USA"
    alone = resolve(gaz, [(0, 5, "Paris")])[0]
    assert alone is not None and alone.place.country == "FRA"


def test_unknown_names_resolve_to_nothing(gaz):
    assert resolve(gaz, [(0, 9, "Xqzzyvale")]) == [None]


def test_gazetteer_is_rebuilt_when_the_file_is_not_one(tmp_path):
    bad = tmp_path / "g.sqlite"
    bad.write_text("not a database")
    gaz = Gazetteer(bad, min_population=15000)
    assert gaz.lookup("Belgrade") is not None


def test_gazetteer_import_reads_a_geonames_dump(gaz_path, tmp_path):
    path = tmp_path / "g.sqlite"
    path.write_bytes(gaz_path.read_bytes())
    result = CliRunner().invoke(
        app, ["gazetteer", "import", str(DATA / "geonames_sample.txt"), "--gazetteer", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "imported 4 places" in result.output
    gaz = Gazetteer(path)
    [dam] = gaz.candidates("Gazivode Dam")
    assert (dam.country, dam.feature) == ("XKX", "DAM")
    assert any(c.country == "SRB" for c in gaz.candidates("Kopaonik Mountains"))
    assert not gaz.candidates("Nowhereville")  # feature class X is not a place class
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM places WHERE id = 792680").fetchone() == (1,)


def test_geocode_cli_given_spans(gaz_path, tmp_path):
    text = "Serb protesters clashed with KFOR troops in Zvecan, north of Pristina."
    records = tmp_path / "in.jsonl"
    toponyms = [{"start": text.index(w), "end": text.index(w) + len(w)} for w in ("Zvecan", "Pristina")]
    records.write_text(
        json.dumps({"id": "a", "text": text, "toponyms": toponyms}) + "\n" + "{broken\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["geocode", str(records), "--given-spans", "--gazetteer", str(gaz_path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert [r["id"] for r in lines] == ["a", "line-2"]
    places = lines[0]["places"]
    assert [p["text"] for p in places] == ["Zvecan", "Pristina"]
    assert all(p["country"] == "XKX" for p in places)
    assert set(places[0]) == {"start", "end", "text", "name", "lat", "lon", "geonameid", "country",
                              "feature", "precision"}  # fmt: skip


@pytest.mark.slow
def test_geocode_finds_places_not_demonyms(pipeline, gaz):
    from powderkeg.geocode.toponyms import geocode_doc

    nlp = pipeline.nlp
    text = "Serb protesters and ethnic Albanian mayors met in Zvecan, Kosovo, on Monday."
    with nlp.select_pipes(disable=["pk_events"]):
        found = geocode_doc(nlp(text), gaz)
    names = {r.text for r in found}
    assert "Kosovo" in names
    assert not names & {"Serb", "Albanian"}
