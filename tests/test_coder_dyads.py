"""Dyads: who asks whom, who issued a message, stances that are not nationalities, old IGO names."""

from __future__ import annotations

import pytest

from powderkeg.knowledge.known_actors import Knowledge

from .coding_helpers import countries, first


@pytest.mark.parametrize(
    "text,target",
    [
        # the one asked is the subject of the clause saying what is asked for
        ("The union demanded that the Kenyan government raise wages.", "KEN"),
        ("Human rights groups insisted that Norway release the detained sailors.", "NOR"),
        ("Ruritanian exiles are demanding that Chile return their property.", "CHL"),
        ("The rebels insisted on their demand that Ghana's government hold new elections.", "GHA"),
    ],
)  # fmt: skip
def test_asked_party_is_subject_of_that_clause(code, text, target):
    assert target in countries(first(code, text, "REQUEST")["target"])


@pytest.mark.parametrize(
    "text,source",
    [
        # a clause on an issued message speaks for whoever issued it
        ("Portugal issued a statement demanding that Spain reopen the border.", "PRT"),
        ("The Finnish parliament passed a resolution calling for talks with Estonia.", "FIN"),
    ],
)  # fmt: skip
def test_message_speaks_for_its_sender(code, text, source):
    assert source in countries(first(code, text, "REQUEST")["source"])


@pytest.mark.parametrize(
    "text,type_,country,not_country",
    [
        # "pro-X" and "anti-X" say what an actor supports or opposes, not what it is
        ("The pro-Syrian Hezbollah militia attacked an army post.", "ASSAULT", "LBN", "SYR"),
        ("Anti-Chinese rioters attacked shops in Jakarta.", "ASSAULT", None, "CHN"),
    ],
)  # fmt: skip
def test_stance_is_not_nationality(code, text, type_, country, not_country):
    found = countries(first(code, text, type_)["source"])
    assert not_country not in found
    if country:
        assert country in found


@pytest.mark.parametrize(
    "name,code_",
    [
        ("European Community", "EU"),
        ("European Economic Community", "EU"),
        ("Organization of African Unity", "AU"),
        ("CSCE", "OSCE"),
        ("Asia-Pacific Economic Cooperation", "APEC"),
    ],
)
def test_historical_igo_names_resolve(name, code_):
    # older reports name IGOs by the names they had then
    assert code_ in {e.code for e in Knowledge().lookup(name) if e.kind == "org"}


@pytest.mark.parametrize(
    "text,type_,side,actor",
    [
        # dotted abbreviations are names in running text, wherever they stand
        ("Yemen has rejected a U.S. request to question the detainees.", "REJECT", "target", "USA"),
        ("Norwegian officials shared intelligence with the U.S. about the plot.", "COOPERATE", "target", "USA"),
        ("The U.N. today condemned Chad.", "ACCUSE", "source", "UN"),
    ],
)  # fmt: skip
def test_dotted_abbreviations_resolve(code, text, type_, side, actor):
    assert actor in countries(first(code, text, type_)[side])


@pytest.mark.parametrize(
    "text,type_,target",
    [
        # a reduced-relative passive on the complement of an owned noun is about the owner's noun
        ("Talks stalled over Moldova's request for EU membership, firmly opposed by Russia.", "REJECT", "MDA"),
        # the object search follows reduced relatives down to the party named
        ("The minister suggested a return to promises made in last year's deal with Armenia.", "REQUEST",
         "ARM"),
    ],
)  # fmt: skip
def test_targets_in_reduced_relatives(code, text, type_, target):
    assert target in countries(first(code, text, type_)["target"])


@pytest.mark.parametrize(
    "text,claimed",
    [
        # an absolute "with X doing Y" clause under a claim is part of the claim
        ("The Georgian president accused Russia of provocation, with Russian troops establishing new "
         "bases in Abkhazia.", True),
        # under an ordinary statement it asserts on its own
        ("Ministers agreed on new talks, with Russian troops establishing new bases in Abkhazia.", False),
    ],
)  # fmt: skip
def test_absolute_clause_keeps_claimant(code, text, claimed):
    event = first(code, text, "MOBILIZE")
    assert (event["factuality"] == "claimed") is claimed, event
    if claimed:
        assert event["claimed_by"], event


