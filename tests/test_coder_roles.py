"""Role finding: unknown actors kept, targets found inside the action a verb embeds."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text,type_,source,target",
    [
        # an actor the knowledge base does not know keeps its text
        ("Gunmen of the Zorgan Brigade attacked a police station in Kosovo.", "ASSAULT", "Gunmen", None),
        ("University students staged mass demonstrations in Jakarta.", "PROTEST", "students", None),
        # the target of a threat is the object of the threatened action
        ("Pakistan threatened to break off diplomatic relations with Costa Rica.", "THREATEN", "Pakistan",
         "Costa Rica"),
    ],
)  # fmt: skip
def test_roles(code, text, type_, source, target):
    events = [e for e in code(text) if e["type"] == type_]
    assert events, code(text)
    e = events[0]
    side = e["source"] if isinstance(e["source"], dict) else (e["source"] or [{}])[0]
    assert source in (side or {}).get("text", "")
    if target:
        tside = e["target"] if isinstance(e["target"], dict) else (e["target"] or [{}])[0]
        assert target in tside["text"]


@pytest.mark.parametrize(
    "text,type_,side,country",
    [
        # the actor sits inside a phrase that names none: a nationality modifier, a possessor,
        # the group a quantity counts, the maker of a call or offer
        ("Ruritania rejected a French request for new talks.", "REJECT", "target", "FRA"),
        ("The minister rejected calls by Germany to reopen the border.", "REJECT", "target", "DEU"),
        ("Thousands of Kenyan students marched through Nairobi.", "PROTEST", "source", "KEN"),
        ("Leaders of the Kenyan opposition agreed to postpone the march.", "AGREE", "source", "KEN"),
    ],
)  # fmt: skip
def test_actor_inside_phrase(code, text, type_, side, country):
    events = [e for e in code(text) if e["type"] == type_]
    assert events, code(text)
    actors = events[0][side]
    actors = actors if isinstance(actors, list) else [actors]
    assert country in {a.get("country") for a in actors if a}, events[0]


@pytest.mark.parametrize(
    "text,type_",
    [
        # a specific material action needs no target to be an event
        ("Japan lifted restrictions on Monday.", "CONCEDE"),
        ("The European Union provided humanitarian aid last year.", "AID"),
    ],
)  # fmt: skip
def test_specific_action_without_target(code, text, type_):
    assert type_ in {e["type"] for e in code(text)}, code(text)


def test_a_date_is_never_an_actor(code):
    for e in code("The European Union agreed in principle on Saturday to provide aid for Poland."):
        for side in ("source", "target"):
            actors = e[side] if isinstance(e[side], list) else [e[side]]
            assert all("Saturday" not in (a or {}).get("text", "") for a in actors), e


@pytest.mark.parametrize(
    "text,source",
    [
        # a refused concession is a rejection by whoever refuses, not a denied concession
        ("The Estonian government will not lift the ban on the party.", "Estonian government"),
        ("The Peruvian prime minister declined to resign after the vote.", "Peruvian prime minister"),
        ("Hungary refused to accept the refugees from Serbia.", "Hungary"),
    ],
)  # fmt: skip
def test_refused_concession_is_reject(code, text, source):
    events = code(text)
    rejects = [e for e in events if e["type"] == "REJECT" and e["factuality"] == "asserted"]
    assert rejects, [(e["type"], e["factuality"], e["rule"]) for e in events]
    side = rejects[0]["source"]
    side = side if isinstance(side, list) else [side]
    assert any(source in (a or {}).get("text", "") for a in side), rejects[0]
    assert not [e for e in events if e["type"] in ("CONCEDE", "AGREE") and e["factuality"] == "asserted"]


@pytest.mark.parametrize(
    "text,type_,mode",
    [
        # the event noun in a harm verb's "in"/"with" phrase is what did the harm
        ("Two policemen were wounded in a grenade attack in Peshawar.", "ASSAULT", "grenade"),
        ("Four farmers died in an airstrike near the village.", "ASSAULT", "aerial"),
        # a natural disaster is an event whoever it strikes
        ("The death toll from the floods in Assam rose to 30.", "OTHER", "natural-disaster"),
    ],
)  # fmt: skip
def test_event_noun_in_harm_phrase(code, text, type_, mode):
    events = code(text)
    assert any(e["type"] == type_ and e["mode"] == mode for e in events), [
        (e["type"], e["mode"], e["rule"]) for e in events
    ]
