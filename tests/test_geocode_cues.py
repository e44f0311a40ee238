"""Cues in the words around a known name that make it a place (geocode/cues.py), on sentences of our own."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from powderkeg.geocode.cues import DISEASE_AFTER, DISEASE_WORD, place_cue

_NLP = spacy.blank("en")


def _cue(text: str, name: str, person: str = "") -> bool:
    doc = _NLP(text)
    if person:
        at = text.index(person)
        doc.ents = [
            Span(
                doc,
                doc.char_span(at, at + len(person)).start,
                doc.char_span(at, at + len(person)).end,
                "PERSON",
            )
        ]
    at = text.index(name)
    span = doc.char_span(at, at + len(name))
    assert span is not None
    return place_cue(span, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sen. Jane Doe, D-Ridgeford, voted against the levy.", "Ridgeford"),
        ("Rep. John Roe (R-Millbrook) spoke first.", "Millbrook"),
        ("Speaker Ann Poe, DFL-Lakeland, disagreed.", "Lakeland"),
        ("A Millbrook man was charged on Friday.", "Millbrook"),
        ("Police said a 31-year-old Ridgeford woman was hurt.", "Ridgeford"),
        ("Lakeland teen wins spelling bee\nThe contest was held on Monday.", "Lakeland"),
        ("Schools in Adams, Brown, Clark or Dale counties closed early.", "Brown"),
        ("Schools in Adams, Brown, Clark or Dale counties closed early.", "Dale"),
        ("The growth of Adams and Brown counties slowed.", "Adams"),
        ("The award went to Sam Poe, 42, of Millbrook.", "Millbrook"),
        ("Millbrook police closed the road.", "Millbrook"),
        ("Homes within Lakeland city limits may not burn leaves.", "Lakeland"),
        ("Troop 12 of Ridgeford collected food.", "Ridgeford"),
        ("Flooding closed roads across the Lakeland area.", "Lakeland"),
        ("(Photo: Ridgeford PD)", "Ridgeford"),
        ("The crash closed the highway 3 miles southwest of Lakeland.", "Lakeland"),
    ],
)
def test_words_around_a_name_say_it_is_a_place(text, name):
    assert _cue(text, name)


def test_a_person_before_of_makes_the_name_after_a_place():
    assert _cue("The prize went to Jane Doe of Ridgeford last year.", "Ridgeford", person="Jane Doe")
    assert _cue("The idea is sound, said Jane Doe, of Ridgeford.", "Ridgeford", person="Jane Doe")
    # not after an organisation or a title: "Bank of Ridgeford", "University of Ridgeford"
    assert not _cue("The prize went to the Bank of Ridgeford last year.", "Ridgeford")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Millbrook family has farmed here since 1900.", "Millbrook"),  # a family's name
        ("Ridgeford said the deal was done.", "Ridgeford"),
        ("Adams, Brown and Clark signed the letter.", "Brown"),  # a list of people
        ("The D-Day landings began at dawn.", "Day"),
        ("Millbrook manages the fund.", "Millbrook"),  # "man" only as a word
    ],
)
def test_no_cue_where_the_words_do_not_say_place(text, name):
    assert not _cue(text, name)


@pytest.mark.slow
def test_a_resident_and_a_legislator_s_home_town_are_found_as_places(pipeline, gaz_15k):
    from powderkeg.geocode.toponyms import toponym_spans

    nlp = pipeline.nlp
    text = (
        "A Gainesville man was arrested on Tuesday. Rep. Mary Doe, D-Pleasanton, "
        "said the state needs more deputies for Butler, Hamilton and Warren counties."
    )
    with nlp.select_pipes(disable=["pk_events"]):
        found = {t for _, _, t in toponym_spans(nlp(text), gaz_15k)}
    assert {"Gainesville", "Pleasanton", "Hamilton"} <= found


@pytest.fixture(scope="module")
def gaz_15k(tmp_path_factory):
    from powderkeg.geocode.gazetteer import Gazetteer

    return Gazetteer(tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite", min_population=15000)


def _resolve_names(gaz, text: str, *names: str) -> dict[str, object]:
    from powderkeg.geocode.resolve import resolve

    spans = [(text.index(n), text.index(n) + len(n), n) for n in names]
    return {r.text: r.place for r in resolve(gaz, spans, text=text) if r is not None}


def test_a_name_in_a_list_of_counties_is_the_county(gaz_15k):
    text = "Flood warnings cover Butler, Hamilton and Warren counties."
    found = _resolve_names(gaz_15k, text, "Butler", "Hamilton", "Warren")
    assert found["Hamilton"].feature == "ADM2" and found["Hamilton"].name == "Hamilton County"
    # the same name alone is the large town
    found = _resolve_names(gaz_15k, "Flood warnings cover Hamilton tonight.", "Hamilton")
    assert found["Hamilton"].feature.startswith("PPL")
    # a state heading the list stays the state
    found = _resolve_names(gaz_15k, "Across Indiana, Hamilton and Boone counties grew fastest.", "Indiana")
    assert found["Indiana"].feature == "ADM1"


@pytest.mark.parametrize(
    "text",
    ["Reston ebolavirus", "Marburg haemorrhagic fever", "Nile-Like DISEASE", "Powassan Encephalitis"],
)
def test_a_disease_after_a_place_holds_a_disease_word(text):
    """``DISEASE_WORD``, looked for once per article, is in every text ``DISEASE_AFTER`` matches
    in (people.py skips the per-name search without it)."""
    name = text.split()[0]
    assert DISEASE_AFTER.match(text, len(name)) is not None
    assert DISEASE_WORD.search(text) is not None and DISEASE_WORD.search(name + " was calm") is None
