"""Whether an event is said to have happened (extract/factuality.py), on parses built by hand."""

from __future__ import annotations

import pytest

from powderkeg.extract.factuality import announcement, assess, refusal, weighing
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


@pytest.mark.parametrize(
    "rows,trigger,weigher",
    [
        # "The EU is considering imposing sanctions": the act as a complement
        ([("EU", "EU", "PROPN", "NNP", "nsubj", 2), ("is", "be", "AUX", "VBZ", "aux", 2),
          ("considering", "consider", "VERB", "VBG", "ROOT", 2), ("imposing", "impose", "VERB", "VBG", "xcomp", 2),
          ("sanctions", "sanction", "NOUN", "NNS", "dobj", 3)],
         3, "considering"),
        # "Oslo mulls sanctions": a plain act noun as the object of a verb that weighs acts
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("mulls", "mull", "VERB", "VBZ", "ROOT", 1),
          ("sanctions", "sanction", "NOUN", "NNS", "dobj", 1)],
         2, "mulls"),
        # "Oslo studies options to expel envoys": an option weighed, the act a clause on the verb
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("studies", "study", "VERB", "VBZ", "ROOT", 1),
          ("options", "option", "NOUN", "NNS", "dobj", 1), ("to", "to", "PART", "TO", "aux", 4),
          ("expel", "expel", "VERB", "VB", "advcl", 1), ("envoys", "envoy", "NOUN", "NNS", "dobj", 4)],
         4, "studies"),
        # "Oslo thinks about sending troops": a weighing verb with its preposition
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("thinks", "think", "VERB", "VBZ", "ROOT", 1),
          ("about", "about", "ADP", "IN", "prep", 1), ("sending", "send", "VERB", "VBG", "pcomp", 2),
          ("troops", "troop", "NOUN", "NNS", "dobj", 3)],
         3, "thinks"),
        # "Oslo studies the attack": an act studied after it happened is no option weighed
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("studies", "study", "VERB", "VBZ", "ROOT", 1),
          ("the", "the", "DET", "DT", "det", 3), ("attack", "attack", "NOUN", "NN", "dobj", 1)],
         3, None),
        # "Oslo imposed sanctions": nothing weighed
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("imposed", "impose", "VERB", "VBD", "ROOT", 1),
          ("sanctions", "sanction", "NOUN", "NNS", "dobj", 1)],
         1, None),
        # "Oslo weighs military action": a pattern reading the act off the weighing verb's object
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("weighs", "weigh", "VERB", "VBZ", "ROOT", 1),
          ("military", "military", "ADJ", "JJ", "amod", 3), ("action", "action", "NOUN", "NN", "dobj", 1)],
         1, "weighs"),
    ],
)  # fmt: skip
def test_a_weighed_act_names_its_weigher(rows, trigger, weigher):
    found = weighing(build(rows)[trigger], LEX)
    assert (found.text if found is not None else None) == weigher


def _plan_that_frees(det: str) -> list[tuple]:
    """ "Oslo rejects <det> plan that frees Riga": a relative clause on a noun with ``det``."""
    return [("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("rejects", "reject", "VERB", "VBZ", "ROOT", 1),
            (det, det, "DET", "DT", "det", 3), ("plan", "plan", "NOUN", "NN", "dobj", 1),
            ("that", "that", "PRON", "WDT", "nsubj", 5), ("frees", "free", "VERB", "VBZ", "relcl", 3),
            ("Riga", "Riga", "PROPN", "NNP", "dobj", 5)]  # fmt: skip


@pytest.mark.parametrize(
    "rows,trigger,value",
    [
        # "Oslo gave Riga 48 hours to leave": the act an ultimatum demands is not done
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("gave", "give", "VERB", "VBD", "ROOT", 1),
          ("Riga", "Riga", "PROPN", "NNP", "dative", 1), ("48", "48", "NUM", "CD", "nummod", 4),
          ("hours", "hour", "NOUN", "NNS", "npadvmod", 1), ("to", "to", "PART", "TO", "aux", 6),
          ("leave", "leave", "VERB", "VB", "advcl", 1)],
         6, "hypothetical"),
        # "Oslo grew this week, prompting Riga to leave": a time that gives no one anything
        ([("Oslo", "Oslo", "PROPN", "NNP", "nsubj", 1), ("grew", "grow", "VERB", "VBD", "ROOT", 1),
          ("this", "this", "DET", "DT", "det", 3), ("week", "week", "NOUN", "NN", "npadvmod", 1),
          ("prompting", "prompt", "VERB", "VBG", "advcl", 1), ("Riga", "Riga", "PROPN", "NNP", "dobj", 4),
          ("to", "to", "PART", "TO", "aux", 7), ("leave", "leave", "VERB", "VB", "xcomp", 4)],
         7, "asserted"),
        # "Oslo rejects any plan that frees Riga": no such plan is said to exist
        (_plan_that_frees("any"), 5, "hypothetical"),
        # "Oslo rejects the plan that frees Riga": a particular plan, which does
        (_plan_that_frees("the"), 5, "asserted"),
    ],
)  # fmt: skip
def test_demanded_and_described_acts(rows, trigger, value):
    assert assess(build(rows)[trigger], LEX).value == value
