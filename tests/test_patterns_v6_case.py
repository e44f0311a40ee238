"""Cases for the coder's choice of a text's event (CASE 2021 follow-up), in sentences written for the test."""

from __future__ import annotations

import pytest

from powderkeg.extract.primary import primary
from powderkeg.knowledge.ontology import case2021_text_label


def events_of(pipeline, text: str):
    [(_, events)] = list(pipeline.code_texts([{"id": "t", "text": text}]))
    return events


def assert_primary(pipeline, text: str, acled: str) -> None:
    """The text's primary event has this ACLED-style sub-event type."""
    events = events_of(pipeline, text)
    event = primary(events)
    assert event is not None and event.acled_type == acled, [
        (e.type, e.mode, e.acled_type, e.rule) for e in events
    ]


def test_a_date_is_no_particle(pipeline):
    # "on Friday" says when: the verb is not "call on" (a request of someone)
    events = events_of(pipeline, "Firefighters were called on Tuesday to a warehouse near the docks.")
    assert not any(e.type == "REQUEST" for e in events), [(e.type, e.rule) for e in events]


@pytest.mark.parametrize(
    "text,acled",
    [
        # the object of the verb is its own; what hangs on it by a preposition is not
        (
            "Riot police used water cannons in fierce clashes with protesters armed with iron bars in Dhaka.",
            "Violent demonstration",
        ),
        (
            "Villagers have been discussing a series of rapes by soldiers stationed near the river.",
            "Sexual violence",
        ),
    ],
)  # fmt: skip
def test_events_hanging_on_an_object_are_coded(pipeline, text, acled):
    events = events_of(pipeline, text)
    assert any(e.acled_type == acled for e in events), [
        (e.type, e.mode, e.acled_type, e.rule) for e in events
    ]


