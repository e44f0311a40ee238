"""An event as the coder found it, still tied to the parse (``doc._.events``).

``extract.events`` turns each into an ``Event`` record; the rules over a
text's events taken together (``text_rules``) rewrite them before that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ..knowledge.patterns import Pattern
from ..records import Actor, Numbers, Place
from .factuality import Factuality


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
    date: dt.date | None
    date_precision: str
    date_span: tuple[int, int] | None
    place: Place | None
    rule: str
    confidence: float
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: the refinements that rewrote or kept its reading (refinements.toml names)
    refinements: tuple[str, ...] = ()
    #: read from an actor's own future action as its promise or threat ("will attack": THREATEN)
    announced: bool = False


@dataclass(frozen=True)
class Dropped:
    """A reading the coder did not keep, and why (``doc._.dropped``)."""

    trigger: int  # the trigger's token index
    pattern: str  # the pattern's name
    reason: str  # a refinement's name, or no-roles | no-actor | no-target | event-noun-subject
