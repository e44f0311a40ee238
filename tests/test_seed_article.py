"""The canonical Kosovo article: its hand-coded events, and none of its forbidden readings."""

from __future__ import annotations

import json

from powderkeg.eval.seed import score, score_file

from .conftest import shared


def test_seed_article_events(pipeline):
    result = score_file(shared("eval", "seed_gold.json"), shared("corpus"), pipeline=pipeline)
    assert len(result.found) >= 10, f"found {result.found}, missed {result.missed}"
    assert result.violations == []


def _event(type_, source, target, sentence, factuality="asserted"):
    """An event-contract dict: each side a list of actors."""
    return {"type": type_, "source": source, "target": target, "sentence": sentence, "factuality": factuality}


GOLD = {
    "events": [
        {"id": "G1", "type": "ACCUSE", "source": {"country": "XKX"}, "target": {"country": "SRB"}},
        {"id": "G2", "type": "REQUEST", "source": {"org": "EU", "country": "USA"}},
    ],
    "must_not": [
        {"what": "an ASSAULT by Serbia against Kosovo from 'waiting to invade'"},
        {"what": "events from the 'Key Takeaways' bullets counted again"},
    ],
}
TEXT = "Kurti accused Serbia of waiting to invade.\n\nKey Takeaways\n\nSerbia attacks Kosovo."


def test_scorer_needs_type_and_both_sides():
    events = [_event("ACCUSE", [{"country": "SRB"}], [{"country": "XKX"}], "x")]  # reversed dyad
    assert score(GOLD, events, TEXT).missed == ["G1", "G2"]
    events.append(_event("ACCUSE", [{"country": "XKX"}], [{"country": "SRB"}], "x"))
    assert score(GOLD, events, TEXT).found == ["G1"]


def test_scorer_compound_source_needs_every_member():
    only_eu = [_event("REQUEST", [{"org": "EU"}], [], "x")]
    assert "G2" in score(GOLD, only_eu, TEXT).missed
    both = [_event("REQUEST", [{"org": "EU"}, {"country": "USA"}], [], "x")]
    assert score(GOLD, both, TEXT).found == ["G2"]


def test_scorer_flags_forbidden_readings():
    events = [
        _event(
            "ASSAULT",
            [{"country": "SRB"}],
            [{"country": "XKX"}],
            "Kurti accused Serbia of waiting to invade.",
        ),
        _event("ASSAULT", [{"country": "SRB"}], [{"country": "XKX"}], "Serbia attacks Kosovo."),
    ]
    assert len(score(GOLD, events, TEXT).violations) == 2
    # the same reading marked hypothetical is allowed outside the restatement block
    events[0]["factuality"] = "hypothetical"
    events.pop()
    assert score(GOLD, events, TEXT).violations == []


def test_gold_file_is_readable():
    gold = json.loads(shared("eval", "seed_gold.json").read_text("utf-8"))
    assert sum(not e.get("optional") for e in gold["events"]) == 11
