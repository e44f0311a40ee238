"""One case per pattern family added in patterns.toml version 3, in sentences written for the test."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text,type_,mode",
    [
        ("The governor of Lagos eased the curfew on Tuesday.", "CONCEDE", "ease"),
        ("Ruritania's interior minister resigned after the scandal.", "CONCEDE", "leadership"),
        ("More than 200 rebels surrendered to the Congolese army in Kivu.", "RETREAT", "disarm"),
        ("Italy returned three stolen paintings to Greece.", "RETREAT", "release"),
        ("Norway gave 10 million dollars to the flood victims in Pakistan.", "AID", ""),
        ("Brazil granted asylum to the former Bolivian president.", "AID", ""),
        ("Spain extradited a Russian businessman to the United States.", "COOPERATE", ""),
        ("Indian police shared evidence with their Nepali counterparts.", "COOPERATE", ""),
        ("Canada suspended aid to the Malian government.", "SANCTION", ""),
        ("The Chilean president cancelled his visit to Peru.", "SANCTION", ""),
        ("The Turkish government declined a request from Sweden for talks.", "REJECT", ""),
        ("A Kenyan court indicted the former governor for fraud.", "ACCUSE", "allege"),
        ("Police discovered a weapons cache near Mosul.", "COERCE", "disrupt"),
        ("Twelve firearms were seized at the border crossing.", "COERCE", "disrupt"),
        ("Turkish troops set up a new observation point in Idlib.", "MOBILIZE", "base"),
        ("Government forces used chlorine gas against the town.", "ASSAULT", "chemical"),
    ],
)  # fmt: skip
def test_pattern_family(code, text, type_, mode):
    events = code(text)
    assert any(e["type"] == type_ and (e["mode"] or "") == mode for e in events), [
        (e["type"], e["mode"], e["rule"]) for e in events
    ]
