"""What the event-type model sees of a sentence.

Sparse features, hashed into ``BUCKETS`` ids with CRC-32 (stable across runs
and machines, unlike Python's ``hash``):

- ``w:`` each lemma (lower-cased), and ``b:`` each pair of neighbouring lemmas;
- ``r:`` the lemma of the sentence's root;
- ``vo:`` verb + object lemma, ``sv:`` subject + verb lemma, ``vp:`` verb +
  preposition + its object ("fire at crowd"), ``cv:`` a compound or
  adjective + its noun ("tear gas", "police firing");
- ``neg:`` a negated verb, ``pass:`` a passive verb.

Dense features: the mean over the sentence's tokens of ``doc.tensor`` (the
pipeline's own tok2vec output; zeros when the model sets none), scaled to unit
length, and a bias.

Every feature is tied to the token it came from, so the model can say which
token carried its decision (``model.explain``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, HEAD, IS_PUNCT, IS_SPACE, LEMMA, ORTH, POS
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span

BUCKETS = 1 << 18
#: feature-set version: a change here needs a new model (train.py records it)
FEATURES_VERSION = 1
_SKIP_POS = {"PUNCT", "SPACE", "DET", "NUM", "SYM", "X"}


@dataclass(frozen=True)
class Features:
    ids: np.ndarray  # int32, hashed sparse feature ids (repeats allowed)
    tokens: np.ndarray  # int32, the sentence-relative token index each id came from
    dense: np.ndarray  # float32, the mean token vector, unit length


def feature_id(name: str) -> int:
    """The bucket of a sparse feature (``"w:attack"``)."""
    return zlib.crc32(name.encode("utf-8")) & (BUCKETS - 1)


#: the columns ``doc_rows`` reads of each token, and their indices in a row
_ATTRS = [POS, DEP, LEMMA, ORTH, IS_PUNCT, IS_SPACE]
_POS, _DEP, _LEMMA, _ORTH, _PUNCT, _SPACE = range(len(_ATTRS))
_SKIP_POS_IDS = frozenset(int(get_string_id(p)) for p in _SKIP_POS)
_NOUNS = frozenset(int(get_string_id(p)) for p in ("NOUN", "PROPN"))
_ROOT, _NSUBJ, _POBJ, _NEG, _AUXPASS = (
    int(get_string_id(d)) for d in ("ROOT", "nsubj", "pobj", "neg", "auxpass")
)
_OBJECTS = frozenset(int(get_string_id(d)) for d in ("dobj", "nsubjpass", "attr"))
_MODIFIERS = frozenset(int(get_string_id(d)) for d in ("compound", "amod"))
#: the lower-cased lemma (or form, where there is no lemma) of each (lemma, form) seen, by their
#: hashes: the same words come back in every article
_LEMMAS: dict[tuple[int, int], str] = {}
#: the bucket of each feature name seen (``feature_id``): the same names come back in every article
_IDS: dict[str, int] = {}


def doc_rows(doc: Doc) -> list[tuple[list[int], int]]:
    """Each token's ``_ATTRS`` with the index of its head: what ``sentence_features`` reads of
    a Doc, read once for all its sentences (no Token is made, no string looked up twice)."""
    if not len(doc):
        return []
    table: list[list[int]] = doc.to_array(_ATTRS).tolist()
    heads = (doc.to_array([HEAD]).reshape(-1).view(np.int64) + np.arange(len(doc))).tolist()
    return list(zip(table, heads, strict=True))


def _ids_of(names: list[str]) -> np.ndarray:
    """``feature_id`` of each name, as int32, each name hashed once per process (bounded)."""
    if len(_IDS) > 200_000:  # a bound on memory over a long run
        _IDS.clear()
    out = [_IDS.get(n) for n in names]
    for k, found in enumerate(out):
        if found is None:
            out[k] = _IDS[names[k]] = feature_id(names[k])
    return np.asarray(out, dtype=np.int32)


def _lemma_of(row: list[int], strings: StringStore) -> str:
    """The lower-cased lemma (or form, if it has none) of the token whose columns are ``row``."""
    found = _LEMMAS.get((row[_LEMMA], row[_ORTH]))
    if found is None:
        if len(_LEMMAS) > 200_000:  # a bound on memory over a long run
            _LEMMAS.clear()
        found = (strings[row[_LEMMA]] if row[_LEMMA] else strings[row[_ORTH]]).lower()
        _LEMMAS[(row[_LEMMA], row[_ORTH])] = found
    return found


def sentence_features(sent: Span, width: int, rows: list[tuple[list[int], int]] | None = None) -> Features:
    """The features of one sentence; ``width`` is the pipeline's tensor width (0: none);
    ``rows``: the Doc's ``doc_rows``, if read (a caller with many sentences reads them once)."""
    doc = sent.doc
    rows = doc_rows(doc) if rows is None else rows
    strings = doc.vocab.strings
    names: list[str] = []
    where: list[int] = []
    start = sent.start

    def add(name: str, i: int) -> None:
        names.append(name)
        where.append(i - start)

    prev = -1
    for i in range(start, sent.end):
        row, h = rows[i]
        if row[_POS] in _SKIP_POS_IDS or row[_PUNCT] or row[_SPACE]:
            prev = -1
            continue
        lemma = _lemma_of(row, strings)
        add("w:" + lemma, i)
        if prev >= 0:
            add(f"b:{_lemma_of(rows[prev][0], strings)} {lemma}", i)
        prev = i
        dep = row[_DEP]
        if dep == _ROOT:
            add("r:" + lemma, i)
        if h != i:
            head_row, hh = rows[h]
            hl = _lemma_of(head_row, strings)
            if dep in _OBJECTS:
                add(f"vo:{hl} {lemma}", h)
            elif dep == _NSUBJ:
                add(f"sv:{lemma} {hl}", h)
            elif dep == _POBJ and hh != h:
                add(f"vp:{_lemma_of(rows[hh][0], strings)} {hl} {lemma}", hh)
            elif dep in _MODIFIERS and head_row[_POS] in _NOUNS:
                add(f"cv:{lemma} {hl}", h)
            elif dep == _NEG:
                add("neg:" + hl, h)
            elif dep == _AUXPASS:
                add("pass:" + hl, h)
    ids = _ids_of(names)
    tokens = np.asarray(where, dtype=np.int32)
    dense = np.zeros(width, dtype=np.float32)
    tensor = doc.tensor
    if width and tensor is not None and tensor.shape[0] >= sent.end and tensor.shape[1] == width:
        dense = np.asarray(tensor[sent.start : sent.end].mean(axis=0), dtype=np.float32)
        norm = float(np.linalg.norm(dense))
        if norm > 0:
            dense = dense / norm
    return Features(ids, tokens, dense)
