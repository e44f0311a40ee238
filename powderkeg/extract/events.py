"""The one place where a parsed Doc becomes Event records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc, Token

from ..geocode.doctext import doc_text
from ..knowledge import ontology
from ..records import Article, Event, stable_id
from .captions import caption_marks, caption_of
from .coded import Coded


def doc_to_events(doc: Doc, article: Article) -> Iterator[Event]:
    seen: set[str] = set()
    # photo captions and credit lines (captions.py): their events keep the mark as evidence
    marks = caption_marks(doc_text(doc)) if doc._.events else []
    for coded in doc._.events or []:
        event = to_event(coded, article)
        mark = caption_of(marks, event.sentence_start) if marks else None
        if mark is not None:
            event.spans["caption"] = mark
        if event.id not in seen:
            seen.add(event.id)
            yield event


def to_event(c: Coded, article: Article) -> Event:
    p = c.pattern
    coding = ontology.code(
        p.type, p.mode, tuple(a.sector for a in c.sources), tuple(a.sector for a in c.targets)
    )
    if p.cameo_code:
        # an imported pattern's own, finer CAMEO code
        coding = replace(coding, cameo=p.cameo_code, quad_class=ontology.quad_class(p.cameo_code))
    trigger = c.trigger
    spans: dict[str, tuple[int, int]] = {"trigger": (trigger.idx, trigger.idx + len(trigger))}
    for role, actors in (("source", c.sources), ("target", c.targets)):
        for n, actor in enumerate(actors):
            if actor.span:
                spans[role if n == 0 else f"{role}.{n}"] = actor.span
    if c.place is not None and c.place.span:
        spans["place"] = c.place.span
    if c.date_span:
        spans["date"] = c.date_span
    for name, span in c.number_spans.items():
        spans[f"numbers.{name}"] = span
    if c.factuality.cue is not None:
        cue = c.factuality.cue
        spans["factuality"] = (cue.idx, cue.idx + len(cue))
    if c.claimed_by is not None and c.claimed_by.span:
        spans["claimed_by"] = c.claimed_by.span
    event_id = stable_id(
        article.id,
        trigger.idx,
        p.type,
        p.mode,
        "+".join(sorted(a.key for a in c.sources)),
        "+".join(sorted(a.key for a in c.targets)),
    )
    claimed = ""
    if c.claimed_by is not None:
        claimed = c.claimed_by.name or c.claimed_by.text
    return Event(
        id=event_id,
        article_id=article.id,
        type=p.type,
        mode=p.mode,
        cameo=coding.cameo,
        quad_class=coding.quad_class,
        score=coding.score,
        acled_type=coding.acled_type,
        source=tuple(c.sources),
        target=tuple(c.targets),
        place=c.place,
        date=c.date,
        date_precision=c.date_precision,
        numbers=c.numbers,
        factuality=c.factuality.value,
        claimed_by=claimed,
        sentence=c.sentence.text.strip(),
        sentence_start=c.sentence.start_char,
        spans=spans,
        rule=c.rule,
        confidence=c.confidence,
        sentence_index=c.sentence_index,
        # "staged a sit-in", "air strikes hit the town": the event noun of a light verb, or
        # the subject of a verb it made no event of its own, is the verb's event, at its depth
        depth=_depth(trigger.head if _rides_on_verb(c) else trigger),
    )


def _rides_on_verb(c: Coded) -> bool:
    t = c.trigger
    return "|noun:light-verb" in c.rule or (
        c.pattern.pos == "NOUN" and t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ == "VERB"
    )


def _depth(tok: Token) -> int:
    steps = 0
    # spaCy builds a new Token on each access: compare positions, not objects
    while tok.head.i != tok.i and steps < 50:
        tok, steps = tok.head, steps + 1
    return steps
