"""The refinement engine: applies ``[[refinement]]`` tables (``knowledge/data/refinements.toml``).

``Refiner.apply(stage, pattern, trigger, facts)`` runs the refinements of one
stage in order on a trigger's reading: each whose conditions all hold rewrites
the reading (type, mode, the mode of the weapon the clause names), drops the
event or keeps the reading as it is. The conditions are read off the parse here;
what the coder knows besides (whether sides were found, a refusal, a condition
an action is held out on) comes in ``Facts``. The stages and the file format
are described in ``knowledge/refinements.py`` and at the top of the data file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Token

from ..knowledge.lexicon import Lexicon, Phrase
from ..knowledge.ontology import Mode
from ..knowledge.patterns import Pattern
from ..knowledge.refinements import STAGES, Refinement
from .clauses import pobj
from .lemmas import lemma_candidates
from .triggers import verb_matches


@dataclass(frozen=True)
class Facts:
    """What the coder knows of a trigger beyond its parse, for the conditions that ask."""

    has_sources: bool = False
    has_targets: bool = False
    refused: Token | None = None  # the cue of a refusal ("not", "declined")
    held_out: str = ""  # the mark of a condition the action is held out on ("if", "unless")
    ready: bool = False  # "is ready to", "is willing to"
    weighed: Token | None = None  # the verb that weighs the act as an option ("is considering")


@dataclass(frozen=True)
class Outcome:
    """A stage's result: the reading (None: dropped), the refinements that applied."""

    pattern: Pattern | None
    fired: tuple[str, ...] = ()
    kept: bool = False  # a refinement kept the reading as it stands
    dropped_by: str = ""  # the refinement that dropped it
    refused: Token | None = None  # the refusal cue, when a refinement that applied asked for one
    weighed: Token | None = None  # the weighing verb, when a refinement that applied asked for one


def has_sequence(lemmas: list[str], words: Iterable[Phrase]) -> bool:
    """Whether ``lemmas`` contain one of ``words`` (lemma sequences) in a row (looked for only
    where its first lemma is)."""
    starts: dict[str, list[int]] = {}
    for i, lemma in enumerate(lemmas):
        starts.setdefault(lemma, []).append(i)
    for w in words:
        if not w:
            return True
        for i in starts.get(w[0], ()):
            if tuple(lemmas[i : i + len(w)]) == w:
                return True
    return False


def mentions(head: Token, words: Iterable[Phrase]) -> bool:
    """Whether the phrase under ``head`` names one of ``words`` (lemma sequences)."""
    return has_sequence([t.lemma_.lower() for t in head.subtree], words)


def clause_of(trigger: Token) -> Token:
    """The head of the clause a trigger reports: a noun's verb, and a participle or joined
    verb's main verb ("a suicide bomber targeted a base, killing four": the whole attack)."""
    clause = trigger.head if trigger.pos_ in ("NOUN", "PROPN") and trigger.head.pos_ == "VERB" else trigger
    if clause.dep_ in ("advcl", "xcomp", "conj") and clause.head.pos_ in ("VERB", "AUX"):
        clause = clause.head
    return clause


def doer(verb: Token) -> Token | None:
    """Who or what does the verb: its subject or passive agent, the noun a participle
    describes ("actions targeting Russia"), or for a participle clause with no subject
    of its own the main clause's object ("unveiled sanctions, targeting ten officials")."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        return verb.head
    if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG":
        return next((c for c in verb.head.children if c.dep_ == "dobj"), None)
    return None


def instrument_mode(
    trigger: Token, pattern: Pattern, lex: Lexicon, table: str, only: frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    """The mode of the weapon named in the trigger's clause (``lex.<table>``, in its order;
    ``only``: these modes only), and how it was found: ("aerial", "instrument"), or
    ("explosives", "blast") for a blast verb whose subject is a weapon ("a bomb exploded
    in the market, wounding six"); None when the clause names none."""
    clause = trigger.head if pattern.pos == "NOUN" and trigger.head.pos_ == "VERB" else trigger
    if clause.dep_ in ("advcl", "xcomp", "conj") and clause.head.pos_ in ("VERB", "AUX"):
        clause = clause.head
    lemmas = [t.lemma_.lower() for t in clause.subtree]
    instruments: dict[str, tuple[Phrase, ...]] = getattr(lex, table)
    for mode, words in instruments.items():
        if (not only or mode in only) and has_sequence(lemmas, words):
            return mode, "instrument"
    if (
        not only
        and clause.lemma_.lower() in lex.blast_verbs
        and any(c.dep_ in ("nsubj", "nsubjpass") and mentions(c, lex.weapons) for c in clause.children)
    ):
        return Mode.EXPLOSIVES.value, "blast"
    return None


#: auxiliaries that announce an act ("will", "would", "shall"; "'ll" and "wo" as spaCy lemmatises them)
_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})


