"""Is the event said to have happened? asserted | claimed | denied | hypothetical | future.

We walk from the trigger up the dependency tree and read the cues on the way:
negation (a "not", or no one as the subject or object: "no group has claimed"), failure
("failed to agree", "tried to ... but failed", "has yet to": denied), modal and future auxiliaries,
conditionals ("if"), verbs that embed
a possible action (threaten, plan, risk, wait for), nouns of possibility
("the potential to", "an opportunity to invade"), verbs of accusation and
speech (claimed by their subject), and verbs of denial. The strongest cue
wins: denied > hypothetical > future > claimed > asserted.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..knowledge.lexicon import Lexicon
from . import clauses

RANK = {"asserted": 0, "claimed": 1, "future": 2, "hypothetical": 3, "denied": 4}


@dataclass(frozen=True)
class Factuality:
    value: str = "asserted"
    claimed_by: Token | None = None  # the speaker's head token, resolved to an actor later
    cue: Token | None = None

    def stronger(self, other: Factuality) -> Factuality:
        if RANK[other.value] > RANK[self.value]:
            return Factuality(other.value, self.claimed_by or other.claimed_by, other.cue)
        if other.claimed_by is not None and self.claimed_by is None:
            return Factuality(self.value, other.claimed_by, self.cue)
        return self


def _subject(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if tok.dep_ in ("xcomp", "advcl", "conj") and tok.head.i != tok.i:
        return _subject(tok.head)
    return None


def _own_cues(tok: Token, lex: Lexicon) -> Factuality:
    result = Factuality()
    for child in tok.children:
        low = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "det" and low == "no"):
            result = result.stronger(Factuality("denied", cue=child))
        elif child.dep_ == "aux" and child.tag_ == "MD":
            if low in lex.modal_future:
                result = result.stronger(Factuality("future", cue=child))
            elif low == "would":
                result = result.stronger(Factuality("future", cue=child))
            elif low in lex.modal_hypothetical:
                result = result.stronger(Factuality("hypothetical", cue=child))
        elif child.dep_ == "mark" and low in lex.conditional_marks:
            result = result.stronger(Factuality("hypothetical", cue=child))
        elif child.dep_ == "amod" and tok.pos_ in ("NOUN", "PROPN"):
            if low in lex.hypothetical_adjectives and not _realised(tok, lex):
                result = result.stronger(Factuality("hypothetical", cue=child))
            elif low in lex.claimed_adjectives:
                result = result.stronger(Factuality("claimed", cue=child))
        elif child.dep_ == "aux" and low == "going":
            result = result.stronger(Factuality("future", cue=child))
    return result


#: the arguments whose negative quantifier denies the verb's event
_NEGATED_ARGUMENTS = ("nsubj", "nsubjpass", "dobj")
#: pronouns that are a negative quantifier of themselves
_NO_ONE = ("nobody", "none", "nothing", "noone", "no-one")


def _no_one_did(verb: Token) -> Factuality:
    """Denied when the verb's subject or object is no one ("no group has claimed
    responsibility", "no one was arrested", "police arrested nobody"). Read on the trigger
    only: a verb joined to it has a subject of its own ("no one claimed it, and police
    arrested three")."""
    if verb.pos_ not in ("VERB", "AUX"):
        return Factuality()
    for arg in verb.children:
        if arg.dep_ in _NEGATED_ARGUMENTS and (
            arg.lower_ in _NO_ONE or any(c.dep_ == "det" and c.lower_ == "no" for c in arg.children)
        ):
            return Factuality("denied", cue=arg)
    return Factuality()


def _failed(attempt: Token, lex: Lexicon) -> Token | None:
    """The cue that says the attempt ``attempt`` failed, if any: a failure verb joined to it
    with no act of its own ("tried to arrest him but failed", not "but failed to break
    through", whose act is another), or an adverb of failure ("unsuccessfully", "in vain")."""
    for c in attempt.children:
        if c.dep_ == "conj" and c.lemma_.lower() in lex.failure_verbs:
            if not any(g.dep_ in ("xcomp", "ccomp", "dobj") for g in c.children):
                return c
        elif c.dep_ == "advmod" and c.lower_ in lex.failure_adverbs:
            return c
        elif c.dep_ == "prep" and any(g.lower_ in lex.failure_adverbs for g in c.children):
            return c
    return None


def _yet(verb: Token) -> Token | None:
    """The "yet" of "has yet to", "is yet to", if ``verb`` has one."""
    return next((c for c in verb.children if c.dep_ == "advmod" and c.lower_ == "yet"), None)


def _realised(noun: Token, lex: Lexicon) -> bool:
    """A noun event that a verb of doing carries out: what was feared or threatened has come
    ("Israel mounted its long-threatened invasion"); the verb's own factuality still counts."""
    return noun.dep_ == "dobj" and noun.head.lemma_.lower() in lex.realising_verbs


def assess(trigger: Token, lex: Lexicon) -> Factuality:
    """The factuality of the event whose trigger is ``trigger``."""
    result = _own_cues(trigger, lex).stronger(_no_one_did(trigger))
    tok = trigger
    steps = 0
    while tok.head.i != tok.i and steps < 12:
        steps += 1
        dep, head = tok.dep_, tok.head
        lemma = head.lemma_.lower()
        if dep == "acl" and tok.tag_ in ("VBN", "VBG"):
            break  # a reduced relative ("a bid opposed by Serbia") asserts on its own
        if dep == "pcomp" and head.lower_ == "with" and any(c.dep_ == "nsubj" for c in tok.children):
            # "with Kurti suggesting ...": an absolute clause asserts on its own, unless the
            # main clause is a claim ("accused Serbia of ..., with Serbian forces establishing
            # bases"): then it is part of what the claimant says
            main = head.head
            if (
                head.dep_ == "prep"
                and main.pos_ in ("VERB", "AUX")
                and main.lemma_.lower() in lex.claim_verbs
            ):
                result = result.stronger(Factuality("claimed", _subject(main), main))
            break
        if dep in ("conj", "cc", "appos"):
            tok = head
            continue
        if head.pos_ in ("VERB", "AUX"):
            embedded = dep in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "advcl", "dobj", "acomp")
            if dep == "xcomp" and lemma in lex.failure_verbs:
                # "failed to reach an agreement": the attempt did not come about
                result = result.stronger(Factuality("denied", cue=head))
            elif dep == "xcomp" and lemma in lex.attempt_verbs and (cue := _failed(head, lex)) is not None:
                # "tried to arrest him but failed", "tried unsuccessfully to storm the prison"
                result = result.stronger(Factuality("denied", cue=cue))
            elif dep == "xcomp" and lemma in ("have", "be") and (cue := _yet(head)) is not None:
                # "has yet to claim responsibility", "are yet to reach a deal": not so far
                result = result.stronger(Factuality("denied", cue=cue))
            elif embedded and lemma in lex.deny_verbs and dep != "advcl":
                result = result.stronger(Factuality("denied", _subject(head), head))
            elif embedded and lemma in lex.claim_verbs and dep != "advcl":
                result = result.stronger(Factuality("claimed", _subject(head), head))
            elif dep == "ccomp" and lemma in lex.speech_verbs:
                result = result.stronger(Factuality("claimed", _subject(head), head))
            elif dep in ("xcomp", "prep", "pcomp", "pobj") and lemma in lex.hypothetical_verbs:
                result = result.stronger(Factuality("hypothetical", cue=head))
            elif dep == "ccomp" and lemma in lex.desire_verbs:
                result = result.stronger(Factuality("hypothetical", cue=head))  # "wanted the army to attack"
            elif dep in ("xcomp", "prep", "pcomp") and lemma in lex.future_verbs:
                result = result.stronger(Factuality("future", cue=head))
            if (
                dep in ("xcomp", "ccomp", "conj")
                or (dep == "dobj" and tok.pos_ == "NOUN")
                or (dep == "advcl" and consequence(tok, head))
            ):
                # "Russia may launch an offensive": the event a verb carries out is as sure as it
                inherited = _own_cues(head, lex)
                result = result.stronger(inherited)
        elif head.pos_ in ("NOUN", "PROPN"):
            if dep in ("acl", "prep", "pobj", "relcl") and lemma in lex.potential_nouns:
                result = result.stronger(Factuality("hypothetical", cue=head))
            elif dep in ("acl", "prep", "pobj") and lemma in lex.future_nouns:
                result = result.stronger(Factuality("future", cue=head))
        elif head.pos_ == "ADJ" and dep == "xcomp" and head.lower_ in lex.ready_adjectives:
            result = result.stronger(Factuality("future", cue=head))  # "is ready to lift the ban"
        elif head.pos_ == "ADJ" and dep in ("xcomp", "ccomp") and head.lower_ in lex.desire_adjectives:
            result = result.stronger(Factuality("hypothetical", cue=head))  # "is keen to arrest them"
        elif head.pos_ == "ADP" and head.lower_ in ("according",):
            result = result.stronger(Factuality("claimed", cue=head))
        if dep == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in lex.conditional_marks for c in tok.children
        ):
            result = result.stronger(Factuality("hypothetical", cue=tok))
        if dep in ("xcomp", "advcl", "acl") and _demanded_by_deadline(tok, head, lex):
            # "gave the rebels 48 hours to withdraw", "an ultimatum to leave": demanded, not done
            result = result.stronger(Factuality("hypothetical", cue=head))
        if dep == "relcl" and (det := _nonspecific(head, lex)) is not None:
            # "will refuse any deal that recognises Kosovo": no such deal is said to exist
            result = result.stronger(Factuality("hypothetical", cue=det))
        if dep in ("ROOT", "relcl", "parataxis") or (
            dep == "advcl" and head.pos_ == "VERB" and not consequence(tok, head)
        ):
            break
        tok = head
    return result


