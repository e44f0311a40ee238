"""Dyads, second round: misparsed objects, places that stand for actors, relation nouns,
former country names."""

from __future__ import annotations

import pytest

from .coding_helpers import countries, first, side


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
    assert target in countries(first(code, text, type_)["target"])


def test_reduced_relative_participle_is_not_the_main_subjects(code):
    # "protesters gathered outside": the protesters gathered, not the police
    events = code("Riot police fired tear gas at students gathered outside the ministry.")
    protests = [e for e in events if e["type"] == "PROTEST"]
    assert protests
    sources = [a for e in protests for a in side(e["source"])]
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
    assert country in countries(first(code, text, type_)[side])


def test_relation_noun_is_the_other_country(code):
    # "its neighbour" is another state than its owner: the one named last before it
    event = first(code, "Peru sent a note to Ecuador, accusing its neighbour of arming rebels.", "ACCUSE")
    assert countries(event["source"]) == {"PER"}
    assert countries(event["target"]) == {"ECU"}


def test_attack_on_a_place_targets_its_country(code):
    event = first(code, "Insurgents detonated two car bombs in the city of Mosul.", "ASSAULT")
    assert countries(event["target"]) == {"IRQ"}
    assert event["rule"].endswith(":place-as-target")


@pytest.mark.parametrize(
    "text,type_,target",
    [
        # an invasion, a siege, a release is of the one it is done to
        ("Turkey began its invasion of northern Cyprus.", "ASSAULT", "CYP"),
        # the pattern's own object ("the return") is of someone
        ("Syria said it would allow the return of UN monitors.", "RETREAT", "UN"),
    ],
)  # fmt: skip
def test_of_phrase_is_the_target(code, text, type_, target):
    assert target in countries(first(code, text, type_)["target"])


@pytest.mark.parametrize(
    "text,factuality",
    [
        # what a verb of doing carries out is as sure as the verb
        ("Russia may launch an offensive against Georgia.", "hypothetical"),
        ("Russia will launch an offensive against Georgia.", "future"),
        # a feared or threatened attack that was launched happened
        ("Russia launched its long-feared offensive against Georgia.", "asserted"),
    ],
)  # fmt: skip
def test_light_verb_factuality(code, text, factuality):
    assert first(code, text, "ASSAULT")["factuality"] == factuality


def test_group_pronoun_finds_the_people_inside_a_phrase(code):
    text = "A group of Kikuyu elders said they would back the Kenyan president."
    event = first(code, text, "SUPPORT")
    assert countries(event["source"]) == {"KEN"}


@pytest.mark.parametrize(
    "text,type_,side,country",
    [
        ("The president rejected an offer from Afganistan.", "REJECT", "target", "AFG"),
        ("Troops from the Phillippines attacked the camp.", "ASSAULT", "source", "PHL"),
    ],
)  # fmt: skip
def test_misspelt_country_names(code, text, type_, side, country):
    assert country in countries(first(code, text, type_)[side])


def test_places_are_not_misspeltcountries(pipeline):
    # Indiana is not India, Marawi not Malawi, Fujian not Fiji
    [(_, events)] = list(
        pipeline.code_texts(
            [{"id": "t", "text": "Police in Indiana and Marawi arrested 12 men from Fujian."}]
        )
    )
    found = {a.country for e in events for a in [*e.source, *e.target]}
    assert not found & {"IND", "MWI", "FJI"}


@pytest.mark.parametrize(
    "text,type_,target",
    [
        # property attacked is its owner's
        ("Hackers defaced hundreds of Estonian web sites.", "COERCE", "EST"),
        ("Settlers set fire to the offices of the Jordanian consulate.", "COERCE", "JOR"),
        # a town named beside a nationality is that country's ("Tripoli" in Lebanon)
        ("Syria ended its mediation between militias in Tripoli, the Lebanese port.", "SANCTION", "LBN"),
        # people are of the place they come from or flee
        ("Kenya gave food aid to refugees fleeing the drought in Somalia.", "AID", "SOM"),
        ("Lebanese police detained a student from Montreal.", "COERCE", "CAN"),
    ],
)  # fmt: skip
def test_target_country_from_context(code, text, type_, target):
    assert target in countries(first(code, text, type_)["target"])


def test_time_phrases_are_no_targets(code):
    event = first(code, "Two hundred Ugandan rebels surrendered following a government offensive.", "RETREAT")
    assert not event["target"]


def test_national_organisation_names_the_article_country(code):
    # no country named: the Kosovo party does (an unknown president is taken as Kosovo's)
    event = first(code, "President Arben Krasniqi said he would lift the ban on Srpska Lista.", "CONCEDE")
    assert countries(event["source"]) == {"XKX"}


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian troops remained on high alert near the border.",
        "The army kept its units on alert after the attack.",
    ],
)
def test_alert_status_is_mobilisation(code, text):
    assert first(code, text, "MOBILIZE")["mode"] == "troops"


def test_possessive_is_bound_by_its_clause_subject(code):
    # "its" owns the object of the verb whose subject is Chile, not the country named last
    text = "After talks with Peru, Chile completed its investigation into the attack."
    event = first(code, text, "ACCUSE")
    assert countries(event["source"]) == {"CHL"}
