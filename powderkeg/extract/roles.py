"""Who acts and who is acted upon: source and target heads for a trigger.

Verbs: the subject acts (or the controller of an infinitive: "prompting NATO
to bolster" -> NATO; "KFOR soldiers attempted to disperse" -> KFOR
soldiers); the object, a passive subject, or a target preposition is acted
upon; a passive's "by" phrase acts. Nouns: the possessor or a nationality
modifier acts ("Serbia's drill", "Russian strikes"), "by X" acts, "on/against
X" is the target, "between A and B" gives both sides; a noun that is the
object of a light verb ("conduct a drill") takes that verb's subject.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from .actor_resolver import RELATION_NOUNS
from .patterns import Pattern, lemma_candidates

LIGHT_VERBS = {
    "conduct",
    "launch",
    "stage",
    "hold",
    "carry",
    "mount",
    "begin",
    "start",
    "organise",
    "organize",
    "make",
    "issue",
    "continue",
    "lead",
    "announce",
    "order",
    "step",
    "intensify",
    "escalate",
    "resume",
    "unleash",
    "wage",
    "perpetrate",
    "commit",
    "claim",
    "plan",
    "prepare",
    "sign",
    "reach",
    "conclude",
    "approve",
    "complete",
    "renew",
    "speed",
    "accelerate",
}
OCCURRENCE_VERBS = {
    "erupt",
    "break",
    "occur",
    "happen",
    "take",
    "flare",
    "continue",
    "escalate",
    "intensify",
    "follow",
    "resume",
    "begin",
    "start",
    "leave",
    "kill",
    "injure",
    "wound",
    "hit",
    "strike",
    "claim",
    "destroy",
    "damage",
    "devastate",
    "rock",
    "displace",
    "cause",
    "trigger",
    # what a demonstration or a fight turns into ("the march descended into chaos")
    "descend",
    "degenerate",
    "spiral",
    "deteriorate",
}
#: verbs of harm whose "in"/"with"/"by" phrase names the event that did it ("killed in an airstrike")
HARM_VERBS = {
    "kill", "injure", "wound", "die", "hurt", "attack", "target", "destroy", "damage", "hit",
    "strike", "suffer", "perish", "maim", "lose", "evacuate", "displace",
    # the harm named by a noun: "injuries in a crash", "deaths in the fire"
    "injury", "death", "casualty", "fatality",
}  # fmt: skip
INSTRUMENT_PREPS = ("in", "with", "by", "during", "from")
#: nouns that carry the event noun in their "of" phrase ("a series of attacks", "the use of gas")
CARRIER_NOUNS = {
    "series", "string", "wave", "spate", "round", "barrage", "volley", "salvo", "flurry", "succession",
    "campaign", "number", "use", "spree",
}  # fmt: skip
#: participles that point an event at its target ("violence aimed at the minority")
AIMING_VERBS = {"aim", "direct", "target"}
SUBJECT_DEPS = ("nsubj", "csubj")
#: nouns for what someone issues or sends; a clause on them speaks for the sender
MESSAGE_NOUNS = {
    "statement", "declaration", "letter", "communique", "communiqué", "message", "note", "appeal",
    "resolution", "decree", "petition", "announcement", "ultimatum", "memorandum", "motion", "order",
}  # fmt: skip
#: verbs that ask or order someone to act: the subject of their "that" clause is the one asked
ASKING_TYPES = ("REQUEST",)
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
#: actions only a state's authorities take: with no one named, the place's state did them
AUTHORITY_MODES = {"arrest", "investigate"}
#: prepositions of time and circumstance: what follows them is not acted upon
#: ("surrendered following a government offensive", "fled during the fighting")
CIRCUMSTANCE_PREPS = {"after", "before", "during", "since", "following", "amid", "amidst", "until", "despite"}
#: event nouns whose "of" phrase is the one acted upon, never the actor ("the siege of Sarajevo",
#: "the release of the hostages"); "the attack of the rebels" is not among them
OF_PATIENT_NOUNS = {
    "invasion", "occupation", "bombardment", "shelling", "siege", "blockade", "annexation",
    "bombing", "capture", "arrest", "detention", "release", "expulsion", "deportation",
    "killing", "assassination", "massacre", "abduction", "kidnapping", "torture", "execution",
    "recognition", "isolation", "encirclement",
}  # fmt: skip


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


def _child(tok: Token, *deps: str) -> Token | None:
    for child in tok.children:
        if child.dep_ in deps:
            return child
    return None


def _pobj(prep: Token) -> Token | None:
    obj = _child(prep, "pobj", "pcomp")
    if obj is None and prep.n_lefts + prep.n_rights == 0:
        obj = _stranded_object(prep)
    return obj


def _of_object(noun: Token) -> Token | None:
    """The object of a noun's "of" phrase ("the siege of Sarajevo" -> Sarajevo)."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return _pobj(of) if of is not None else None


