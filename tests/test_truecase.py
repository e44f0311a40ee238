"""Lower-cased text gets its certain capitals back before parsing (extract/truecase.py)."""

from __future__ import annotations

import pytest

from powderkeg.extract.truecase import lower_cased_text, truecaser


@pytest.mark.parametrize(
    "text,expected",
    [
        ("sweden rejected the offer from norway on monday. i said no.",
         "Sweden rejected the offer from Norway on Monday. I said no."),
        ("police arrested six bjp workers in new delhi after the clashes.",
         "Police arrested six BJP workers in New Delhi after the clashes."),
        # ordinary words keep their case: "turkey", "us", "may", "polish"
        ("the us sent turkey and polish ham in may to the troops of kenya.",
         "The us sent turkey and polish ham in may to the troops of Kenya."),
        ("syria's army shelled the town near the border on sunday.",
         "Syria's army shelled the town near the border on Sunday."),
    ],
)  # fmt: skip
def test_certain_capitals_come_back_and_the_length_stays(pipeline, text, expected):
    assert lower_cased_text(text)
    assert truecaser(pipeline.nlp)(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Sweden rejected the offer from Norway on Monday, the minister said.", "too short here"],
)
def test_text_with_capitals_is_not_lower_cased(text):
    assert not lower_cased_text(text)


def test_a_lower_cased_text_is_coded_with_its_names(code):
    events = code("the government of denmark on friday rejected a fishing proposal from norway.")
    reject = next(e for e in events if e["type"] == "REJECT")
    assert [a["country"] for a in reject["source"]] == ["DNK"]
    assert [a["country"] for a in reject["target"]] == ["NOR"]
