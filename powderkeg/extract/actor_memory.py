"""What the article said before: the actors already seen, and what a pronoun or a
description ("the alliance", "the country", "the crowds") refers back to. A ``Memory``
lives for one article (``ActorResolver``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Token

from ..knowledge.known_actors import Knowledge
from ..knowledge.lexicon import Lexicon
from ..records import Actor

#: sectors that name many people, never "it" ("the protesters", "the rebels")
PLURAL = frozenset({"CVL", "PRO", "REB", "UAF", "CRM", "REF"})


@dataclass
class Memory:
    """Actors already seen in the article, newest last."""

    actors: list[Actor] = field(default_factory=list)
    people: dict[str, Actor] = field(default_factory=dict)  # surname/last token -> actor
    kinds: dict[str, str] = field(default_factory=dict)  # org code -> org kind
    orgs: dict[str, int] = field(default_factory=dict)  # org code -> position last seen
    subjects: set[tuple[int, int]] = field(default_factory=set)  # spans of actors seen as subjects

    def remember(self, actor: Actor, person: bool = False, org_code: str = "") -> None:
        self.actors.append(actor)
        if org_code:
            self.orgs[org_code] = len(self.actors)
        if person and actor.name:
            for part in {actor.name.split()[-1].lower(), actor.name.lower()}:
                self.people[part] = actor

    def latest(self, test: Callable[[Actor], bool], since: int = 0) -> Actor | None:
        """The newest actor that passes ``test``, of those from character ``since`` on."""
        for actor in reversed(self.actors):
            if (actor.span is None or actor.span[0] >= since) and test(actor):
                return actor
        return None

    def agrees(self, actor: Actor, pronoun: str, lex: Lexicon) -> bool:
        """Whether ``actor`` can stand for ``pronoun``: "he", "she" a person the article
        named; "they", "them", "their" a country or organisation, named ("Serbia", "NATO")
        or not ("the police"), or a sector's people ("rebels"); "it", "its" a country or
        organisation that is not a group of people (protesters, rebels). A person is never
        "it" or "they"."""
        person = bool(actor.name) and actor.name in {p.name for p in self.people.values()}
        if pronoun in lex.person_pronouns:
            return person
        if person or (actor.name and not actor.org):
            return False
        if pronoun in lex.group_pronouns:
            return bool(actor.country or actor.org or actor.sector)
        named = bool(actor.country or actor.org)
        return pronoun in lex.thing_pronouns | {"its"} and named and actor.sector not in PLURAL

    def referent(
        self,
        pronoun: str,
        lex: Lexicon,
        since: int = 0,
        before: int | None = None,
        subject_since: int | None = None,
        many: Callable[[Actor], bool] | None = None,
    ) -> Actor | None:
        """The nearest actor named before the pronoun (at character ``before``), from
        character ``since`` on (the pronoun's paragraph), that agrees with it (``agrees``);
        for "he" and "she" a person who was a subject first. A pronoun that is itself a
        subject (``subject_since`` given: where its previous sentence starts) prefers an
        agreeing subject from there on, as a reader does: "Police arrested dozens of
        protesters. They seized weapons" -> the police. ``many`` says whether an actor may be
        several, for "they" (the article's words decide: "the governor" is one). None for
        another pronoun."""

        def fits(a: Actor) -> bool:
            ahead = before is None or a.span is None or a.span[0] < before
            plural = many is None or pronoun not in lex.group_pronouns or many(a)
            return ahead and plural and self.agrees(a, pronoun, lex)

        if pronoun in lex.person_pronouns:
            subject = self.latest(lambda a: fits(a) and a.span in self.subjects, since)
            return subject or self.latest(fits, since)
        if subject_since is not None:
            subject = self.latest(lambda a: fits(a) and a.span in self.subjects, max(since, subject_since))
            if subject is not None:
                return subject
        return self.latest(fits, since)

    def antecedent(
        self, head: Token, sector: str, lex: Lexicon, kb: Knowledge, focus: str
    ) -> tuple[str, str]:
        """Country and org for a description with neither ("the alliance", "the crowds")."""
        lemma = head.lemma_.lower()
        kind = lex.org_kind_nouns.get(lemma)
        if kind:
            for code, _ in sorted(self.orgs.items(), key=lambda kv: -kv[1]):
                if self.kinds.get(code) == kind or (kind == "igo" and self.kinds.get(code)):
                    org = kb.orgs.get(code)
                    return (org.country if org else ""), code
        if lemma in lex.country_nouns and head.tag_ != "NNS":
            actor = self.latest(lambda a: bool(a.country) and not a.org)
            return (actor.country if actor else focus), ""
        if sector and not any(c.dep_ == "nummod" for c in head.children):
            # "the five governments" are several: no one earlier actor stands for them
            actor = self.latest(lambda a: a.sector == sector and bool(a.country or a.org))
            if actor is not None:
                return actor.country, actor.org
        return "", ""


def kind_noun(lemma: str, lex: Lexicon) -> bool:
    """Whether a common noun names a kind of actor ("country", "ally", "alliance", "side")."""
    return (
        lemma in lex.country_nouns | lex.relation_nouns
        or lemma in lex.org_kind_nouns
        or lemma in lex.generic_heads | lex.of_heads
    )


def binder(pronoun: Token, lex: Lexicon) -> Token | None:
    """The subject of the clause a possessive pronoun stands in, when it owns the verb's
    object ("the committee completed its investigation" -> the committee)."""
    if pronoun.dep_ != "poss" or pronoun.lower_ not in lex.possessives:
        return None
    owned = pronoun.head
    verb = owned.head
    if owned.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    elif owned.dep_ != "dobj":
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN") or subject.i > pronoun.i:
        return None
    if (
        pronoun.lower_ in ("his", "her")
        and subject.pos_ != "PROPN"
        and subject.lemma_.lower() not in lex.person_titles
    ):
        return None
    return subject
