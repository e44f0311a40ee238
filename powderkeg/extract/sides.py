"""From role heads to the two sides of an event: the actors who act and those acted upon.

``roles.py`` says which words stand for the source and the target; here they
become actors (``ActorResolver``), looking inside phrases that name no one ("a
U.S. request", "thousands of students"), past things to whom they belong ("a
base belonging to the army"), and on from a target that names no one to one
that does ("boycott all contact with the United States"). An actor the
knowledge base does not know keeps its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..knowledge.lexicon import Lexicon
from ..knowledge.ontology import EventType, Mode
from ..knowledge.patterns import Pattern
from ..records import Actor
from .actor_resolver import ActorResolver
from .roles import Roles

#: entity types of named actors: a noun with one is an actor even when it names no group of people
NAMED = {"ORG", "NORP", "GPE", "PERSON", "FAC"}
#: entity types that are never actors ("on Saturday", "5 million dollars")
NOT_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}


@dataclass
class Sides:
    sources: list[Actor]
    targets: list[Actor]
    #: the target came from "between A and B" under a host ("host a meeting between A and B")
    between: bool = False


def inner_heads(head: Token) -> list[Token]:
    """Where an actor hides inside a phrase that names none: its possessor or
    nationality modifier ("a U.S. request", "its forces"), the group a quantity
    or part counts ("thousands of students", "positions of the army"), and who
    made an offer or call ("calls by Annan", "an offer from Kabul")."""
    out: list[Token] = []
    children = list(head.children)  # read once, for the four passes over them
    for c in children:
        if c.dep_ == "poss" or (
            c.dep_ in ("compound", "amod", "nmod") and c.ent_type_ in ("NORP", "GPE", "ORG")
        ):
            out.append(c)
    for prep in ("of", "by", "from"):  # "the withdrawal of Serbian forces from Bosnia": the forces first
        for c in children:
            if c.dep_ == "prep" and c.lower_ == prep:
                out.extend(g for g in c.children if g.dep_ == "pobj")
            elif prep == "of" and c.dep_ == "prep" and c.lower_ == "out":
                # "13 out of 19 crew members"
                out.extend(
                    g for of in c.children if of.lower_ == "of" for g in of.children if g.dep_ == "pobj"
                )
    return out


def holder(head: Token, lex: Lexicon) -> Token | None:
    """Whose a place or thing is: "a base belonging to the army", "a checkpoint manned by rebels"."""
    for acl in head.children:
        if acl.dep_ != "acl" or acl.lemma_.lower() not in lex.holding_verbs:
            continue
        for prep in acl.children:
            if prep.dep_ == "agent" or (prep.dep_ == "prep" and prep.lower_ == "to"):
                return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def unresolved_actor(head: Token, lex: Lexicon) -> Actor | None:
    """An actor the knowledge base does not know: an unknown name, or a group of people.

    It keeps its text and span but has no country, organisation or sector.
    """
    if head.pos_ not in ("PROPN", "NOUN") or head.lemma_.lower() in lex.not_actor_lemmas:
        return None
    if head.ent_type_ in NOT_ACTOR_ENTS:
        return None
    if head.pos_ == "NOUN" and head.ent_type_ not in NAMED and head.lemma_.lower() not in lex.people_nouns:
        return None
    left = min(
        (t for t in head.subtree if t.dep_ in ("compound", "amod", "nummod") or t is head), key=lambda t: t.i
    )
    start, end = left.idx, head.idx + len(head)
    return Actor(text=head.doc[left.i : head.i + 1].text, span=(start, end))


def deed_agents(head: Token) -> list[Token]:
    """The "by" phrases naming who did a deed: "abuses by the militia", "killings committed by
    the army"."""
    out = [c for c in head.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"]
    for acl in head.children:
        if acl.dep_ == "acl" and acl.tag_ == "VBN":
            out += [c for c in acl.children if c.dep_ == "agent"]
    return out


def _key(actor: Actor) -> tuple[str, str, str]:
    # a named person is not the same actor as their country's institutions or capital
    return (actor.key, actor.sector, actor.name)


class SideFinder:
    def __init__(self, lex: Lexicon, act_nouns: frozenset[str]) -> None:
        self.lex = lex
        #: nouns that name an act of force ("rape", "raid"): never actors
        self.act_nouns = act_nouns

    def find(self, roles: Roles, pattern: Pattern, resolver: ActorResolver) -> Sides:
        """The event's sources and targets from its role heads."""
        follow = not roles.split_sides
        sources = self.actors(roles.sources, resolver, follow)
        targets = self.actors(roles.targets, resolver, follow)
        if roles.moved is not None and not any(a.country or a.org for a in targets):
            # "deployed a carrier to the Adriatic": a destination that names no one is where the
            # force went; the force is the target, as with no destination named
            targets = self.actors([roles.moved], resolver, follow)
        source_keys = {_key(a) for a in sources}
        between = False
        weak: list[Actor] = []
        # "to show their anger at X": a target that is only the source itself names no one
        others = [a for a in targets if _key(a) not in source_keys]
        for head in [*self._pointed_to(roles, pattern), *roles.fallback_targets] if not others else ():
            # the source itself is never the fallback ("threatened to cut ties with Y over its ...")
            found = [a for a in self.actors([head], resolver, follow) if _key(a) not in source_keys]
            if any(a.country or a.org for a in found):
                targets = found
                between = head.head.lower_ == "between" and head.dep_ == "pobj"
                break
            # "promised to continue military aid to Mozambique": a phrase that names no one
            # gives way to a later one that does
            weak = weak or found
        targets = targets or weak
        targets = [a for a in targets if _key(a) not in source_keys]
        if pattern.mode == Mode.CLASH and not sources and any(a.sector == "PRO" for a in targets):
            # "clashes with protesters armed with sticks": the one side named fought
            sources, targets = targets, []
        return Sides(sources, targets, between)

    def _pointed_to(self, roles: Roles, pattern: Pattern) -> list[Token]:
        """Where a target phrase that names no one points: "boycott all contact with the
        United States", "the resumption of arms sales to Taiwan", "anger at Kabul's policies"
        (the policies are their owner's), "the abuses (committed) by the militia" (a deed
        points to its doer)."""
        preps = self.lex.pointing_preps
        if pattern.type == EventType.PROTEST:
            preps = preps + self.lex.protest_pointing_preps
        # through what the phrase is "of" too ("condemned the resumption of arms sales to Taiwan")
        owned = [
            obj
            for head in roles.targets
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for obj in prep.children
            if obj.dep_ == "pobj"
        ]
        inner = [
            obj
            for head in [*roles.targets, *owned]
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ in preps
            for obj in prep.children
            if obj.dep_ == "pobj"
        ]
        inner = [tok for obj in inner for tok in (obj, *(c for c in obj.children if c.dep_ == "poss"))]
        inner += [
            obj
            for head in roles.targets
            for agent in deed_agents(head)
            for obj in agent.children
            if obj.dep_ == "pobj"
        ]
        return inner

    def actors(self, heads: list[Token], resolver: ActorResolver, follow_conj: bool = True) -> list[Actor]:
        """The actors the heads name, one each (conjuncts too, when ``follow_conj``)."""
        out: list[Actor] = []
        for head in heads:
            if head.lemma_.lower() in self.lex.language_words:
                continue  # "restrictions on the Russian language": no Russian is the target
            if resolver.owned_thing(head):
                # "Kosovo's bid ..., opposed by Serbia": the owner, before any conjunct of the thing
                head = next(c for c in head.children if c.dep_ == "poss")
            elif (held := holder(head, self.lex)) is not None:
                head = held  # the attack on a base is on those it belongs to
            for actor, _ in self._group(head, resolver, follow_conj):
                if all((actor.key, actor.sector) != (a.key, a.sector) for a in out):
                    out.append(actor)
        return out

    def _group(self, head: Token, resolver: ActorResolver, follow_conj: bool) -> list[tuple[Actor, Token]]:
        """The actors one head names, the actor inside its phrase, or an unknown one."""
        group = (
            []
            # "discussing gang rapes by young men": an act is no actor, who did it may be
            if head.ent_type_ in NOT_ACTOR_ENTS - {"CARDINAL"} or self._is_act(head)
            else resolver.resolve_group(head)
            if follow_conj
            else [(a, head) for a in [resolver.resolve(head)] if a is not None]
        )
        if not any(a.country or a.org for a, _ in group):
            # "a U.S. request", "thousands of students": the actor inside the phrase,
            # the nearest one that names a country or organisation
            inner: list[tuple[Actor, Token]] = []
            for tok in self._inner(head):
                found = [] if self._is_act(tok) else resolver.resolve_group(tok)
                if any(a.country or a.org for a, _ in found):
                    inner = found
                    break
                inner = inner or found
            if any(a.country or a.org for a, _ in inner) or not group:
                group = inner or group
        for tok in [head, *self._inner(head)] if not group else ():
            if (raw := unresolved_actor(tok, self.lex)) is not None:
                return [(raw, tok)]
        return group

    def _inner(self, head: Token) -> list[Token]:
        """``inner_heads``, less the "of" object of an act of force: "the bombing of the
        hospital", "the arrest of journalists" name whom it was done to, never who did it."""
        if not self._is_act(head):
            return inner_heads(head)
        return [t for t in inner_heads(head) if not (t.dep_ == "pobj" and t.head.lower_ == "of")]

    def _is_act(self, tok: Token) -> bool:
        return tok.pos_ == "NOUN" and tok.lemma_.lower() in self.act_nouns
