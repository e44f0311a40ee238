"""The rule coder: sentences of a parsed Doc -> coded events on ``doc._.events``.

For each sentence (skipping a trailing "Key Takeaways" block, which only
restates the article): find triggers (``triggers.py``, patterns.toml), find the
heads of source and target (``roles.py``), resolve them to actors
(``sides.py``), refine the reading (``refine.py``, refinements.toml), read
factuality, numbers, date and place. An event needs at least one resolved
actor (unless a refinement keeps it); verbal conflict and support need a
target. Readings the coder drops are listed on ``doc._.dropped`` with the rule
that dropped them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..geocode.gazetteer import Gazetteer
from ..geocode.locate import event_place
from ..geocode.resolve import lookup as lookup_place
from ..knowledge.known_actors import Knowledge
from ..knowledge.lexicon import Lexicon
from ..knowledge.ontology import OTHER_TYPES, EventType, Mode
from ..knowledge.patterns import Pattern
from ..knowledge.rules import Rules
from ..records import Actor, Place
from . import learned_events
from .actor_resolver import ActorResolver
from .clauses import child, controller
from .coded import Coded, Dropped
from .columns import BEGIN, C_DEP, C_ENT_IOB, C_ENT_TYPE, key, keys, reading, rows
from .dates import event_date
from .factuality import Factuality, announcement, assess, consequence, refusal, weighing
from .lemmas import lemma_candidates
from .numbers import extract_numbers, object_predicates
from .refine import Facts, Outcome, Refiner
from .roles import RoleFinder, Roles
from .sides import SideFinder, Sides, inner_heads
from .text_rules import crime_arrests, violent_protests, without_tolls
from .triggers import TriggerFinder, event_subject

#: the column values of a subject's dependency labels and of a person's entity type (columns.py)
_SUBJECTS = keys(frozenset(("nsubj", "nsubjpass")))
_PERSON = key("PERSON")


class Coder:
    def __init__(self, kb: Knowledge, rules: Rules, gazetteer: Gazetteer) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self.lex = rules.lexicon
        patterns = rules.patterns
        self.patterns = patterns
        self.triggers = TriggerFinder(patterns, self.lex)
        #: nouns that name a demonstration ("march", "rally"): the patterns' own
        self.protest_words = frozenset(
            lemma
            for lemma, options in patterns.nouns.items()
            if any(p.type == EventType.PROTEST and p.mode == Mode.DEMONSTRATE for p in options)
        )
        #: nouns that name an act of force ("rape", "raid"): never actors (a protest stands for its protesters)
        act_nouns = frozenset(
            lemma
            for lemma, options in patterns.nouns.items()
            if any(p.type in (EventType.ASSAULT, EventType.COERCE) for p in options)
        )
        self.sides = SideFinder(self.lex, act_nouns)
        verb_types = {lemma: frozenset(p.type for p in options) for lemma, options in patterns.verbs.items()}
        self.roles = RoleFinder(self.lex, verb_types, act_nouns)
        self.refiner = Refiner(rules.refinements, self.lex, patterns.verbs)

    def code(self, doc: Doc) -> tuple[list[Coded], list[Dropped]]:
        """The events coded in ``doc``, and the readings dropped on the way."""
        with reading(doc):  # the token columns the sentence loops test, read once (columns.py)
            return self._code(doc)

    def _code(self, doc: Doc) -> tuple[list[Coded], list[Dropped]]:
        resolver = ActorResolver(doc, self.kb, doc._.published, self.gazetteer, lexicon=self.lex)
        out: list[Coded] = []
        dropped: list[Dropped] = []
        summary = doc._.summary_start
        skipped = doc._.skipped or ()  # left unparsed by the cheap pass (prepass.py): no event there
        for index, sent in enumerate(doc.sents):
            if summary >= 0 and sent.start_char >= summary:
                break
            if sent.start in skipped:
                continue
            self._remember_subjects(sent, resolver)
            coded = without_tolls(self._code_sentence(sent, index, resolver, dropped), self.lex)
            # the event-type model fills a sentence the rules left empty and ranks disagreeing rules
            out.extend(
                learned_events.apply(
                    sent,
                    coded,
                    self.patterns,
                    self.lex.default_target_preps,
                    lambda t, p: self._coded_or_none(t, p, sent, index, resolver),  # noqa: B023
                )
            )
        return crime_arrests(violent_protests(out, self.lex, self.protest_words)), dropped

    def _code_sentence(
        self, sent: Span, index: int, resolver: ActorResolver, dropped: list[Dropped]
    ) -> list[Coded]:
        # the patterns generated from the CAMEO dictionary only cover what the hand-written
        # ones miss: they are tried in a sentence where those code nothing
        coded: list[Coded] = []
        read: dict[int, dict[object, Any]] = {}  # each verb's reading, for both passes
        for generated in (False, True):
            found = self.triggers.find(sent, generated, read)
            nouns = {t.i: p for t, p in found if p.pos == "NOUN"}
            for trigger, pattern in found:
                subject = event_subject(trigger, nouns) if pattern.pos == "VERB" else None
                if (
                    subject is not None
                    and self.roles.noun_roles(sent.doc[subject], nouns[subject]) is not None
                ):
                    # "an explosion killed two": the noun is the event, the verb what it did
                    dropped.append(Dropped(trigger.i, pattern.name, "event-noun-subject"))
                    continue
                events = self._code_trigger(trigger, pattern, sent, index, resolver)
                if isinstance(events, Dropped):
                    dropped.append(events)
                else:
                    coded.extend(events)
            if coded:
                break
        return _one_consequence(_one_announcement(_one_refusal(coded)), self.lex)

    # -- one trigger ---------------------------------------------------------

    def _coded_or_none(
        self, trigger: Token, pattern: Pattern, sent: Span, index: int, resolver: ActorResolver
    ) -> list[Coded]:
        events = self._code_trigger(trigger, pattern, sent, index, resolver)
        return [] if isinstance(events, Dropped) else events

    def _code_trigger(
        self, trigger: Token, pattern: Pattern, sent: Span, index: int, resolver: ActorResolver
    ) -> list[Coded] | Dropped:
        """The events one trigger makes, or why it makes none."""
        step = self.refiner.apply("trigger", pattern, trigger)
        if step.pattern is None:
            return Dropped(trigger.i, pattern.name, step.dropped_by)
        fired, pattern = list(step.fired), step.pattern
        roles = (
            self.roles.verb_roles(trigger, pattern)
            if pattern.pos == "VERB"
            else self.roles.noun_roles(trigger, pattern)
        )
        if roles is None:
            return Dropped(trigger.i, pattern.name, "no-roles")
        if pattern.type == EventType.ASSAULT and self.roles.aimed_at_value(roles):
            return Dropped(trigger.i, pattern.name, "value-target")
        sides = self.sides.find(roles, pattern, resolver)
        facts = Facts(
            has_sources=bool(sides.sources),
            has_targets=bool(sides.targets),
            weighed=weighing(trigger, self.lex),
        )
        weighed: Token | None = None  # the weighing verb, when a refinement read the act as weighed
        for stage in ("sides", "no-actor"):
            if stage == "no-actor" and not self._lacks_actor(pattern, sides):
                continue
            step = self.refiner.apply(stage, pattern, trigger, facts)
            if step.pattern is None or (stage == "no-actor" and not step.kept):
                return Dropped(trigger.i, pattern.name, step.dropped_by or "no-actor")
            fired, pattern = fired + list(step.fired), step.pattern
            if stage == "sides" and step.weighed is not None:
                weighed = step.weighed
                sides = self._weigher_as_source(weighed, sides, resolver)
        if not self._has_needed_target(pattern, roles, sides, trigger):
            return Dropped(trigger.i, pattern.name, "no-target")
        step = self.refiner.apply(
            "event", pattern, trigger, replace(facts, refused=refusal(trigger, self.lex))
        )
        assert step.pattern is not None  # no built-in event refinement drops
        return self._events(step.pattern, trigger, sent, index, roles, sides, resolver, step, fired, weighed)

    def _weigher_as_source(self, weighing: Token, sides: Sides, resolver: ActorResolver) -> Sides:
        """A weighed act's statement is its weigher's: "the EU is weighing a troop deployment",
        "sanctions are being considered by the EU" (not the troops, whoever the act's own
        roles found)."""
        weigher = child(weighing, "nsubj")
        if weigher is None and (agent := child(weighing, "agent")) is not None:
            weigher = child(agent, "pobj")
        if weigher is None:
            weigher = controller(weighing, self.lex)
        found = [actor for actor, _ in resolver.resolve_group(weigher)]
        return replace(sides, sources=found) if found else sides

    @staticmethod
    def _lacks_actor(pattern: Pattern, sides: Sides) -> bool:
        """No actor on either side although the pattern needs one (stage no-actor decides)."""
        return (
            not sides.sources
            and not sides.targets
            and pattern.needs_actor
            and pattern.type not in OTHER_TYPES
        )

    def _has_needed_target(self, pattern: Pattern, roles: Roles, sides: Sides, trigger: Token) -> bool:
        """Verbal conflict, support and consultation need a target, unless their wording is
        specific enough ("lifted restrictions", "launched an investigation"; a threat that
        says what it threatens: "threatened to attack the capital", "warned it would strike"),
        a verb of threat or refusal has its actor ("the group threatened a strike", "Serbia
        will refuse": ``intent_verbs_without_target``), or the pattern says otherwise
        (``needs_target``)."""
        specific = (
            bool(pattern.objects)
            or roles.rule == "noun:light-verb"
            or (pattern.type in self.lex.reaction_types and self._names_deed(trigger))
            or pattern.mode == Mode.INVESTIGATE
            or (
                pattern.type in self.lex.act_embedding_types
                and any(c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB" for c in trigger.children)
            )
        )
        needs_target = (
            pattern.needs_target
            if pattern.needs_target is not None
            else pattern.type in self.lex.needs_target_types
            and not (
                sides.sources
                and pattern.pos == "VERB"
                and trigger.lemma_.lower() in self.lex.intent_verbs_without_target
            )
            and not (
                sides.sources
                and specific
                and (
                    pattern.type in self.lex.specific_without_target
                    or pattern.type in self.lex.act_embedding_types
                    or pattern.mode
                )
            )
        )
        return not needs_target or bool(sides.targets) or roles.reciprocal

    def _names_deed(self, trigger: Token) -> bool:
        """Whether the verb's object is an act ("condemned the air strike that killed twelve"):
        a reaction to a deed says enough even when its doer is not named, and the one who
        reacts is not its doer (the deed is coded on its own, from its own words)."""
        return trigger.pos_ == "VERB" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in self.patterns.nouns for c in trigger.children
        )

    def _events(
        self,
        pattern: Pattern,
        trigger: Token,
        sent: Span,
        index: int,
        roles: Roles,
        sides: Sides,
        resolver: ActorResolver,
        step: Outcome,
        fired: list[str],
        weighed: Token | None = None,
    ) -> list[Coded]:
        """The coded event, its mirror for a reciprocal one, and an announcement's own event."""
        factuality = self._factuality(trigger, step.refused, weighed)
        claimed_by = resolver.resolve(factuality.claimed_by) if factuality.claimed_by is not None else None
        numbers, number_spans = extract_numbers(sent, pattern.type, self.lex)
        day, precision, date_span = event_date(
            sent, trigger, trigger.doc._.published, future=factuality.value == "future"
        )
        place = self._place(trigger, pattern, roles, resolver)
        sources, targets = sides.sources, sides.targets
        targets, placed = self._targets_from_place(pattern, sources, targets, place)
        confidence = 0.4 + 0.2 * bool(sources) + 0.2 * bool(targets) + 0.1 * (pattern.pos == "VERB")
        confidence -= 0.1 * bool(placed)
        confidence += 0.1 * bool(pattern.objects or len(pattern.words) > 1)
        event = Coded(
            pattern=pattern,
            trigger=trigger,
            sentence=sent,
            sentence_index=index,
            sources=sources,
            targets=targets,
            factuality=factuality,
            claimed_by=claimed_by,
            numbers=numbers,
            number_spans=number_spans,
            date=day,
            date_precision=precision,
            date_span=date_span,
            place=place,
            rule=f"{pattern.name}|{roles.rule}{placed}",
            confidence=round(min(confidence, 1.0), 2),
            refinements=(*fired, *step.fired),
        )
        events = [event]
        if roles.reciprocal and sources and targets and not sides.between:
            back = replace(event, sources=targets, targets=sources, rule=event.rule + ":reciprocal")
            if any(a.sector == "PRO" for a in targets) and not any(a.sector == "PRO" for a in sources):
                # "police clashed with protesters": a clash is the protesters' violence first
                # (ACLED codes such clashes as violent demonstrations), the force it meets second
                events.insert(0, back)
            else:
                events.append(back)
        announcing = step.refused is None and weighed is None and sources
        said = self._announced(pattern, factuality, trigger) if announcing else None
        if said is not None:
            # "Finland will give Tanzania a grant": saying so is itself an event, a promise
            # of cooperation (AGREE) or a threat of conflict (THREATEN), asserted now
            pledge, by = said
            announced = replace(
                event,
                pattern=pledge,
                factuality=Factuality(),
                claimed_by=None,
                rule=f"{pledge.name}|{roles.rule}",
                refinements=(*event.refinements, *by),
                announced=True,
            )
            if (pledge.type, pledge.mode) == (pattern.type, pattern.mode):
                # "will reject the plan": announcing a rejection is the rejection, made now
                events[events.index(event)] = announced
            else:
                events.append(announced)
        return events

    def _factuality(self, trigger: Token, refused: Token | None, weighed: Token | None = None) -> Factuality:
        """Whether the event is said to have happened; a refused action's is the refusal's own:
        the refusal happened, what was refused did not; a weighed act's is at least
        hypothetical ("is considering sanctions": none imposed)."""
        if weighed is not None:
            return assess(trigger, self.lex).stronger(Factuality("hypothetical", cue=weighed))
        if refused is None:
            return assess(trigger, self.lex)
        said = assess(refused, self.lex) if refused.pos_ in ("VERB", "AUX") else Factuality()
        return Factuality("claimed" if said.claimed_by is not None else "asserted", said.claimed_by, refused)

    @staticmethod
    def _targets_from_place(
        pattern: Pattern, sources: list[Actor], targets: list[Actor], place: Place | None
    ) -> tuple[list[Actor], str]:
        """With no one named as the target, the place may say who is: forces massed "near the
        Kosovo border" are directed at Kosovo; "exploded bombs in Kabul", "shelling hit Donetsk":
        the attack is on the place, and so on its country. The targets, and a rule suffix."""
        if targets or place is None:
            return targets, ""
        as_target = [Actor(text=place.name, country=place.country, span=place.span)]
        if (
            pattern.type == EventType.MOBILIZE
            and place.precision == "region"
            and place.country
            and place.country not in {a.country for a in sources}
        ):
            return as_target, ""
        if pattern.type == EventType.ASSAULT and place.country and place.precision in ("place", "admin1"):
            return as_target, ":place-as-target"
        return targets, ""

    def _announced(
        self, pattern: Pattern, factuality: Factuality, trigger: Token
    ) -> tuple[Pattern, tuple[str, ...]] | None:
        """The promise or threat that an actor's own future action makes ("will", "would",
        "is ready to"; an action held out on a condition), as the pledge refinements read it."""
        announced = announcement(trigger, factuality, self.lex)
        if announced is None:
            return None
        facts = Facts(has_sources=True, held_out=announced.held_out, ready=announced.ready)
        step = self.refiner.apply("pledge", pattern, trigger, facts)
        if step.pattern is None or not step.fired:
            return None
        return step.pattern, step.fired

    def _place(self, trigger: Token, pattern: Pattern, roles: Roles, resolver: ActorResolver) -> Place | None:
        def lookup(name: str, context: str) -> Place | None:
            if resolver.names_actor(name):
                return None
            return lookup_place(self.gazetteer, name, context)

        return event_place(
            trigger,
            roles.sources + roles.targets + self._place_heads(trigger),
            resolver.names_country,
            lookup,
            resolver.focus,
            leaving=pattern.type == EventType.RETREAT,
        )

    def _place_heads(self, trigger: Token) -> list[Token]:
        """Verbs whose location phrase says where the event at ``trigger`` happened, after its
        own and its actors': the verb an event noun happens by ("an airstrike killed 12 in
        Idlib", "fighting erupted in Khartoum") and the state it left people in ("the bombing left
        30 injured in Quetta"), and the clause a participle of consequence hangs
        on ("a car bomb exploded in Mogadishu, killing five": the killing was there too)."""
        head = trigger.head
        if head.i == trigger.i:
            return []
        if (
            trigger.dep_ == "nsubj"
            and trigger.pos_ == "NOUN"
            and set(lemma_candidates(head)) & self.lex.occurrence_verbs
        ):
            # "the bombing left 30 injured in Quetta": the place may hang on the state it left them in
            return [head, *object_predicates(head)]
        if trigger.dep_ == "advcl" and trigger.tag_ == "VBG" and head.pos_ in ("VERB", "AUX"):
            return [head]
        return []

    def _remember_subjects(self, sent: Span, resolver: ActorResolver) -> None:
        """Resolve every subject once, in order, so pronouns and short names find them
        ("a group of Yoruba leaders said they ...": the leaders inside the phrase too)."""
        for k, row in enumerate(rows(sent)):
            if row[C_DEP] in _SUBJECTS or (row[C_ENT_TYPE] == _PERSON and row[C_ENT_IOB] == BEGIN):
                tok = sent.doc[sent.start + k]
                if tok.ent_type_ == "PERSON" and tok.dep_ in ("compound", "flat"):
                    continue
                actor = resolver.resolve(tok)
                if (
                    actor is not None
                    and actor.span is not None
                    and tok.dep_ == "nsubj"
                    and tok.pos_ != "PRON"
                ):
                    resolver.memory.subjects.add(actor.span)  # a pronoun prefers a subject
                if tok.pos_ != "PRON" and (actor is None or not (actor.country or actor.org)):
                    for inner in inner_heads(tok):
                        found = resolver.resolve(inner)
                        if found is not None and (found.country or found.org):
                            break


def _absorbed(coded: list[Coded], outer_of: Callable[[Coded], Coded | None]) -> list[Coded]:
    """``coded`` less each event that is another's reading of the same act (``outer_of``: the
    one it belongs to, or None), which takes its targets when it names none but its place."""
    out: list[Coded] = []
    for c in coded:
        outer = outer_of(c)
        if outer is not None and outer is not c:
            if c.targets and (not outer.targets or outer.rule.endswith(":place-as-target")):
                outer.targets = c.targets  # whom it was done to says more than where
            continue
        out.append(c)
    return out


def _one_consequence(coded: list[Coded], lex: Lexicon) -> list[Coded]:
    """An attack and the toll its participle of consequence counts (``factuality.consequence``),
    by the same hand, are one event ("troops shelled villages, killing 15 civilians": the
    shelling killed them): the attack's. Its counts are the sentence's already."""
    attacks = {c.trigger.i: c for c in coded if c.pattern.type == EventType.ASSAULT}

    def cause(c: Coded) -> Coded | None:
        t = c.trigger
        if c.pattern.type != EventType.ASSAULT or t.dep_ != "advcl" or not consequence(t, t.head):
            return None
        found = attacks.get(t.head.i)
        if found is None or not set(lemma_candidates(t)) & lex.toll_verbs:
            return None
        return found if {a.key for a in c.sources} <= {a.key for a in found.sources} else None

    return _absorbed(coded, cause)


#: how a clause hangs on the verb that says it: "warned (that) they would attack", "threatened
#: to attack", "threatened (that) it would launch an offensive"
_SAID_AS = frozenset({"ccomp", "xcomp", "dobj"})


def _one_announcement(coded: list[Coded]) -> list[Coded]:
    """A promise or threat read from an actor's own future action, inside a clause said by a
    verb already coded as that promise or threat ("the rebels warned they would attack": warn,
    and attack announced, both THREATEN), is one event: the saying verb's."""
    said = {c.trigger.i: c for c in coded if not c.announced}
    return _absorbed(coded, lambda c: _saying(c, said) if c.announced else None)


def _saying(announced: Coded, said: dict[int, Coded]) -> Coded | None:
    """The event of the same type whose verb says the clause ``announced`` is in, if any."""
    tok = announced.trigger
    while tok.dep_ in _SAID_AS and tok.head.i != tok.i:
        tok = tok.head
        outer = said.get(tok.i)
        if outer is not None and outer.pattern.type == announced.pattern.type:
            return outer
    return None


def _one_refusal(coded: list[Coded]) -> list[Coded]:
    """A refusal and the act it refuses, both read as the rejection ("refused to resign":
    refuse, and resign refused), are one event: the refusal's, in the main clause, with the
    act's targets when it names none of its own ("refused to recognise Kosovo")."""
    refusals = {c.trigger.i: c for c in coded if c.pattern.type == EventType.REJECT}
    return _absorbed(
        coded,
        lambda c: (
            refusals.get(c.trigger.head.i)
            if c.pattern.type == EventType.REJECT and c.trigger.dep_ == "xcomp"
            else None
        ),
    )
