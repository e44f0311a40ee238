"""Who acts and who is acted upon (extract/roles.py), on parses built by hand: no model needed."""

from __future__ import annotations

import pytest

from powderkeg.extract.roles import RoleFinder
from powderkeg.knowledge.rules import load_rules

from .coding_helpers import build

RULES = load_rules()
ROLES = RoleFinder(
    RULES.lexicon, {lemma: frozenset(p.type for p in ps) for lemma, ps in RULES.patterns.verbs.items()}
)


def _pattern(pos: str, lemma: str, type_: str):  # type: ignore[no-untyped-def]
    table = RULES.patterns.verbs if pos == "VERB" else RULES.patterns.nouns
    return next(p for p in table[lemma] if p.type == type_ and not p.objects)


def test_the_subject_acts_on_the_object():
    doc = build([("Rebels", "rebel", "NOUN", "NNS", "nsubj", 1), ("attacked", "attack", "VERB", "VBD", "ROOT", 1),
                 ("the", "the", "DET", "DT", "det", 3), ("town", "town", "NOUN", "NN", "dobj", 1),
                 (".", ".", "PUNCT", ".", "punct", 1)])  # fmt: skip
    roles = ROLES.verb_roles(doc[1], _pattern("VERB", "attack", "ASSAULT"))
    assert [t.text for t in roles.sources] == ["Rebels"] and [t.text for t in roles.targets] == ["town"]
    assert roles.rule == "verb"


def test_a_passive_agent_acts_on_its_subject():
    doc = build([("The", "the", "DET", "DT", "det", 1), ("town", "town", "NOUN", "NN", "nsubjpass", 3),
                 ("was", "be", "AUX", "VBD", "auxpass", 3), ("attacked", "attack", "VERB", "VBN", "ROOT", 3),
                 ("by", "by", "ADP", "IN", "agent", 3), ("rebels", "rebel", "NOUN", "NNS", "pobj", 4),
                 (".", ".", "PUNCT", ".", "punct", 3)])  # fmt: skip
    roles = ROLES.verb_roles(doc[3], _pattern("VERB", "attack", "ASSAULT"))
    assert [t.text for t in roles.sources] == ["rebels"] and [t.text for t in roles.targets] == ["town"]
    assert roles.rule == "verb:passive"


def test_a_light_verb_gives_its_noun_a_subject():
    doc = build([("Students", "student", "NOUN", "NNS", "nsubj", 1), ("staged", "stage", "VERB", "VBD", "ROOT", 1),
                 ("a", "a", "DET", "DT", "det", 3), ("protest", "protest", "NOUN", "NN", "dobj", 1),
                 (".", ".", "PUNCT", ".", "punct", 1)])  # fmt: skip
    roles = ROLES.noun_roles(doc[3], _pattern("NOUN", "protest", "PROTEST"))
    assert roles is not None and [t.text for t in roles.sources] == ["Students"]
    assert roles.rule == "noun:light-verb"


def test_a_noun_nothing_makes_an_event_has_no_roles():
    doc = build([("The", "the", "DET", "DT", "det", 1), ("law", "law", "NOUN", "NN", "nsubjpass", 5),
                 ("on", "on", "ADP", "IN", "prep", 1), ("protest", "protest", "NOUN", "NN", "pobj", 2),
                 ("was", "be", "AUX", "VBD", "auxpass", 5), ("debated", "debate", "VERB", "VBN", "ROOT", 5),
                 (".", ".", "PUNCT", ".", "punct", 5)])  # fmt: skip
    assert ROLES.noun_roles(doc[3], _pattern("NOUN", "protest", "PROTEST")) is None


def test_between_gives_both_sides_of_a_clash():
    doc = build([("Clashes", "clash", "NOUN", "NNS", "nsubj", 1), ("erupted", "erupt", "VERB", "VBD", "ROOT", 1),
                 ("between", "between", "ADP", "IN", "prep", 1), ("police", "police", "NOUN", "NNS", "pobj", 2),
                 ("and", "and", "CCONJ", "CC", "cc", 3), ("miners", "miner", "NOUN", "NNS", "conj", 3),
                 (".", ".", "PUNCT", ".", "punct", 1)])  # fmt: skip
    roles = ROLES.noun_roles(doc[0], _pattern("NOUN", "clash", "ASSAULT"))
    assert roles is not None and roles.rule == "noun:between" and roles.split_sides and roles.reciprocal
    assert [t.text for t in roles.sources] == ["police"] and [t.text for t in roles.targets] == ["miners"]


