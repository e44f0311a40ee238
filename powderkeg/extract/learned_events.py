"""How the coder uses the event-type model (``doc._.eventtype``, set by ``pk_eventtype``).

1. **Fill.** A sentence where the rules code no event at all, and which the
   model types as an event with probability at least ``FILL`` (the type's,
   its modes summed; and above the probability of no event), gets one: the
   model gives the type and its most probable mode, the
   rules the rest. The trigger is the token whose features pushed most towards
   that label (``Typed.evidence``: a verb, or a noun that is not a subject; the
   sentence's root when no token did), and it is coded like any trigger (roles, actors, factuality,
   numbers, date, place), with the target prepositions and reciprocity of the
   built-in patterns of that type and mode. Such an event may have no actor.
   Its ``rule`` starts with ``model:eventtype@1`` (then type, trigger and the
   role rule) and its ``confidence`` is the model's probability.
2. **Rank.** Where the rules code events of different types in one sentence,
   each event's confidence becomes the mean of the rule's confidence and the
   model's probability of its type (and mode), and ``+model:eventtype@1``
   is appended to its rule; ``extract/primary.py`` uses confidence after
   the clause depth.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from ..knowledge.patterns import Pattern, Patterns
from ..learned.component import Typed
from ..learned.labels import NONE, split
from ..learned.model import MODEL_RULE

#: the least probability of an event type for the model to add an event where the rules found none
#: (look halves: 0.3 and 0.45 within 0.01 of each other on every set; the higher adds fewer junk events)
FILL = 0.45
RANK = True

CodeTrigger = Callable[[Token, Pattern], list]


def model_pattern(label: str, trigger: Token, patterns: Patterns, default_preps: tuple[str, ...]) -> Pattern:
    """A one-off pattern for the model's label at ``trigger``, borrowing target
    prepositions and reciprocity from a built-in pattern of the same type and mode."""
    type_, mode = split(label)
    like = next((p for p in patterns if p.type == type_ and p.mode == mode and p.origin == "builtin"), None)
    lemma = trigger.lemma_.lower() or trigger.lower_
    return Pattern(
        type=type_,
        mode=mode,
        lemma=lemma,
        words=(lemma,),
        objects=(),
        pos="VERB" if trigger.pos_ in ("VERB", "AUX") else "NOUN",
        target_preps=like.target_preps if like is not None else default_preps,
        reciprocal=like.reciprocal if like is not None else False,
        origin=MODEL_RULE,
        needs_target=False,
        needs_actor=False,
        stands_alone=True,
    )


def typed_of(sent: Span) -> Typed | None:
    found = sent.doc._.eventtype
    return found.get(sent.start) if found else None


def apply(
    sent: Span, coded: list, patterns: Patterns, default_preps: tuple[str, ...], code_trigger: CodeTrigger
) -> list:
    """The sentence's coded events, with the model's (see the module docstring)."""
    typed = typed_of(sent)
    if typed is None:
        return coded
    if not coded:
        return fill(sent, typed, patterns, default_preps, code_trigger)
    if RANK and len({(c.pattern.type, c.pattern.mode) for c in coded}) > 1:
        for c in coded:
            p = typed.prob(c.pattern.type, c.pattern.mode)
            c.confidence = round((c.confidence + p) / 2, 2)
            c.rule = f"{c.rule}+{MODEL_RULE}"
    return coded


def fill(
    sent: Span, typed: Typed, patterns: Patterns, default_preps: tuple[str, ...], code_trigger: CodeTrigger
) -> list:
    label, p = typed.best_type
    if label == NONE or p < FILL or p <= typed.none:
        return []
    trigger = typed.evidence(sent, label)
    out = code_trigger(trigger, model_pattern(label, trigger, patterns, default_preps))
    for c in out:
        c.confidence = round(p, 2)
    return out


__all__ = ["FILL", "apply", "model_pattern"]
