"""The gazetteer file, toponym resolution, `powderkeg geocode` and `powderkeg gazetteer import`."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powderkeg.cli import app
from powderkeg.geocode.gazetteer import Candidate, Gazetteer, distance_km
from powderkeg.geocode.resolve import lookup, resolve

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
    place = lookup(gaz, name)
    assert place is not None and place.country == country and place.precision == precision


def test_article_context_decides_between_namesakes(gaz):
    text = "Floods hit Texas and Louisiana. In Paris, residents were evacuated."
    spans = [(i, i + len(w), w) for w in ("Texas", "Louisiana", "Paris") for i in [text.index(w)]]
    *_, paris = resolve(gaz, spans)
    assert paris is not None and paris.place.country == "USA"
    alone = resolve(gaz, [(0, 5, "Paris")])[0]
    assert alone is not None and alone.place.country == "FRA"


def test_unknown_names_resolve_to_nothing(gaz):
    # alone: no article's town to read it at
    assert resolve(gaz, [(0, 9, "Xqzzyvale")]) == [None]


def test_gazetteer_is_rebuilt_when_the_file_is_not_one(tmp_path):
    bad = tmp_path / "g.sqlite"
    bad.write_text("not a database")
    gaz = Gazetteer(bad, min_population=15000)
    assert lookup(gaz, "Belgrade") is not None


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
                              "feature", "precision", "demonym", "inside", "embedded"}  # fmt: skip


@pytest.mark.slow
def test_geocode_finds_places_and_marks_demonyms(pipeline, gaz):
    from powderkeg.geocode.toponyms import geocode_doc

    nlp = pipeline.nlp
    text = "Serb protesters and ethnic Albanian mayors met in Zvecan, Kosovo, on Monday."
    with nlp.select_pipes(disable=["pk_events"]):
        found = {r.text: r for r in geocode_doc(nlp(text), gaz)}
    assert not found["Kosovo"].demonym and not found["Zvecan"].demonym
    assert found["Serb"].demonym and found["Serb"].place.country == "SRB"
    assert found["Albanian"].demonym


def _spans(text: str, *names: str) -> list[tuple[int, int, str]]:
    return [(text.index(n), text.index(n) + len(n), n) for n in names]


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Rogaland", "NOR", "ADM1"),  # first-level regions GeoNames' towns name
        ("Zamfara", "NGA", "ADM1"),  # "Zamfara State" without its word
        ("Zamfara State", "NGA", "ADM1"),
        ("Akita Prefecture", "JPN", "ADM1"),  # the area called Akita, with a word news adds
        ("Kvemo-Kartli", "GEO", "ADM1"),  # hyphen where the source writes a space
        ("Bas Congo Province", "COD", "ADM1"),  # and the other way round
        ("Somme", "FRA", "ADM2"),  # second-level areas
        ("Queen Anne's County", "USA", "ADM2"),
    ],
)
def test_administrative_areas_are_known(gaz, name, country, feature):
    found = [c for c in gaz.candidates(name) if c.feature == feature and c.country == country]
    assert found, gaz.candidates(name)
    place = lookup(gaz, name)
    assert place is not None and place.country == country and place.precision == "admin1"


def test_an_area_with_a_known_code_holds_its_towns(gaz):
    [rogaland] = [c for c in gaz.candidates("Rogaland") if c.feature == "ADM1"]
    stavanger = max(gaz.candidates("Stavanger"), key=lambda c: c.population)
    assert rogaland.admin1 and rogaland.admin1 == stavanger.admin1
    assert distance_km(rogaland.lat, rogaland.lon, stavanger.lat, stavanger.lon) < 100


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1_of"),
    [
        # a county among several of its name: the one in the state the article names
        ("Floods in Michigan closed roads across Monroe County.", "Monroe County", "USA", "Michigan"),
        # a town among namesakes: the one in the named state
        ("Officials in Illinois said the river rose at Springfield.", "Springfield", "USA", "Illinois"),
        # a state among other states is the state, not the country it shares a name with
        ("Storms hit Alabama, Florida and Georgia overnight.", "Georgia", "USA", "Alabama"),
        ("Wildfires spread across Oregon, Idaho and Washington.", "Washington", "USA", "Oregon"),
    ],
)
def test_names_are_read_in_the_light_of_named_areas(gaz, text, name, country, admin1_of):
    names = [n for n in ("Michigan", "Illinois", "Alabama", "Florida", "Oregon", "Idaho") if n in text]
    found = resolve(gaz, _spans(text, *names, name))
    target = found[-1]
    assert target is not None and target.place.country == country
    if target.place.feature != "ADM1":
        area = next(r for r in found if r is not None and r.text == admin1_of)
        assert target.place.admin1 == area.place.admin1 != ""


@pytest.mark.parametrize(
    ("text", "name", "country", "feature"),
    [
        ("Georgia said talks with Armenia and Azerbaijan would resume.", "Georgia", "GEO", "PCLI"),
        ("The minister flew to Georgia on Tuesday.", "Georgia", "GEO", "PCLI"),
        ("Lawmakers in Washington passed the bill.", "Washington", "USA", "PPLC"),  # the capital
        ("Protesters marched in New York.", "New York", "USA", "PPL"),  # the city, not the state
        ("Shelling hit Donetsk again.", "Donetsk", "UKR", "PPL"),  # the city, not the oblast
        ("Aid reached Aleppo Governorate.", "Aleppo Governorate", "SYR", "ADM1"),
        ("Talks in Mexico ended.", "Mexico", "MEX", "PCLI"),  # the country, not its state
        ("Flooding hit Lagos.", "Lagos", "NGA", "PPL"),
    ],
)
def test_areas_do_not_displace_better_known_places(gaz, text, name, country, feature):
    [found] = resolve(gaz, _spans(text, name))
    assert found is not None and (found.place.country, found.place.feature) == (country, feature)


def test_the_capital_is_the_largest_town_of_its_name(gaz):
    place = lookup(gaz, "Washington")
    assert place is not None and place.country == "USA" and place.admin1 == "DC"
    capitals = [c for c in gaz.candidates("Washington") if c.feature == "PPLC"]
    assert len(capitals) == 1


def test_a_gazetteer_from_other_inputs_is_rebuilt_unless_extended(gaz_path, tmp_path):
    path = tmp_path / "old.sqlite"
    path.write_bytes(gaz_path.read_bytes())
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'fingerprint'")
    stale = Gazetteer.__new__(Gazetteer)
    stale.path = path
    assert not stale._current()
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO places VALUES (1, 'Imported', 'SRB', '', 'PPL', 44, 20, 0, 'geonames')")
    assert stale._current()  # an import would be lost: kept, with a warning
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
    assert not stale._current()


def test_the_default_file_is_named_by_its_inputs(monkeypatch, tmp_path):
    from powderkeg.geocode import build
    from powderkeg.geocode.gazetteer import default_path

    monkeypatch.delenv("POWDERKEG_GAZETTEER", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path() == tmp_path / "powderkeg" / f"gazetteer-{build.fingerprint()}.sqlite"
    monkeypatch.setenv("POWDERKEG_GAZETTEER", str(tmp_path / "mine.sqlite"))
    assert default_path() == tmp_path / "mine.sqlite"


@pytest.mark.parametrize(
    "text,name,precision",
    [
        # a common noun with a country before it is that country's border region
        ("Serbia deployed troops near the Kosovo border on Tuesday.", "Kosovo border", "region"),
        # a proper name of several words is one place
        ("Police clashed with protesters in North Mitrovica on Friday.", "North Mitrovica", "place"),
    ],
)  # fmt: skip
def test_event_place_names_and_regions(code, text, name, precision):
    events = code(text)
    assert events, "no event coded"
    place = events[0]["place"]
    assert place is not None and (place["name"], place["precision"]) == (name, precision), place


@pytest.mark.parametrize(
    "text,name,country",
    [
        # a people's name before an area word names the area the gazetteer calls so, not the
        # people's country ("Somali": Ethiopia's region, not Somalia)
        ("Army units shelled hamlets in the Amhara region on Sunday, killing eight farmers.", "Amhara", "ETH"),
        ("Soldiers torched houses in the Kachin state on Monday, residents said.", "Kachin State", "MMR"),
        ("Clan fighters raided a market in the Somali region of Ethiopia on Monday.", "Somali", "ETH"),
        # an area's own name before the area word is that area, not a region of its country
        ("Drones struck a depot in the Tigray region on Friday.", "Tigray", "ETH"),
        # a people with no area of its name is no place
        ("Jets bombed positions in the Kurdish region overnight.", None, None),
    ],
)  # fmt: skip
def test_a_peoples_name_before_an_area_word_names_the_area(code, text, name, country):
    assert _first_place(code, text) == ((name, country) if name else None)


def _first_place(code, text: str) -> tuple[str, str] | None:
    """The name and country of the place of ``text``'s first event (None: no place)."""
    events = code(text)
    assert events, "no event coded"
    place = events[0]["place"]
    return (place["name"], place["country"]) if place else None


