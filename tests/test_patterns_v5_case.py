"""Cases for the material-conflict coder and the OTHER path (issue 3, CASE 2021), in sentences written for the test."""

from __future__ import annotations

import pytest

from powderkeg.extract.primary import primary


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


@pytest.mark.parametrize(
    "text,root_type",
    [
        # the main clause's event is at depth 0, the one it embeds deeper
        ("The governor accused the militia of attacking a convoy near Goma.", "ACCUSE"),
        ("Police arrested four men who had attacked a bus station.", "COERCE"),
    ],
)  # fmt: skip
def test_depth_counts_steps_to_the_root(pipeline, text, root_type):
    events = events_of(pipeline, text)
    depths = {e.type: e.depth for e in events}
    assert depths.get(root_type) == 0, depths
    assert all(d > 0 for t, d in depths.items() if t != root_type), depths
    assert primary(events).type == root_type


@pytest.mark.parametrize(
    "text,type_,acled",
    [
        # a toll with no one named is what the sentence's other event did
        (
            "Six people were killed after soldiers opened fire on protesters outside the stadium.",
            "ASSAULT",
            "Excessive force against protesters",
        ),
        ("Four workers were hurt when a gas tank exploded at a paint factory.", "OTHER", "Man-made disaster"),
        ("Two farmers were wounded after rebels ambushed an army patrol.", "ASSAULT", "Armed clash"),
    ],
)  # fmt: skip
def test_toll_belongs_to_its_cause(pipeline, text, type_, acled):
    events = events_of(pipeline, text)
    assert not any(e.type == "ASSAULT" and not e.mode and not e.source for e in events), [
        (e.type, e.mode, e.rule) for e in events
    ]
    event = primary(events)
    assert (event.type, event.acled_type) == (type_, acled), [(e.type, e.acled_type, e.rule) for e in events]


def test_toll_alone_stays(pipeline):
    events = events_of(pipeline, "Three villagers were killed near the border on Monday.")
    assert [(e.type, e.mode) for e in events] == [("ASSAULT", "")]


@pytest.mark.parametrize(
    "text",
    [
        # the demonstration is described as violent
        "Violent protests against the fuel price rise spread to three cities on Friday.",
        "Hundreds of students rallied in aggressive demonstrations outside the ministry.",
        "The farmers' protests turned violent in the afternoon.",
        # the same text reports violence by the protesters
        "Thousands of protesters marched through Lyon on Saturday. Some protesters threw stones at police officers.",
        # or property destroyed by no one named, in the demonstration's own sentence
        "Protests over the election result erupted in Kisumu, with several shops torched overnight.",
        "Thousands joined the demonstration in Leeds, where fireworks were thrown at police officers.",
    ],
)  # fmt: skip
def test_violent_demonstration(pipeline, text):
    events = events_of(pipeline, text)
    protests = [e for e in events if e.type == "PROTEST"]
    assert protests and all(e.mode == "riot" for e in protests), [(e.type, e.mode, e.rule) for e in events]
    assert primary(events).acled_type == "Violent demonstration"


@pytest.mark.parametrize(
    "text",
    [
        "Thousands of teachers marched peacefully through the capital on Monday.",
        # force used by the police on the protesters does not make the protest violent
        "Students staged a sit-in at the university. Police later arrested twelve of them.",
    ],
)  # fmt: skip
def test_peaceful_demonstration_stays(pipeline, text):
    events = events_of(pipeline, text)
    assert all(e.mode != "riot" for e in events if e.type == "PROTEST"), [(e.type, e.mode) for e in events]


@pytest.mark.parametrize(
    "text,acled",
    [
        # looting and destruction of property, named actor or not; looting alone is no riot
        ("Several shops were looted in the old town during the blackout.", "Looting/property destruction"),
        ("Unknown men torched two buses at the depot on Sunday night.", "Looting/property destruction"),
        ("Vandals smashed the windows of the party office in Gdansk.", "Looting/property destruction"),
        # a mob is not a demonstration: its violence is mob violence
        ("An angry mob beat a suspected thief to death in the market.", "Mob violence"),
    ],
)  # fmt: skip
def test_property_and_mob_violence(pipeline, text, acled):
    event = primary(events_of(pipeline, text))
    assert event is not None and event.acled_type == acled, event


