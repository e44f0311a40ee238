"""The rule coder: sentences of a parsed Doc -> coded events on ``doc._.events``.

For each sentence (skipping a trailing "Key Takeaways" block, which only
restates the article): find triggers (patterns.toml), find the heads of
source and target (roles.py), resolve them to actors (actors.py), read
factuality, numbers, date and place. An event needs at least one resolved
actor; verbal conflict and support need a target.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ..geocode.gazetteer import Gazetteer
from ..geocode.locate import event_place
from ..geocode.resolve import lookup as lookup_place
from ..knowledge.actors import Knowledge
from ..knowledge.ontology import OTHER_TYPES
from ..records import Actor, Numbers, Place
from .actors import LANGUAGE_WORDS, NOT_ACTOR_LEMMAS, ActorResolver
from .dates import event_date
from .factuality import READY_ADJ, Factuality, assess, refusal
from .numbers import extract_numbers
from .patterns import Pattern, Patterns, lemma_candidates
from .roles import Roles, noun_roles, verb_roles
from .scene import crime_arrests, violent_protests, without_tolls

#: types that say nothing without someone on the receiving end
NEEDS_TARGET = {
    "ACCUSE",
    "SUPPORT",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "AID",
    "CONSULT",
    "CONCEDE",
    "COOPERATE",
}


@dataclass
class Coded:
    """An event as the coder found it, still tied to the parse."""

    pattern: Pattern
    trigger: Token
    sentence: Span
    sentence_index: int
    sources: list[Actor]
    targets: list[Actor]
    factuality: Factuality
    claimed_by: Actor | None
    numbers: Numbers
    number_spans: dict[str, tuple[int, int]]
    date: object
    date_precision: str
    date_span: tuple[int, int] | None
    place: Place | None
    rule: str
    confidence: float
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


#: nouns for people and groups that act or suffer even when nothing names who they are
PEOPLE_NOUNS = {
    "people", "person", "civilian", "student", "worker", "villager", "resident", "prisoner", "man",
    "woman", "child", "crowd", "farmer", "hacker", "gunman", "militant", "fighter", "insurgent",
    "rebel", "demonstrator", "protester", "protestor", "activist", "mob", "rioter", "attacker",
    "assailant", "soldier", "troop", "official", "officer", "policeman", "group", "faction",
    "militia", "guerrilla", "terrorist", "bomber", "passenger", "pilgrim", "refugee", "migrant",
    "journalist", "opposition", "party", "union", "government", "army", "force", "police",
    "member", "suspect",
}  # fmt: skip
NAMED = {"ORG", "NORP", "GPE", "PERSON", "FAC"}
#: cooperative types whose refusal is a REJECT ("will not lift the ban", "declined to resign")
YIELDING = {"AGREE", "CONCEDE", "AID", "COOPERATE", "RETREAT", "CONSULT", "SUPPORT"}
#: an actor's own future action, announced, is a promise (cooperation) or a threat (conflict)
PLEDGED = {
    "AID": "AGREE", "CONCEDE": "AGREE", "COOPERATE": "AGREE", "RETREAT": "AGREE",
    "SUPPORT": "AGREE",
    "SANCTION": "THREATEN", "COERCE": "THREATEN", "ASSAULT": "THREATEN", "MOBILIZE": "THREATEN",
    "PROTEST": "THREATEN",
}  # fmt: skip
#: verbs of a blast: a weapon as their subject makes the blast's toll a remote explosive
BLAST_VERBS = {"explode", "detonate", "go", "blow"}
#: attack modes that a weapon named in the clause makes more specific: the agent a
#: shell or a bomb carried, the bomber who carried it
MORE_SPECIFIC = {
    "heavy-weapons": ("chemical", "aerial"),  # "jets fired missiles": an air strike
    "aerial": ("chemical",),
    "explosives": ("suicide-attack",),
}
#: modifiers that make an event noun a document ("press release", "news conference")
DOCUMENT_COMPOUNDS = {"press", "news"}
#: modals that, with a condition ("may halt mediation if ..."), announce an action too
CONDITIONAL_MODALS = {"will", "would", "may", "might", "could", "shall", "'ll", "wo"}
#: verbs of destroying property: with a weapon in the clause they are an attack with it
#: ("warplanes destroyed a depot"), where seizing one ("seized rockets") is not
DESTROYING = {"destroy", "damage", "burn", "torch", "raze", "flatten", "demolish", "level", "smash", "set"}
#: attack modes whose verb names the weapon: the attack stands with no one named
#: ("a grenade was hurled at the bus station")
WEAPON_MODES = {"grenade", "heavy-weapons", "aerial", "chemical", "explosives", "suicide-attack"}
#: participles that say whose a place or thing is ("belonging to", "held by", "manned by")
HOLDING_VERBS = {"belong", "hold", "control", "man", "run", "own", "operate", "occupy", "use", "guard"}
#: modes whose participle describing a noun names a state, not an event ("the occupied
#: city", "the besieged town")
STATE_MODES = {"occupy", "restrict"}
#: entity types that are never actors ("on Saturday", "5 million dollars")
NOT_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
#: material and investigative events whose specific wording says enough without a target
#: ("lifted restrictions", "provided aid", "launched an investigation")
SPECIFIC_WITHOUT_TARGET = {"AID", "CONCEDE", "COOPERATE", "SANCTION"}


def _has_sequence(lemmas: list[str], words: list[tuple[str, ...]]) -> bool:
    """Whether ``lemmas`` contain one of ``words`` (lemma sequences) in a row."""
    return any(tuple(lemmas[i : i + len(w)]) == w for w in words for i in range(len(lemmas) - len(w) + 1))


def _mentions(head: Token, words: list[tuple[str, ...]]) -> bool:
    """Whether the phrase under ``head`` names one of ``words`` (lemma sequences)."""
    return _has_sequence([t.lemma_.lower() for t in head.subtree], words)


def _phrase(head: Token) -> list[Token]:
    """A noun phrase less what its prepositions attach ("tear gas and water cannons", not
    "... in clashes with protesters"; "a series", not "... of rapes"): the events these
    name are their own."""
    out, todo = [], [head]
    while todo:
        tok = todo.pop()
        out.append(tok)
        todo.extend(c for c in tok.children if c.dep_ not in ("prep", "acl", "relcl"))
    return out


def inner_heads(head: Token) -> list[Token]:
    """Where an actor hides inside a phrase that names none: its possessor or
    nationality modifier ("a U.S. request", "its forces"), the group a quantity
    or part counts ("thousands of students", "positions of the army"), and who
    made an offer or call ("calls by Annan", "an offer from Kabul")."""
    out: list[Token] = []
    for child in head.children:
        if child.dep_ == "poss" or (
            child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in ("NORP", "GPE", "ORG")
        ):
            out.append(child)
    for prep in ("of", "by", "from"):  # "the withdrawal of Serbian forces from Bosnia": the forces first
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == prep:
                out.extend(g for g in child.children if g.dep_ == "pobj")
            elif prep == "of" and child.dep_ == "prep" and child.lower_ == "out":
                # "13 out of 19 crew members"
                out.extend(
                    g for of in child.children if of.lower_ == "of" for g in of.children if g.dep_ == "pobj"
                )
    return out


def holder(head: Token) -> Token | None:
    """Whose a place or thing is: "a base belonging to the army", "a checkpoint manned by rebels"."""
    for acl in head.children:
        if acl.dep_ != "acl" or acl.lemma_.lower() not in HOLDING_VERBS:
            continue
        for prep in acl.children:
            if prep.dep_ == "agent" or (prep.dep_ == "prep" and prep.lower_ == "to"):
                return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def unresolved_actor(head: Token) -> Actor | None:
    """An actor the knowledge base does not know: an unknown name, or a group of people.

    It keeps its text and span but has no country, organisation or sector.
    """
    if head.pos_ not in ("PROPN", "NOUN") or head.lemma_.lower() in NOT_ACTOR_LEMMAS:
        return None
    if head.ent_type_ in NOT_ACTOR_ENTS:
        return None
    if head.pos_ == "NOUN" and head.ent_type_ not in NAMED and head.lemma_.lower() not in PEOPLE_NOUNS:
        return None
    left = min(
        (t for t in head.subtree if t.dep_ in ("compound", "amod", "nummod") or t is head), key=lambda t: t.i
    )
    start, end = left.idx, head.idx + len(head)
    return Actor(text=head.doc[left.i : head.i + 1].text, span=(start, end))


def _doer(verb: Token) -> Token | None:
    """Who or what does the verb: its subject or passive agent, the noun a participle
    describes ("actions targeting Russia"), or for a participle clause with no subject
    of its own the main clause's object ("unveiled sanctions, targeting ten officials")."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        return verb.head
    if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG":
        return next((c for c in verb.head.children if c.dep_ == "dobj"), None)
    return None


