"""Patterns generated from the CAMEO verb dictionary (knowledge/data/cameo_verbs.toml) in the coder.

Their sentence cases (one or more per PLOVER type, and the precedence of the hand-written
patterns) are in tests/cases/types.toml, primary.toml and dyads.toml; here, what needs the
settings or the records themselves."""

from __future__ import annotations

import dataclasses

from powderkeg import Pipeline, Settings

from .coding_helpers import countries


def test_code_and_quad_class_follow_the_dictionary(code):
    [event] = code("Serbian police heightened the alert along the boundary with Kosovo.")
    assert (event["cameo"], event["quad_class"]) == ("150", 4)
    assert event["rule"].startswith("cameo:150:MOBILIZE:verb:heighten [alert]")
    assert countries(event["source"]) == {"SRB"} and countries(event["target"]) == {"XKX"}


def test_generated_patterns_can_be_switched_off():
    text = "Georgia reneged on its promise to Armenia."
    settings = dataclasses.replace(Settings(), packaged_patterns=("patterns.toml",), event_model="none")
    [(_, events)] = list(Pipeline(settings).code_texts([{"id": "t", "text": text}]))
    assert events == []
    [(_, events)] = list(Pipeline(Settings()).code_texts([{"id": "t", "text": text}]))
    assert [e.cameo for e in events] == ["160"]
