"""Counts, dates and places of events, and the character span of every coded field.

Sentence cases for numbers and dates are in tests/cases/numbers_dates_places.toml;
these check spans against the text and places against the article's other names.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

DATE = "2023-05-30"  # a Tuesday


def _find(events, type_):
    found = [e for e in events if e["type"] == type_]
    assert found, f"no {type_} in {[(e['type'], e['factuality']) for e in events]}"
    return found[0]


def test_every_coded_field_has_a_span_in_the_sentence(code):
    text = "Serb protesters injured 30 KFOR soldiers in Zvecan on Monday."
    event = _find(code(text, DATE), "ASSAULT")
    for field in ("trigger", "source", "target", "place", "date", "numbers.injured"):
        start, end = event["spans"][field]
        assert 0 <= start < end <= len(text), field
    assert text[slice(*event["spans"]["trigger"])] == "injured"
    assert event["rule"].startswith("builtin:ASSAULT")


def test_event_place_is_a_resolved_place_not_a_demonym(code):
    events = code(
        "Serb protesters attacked KFOR soldiers in Serb-majority areas of northern Kosovo.", "2023-05-29"
    )
    places = [e["place"] for e in events if e.get("place")]
    assert places, events
    assert all(p["name"] != "Serb" and p["country"] == "XKX" for p in places)


def test_event_place_uses_the_articles_context(code):
    text = (
        "Kosovo police said gunmen attacked a patrol in Banjska on Sunday. "
        "The village lies in northern Kosovo, near Zvecan and Mitrovica."
    )
    events = code(text, "2023-09-24")
    located = [e for e in events if e.get("place")]
    assert located, events
    banjska, span = located[0]["place"], located[0]["spans"]["place"]
    assert (banjska["country"], banjska["precision"]) == ("XKX", "place")
    assert text[span[0] : span[1]] == "Banjska"


@pytest.mark.parametrize(
    "text, type_, name",
    [
        # an event noun happens by a verb, whose phrase says where
        ("An airstrike killed 12 civilians in Idlib on Friday.", "ASSAULT", "Idlib"),
        ("Fighting erupted in Khartoum between the army and the RSF.", "ASSAULT", "Khartoum"),
        # a participle of consequence happened where its clause did
        ("A car bomb exploded in Mogadishu, killing five soldiers.", "ASSAULT", "Mogadishu"),
        # the name after a place noun, where the parser hung it on the verb
        ("Protesters blocked roads in Georgia's capital Tbilisi overnight.", "PROTEST", "Tbilisi"),
        # a withdrawal happens where it leaves
        ("Turkish troops withdrew from the town of Afrin on Monday.", "RETREAT", "Afrin"),
    ],
)
def test_event_place_from_the_clause_the_event_happens_in(code, text, type_, name):
    events = [e for e in code(text, DATE) if e["type"] == type_ and e.get("place")]
    assert name in {text[slice(*e["spans"]["place"])] for e in events}, events  # the name in the text


def test_from_names_where_actors_come_from_in_an_attack(code):
    events = code("Gunmen from Serbia attacked a police station on Monday.", DATE)
    assert not [e["place"] for e in events if e["type"] == "ASSAULT" and e.get("place")]
