"""ArrayLemmatizer (extract/lemmatize.py) gives the lemmas spaCy's rule lemmatizer gives, token
for token and event for event, and steps aside for another mode."""

from __future__ import annotations

import spacy
from spacy.pipeline import Lemmatizer

from powderkeg import Settings
from powderkeg.extract import nlp as nlp_module
from powderkeg.extract.lemmatize import ArrayLemmatizer, array_lemmatizer
from powderkeg.extract.nlp import load_base

from .conftest import DEMO
from .test_attrs import SENTENCES, demo_events, readings


def test_the_models_lemmatizer_gives_the_same_lemmas_through_arrays():
    """On sentences of our own and the demo corpus, each Doc lemmatized by a fresh stock
    component and by the array one over another (so neither answers from the other's cache);
    a lemma the attribute ruler set is kept by both."""
    texts = SENTENCES + [p.read_text("utf-8") for p in sorted(DEMO.glob("*.txt"))]
    stock_nlp, array_nlp = load_base(Settings()), load_base(Settings())
    stock = stock_nlp.get_pipe("lemmatizer")
    fast = array_lemmatizer(array_nlp.get_pipe("lemmatizer"))
    assert isinstance(stock, Lemmatizer) and isinstance(fast, ArrayLemmatizer)
    with stock_nlp.select_pipes(disable=["lemmatizer", "ner"]):
        docs = list(stock_nlp.pipe(texts))
    assert any(t.lemma for doc in docs for t in doc), "the attribute ruler sets some lemmas"
    for doc in docs:
        a, b = doc.copy(), doc.copy()
        assert readings(stock(a)) == readings(fast(b))


def test_the_base_forms_it_keeps_give_the_lemmas_spacy_gives():
    """Words already in their base form, which spaCy's cache leaves out, are answered from the
    array lemmatizer's own (``_more``) the second time: the same lemmas as the stock component's."""
    texts = SENTENCES + [p.read_text("utf-8") for p in sorted(DEMO.glob("*.txt"))]
    stock_nlp, array_nlp = load_base(Settings()), load_base(Settings())
    stock = stock_nlp.get_pipe("lemmatizer")
    fast = array_lemmatizer(array_nlp.get_pipe("lemmatizer"))
    assert isinstance(fast, ArrayLemmatizer)
    with stock_nlp.select_pipes(disable=["lemmatizer", "ner"]):
        docs = list(stock_nlp.pipe(texts))
    for doc in docs:
        fast(doc.copy())  # the first time fills ``_more``
    assert fast._more, "some words are in their base form"
    for doc in docs:
        assert readings(stock(doc.copy())) == readings(fast(doc.copy()))


def test_another_mode_keeps_spacys_lemmatizer():
    nlp = spacy.blank("en")
    lookup = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert array_lemmatizer(lookup) is None


def test_the_demo_corpus_codes_the_same_with_spacys_lemmatizer(pipeline, monkeypatch):
    """Every event, id, span, actor and rule of the demo corpus, with either lemmatizer."""
    assert isinstance(pipeline.nlp.get_pipe("lemmatizer"), ArrayLemmatizer)
    monkeypatch.setattr(nlp_module, "_array_lemmatizer", lambda nlp: None)
    stock = nlp_module.load_nlp(Settings())
    assert not isinstance(stock.get_pipe("lemmatizer"), ArrayLemmatizer)
    coded = [demo_events(nlp) for nlp in (pipeline.nlp, stock)]
    assert coded[0] == coded[1]
    assert sum(len(events) for _, events in coded[0]) > 100
