"""Patterns generated from the CAMEO verb dictionary (knowledge/data/cameo_verbs.toml) in the coder.

Their sentence cases (one or more per PLOVER type, and the precedence of the hand-written
patterns) are in tests/cases/types.toml, primary.toml and dyads.toml; here, what needs the
settings or the records themselves."""

from __future__ import annotations

import dataclasses

import pytest

from powderkeg import Pipeline, Settings
from powderkeg.extract.triggers import TriggerFinder
from powderkeg.knowledge.rules import load_rules

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


@pytest.mark.parametrize(
    "text",
    [
        "Georgia reneged on its promise to Armenia.",
        "The council weighed new sanctions on the northern province after the vote.",
        "Rebels shelled the market and then fired rockets at the airport on Sunday.",
        "The minister said the army must leave the disputed valley.",
    ],
)
def test_the_verbs_read_once_find_what_each_pass_finds_alone(pipeline, text):
    """``TriggerFinder.find``'s ``read`` (each verb's words, kept for the sentence's second pass,
    the generated patterns): both passes find what they find each reading the verbs afresh."""
    finder = TriggerFinder(load_rules().patterns, load_rules().lexicon)
    sent = pipeline.nlp(text)[:]
    read: dict = {}
    for generated in (False, True):
        alone = [(t.i, p) for t, p in finder.find(sent, generated)]
        assert [(t.i, p) for t, p in finder.find(sent, generated, read)] == alone
    assert read, "the verbs' readings were kept"
