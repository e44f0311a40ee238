"""Who acts and who is acted upon: source and target heads for a trigger.

Verbs: the subject acts (or the controller of an infinitive: "prompting NATO
to bolster" -> NATO; "KFOR soldiers attempted to disperse" -> KFOR
soldiers); the object, a passive subject, or a target preposition is acted
upon; a passive's "by" phrase acts. Nouns: the possessor or a nationality
modifier acts ("Serbia's drill", "Russian strikes"), "by X" acts, "on/against
X" is the target, "between A and B" gives both sides; a noun that is the
object of a light verb ("conduct a drill") takes that verb's subject.

The word lists (light verbs, occurrence verbs, ...) are in
``knowledge/data/lexicon.toml``, section "roles".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from spacy.tokens import Token

from ..knowledge.lexicon import Lexicon
from ..knowledge.ontology import Mode
from ..knowledge.patterns import Pattern
from .clauses import (
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    asked,
    child,
    controller,
    embedded_objects,
    embedded_subjects,
    held_in,
    is_passive,
    modified,
    of_object,
    owner,
    pobj,
    up_to_object,
)
from .columns import key, where_lower
from .lemmas import lemma_candidates

#: the column value of the word "with" (``columns.key``)
_WITH = key("with")

#: prepositions whose object is what another act is about ("protests over the detention of ...")
TOPIC_PREPS = frozenset({"over", "against", "about", "for", "on"})


@dataclass
class Roles:
    sources: list[Token]
    targets: list[Token]
    rule: str
    reciprocal: bool = False
    #: heads to try, in order, when no target resolves ("warned that ... Russia working to")
    fallback_targets: list[Token] = field(default_factory=list)
    #: the two sides were given apart ("between A and B"): do not merge conjuncts
    split_sides: bool = False
    #: the troops or hardware the source moves to a destination named as the target ("deployed
    #: a carrier to the Adriatic"): the target where the destination names no state or
    #: organisation (sides.py)
    moved: Token | None = None


def _main_verb_read_as_participle(verb: Token, pattern: Pattern) -> bool:
    """A sentence's main verb that the parser read as a participle describing its subject, which
    it made the root: "Serbian officials negotiated with Kosovo leaders" (officials ROOT,
    negotiated a past-participle "acl"). Read as a passive it would make its subject the one
    negotiated with. Taken as a main verb only where the passive reading cannot be meant: a
    reciprocal event ("negotiate", "meet", "talk") with its partner in a "with" phrase and no
    "by" phrase, on a noun that is the sentence's root (no other verb to be its main one); "the
    deal negotiated with Iran collapsed" keeps its passive."""
    return (
        pattern.reciprocal
        and verb.dep_ == "acl"
        and verb.tag_ == "VBN"
        and verb.head.dep_ == "ROOT"
        and verb.head.i < verb.i
        and not any(c.dep_ in ("agent", "auxpass", "nsubjpass") for c in verb.children)
        and any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children)
    )


@dataclass
class _Found:
    """Roles as they are being found."""

    rule: str
    sources: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    split: bool = False
    #: the troops or hardware the actor moves (``RoleFinder._moved_force``), the target only
    #: where no destination stands for anyone
    moved: Token | None = None