def consequence(clause: Token, head: Token) -> bool:
    """Whether the adverbial clause ``clause`` is a participle of what ``head`` did, after it and
    with no word of its own to join it ("police opened fire, killing three"): it is as sure as
    ``head`` is, and said by whoever says that ("witnesses said police opened fire, killing
    three"). A clause joined by "after", "while", "if" ... asserts on its own."""
    return (
        clause.tag_ == "VBG"
        and clause.i > head.i
        and not any(c.dep_ in ("mark", "nsubj", "nsubjpass", "aux") for c in clause.children)
    )


def _demanded_by_deadline(clause: Token, head: Token, lex: Lexicon) -> bool:
    """Whether the "to" clause ``clause`` says what ``head`` gives the time of an ultimatum
    for, so its act is demanded, not done: a verb with such an object ("gave Kosovo 48 hours
    to", the time counted when parsed as a measure; not "this week"), or the noun itself
    ("an ultimatum to withdraw", "a deadline to leave")."""
    if not clauses.infinitive(clause):
        return False
    if head.pos_ in ("NOUN", "PROPN"):
        return head.lemma_.lower() in lex.deadline_nouns
    return head.pos_ == "VERB" and any(
        c.lemma_.lower() in lex.deadline_nouns
        and (c.dep_ == "dobj" or (c.dep_ == "npadvmod" and any(g.dep_ == "nummod" for g in c.children)))
        for c in head.children
    )


