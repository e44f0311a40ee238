"""One case per pattern family added in patterns.toml version 2 (and the OTHER path)."""

from __future__ import annotations

import pytest

from powderkeg.knowledge.ontology import case2021_label


@pytest.mark.parametrize(
    "text,type_,mode,label",
    [
        ("Syrian government forces recaptured the town of Palmyra from rebels on Sunday.", "ASSAULT",
         "occupy", "GOV_REGAINS_TERIT"),
        ("A man threw a grenade at a police patrol in Srinagar.", "ASSAULT", "grenade", "GRENADE"),
        ("Syrian forces carried out a chemical attack on Douma, killing 40 people.", "ASSAULT", "chemical",
         "CHEM_WEAP"),
        ("Police defused a bomb planted near the mosque in Kabul.", "COERCE", "disrupt", "DISR_WEAP"),
        ("The army established a new base near the border with Mali.", "MOBILIZE", "base", "HQ_ESTABLISHED"),
        # (patterns v5) "mob" names the actors, civilians, not the event: their killing is mob violence
        ("A mob killed two men in the village.", "ASSAULT", "", "MOB_VIOL"),
        ("Villagers lynched a suspected cattle thief.", "ASSAULT", "", "MOB_VIOL"),
        ("An earthquake killed at least 20 people in eastern Turkey.", "OTHER", "natural-disaster",
         "NATURAL_DISASTER"),
        ("A fire killed 12 workers at a garment factory in Dhaka.", "OTHER", "man-made-disaster",
         "MAN_MADE_DISASTER"),
        ("Drug cartel gunmen smuggled weapons across the border into Mexico.", "OTHER", "crime", "ORG_CRIME"),
    ],
)  # fmt: skip
def test_pattern_family(code, text, type_, mode, label):
    events = code(text)
    hits = [e for e in events if e["type"] == type_ and (e["mode"] or "") == mode]
    assert hits, [(e["type"], e["mode"], e["rule"]) for e in events]
    assert case2021_label(hits[0]["acled_type"]) == label


def test_disaster_is_not_an_assault(code):
    events = code("An earthquake killed at least 20 people in eastern Turkey.")
    assert not [e for e in events if e["type"] == "ASSAULT"]