@pytest.mark.parametrize(
    "text,name,country",
    [
        # lower-cased text: a place the gazetteer knows right after a preposition of place
        ("police fired on protesters near bannu on friday, officials said.", "Bannu", "PAK"),
        ("militants attacked a police post in buldhana district on monday, police said.", "Buldhana", "IND"),
        # a name the dictionary also lists as a noun, when it is a big city's or a state's own name
        ("police detained forty activists in delhi during the protest on sunday.", "Delhi", "IND"),
        # an arrest in a town names no arrester: the town is only where it happened
        ("three traders were arrested in multan on friday after the riot, police said.", "Multan", "PAK"),
        # ordinary words stay words: a month, a noun, an adverb, a small area's namesake
        ("police arrested ten people in march after the riots, the minister said.", None, None),
        ("the police arrested twelve men in town after the riot, officials said.", None, None),
        ("a man was killed at home by militants, police said on sunday.", None, None),
        ("the police fired on protesters in unity with the strikers, officials said.", None, None),
        ("police fired on protesters near the border on friday, officials said.", None, None),
    ],
)  # fmt: skip
def test_a_place_in_lower_case_after_a_preposition_places_the_event(code, text, name, country):
    assert _first_place(code, text) == ((name, country) if name else None)


@pytest.mark.slow
def test_the_gazetteer_setting_is_the_only_gazetteer_a_run_opens(gaz_path, tmp_path, monkeypatch):
    # every component (mentions, places, the coder's actors and event places) reads the configured
    # file: nothing is built in the default cache folder
    from powderkeg import Pipeline, Settings
    from powderkeg.geocode import build

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("POWDERKEG_GAZETTEER", raising=False)
    mine = tmp_path / "mine.sqlite"
    mine.write_bytes(gaz_path.read_bytes())
    with sqlite3.connect(mine) as con:
        row = {"name": "Quillbrook", "country": "XKX", "feature": "PPL", "lat": "42.95", "lon": "20.75"}
        build.add_places(con, [row], "user")
    text = (
        "Serb protesters clashed with Kosovo police in Quillbrook on Monday. "
        "Gunmen from Novi Pazar attacked a patrol near Zvecan."
    )
    [(_, events)] = list(Pipeline(Settings(gazetteer=str(mine))).code_texts([{"id": "q", "text": text}]))
    places = {e.place.name: e.place for e in events if e.place is not None}
    assert "Quillbrook" in places and places["Quillbrook"].lat == pytest.approx(42.95)
    assert not cache.exists() or not any(cache.rglob("*.sqlite"))


# -- mechanisms for unseen news: each on sentences written for these tests --------------------


@pytest.mark.parametrize(
    ("name", "geonames", "wikipedia"),
    [
        # a country's point is GeoNames' country feature, and within 161 km of Wikipedia's where it can be
        ("Russia", (60.0, 100.0), None),
        ("China", (35.0, 105.0), (35.0, 103.0)),
        ("United States", (39.76, -98.5), (40.0, -100.0)),
        ("Sudan", (15.0, 30.0), (15.0, 32.0)),
        ("Egypt", (27.0, 30.0), (26.0, 30.0)),
    ],
)
def test_country_points_follow_geonames(gaz, name, geonames, wikipedia):
    place = lookup(gaz, name)
    assert place is not None and place.precision == "country"
    assert distance_km(place.lat, place.lon, *geonames) <= 161
    if wikipedia is not None:
        assert distance_km(place.lat, place.lon, *wikipedia) <= 161