def _stranded_object(prep: Token) -> Token | None:
    """The object of a preposition left empty by a reduced relative the parser read as a
    clause ("asylum to five officers holed up in ...": "officers" parsed as the subject of
    "holed"): the subject that starts right after the preposition."""
    doc = prep.doc
    if prep.i + 1 >= len(doc):
        return None
    first = doc[prep.i + 1]
    for tok in (first, *first.ancestors):
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.left_edge.i == prep.i + 1:
            clause = tok.head
            if clause.tag_ in ("VBN", "VBD", "VBG") and clause.i > tok.i:
                return tok
            return None
        if tok.i < prep.i or tok.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM", "DET"):
            return None
    return None


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def controller(verb: Token, seen: int = 0) -> Token | None:
    """The understood subject of a verb with none of its own."""
    if seen > 6 or verb.head.i == verb.i:
        return None
    head = verb.head
    if verb.dep_ == "xcomp":
        obj = _child(head, "dobj")
        if obj is not None and head.lemma_.lower() not in ("use", "have", "take"):
            return obj
    if verb.dep_ == "acomp":
        # "Tanzania is prepared to lift": the copula's subject
        return _child(head, *SUBJECT_DEPS) or controller(head, seen + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VB":
        # "the alliance's decision to bolster" -> the alliance
        return _child(head, "poss")
    if reduced := _reduced_relative(verb):
        return reduced
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp") or (
        verb.dep_ == "acl" and verb.tag_ in ("VBG", "VBD")
    ):
        if verb.dep_ == "acl" and head.lemma_.lower() in MESSAGE_NOUNS and head.dep_ in ("dobj", "pobj"):
            # "issued a statement demanding": whoever issued it
            owner = head.head.head if head.dep_ == "pobj" else head.head
            return _child(owner, *SUBJECT_DEPS) or controller(owner, seen + 1)
        if verb.dep_ == "acl":
            return head
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            # "accused X of waiting" -> X
            obj = _child(head.head, "dobj")
            if obj is not None:
                return obj
            head = head.head
        subj = _child(head, *SUBJECT_DEPS)
        if subj is None and verb.dep_ == "xcomp":
            subj = _child(head, "nsubjpass")  # "Serbia was forced to withdraw", "is prepared to lift"
        if subj is not None:
            return subj
        if head.dep_ == "relcl":
            return head.head
        return controller(head, seen + 1)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _reduced_relative(verb: Token) -> Token | None:
    """The noun a participle right after it describes, when the parser made the participle a
    clause of its own ("fired at protesters gathered outside": the protesters gathered)."""
    if verb.dep_ != "advcl" or verb.tag_ not in ("VBN", "VBD") or verb.i == 0:
        return None
    if any(c.dep_ in ("mark", "aux", "auxpass", *SUBJECT_DEPS) for c in verb.children):
        return None
    before = verb.doc[verb.i - 1]
    if before.pos_ in ("NOUN", "PROPN") and before.dep_ in ("pobj", "dobj"):
        return before
    return None


