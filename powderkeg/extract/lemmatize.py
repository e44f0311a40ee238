"""spaCy's rule lemmatizer, read and written through token arrays: same lemmas, less CPU.

The model's ``lemmatizer`` (mode ``rule``) makes a Token object for every token, reads its
POS and morphology as strings and sets ``lemma_`` one token at a time, though most of its
answers come from its cache, keyed by the token's form, POS and morphology. A rule lemma
depends on nothing else (the English ``is_base_form`` reads the POS and morphology, the rules
and exceptions the form). ``ArrayLemmatizer`` reads those three columns for the whole Doc,
answers each key once per Doc (from spaCy's cache, else by spaCy's own ``lemmatize`` on the
token, which fills that cache as it always does) and writes the LEMMA column back at once.
spaCy caches no answer it gives before its tables (a word already in its base form, by
``is_base_form``): those are kept here (``_more``, bounded), keyed the same way.
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
        #: (orth, pos, morph) -> lemma hash, for the keys spaCy's cache leaves out (base forms)
        self._more: dict[tuple[int, int, int], int] = {}

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
        strings, cache, more = doc.vocab.strings, self.stock.cache, self._more
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
                if forms is not None:
                    found = strings.add(forms[0])
                else:
                    found = more.get(key)
                    if found is None:
                        found = self._lemmatize(doc, i, key)
                answers[key] = found
            lemmas.append(found)
        column: Any = np.array(lemmas, dtype=np.uint64).reshape(n, 1)
        doc.from_array([LEMMA], column)
        return doc

    def _lemmatize(self, doc: Doc, i: int, key: tuple[int, int, int]) -> int:
        """spaCy's lemma of token ``i`` (whose columns are ``key``) as a hash; an answer spaCy
        did not cache is kept in ``_more`` (a rule lemma depends on the key alone), except for
        a token without a POS, for which spaCy warns each time."""
        found = doc.vocab.strings.add(self.stock.lemmatize(doc[i])[0])
        if key[1] and key not in self.stock.cache:
            if len(self._more) > 100_000:  # a bound on memory over a long run
                self._more.clear()
            self._more[key] = found
        return found

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