@pytest.mark.parametrize(
    ("text", "word", "country", "feature"),
    [
        ("Sudanese refugees settled in the town.", "Sudanese", "SDN", "PCLI"),
        ("Russian officials denied it.", "Russian", "RUS", "PCLI"),
        ("Thousands of Texans lost power.", "Texans", "USA", "ADM1"),
        ("A Canadian company bought the mill.", "Canadian", "CAN", "PCLI"),  # not Canadian, Texas
        ("European ministers met on Friday.", "European", "", "CONT"),
    ],
)
def test_a_demonym_resolves_to_its_place_and_says_so(gaz, text, word, country, feature):
    [found] = resolve(gaz, _spans(text, word))
    assert found is not None and found.demonym
    assert (found.place.country, found.place.feature) == (country, feature)


@pytest.mark.parametrize(
    ("text", "abbreviation", "name"),
    [
        ("The plant in Charleston, W.Va., closed.", "W.Va.", "West Virginia"),
        ("He grew up in Evansville, Ind., and left.", "Ind.", "Indiana"),
        ("Fires burned near Kelowna, B.C., all week.", "B.C.", "British Columbia"),
        ("Talks in Washington, D.C., ended.", "D.C.", "Washington"),
    ],
)
def test_postal_and_ap_abbreviations_name_their_areas(gaz, text, abbreviation, name):
    found = resolve(gaz, _spans(text, abbreviation))[0]
    assert found is not None and found.place.name == name


@pytest.mark.parametrize("name", ["EU", "UN", "NATO", "United Nations"])
def test_organisations_are_never_namesake_towns(gaz, name):
    [found] = resolve(gaz, [(0, len(name), name)])
    assert found is not None and found.place.feature in ("RGN", "BLDG")


def test_a_town_beside_a_county_of_the_article_is_the_one_in_that_county(gaz):
    # Richmond, Virginia is the larger town; the article's Madison County holds Richmond, Kentucky
    text = "Madison County deputies searched a farm outside Richmond on Tuesday."
    county, town = resolve(gaz, _spans(text, "Madison County", "Richmond"))
    assert town is not None and county is not None
    assert (
        (town.place.country, town.place.admin1)
        == ("USA", "KY")
        == (county.place.country, county.place.admin1)
    )
    [alone] = resolve(gaz, _spans(text, "Richmond"))
    assert alone is not None and alone.place.admin1 == "VA"


def test_the_article_locale_decides_among_towns_of_one_name(gaz):
    # three Ohio towns make an Ohio article: its Springfield is Springfield, Ohio
    text = "Schools in Dayton, Xenia and Fairborn closed; Springfield stayed open."
    *_, town = resolve(gaz, _spans(text, "Dayton", "Xenia", "Fairborn", "Springfield"))
    assert town is not None and (town.place.country, town.place.admin1) == ("USA", "OH")


def test_a_dateline_counts_for_the_article(gaz):
    text = "HOUSTON -- Officials said Pasadena and Baytown reopened roads."
    spans = _spans(text, "HOUSTON", "Pasadena", "Baytown")
    _, pasadena, _ = resolve(gaz, spans, text=text)
    assert pasadena is not None and pasadena.place.admin1 == "TX"  # not Pasadena, California


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # "Texan" read as Texas made the article Texan: Washington the state (a sibling of Texas),
        # Portland the Texas town
        ("Texan and American officials met in Washington on Monday.", "Washington", "DC"),
        ("Texan and American officials met in Portland on Monday.", "Portland", "OR"),
    ],
)
def test_a_demonym_does_not_set_the_article_in_its_area(gaz, text, name, admin1):
    *_, found = resolve(gaz, _spans(text, "Texan", "American", name))
    assert found is not None and (found.place.country, found.place.admin1) == ("USA", admin1)


def test_a_dateline_names_a_town_not_a_country(gaz):
    text = "LEBANON -- The county fair opens Friday with a tractor pull."
    [dated] = resolve(gaz, _spans(text, "LEBANON"), text=text)
    assert dated is not None and dated.place.feature.startswith("PPL")
    [alone] = resolve(gaz, _spans(text, "LEBANON"))
    assert alone is not None and alone.place.feature == "PCLI"


def test_a_bare_name_is_a_county_where_the_article_is_local(gaz):
    text = "Nebraska's fastest-growing counties were Sarpy, Lancaster and Douglas, the census showed."
    _, sarpy, lancaster, douglas = resolve(gaz, _spans(text, "Nebraska", "Sarpy", "Lancaster", "Douglas"))
    for found in (sarpy, lancaster, douglas):
        assert found is not None and (found.place.feature, found.place.admin1) == ("ADM2", "NE")
    # alone, the name is the largest town of that name, not one of the counties called so
    for name in ("Lancaster", "Douglas"):
        [alone] = resolve(gaz, _spans(text, name))
        assert alone is not None and alone.place.feature != "ADM2"


def test_a_county_with_its_word_abbreviated_is_the_county(gaz):
    text = "Deputies in Sarpy Co. and Lancaster Co. searched the river banks."
    for found in resolve(gaz, _spans(text, "Sarpy Co.", "Lancaster Co."), text=text):
        assert found is not None and found.place.feature == "ADM2"


@pytest.mark.parametrize(
    ("name", "town"),
    [
        ("Manila Cathedral", "Manila"),
        ("Arizona State University", "Arizona"),
        ("Dubai World Trade Centre", "Dubai"),
        ("Brighton Chamber of Commerce", "Brighton"),
    ],
)
def test_a_building_lies_in_the_place_it_is_named_after(gaz, name, town):
    [found] = resolve(gaz, [(0, len(name), name)])
    assert found is not None and found.place.name == town


@pytest.mark.parametrize(
    "name",
    [
        "Paris Avenue",
        "Russian Embassy",
        "Boston Street",
        "Embassy of the Republic of Armenia",
        # a stream or a lake is neither in its namesake town nor a county of its name
        "Dallas River",
        "Lake Houston Bay",
        "Jefferson River",
        # the word before "of" says what it is: no town called Bank (Bānk, folded) or Union
        "Bank of Israel",
        "Union of Comoros",
        "Independence of Kosovo",
    ],
)
def test_streets_embassies_and_streams_are_not_in_their_namesakes(gaz, name):
    assert resolve(gaz, [(0, len(name), name)]) == [None]