def _announces_own(clause: Token, acts: frozenset[str]) -> bool:
    """A complement clause that announces an act of ``acts`` as its speaker's own: a future
    auxiliary ("that it would strike", "it will retaliate") and no subject but a pronoun."""
    if clause.dep_ != "ccomp" or clause.lemma_.lower() not in acts:
        return False
    future = any(c.dep_ == "aux" and c.lemma_.lower() in _FUTURE_AUX for c in clause.children)
    subjects = [c for c in clause.children if c.dep_ == "nsubj"]
    return future and all(c.pos_ == "PRON" for c in subjects)


def _states_fact(clause: Token, modals: frozenset[str]) -> bool:
    """A "that" clause that says what is or was ("that troops had not fired", "the vote was
    fair"), not what must be: a subject, a verb not in the bare form of a mandate ("that he
    resign", "that they be freed") and none of ``modals`` ("that Russia must withdraw")."""
    if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX"):
        return False
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
        return False
    auxes = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in modals for c in auxes):
        return False
    bare = (clause.tag_ == "VB" and not auxes) or [c.tag_ for c in auxes] == ["VB"]
    return not bare


def _when(prep: Token) -> bool:
    """A preposition that says when ("called the president on Friday"), not a particle."""
    return any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children)


Check = Callable[[Token, Pattern, Facts, Any], bool]

#: condition name -> its test on (trigger, current reading, facts, the condition's value)
CHECKS: dict[str, Check] = {
    "type": lambda t, p, f, v: p.type in v,
    "mode": lambda t, p, f, v: p.mode in v,
    "pos": lambda t, p, f, v: p.pos == v,
    "trigger_dep": lambda t, p, f, v: t.dep_ == v,
    "trigger_in": lambda t, p, f, v: t.lemma_.lower() in v,
    "clause_names": lambda t, p, f, v: mentions(clause_of(t), v),
    "subject_names": lambda t, p, f, v: any(
        c.dep_ in ("nsubj", "nsubjpass") and mentions(c, v) for c in t.children
    ),
    "doer_names": lambda t, p, f, v: (
        (d := doer(t)) is not None
        and has_sequence(
            [c.lemma_.lower() for c in d.children if c.dep_ == "compound"] + [d.lemma_.lower()], v
        )
    ),
    "object_names": lambda t, p, f, v: any(
        c.dep_ in ("dobj", "nsubjpass") and mentions(c, v)
        for verb in (t, *(c for c in t.children if c.dep_ == "xcomp"))
        for c in verb.children
    ),
    "has_sources": lambda t, p, f, v: f.has_sources == v,
    "has_targets": lambda t, p, f, v: f.has_targets == v,
    "has_object": lambda t, p, f, v: any(c.dep_ == "dobj" for c in t.children) == v,
    "particle_in": lambda t, p, f, v: any(
        c.dep_ in ("prt", "prep") and c.lower_ in v and not _when(c) for c in t.children
    ),
    "object_is": lambda t, p, f, v: any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in v for c in t.children
    ),
    "of_object_is": lambda t, p, f, v: any(
        c.dep_ == "prep"
        and c.lower_ in ("of", "about")
        and (o := pobj(c)) is not None
        and o.lemma_.lower() in v
        for c in t.children
    ),
    "child_deps": lambda t, p, f, v: any(c.dep_ in v for c in t.children),
    "xcomp_in": lambda t, p, f, v: any(c.dep_ == "xcomp" and c.lemma_.lower() in v for c in t.children),
    "announces": lambda t, p, f, v: any(_announces_own(c, v) for c in t.children),
    "states_fact": lambda t, p, f, v: any(_states_fact(c, v) for c in t.children),
    "refused": lambda t, p, f, v: (f.refused is not None) == v,
    "held_out": lambda t, p, f, v: f.held_out == v,
    "ready": lambda t, p, f, v: f.ready == v,
    "weighed": lambda t, p, f, v: (f.weighed is not None) == v,
}