def _nonspecific(noun: Token, lex: Lexicon) -> Token | None:
    """The determiner that makes ``noun`` no particular one ("any deal", "no government")."""
    return next(
        (c for c in noun.children if c.dep_ == "det" and c.lower_ in lex.nonspecific_determiners), None
    )


def refusal(trigger: Token, lex: Lexicon) -> Token | None:
    """The cue that makes a cooperative action a refusal, if any: its own negation
    ("will not lift the ban") or a verb of refusal that embeds it ("declined to
    resign"). CAMEO codes both as REJECT, not as a denied concession. A verb of attainment
    not done is no refusal ("could not reach a deal": the deal was not reached, its negation
    denies it)."""
    for child in trigger.children:
        if (
            child.dep_ == "neg"
            and trigger.pos_ in ("VERB", "AUX")
            and trigger.lemma_.lower() not in lex.attainment_verbs
        ):
            return child
    head = trigger.head
    if trigger.dep_ == "xcomp" and head.lemma_.lower() in lex.refuse_verbs:
        return head
    return None


def weighing(trigger: Token, lex: Lexicon) -> Token | None:
    """The verb that weighs the trigger's act as an option, if any (``lex.weighing_verbs``):
    the act as a complement ("is considering imposing sanctions", "weighing whether to send
    troops", "thinking about sending troops"), as a plain object or passive subject of a verb
    that weighs acts ("mulling sanctions", "air strikes are being considered"), or as an
    option weighed ("studying options to expel the envoy", "weighing the possibility of an
    embargo"), or as the weighing verb's own object where a pattern reads the act off it
    ("is considering military action": the CAMEO dictionary's "consider [military]", coded as
    a threat there; here as every other weighed act, so one meaning gets one coding). CAMEO
    codes the weighing (014, a statement); the act weighed is not asserted."""
    if (
        trigger.pos_ == "VERB"
        and trigger.lemma_.lower() in lex.weighing_object_verbs
        and clauses.child(trigger, "dobj") is not None
    ):
        return trigger
    if trigger.head.i == trigger.i:
        return None
    if trigger.pos_ in ("VERB", "AUX") and trigger.dep_ in ("xcomp", "ccomp", "pcomp"):
        if (verb := _weigher(trigger, lex)) is not None:
            return verb
    head = trigger.head
    if (
        trigger.pos_ in ("NOUN", "PROPN")
        and trigger.dep_ in ("dobj", "nsubjpass")
        and head.pos_ == "VERB"
        and head.lemma_.lower() in lex.weighing_object_verbs
    ):
        return head
    # the option: the noun a "to" clause or an "of" phrase hangs on ("options to expel", "the
    # possibility of imposing"), or the weighing verb's object a purpose clause follows
    # ("studying options to expel", the clause parsed as the verb's)
    if trigger.dep_ == "acl":
        option = head
    elif trigger.dep_ in ("pobj", "pcomp") and head.lower_ == "of":
        option = head.head
    elif trigger.dep_ == "advcl" and _weighs(head, lex):
        found = clauses.child(head, "dobj")
        option = head if found is None else found
    else:
        return None
    if option.lemma_.lower() not in lex.option_nouns or option.dep_ not in ("dobj", "nsubjpass", "pobj"):
        return None
    return _weigher(option, lex)