def test_a_sea_named_as_one_is_the_sea_unless_an_area_word_follows(gaz):
    # Sudan's and Egypt's Red Sea provinces outrank the sea by their people alone; the name's
    # own head word says it is water, an area's word after it says it is the province
    [sea] = resolve(gaz, [(0, 7, "Red Sea")])
    assert sea is not None and sea.place.feature == "SEA"
    text = "Fighting spread to Sudan's Red Sea state on Monday."
    at = text.index("Red Sea")
    *_, area = resolve(gaz, [(19, 24, "Sudan"), (at, at + 7, "Red Sea")], text=text)
    assert area is not None and (area.place.feature, area.place.country) == ("ADM1", "SDN")


def test_a_demonym_is_never_the_place_at_a_span():
    from powderkeg.geocode.gazetteer import Candidate
    from powderkeg.geocode.places import places_at
    from powderkeg.geocode.resolve import Resolved

    russia = Candidate(1, "Russia", "RUS", "", "PCLI", 60.0, 100.0, 0)
    kyiv = Candidate(2, "Kyiv", "UKR", "12", "PPLC", 50.45, 30.52, 2_900_000)
    places = [Resolved(0, 7, "Russian", russia, demonym=True), Resolved(30, 34, "Kyiv", kyiv)]
    assert places_at(places, 0, 7) is None
    assert places_at(places, 30, 34) is not None


@pytest.mark.slow
def test_places_the_recogniser_misses_are_found(pipeline, gaz):
    from powderkeg.geocode.toponyms import geocode_doc

    nlp = pipeline.nlp
    text = (
        "MANSFIELD -- Volunteers from Fargo joined crews near Moorhead on Tuesday. "
        "Crews from Lewisburg, W.Va., and Sudanese volunteers helped. "
        "The Fargo Police Department closed two roads in Minnesota."
    )
    with nlp.select_pipes(disable=["pk_events"]):
        found = {(r.text, r.demonym) for r in geocode_doc(nlp(text), gaz)}
    names = {t for t, _ in found}
    assert {"MANSFIELD", "Fargo", "Moorhead", "W.Va.", "Minnesota"} <= names
    assert ("Sudanese", True) in found


@pytest.mark.slow
def test_a_stream_the_gazetteer_lacks_is_found_and_read_at_the_articles_town(pipeline, gaz):
    from powderkeg.geocode.toponyms import geocode_doc

    text = "Floods closed roads in Fargo, North Dakota, as the Sheyenne River rose on Sunday."
    with pipeline.nlp.select_pipes(disable=["pk_events"]):
        found = {r.text: r for r in geocode_doc(pipeline.nlp(text), gaz)}
    river = found["Sheyenne River"]
    assert river.place.name == "Fargo" and river.inside


@pytest.mark.slow
def test_an_event_never_takes_a_demonym_for_its_place(code):
    events = code("Russian troops shelled Ukrainian positions on Monday.", "2024-03-04")
    assert events and all(e["place"] is None or e["place"]["country"] != "RUS" for e in events)
    [protest] = [e for e in code("Sudanese protesters marched in Omaha on Sunday.", "2024-03-04")
                 if e["type"] == "PROTEST"]  # fmt: skip
    assert protest["place"] is not None and protest["place"]["country"] == "USA"


@pytest.mark.parametrize(
    ("text", "name", "town"),
    [
        # a street or building the gazetteer lacks lies in the article's town
        ("Police in Denver said a man was stabbed on Hampton Avenue late on Friday.", "Hampton Avenue", "Denver"),
        ("Two nurses at Saint Agnes Memorial Hospital were hurt, officials in Lyon said.",
         "Saint Agnes Memorial Hospital", "Lyon"),
        ("Crowds gathered outside the 2700 North Fourth Street office, Chicago police said.",
         "2700 North Fourth Street", "Chicago"),
        # ... or in the town named right after it, rather than the article's most named one
        ("Houston police said Tuesday that Houston officers arrested a man at Riverside Clinic in Austin.",
         "Riverside Clinic", "Austin"),
        # an embassy is not in the country it is of
        ("Protesters in Moscow and in Vilnius gathered outside the Russian Embassy in Vilnius. Moscow said nothing.",
         "Russian Embassy", "Vilnius"),
    ],
)  # fmt: skip
def test_a_street_or_building_lies_in_the_articles_town(gaz, text, name, town):
    names = [n for n in ("Denver", "Lyon", "Chicago", "Houston", "Austin", "Moscow", "Vilnius") if n in text]
    found = dict(zip([name, *names], resolve(gaz, _spans(text, name, *names), text=text), strict=True))
    assert found[name] is not None and found[name].place.name == town and found[name].inside
    assert not any(found[n].inside for n in names)


@pytest.mark.parametrize(
    "name",
    ["Northwestern Memorial Hospital", "Central Convention Centre", "Squirrel Hill", "Nagorno Republic"],
)
def test_a_generic_word_is_never_the_place_a_name_is_named_after(gaz, name):
    # alone, with no town in the article, such a name is not resolved rather than sent to a namesake
    assert resolve(gaz, [(0, len(name), name)], text=name) == [None]


def test_a_building_named_after_a_town_far_from_the_article_is_in_the_articles_town(gaz):
    text = "Students at Loyola University rallied, and police in Chicago closed two roads."
    found, chicago = resolve(gaz, _spans(text, "Loyola University", "Chicago"), text=text)
    assert found is not None and found.place.name == "Chicago" and found.inside
    # named after an area, it stays in that area
    text = "Students at Arizona State University rallied, and police in Chicago closed two roads."
    found, _ = resolve(gaz, _spans(text, "Arizona State University", "Chicago"), text=text)
    assert (
        found is not None and (found.place.feature, found.place.admin1) == ("ADM1", "AZ") and not found.inside
    )


@pytest.mark.parametrize("name", ["EU", "U.N."])
def test_an_abbreviation_is_not_the_town_it_spells(gaz, name):
    # "Eu" is a town in France: in an article about France the EU is still the EU
    text = f"Farmers in France and Spain protested against {name} rules in Paris on Monday."
    found = resolve(gaz, _spans(text, "France", "Spain", name, "Paris"), text=text)[2]
    assert found is not None and not found.place.feature.startswith("PPL")


