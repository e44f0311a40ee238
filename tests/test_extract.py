"""What the coder reads from single sentences: types, roles, factuality, numbers, dates, places."""

from __future__ import annotations

import pytest

DATE = "2023-05-30"  # a Tuesday


def _countries(side):
    actors = side if isinstance(side, list) else [side] if side else []
    return {a.get("country") or a.get("org") for a in actors}


def _find(events, type_):
    found = [e for e in events if e["type"] == type_]
    assert found, f"no {type_} in {[(e['type'], e['factuality']) for e in events]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "type_", "source", "target"),
    [
        ("Serb protesters injured 30 KFOR soldiers in Zvecan.", "ASSAULT", {"SRB"}, {"NATO"}),
        ("Three Kosovo police officers were arrested by Serbian police.", "COERCE", {"SRB"}, {"XKX"}),
        (
            "Kosovo police arrested a Serb man suspected of organising the violence.",
            "COERCE",
            {"XKX"},
            {"SRB"},
        ),
        ("The EU imposed sanctions on Kosovo.", "SANCTION", {"EU"}, {"XKX"}),
        ("Germany sent aid to Ukraine.", "AID", {"DEU"}, {"UKR"}),
        ("EU and US envoys called for de-escalation.", "REQUEST", {"EU", "USA"}, set()),
        (
            "Kosovo Prime Minister Albin Kurti accused Serbia of preparing to invade the north.",
            "ACCUSE",
            {"XKX"},
            {"SRB"},
        ),
    ],
)
def test_who_did_what_to_whom(code, text, type_, source, target):
    event = _find(code(text, DATE, all_events=False), type_)
    assert _countries(event["source"]) == source
    assert _countries(event["target"]) == target


def test_an_accusation_is_not_the_attack_it_alleges(code):
    events = code("Kosovo Prime Minister Albin Kurti accused Serbia of preparing to invade the north.", DATE)
    counted = {e["type"] for e in events if e["factuality"] in ("asserted", "claimed")}
    assert counted == {"ACCUSE"}


@pytest.mark.parametrize(
    ("text", "type_", "factuality"),
    [
        ("Serbian troops could attack Kosovo police.", "ASSAULT", "hypothetical"),
        ("If Serbia sends troops across the border, NATO will respond.", "MOBILIZE", "hypothetical"),
        ("Serbia did not deploy troops to the boundary.", "MOBILIZE", "denied"),
        ("Belgrade denied that Serbian forces attacked Kosovo police.", "ASSAULT", "denied"),
        ("NATO will send 700 more troops to Kosovo.", "MOBILIZE", "future"),
        ("Kurti said Serbian gunmen attacked Kosovo police.", "ASSAULT", "claimed"),
        ("Serbian gunmen attacked Kosovo police near Banjska.", "ASSAULT", "asserted"),
    ],
)
def test_factuality(code, text, type_, factuality):
    assert _find(code(text, DATE), type_)["factuality"] == factuality


def test_reported_speech_names_the_claimant(code):
    event = _find(code("Kurti said Serbian gunmen attacked Kosovo police.", DATE), "ASSAULT")
    assert _countries(event["source"]) == {"SRB"} and _countries(event["target"]) == {"XKX"}
    assert "Kurti" in event["claimed_by"]


def test_a_threat_is_not_a_deployment(code):
    events = code("Vucic threatened to send troops into Kosovo.", DATE)
    assert not [e for e in events if e["type"] == "MOBILIZE" and e["factuality"] in ("asserted", "claimed")]


def test_sentences_without_events_give_nothing(code):
    assert code("The weather in Pristina was sunny on Monday.", DATE) == []


def test_numbers_date_and_place(code):
    event = _find(code("Serb protesters injured 30 KFOR soldiers in Zvecan on Monday.", DATE), "ASSAULT")
    assert event["numbers"]["injured"] == 30
    assert (event["date"], event["date_precision"]) == ("2023-05-29", "day")
    assert event["place"]["country"] == "XKX" and event["place"]["lat"] is not None
    troops = _find(code("NATO will send 700 more troops to Kosovo.", DATE), "MOBILIZE")
    assert troops["numbers"]["size"] == 700


def test_without_a_date_the_precision_says_so(code):
    event = _find(code("Serbian gunmen attacked Kosovo police.", None), "ASSAULT")
    assert event["date"] is None and event["date_precision"] == "unknown"


def test_every_coded_field_has_a_span_in_the_sentence(code):
    text = "Serb protesters injured 30 KFOR soldiers in Zvecan on Monday."
    event = _find(code(text, DATE), "ASSAULT")
    for field in ("trigger", "source", "target", "place", "date", "numbers.injured"):
        start, end = event["spans"][field]
        assert 0 <= start < end <= len(text), field
    assert text[slice(*event["spans"]["trigger"])] == "injured"
    assert event["rule"].startswith("builtin:ASSAULT")
