"""One case per pattern family added in patterns.toml version 4, in sentences written for the test."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text,type_,mode",
    [
        ("Rebel units breached the truce twice on Sunday night.", "ASSAULT", ""),
        ("Militia fighters violated the ceasefire near Tskhinvali.", "ASSAULT", ""),
        ("The Nigerian army destroyed three insurgent camps in Borno.", "ASSAULT", ""),
        ("Ethiopian forces launched a military offensive against the rebels.", "ASSAULT", ""),
        ("The navy imposed a blockade on the rebel-held port.", "COERCE", "restrict"),
        ("Government troops laid siege to the northern town.", "COERCE", "restrict"),
        ("The Peruvian government declared a state of emergency in Lima.", "COERCE", "curfew"),
        ("Unknown hackers defaced the website of the Estonian parliament.", "COERCE", "disrupt"),
        ("Iran launched a cyber attack against Albanian government servers.", "COERCE", "disrupt"),
        ("Hungary reopened its border to Austrian travellers.", "CONCEDE", "ease"),
        ("A Taliban spokesman claimed responsibility for the ambush near Ghazni.", "ACCUSE", ""),
        ("Canada targeted Belarus with new sanctions on Monday.", "SANCTION", ""),
        ("Nigerian troops freed three villages from Boko Haram fighters.", "ASSAULT", "occupy"),
        # plural objects the lemmatizer reads as another word ("bases" -> "basis")
        ("Armenian troops established two new bases near the border.", "MOBILIZE", "base"),
        ("Two hundred militiamen defected to the government side last week.", "MOBILIZE", ""),
        ("Kurdish opposition parties formed a new militia to guard the villages.", "MOBILIZE", ""),
    ],
)  # fmt: skip
def test_pattern_family(code, text, type_, mode):
    events = code(text)
    assert any(e["type"] == type_ and (e["mode"] or "") == mode for e in events), [
        (e["type"], e["mode"], e["rule"]) for e in events
    ]


@pytest.mark.parametrize(
    "text,type_,target",
    [
        # a target phrase attached to the light verb belongs to the event noun
        ("Ruritania launched a fresh offensive against Freedonia on Monday.", "ASSAULT", "Freedonia"),
        ("Russia launched a cyber attack against Estonia.", "COERCE", "Estonia"),
    ],
)  # fmt: skip
def test_light_verb_target(code, text, type_, target):
    events = [e for e in code(text) if e["type"] == type_]
    sides = [e["target"] if isinstance(e["target"], list) else [e["target"]] for e in events]
    assert any(target in (t or {}).get("text", "") for side in sides for t in side), events


@pytest.mark.parametrize(
    "text,mode",
    [
        # a plain attack takes the mode of the weapon its clause names
        ("Two villagers were killed by a roadside bomb outside Kandahar.", "explosives"),
        ("Government warplanes attacked a market in the rebel-held town.", "aerial"),
        ("Rebel fighters fired mortar rounds at the airport on Friday.", "heavy-weapons"),
        ("A suicide bomber attacked a checkpoint, killing six policemen.", "suicide-attack"),
        ("Unknown men attacked a bar with a hand grenade in Bujumbura.", "grenade"),
        # no weapon named: no mode
        ("Gunmen attacked a police station in the north.", ""),
    ],
)  # fmt: skip
def test_instrument_gives_attack_its_mode(code, text, mode):
    modes = {e["mode"] or "" for e in code(text) if e["type"] == "ASSAULT"}
    assert mode in modes, [(e["type"], e["mode"], e["rule"]) for e in code(text)]


def test_instruments_extend_from_user_file(tmp_path):
    from powderkeg.knowledge.rules import load_rules

    extra = tmp_path / "mine.toml"
    extra.write_text('[instruments]\naerial = ["crop duster"]\n', encoding="utf-8")
    lexicon = load_rules(pattern_files=(str(extra),)).lexicon
    assert ("crop", "duster") in lexicon.instruments["aerial"]
    assert ("warplane",) in lexicon.instruments["aerial"]


@pytest.mark.parametrize(
    "text,type_",
    [
        # what the pattern names as its object is the event itself, not who suffers it
        ("Kurdish opposition parties formed a new militia to guard the villages.", "MOBILIZE"),
        ("Three rebel groups formed a joint brigade near the front.", "MOBILIZE"),
    ],
)  # fmt: skip
def test_pattern_object_is_not_target(code, text, type_):
    events = [e for e in code(text) if e["type"] == type_]
    assert events and all(not e["target"] for e in events), events


@pytest.mark.parametrize(
    "text,coded",
    [
        # a pessimistic comment is a statement, not disapproval of anyone (CAMEO 012)
        ("The Danish envoy expressed concern about the humanitarian situation in Yemen.", False),
        ("The Danish envoy voiced worry over rising food prices in Yemen.", False),
        # outrage at someone is disapproval
        ("The Danish envoy expressed outrage at Iran over the executions.", True),
    ],
)  # fmt: skip
def test_concern_is_a_statement(code, text, coded):
    assert any(e["type"] == "ACCUSE" for e in code(text)) is coded, code(text)


@pytest.mark.parametrize(
    "text,coded",
    [
        # a protest stands without anyone named: protesters are implied
        ("Protests against rising fuel prices erupted in Tripoli on Tuesday.", True),
        ("A peaceful protest took place outside the parliament in Accra.", True),
        # an unlicensed mention is still no event
        ("The law on protest was debated for hours.", False),
    ],
)  # fmt: skip
def test_protest_needs_no_actor(code, text, coded):
    assert any(e["type"] == "PROTEST" for e in code(text)) is coded, code(text)


@pytest.mark.parametrize(
    "text,type_",
    [
        # a blast with no one named on either side and no weapon is an accident
        ("An explosion rocked a fertiliser warehouse near the port on Monday.", "OTHER"),
        ("A propane tank exploded behind a restaurant in Leeds.", "OTHER"),
        # a weapon makes it an attack
        ("Rebels said a bomb exploded near an army convoy, wounding three soldiers.", "ASSAULT"),
    ],
)  # fmt: skip
def test_blast_without_actor_is_accident(code, text, type_):
    types = {e["type"] for e in code(text)}
    assert type_ in types, code(text)
    if type_ == "OTHER":
        assert "ASSAULT" not in types
