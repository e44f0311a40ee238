"""Whether an event is said to have happened (extract/factuality.py), on parses built by hand."""

from __future__ import annotations

import pytest

from powderkeg.extract.factuality import announcement, assess, refusal
from powderkeg.knowledge.rules import load_rules

from .coding_helpers import build

LEX = load_rules().lexicon


def _clause(*head_rows):  # type: ignore[no-untyped-def]
    """ "Serbia <...> Kosovo ." with the verb's own children given in ``head_rows``."""
    return build(list(head_rows))


@pytest.mark.parametrize(
    "rows,trigger,value,cue",
    [
        # a modal of possibility: hypothetical
        ([("Serbia", "Serbia", "PROPN", "NNP", "nsubj", 2), ("may", "may", "AUX", "MD", "aux", 2),
          ("attack", "attack", "VERB", "VB", "ROOT", 2), ("Kosovo", "Kosovo", "PROPN", "NNP", "dobj", 2)],
         2, "hypothetical", "may"),
        # will: future
        ([("Serbia", "Serbia", "PROPN", "NNP", "nsubj", 2), ("will", "will", "AUX", "MD", "aux", 2),
          ("attack", "attack", "VERB", "VB", "ROOT", 2), ("Kosovo", "Kosovo", "PROPN", "NNP", "dobj", 2)],
         2, "future", "will"),
        # negation: denied
        ([("Serbia", "Serbia", "PROPN", "NNP", "nsubj", 3), ("did", "do", "AUX", "VBD", "aux", 3),
          ("not", "not", "PART", "RB", "neg", 3), ("attack", "attack", "VERB", "VB", "ROOT", 3),
          ("Kosovo", "Kosovo", "PROPN", "NNP", "dobj", 3)],
         3, "denied", "not"),
        # reported speech: claimed, by its speaker
        ([("Kurti", "Kurti", "PROPN", "NNP", "nsubj", 1), ("said", "say", "VERB", "VBD", "ROOT", 1),
          ("Serbia", "Serbia", "PROPN", "NNP", "nsubj", 3), ("attacked", "attack", "VERB", "VBD", "ccomp", 1),
          ("Kosovo", "Kosovo", "PROPN", "NNP", "dobj", 3)],
         3, "claimed", "said"),
        ([("Serbia", "Serbia", "PROPN", "NNP", "nsubj", 1), ("attacked", "attack", "VERB", "VBD", "ROOT", 1),
          ("Kosovo", "Kosovo", "PROPN", "NNP", "dobj", 1)],
         1, "asserted", None),
    ],
)  # fmt: skip
def test_cues_on_the_way_to_the_root(rows, trigger, value, cue):
    doc = build(rows)
    found = assess(doc[trigger], LEX)
    assert found.value == value
    assert (found.cue.text if found.cue is not None else None) == cue
    if value == "claimed":
        assert found.claimed_by is not None and found.claimed_by.text == "Kurti"


def test_a_refused_action_names_the_refusal():
    doc = build([("Hungary", "Hungary", "PROPN", "NNP", "nsubj", 1), ("refused", "refuse", "VERB", "VBD", "ROOT", 1),
                 ("to", "to", "PART", "TO", "aux", 3), ("accept", "accept", "VERB", "VB", "xcomp", 1),
                 ("refugees", "refugee", "NOUN", "NNS", "dobj", 3)])  # fmt: skip
    assert refusal(doc[3], LEX) is not None and refusal(doc[3], LEX).text == "refused"  # type: ignore[union-attr]
    assert refusal(doc[1], LEX) is None


def test_an_actors_own_future_action_is_announced():
    doc = build([("Japan", "Japan", "PROPN", "NNP", "nsubj", 2), ("will", "will", "AUX", "MD", "aux", 2),
                 ("give", "give", "VERB", "VB", "ROOT", 2), ("Laos", "Laos", "PROPN", "NNP", "dative", 2),
                 ("aid", "aid", "NOUN", "NN", "dobj", 2)])  # fmt: skip
    said = announcement(doc[2], assess(doc[2], LEX), LEX)
    assert said is not None and said.held_out == "" and not said.ready
    past = build([("Japan", "Japan", "PROPN", "NNP", "nsubj", 1), ("gave", "give", "VERB", "VBD", "ROOT", 1),
                  ("aid", "aid", "NOUN", "NN", "dobj", 1)])  # fmt: skip
    assert announcement(past[1], assess(past[1], LEX), LEX) is None