def _weigher(tok: Token, lex: Lexicon) -> Token | None:
    """The weighing verb ``tok`` (a clause, an option) is the complement of: its head, or the
    head of its preposition ("thinking about sending", "looking at options")."""
    head = tok.head
    if _weighs(head, lex) and tok.dep_ != "pobj":
        return head
    if tok.dep_ in ("pobj", "pcomp") and head.pos_ == "ADP" and head.head.pos_ == "VERB":
        verb = head.head
        if f"{verb.lemma_.lower()} {head.lower_}" in lex.weighing_verbs:
            return verb
    return None


def _weighs(verb: Token, lex: Lexicon) -> bool:
    return verb.pos_ == "VERB" and verb.lemma_.lower() in lex.weighing_verbs


def is_ready(tok: Token, lex: Lexicon) -> bool:
    """ "is ready to", "was prepared to", "are willing to": an actor announcing what it will do."""
    low = tok.lower_
    if low == "prepared":  # "is prepared to", not "prepared to attack"
        return tok.head.lemma_ == "be" or any(c.lemma_ == "be" for c in tok.children)
    return low in lex.ready_adjectives


@dataclass(frozen=True)
class Announcement:
    """An actor's own action, announced: "will", "would", "is ready to", or held out on a condition."""

    held_out: str  # the condition's mark ("if", "unless"), or ""
    ready: bool  # "is ready to", "is willing to"


def announcement(trigger: Token, factuality: Factuality, lex: Lexicon) -> Announcement | None:
    """Whether the trigger's action is announced by its own actor, and how; None when it is not."""
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
    ready = trigger.dep_ == "xcomp" and is_ready(trigger.head, lex)
    announced = (
        (factuality.value == "future" and own)
        or (condition and own and cue is not None and cue.lower_ in lex.conditional_modals)
        or ready
    )
    return Announcement(condition, ready) if announced else None