@pytest.mark.parametrize(
    "text,type_,country",
    [
        # a group with no nationality of its own takes the country it is placed in
        ("Opposition activists in Belarus demanded that the government free political prisoners.",
         "REQUEST", "BLR"),
        ("Demonstrators in Nairobi blocked a highway on Monday.", "PROTEST", "KEN"),
        ("Students throughout Chile staged protests against the reform.", "PROTEST", "CHL"),
    ],
)  # fmt: skip
def test_group_takes_country_it_is_in(code, text, type_, country):
    assert country in countries(first(code, text, type_)["source"])


def test_place_of_a_non_actor_is_no_actor(code):
    # "tensions in Bosnia" are not Bosnia: the warning's target is found deeper
    text = "The general warned that tensions in Bosnia could grow, with Russia working to incite divisions."
    events = [e for e in code(text) if e["type"] == "ACCUSE"]
    assert events and all("BIH" not in countries(e["target"]) for e in events), events


@pytest.mark.parametrize(
    "text,source,target",
    [
        # saying what someone must or should do asks them to do it
        ("The Norwegian foreign minister said Sweden must reopen the consulate.", "NOR", "SWE"),
        ("Chile insisted that Peru should respect the court ruling.", "CHL", "PER"),
    ],
)  # fmt: skip
def test_modal_demand_is_request(code, text, source, target):
    event = first(code, text, "REQUEST")
    assert source in countries(event["source"]) and target in countries(event["target"]), event


@pytest.mark.parametrize(
    "text",
    [
        # no modal, or nobody told: no demand
        "The Norwegian foreign minister said Sweden reopened the consulate.",
        "The minister said the weather should improve soon.",
    ],
)
def test_no_modal_demand(code, text):
    assert not [e for e in code(text) if e["rule"].startswith("builtin:modal")], code(text)


@pytest.mark.parametrize(
    "text,side,sector",
    [
        # a known phrase ending at a generic head names the sector by itself
        ("Opposition forces attacked an army post near Idlib.", "source", "REB"),
        # a patrol is a unit of armed personnel, a police patrol the police's
        ("Gunmen ambushed a patrol near the border.", "target", "MIL"),
        ("Gunmen ambushed a police patrol near the border.", "target", "COP"),
        # a modifier still says more than a generic head alone
        ("Rebel forces attacked an army post near Idlib.", "source", "REB"),
    ],
)  # fmt: skip
def test_sector_phrases(code, text, side, sector):
    event = first(code, text, "ASSAULT")
    actors = event[side] if isinstance(event[side], list) else [event[side]]
    assert sector in {a.get("sector") for a in actors if a}, event


@pytest.mark.parametrize(
    "text,type_,material",
    [
        # an actor's own future action, announced, is a promise or a threat made now
        ("Japan will give Laos a loan of 20 million dollars next year.", "AGREE", "AID"),
        ("The Greek government said it would lift the ban on imports from Albania.", "AGREE", "CONCEDE"),
        ("Kenya's interior minister said the government will impose a curfew in Mombasa.", "THREATEN", "COERCE"),
    ],
)  # fmt: skip
def test_future_action_is_pledge(code, text, type_, material):
    events = code(text)
    pledged = [e for e in events if e["type"] == type_ and e["factuality"] == "asserted"]
    future = [e for e in events if e["type"] == material and e["factuality"] == "future"]
    assert pledged and future, [(e["type"], e["factuality"]) for e in events]


def test_past_action_is_no_pledge(code):
    events = code("Japan gave Laos a loan of 20 million dollars last year.")
    assert events and not [e for e in events if "pledge" in e["rule"]], events


@pytest.mark.parametrize(
    "text,type_,target",
    [
        # calling for punishment of someone is verbal conflict with them, not a request
        ("The Dutch foreign minister called for sanctions against Belarus.", "ACCUSE", "BLR"),
        # a date after a target preposition is when, not whom
        ("The Dutch foreign minister on Monday called for sanctions against Belarus.", "ACCUSE", "BLR"),
    ],
)  # fmt: skip
def test_call_for_punishment(code, text, type_, target):
    assert target in countries(first(code, text, type_)["target"])


@pytest.mark.parametrize(
    "text,type_,country",
    [
        # earlier heads of state and government resolve by name, without a nationality word
        ("President Ronald Reagan criticized the Nicaraguan government.", "ACCUSE", "USA"),
        ("Chancellor Helmut Kohl praised Poland's reforms.", "SUPPORT", "DEU"),
        ("Gorbachev accused Lithuania of breaking the law.", "ACCUSE", "RUS"),
        ("Prime Minister Margaret Thatcher condemned Argentina for the invasion.", "ACCUSE", "GBR"),
    ],
)  # fmt: skip
def test_historical_leaders_resolve(code, text, type_, country):
    assert country in countries(first(code, text, type_)["source"])