def _deed_agents(head: Token) -> list[Token]:
    """The "by" phrases naming who did a deed: "abuses by the militia", "killings committed by
    the army"."""
    out = [c for c in head.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"]
    for acl in head.children:
        if acl.dep_ == "acl" and acl.tag_ == "VBN":
            out += [c for c in acl.children if c.dep_ == "agent"]
    return out


def _ready(tok: Token) -> bool:
    """ "is ready to", "was prepared to", "are willing to": an actor announcing what it will do."""
    low = tok.lower_
    if low == "prepared":  # "is prepared to", not "prepared to attack"
        return tok.head.lemma_ == "be" or any(c.lemma_ == "be" for c in tok.children)
    return low in READY_ADJ


def _event_subject(verb: Token, nouns: dict[int, Pattern]) -> int | None:
    """The index of an event noun that is the verb's subject (or its passive's agent)."""
    for child in verb.children:
        if child.dep_ == "nsubj" and child.i in nouns:
            return child.i
        if child.dep_ == "nsubj":
            # "torrential rains and floods hit the coast": any of the subjects
            for conj in child.conjuncts:
                if conj.i in nouns:
                    return conj.i
        if child.dep_ == "agent":
            for g in child.children:
                if g.i in nouns:
                    return g.i
    return None


class Coder:
    def __init__(self, kb: Knowledge, patterns: Patterns, gazetteer: Gazetteer) -> None:
        self.kb = kb
        self.patterns = patterns
        self.gazetteer = gazetteer
        #: nouns that name a demonstration ("march", "rally"): the patterns' own
        self.protest_words = frozenset(
            lemma
            for lemma, options in patterns.nouns.items()
            if any(p.type == "PROTEST" and p.mode == "demonstrate" for p in options)
        )
        #: nouns that name an act of force ("rape", "raid"): never actors (a protest stands for its protesters)
        self.act_nouns = frozenset(
            lemma
            for lemma, options in patterns.nouns.items()
            if any(p.type in ("ASSAULT", "COERCE") for p in options)
        )

    def code(self, doc: Doc) -> list[Coded]:
        resolver = ActorResolver(doc, self.kb, doc._.published, self.gazetteer)
        out: list[Coded] = []
        summary = doc._.summary_start
        for index, sent in enumerate(doc.sents):
            if summary >= 0 and sent.start_char >= summary:
                break
            self._remember_subjects(sent, resolver)
            # patterns imported from the CAMEO dictionary only cover what the hand-written
            # ones miss: they are tried in a sentence where those code nothing
            for generated in (False, True):
                found = self.triggers(sent, generated)
                nouns = {t.i: p for t, p in found if p.pos == "NOUN"}
                coded: list[Coded] = []
                for trigger, pattern in found:
                    subject = _event_subject(trigger, nouns) if pattern.pos == "VERB" else None
                    if subject is not None and noun_roles(sent.doc[subject], nouns[subject]) is not None:
                        continue  # "an explosion killed two": the noun is the event, the verb what it did
                    coded.extend(self._code_trigger(trigger, pattern, sent, index, resolver))
                if coded:
                    out.extend(without_tolls(coded))
                    break
        return crime_arrests(violent_protests(out, self.patterns.riot_cues, self.protest_words))

    # -- triggers ------------------------------------------------------------

    def triggers(self, sent: Span, generated: bool = False) -> list[tuple[Token, Pattern]]:
        """Each trigger of the sentence with the pattern it matched: of the hand-written
        patterns, or with ``generated`` of those imported from the CAMEO dictionary."""
        found = []
        used_objects: set[int] = set()
        verbs = self.patterns.generated_verbs if generated else self.patterns.verbs
        for tok in sent:
            if tok.pos_ == "VERB":
                options = next((verbs[lemma] for lemma in lemma_candidates(tok) if lemma in verbs), ())
                for p in options:
                    if self._verb_matches(tok, p):
                        found.append((tok, p))
                        used_objects.update(t.i for c in tok.children if c.dep_ == "dobj" for t in _phrase(c))
                        break
        if generated:
            return found
        found.extend(self._modal_demands(sent, {t.i for t, _ in found}))
        for tok in sent:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.i in used_objects or tok.dep_ == "compound":
                continue
            if any(c.dep_ == "compound" and c.lower_ in DOCUMENT_COMPOUNDS for c in tok.children):
                continue  # "a press release" is a document, not a release
            for p in self.patterns.nouns.get(tok.lemma_.lower(), ()) or self.patterns.nouns.get(
                tok.lower_, ()
            ):
                if self._noun_matches(tok, p):
                    found.append((tok, p))
                    break
        return found

    def _modal_demands(self, sent: Span, taken: set[int]) -> list[tuple[Token, Pattern]]:
        """ "The minister said Serbia must withdraw": a verb of saying whose clause tells
        someone what they must do asks them to (REQUEST, the clause's subject the target)."""
        out = []
        for tok in sent:
            if tok.i in taken or tok.pos_ != "VERB" or tok.lemma_.lower() not in self.patterns.demand_speech:
                continue
            for clause in tok.children:
                if (
                    clause.dep_ == "ccomp"
                    and any(
                        c.dep_ == "aux" and c.lower_ in self.patterns.demand_modals for c in clause.children
                    )
                    and any(c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN") for c in clause.children)
                ):
                    out.append(
                        (
                            tok,
                            replace(
                                self.patterns.demand, lemma=tok.lemma_.lower(), words=(tok.lemma_.lower(),)
                            ),
                        )
                    )
                    break
        return out

    @staticmethod
    def _verb_matches(tok: Token, p: Pattern) -> bool:
        near: set[str] = set()
        args: list[Token] = []
        obliques: list[Token] = []
        for child in tok.children:
            if child.dep_ == "prep" and any(
                g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in child.children
            ):
                continue  # "police were called on Friday": when, not a particle of the verb
            near.update((child.lemma_.lower(), child.lower_))
            if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
                args.append(child)
            if child.dep_ in ("prep", "prt"):
                for grand in child.children:
                    near.update((grand.lemma_.lower(), grand.lower_))
                    if grand.dep_ == "pobj":
                        obliques.append(grand)
        if not all(w in near for w in p.words[1:]):
            return False
        if p.objects:
            words = set()
            if tok.dep_ == "acl" and tok.tag_ == "VBN":
                # "mortar shells fired into homes", "dozens of shells fired": the noun
                # the participle acts on
                heads = [tok.head, *(g for c in tok.head.children if c.lower_ == "of" for g in c.children)]
                for t in (*heads, *(c for h in heads for c in h.children if c.dep_ == "compound")):
                    words.update((*lemma_candidates(t), t.lower_))
            # what the verb acts on is its object, all of it; a prepositional phrase less
            # what hangs on it in turn ("seized guns after a raid in the area" took no area)
            # an imported pattern names the head of what the verb acts on ("{ARMS SHIPMENT}"),
            # not anything said about it further down
            phrases = [_phrase(arg) if p.generated else list(arg.subtree) for arg in args]
            phrases += [_phrase(arg) for arg in obliques]
            for phrase in phrases:
                for t in phrase:
                    # the form's own stems too: the lemmatizer reads "bases" as "basis"
                    words.update(lemma_candidates(t) if t.pos_ == "NOUN" else (t.lemma_.lower(),))
                    words.add(t.lower_)
            return any(all(w in words for w in obj.split()) for obj in p.objects)
        return True

    @staticmethod
    def _noun_matches(tok: Token, p: Pattern) -> bool:
        if len(p.words) == 1:
            return True
        before = [t.lemma_.lower() for t in tok.doc[max(tok.i - len(p.words) + 1, 0) : tok.i]]
        return before == list(p.words[:-1])

    # -- one trigger ---------------------------------------------------------

    def _code_trigger(
        self, trigger: Token, pattern: Pattern, sent: Span, index: int, resolver: ActorResolver
    ) -> list[Coded]:
        roles: Roles | None
        asked = [trigger, *(c for c in trigger.children if c.dep_ == "xcomp")]
        if pattern.type == "REQUEST" and any(
            c.dep_ in ("dobj", "nsubjpass") and _mentions(c, self.patterns.private_needs)
            for verb in asked
            for c in verb.children
        ):
            # "sought medical treatment", "urged to seek medical attention": a need of one's own
            return []
        if pattern.pos == "VERB" and trigger.dep_ == "amod" and pattern.mode in STATE_MODES:
            return []
        if pattern.pos == "VERB":
            roles = verb_roles(trigger, pattern)
        else:
            roles = noun_roles(trigger, pattern)
        if roles is None:
            return []
        follow = not roles.split_sides
        sources = self._actors(roles.sources, resolver, follow)
        targets = self._actors(roles.targets, resolver, follow)
        # a named person is not the same actor as their country's institutions or capital
        source_keys = {(a.key, a.sector, a.name) for a in sources}
        weak: list[Actor] = []
        # "boycott all contact with the United States": a target phrase naming no one points on,
        # through what it is "of" too ("welcomed the resumption of ties with X")
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
            if prep.dep_ == "prep"
            # "anger at X", "outrage over X" too
            and (
                prep.lower_ in ("with", "to", "against", "on", "toward", "towards", "between", "at", "over")
                # "disapproval for X" in a protest; "aid for X" elsewhere is no target of a protest
                or (prep.lower_ == "for" and pattern.type == "PROTEST")
            )
            for obj in prep.children
            if obj.dep_ == "pobj"
        ]
        # "anger at Kabul's policies": the policies are their owner's
        inner = [tok for obj in inner for tok in (obj, *(c for c in obj.children if c.dep_ == "poss"))]
        # "protested the abuses (committed) by the militia": a deed naming no one points to its doer
        inner += [
            obj
            for head in roles.targets
            for agent in _deed_agents(head)
            for obj in agent.children
            if obj.dep_ == "pobj"
        ]
        # "host a meeting between A and B": the host stands apart from both sides
        between = False
        # "to show their anger at X": a target that is only the source itself names no one
        others = [a for a in targets if (a.key, a.sector, a.name) not in source_keys]
        for head in [*inner, *roles.fallback_targets] if not others else ():
            # the source itself is never the fallback ("threatened to cut ties with Y over its ...")
            found = [
                a
                for a in self._actors([head], resolver, follow)
                if (a.key, a.sector, a.name) not in source_keys
            ]
            if any(a.country or a.org for a in found):
                targets = found
                between = head.head.lower_ == "between" and head.dep_ == "pobj"
                break
            # "promised to continue military aid to Mozambique": a phrase that names no one
            # gives way to a later one that does
            weak = weak or found
        targets = targets or weak
        targets = [a for a in targets if (a.key, a.sector, a.name) not in source_keys]
        if pattern.mode == "clash" and not sources and any(a.sector == "PRO" for a in targets):
            # "clashes with protesters armed with sticks": the one side named fought
            sources, targets = targets, []
        if (
            pattern.mode == "clash"
            and pattern.pos == "VERB"
            and not targets
            and any(c.dep_ == "dobj" for c in trigger.children)
        ):
            return []  # "fighting deportation", "battled the blaze": no one fought
        if (
            pattern.type == "OTHER"
            and pattern.mode == "man-made-disaster"
            and self._names(trigger, self.patterns.weapons)
        ):
            # "a bomb exploded in the market": an attack, whoever set it
            pattern = replace(pattern, type="ASSAULT", mode="explosives", origin=pattern.origin + ":weapon")
        if not sources and not targets and pattern.needs_actor and pattern.type not in OTHER_TYPES:
            armed = (
                self._armed_with(trigger, pattern)
                if pattern.type == "ASSAULT" and not pattern.mode
                else pattern
            )
            if armed.type == "ASSAULT" and armed.mode in WEAPON_MODES and armed.pos == "VERB":
                # "a grenade was hurled at the station", "wounded in mortar shells fired into homes"
                pattern = armed
            elif not (pattern.type == "ASSAULT" and pattern.mode == "explosives" and pattern.pos == "NOUN"):
                return []
            elif self._names(trigger, self.patterns.weapons):
                return []  # a bombing with no one named: left out, as before
            else:
                # "an explosion rocked the chemical plant": no one did it, no one named suffered it
                pattern = replace(
                    pattern, type="OTHER", mode="man-made-disaster", origin=pattern.origin + ":accident"
                )
        specific = bool(pattern.objects) or roles.rule == "noun:light-verb" or pattern.mode == "investigate"
        needs_target = (
            pattern.needs_target
            if pattern.needs_target is not None
            else pattern.type in NEEDS_TARGET
            and not (sources and specific and (pattern.type in SPECIFIC_WITHOUT_TARGET or pattern.mode))
        )
        if needs_target and not targets and not roles.reciprocal:
            return []
        if (
            pattern.type == "ASSAULT"
            and not pattern.mode
            and pattern.pos == "VERB"
            and (doer := _doer(trigger)) is not None
            and _has_sequence(
                [t.lemma_.lower() for t in doer.children if t.dep_ == "compound"] + [doer.lemma_.lower()],
                self.patterns.measures,
            )
        ):
            # "sanctions targeting ten officials": the measure, not an attack
            pattern = replace(pattern, type="SANCTION", origin=pattern.origin + ":measure")
        if (
            pattern.type == "CONSULT"
            and pattern.mode == "visit"
            and any(
                c.dep_ in ("nsubj", "nsubjpass") and _mentions(c, self.patterns.military_assets)
                for c in trigger.children
            )
        ):
            # "warships arrived in Tartus", "troops arrived in the town": a deployment, not a visit
            pattern = replace(pattern, type="MOBILIZE", mode="troops", origin=pattern.origin + ":assets")
        if pattern.type == "ASSAULT" and not pattern.mode:
            pattern = self._armed_with(trigger, pattern)
        elif pattern.type == "ASSAULT" and pattern.mode in MORE_SPECIFIC:
            # "shelled the town with mortars filled with chlorine": the agent, not the carrier;
            # "suicide bombers detonated their vests": who carried the bomb
            pattern = self._armed_with(trigger, pattern, only=MORE_SPECIFIC[pattern.mode])
        elif (
            pattern.type == "COERCE" and not pattern.mode and self._names(trigger, self.patterns.crowd_force)
        ):
            # "dispersed the demonstration using live bullets": force, not just a dispersal
            pattern = replace(pattern, mode="repression", origin=pattern.origin + ":force")
        elif pattern.type == "COERCE" and pattern.mode == "seize" and trigger.lemma_.lower() in DESTROYING:
            # "warplanes destroyed a depot": property destroyed by a weapon is an attack with it
            armed = self._armed_with(trigger, replace(pattern, type="ASSAULT", mode=""))
            pattern = armed if armed.mode else pattern
        factuality = assess(trigger)
        refused = refusal(trigger) if pattern.type in YIELDING else None
        if refused is not None:
            # the refusal happened; what was refused did not
            pattern = replace(pattern, type="REJECT", mode="", origin=pattern.origin + ":refused")
            said = assess(refused) if refused.pos_ in ("VERB", "AUX") else Factuality()
            value = "claimed" if said.claimed_by is not None else "asserted"
            factuality = Factuality(value, said.claimed_by, refused)
        claimed_by = None
        if factuality.claimed_by is not None:
            claimed_by = resolver.resolve(factuality.claimed_by)
        numbers, number_spans = extract_numbers(sent, pattern.type)
        day, precision, date_span = event_date(sent, trigger, trigger.doc._.published)
        place = self._place(trigger, roles, resolver)
        if (
            pattern.type == "MOBILIZE"
            and not targets
            and place is not None
            and (
                place.precision == "region"
                and place.country
                and place.country not in {a.country for a in sources}
            )
        ):
            # forces massed "near the Kosovo border" are directed at Kosovo
            targets = [Actor(text=place.name, country=place.country, span=place.span)]
        placed = ""
        if (
            pattern.type == "ASSAULT"
            and not targets
            and place is not None
            and place.country
            and place.precision in ("place", "admin1")
        ):
            # "exploded bombs in Kabul", "shelling hit Donetsk": with no one named as hit,
            # the attack is on the place, and so on its country
            targets = [Actor(text=place.name, country=place.country, span=place.span)]
            placed = ":place-as-target"
        confidence = 0.4 + 0.2 * bool(sources) + 0.2 * bool(targets) + 0.1 * (pattern.pos == "VERB")
        confidence -= 0.1 * bool(placed)
        confidence += 0.1 * bool(pattern.objects or len(pattern.words) > 1)
        rule = f"{pattern.name}|{roles.rule}{placed}"
        base = dict(
            pattern=pattern,
            trigger=trigger,
            sentence=sent,
            sentence_index=index,
            factuality=factuality,
            claimed_by=claimed_by,
            numbers=numbers,
            number_spans=number_spans,
            date=day,
            date_precision=precision,
            date_span=date_span,
            place=place,
            confidence=round(min(confidence, 1.0), 2),
        )
        events = [Coded(sources=sources, targets=targets, rule=rule, **base)]
        if roles.reciprocal and sources and targets and not between:
            back = Coded(sources=targets, targets=sources, rule=rule + ":reciprocal", **base)
            if any(a.sector == "PRO" for a in targets) and not any(a.sector == "PRO" for a in sources):
                # "police clashed with protesters": a clash is the protesters' violence first
                # (ACLED codes such clashes as violent demonstrations), the force it meets second
                events.insert(0, back)
            else:
                events.append(back)
        pledge = self._pledge(pattern, factuality, trigger) if refused is None and sources else None
        if pledge is not None:
            # "Finland will give Tanzania a grant": saying so is itself an event, a promise
            # of cooperation (AGREE) or a threat of conflict (THREATEN), asserted now
            said = dict(base, pattern=pledge, factuality=Factuality(), claimed_by=None)
            events.append(Coded(sources=sources, targets=targets, rule=f"{pledge.name}|{roles.rule}", **said))
        return events

    @staticmethod
    def _pledge(pattern: Pattern, factuality: Factuality, trigger: Token) -> Pattern | None:
        """The promise or threat that an actor's own future action makes: "will", "would",
        "is ready to"; an action held out on a condition ("unless ...") is a threat."""
        cue = factuality.cue
        condition = next(
            (
                mark.lower_
                for clause in trigger.children
                if clause.dep_ == "advcl"
                for mark in clause.children
                if mark.dep_ == "mark" and mark.lower_ in ("if", "unless")
            ),
            "",
        )
        own = cue is not None and cue.head.i == trigger.i and cue.dep_ == "aux"
        announced = (
            (factuality.value == "future" and own)
            or (condition and own and cue is not None and cue.lower_ in CONDITIONAL_MODALS)
            or (trigger.dep_ == "xcomp" and _ready(trigger.head))
        )
        if not announced:
            return None
        type_ = "THREATEN" if condition == "unless" else PLEDGED.get(pattern.type)
        if type_ is None and pattern.type == "CONSULT" and trigger.dep_ == "xcomp" and _ready(trigger.head):
            type_ = "AGREE"  # "ready to host talks": an intent to meet (CAMEO 036)
        if type_ is None:
            return None
        return replace(pattern, type=type_, mode="", origin=pattern.origin + ":pledge")

    @staticmethod
    def _clause(trigger: Token) -> Token:
        clause = (
            trigger.head if trigger.pos_ in ("NOUN", "PROPN") and trigger.head.pos_ == "VERB" else trigger
        )
        if clause.dep_ in ("advcl", "xcomp", "conj") and clause.head.pos_ in ("VERB", "AUX"):
            clause = clause.head
        return clause

    def _names(self, trigger: Token, words: list[tuple[str, ...]]) -> bool:
        """Whether the trigger's clause names one of ``words`` (lemma sequences)."""
        return _mentions(self._clause(trigger), words)

    def _armed_with(self, trigger: Token, pattern: Pattern, only: tuple[str, ...] = ()) -> Pattern:
        """A plain attack takes the mode of the weapon named in its clause ("killed by a missile");
        ``only``: just these modes."""
        clause = trigger.head if pattern.pos == "NOUN" and trigger.head.pos_ == "VERB" else trigger
        if clause.dep_ in ("advcl", "xcomp", "conj") and clause.head.pos_ in ("VERB", "AUX"):
            clause = clause.head  # "a suicide bomber targeted a base, killing four": the whole attack
        lemmas = [t.lemma_.lower() for t in clause.subtree]
        for mode, words in self.patterns.instruments.items():
            if (not only or mode in only) and _has_sequence(lemmas, words):
                return replace(pattern, mode=mode, origin=pattern.origin + ":instrument")
        if (
            not only
            and clause.lemma_.lower() in BLAST_VERBS
            and any(
                c.dep_ in ("nsubj", "nsubjpass") and _mentions(c, self.patterns.weapons)
                for c in clause.children
            )
        ):
            # "a bomb exploded in the market, wounding six": the blast's toll, a remote explosive
            return replace(pattern, mode="explosives", origin=pattern.origin + ":blast")
        return pattern

    def _actors(self, heads: list[Token], resolver: ActorResolver, follow_conj: bool = True) -> list[Actor]:
        out: list[Actor] = []
        for head in heads:
            if head.lemma_.lower() in LANGUAGE_WORDS:
                continue  # "restrictions on the Russian language": no Russian is the target
            if resolver.owned_thing(head):
                # "Kosovo's bid ..., opposed by Serbia": the owner, before any conjunct of the thing
                head = next(c for c in head.children if c.dep_ == "poss")
            elif (held := holder(head)) is not None:
                head = held  # the attack on a base is on those it belongs to
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
                inner = []
                for tok in inner_heads(head):
                    found = [] if self._is_act(tok) else resolver.resolve_group(tok)
                    if any(a.country or a.org for a, _ in found):
                        inner = found
                        break
                    inner = inner or found
                if any(a.country or a.org for a, _ in inner) or not group:
                    group = inner or group
            for tok in [head, *inner_heads(head)] if not group else ():
                if (raw := unresolved_actor(tok)) is not None:
                    group = [(raw, tok)]
                    break
            for actor, _ in group:
                if all((actor.key, actor.sector) != (a.key, a.sector) for a in out):
                    out.append(actor)
        return out

    def _is_act(self, tok: Token) -> bool:
        return tok.pos_ == "NOUN" and tok.lemma_.lower() in self.act_nouns

    def _place(self, trigger: Token, roles: Roles, resolver: ActorResolver) -> Place | None:
        def lookup(name: str, context: str) -> Place | None:
            if resolver.names_actor(name):
                return None
            return lookup_place(self.gazetteer, name, context)

        return event_place(
            trigger, roles.sources + roles.targets, resolver.names_country, lookup, resolver.focus
        )

    def _remember_subjects(self, sent: Span, resolver: ActorResolver) -> None:
        """Resolve every subject once, in order, so pronouns and short names find them
        ("a group of Yoruba leaders said they ...": the leaders inside the phrase too)."""
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass") or (tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B"):
                if tok.ent_type_ == "PERSON" and tok.dep_ in ("compound", "flat"):
                    continue
                actor = resolver.resolve(tok)
                if tok.pos_ != "PRON" and (actor is None or not (actor.country or actor.org)):
                    for inner in inner_heads(tok):
                        found = resolver.resolve(inner)
                        if found is not None and (found.country or found.org):
                            break
