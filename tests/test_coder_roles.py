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
