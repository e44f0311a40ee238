"""``pk_eventtype``: the event-type model as a spaCy component.

It runs after the parser and lemmatizer (it reads lemmas, dependencies and
``doc.tensor``) and sets ``doc._.eventtype``: for each sentence (keyed by
its first token's index) a ``Typed`` with the probability of every label and
the features it was read from, so the coder can ask which token carried the
decision. The model is the ``model`` attribute; cross-fitting in evaluation
swaps it (``use_model``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .features import Features, doc_rows, sentence_features
from .labels import NONE, split
from .model import EventTypeModel, load_model

if not Doc.has_extension("eventtype"):
    Doc.set_extension("eventtype", default=None)
if not Doc.has_extension("skipped"):  # sentences left unparsed (extract/prepass.py)
    Doc.set_extension("skipped", default=None)


@dataclass(frozen=True)
class Typed:
    """The model's reading of one sentence."""

    labels: tuple[str, ...]
    probs: np.ndarray
    features: Features
    model: EventTypeModel

    @property
    def best_event(self) -> tuple[str, float]:
        """The most probable label other than no event, and its probability."""
        order = np.argsort(-self.probs, kind="stable")
        for i in order:
            if self.labels[i] != NONE:
                return self.labels[i], float(self.probs[i])
        return NONE, 0.0

    @property
    def best_type(self) -> tuple[str, float]:
        """The most probable event type (its modes summed), as its most probable label, and
        the type's probability."""
        types = _event_types(self.labels)
        probs: list[float] = self.probs.tolist()  # as float() reads each
        totals: dict[str, float] = {}
        for t, p in zip(types, probs, strict=True):
            if t is not None:
                totals[t] = totals.get(t, 0.0) + p
        if not totals:
            return NONE, 0.0
        type_ = max(totals, key=lambda t: (totals[t], t))
        best = max((i for i, t in enumerate(types) if t == type_), key=probs.__getitem__)
        return self.labels[best], totals[type_]

    @property
    def none(self) -> float:
        return float(self.probs[self.labels.index(NONE)]) if NONE in self.labels else 0.0

    def prob(self, type_: str, mode: str = "") -> float:
        """The probability of a type (and mode): a mode the model has no label for counts
        as its type's own label; a type alone sums all its modes."""
        if mode:
            name = f"{type_}/{mode}"
            if name in self.labels:
                return float(self.probs[self.labels.index(name)])
            return float(self.probs[self.labels.index(type_)]) if type_ in self.labels else 0.0
        return float(sum(p for n, p in zip(self.labels, self.probs, strict=True) if split(n)[0] == type_))

    def evidence(self, sent: Span, label: str) -> Token:
        """The token that pushed most towards ``label``: a verb, or a noun that is not a
        subject (who acts is no act), if any did; a verb is preferred to a noun that
        pushed less than twice as hard. Else the sentence's root."""
        scores = self.model.token_scores(self.features, label, len(sent))
        verb = noun = None
        for i in np.argsort(-scores, kind="stable"):
            tok = sent[int(i)]
            if scores[i] <= 0:
                break
            if tok.pos_ == "VERB" and verb is None:
                verb = (tok, float(scores[i]))
            elif tok.pos_ == "NOUN" and noun is None and tok.dep_ not in ("nsubj", "nsubjpass"):
                noun = (tok, float(scores[i]))
        if verb is not None and (noun is None or 2 * verb[1] >= noun[1]):
            return verb[0]
        if noun is not None:
            return noun[0]
        return sent.root


@functools.lru_cache(maxsize=64)
def _event_types(labels: tuple[str, ...]) -> tuple[str | None, ...]:
    """The event type of each label, None for no event (read once per label set)."""
    return tuple(None if name == NONE else split(name)[0] for name in labels)


class EventTyper:
    def __init__(self, model: EventTypeModel | None) -> None:
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        model = self.model
        if model is None:
            doc._.eventtype = None
            return doc
        out = {}
        skipped = doc._.skipped or ()
        rows = doc_rows(doc)  # read once for all the sentences
        for sent in doc.sents:
            if sent.start in skipped:
                continue
            features = sentence_features(sent, model.width, rows)
            out[sent.start] = Typed(model.labels, model.predict(features), features, model)
        doc._.eventtype = out
        return doc


@Language.factory(
    "pk_eventtype",
    requires=["token.lemma", "token.dep", "token.pos"],
    assigns=["doc._.eventtype"],
    default_config={"model": "eventtype@1"},
)
def make_eventtype(nlp: Language, name: str, model: str) -> EventTyper:
    return EventTyper(load_model(model))


@contextmanager
def use_model(nlp: Language, model: EventTypeModel | None) -> Iterator[None]:
    """Run ``nlp`` with another event-type model for a while (cross-fitting)."""
    typer = nlp.get_pipe("pk_eventtype") if "pk_eventtype" in nlp.pipe_names else None
    if not isinstance(typer, EventTyper):
        yield
        return
    before = typer.model
    typer.model = model
    try:
        yield
    finally:
        typer.model = before