def test_a_main_verb_parsed_as_a_participle_of_its_subject_is_read_as_the_main_verb():
    """The parser may make the subject the root and the verb a participle describing it
    ("officials negotiated with leaders": officials ROOT, negotiated acl VBN). For a reciprocal
    event with its partner after "with", no "by" and no other verb, the passive reading cannot
    be meant; elsewhere the participle stays a passive."""
    negotiate = _pattern("VERB", "negotiate", "CONSULT")
    assert negotiate.reciprocal
    doc = build([("Rebel", "rebel", "ADJ", "JJ", "amod", 1), ("commanders", "commander", "NOUN", "NNS", "ROOT", 1),
                 ("negotiated", "negotiate", "VERB", "VBN", "acl", 1), ("with", "with", "ADP", "IN", "prep", 2),
                 ("army", "army", "NOUN", "NN", "compound", 5), ("officers", "officer", "NOUN", "NNS", "pobj", 3),
                 (".", ".", "PUNCT", ".", "punct", 1)])  # fmt: skip
    roles = ROLES.verb_roles(doc[2], negotiate)
    assert [t.text for t in roles.sources] == ["commanders"] and [t.text for t in roles.targets] == [
        "officers"
    ]
    assert roles.rule.startswith("verb:participle-main")

    # "The deal negotiated with Iran collapsed": the participle's noun has a verb of its own
    doc = build([("The", "the", "DET", "DT", "det", 1), ("deal", "deal", "NOUN", "NN", "nsubj", 5),
                 ("negotiated", "negotiate", "VERB", "VBN", "acl", 1), ("with", "with", "ADP", "IN", "prep", 2),
                 ("Iran", "Iran", "PROPN", "NNP", "pobj", 3), ("collapsed", "collapse", "VERB", "VBD", "ROOT", 5),
                 (".", ".", "PUNCT", ".", "punct", 5)])  # fmt: skip
    assert ROLES.verb_roles(doc[2], negotiate).rule.startswith("verb:passive")

    # "Soldiers attacked with grenades": not a reciprocal event, so the soldiers were attacked
    doc = build([("Soldiers", "soldier", "NOUN", "NNS", "ROOT", 0), ("attacked", "attack", "VERB", "VBN", "acl", 0),
                 ("with", "with", "ADP", "IN", "prep", 1), ("grenades", "grenade", "NOUN", "NNS", "pobj", 2),
                 (".", ".", "PUNCT", ".", "punct", 0)])  # fmt: skip
    roles = ROLES.verb_roles(doc[1], _pattern("VERB", "attack", "ASSAULT"))
    assert roles.rule.startswith("verb:passive") and [t.text for t in roles.targets] == ["Soldiers"]


@pytest.mark.parametrize(
    "verb, lemma, did",
    [
        ("planted", "plant", True),  # a verb of no event: the doer
        ("carried", "carry", True),  # a light verb
        ("used", "use", True),  # a verb of the noun's own type (ASSAULT)
        ("condemned", "condemn", False),  # an event of another type (ACCUSE)
        ("denied", "deny", False),
        ("mediated", "mediate", False),
        ("reported", "report", False),  # speech
        ("witnessed", "witness", False),  # seeing
    ],
)
def test_a_participles_by_phrase_is_the_doer_only_if_the_participle_does_the_event(verb, lemma, did):
    """ "An attack <verb> by the militia killed two": "planted by", "carried out by" name who did
    the attack; "condemned by", "denied by", "witnessed by" name someone who did something else."""
    doc = build([("An", "an", "DET", "DT", "det", 1), ("attack", "attack", "NOUN", "NN", "nsubj", 6),
                 (verb, lemma, "VERB", "VBN", "acl", 1), ("by", "by", "ADP", "IN", "agent", 2),
                 ("the", "the", "DET", "DT", "det", 5), ("militia", "militia", "NOUN", "NN", "pobj", 3),
                 ("killed", "kill", "VERB", "VBD", "ROOT", 6), ("two", "two", "NUM", "CD", "dobj", 6),
                 (".", ".", "PUNCT", ".", "punct", 6)])  # fmt: skip
    roles = ROLES.noun_roles(doc[1], _pattern("NOUN", "attack", "ASSAULT"))
    sources = [t.text for t in roles.sources] if roles is not None else []
    assert (sources == ["militia"]) is did