def verb_roles(verb: Token, pattern: Pattern) -> Roles:
    sources: list[Token] = []
    targets: list[Token] = []
    rule = "verb"
    passive = is_passive(verb)
    subj = _child(verb, *SUBJECT_DEPS)
    if passive:
        psubj = _child(verb, *PASSIVE_SUBJECT_DEPS)
        if psubj is not None and not _is_pattern_object(psubj, pattern):
            targets.append(psubj)  # "stones were thrown at police": the stones are no target
        elif verb.dep_ == "acl":
            targets.append(_modified(verb.head))
        agent = _child(verb, "agent")
        if agent is not None and (obj := _pobj(agent)) is not None:
            sources.append(obj)
        elif agent is None and pattern.mode in AUTHORITY_MODES and (where := _held_in(verb)) is not None:
            # "was arrested in Egypt", "put under investigation in Peru": only the state of the
            # place arrests or investigates there
            sources.append(where)
        rule = "verb:passive"
    else:
        if subj is not None and subj.pos_ == "VERB" and (inner := _child(subj, "nsubj")) is not None:
            subj = inner  # "the Red Cross operating in Iraq said": a reduced relative parsed as the subject
        if subj is None:
            subj = controller(verb)
            rule = "verb:controlled"
        if subj is not None and subj.lower_ not in ("who", "which", "that"):
            sources.append(subj)
        elif subj is not None:
            sources.append(subj.head.head if subj.head.dep_ == "relcl" else subj)
        obj = _child(verb, "dobj", "dative") or _up_to_object(verb)
        if obj is None:
            # "killed and wounded scores of fighters": joined verbs share the later one's object
            later = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"), None)
            if later is not None and _child(later, *SUBJECT_DEPS) is None:
                obj = _child(later, "dobj")
        if obj is not None and not _is_pattern_object(obj, pattern) and not _own(obj):
            targets.append(obj)
        elif obj is not None and pattern.type in ("COERCE", "ASSAULT") and (owner := _owner(obj)) is not None:
            # "defaced Danish web sites", "burned the homes of Serb villagers": the property's owner
            targets.append(owner)
        elif obj is not None and pattern.objects and obj.lemma_.lower() in OF_PATIENT_NOUNS | {"return"}:
            # "allow the return of U.N. inspectors": the pattern's own object is of someone
            if (inner := _of_object(obj)) is not None:
                targets.append(inner)
    if not targets and pattern.type in ASKING_TYPES:
        # "demanded that the government end curbs": the government is asked
        targets.extend(_asked(verb)[:1])
    # "granted asylum to X": spaCy may label the "to" phrase a dative
    aimed_at = [
        obj
        for child in verb.children
        if child.dep_ in ("prep", "dative") and child.lower_ in pattern.target_preps + pattern.words[1:]
        if (obj := _pobj(child)) is not None
        and obj.ent_type_ not in ("DATE", "TIME")  # "on Sunday" is when, not whom
        and not _is_pattern_object(obj, pattern)
    ]
    if not targets:
        targets.extend(aimed_at[:1])
    if not targets and pattern.objects:
        # "used tear gas to counter protesters", "expressed concern over X"
        for child in verb.children:
            if child.dep_ in ("xcomp", "advcl") and (obj := _child(child, "dobj")) is not None:
                targets.append(obj)
                break
            if child.dep_ in ("dobj",):
                # "launched artillery, mortar and rocket fire against the camps": the aimed
                # phrase may hang on any of the joined objects
                for prep in (p for part in (child, *child.conjuncts) for p in part.children):
                    if prep.dep_ == "prep" and prep.lower_ in pattern.target_preps + ("over", "about"):
                        if (obj := _pobj(prep)) is not None:
                            targets.append(obj)
                            break
    fallback: list[Token] = []
    if targets and pattern.type in ("PROTEST", "REJECT", "SUPPORT", "REQUEST"):
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
        fallback += [t for t in _embedded_objects(verb) if t not in targets and t not in fallback]
    elif not targets and pattern.type in ("ACCUSE", "REJECT", "THREATEN"):
        fallback = _embedded_subjects(verb) + _embedded_objects(verb)
    elif not targets:
        # "agreed to supply Gondor", "urged Bree to help": the embedded action's object
        fallback = _embedded_objects(verb)
    elif not targets and pattern.type in ("COERCE", "ASSAULT", "SANCTION"):
        # "disperse protesters gathered outside": a reduced relative misparsed as a clause
        for child in verb.children:
            if (
                child.dep_ == "ccomp"
                and child.tag_ in ("VBN", "VBD")
                and (subj := _child(child, "nsubj")) is not None
            ):
                targets.append(subj)
                rule += ":clause-object"
                break
    if targets and aimed_at:
        # "fired rockets at the camps": when the object names no one, the phrase aimed at does
        fallback = [t for t in aimed_at if t not in targets] + fallback
    # the pattern's own object ("formed a militia", "declared a state of siege") is never its target
    fallback = [t for t in fallback if not _is_pattern_object(t, pattern)]
    reciprocal = False
    if pattern.reciprocal and sources:
        conj = [c for c in sources[0].conjuncts]
        if conj and not targets:
            targets = conj[:1]
            sources = sources[:1]
            reciprocal = True
        elif targets:
            reciprocal = True
    return Roles(sources, targets, rule, reciprocal, fallback_targets=fallback)