@pytest.mark.parametrize(
    "text,acled",
    [
        # an accident named with its cause, or the harm it did, is news of itself
        ("A gas leak forced the evacuation of a school in Lyon.", "Man-made disaster"),
        ("Twelve guests are suffering food poisoning after a wedding in Patna.", "Man-made disaster"),
        ("A driver sustained serious injuries in a collision on the ring road.", "Man-made disaster"),
        # sexual violence is news whoever did it
        ("Reports of gang rapes in the camps have alarmed aid workers.", "Sexual violence"),
    ],
)  # fmt: skip
def test_events_that_stand_alone(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


@pytest.mark.parametrize(
    "text,acled",
    [
        ("Dozens of rocket shells fired by the militia landed in the old town.", "Shelling/artillery/missile attack"),
        ("Government troops fired mortars into the northern suburbs overnight.", "Shelling/artillery/missile attack"),
        ("Fighter jets fired missiles at a convoy on the highway.", "Air/drone strike"),
        ("The army's aerial bombardment of the rebel-held town continued for a third day.", "Air/drone strike"),
    ],
)  # fmt: skip
def test_heavy_weapons_fired(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


def test_event_noun_subject_has_its_verbs_depth(pipeline):
    # the air strikes are the main clause's event, not a clause hanging on it
    text = "Russian air strikes have hit two villages in Idlib, as rebels captured a hill near Hama, activists say."
    assert_primary(pipeline, text, "Air/drone strike")


@pytest.mark.parametrize(
    "text",
    [
        # a measure that targets people is a sanction, not an attack
        "The European Union adopted new sanctions targeting twelve generals over the coup.",
        "The fresh measures target three ministers and their relatives.",
    ],
)  # fmt: skip
def test_measures_targeting_people_are_no_attack(pipeline, text):
    events = events_of(pipeline, text)
    assert events and not any(e.type == "ASSAULT" for e in events), [(e.type, e.rule) for e in events]
    assert any(e.type == "SANCTION" for e in events), [(e.type, e.rule) for e in events]


def test_missiles_targeting_a_town_stay_an_attack(pipeline):
    assert_primary(
        pipeline,
        "Rebels fired rockets targeting the airport in the capital.",
        "Shelling/artillery/missile attack",
    )


@pytest.mark.parametrize(
    "text",
    [
        # contraband found or seized, theft: the crime is the news, the arrest part of it
        "A trucker was detained after customs officers found cocaine hidden in his trailer.",
        "Border guards seized 40 kilograms of heroin at the crossing.",
        "Police in Pune have caught a gang that stole motorbikes from parking lots.",
    ],
)  # fmt: skip
def test_crime_news(pipeline, text):
    assert_primary(pipeline, text, "Organised crime")


def test_a_place_in_a_nested_phrase_is_not_what_was_seized(pipeline):
    # the guns were seized; the district is where the raid was
    text = "Police seized six rifles during a raid on a farmhouse in the eastern district."
    assert_primary(pipeline, text, "Disrupted weapons use")


@pytest.mark.parametrize(
    "text",
    [
        # the protesters' own violence is the news; the force used on them answers it
        "Riot police fired tear gas in running clashes with protesters armed with sticks outside the ministry.",
        "Police fired rubber bullets at demonstrators as the march descended into chaos in the capital.",
    ],
)  # fmt: skip
def test_force_answering_a_violent_demonstration(pipeline, text):
    assert_primary(pipeline, text, "Violent demonstration")


def test_force_on_a_peaceful_demonstration_stays(pipeline):
    # the march is primary; the force met it: CASE's force against protesters
    text = "Police fired tear gas at hundreds of protesters marching peacefully to the parliament."
    events = events_of(pipeline, text)
    event = primary(events)
    label = case2021_text_label([e.acled_type for e in events if e.counted], event.acled_type)
    assert label == "FORCE_AGAINST_PROTEST", [(e.type, e.mode, e.acled_type, e.rule) for e in events]


def test_a_counted_group_in_a_conjunction_is_an_actor(pipeline):
    events = events_of(pipeline, "Soldiers beat journalists and dozens of protesters near the square.")
    sectors = {a.sector for e in events for a in e.target}
    assert "PRO" in sectors, [(e.type, [(a.text, a.sector) for a in e.target]) for e in events]


@pytest.mark.parametrize(
    "text,acled",
    [
        # the participle on an event noun names who did it, or at whom it was aimed
        ("Two boys were hurt by a landmine planted by the insurgents near the well.", "Remote explosive/landmine/IED"),
        ("Doctors treated dozens for breathing problems caused by chlorine gas used by the militia.", "Chemical weapon"),
        ("The town saw mob violence aimed at Christian traders last week.", "Mob violence"),
        # the noun that carries the event in its "of" phrase stands for it
        ("Navy jets carried out a wave of airstrikes on the coastal road.", "Air/drone strike"),
        ("Dozens fell ill after the use of sarin by government forces in the valley.", "Chemical weapon"),
    ],
)  # fmt: skip
def test_event_nouns_and_their_phrases(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


def test_establishing_control_takes_territory(pipeline):
    assert_primary(
        pipeline,
        "Army units established control over three villages near the border.",
        "Government regains territory",
    )


def test_an_occupied_city_is_a_state_not_an_event(pipeline):
    events = events_of(pipeline, "Soldiers detained two students in the occupied city of Hebron on Monday.")
    assert not any(e.mode == "occupy" for e in events), [(e.type, e.mode, e.rule) for e in events]


def test_members_are_people(pipeline):
    assert_primary(
        pipeline, "Four members of the council have been abducted.", "Abduction/forced disappearance"
    )


@pytest.mark.parametrize(
    "text,acled",
    [
        # a verb that names the weapon is an attack even when no one is named
        ("A grenade was hurled at a crowded bus stop in the old quarter.", "Grenade"),
        ("Mortar shells were fired into the market at dawn.", "Shelling/artillery/missile attack"),
    ],
)  # fmt: skip
def test_weapon_attacks_with_no_one_named(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


def test_an_explosion_with_no_weapon_stays_an_accident(pipeline):
    assert_primary(
        pipeline, "An explosion rocked a fireworks warehouse on the outskirts.", "Man-made disaster"
    )


def test_force_yields_to_the_demonstration_it_met(pipeline):
    # arrests at a march are the march met by intervention (ACLED codes the protest)
    text = "Police detained dozens of protesters during a march against the new tax in the capital."
    assert_primary(pipeline, text, "Peaceful protest")


def test_force_does_not_yield_to_someone_elses_rally(pipeline):
    text = "Several activists were detained before the governor's rally in the port city."
    assert_primary(pipeline, text, "Arrests")


def test_an_act_is_no_actor(pipeline):
    # "gang" makes no criminal group of the rapes; who did them may be named inside
    events = events_of(pipeline, "Women's groups condemned the gang rapes by soldiers in the camps.")
    assert not any("rape" in a.text for e in events for a in (*e.source, *e.target)), [
        (e.type, [a.text for a in e.source], [a.text for a in e.target]) for e in events
    ]


def test_a_demonstration_held_in_the_passive(pipeline):
    text = "Rallies demanding the release of the students were held across the country on Friday."
    assert_primary(pipeline, text, "Peaceful protest")


@pytest.mark.parametrize(
    "text",
    [
        "Rebel fighters have handed over the town to government troops under the truce.",
        "Two districts were ceded by the militia to the army after the talks.",
    ],
)  # fmt: skip
def test_territory_handed_over(pipeline, text):
    assert_primary(pipeline, text, "Non-violent transfer of territory")


def test_dispersal_with_force_is_repression(pipeline):
    text = "Riot police dispersed the sit-in using rubber bullets and batons."
    events = events_of(pipeline, text)
    assert any(e.type == "COERCE" and e.mode == "repression" for e in events), [
        (e.type, e.mode, e.rule) for e in events
    ]


def test_dispersal_without_force_stays_plain(pipeline):
    events = events_of(pipeline, "Security forces dispersed the crowd outside the stadium.")
    assert not any(e.mode == "repression" for e in events), [(e.type, e.mode, e.rule) for e in events]


def test_part_of_a_group_is_that_group(pipeline):
    text = "Five out of nine crew members have been kidnapped off the coast."
    assert_primary(pipeline, text, "Abduction/forced disappearance")


def test_new_units_of_troops(pipeline):
    text = "The defence ministry has formed special groups of troops in the southern district."
    assert_primary(pipeline, text, "Change to group/activity")


def test_a_crime_named_by_its_kind(pipeline):
    text = "Prosecutors confirmed that 12 officials were named in a probe into money laundering at the port."
    assert_primary(pipeline, text, "Organised crime")


@pytest.mark.parametrize(
    "text,acled",
    [
        # a plain attack verb whose clause names the weapon stands with no one named too
        ("Nine were wounded by rockets fired into the camp overnight.", "Shelling/artillery/missile attack"),
        ("Dozens of villagers died by poisoning after a wedding feast.", "Man-made disaster"),
    ],
)  # fmt: skip
def test_weapon_in_the_clause_with_no_one_named(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


def test_a_place_attacked_is_its_holders(pipeline):
    events = events_of(pipeline, "Insurgents attacked an outpost belonging to the border guards at dawn.")
    assert any(a.text.endswith("border guards") for e in events for a in e.target), [
        (e.type, [a.text for a in e.target]) for e in events
    ]


@pytest.mark.parametrize(
    "text,type_",
    [
        ("Two Russian warships arrived in Tartus on Sunday.", "MOBILIZE"),
        ("The French foreign minister arrived in Beirut on Sunday.", "CONSULT"),
    ],
)  # fmt: skip
def test_troops_and_hardware_arriving_are_deployed(pipeline, text, type_):
    event = primary(events_of(pipeline, text))
    assert event is not None and event.type == type_, event