def test_clash_sides_on_the_occurrence_verb(pipeline):
    events = events_of(pipeline, "Clashes broke out between riot police and striking miners near the pit.")
    clashes = [e for e in events if e.type == "ASSAULT" and e.mode == "clash"]
    assert len(clashes) == 2 and all(e.source and e.target for e in clashes), clashes


@pytest.mark.parametrize(
    "text,acled",
    [
        # a post held by armed forces: an attack on it is a clash with them
        ("Insurgents attacked a checkpoint on the highway north of Kirkuk.", "Armed clash"),
        ("Gunmen stormed a police station in the provincial capital overnight.", "Armed clash"),
        ("Rebel fighters attacked an army outpost near the border.", "Armed clash"),
        # gun battles, hyphenated or not
        ("Two bandits died in a shoot-out with police officers near Kaduna.", "Armed clash"),
        ("A gun battle between soldiers and militants lasted six hours.", "Armed clash"),
        # the places an armed group takes
        ("Rebel fighters seized the provincial capital on Sunday.", "Non-state actor overtakes territory"),
        ("The militia took over four localities in the east of the province.", "Non-state actor overtakes territory"),
        # the agent a shell or a bomb carried decides, not the carrier
        ("Militants shelled the army positions with mortars filled with chlorine.", "Chemical weapon"),
        ("Government warplanes destroyed an ammunition depot near the airport.", "Air/drone strike"),
    ],
)  # fmt: skip
def test_attack_kinds(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


def test_hyphenated_noun_trigger(pipeline):
    events = events_of(pipeline, "Hundreds of nurses held a sit-in outside the health ministry.")
    assert any(e.type == "PROTEST" and "sit - in" in e.rule for e in events), [e.rule for e in events]


@pytest.mark.parametrize(
    "text,acled",
    [
        # a raid or killing by no one named is not the demonstrators' doing
        ("Hundreds of students marched in Dhaka on Sunday to remember classmates killed in a raid last year.",
         "Peaceful protest"),
        # the event noun of a light verb is the main clause's event, not the purpose it serves
        ("Nurses staged a sit-in outside parliament, urging lawmakers to raise their wages.", "Peaceful protest"),
        ("Thousands of pupils took part in marches against climate change on Friday.", "Peaceful protest"),
        # a clash between police and protesters is the protesters' violence first
        ("Riot police clashed with protesters in the city centre on Saturday.", "Violent demonstration"),
    ],
)  # fmt: skip
def test_protest_primary(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


def test_fighting_a_thing_is_no_clash(pipeline):
    events = events_of(pipeline, "The union has been fighting the new pension law for two years.")
    assert not any(e.type == "ASSAULT" for e in events), [(e.type, e.rule) for e in events]


@pytest.mark.parametrize(
    "text,acled",
    [
        # weather and hazards, and what they did
        ("Torrential rains and flash floods hit the northern provinces, killing nine people.", "Natural disaster"),
        ("Two hikers were hurt when the volcano erupted on Sunday morning.", "Natural disaster"),
        ("Heavy snowfall cut off forty villages in the mountains.", "Natural disaster"),
        ("A gas leak at the fertiliser plant caused panic in the town.", "Man-made disaster"),
        # arrests of criminals, or for a crime reported with them, are crime news
        ("Police arrested three gang members in a raid on a warehouse.", "Organised crime"),
        ("Four men were detained while trying to smuggle cigarettes across the border.", "Organised crime"),
        # a political arrest stays one
        ("Police arrested two opposition leaders in the capital on Monday.", "Arrests"),
    ],
)  # fmt: skip
def test_other_path(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


@pytest.mark.parametrize(
    "text,acled",
    [
        # a demonstration acted upon is its protesters
        ("Riot police used tear gas to disperse a peaceful rally in Conakry.", "Excessive force against protesters"),
        # joined verbs share the later one's object
        ("The army killed and wounded dozens of insurgents near Tal Afar.", "Armed clash"),
    ],
)  # fmt: skip
def test_targets(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


def test_bomber_subject_is_an_actor(pipeline):
    # a person noun among the triggers ("suicide bombers") does not hide its verb's event
    events = events_of(pipeline, "Two suicide bombers detonated their vests at a bus station.")
    event = primary(events)
    assert event is not None and event.acled_type == "Suicide bomb", [
        (e.type, e.mode, e.rule) for e in events
    ]


@pytest.mark.parametrize(
    "text,armed",
    [
        # CAMEO 196 is violating a ceasefire; breaking an agreement is no armed act
        ("The ministry said the closures violated agreements reached in the talks.", False),
        ("Rebels violated the ceasefire by shelling two villages overnight.", True),
    ],
)  # fmt: skip
def test_violating_an_agreement_is_not_an_attack(pipeline, text, armed):
    events = events_of(pipeline, text)
    assert any(e.type == "ASSAULT" for e in events) is armed, [(e.type, e.rule) for e in events]


@pytest.mark.parametrize(
    "text,type_,acled",
    [
        # crowd-control weapons are repression (CAMEO 175), never an attack on anyone
        ("Officers fired tear gas in a crowded market district of the city on Friday night.", "COERCE", "Other"),
        ("Riot police fired rubber bullets at hundreds of demonstrators in Abuja.", "COERCE",
         "Excessive force against protesters"),
        # a toll with no one named is what the tear gas did
        ("Dozens of people were injured as police fired tear gas and water cannon at protesters.", "COERCE",
         "Excessive force against protesters"),
        # live ammunition stays an attack
        ("Soldiers used live ammunition against the protesters in Yangon.", "ASSAULT",
         "Excessive force against protesters"),
    ],
)  # fmt: skip
def test_crowd_control_is_repression(pipeline, text, type_, acled):
    events = events_of(pipeline, text)
    assert not any(e.acled_type == "Attack" for e in events), [(e.type, e.acled_type, e.rule) for e in events]
    event = primary(events)
    assert event is not None and (event.type, event.acled_type) == (type_, acled), [
        (e.type, e.mode, e.acled_type, e.rule) for e in events
    ]


def test_protest_met_by_tear_gas_is_protest_with_intervention(pipeline):
    from powderkeg.knowledge.ontology import case2021_text_label

    events = events_of(
        pipeline, "Thousands marched through the capital on Sunday. Police fired tear gas to disperse them."
    )
    label = case2021_text_label([e.acled_type for e in events if e.counted], primary(events).acled_type)
    assert label == "PROTEST_WITH_INTER", [(e.type, e.acled_type, e.rule) for e in events]


@pytest.mark.parametrize(
    "text,acled",
    [
        # unnamed violence in a sentence that names a demonstration is the demonstration's
        ("Bottles were thrown at police during a demonstration in Leeds.", "Violent demonstration"),
        ("Petrol bombs were thrown at riot police at an anti-government protest in Minsk.", "Violent demonstration"),
        # with no demonstration named it stays an attack
        ("Stones were thrown at a police patrol in the old town on Friday.", "Attack"),
    ],
)  # fmt: skip
def test_unnamed_violence_at_a_demonstration(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


@pytest.mark.parametrize(
    "text,acled",
    [
        # a weapon that blew up, with no one named: its toll is a remote explosive
        ("A bomb exploded in a busy market on Thursday, wounding several people.", "Remote explosive/landmine/IED"),
        ("A bomb hidden in a rubbish bin went off outside a school, killing two children.",
         "Remote explosive/landmine/IED"),
        # a blast of no weapon is an accident
        ("A gas cylinder exploded in a restaurant kitchen, injuring four workers.", "Man-made disaster"),
    ],
)  # fmt: skip
def test_blast_toll(pipeline, text, acled):
    assert_primary(pipeline, text, acled)


@pytest.mark.parametrize(
    "text,requests",
    [
        # medical care sought for oneself is asked of no one
        ("Dozens of villagers sought medical treatment after drinking the water.", 0),
        ("Residents who inhaled the smoke were urged to seek medical attention.", 0),
        ("The opposition leader sought talks with the president.", 1),
    ],
)  # fmt: skip
def test_private_needs_are_no_request(pipeline, text, requests):
    events = events_of(pipeline, text)
    assert sum(e.type == "REQUEST" for e in events) == requests, [(e.type, e.rule) for e in events]
