"""Dyads, third round: aimed phrases on joined objects."""

from __future__ import annotations


def _countries(actors) -> set:  # type: ignore[no-untyped-def]
    actors = actors if isinstance(actors, list) else [actors]
    return {a.get("country") or a.get("org") for a in actors if a}


def _first(code, text: str, type_: str) -> dict:  # type: ignore[no-untyped-def]
    events = [e for e in code(text) if e["type"] == type_]
    assert events, code(text)
    return events[0]


def test_aimed_phrase_on_a_joined_weapon_object(code):
    # "against" hangs on the last of the joined weapons, not on the verb's object
    event = _first(
        code, "Thai forces launched artillery, mortar and rocket fire against Burmese army camps.", "ASSAULT"
    )
    assert "MMR" in _countries(event["target"])
    assert "THA" in _countries(event["source"])


def test_deed_naming_no_one_points_to_its_doer(code):
    # the abuses name no one; whoever committed them is what was protested
    for text in (
        "Kenyan students protested the abuses committed by Somali militants.",
        "Kenyan students protested abuses by Somali militants.",
    ):
        assert "SOM" in _countries(_first(code, text, "PROTEST")["target"]), text