class RoleFinder:
    def __init__(
        self,
        lex: Lexicon,
        verb_types: Mapping[str, frozenset[str]] | None = None,
        act_nouns: frozenset[str] = frozenset(),
    ) -> None:
        self.lex = lex
        #: nouns that name an act of force ("bombing", "raid"): a relative clause counting victims
        #: after "the bombing of the hospital" says what the bombing did
        self.act_nouns = act_nouns
        #: the event types each verb triggers (its hand-written patterns): a participle on an event
        #: noun that is an event of another type has a "by" phrase of its own ("an attack
        #: condemned by the UN")
        self.verb_types = verb_types or {}
        #: participles whose "by" phrase is never the event's doer: speech, denial, accusation, seeing
        self.not_doing = (
            (lex.speech_verbs | lex.reporting_verbs | lex.deny_verbs | lex.claim_verbs | lex.perception_verbs)
            - lex.light_verbs
            - lex.realising_verbs
        )

    # -- verbs ---------------------------------------------------------------

    def verb_roles(self, verb: Token, pattern: Pattern) -> Roles:
        passive = is_passive(verb) and not _main_verb_read_as_participle(verb, pattern)
        found = self._passive(verb, pattern) if passive else self._active(verb, pattern)
        sources, targets, rule = found.sources, found.targets, found.rule
        if not targets and pattern.type in self.lex.asking_types:
            # "demanded that the government end curbs": the government is asked
            targets.extend(asked(verb)[:1])
        # "granted asylum to X": spaCy may label the "to" phrase a dative
        aimed_at = [
            obj
            for c in verb.children
            if c.dep_ in ("prep", "dative") and c.lower_ in pattern.target_preps + pattern.words[1:]
            if (obj := pobj(c)) is not None
            and obj.ent_type_ not in ("DATE", "TIME")  # "on Sunday" is when, not whom
            and not self._is_pattern_object(obj, pattern)
        ]
        if not targets:
            targets.extend(aimed_at[:1])
        moved = found.moved
        if moved is not None and not targets:
            # "deployed 2,000 troops near the border": with no destination named, the force moved
            # is the target, the source's own units (brief/phrases.toml: MOBILIZE's target is "own")
            targets, moved = [moved], None
        if not targets and pattern.objects:
            targets.extend(self._object_aimed_at(verb, pattern))
        fallback = self._fallback(verb, pattern, targets)
        if targets and aimed_at:
            # "fired rockets at the camps": when the object names no one, the phrase aimed at does
            fallback = [t for t in aimed_at if t not in targets] + fallback
        # the pattern's own object ("formed a militia", "declared a state of siege") is never its target
        fallback = [t for t in fallback if not self._is_pattern_object(t, pattern)]
        reciprocal = False
        if pattern.reciprocal and sources:
            conj = [c for c in sources[0].conjuncts]
            if conj and not targets:
                targets = conj[:1]
                sources = sources[:1]
                reciprocal = True
            elif targets:
                reciprocal = True
        return Roles(sources, targets, rule, reciprocal, fallback_targets=fallback, moved=moved)

    def _passive(self, verb: Token, pattern: Pattern) -> _Found:
        found = _Found("verb:passive")
        psubj = child(verb, *PASSIVE_SUBJECT_DEPS)
        if psubj is not None and not self._is_pattern_object(psubj, pattern):
            found.targets.append(psubj)  # "stones were thrown at police": the stones are no target
        elif verb.dep_ == "acl":
            found.targets.append(modified(verb.head))
        agent = child(verb, "agent")
        if agent is not None and (obj := pobj(agent)) is not None:
            found.sources.append(obj)
        elif agent is None and (doer := self._deed_doer(verb)) is not None:
            found.sources.append(doer)  # "was killed in police firing": the police
            found.rule = "verb:passive-deed"
        elif (
            agent is None
            and pattern.mode in self.lex.authority_modes
            and (where := held_in(verb)) is not None
            and _names_state(where)
        ):
            # "was arrested in Egypt", "put under investigation in Peru": only the state of the
            # place arrests or investigates there. A town or province ("arrested in Hapur") names
            # no state: who arrested there is not named
            found.sources.append(where)
        return found

    def _deed_doer(self, verb: Token) -> Token | None:
        """Who did the deed that did the harm, when the sentence names no one else: "killed in
        police firing", "died in an army raid", "killed in an encounter with police", "due to
        police firing" (the parser may make "police" the object with "firing" hanging on it)."""
        for prep in verb.children:
            if prep.dep_ != "prep":
                continue
            if prep.lower_ in ("due", "owing"):
                prep = next(
                    (c for c in prep.children if c.dep_ in ("prep", "pcomp") and c.lower_ == "to"), prep
                )
            elif prep.lower_ not in self.lex.instrument_preps:
                continue
            obj = pobj(prep)
            if obj is None:
                continue
            if self._is_deed(obj):
                for c in obj.children:
                    if c.dep_ in ("compound", "poss", "nmod") and c.pos_ in ("NOUN", "PROPN"):
                        return c
                    if c.dep_ == "prep" and c.lower_ in ("by", "with") and (doer := pobj(c)) is not None:
                        return doer
            elif obj.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ in ("acl", "compound") and self._is_deed(c) for c in obj.children
            ):
                return obj
        return None

    def _antecedent(self, relative: Token, verb: Token) -> Token:
        """What a relative pronoun subject stands for: the noun its clause hangs on, or the act
        that noun is the object of when the clause counts victims ("the bombing of the hospital,
        which killed 12": the bombing killed them; "the attack on the convoy, which wounded
        five"): a thing attacked does not attack."""
        noun = relative.head.head if relative.head.dep_ == "relcl" else relative
        prep = noun.head
        if (
            noun.dep_ == "pobj"
            and prep.dep_ == "prep"
            and prep.head.pos_ == "NOUN"
            and prep.head.lemma_.lower() in self.act_nouns
            and set(lemma_candidates(verb)) & self.lex.toll_verbs
        ):
            return prep.head
        return noun

    def _is_deed(self, tok: Token) -> bool:
        return bool(set(lemma_candidates(tok)) & self.lex.doer_deeds) or tok.lower_ in self.lex.doer_deeds

    def _active(self, verb: Token, pattern: Pattern) -> _Found:
        found = _Found("verb")
        subj = child(verb, *SUBJECT_DEPS)
        if subj is not None and subj.pos_ == "VERB" and (inner := child(subj, "nsubj")) is not None:
            subj = inner  # "the Red Cross operating in Iraq said": a reduced relative parsed as the subject
        if subj is None and verb.tag_ == "VBG" and verb.dep_ in ("pobj", "nsubj", "dobj"):
            # "in police firing": a gerund used as a noun, its doer named before it
            subj = next((c for c in verb.children if c.dep_ in ("compound", "poss", "nmod")), None)
        if subj is None and verb.dep_ == "acl" and verb.tag_ == "VBN":
            subj = verb.head  # a main verb the parser hung on its subject (_main_verb_read_as_participle)
            found.rule = "verb:participle-main"
        if subj is None:
            subj = controller(verb, self.lex)
            found.rule = "verb:controlled"
        if subj is not None and subj.lower_ not in ("who", "which", "that"):
            found.sources.append(subj)
        elif subj is not None:
            found.sources.append(self._antecedent(subj, verb))
        obj = child(verb, "dobj", "dative") or up_to_object(verb)
        if obj is None:
            # "killed and wounded scores of fighters": joined verbs share the later one's object
            later = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"), None)
            if later is not None and child(later, *SUBJECT_DEPS) is None:
                obj = child(later, "dobj")
        if obj is not None and not self._is_pattern_object(obj, pattern) and not self._own(obj):
            if self._moved_force(obj, pattern):
                found.moved = obj
            else:
                found.targets.append(obj)
        elif (
            obj is not None
            and pattern.type in self.lex.property_owner_types
            and (held := owner(obj)) is not None
        ):
            # "defaced Danish web sites", "burned the homes of Serb villagers": the property's owner
            found.targets.append(held)
        elif (
            obj is not None
            and pattern.objects
            and obj.lemma_.lower() in self.lex.of_patient_nouns | self.lex.of_patient_objects
        ):
            # "allow the return of U.N. inspectors": the pattern's own object is of someone
            if (inner := of_object(obj)) is not None:
                found.targets.append(inner)
        return found

    def _object_aimed_at(self, verb: Token, pattern: Pattern) -> list[Token]:
        """For a pattern with its own object: "used tear gas to counter protesters", "expressed
        concern over X", "launched artillery, mortar and rocket fire against the camps"."""
        out: list[Token] = []
        for c in verb.children:
            if c.dep_ in ("xcomp", "advcl") and (obj := child(c, "dobj")) is not None:
                out.append(obj)
                break
            if c.dep_ in ("dobj",):
                # the aimed phrase may hang on any of the joined objects
                for prep in (p for part in (c, *c.conjuncts) for p in part.children):
                    if prep.dep_ == "prep" and prep.lower_ in pattern.target_preps + self.lex.concern_preps:
                        if (obj := pobj(prep)) is not None:
                            out.append(obj)
                            break
        return out

    def _fallback(self, verb: Token, pattern: Pattern, targets: list[Token]) -> list[Token]:
        """Heads to try, in order, when no target resolves to anyone; last, the other party of a
        relation the clause names ("accepted a formula for ending its dispute with Norway")."""
        heads = self._fallback_heads(verb, pattern, targets)
        return heads + [t for t in self._partners(verb) if t not in heads and t not in targets]

    def _partners(self, verb: Token) -> list[Token]:
        """ "the dispute with X", "talks with X" below the verb (not in its subject): X is the
        other party of a relation (``partner_nouns``)."""
        withs = [
            prep
            for prep in self._withs_below(verb)
            if prep.dep_ == "prep"
            and prep.head.i != verb.i
            # the noun or its lemma ("talks"), also where the parser took it for a verb
            and {prep.head.lower_, prep.head.lemma_.lower()} & self.lex.partner_nouns
        ]
        if not withs:
            return []  # most clauses: the subject need not be read
        subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
        return [tok for prep in withs if prep.i not in subject for tok in prep.children if tok.dep_ == "pobj"]

    @staticmethod
    def _withs_below(verb: Token) -> list[Token]:
        """The words "with" of ``verb.subtree``, in order. The Doc's "with"s are found from its
        columns (``columns.where_lower``) and each is followed up to see whether the verb heads
        it, where walking ``verb.subtree`` makes a Token of every word below the verb."""
        doc = verb.doc
        return [doc[i] for i in where_lower(doc, _WITH) if i == verb.i or verb.is_ancestor(doc[i])]

    def _fallback_heads(self, verb: Token, pattern: Pattern, targets: list[Token]) -> list[Token]:
        if targets and pattern.type in self.lex.of_target_types:
            # "against the installation of ethnic Albanian mayors" -> the mayors
            fallback = [
                obj
                for t in targets
                for p in t.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for obj in p.children
                if obj.dep_ == "pobj"
            ]
            # then deeper: "suggested a return to commitments made in an agreement with Belgrade"
            return fallback + [
                t for t in embedded_objects(verb, self.lex) if t not in targets and t not in fallback
            ]
        if pattern.type in self.lex.reported_target_types and (
            not targets or pattern.type in self.lex.act_embedding_types
        ):
            # a threat's object says what it threatens, not whom: with it naming no one, the
            # clauses say whom ("warned of retaliation if Israel struck": Israel would bring it)
            return [t for t in embedded_subjects(verb) + embedded_objects(verb, self.lex) if t not in targets]
        if not targets:
            # "agreed to supply Gondor", "urged Bree to help": the embedded action's object
            return embedded_objects(verb, self.lex)
        return []

    def _own(self, noun: Token) -> bool:
        """ "withdrew its troops from X": what the actor moves or gives of its own is not the target
        ("accused its neighbour" names another actor)."""
        if noun.lemma_.lower() in self.lex.relation_nouns:
            return False
        return any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children)

    def _moved_force(self, noun: Token, pattern: Pattern) -> bool:
        """ "deployed additional troops to northern Syria": the troops or hardware an actor moves,
        not the target where the destination is named (``verb_roles``)."""
        if pattern.type not in self.lex.moving_force_types:
            return False
        words = [*(c.lemma_.lower() for c in noun.children if c.dep_ == "compound"), noun.lemma_.lower()]
        return any(tuple(words[len(words) - len(p) :]) == p for p in self.lex.military_assets)

    @staticmethod
    def _is_pattern_object(tok: Token, pattern: Pattern) -> bool:
        if not pattern.objects:
            return False
        # a relative clause describes the object, it does not make it the pattern's own
        # ("allow refugees who fled in 1991 to return" is about the refugees)
        described = {t.i for c in tok.children if c.dep_ == "relcl" for t in c.subtree}
        inside = [t for t in tok.subtree if t.i not in described]
        words = {t.lower_ for t in inside}
        for t in inside:
            words.update(lemma_candidates(t) if t.pos_ == "NOUN" else (t.lemma_.lower(),))
        return any(words.issuperset(obj) for obj in pattern.object_words)

    # -- nouns ---------------------------------------------------------------

    def noun_roles(self, noun: Token, pattern: Pattern) -> Roles | None:
        """Roles of a noun trigger, or None when nothing makes the noun an event."""
        if self.characterises(noun):
            return None
        found = _Found("noun")
        self._noun_children(noun, pattern, found)
        self._noun_participles(noun, pattern, found)
        noun, head = self._carrier(noun, found)
        licensed = bool(found.sources or found.targets)
        self._noun_patient(noun, pattern, found)
        if (
            not licensed
            and found.targets
            and noun.lemma_.lower() in self.lex.patient_events
            and not (noun.dep_ == "pobj" and noun.head.lower_ in TOPIC_PREPS)
        ):
            # "the arrest of two students", "after the arrests of the leaders": naming whom it
            # was done to makes the noun a report of the act; not the topic of another
            # ("protests over the detention of ...", "a campaign against the arrest of ...")
            licensed, found.rule = True, "noun:of-patient"
        licensed = self._licence(noun, head, pattern, found) or licensed
        if not licensed:
            return None
        sources, targets = found.sources, found.targets
        reciprocal = pattern.reciprocal and bool(sources) and bool(targets)
        if pattern.reciprocal and sources and not targets and (conj := list(sources[0].conjuncts)):
            # "Syria and Jordan renewed negotiations": each side with the other
            targets, sources, reciprocal = conj[:1], sources[:1], True
        return Roles(sources, targets, found.rule, reciprocal, split_sides=found.split)

    def characterises(self, noun: Token) -> bool:
        """The noun says what something is, it reports no event: "this is an attack against our
        country", "calling it an attack on our sovereignty", "denounced the vote as aggression"."""
        if noun.dep_ in ("attr", "oprd"):
            return True
        return (
            noun.dep_ == "pobj"
            and noun.head.lower_ == "as"
            and noun.head.head.lemma_.lower() in self.lex.characterising_verbs
        )

    def aimed_at_value(self, roles: Roles) -> bool:
        """The target is a value or an idea, not anyone who could be harmed: "an attack on our
        values", "assaulted democracy" (rhetoric, not an event)."""
        return any(t.lemma_.lower() in self.lex.value_nouns for t in roles.targets[:1])

    def _noun_children(self, noun: Token, pattern: Pattern, found: _Found) -> None:
        """A possessor, a name or a force ("police firing", "an army raid") before the noun acts; "by", "between", "from" and target phrases."""
        for c in noun.children:
            if c.dep_ == "poss":
                found.sources.append(c)
                found.rule = "noun:possessor"
            elif (
                c.dep_ in ("amod", "compound")
                and c.pos_ in ("PROPN", "ADJ", "NOUN")
                and (
                    c.ent_type_ in ("NORP", "GPE", "ORG")
                    or c.text[:1].isupper()
                    or (c.dep_ == "compound" and c.lemma_.lower() in self.lex.force_nouns)
                )
            ):
                found.sources.append(c)
                found.rule = "noun:modifier"
            elif c.dep_ == "prep" and (obj := pobj(c)) is not None:
                self._noun_phrase(c.lower_, obj, pattern, found)

    @staticmethod
    def _noun_phrase(low: str, obj: Token, pattern: Pattern, found: _Found) -> None:
        """What the noun's prepositional phrase "``low`` ``obj``" says of its sides."""
        if low == "by":
            found.sources.append(obj)
            found.rule = "noun:by"
        elif low == "between" and pattern.mode == Mode.THIRD_PARTY:
            # "a mediation effort between A and B": both are the mediator's targets
            found.targets.extend([obj, *obj.conjuncts])
        elif low == "between":
            found.sources.append(obj)
            others = list(obj.conjuncts)
            if others:
                found.targets.append(others[0])
            found.rule = "noun:between"
            found.split = True
        elif low in pattern.target_preps and not found.targets and obj.ent_type_ not in ("DATE", "TIME"):
            found.targets.append(obj)  # "a suspension on Wednesday": when, not whom
        elif low == "from" and not found.sources:
            found.sources.append(obj)

    def _noun_participles(self, noun: Token, pattern: Pattern, found: _Found) -> None:
        """A participle on the noun names who did it or at whom it was aimed."""
        for acl in noun.children:
            if acl.dep_ != "acl" or acl.tag_ != "VBN":
                continue
            for g in acl.children:
                if (
                    g.dep_ == "agent"
                    and (obj := pobj(g)) is not None
                    and not found.sources
                    and self._done_by(acl, pattern)
                ):
                    # "a landmine planted by the militia", "gas used by the rebels"
                    found.sources.append(obj)
                    found.rule = "noun:acl-by"
                elif (
                    g.dep_ == "prep"
                    and g.lower_ in pattern.target_preps
                    and acl.lemma_.lower() in self.lex.aiming_verbs
                    and (obj := pobj(g)) is not None
                    and not found.targets
                ):
                    found.targets.append(obj)  # "violence aimed at the minority"

    def _done_by(self, participle: Token, pattern: Pattern) -> bool:
        """Whether the "by" phrase of ``participle`` on an event noun names who did the event:
        "carried out by", "planted by", "sanctions imposed by" do; "condemned by", "denied by",
        "mediated by", "reported by", "witnessed by" name someone who did something else about
        it (a verb that is an event of another type, or one of speech, denial or seeing)."""
        lemma = participle.lemma_.lower()
        if lemma in self.lex.light_verbs or lemma in self.lex.realising_verbs:
            return True
        if lemma in self.not_doing:
            return False
        types = self.verb_types.get(lemma)
        return not types or pattern.type in types

    def _carrier(self, noun: Token, found: _Found) -> tuple[Token, Token]:
        """ "carried out a string of airstrikes", "the use of poison gas by the rebels": the event
        stands where the noun that carries it stands. The noun to read on, and its head."""
        head = noun.head
        if not (
            noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in self.lex.carrier_nouns
        ):
            return noun, head
        carrier = head.head
        for prep in carrier.children:
            if (
                prep.dep_ == "prep"
                and prep.lower_ == "by"
                and (obj := pobj(prep)) is not None
                and not found.sources
            ):
                found.sources.append(obj)
                found.rule = "noun:by"
        return carrier, carrier.head

    def _noun_patient(self, noun: Token, pattern: Pattern, found: _Found) -> None:
        """The target an "of" phrase gives: whom the thing concerns, or what is done to."""
        targets = found.targets
        if not targets:
            # "a suspension of air links with Libya", "the withdrawal of troops from Chad": the
            # thing the event is of points on to whom it concerns (this alone makes no event)
            targets.extend(
                obj
                for of in noun.children
                if of.dep_ == "prep" and of.lower_ == "of" and (thing := pobj(of)) is not None
                for prep in thing.children
                if prep.dep_ == "prep"
                and prep.lower_ in pattern.target_preps
                and (obj := pobj(prep)) is not None
            )
            del targets[1:]
        if not targets and noun.lemma_.lower() in self.lex.of_patient_nouns:
            # "its invasion of South Lebanon", "the release of the hostages": what it is done to
            if (obj := of_object(noun)) is not None:
                targets.append(obj)

    def _licence(self, noun: Token, head: Token, pattern: Pattern, found: _Found) -> bool:
        """Whether the sentence makes the noun an event: a light verb carries it, it occurred, it
        did harm, or it stands alone. Sides these readings give are added to ``found``."""
        if noun.dep_ in ("dobj", "nsubjpass") and set(lemma_candidates(head)) & (
            self.lex.light_verbs | set(pattern.words)
        ):
            self._light_verb(noun, head, pattern, found)
        elif (noun.dep_ in ("nsubj",) and set(lemma_candidates(head)) & self.lex.occurrence_verbs) or any(
            # "as the march descended into chaos", parsed as a clause on the noun: its subject
            c.dep_ == "acl" and c.tag_ == "VBD" and set(lemma_candidates(c)) & self.lex.occurrence_verbs
            for c in noun.children
        ):
            self._occurred(head, found)
        elif (
            noun.dep_ == "pobj"
            and head.lower_ in self.lex.instrument_preps
            and head.head.pos_ in ("VERB", "ADJ", "NOUN")
            and set(lemma_candidates(head.head)) & self.lex.harm_verbs
        ):
            # "killed in a grenade attack", "attacked with poison gas": the event that harmed
            found.rule = found.rule if found.sources or found.targets else "noun:instrument"
            victim = child(head.head, "dobj", "nsubjpass")
            if victim is None and head.head.lemma_.lower() in self.lex.victim_subject_verbs:
                victim = child(head.head, "nsubj")
            if victim is not None and not found.targets:
                found.targets.append(victim)  # "a villager was injured in a grenade attack": the villager
        elif pattern.stands_alone:
            # a flood or a gas leak is an event whoever it strikes
            found.rule = found.rule if found.sources or found.targets else "noun:alone"
        else:
            return False
        return True

    def _light_verb(self, noun: Token, head: Token, pattern: Pattern, found: _Found) -> None:
        """ "staged a protest", and in the passive "protests were held", "an attack was carried out"."""
        subj = (
            child(head, *SUBJECT_DEPS)
            or (
                pobj(agent)
                if noun.dep_ == "nsubjpass" and (agent := child(head, "agent")) is not None
                else None
            )
            or controller(head, self.lex)
        )
        if subj is not None and not found.sources:
            found.sources.append(subj)
        for prep in head.children if not found.targets else ():
            # "launched an attack against X": the target phrase hangs on the light verb
            if prep.dep_ == "prep" and prep.lower_ in pattern.target_preps and (obj := pobj(prep)):
                found.targets.append(obj)
                break
        found.rule = "noun:light-verb"

    @staticmethod
    def _occurred(head: Token, found: _Found) -> None:
        """ "clashes erupted", "a blast killed two soldiers": the occurrence verb's object and sides."""
        found.rule = found.rule if found.sources or found.targets else "noun:occurred"
        obj = child(head, "dobj")
        if obj is not None and not found.targets:
            found.targets.append(obj)  # "a blast killed two soldiers": the blast's victims
        between = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "between"), None)
        if between is not None and not found.sources and (side := pobj(between)) is not None:
            # "clashes erupted between police and protesters": the sides hang on the verb
            found.sources.append(side)
            found.targets[:] = list(side.conjuncts)[:1]
            found.rule, found.split = "noun:between", True


def _names_state(place: Token) -> bool:
    """Whether a place names a state: a country, or its capital standing for its government, as the
    knowledge base matched it (``doc._.mentions``)."""
    mention = (place.doc._.mentions or {}).get(place.i)
    return mention is not None and any(e.kind in ("country", "capital") for e in mention.entries)