def _held_in(verb: Token) -> Token | None:
    """The named place an agentless action happened in: "in X" on the verb or on its
    "under" phrase ("put under investigation in X")."""
    heads = [verb] + [_pobj(p) for p in verb.children if p.dep_ == "prep" and p.lower_ == "under"]
    for head in heads:
        for prep in head.children if head is not None else ():
            if prep.dep_ == "prep" and prep.lower_ == "in":
                obj = _pobj(prep)
                if obj is not None and obj.ent_type_ == "GPE":
                    return obj
    return None


def _owner(thing: Token) -> Token | None:
    """Whose a thing is: its possessor, a nationality or name before it, or its "of" phrase."""
    for child in thing.children:
        if child.dep_ == "poss":
            return child
    for child in thing.children:
        if child.dep_ in ("amod", "compound") and (child.ent_type_ in ("NORP", "GPE", "ORG")):
            return child
    return _of_object(thing)


def _up_to_object(verb: Token) -> Token | None:
    """ "kidnapped up to 16 advisers": the parser reads "up" as the verb's particle and the
    counted object as the object of "to"."""
    for prt in verb.children:
        if prt.dep_ in ("prt", "prep", "advmod") and prt.lower_ == "up" and prt.i == verb.i + 1:
            for prep in prt.children:
                if prep.lower_ == "to" and (obj := _pobj(prep)) is not None:
                    if any(c.dep_ == "nummod" for c in obj.children):
                        return obj
    return None


def _own(noun: Token) -> bool:
    """ "withdrew its troops from X": what the actor moves or gives of its own is not the target
    ("accused its neighbour" names another actor)."""
    if noun.lemma_.lower() in RELATION_NOUNS:
        return False
    return any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children)


