"""The actor resolver reads what a phrase's own words say once per head and keeps it for the
article (``ActorResolver._phrase_of``, ``_own_reading``), while the actor memory is read and
written on every call. Resolving the same heads again, with the memory grown in between,
must give exactly what reading every phrase afresh gives."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Doc, Token

from powderkeg.extract.actor_resolver import ActorResolver, _Reading
from powderkeg.extract.components import knowledge
from powderkeg.geocode.gazetteer import gazetteer_at
from powderkeg.records import Actor

#: names, descriptions, short names and pronouns whose reading depends on what came before
TEXT = (
    "President Alma Reyes of Chile met Argentine officials in Santiago on Monday. "
    "She said the government would send more troops to the border.\n"
    "Reyes later told the officials that they must withdraw their soldiers. "
    "The president and the ministers left, and she thanked the alliance and its neighbour.\n"
    "Protesters in Valparaiso accused the police of beating them; the protesters said they would march again.\n"
    "Argentine ministers rejected the demand."  # read again, "the government" is now Argentina's
)


class _Uncached(ActorResolver):
    """The resolver as it was before the per-head reading was kept: each call reads afresh."""

    def _phrase_of(self, head: Token) -> list[Token] | None:
        return self._read_phrase_of(head)

    def _own_reading(self, head: Token, tokens: list[Token]) -> _Reading | None:
        entries = self._entries(tokens)
        return None if not entries and self._bare_thing(head) else self._read_phrase(head, tokens, entries)


def _heads(doc: Doc) -> list[Token]:
    """Every noun, name and pronoun: each subject is resolved before it is read as a role."""
    return [t for t in doc if t.pos_ in ("NOUN", "PROPN", "PRON")]


def _resolve_all(resolver: ActorResolver, order: list[Token]) -> list[Actor | None]:
    return [resolver.resolve(tok) for tok in order]


@pytest.fixture(scope="module")
def doc(pipeline) -> Doc:
    with pipeline.nlp.select_pipes(disable=["pk_events"]):
        parsed = pipeline.nlp(TEXT)
    parsed._.published = dt.date(2024, 5, 2)
    return parsed


@pytest.mark.parametrize("passes", [("forward", "forward"), ("forward", "backward"), ("backward", "forward")])
def test_resolving_heads_again_gives_what_reading_them_afresh_gives(doc, passes):
    heads = _heads(doc)
    order = [tok for p in passes for tok in (heads if p == "forward" else heads[::-1])]
    args = (doc, knowledge(""), doc._.published, gazetteer_at(""))
    cached, fresh = ActorResolver(*args), _Uncached(*args)
    assert _resolve_all(cached, order) == _resolve_all(fresh, order)
    # the memory grew the same way: the same actors in the same order, the same people and orgs
    assert cached.memory == fresh.memory
    assert len(cached._readings) < len(order)  # the second pass read the kept readings


def test_a_kept_reading_stays_what_the_words_say_whatever_the_memory_fills_in(doc):
    args = (doc, knowledge(""), doc._.published, gazetteer_at(""))
    resolver, fresh = ActorResolver(*args), _Uncached(*args)
    for tok in _heads(doc) * 2:
        resolver.resolve(tok)
    for tok in _heads(doc):
        if tok.i in resolver._readings:
            tokens = fresh._phrase_of(tok)
            assert tokens is not None
            assert resolver._readings[tok.i] == fresh._own_reading(tok, tokens)