@pytest.mark.parametrize(
    "text,type_,side,country",
    [
        # long-running insurgencies and liberation movements carry their country
        ("The Tamil Tigers threatened to attack Colombo.", "THREATEN", "source", "LKA"),
        ("Angola accused UNITA of violating the ceasefire.", "ACCUSE", "target", "AGO"),
        ("The Moro Islamic Liberation Front rejected Manila's offer of talks.", "REJECT", "source", "PHL"),
    ],
)  # fmt: skip
def test_liberation_movements_resolve(code, text, type_, side, country):
    assert country in countries(first(code, text, type_)[side])


@pytest.mark.parametrize(
    "text,source,target",
    [
        # an apology goes one way: no mirrored event with the sides swapped
        ("Japan apologized to Korea for its wartime conduct.", "KOR", "JPN"),
        ("Chile has apologised to Peru over the spying affair.", "PER", "CHL"),
    ],
)  # fmt: skip
def test_apology_is_directed(code, text, source, target):
    events = [e for e in code(text) if e["type"] == "SUPPORT"]
    assert events
    assert not any(source in countries(e["source"]) and target in countries(e["target"]) for e in events)


@pytest.mark.parametrize(
    "text,type_,country",
    [
        # "Title Name of Country": the of-phrase says whose leader, also for a later "he"
        ("King Harald of Norway said he would visit Sweden.", "CONSULT", "NOR"),
        ("President Ivan Petrov of Bulgaria said he would release the prisoners.", "RETREAT", "BGR"),
    ],
)  # fmt: skip
def test_titled_name_of_country(code, text, type_, country):
    assert country in countries(first(code, text, type_)["source"])


@pytest.mark.parametrize(
    "text,type_,target",
    [
        # the thing an event is of points on to whom it concerns
        ("Spain announced a suspension of air links with Morocco.", "SANCTION", "MAR"),
        ("Kenya announced the suspension of flights to Somalia.", "SANCTION", "SOM"),
        # a date after the noun is when, not whom
        ("Spain announced a suspension of air links with Morocco on Monday.", "SANCTION", "MAR"),
    ],
)  # fmt: skip
def test_event_of_a_thing_points_on(code, text, type_, target):
    assert target in countries(first(code, text, type_)["target"])


def test_host_of_a_meeting_between_two_sides(code):
    # the host meets both sides and is not mirrored onto their side
    events = [
        e for e in code("Norway hosted a meeting between Israel and the PLO.") if e["type"] == "CONSULT"
    ]
    assert events
    assert all(countries(e["source"]) == {"NOR"} for e in events)
    assert {"ISR", "PSE"} <= countries(events[0]["target"])


@pytest.mark.parametrize(
    "text,org",
    [
        # names spelled with a lower-case particle are still names; a possessed group is the group
        ("Osama bin Laden's al-Qaeda network threatened to attack Kenya.", "AQ"),
        ("The al-Shabaab militia threatened Kenya.", "SOM"),
    ],
)  # fmt: skip
def test_particle_names_and_possessed_groups(code, text, org):
    assert org in countries(first(code, text, "THREATEN")["source"])


def test_language_is_no_actor(code):
    # "the Russian language" names a language, not Russia
    events = code("Estonia lifted restrictions on the Russian language.")
    assert events
    assert all("RUS" not in countries(e["target"]) for e in events)


@pytest.mark.parametrize(
    "text,target",
    [
        # a "to" phrase the parser labels a dative still names the receiver
        ("Chile has granted asylum to five Bolivian officers.", "BOL"),
        ("Ghana granted refuge to three Togolese soldiers.", "TGO"),
    ],
)  # fmt: skip
def test_dative_receiver_is_target(code, text, target):
    assert target in countries(first(code, text, "AID")["target"])


@pytest.mark.parametrize(
    "text,source",
    [
        # a counted description is several actors: no single earlier one stands for them
        ("The US ambassador criticised Kosovo on Friday. The five governments urged Pristina to act.", set()),
        # one described actor still refers back
        ("Kosovo's interior minister spoke on Friday. The minister urged Serbia to release the officers.",
         {"XKX"}),
    ],
)  # fmt: skip
def test_counted_descriptions_take_no_single_antecedent(code, text, source):
    assert countries(first(code, text, "REQUEST")["source"]) - {None, ""} == source