def _modified(noun: Token) -> Token:
    """What a reduced relative is about: the noun it modifies, or, when that noun
    completes an owned noun ("Kosovo's bid for membership, opposed by Serbia"),
    the owned noun, whose owner is the one acted upon."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("for", "of", "to"):
        owner = prep.head
        if owner.pos_ == "NOUN" and any(c.dep_ == "poss" for c in owner.children):
            return owner
    return noun


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
    return any(all(w in words for w in obj.split()) for obj in pattern.objects)


def _asked(verb: Token) -> list[Token]:
    """Subjects of the clauses saying what a verb (or its "on/for" noun) asks for:
    "demanded that X provide", "insisted on its demands that X grant"."""
    heads = [verb] + [
        obj
        for prep in verb.children
        if prep.dep_ == "prep" and prep.lower_ in ("on", "for")
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]
    out = []
    for head in heads:
        for clause in head.children:
            if clause.dep_ not in ("ccomp", "acl") or clause.pos_ not in ("VERB", "AUX"):
                continue
            if (
                not any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
                and clause.tag_ != "VB"
            ):
                continue
            subj = _child(clause, "nsubj")
            if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
                out.append(subj)
    return out


def _embedded_subjects(verb: Token) -> list[Token]:
    """Subjects of the clauses a verb reports, nearest first ("warned that ... Russia working to")."""
    queue = [c for c in verb.children if c.dep_ in ("ccomp", "advcl", "xcomp", "prep")]
    out: list[Token] = []
    seen = 0
    while queue and seen < 40:
        tok = queue.pop(0)
        seen += 1
        subj = _child(tok, "nsubj")
        if subj is not None and subj.pos_ in ("PROPN", "NOUN") and tok.pos_ in ("VERB", "AUX"):
            out.append(subj)
        queue.extend(
            c
            for c in tok.children
            if c.dep_ in ("ccomp", "advcl", "xcomp", "prep", "pcomp", "pobj", "acl", "dobj")
        )
    return out


def _embedded_objects(verb: Token) -> list[Token]:
    """Objects of the actions a verb embeds, nearest first ("threatened to cut ties with Congo")."""
    queue = [
        c
        for c in verb.children
        if c.dep_ in ("xcomp", "ccomp", "dobj", "prep") and c.lower_ not in CIRCUMSTANCE_PREPS
    ]
    out: list[Token] = []
    seen = 0
    while queue and seen < 40:
        tok = queue.pop(0)
        seen += 1
        if tok.dep_ in ("dobj", "pobj", "dative") and tok.pos_ in ("PROPN", "NOUN"):
            out.append(tok)
        # reduced relatives too: "a return to commitments made in an agreement with Belgrade"
        queue.extend(
            c for c in tok.children if c.dep_ in ("xcomp", "ccomp", "dobj", "prep", "pobj", "dative", "acl")
        )
    return out


def noun_roles(noun: Token, pattern: Pattern) -> Roles | None:
    """Roles of a noun trigger, or None when nothing makes the noun an event."""
    sources: list[Token] = []
    targets: list[Token] = []
    rule = "noun"
    split = False
    for child in noun.children:
        if child.dep_ == "poss":
            sources.append(child)
            rule = "noun:possessor"
        elif (
            child.dep_ in ("amod", "compound")
            and child.pos_ in ("PROPN", "ADJ", "NOUN")
            and (child.ent_type_ in ("NORP", "GPE", "ORG") or child.text[:1].isupper())
        ):
            sources.append(child)
            rule = "noun:modifier"
        elif child.dep_ == "prep":
            low = child.lower_
            obj = _pobj(child)
            if obj is None:
                continue
            if low == "by":
                sources.append(obj)
                rule = "noun:by"
            elif low == "between" and pattern.mode == "third-party":
                # "a mediation effort between A and B": both are the mediator's targets
                targets.extend([obj, *obj.conjuncts])
            elif low == "between":
                sources.append(obj)
                others = list(obj.conjuncts)
                if others:
                    targets.append(others[0])
                rule = "noun:between"
                split = True
            elif low in pattern.target_preps and not targets and obj.ent_type_ not in ("DATE", "TIME"):
                targets.append(obj)  # "a suspension on Wednesday": when, not whom
            elif low == "from" and not sources:
                sources.append(obj)
    for acl in noun.children:
        if acl.dep_ != "acl" or acl.tag_ != "VBN":
            continue
        for g in acl.children:
            if g.dep_ == "agent" and (obj := _pobj(g)) is not None and not sources:
                # "a landmine planted by the militia", "gas used by the rebels"
                sources.append(obj)
                rule = "noun:acl-by"
            elif (
                g.dep_ == "prep"
                and g.lower_ in pattern.target_preps
                and acl.lemma_.lower() in AIMING_VERBS
                and (obj := _pobj(g)) is not None
                and not targets
            ):
                targets.append(obj)  # "violence aimed at the minority"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in CARRIER_NOUNS:
        # "carried out a string of airstrikes", "the use of poison gas by the rebels": the
        # event stands where the noun that carries it stands
        carrier = head.head
        for prep in carrier.children:
            if (
                prep.dep_ == "prep"
                and prep.lower_ == "by"
                and (obj := _pobj(prep)) is not None
                and not sources
            ):
                sources.append(obj)
                rule = "noun:by"
        noun, head = carrier, carrier.head
    licensed = bool(sources or targets)
    if not targets:
        # "a suspension of air links with Libya", "the withdrawal of troops from Chad": the
        # thing the event is of points on to whom it concerns (this alone makes no event)
        targets.extend(
            obj
            for of in noun.children
            if of.dep_ == "prep" and of.lower_ == "of" and (thing := _pobj(of)) is not None
            for prep in thing.children
            if prep.dep_ == "prep"
            and prep.lower_ in pattern.target_preps
            and (obj := _pobj(prep)) is not None
        )
        del targets[1:]
    if not targets and noun.lemma_.lower() in OF_PATIENT_NOUNS:
        # "its invasion of South Lebanon", "the release of the hostages": what it is done to
        if (obj := _of_object(noun)) is not None:
            targets.append(obj)
    if noun.dep_ in ("dobj", "nsubjpass") and set(lemma_candidates(head)) & (
        LIGHT_VERBS | set(pattern.words)
    ):
        # "staged a protest", and in the passive "protests were held", "an attack was carried out"
        subj = (
            _child(head, *SUBJECT_DEPS)
            or (
                _pobj(agent)
                if noun.dep_ == "nsubjpass" and (agent := _child(head, "agent")) is not None
                else None
            )
            or controller(head)
        )
        if subj is not None and not sources:
            sources.append(subj)
        for prep in head.children if not targets else ():
            # "launched an attack against X": the target phrase hangs on the light verb
            if prep.dep_ == "prep" and prep.lower_ in pattern.target_preps and (obj := _pobj(prep)):
                targets.append(obj)
                break
        licensed, rule = True, "noun:light-verb"
    elif (noun.dep_ in ("nsubj",) and set(lemma_candidates(head)) & OCCURRENCE_VERBS) or any(
        # "as the march descended into chaos", parsed as a clause on the noun: its subject
        c.dep_ == "acl" and c.tag_ == "VBD" and set(lemma_candidates(c)) & OCCURRENCE_VERBS
        for c in noun.children
    ):
        licensed = licensed or True
        rule = rule if sources or targets else "noun:occurred"
        obj = _child(head, "dobj")
        if obj is not None and not targets:
            targets.append(obj)  # "a blast killed two soldiers": the blast's victims
        between = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "between"), None)
        if between is not None and not sources and (side := _pobj(between)) is not None:
            # "clashes erupted between police and protesters": the sides hang on the verb
            sources.append(side)
            targets[:] = list(side.conjuncts)[:1]
            rule, split = "noun:between", True
    elif (
        noun.dep_ == "pobj"
        and head.lower_ in INSTRUMENT_PREPS
        and head.head.pos_ in ("VERB", "ADJ", "NOUN")
        and set(lemma_candidates(head.head)) & HARM_VERBS
    ):
        # "killed in a grenade attack", "attacked with poison gas": the event that harmed
        licensed = True
        rule = rule if sources or targets else "noun:instrument"
        victim = _child(head.head, "dobj", "nsubjpass")
        if victim is None and head.head.lemma_.lower() in ("die", "perish", "suffer"):
            victim = _child(head.head, "nsubj")
        if victim is not None and not targets:
            targets.append(victim)  # "a villager was injured in a grenade attack": the villager
    elif pattern.stands_alone:
        licensed = True  # a flood or a gas leak is an event whoever it strikes
        rule = rule if sources or targets else "noun:alone"
    if not licensed:
        return None
    reciprocal = pattern.reciprocal and bool(sources) and bool(targets)
    if pattern.reciprocal and sources and not targets and (conj := list(sources[0].conjuncts)):
        # "Syria and Jordan renewed negotiations": each side with the other
        targets, sources, reciprocal = conj[:1], sources[:1], True
    return Roles(sources, targets, rule, reciprocal, split_sides=split)
