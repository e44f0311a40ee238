"""The refinement engine (extract/refine.py) and trigger matching, on parses built by hand."""

from __future__ import annotations

from dataclasses import replace

from powderkeg.extract.refine import Facts, Refiner, instrument_mode
from powderkeg.extract.triggers import verb_matches
from powderkeg.knowledge.patterns import Pattern
from powderkeg.knowledge.refinements import Refinement
from powderkeg.knowledge.rules import load_rules

from .coding_helpers import build

RULES = load_rules()
LEX = RULES.lexicon
REFINER = Refiner(RULES.refinements, LEX)
ATTACK = Pattern("ASSAULT", "", "attack", ("attack",), (), "VERB", ("on",), False, "builtin")

JETS = build([("Jets", "jet", "NOUN", "NNS", "nsubj", 1), ("attacked", "attack", "VERB", "VBD", "ROOT", 1),
              ("the", "the", "DET", "DT", "det", 3), ("village", "village", "NOUN", "NN", "dobj", 1)])  # fmt: skip
BOMB = build([("A", "a", "DET", "DT", "det", 1), ("bomb", "bomb", "NOUN", "NN", "nsubj", 2),
              ("exploded", "explode", "VERB", "VBD", "ROOT", 2), ("in", "in", "ADP", "IN", "prep", 2),
              ("the", "the", "DET", "DT", "det", 5), ("market", "market", "NOUN", "NN", "pobj", 3)])  # fmt: skip


def test_a_plain_attack_takes_the_weapon_its_clause_names():
    assert instrument_mode(JETS[1], ATTACK, LEX, "instruments") == ("aerial", "instrument")
    outcome = REFINER.apply("event", ATTACK, JETS[1])
    assert outcome.pattern is not None and outcome.pattern.mode == "aerial"
    assert outcome.pattern.origin == "builtin:instrument" and outcome.fired == ("attack-takes-weapon-mode",)


def test_a_blast_of_a_weapon_is_an_attack_and_stands_with_no_one_named():
    blast = Pattern("OTHER", "man-made-disaster", "explode", ("explode",), (), "VERB", (), False, "builtin")
    outcome = REFINER.apply("sides", blast, BOMB[2], Facts())
    assert outcome.pattern is not None and (outcome.pattern.type, outcome.pattern.mode) == (
        "ASSAULT",
        "explosives",
    )
    assert outcome.pattern.origin == "builtin:weapon"
    kept = REFINER.apply("no-actor", outcome.pattern, BOMB[2])
    assert kept.kept and kept.fired == ("weapon-attack-stands-alone",)


def test_with_no_actor_an_event_is_dropped_unless_kept():
    # a plain attack with no weapon named keeps no reading; one that names a weapon stands
    men = build([("Men", "man", "NOUN", "NNS", "nsubj", 1), ("attacked", "attack", "VERB", "VBD", "ROOT", 1),
                 ("the", "the", "DET", "DT", "det", 3), ("village", "village", "NOUN", "NN", "dobj", 1)])  # fmt: skip
    assert not REFINER.apply("no-actor", ATTACK, men[1]).kept
    assert REFINER.apply("no-actor", ATTACK, JETS[1]).kept


def test_a_drop_names_its_refinement_and_a_user_refinement_runs_after_the_built_in_ones():
    mine = Refinement("no-village-attacks", "event", (("type", frozenset({"ASSAULT"})),), drop=True)
    refiner = Refiner([*RULES.refinements, mine], LEX)
    outcome = refiner.apply("event", ATTACK, JETS[1])
    assert outcome.pattern is None and outcome.dropped_by == "no-village-attacks"
    assert outcome.fired == ("attack-takes-weapon-mode", "no-village-attacks")


def test_if_found_rewrites_only_when_the_weapon_is_named():
    destroy = replace(ATTACK, type="COERCE", mode="seize", lemma="destroy", words=("destroy",))
    depot = build([("Warplanes", "warplane", "NOUN", "NNS", "nsubj", 1), ("destroyed", "destroy", "VERB", "VBD", "ROOT", 1),
                   ("a", "a", "DET", "DT", "det", 3), ("depot", "depot", "NOUN", "NN", "dobj", 1)])  # fmt: skip
    mob = build([("Rioters", "rioter", "NOUN", "NNS", "nsubj", 1), ("destroyed", "destroy", "VERB", "VBD", "ROOT", 1),
                 ("a", "a", "DET", "DT", "det", 3), ("depot", "depot", "NOUN", "NN", "dobj", 1)])  # fmt: skip
    armed = REFINER.apply("event", destroy, depot[1]).pattern
    assert armed is not None and (armed.type, armed.mode) == ("ASSAULT", "aerial")
    assert REFINER.apply("event", destroy, mob[1]).pattern == destroy


def test_a_pattern_object_must_be_what_the_verb_acts_on():
    use = next(p for p in RULES.patterns.verbs["use"] if "tear gas" in p.objects)
    gas = build([("Police", "police", "NOUN", "NNS", "nsubj", 1), ("used", "use", "VERB", "VBD", "ROOT", 1),
                 ("tear", "tear", "NOUN", "NN", "compound", 3), ("gas", "gas", "NOUN", "NN", "dobj", 1)])  # fmt: skip
    force = build([("Police", "police", "NOUN", "NNS", "nsubj", 1), ("used", "use", "VERB", "VBD", "ROOT", 1),
                   ("force", "force", "NOUN", "NN", "dobj", 1)])  # fmt: skip
    assert verb_matches(gas[1], use) and not verb_matches(force[1], use)