@pytest.mark.parametrize(
    ("text", "feature"),
    [
        ("Senators in Washington argued over budgets for Texas, Ohio and California on Monday.", "PPLC"),
        ("Lawmakers from Texas and California flew to Washington on Monday.", "PPLC"),
        # the text marks it as the state: in a list of states, "Washington state", "the state of Washington"
        ("Cases were found in Texas, Ohio, Washington and California on Monday.", "ADM1"),
        ("Fires spread in Washington state and in Oregon and California on Monday.", "ADM1"),
        ("Fires spread in the state of Washington; Oregon and California were spared.", "ADM1"),
    ],
)
def test_a_name_that_is_also_the_capital_is_the_capital_unless_marked_as_the_state(gaz, text, feature):
    names = [n for n in ("Washington", "Texas", "Ohio", "California", "Oregon") if n in text]
    found = resolve(gaz, _spans(text, *names), text=text)[0]
    assert found is not None and (found.place.feature, found.place.country) == (feature, "USA")


_BUILD = """
import sys
from powderkeg.geocode import build
from powderkeg.geocode.gazetteer import Gazetteer
if sys.argv[2] == "open":
    gaz = Gazetteer(sys.argv[1], min_population=15000)
    assert gaz.candidates("Kosovo"), "no Kosovo"
else:
    build.build(sys.argv[1], min_population=15000)
"""


@pytest.mark.parametrize("how", ["open", "build"])
def test_two_processes_building_one_gazetteer_both_succeed(tmp_path, how):
    # "open": both find no file and build it (one waits for the other's lock, then reads its file);
    # "build": both rebuild it at once, as `powderkeg gazetteer build` does, each in a file of its own
    import subprocess
    import sys

    path = tmp_path / "gazetteer.sqlite"
    runs = [
        subprocess.Popen([sys.executable, "-c", _BUILD, str(path), how], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errs = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errs
    assert sorted(p.name for p in tmp_path.iterdir() if ".partial" in p.name) == []
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM places WHERE feature = 'PCLI'").fetchone()[0] > 200
    if how == "open":  # the second found the file the first built: built once
        assert sum("building the gazetteer" in err for err in errs) == 1


@pytest.mark.parametrize(
    ("text", "names", "country", "feature"),
    [
        ("Fires burned near Perth and in Broome, WA, overnight.", ("Perth", "Broome", "WA"), "AUS", "ADM1"),
        ("The festival moved from Adelaide to a town in SA.", ("Adelaide", "SA"), "AUS", "ADM1"),
        ("Roads around Darwin were cut, the NT police said.", ("Darwin", "NT"), "AUS", "ADM1"),
        ("Canberra will send police to PNG after the riots.", ("Canberra", "PNG"), "PNG", "PCLI"),
        ("The squad flew to SA for matches in Johannesburg and Durban.", ("SA", "Johannesburg", "Durban"),
         "ZAF", "PCLI"),
    ],
)  # fmt: skip
def test_a_regions_abbreviations_name_its_places_where_the_article_is_set_there(
    gaz, text, names, country, feature
):
    found = {r.text: r for r in resolve(gaz, _spans(text, *names)) if r is not None}
    abbreviation = next(n for n in names if n.isupper())
    assert (found[abbreviation].place.country, found[abbreviation].place.feature) == (country, feature)


def test_a_regions_abbreviation_is_not_its_place_elsewhere(gaz):
    text = "The firm opened offices in Seattle and in Spokane, WA, last year."
    *_, wa = resolve(gaz, _spans(text, "Seattle", "Spokane", "WA"))
    assert wa is None or wa.place.country != "AUS"


#: a made-up namesake pair: a well-known town abroad, a smaller one in the article's country
_ABROAD = Candidate(41, "Ravello", "ITA", "20", "PPL", 45.4, 12.3, 60_000)
_AT_HOME = Candidate(42, "Ravello", "USA", "CA", "PPL", 34.0, -118.4, 40_000)
_HOME = Candidate(43, "Ohio", "USA", "OH", "ADM1", 40.3, -82.8, 0)
_KIEV = Candidate(44, "Ukraine", "UKR", "", "PCLI", 49.0, 32.0, 0)
_US = Candidate(45, "United States", "USA", "", "PCLI", 39.8, -98.5, 0)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        # a firm or body named after a town need not be in the article's country
        ("The United States urged Ukraine to heed the Ravello Commission on its courts.", _ABROAD),
        ("The United States and Ukraine said Ravello Capital had misused the data.", _ABROAD),
        # the town itself, or a local institution named after it, is the article's
        ("The United States sent aid to Ravello after the floods in Ukraine.", _AT_HOME),
        ("The United States said the Ravello Police Department had closed the case.", _AT_HOME),
        ("The United States said the Ravello Tigers had won again.", _AT_HOME),  # its team
        ("The United States said in Ravello Monday that Ukraine would get aid.", _AT_HOME),
    ],
)
def test_a_namesake_inside_an_organisations_name_is_read_alone(text, meant):
    gaz = _Names({"Ravello": (_ABROAD, _AT_HOME), "Ukraine": (_KIEV,), "United States": (_US,)})
    names = [n for n in ("United States", "Ukraine", "Ravello") if n in text]
    found = {r.text: r for r in resolve(gaz, _spans(text, *names), text=text) if r}  # type: ignore[arg-type]
    assert found["Ravello"].place == meant


def test_an_organisations_namesake_in_the_articles_country_is_the_articles():
    """A US town's firm in US news is the article's town, even where a larger namesake in the same
    country exists: only a namesake abroad is read alone."""
    near = Candidate(46, "Ravello", "USA", "OH", "PPL", 40.1, -82.9, 20_000)
    gaz = _Names({"Ravello": (_AT_HOME, near), "Ohio": (_HOME,)})
    text = "Ohio officials said Ravello Analytics would hire 200 people."
    _, town = resolve(gaz, _spans(text, "Ohio", "Ravello"), text=text)  # type: ignore[arg-type]
    assert town is not None and town.place == near


