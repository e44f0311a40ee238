"""Dyads, third round: aimed phrases on joined objects."""

from __future__ import annotations

from .coding_helpers import countries, first


def test_aimed_phrase_on_a_joined_weapon_object(code):
    # "against" hangs on the last of the joined weapons, not on the verb's object
    event = first(
        code, "Thai forces launched artillery, mortar and rocket fire against Burmese army camps.", "ASSAULT"
    )
    assert "MMR" in countries(event["target"])
    assert "THA" in countries(event["source"])


def test_deed_naming_no_one_points_to_its_doer(code):
    # the abuses name no one; whoever committed them is what was protested
    for text in (
        "Kenyan students protested the abuses committed by Somali militants.",
        "Kenyan students protested abuses by Somali militants.",
    ):
        assert "SOM" in countries(first(code, text, "PROTEST")["target"]), text


def test_agentless_arrest_or_probe_is_by_the_places_state(code):
    # no one named arrests or investigates: the state of the place where it happened does
    for text, type_, source in (
        ("Two Dutch sailors were arrested in Senegal on Tuesday.", "COERCE", "SEN"),
        ("A Canadian businessman has been put under investigation in Peru for fraud.", "ACCUSE", "PER"),
    ):
        event = first(code, text, type_)
        assert source in countries(event["source"]), text
    # a named agent stays the source
    event = first(code, "Two Dutch sailors were arrested in Senegal by Gambian police.", "COERCE")
    assert countries(event["source"]) == {"GMB"}


def test_own_feeling_points_on_to_whom_it_is_aimed(code):
    # "their anger" is the protesters' own; the anger is at someone else
    text = "Protesters in Quetta blocked a highway to show their anger at Iran's border policies."
    event = first(code, text, "PROTEST")
    assert "IRN" in countries(event["target"])


def test_protest_disapproval_for_someones_policy(code):
    text = "Indian villagers blocked a road to show their disapproval for Nepal's new border rules."
    event = first(code, text, "PROTEST")
    assert "NPL" in countries(event["target"])
