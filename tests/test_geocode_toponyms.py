"""Toponym detection end to end (geocode/toponyms.py) on sentences of our own: what is found, what is not."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def gaz_15k(tmp_path_factory):
    from powderkeg.geocode.gazetteer import Gazetteer

    return Gazetteer(tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite", min_population=15000)


def _found(pipeline, gaz, text: str) -> set[str]:
    from powderkeg.geocode.toponyms import toponym_spans

    with pipeline.nlp.select_pipes(disable=["pk_events"]):
        return {t for _, _, t in toponym_spans(pipeline.nlp(text), gaz)}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a dateline that ends with a colon
        ("BEIRUT: Police arrested a man on Monday after a raid on a warehouse.", "BEIRUT"),
        # a legislator's party and home town, which the recogniser reads as one organisation
        ("Rep. Jane Doe, D-Pleasanton, introduced the bill on Tuesday.", "Pleasanton"),
        # a town's police and residents in lower case, at the start of a sentence too
        ("Roselle police ticketed 200 drivers last month.", "Roselle"),
        ("Wooster residents will vote on the levy in May.", "Wooster"),
        # a numbered local unit of a club: "Troop 12 of Madison"
        ("Troop 12 of Madison collected canned food for the pantry.", "Madison"),
        # a person, a comma, "of" and the town they are from
        ("The plan works, said Tom Amsel, of Wooster.", "Wooster"),
    ],
)
def test_a_place_the_words_around_it_name_is_found(pipeline, gaz_15k, text, name):
    assert name in _found(pipeline, gaz_15k, text)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # one sense per article: a surname the article gives in full is the person alone too
        ("Sheriff Greg Taylor said the suspect fled. He was caught, according to Taylor.", "Taylor"),
        ("Jane Fairfield was charged in May. Fairfield declined to plead on Friday.", "Fairfield"),
        ("Mayor Ann Pasadena will speak at noon, and Pasadena will take questions.", "Pasadena"),
        # a place word inside an armed group's name before a demonym is no place
        ("Fighters of the Free Syrian Army attacked a checkpoint.", "Free"),
    ],
)
def test_a_name_that_is_no_place_here_is_not_found(pipeline, gaz_15k, text, name):
    assert name not in _found(pipeline, gaz_15k, text)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # a state after the name, or the name alone after "in", says the article means the town too
        "Sheriff Greg Taylor spoke on Monday. The crash happened in Taylor, Mich., at dawn.",
        "Sheriff Greg Taylor spoke on Monday. A new school opened in Taylor, where he lives.",
    ],
)
def test_a_surname_that_the_article_also_places_stays_a_place(pipeline, gaz_15k, text):
    assert "Taylor" in _found(pipeline, gaz_15k, text)
