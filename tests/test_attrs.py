"""FastAttributeRuler (extract/attrs.py) gives what spaCy's attribute ruler gives, token for
token and event for event, and steps aside for rules it cannot apply exactly."""

from __future__ import annotations

import spacy
from spacy.pipeline import AttributeRuler

from powderkeg import Pipeline, Settings
from powderkeg.extract import nlp as nlp_module
from powderkeg.extract.attrs import FastAttributeRuler, fast_attribute_ruler
from powderkeg.extract.nlp import load_base
from powderkeg.ingest import read_paths
from powderkeg.records import Article

from .conftest import DEMO

SENTENCES = [
    "I'm sure they aren't coming, but we've said it's done and he'd go.",
    "She doesn't know whether the talks will resume, though ministers met on Tuesday.",
    "Nothin' was left after the storm ; the crowd   dispersed.\n\n  Police said so.",
    "Protesters threw stones at police in the capital; two were arrested.",
    "Y'all gotta wanna see it: 'Tis the season, ain't it?",
    "  ",
]


def readings(doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]


def test_the_models_rules_give_the_same_tokens_as_spacys_ruler():
    nlp = load_base(Settings())
    stock = nlp.get_pipe("attribute_ruler")
    assert isinstance(stock, AttributeRuler)
    fast = fast_attribute_ruler(stock)
    assert fast is not None
    texts = SENTENCES + [p.read_text("utf-8") for p in sorted(DEMO.glob("*.txt"))]
    lemmatizer = nlp.get_pipe("lemmatizer")
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(nlp.pipe(texts))
    for doc in docs:
        a, b = doc.copy(), doc.copy()
        assert readings(lemmatizer(stock(a))) == readings(lemmatizer(fast(b)))


def test_its_own_kinds_of_rule_give_the_same_tokens():
    """Rules of every kind it takes (a word, IN, NOT_IN, REGEX, two tokens, a negative index, a
    rule that overrides an earlier one), on sentences of our own."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "police"}]], {"LEMMA": "cop", "POS": "NOUN"})
    ruler.add([[{"LOWER": {"IN": ["stones", "rocks"]}}]], {"LEMMA": "stone"})
    ruler.add([[{"LOWER": {"REGEX": "^arrest"}}]], {"POS": "VERB"})
    ruler.add([[{"LOWER": "in"}, {"LOWER": "the"}]], {"LEMMA": "inside"}, index=-1)
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE", "TAG": "_SP"})
    ruler.add([[{"TAG": {"NOT_IN": ["XX"]}, "LOWER": "police"}]], {"POS": "PROPN"})  # overrides rule 1
    fast = fast_attribute_ruler(ruler)
    assert fast is not None
    for text in SENTENCES:
        a, b = nlp.make_doc(text), nlp.make_doc(text)
        assert readings(ruler(a)) == readings(fast(b))


def test_a_rule_beyond_it_keeps_spacys_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "police", "OP": "+"}]], {"POS": "NOUN"})
    assert fast_attribute_ruler(ruler) is None


def test_the_demo_corpus_codes_the_same_with_spacys_ruler(pipeline, monkeypatch):
    """Every event, id, span, actor and rule of the demo corpus, with either ruler."""
    assert isinstance(pipeline.nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    monkeypatch.setattr(nlp_module, "_fast_attribute_ruler", lambda nlp: None)
    stock = nlp_module.load_nlp(Settings())
    assert isinstance(stock.get_pipe("attribute_ruler"), AttributeRuler)
    coded = [demo_events(nlp) for nlp in (pipeline.nlp, stock)]
    assert coded[0] == coded[1]
    assert sum(len(events) for _, events in coded[0]) > 100


def demo_events(nlp) -> list[tuple[str, list[dict]]]:
    """The demo corpus's events, article by article, as a pipeline on ``nlp`` codes them in
    one process (the ground two spaCy pipelines that should agree are compared on)."""
    articles = [a for a in read_paths([DEMO], Settings()) if isinstance(a, Article)]
    p = Pipeline(Settings(n_process=1, batch_size=8), nlp=nlp)
    return [(a.id, [e.to_dict() for e in events]) for a, events in p.code(articles)]
