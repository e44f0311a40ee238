"""Dyads, second round: misparsed objects, places that stand for actors, relation nouns,
former country names."""

from __future__ import annotations

import pytest


def _countries(actors) -> set:  # type: ignore[no-untyped-def]
    actors = actors if isinstance(actors, list) else [actors]
    return {a.get("country") or a.get("org") for a in actors if a}


def _first(code, text: str, type_: str) -> dict:  # type: ignore[no-untyped-def]
    events = [e for e in code(text) if e["type"] == type_]
    assert events, code(text)
    return events[0]


@pytest.mark.parametrize(
    "text,type_,target",
    [
        # a reduced relative read as a clause leaves "to" without an object
        ("Chile granted asylum to three Bolivian pilots stranded at the airport.", "AID", "BOL"),
        # "up to 12" read as a particle and a preposition
        ("Rebels kidnapped up to 12 Italian engineers near the dam.", "ASSAULT", "ITA"),
        # a relative clause on the object does not make it the pattern's own object
        ("Kenya will allow 4,000 Somali refugees who fled in 2011 to return home.", "RETREAT", "SOM"),
        # the object is a weapon: the phrase it is aimed at names the target
        ("Ethiopian troops fired shells at Eritrean soldiers.", "ASSAULT", "ERI"),
    ],
)  # fmt: skip
def test_target_found_despite_parse(code, text, type_, target):
    assert target in _countries(_first(code, text, type_)["target"])


def test_reduced_relative_participle_is_not_the_main_subjects(code):
    # "protesters gathered outside": the protesters gathered, not the police
    events = code("Riot police fired tear gas at students gathered outside the ministry.")
    protests = [e for e in events if e["type"] == "PROTEST"]
    assert protests
    sources = [a for e in protests for a in (e["source"] if isinstance(e["source"], list) else [e["source"]])]
    assert sources
    assert all(a.get("sector") != "COP" for a in sources if a)


@pytest.mark.parametrize(
    "text,type_,side,country",
    [
        # a state or province names its country ("West Kordofan State", "Balochistan")
        ("Sudan's government lifted a curfew in West Kordofan State.", "CONCEDE", "target", "SDN"),
        ("The government of Balochistan province has ordered patrols by police.", "MOBILIZE", "source", "PAK"),
        # former names of states are their successors'
        ("Soviet troops invaded Afghanistan.", "ASSAULT", "source", "RUS"),
        ("Kampuchean guerrillas attacked a Thai village.", "ASSAULT", "source", "KHM"),
        # a bare noun joined to a nationality shares it
        ("Syrian jets and helicopters bombed the town of Idlib.", "ASSAULT", "source", "SYR"),
    ],
)  # fmt: skip
def test_actor_country_from_names(code, text, type_, side, country):
    assert country in _countries(_first(code, text, type_)[side])


def test_relation_noun_is_the_other_country(code):
    # "its neighbour" is another state than its owner: the one named last before it
    event = _first(code, "Peru sent a note to Ecuador, accusing its neighbour of arming rebels.", "ACCUSE")
    assert _countries(event["source"]) == {"PER"}
    assert _countries(event["target"]) == {"ECU"}


def test_attack_on_a_place_targets_its_country(code):
    event = _first(code, "Insurgents detonated two car bombs in the city of Mosul.", "ASSAULT")
    assert _countries(event["target"]) == {"IRQ"}
    assert event["rule"].endswith(":place-as-target")
