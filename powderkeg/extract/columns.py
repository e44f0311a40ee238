"""Token attributes read from a Doc's arrays, so that a loop over a sentence makes no Token
for the words it passes over.

spaCy builds a new ``Token`` object on each ``doc[i]`` and each step through a Span, and
each string attribute (``pos_``, ``dep_``, ``lower_``) is a look-up in the string store.
The coder's loops over every word of a sentence mostly pick out a few (the verbs, the
subjects, the numbers, the month names): ``rows`` gives each word's ``COLUMNS`` as
integers, and ``key`` the value a column holds for a name, so the test is made on
integers and only the words picked become Tokens.

Reading the columns costs about as much as one such loop over the whole Doc, so a
component that loops over many sentences reads them once, inside ``reading(doc)``: the Doc
must not change meanwhile (the coder only reads it).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, LIKE_NUM, LOWER, POS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

#: the attributes of a row, in order (the indices below)
COLUMNS = [POS, DEP, LOWER, ENT_TYPE, ENT_IOB, LIKE_NUM]
C_POS, C_DEP, C_LOWER, C_ENT_TYPE, C_ENT_IOB, C_LIKE_NUM = range(len(COLUMNS))
#: ``ENT_IOB`` of an entity's first word ("B")
BEGIN = 3

#: inside ``reading``: the Doc, its rows, its entities, and ``where_lower``'s answers so far
_current: ContextVar[tuple[Doc, list[list[int]], Sequence[Span], dict[int, list[int]]] | None] = ContextVar(
    "columns", default=None
)


@functools.cache
def key(name: str) -> int:
    """The value a token's attribute column holds for ``name`` (a POS, a dependency label, an
    entity type, a lower-cased form): a spaCy symbol's number, else the string's hash."""
    return int(get_string_id(name))


@functools.cache
def keys(names: frozenset[str]) -> frozenset[int]:
    """``key`` of each of ``names`` (a lexicon's word list, read once)."""
    return frozenset(key(name) for name in names)


def _table(doc: Doc) -> list[list[int]]:
    if not len(doc):
        return []
    table: list[list[int]] = doc.to_array(COLUMNS).tolist()
    return table


@contextmanager
def reading(doc: Doc) -> Iterator[None]:
    """Within it, ``rows`` of ``doc`` and its spans come from one reading of its arrays, and
    ``ents`` from one reading of its entities (``Doc.ents`` builds them all on each call)."""
    token = _current.set((doc, _table(doc), doc.ents, {}))
    try:
        yield
    finally:
        _current.reset(token)


def rows(span: Span | Doc) -> list[list[int]]:
    """The ``COLUMNS`` of each token of ``span``, in order."""
    doc = span if isinstance(span, Doc) else span.doc
    current = _current.get()
    table = current[1] if current is not None and current[0] is doc else _table(doc)
    return table if isinstance(span, Doc) else table[span.start : span.end]


def where_lower(doc: Doc, form: int) -> list[int]:
    """The indices of ``doc``'s tokens whose lower-cased form is ``form`` (its ``key``), in
    order; inside ``reading``, each form's are looked for once per Doc (at most one entry per
    form asked about, dropped with the reading)."""
    current = _current.get()
    if current is None or current[0] is not doc:
        return [i for i, row in enumerate(_table(doc)) if row[C_LOWER] == form]
    found = current[3].get(form)
    if found is None:
        found = current[3][form] = [i for i, row in enumerate(current[1]) if row[C_LOWER] == form]
    return found


def lower_is(doc: Doc, i: int, form: int) -> bool:
    """Whether token ``i``'s lower-cased form is ``form`` (its ``key``): read from the rows
    inside ``reading``, else from the token."""
    current = _current.get()
    if current is None or current[0] is not doc:
        return bool(doc[i].lower == form)
    return current[1][i][C_LOWER] == form


def ents(span: Span) -> list[Span]:
    """``span.ents``: the Doc's entities that lie wholly inside ``span``, in order."""
    current = _current.get()
    if current is None or current[0] is not span.doc:
        return list(span.ents)
    out = []
    for ent in current[2]:  # as Span.ents reads Doc.ents
        if ent.start >= span.start:
            if ent.end <= span.end:
                out.append(ent)
            else:
                break
    return out
