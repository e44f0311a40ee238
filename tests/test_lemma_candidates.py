"""``lemma_candidates`` (extract/lemmas.py) reads a word not after a hyphen from its strings
alone (cached) and a word after one from its neighbours: the same candidates inside the
columns' ``reading`` and outside, and as spelt out by hand."""

from __future__ import annotations

from spacy.tokens import Doc

from powderkeg.extract.columns import reading
from powderkeg.extract.lemmas import guesses, lemma_candidates


def _by_hand(doc: Doc, i: int) -> tuple[str, ...]:
    """The candidates as the docstring says: the lemma, the guesses, and after a hyphen joined
    to the word before it ("lathi-charged"), the compound's first."""
    tok = doc[i]
    out = [tok.lemma_.lower(), *guesses(tok.lower_)]
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
        if doc[i - 2].is_alpha:
            out = [f"{doc[i - 2].lower_}-{form}" for form in out] + out
    return tuple(dict.fromkeys(out))


def test_candidates_are_the_same_inside_a_reading_and_outside(pipeline):
    doc = pipeline.nlp(
        "Police lathi-charged the marchers - who had staged a sit-in - and later stopped "
        "the re-opened shops; a well - known group objected."
    )
    outside = [lemma_candidates(t) for t in doc]
    with reading(doc):
        inside = [lemma_candidates(t) for t in doc]
    assert outside == inside == [_by_hand(doc, i) for i in range(len(doc))]
    assert any("-" in c[0] for c in outside), "a compound after a hyphen is read"
