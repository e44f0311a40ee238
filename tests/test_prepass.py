"""The cheap pass (extract/prepass.py): which sentences get the tagger, parser and NER, and
that leaving the others unparsed changes no event."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from powderkeg import Pipeline, Settings
from powderkeg.extract.prepass import event_model, gate_for, pipe_kept, segments
from powderkeg.ingest import read_paths
from powderkeg.records import Article

from .conftest import DEMO


@pytest.fixture(scope="module")
def gate(pipeline):
    return gate_for(pipeline.nlp)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Rebels attacked an army post near the border on Monday.", True),  # a hand-written trigger
        ("Troops fought insurgents in the hills.", True),  # an irregular form: the lemmatizer's exceptions
        ("the police arrested four men after the clash.", True),  # lower case, as police records are
        ("police lathicharged the crowd near the market.", True),
        ("The minister said Serbia must withdraw its troops.", True),
        ("The weather in the capital was mild and sunny.", False),  # descriptive: nothing can happen
        ("The bridge is 300 metres long and was built in 1970.", False),
        ("The river runs through the old town.", False),
    ],
)
def test_gate(pipeline, gate, text, kept):
    doc = pipeline.nlp.make_doc(text)
    assert gate.keep(doc, event_model(pipeline.nlp)) is kept, gate.reasons(doc, event_model(pipeline.nlp))


def test_the_learned_vocabulary_keeps_what_no_pattern_names(pipeline, gate):
    """A sentence the patterns cannot code is kept when the event-type model's words say event."""
    doc = pipeline.nlp.make_doc("The soldiers suffered burns from improvised explosive devices.")
    model = event_model(pipeline.nlp)
    assert not any(r.startswith("trigger") for r in gate.reasons(doc, model))
    assert gate.keep(doc, model)
    assert not gate.keep(doc, None)  # without the model, nothing keeps it


def test_segments_follow_full_stops_and_line_breaks(pipeline):
    doc = pipeline.nlp.make_doc(
        'He left. "We stay," she said.\nA heading\nThe U.S. envoy came. police chief k.p.s. gill spoke.'
    )
    assert [doc[a:b].text.strip() for a, b in segments(doc)] == [
        "He left.",
        '"We stay," she said.',
        "A heading",
        "The U.S. envoy came.",
        "police chief k.p.s. gill spoke.",  # "k.p.s" "." : an abbreviation, not a sentence's end
    ]


def test_a_pronoun_keeps_what_its_paragraph_said_since_the_last_kept_sentence(pipeline, gate):
    """ "She" is read from the paragraph's latest parsed names: the sentences between it and
    the kept sentence before it are parsed too, even without a trigger."""
    doc = pipeline.nlp.make_doc(
        "The weather was mild.\n"
        "The envoy Maria Lopez is a former judge. Rebels attacked the town. "
        "The river runs through the town. The town has a school. She condemned the attack."
    )
    segs = segments(doc)
    keep = [gate.keep(doc[a:b]) for a, b in segs]
    assert keep == [False, False, True, False, False, True]
    assert gate.with_context(doc, segs, keep) == [False, False, True, True, True, True]
    # the gap ends at a line break too
    doc = pipeline.nlp.make_doc("The envoy Maria Lopez is a former judge.\nShe condemned the attack.")
    segs = segments(doc)
    assert gate.with_context(doc, segs, [gate.keep(doc[a:b]) for a, b in segs]) == [False, True]


TEXT = (
    "The weather in the capital was mild and sunny. Rebels attacked an army post near Goma on Monday, "
    "the army said. The river runs through the old town.\n\n"
    "The bridge is 300 metres long and was built in 1970. Police arrested four men after the clash."
)


def test_skipped_sentences_keep_the_articles_offsets(pipeline):
    nlp = pipeline.nlp
    article = Article(id="t", text=TEXT)
    doc, _ = next(pipe_kept(nlp, [(nlp.make_doc(TEXT), article)], 8))
    assert doc.text == TEXT
    skipped = sorted(doc[i].sent.text.strip() for i in doc._.skipped)
    assert skipped == [
        "The bridge is 300 metres long and was built in 1970.",
        "The river runs through the old town.",
        "The weather in the capital was mild and sunny.",
    ]
    for event in doc._.events:
        assert event.trigger.text in ("attacked", "arrested")
        assert TEXT[event.trigger.idx : event.trigger.idx + len(event.trigger)] == event.trigger.text


def test_the_joined_doc_keeps_what_the_reader_said_of_the_article(pipeline):
    """The Doc rebuilt from parsed and skipped pieces carries the article's date and whether its
    text is lower-cased (read before truecasing): the resolver and the coder read both."""
    nlp = pipeline.nlp
    text = TEXT.lower()
    doc = nlp.make_doc(text)
    doc._.lower_cased, doc._.published = True, date(2024, 5, 4)
    whole, _ = next(pipe_kept(nlp, [(doc, Article(id="t", text=text))], 8))
    assert whole._.skipped, "the weather and the bridge are no events"
    assert (whole._.lower_cased, whole._.published) == (True, date(2024, 5, 4))


def test_the_skip_changes_no_event_of_the_demo_corpus(pipeline):
    """Every event, id, span and rule of the demo corpus is the same with the skip and without."""
    articles = [a for a in read_paths([DEMO], Settings()) if isinstance(a, Article)]
    settings = Settings(n_process=1, batch_size=8)
    coded = {}
    for skip in (False, True):
        p = Pipeline(dataclasses.replace(settings, skip_prepass=skip), nlp=pipeline.nlp)
        coded[skip] = [(a.id, [e.to_dict() for e in events]) for a, events in p.code(articles)]
    assert coded[True] == coded[False]
    assert sum(len(events) for _, events in coded[True]) > 100
    # ... while sentences were in fact skipped
    nlp = pipeline.nlp
    docs = [nlp.make_doc(a.text) for a in articles]
    gate, model = gate_for(nlp), event_model(nlp)
    skipped = sum(not gate.keep(doc[a:b], model) for doc in docs for a, b in segments(doc))
    assert skipped >= 5