_LONDON = Candidate(51, "London", "GBR", "ENG", "PPLC", 51.5, -0.13, 8_900_000)
_BRITAIN = Candidate(52, "Britain", "GBR", "", "PCLI", 54.0, -2.0, 0)
_FARNLEY = Candidate(53, "Farnley", "USA", "FL", "PPL", 28.7, -81.4, 5_000)


@pytest.mark.parametrize(
    ("text", "abroad"),
    [
        # a small town abroad the article has nothing else in: a place near its town the gazetteer lacks
        ("Britain said flights to Farnley were cut. London and London's mayor agreed.", False),
        # an article that names the town's country may well mean the town
        ("Britain and the United States said flights to Farnley were cut from London and London.", True),
        # two small namesakes far apart in that country say nothing for each other
        ("Britain said Farnley and Quarry Vale lost power. London and London's mayor agreed.", False),
        # nor does one small town named twice
        ("Britain said Farnley and Farnley Lagoon lost power. London and London's mayor agreed.", False),
        # a small town beside it does: the two are meant together
        ("Britain said Farnley and Oak Lea lost power. London and London's mayor agreed.", True),
    ],
)
def test_a_small_town_alone_in_its_country_is_read_at_the_articles_town(text, abroad):
    us = Candidate(54, "United States", "USA", "", "PCLI", 39.8, -98.5, 0)
    far = Candidate(55, "Quarry Vale", "USA", "NV", "PPL", 38.8, -119.3, 1_000)
    beside = Candidate(56, "Oak Lea", "USA", "FL", "PPL", 28.75, -81.35, 3_000)
    gaz = _Names(
        {"London": (_LONDON,), "Britain": (_BRITAIN,), "Farnley": (_FARNLEY,), "United States": (us,),
         "Quarry Vale": (far,), "Oak Lea": (beside,), "Farnley Lagoon": (_FARNLEY,)}
    )  # fmt: skip
    names = [
        n
        for n in ("Britain", "United States", "Farnley", "Farnley Lagoon", "Quarry Vale", "Oak Lea")
        if n in text
    ]
    spans = _spans(text, *names) + [(m.start(), m.end(), "London") for m in re.finditer("London", text)]
    found = {r.text: r for r in resolve(gaz, spans, text=text) if r}  # type: ignore[arg-type]
    assert found["Farnley"].place == (_FARNLEY if abroad else _LONDON)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The NT government and the WA premier met in Canberra.", {"NT", "WA", "Canberra"}),
        ("Police in Perth said he drove to Broome, WA, before his arrest.", {"Perth", "Broome", "WA"}),
        # a US state's postal code, an image format: no place
        ("The Seattle firm opened an office in Spokane, WA, in May.", {"Seattle", "Spokane"}),
        ("Save the chart as a PNG file and send it to the office in Denver.", {"Denver"}),
    ],
)
def test_geocode_finds_a_regions_abbreviations_only_in_its_articles(pipeline, gaz, text, found):
    from powderkeg.geocode.toponyms import geocode_doc

    with pipeline.nlp.select_pipes(disable=["pk_events"]):
        assert {r.text for r in geocode_doc(pipeline.nlp(text), gaz)} == found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Georgia Pacific Corp said it would close its mill near Macon.", {"Macon"}),
        ("Shares of Texas Instruments Inc rose in Dallas on Tuesday.", {"Dallas"}),
        ("Dublin Bank reported higher profits, its office in Cork said.", {"Cork"}),
        # a country's name says where the company is from; a place called like a trade word stays one
        ("Kenya Airways resumed flights to Nairobi.", {"Kenya", "Nairobi"}),
        ("Settlers moved into the West Bank, officials in Ramallah said.", {"West Bank", "Ramallah"}),
    ],
)
def test_a_place_that_heads_a_companys_name_is_no_place(pipeline, gaz, text, found):
    from powderkeg.geocode.toponyms import geocode_doc

    with pipeline.nlp.select_pipes(disable=["pk_events"]):
        assert {r.text for r in geocode_doc(pipeline.nlp(text), gaz)} == found


class _Names:
    """A gazetteer by hand: each name's readings, no demonyms, no abbreviations."""

    neighbours: dict[str, set[str]] = {}

    def __init__(self, readings):
        self.readings = readings

    def candidates(self, name):
        return self.readings.get(name, ())

    def demonym(self, word):
        return None

    def contextual(self, name):
        return ()


def test_a_region_across_borders_is_not_displaced_by_a_namesake_in_the_articles_country():
    from powderkeg.geocode.gazetteer import Candidate

    region = Candidate(2_000_000_001, "Middle East", "", "", "RGN", 33.1, 35.9, 0)
    quarter = Candidate(11, "Middle East", "USA", "MD", "PPL", 39.3, -76.6, 1_872)
    texas = Candidate(12, "Texas", "USA", "TX", "ADM1", 31.3, -99.3, 25_000_000)
    houston = Candidate(13, "Houston", "USA", "TX", "PPL", 29.8, -95.4, 2_300_000)
    gaz = _Names({"Middle East": (region, quarter), "Texas": (texas,), "Houston": (houston,)})
    text = "Refiners in Houston and across Texas watched oil prices as fighting spread in the Middle East."
    *_, place = resolve(gaz, _spans(text, "Houston", "Texas", "Middle East"), text=text)  # type: ignore[arg-type]
    assert place is not None and place.place == region


@pytest.mark.parametrize(
    ("name", "lat", "lon"), [("Middle East", 33.14, 35.86), ("Indian Ocean", -10.0, 70.0)]
)
def test_regions_and_seas_take_geonames_point_where_known(gaz, name, lat, lon):
    place = lookup(gaz, name)
    assert place is not None and distance_km(place.lat, place.lon, lat, lon) < 161


