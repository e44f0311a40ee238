"""Patterns generated from the CAMEO verb dictionary (knowledge/data/cameo_verbs.toml) in the coder,
on sentences written for these tests: one or more per PLOVER type the file covers, and the
precedence of the hand-written patterns."""

from __future__ import annotations

import dataclasses

import pytest

from powderkeg import Pipeline, Settings
from powderkeg.extract.primary import primary

from .coding_helpers import countries


@pytest.mark.parametrize(
    "text,type_,cameo",
    [
        ("The two parties reached a consensus on the electoral law.", "AGREE", "037"),
        ("The Latvian foreign minister took leave of his Estonian counterpart after a two-day visit.",
         "CONSULT", "042"),
        ("Lithuania reestablished diplomatic ties with Georgia.", "SUPPORT", "050"),
        ("Slovenia exported passenger cars to Croatia.", "COOPERATE", "061"),
        ("Japan wrote off Laos's debt on Monday.", "AID", "071"),
        ("Malta sheltered the refugees from Libya.", "AID", "075"),
        ("Ethiopia disengaged its troops from the disputed area.", "RETREAT", "087"),
        ("The king pardoned 200 prisoners on the national holiday.", "RETREAT", "0841"),
        ("The mayor of Kharkiv voiced an appeal to European donors.", "REQUEST", "020"),
        ("The Armenian delegation lodged a complaint against Azerbaijan with the United Nations.",
         "ACCUSE", "114"),
        ("Tehran ruled out any concession on enrichment.", "REJECT", "124"),
        ("The sultan gave the rebels a deadline to lay down their weapons.", "THREATEN", "139"),
        ("Students chanted against the government outside parliament in Dhaka.", "PROTEST", "141"),
        ("Georgia reneged on its promise to Armenia.", "SANCTION", "160"),
        ("Serbian police heightened the alert along the boundary with Kosovo.", "MOBILIZE", "150"),
        ("The authorities clamped a curfew on Jaffna.", "COERCE", "1723"),
        ("Gunmen dynamited the bridge near Kandahar.", "ASSAULT", "193"),
        ("Parliament approved the constitutional amendment on Tuesday.", "CONCEDE", "0834"),
    ],
)  # fmt: skip
def test_generated_pattern_codes_what_hand_written_ones_miss(code, text, type_, cameo):
    events = code(text)
    assert [e["type"] for e in events] == [type_], events
    event = events[0]
    # the dictionary's own, finer code, and a rule that says where the pattern came from
    assert event["cameo"] == cameo
    assert event["rule"].startswith(f"cameo:{cameo}:{type_}")


def test_code_and_quad_class_follow_the_dictionary(code):
    [event] = code("Serbian police heightened the alert along the boundary with Kosovo.")
    assert (event["cameo"], event["quad_class"]) == ("150", 4)
    assert countries(event["source"]) == {"SRB"} and countries(event["target"]) == {"XKX"}


def test_hand_written_pattern_wins_where_both_match(code):
    # "confer" (hand-written CONSULT) and "confer with" (CAMEO 046) both match
    events = code("Moldova's prime minister conferred with his Romanian counterpart in Chisinau.")
    assert events and all(e["rule"].startswith("builtin:CONSULT") for e in events)


def test_no_generated_event_in_a_sentence_the_hand_written_patterns_code(code):
    events = code(
        "After the two parties reached a consensus, Serbia recalled its ambassador from Montenegro."
    )
    assert [e["type"] for e in events] == ["SANCTION"]
    assert not any(e["rule"].startswith("cameo:") for e in events)


def test_primary_event_prefers_hand_written_patterns(pipeline):
    text = "The sultan gave the rebels a deadline. Later, Omani troops attacked the rebel camp."
    [(_, events)] = list(pipeline.code_texts([{"id": "t", "text": text}]))
    assert {e.rule.split(":")[0] for e in events} == {"cameo", "builtin"}
    event = primary(events, plover_only=True)
    assert event is not None and event.type == "ASSAULT" and event.sentence_index == 1


def test_a_changed_reading_drops_the_dictionary_code(code):
    # a future action announced is a promise (AGREE): the SUPPORT code 050 no longer holds
    events = code("Lithuania will reestablish diplomatic ties with Georgia.")
    by_type = {e["type"]: e for e in events}
    assert by_type["SUPPORT"]["cameo"] == "050" and by_type["SUPPORT"]["factuality"] == "future"
    assert by_type["AGREE"]["cameo"] == "03"


def test_generated_patterns_can_be_switched_off():
    settings = dataclasses.replace(Settings(), packaged_patterns=("patterns.toml",))
    [(_, events)] = list(
        Pipeline(settings).code_texts([{"id": "t", "text": "Georgia reneged on its promise to Armenia."}])
    )
    assert events == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("China condemned the resumption of arms sales to Taiwan.", {"TWN"}),
        ("Ghana condemned the renewal of the ban on Togolese traders.", {"TGO"}),
    ],
)
def test_target_named_inside_what_a_phrase_is_of(code, text, expected):
    # "condemned the resumption of arms sales to Taiwan": a target phrase naming no one
    # points on through what it is "of"
    [event] = [e for e in code(text) if e["type"] == "ACCUSE"]
    assert countries(event["target"]) == expected