class Refiner:
    """The refinements of every stage, applied in their files' order."""

    def __init__(
        self,
        refinements: Iterable[Refinement],
        lex: Lexicon,
        verbs: Mapping[str, list[Pattern]] | None = None,
    ) -> None:
        self.lex = lex
        #: the hand-written verb patterns, by lemma (``complement_types``)
        self.verbs = verbs or {}
        bound: dict[str, Check] = {"complement_types": self._complement_types}
        #: each stage's refinements, each with its conditions' checks (looked up once)
        self.stages: dict[str, list[tuple[Refinement, tuple[tuple[Check, Any], ...]]]] = {
            stage: [] for stage in STAGES
        }
        for refinement in refinements:
            checks = tuple(
                (CHECKS.get(name) or bound.get(name) or _unknown(name), value)
                for name, value in refinement.when
            )
            self.stages[refinement.stage].append((refinement, checks))

    def apply(self, stage: str, pattern: Pattern, trigger: Token, facts: Facts = Facts()) -> Outcome:
        fired: list[str] = []
        refused: Token | None = None
        weighed: Token | None = None
        for refinement, checks in self.stages[stage]:
            if not _holds(checks, trigger, pattern, facts):
                continue
            if refinement.drop:
                return Outcome(None, (*fired, refinement.name), dropped_by=refinement.name)
            rewritten = self._rewrite(refinement, pattern, trigger)
            if rewritten is None:
                continue  # if_found, and the clause names no such weapon
            if rewritten != pattern or refinement.keep:
                fired.append(refinement.name)
                if dict(refinement.when).get("refused"):
                    refused = facts.refused
                if dict(refinement.when).get("weighed"):
                    weighed = facts.weighed
            pattern = rewritten
            if refinement.keep:
                return Outcome(pattern, tuple(fired), kept=True, refused=refused, weighed=weighed)
        return Outcome(pattern, tuple(fired), refused=refused, weighed=weighed)

    def _complement_types(self, trigger: Token, pattern: Pattern, facts: Facts, types: Any) -> bool:
        """Whether the trigger's "to" or "that" verb codes an event, and only of ``types``, by
        the hand-written patterns it matches ("vowed to retake the city": ASSAULT; "promised
        to fire the minister" matches no attack pattern of "fire")."""
        for c in trigger.children:
            if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB":
                seen: dict[object, Any] = {}
                coded = {
                    p.type
                    for w in lemma_candidates(c)
                    for p in self.verbs.get(w, ())
                    if verb_matches(c, p, seen)
                }
                if coded and coded <= types:
                    return True
        return False

    def _rewrite(self, refinement: Refinement, pattern: Pattern, trigger: Token) -> Pattern | None:
        """The reading after ``refinement`` (None: an ``if_found`` rewrite that found no mode)."""
        changes: dict[str, Any] = {}
        if refinement.type is not None:
            changes["type"] = refinement.type
        if refinement.mode is not None:
            changes["mode"] = refinement.mode
        out = replace(pattern, **changes)
        if refinement.mode_from:
            found = instrument_mode(trigger, out, self.lex, refinement.mode_from, refinement.only)
            if found is None and refinement.if_found:
                return None
            if found is not None:
                tag = f":{refinement.tag}" if refinement.tag else ""
                return replace(out, mode=found[0], origin=f"{out.origin}{tag}:{found[1]}")
            return pattern if not changes and not refinement.tag else _tagged(out, refinement.tag)
        if out == pattern and not refinement.tag:
            return pattern
        return _tagged(out, refinement.tag)


def _holds(checks: tuple[tuple[Check, Any], ...], trigger: Token, pattern: Pattern, facts: Facts) -> bool:
    """Whether every condition holds, tried in order until one does not."""
    for check, value in checks:
        if not check(trigger, pattern, facts, value):
            return False
    return True


def _unknown(name: str) -> Check:
    """The check of a condition no check is known for: it fails as looking it up would have."""

    def check(t: Token, p: Pattern, f: Facts, v: Any) -> bool:
        raise KeyError(name)

    return check


def _tagged(pattern: Pattern, tag: str) -> Pattern:
    return replace(pattern, origin=f"{pattern.origin}:{tag}") if tag else pattern