def test_a_building_lies_in_the_town_of_the_country_the_article_names_on_a_tie():
    from powderkeg.geocode.gazetteer import Candidate

    ireland = Candidate(21, "Ireland", "IRL", "", "PCLI", 53.0, -8.0, 4_900_000)
    dublin = Candidate(22, "Dublin", "IRL", "L", "PPLC", 53.33, -6.25, 1_000_000)
    london = Candidate(23, "London", "GBR", "ENG", "PPLC", 51.51, -0.13, 8_900_000)
    gaz = _Names({"Ireland": (ireland,), "Dublin": (dublin,), "London": (london,)})
    text = (
        "The pianist trained in London and came home to Ireland, where Dublin audiences know her. "
        "She plays the Harbour Concert Hall next month."
    )
    names = ("London", "Ireland", "Dublin", "Harbour Concert Hall")
    *_, hall = resolve(gaz, _spans(text, *names), text=text)  # type: ignore[arg-type]
    assert hall is not None and hall.inside and hall.place == dublin


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "embedded", "places"),
    [
        ("Bank of America cut 300 jobs at its office in Charlotte on Monday.", {"America"}, {"Charlotte"}),
        ("The Bank of England raised rates, traders in London said.", {"England"}, {"London"}),
        ("Real Madrid beat Valencia in Madrid on Sunday.", {"Madrid"}, {"Valencia", "Madrid"}),
        ("Manchester United signed a striker from Italy on Friday.", {"Manchester"}, {"Italy"}),
    ],
)
def test_a_place_inside_an_organisations_name_is_no_events_place(pipeline, gaz, text, embedded, places):
    from powderkeg.geocode.places import places_at
    from powderkeg.geocode.toponyms import geocode_doc

    with pipeline.nlp.select_pipes(disable=["pk_events"]):
        found = geocode_doc(pipeline.nlp(text), gaz)
    assert {r.text for r in found if r.embedded} == embedded
    assert {r.text for r in found if places_at(found, r.start, r.end) is not None} == places


def test_a_capital_named_for_its_government_does_not_pull_a_namesake_towards_it():
    from powderkeg.geocode.gazetteer import Candidate

    capital = Candidate(31, "Washington", "USA", "DC", "PPLC", 38.9, -77.04, 690_000)
    near = Candidate(32, "Cambridge", "USA", "MD", "PPL", 38.56, -76.08, 12_507)
    larger = Candidate(33, "Cambridge", "USA", "MA", "PPL", 42.38, -71.11, 110_402)
    gaz = _Names({"Washington": (capital,), "Cambridge": (near, larger)})
    text = "Washington said on Monday that the Cambridge firm had broken no law."
    _, town = resolve(gaz, _spans(text, "Washington", "Cambridge"), text=text)  # type: ignore[arg-type]
    assert town is not None and town.place == larger


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a union of countries is an actor and an area; an organisation's seat is only an actor
        ("Promising to make Serbia an EU member, he won the vote.", {"Serbia", "EU"}),
        ("The European Union and NATO met the UN envoy in Brussels.", {"European Union", "Brussels"}),
    ],
)
def test_a_union_of_countries_is_a_place_and_an_organisation_is_not(pipeline, gaz, text, found):
    from powderkeg.geocode.toponyms import geocode_doc

    with pipeline.nlp.select_pipes(disable=["pk_events"]):
        assert {r.text for r in geocode_doc(pipeline.nlp(text), gaz)} == found


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, name",
    [
        # a list partner of a place found ("and", commas), whatever the recogniser calls it
        ("Clashes were reported in Cizre and Silopi on Tuesday, the governor said.", "Silopi"),
        ("Security forces in Batman, Siirt and Bitlis were put on alert.", "Bitlis"),
        # a lower-case area word after the name
        ("Refugees gathered in the Reyhanli district of Hatay on Monday.", "Reyhanli"),
        # a name the recogniser calls a nationality but no demonym is: a first-level area
        ("The Kayseri chamber of commerce said exports fell.", "Kayseri"),
        # the kind of place before "of"
        ("The Aegean island of Lesbos received migrants, the coast guard said.", "Lesbos"),
        # a capitalised noun the tagger did not know as a name
        (
            "The army shelled positions after mortar rounds hit Akçakale and Ceylanpınar in Şanlıurfa province.",
            "Şanlıurfa",
        ),
    ],
)
def test_foreign_names_the_recogniser_mislabels_are_found(pipeline, gaz, text, name):
    """Each sentence is one where the small model mislabels the name (or leaves it a common noun)."""
    from powderkeg.geocode.toponyms import geocode_doc

    nlp = pipeline.nlp
    with nlp.select_pipes(disable=["pk_events"]):
        found = {r.text: r.place.country for r in geocode_doc(nlp(text), gaz)}
    assert found.get(name) in ("TUR", "GRC")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text", ["Kurdish and Turkish officials met.", "Democrats and Republicans in Ankara met."]
)
def test_words_for_peoples_and_parties_stay_no_places(pipeline, gaz, text):
    from powderkeg.geocode.toponyms import geocode_doc

    nlp = pipeline.nlp
    with nlp.select_pipes(disable=["pk_events"]):
        found = [r for r in geocode_doc(nlp(text), gaz) if not r.demonym]
    assert {r.text for r in found} <= {"Ankara"}


def test_a_list_partner_of_a_place_is_a_place_in_both_directions():
    from powderkeg.geocode.toponyms import _listed_with

    text = "in Cizre, Silopi and Idil but not Smith"
    found = {3: (3, 8, "Cizre")}
    pending = [(10, 16), (21, 25), (34, 39)]
    assert list(_listed_with(pending, found, text)) == [(10, 16), (21, 25)]


def test_a_second_level_area_named_like_a_town_ranks_as_its_people():
    from powderkeg.geocode.gazetteer import Candidate
    from powderkeg.geocode.resolve import priors

    council = Candidate(1, "Cambridge", "AUS", "08", "ADM2", -31.9, 115.8, 30_000)
    town = Candidate(2, "Cambridge", "GBR", "ENG", "PPL", 52.2, 0.12, 145_000)
    county = Candidate(3, "Suffolk County", "USA", "NY", "ADM2", 40.9, -72.7, 30_000)
    ranked = priors([council, town], "Cambridge")
    assert ranked[town.id] > ranked[council.id]
    # an area called by its area word keeps the bonus of an area
    assert priors([county], "Suffolk County")[county.id] > priors([council, town], "Cambridge")[council.id]


