"""spaCy's rule lemmatizer, read and written through token arrays: same lemmas, less CPU.

The model's ``lemmatizer`` (mode ``rule``) makes a Token object for every token, reads its
POS and morphology as strings and sets ``lemma_`` one token at a time, though most of its
answers come from its cache, keyed by the token's form, POS and morphology. A rule lemma
depends on nothing else (the English ``is_base_form`` reads the POS and morphology, the rules
and exceptions the form). ``ArrayLemmatizer`` reads those three columns for the whole Doc,
answers each key once per Doc (from spaCy's cache, else by spaCy's own ``lemmatize`` on the
token, which fills that cache as it always does) and writes the LEMMA column back at once.
Tokens that already have a lemma (set by the attribute ruler) keep it, as spaCy leaves them
unless the component overwrites. Another mode than ``rule`` keeps spaCy's component.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

_COLUMNS = [ORTH, POS, MORPH, LEMMA]


class ArrayLemmatizer:
    """The lemmatizer ``stock`` (spaCy's, mode ``rule``), applied through arrays."""

    def __init__(self, stock: Any) -> None:
        self.stock = stock
        self.lookups = stock.lookups  # the tables, as the cheap pass reads them (prepass.gate_for)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        if not self.stock._validated:  # spaCy's own check of its tables, on its first Doc
            self.stock._validate_tables(Errors.E1004)
        rows: list[list[int]] = doc.to_array(_COLUMNS).tolist()
        overwrite = self.stock.overwrite
        if not overwrite and all(row[3] for row in rows):
            return doc
        strings, cache = doc.vocab.strings, self.stock.cache
        answers: dict[tuple[int, int, int], int] = {}  # this Doc's keys -> lemma hash
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = answers.get(key)
            if found is None:
                forms = cache.get(key)
                if forms is None:
                    forms = self.stock.lemmatize(doc[i])
                found = answers[key] = strings.add(forms[0])
            lemmas.append(found)
        column: Any = np.array(lemmas, dtype=np.uint64).reshape(n, 1)
        doc.from_array([LEMMA], column)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def __getattr__(self, name: str) -> Any:  # the rest of the component (mode, cache, tables)
        return getattr(self.stock, name)


def array_lemmatizer(stock: Any) -> ArrayLemmatizer | None:
    """``ArrayLemmatizer`` for spaCy's lemmatizer ``stock``, or None where its mode is not ``rule``."""
    return ArrayLemmatizer(stock) if getattr(stock, "mode", None) == "rule" else None


@Language.factory("pk_lemmatizer", assigns=["token.lemma"])
def make_array_lemmatizer(nlp: Language, name: str) -> ArrayLemmatizer:
    """The model's ``lemmatizer``, applied by ``ArrayLemmatizer`` (added beside it)."""
    return ArrayLemmatizer(nlp.get_pipe("lemmatizer"))
