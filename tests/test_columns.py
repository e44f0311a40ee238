"""The token columns read once per Doc (extract/columns.py) and the text built once per Doc
(geocode/doctext.py) give what spaCy's own attributes give."""

import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, LIKE_NUM, LOWER, POS

from powderkeg.extract.columns import COLUMNS, ents, key, reading, rows, where_lower
from powderkeg.geocode.doctext import doc_text, keep_text

pytestmark = pytest.mark.slow

TEXT = (
    "The ministers of Ruritania and Freedonia met in Genovia on Tuesday. "
    "Three hundred protesters marched past the palace in March, and 12 were arrested.\n"
    "Officials said they would talk again next Monday."
)


def test_rows_are_the_tokens_attributes_inside_and_outside_a_reading(pipeline):
    doc = pipeline.nlp(TEXT)
    assert COLUMNS == [POS, DEP, LOWER, ENT_TYPE, ENT_IOB, LIKE_NUM]
    for sent in doc.sents:
        outside = rows(sent)
        with reading(doc):
            inside = rows(sent)
        assert inside == outside
        expected = [[t.pos, t.dep, t.lower, t.ent_type, t.ent_iob, int(t.like_num)] for t in sent]
        assert outside == expected
    assert key("VERB") == doc.vocab.strings["VERB"]
    assert key("march") == doc.vocab.strings["march"]


def test_where_lower_finds_a_forms_tokens_inside_and_outside_a_reading(pipeline):
    doc = pipeline.nlp(TEXT)
    for form in ("the", "in", "marched", "absent"):
        expected = [t.i for t in doc if t.lower_ == form]
        assert where_lower(doc, key(form)) == expected
        with reading(doc):
            assert where_lower(doc, key(form)) == expected
            assert where_lower(doc, key(form)) == expected  # the second time from the reading
    assert where_lower(doc, key("the")) and not where_lower(doc, key("absent"))


def test_ents_are_a_spans_own_entities(pipeline):
    doc = pipeline.nlp(TEXT)
    with reading(doc):
        for sent in doc.sents:
            assert [(e.start, e.end, e.label_) for e in ents(sent)] == [
                (e.start, e.end, e.label_) for e in sent.ents
            ]
            part = doc[sent.start : sent.start + 4]  # an entity running past its end is left out
            assert [(e.start, e.end) for e in ents(part)] == [(e.start, e.end) for e in part.ents]


def test_a_docs_text_is_built_once_and_never_passed_to_a_part_of_it(pipeline):
    doc = pipeline.nlp.make_doc(TEXT)
    assert doc_text(doc) == doc.text == TEXT
    keep_text(doc, TEXT)
    assert doc_text(doc) is TEXT
    part = doc[3:9].as_doc(copy_user_data=True)
    assert doc_text(part) == part.text != TEXT
    assert doc_text(doc.copy()) == TEXT