@pytest.mark.parametrize(
    "text, name, country, feature",
    [
        # residents go by their town's name, a country's by its demonym ("a Lebanese man")
        ("A Lebanon man was charged with theft after a crash on Main Street.", "Lebanon", "USA", "PPL"),
        # a country's name written after a town and a comma is the area that holds the town
        ("Two cars crashed in Gainesville, Georgia, on Friday night.", "Georgia", "USA", "ADM1"),
        # the country stays the country elsewhere
        ("Talks in Tbilisi, the capital of Georgia, resumed.", "Georgia", "GEO", "PCLI"),
    ],
)
def test_the_words_around_a_country_name_may_make_it_a_town_or_a_state(gaz, text, name, country, feature):
    spans = [
        (text.index(n), text.index(n) + len(n), n)
        for n in ("Lebanon", "Gainesville", "Georgia", "Tbilisi")
        if n in text
    ]
    found = {r.text: r.place for r in resolve(gaz, spans, text=text) if r}
    assert (found[name].country, found[name].feature) == (country, feature)


@pytest.mark.parametrize(
    "alternate, name, code",
    [
        ("SDF", "Louisville", True),  # an airport's code
        ("CDC", "Cedar City", True),
        ("NYC", "New York City", False),  # the initials of the town's own name
        ("LA", "Los Angeles", False),
        ("Fao", "Al Fāw", False),  # a name, not a code
    ],
)
def test_airport_codes_are_no_names_of_their_towns(alternate, name, code):
    from powderkeg.geocode.build import _code

    assert _code(alternate, name) is code


def test_an_organisations_abbreviation_is_no_town(gaz):
    assert not gaz.candidates("SDF")  # the Syrian Democratic Forces, not Louisville's airport


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, name",
    [
        ("Cases of Crimean-Congo hemorrhagic fever rose in Sivas.", "Congo"),
        ("Pigs on two farms near Manila carried the Reston ebolavirus.", "Reston"),
        ("Health officials in Athens found West Nile virus in mosquitoes.", "Nile"),
    ],
)
def test_a_disease_named_after_a_place_is_no_toponym(pipeline, gaz, text, name):
    from powderkeg.geocode.toponyms import geocode_doc

    nlp = pipeline.nlp
    with nlp.select_pipes(disable=["pk_events"]):
        found = {r.text for r in geocode_doc(nlp(text), gaz)}
    assert not any(name in f for f in found)
    assert found  # the article's real places stay


def test_a_country_before_a_disease_word_stays_a_place():
    from powderkeg.geocode.toponyms import _in_disease

    class Gaz:
        def candidates(self, name):
            from powderkeg.geocode.gazetteer import Candidate

            return (Candidate(1, "United States", "USA", "", "PCLI", 39.8, -98.5, 0),)

    text = "the United States virus lab"
    assert not _in_disease(text, 4, 17, Gaz())
    assert _in_disease("the Crimean-United States virus", 12, 25, Gaz())  # joined into a disease's name


@pytest.mark.parametrize(
    "text, name, feature, population, named",
    [
        ("Rize", "Rize Province", "ADM1", 348_000, True),  # its name less the area word
        ("Georgia", "Georgia", "PCLI", 3_700_000, True),
        ("Act", "Australian Capital Territory", "ADM1", 0, False),  # ACT written as a word
        ("ACT", "Australian Capital Territory", "ADM1", 0, True),
        ("Michael", "Michael", "ADM1", 1, False),  # a parish of the Isle of Man, a person's name
    ],
)
def test_a_name_is_a_place_by_the_area_it_names_only_by_its_own_name(text, name, feature, population, named):
    from powderkeg.geocode.cues import area_named
    from powderkeg.geocode.gazetteer import Candidate

    area = Candidate(1, name, "XXX", "01", feature, 0.0, 0.0, population)
    assert area_named(area, text) is named


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Ceredigion", "GBR", "ADM2"),  # "County of Ceredigion" in the source
        ("Powys", "GBR", "ADM2"),  # "Sir Powys"
        ("Bolton", "GBR", "PPL"),  # "Borough of Bolton" by its bare name is the town
    ],
)
def test_an_area_goes_by_its_name_without_its_kind_unless_a_town_has_it(gaz, name, country, feature):
    found = lookup(gaz, name)
    assert found is not None and found.country == country
    assert (found.precision == "place") == (feature == "PPL")


@pytest.mark.parametrize(
    ("text", "area"),
    [
        # a first-level area named by directions only is that area where the article is set in its country
        ("Miners marched in Rustenburg, in South Africa's North West, on Monday.", True),
        ("Cameroon's army said fighting in the North-West had displaced thousands.", True),
        # elsewhere the words are no such area
        ("Storms in Ohio and the North West of England closed roads.", False),
    ],
)
def test_an_area_named_by_directions_is_one_in_its_countrys_news(gaz, text, area):
    name = "North-West" if "North-West" in text else "North West"
    names = [n for n in ("Rustenburg", "South Africa", "Cameroon", "Ohio", "England") if n in text]
    found = {r.text: r for r in resolve(gaz, _spans(text, *names, name), text=text) if r}
    assert (name in found and found[name].place.name.startswith("North")) == area


_NENAGH = Candidate(61, "Nenagh", "IRL", "M", "PPL", 52.86, -8.2, 8_000)
_TIPPERARY = Candidate(62, "Tipperary", "IRL", "M", "ADM1", 52.6, -7.9, 0)
_IRELAND = Candidate(63, "Ireland", "IRL", "", "PCLI", 53.0, -8.0, 0)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        # a village the gazetteer lacks, in news from a town near it: read at that town
        ("Nenagh councillors said the Toomvale road would reopen. Nenagh traders agreed.", _NENAGH),
        # no town named: the first-level area the article names
        ("Tipperary councillors said the Toomvale road would reopen.", _TIPPERARY),
        # a country alone says too little about where a village lies
        ("Ireland's councillors said the Toomvale road would reopen.", None),
    ],
)
def test_a_name_the_gazetteer_lacks_is_read_at_the_articles_town(text, at):
    gaz = _Names({"Nenagh": (_NENAGH,), "Tipperary": (_TIPPERARY,), "Ireland": (_IRELAND,)})
    names = [n for n in ("Nenagh", "Tipperary", "Ireland") if n in text]
    found = {r.text: r for r in resolve(gaz, _spans(text, *names, "Toomvale"), text=text) if r}  # type: ignore[arg-type]
    assert (found["Toomvale"].place if "Toomvale" in found else None) == at
    assert "Toomvale" not in found or found["Toomvale"].inside  # placed at its town, not its own point
