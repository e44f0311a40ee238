"""Readings of a text's coded events taken together, not one trigger at a time.

- A victim count that names no one who did it ("six were killed") beside an
  attack with a known attacker or weapon, or a disaster, in the same sentence
  is that event's toll, not an attack of its own (``without_tolls``).
- A demonstration is violent (PROTEST mode riot, ACLED's violent
  demonstration) when the text says so of it ("a violent protest", "protests
  turned violent", "the march descended into chaos"), when the same text
  reports violence by protesters or riots, or when its own sentence reports
  what rioters do (destroying property, throwing stones, rioting) by no one
  named or by no armed force ("protests erupted, with banks set ablaze")
  (``violent_protests``).
- An arrest of criminals, or in a sentence that reports the crime, is crime
  news (OTHER crime), not a political arrest (``crime_arrests``).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..knowledge.lexicon import Lexicon
from ..knowledge.ontology import ARMED, OTHER_TYPES, STATE_FORCES, EventType, Mode
from ..records import COUNTED
from .coded import Coded


def _is_toll(c: Coded, lex: Lexicon) -> bool:
    """A count of victims that names no one who did it ("six people were killed")."""
    return (
        c.pattern.type == EventType.ASSAULT
        and not c.pattern.mode
        and not c.sources
        and c.trigger.lemma_.lower() in lex.toll_verbs
    )


def _is_cause(c: Coded) -> bool:
    """An event that can have caused a toll: an attack with a known attacker or
    weapon, crowd-control force ("hurt as police fired tear gas"), or a disaster."""
    return (
        c.pattern.type in OTHER_TYPES
        or (c.pattern.type == EventType.ASSAULT and bool(c.sources or c.pattern.mode))
        or (c.pattern.type == EventType.COERCE and c.pattern.mode == Mode.REPRESSION)
    )


def without_tolls(coded: list[Coded], lex: Lexicon) -> list[Coded]:
    """A sentence's events less the tolls of its other events: in "six people were
    killed after soldiers fired on protesters" or "four were hurt when a plant
    exploded" the killing is what the firing or the blast did, not an attack of its
    own by no one. The sentence's counts stay with the cause (numbers.py)."""
    if not any(_is_cause(c) for c in coded):
        return coded
    return [c for c in coded if not _is_toll(c, lex)]  # a toll (no attacker, no weapon) is never a cause


def _violence(c: Coded) -> bool:
    """Violence or destruction, as opposed to the force used to stop it (repression)."""
    p = c.pattern
    return (
        (p.type == EventType.ASSAULT and p.mode != Mode.REPRESSION)
        or (p.type == EventType.COERCE and p.mode == Mode.SEIZE)
        or (p.type == EventType.PROTEST and p.mode == Mode.RIOT)
    )


def _described_violent(trigger: Token, cues: frozenset[str]) -> bool:
    """ "violent protests", "protested violently", "the protests turned violent"."""
    words = [c for c in trigger.children if c.dep_ in ("amod", "advmod")]
    # "rallied in aggressive demonstrations": the demonstration the verb took part in
    words += [
        m
        for prep in trigger.children
        if prep.dep_ == "prep"
        for obj in prep.children
        if obj.dep_ == "pobj"
        for m in obj.children
        if m.dep_ == "amod"
    ]
    verbs = [c for c in trigger.children if c.dep_ == "acl" and c.tag_ == "VBD"]  # misparsed clauses
    if trigger.dep_ in ("nsubj", "nsubjpass") and trigger.head.pos_ in ("VERB", "AUX"):
        words += [c for c in trigger.head.children if c.dep_ in ("acomp", "oprd", "advmod")]
        verbs.append(trigger.head)
    # "the rally descended into violence", "protests turned into riots"
    words += [
        t
        for verb in verbs
        for prep in verb.children
        if prep.dep_ == "prep" and prep.lower_ == "into"
        for t in prep.subtree
        if t.pos_ == "NOUN"
    ]
    return any(w.lemma_.lower() in cues or w.lower_ in cues for w in words)


def violent_protests(
    coded: list[Coded], lex: Lexicon, protest_words: frozenset[str] = frozenset()
) -> list[Coded]:
    """The text's demonstrations, made violent (mode riot) where it says they were."""
    reported = [c for c in coded if c.factuality.value in COUNTED and _violence(c)]
    by_protesters = any(
        c.pattern.type == EventType.PROTEST or any(a.sector == "PRO" for a in c.sources) for c in reported
    )
    # violence by no one named (or by no force), not against the protesters, in a
    # demonstration's own sentence: "with banks set ablaze", "stones were thrown at police"
    unnamed = {
        c.sentence_index
        for c in reported
        if c.pattern.mode in lex.rioters_acts
        and not any(a.sector in ARMED | STATE_FORCES for a in c.sources)
        and not any(a.sector == "PRO" for a in c.targets)
    }
    # a demonstration said to be violent makes its sentence's others the same one
    described = {
        c.sentence_index
        for c in coded
        if c.pattern.type == EventType.PROTEST and _described_violent(c.trigger, lex.riot_cues)
    }
    # "bottles were thrown at police during a march": unnamed violence in a sentence
    # that names a demonstration (coded or not) is that demonstration's own
    out = []
    for c in coded:
        p = c.pattern
        if (
            p.type == EventType.PROTEST
            and p.mode in lex.peaceful_modes
            and (by_protesters or c.sentence_index in unnamed | described)
        ):
            c = replace(c, pattern=replace(p, mode=Mode.RIOT.value), rule=c.rule + ":violent")
        elif (
            c.sentence_index in unnamed
            and p.type == EventType.ASSAULT
            and p.mode in lex.rioters_acts
            and not c.sources
            and any(t.lemma_.lower() in protest_words for t in c.trigger.sent if t.pos_ == "NOUN")
        ):
            c = replace(
                c,
                pattern=replace(p, type=EventType.PROTEST.value, mode=Mode.RIOT.value),
                rule=c.rule + ":in-protest",
            )
        out.append(c)
    return out


def crime_arrests(coded: list[Coded]) -> list[Coded]:
    """Arrests of criminals (a gang, smugglers: CRM targets) or in a sentence that
    reports the crime ("captured while smuggling migrants") are crime news
    (OTHER crime, ACLED's organised crime), not political arrests."""
    crime = {
        c.sentence_index for c in coded if c.pattern.type in OTHER_TYPES and c.pattern.mode == Mode.CRIME
    }
    out = []
    for c in coded:
        p = c.pattern
        if (
            p.type == EventType.COERCE
            and p.mode == Mode.ARREST
            and (c.sentence_index in crime or any(a.sector == "CRM" for a in c.targets))
        ):
            c = replace(
                c,
                pattern=replace(p, type=EventType.OTHER.value, mode=Mode.CRIME.value),
                rule=c.rule + ":crime",
            )
        out.append(c)
    return out
