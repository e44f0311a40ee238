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
        # a direction from a town
        ("Volunteers filled sandbags two miles north of Moorhead on Friday.", "Moorhead"),
        # a town's own building, its name in the possessive
        ("A new cancer ward has opened at Derry's Altnagelvin Hospital this week.", "Derry"),
        # a town's name inside an organisation's after a word that makes it an area
        ("Metro Vancouver will ban the dumping of old paint.", "Vancouver"),
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
        # a word of an organisation's name before another, though towns bear it
        ("Call the Dayton Police Department or the Akron Superior Court.", "Police"),
        ("Call the Dayton Police Department or the Akron Superior Court.", "Superior"),
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


class _Towns:
    """A gazetteer by hand that knows a few names as towns and no demonyms."""

    def __init__(self, *names: str):
        from powderkeg.geocode.gazetteer import Candidate

        self.readings = {
            n: (Candidate(i, n, "USA", "TX", "PPL", 32.0, -95.0, 50_000),) for i, n in enumerate(names)
        }

    def candidates(self, name):
        return self.readings.get(name, ())

    def demonym(self, word):
        return None


def _persons(text: str, *names: str, place: str = "") -> set[str]:
    """The people's keys that article_people reads from ``text`` where ``names`` are labelled PERSON (each
    time they occur) and ``place`` GPE."""
    import re

    import spacy
    from spacy.tokens import Span

    from powderkeg.geocode.people import article_people

    doc = spacy.blank("en")(text)
    ents = []
    for label, name in [*(("PERSON", n) for n in names), *((("GPE", place),) if place else ())]:
        for m in re.finditer(re.escape(name), text):
            span = doc.char_span(m.start(), m.end())
            ents.append(Span(doc, span.start, span.end, label))
    doc.ents = sorted(ents, key=lambda e: e.start)
    return set(article_people(list(doc.ents), _Towns("Tyler", "Marion"), text))


def test_a_name_read_as_a_person_more_often_than_as_a_place_is_a_persons():
    assert _persons("Tyler said he was tired. Later Tyler went home.", "Tyler") == {"tyler"}
    # once only, or as often a place as a person: not decided by the votes
    assert _persons("Tyler said he was tired.", "Tyler") == set()
    # a full name: its surname
    assert _persons("Sheriff Ann Marion spoke.", "Ann Marion") == {"marion"}
    # written alone after a preposition of place: the article has the town in mind too
    assert _persons("Ann Marion lives in Marion, where she grew up.", "Ann Marion") == set()


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Troop 12 of Wakefield", ["Troop", "Wakefield"]),
        ("Clay, Grant and Otter Tail", ["Clay", "Grant", "Otter Tail"]),
        ("Otter Tail/Grant", ["Otter Tail", "Grant"]),
        ("Otter Tail County", []),  # one name: weighed whole
    ],
)
def test_names_the_recogniser_joins_into_one_entity_are_weighed_apart(text, parts):
    import spacy
    from spacy.tokens import Span

    from powderkeg.geocode.toponyms import _parts

    doc = spacy.blank("en")(text)
    for tok in doc:
        tok.pos_ = "PROPN" if tok.text[:1].isupper() else "NUM" if tok.like_num else "ADP"
    assert [p.text for p in _parts(Span(doc, 0, len(doc), "ORG"))] == parts
