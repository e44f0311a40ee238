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
from spacy.tokens import Span

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


def _lemma(tok) -> str:
    return (tok.lemma_ or tok.text).lower()


def sentence_features(sent: Span, width: int) -> Features:
    """The features of one sentence; ``width`` is the pipeline's tensor width (0: none)."""
    names: list[str] = []
    where: list[int] = []
    start = sent.start

    def add(name: str, tok) -> None:
        names.append(name)
        where.append(tok.i - start)

    prev = None
    for tok in sent:
        if tok.pos_ in _SKIP_POS or tok.is_punct or tok.is_space:
            prev = None
            continue
        lemma = _lemma(tok)
        add("w:" + lemma, tok)
        if prev is not None:
            add(f"b:{_lemma(prev)} {lemma}", tok)
        prev = tok
        dep = tok.dep_
        head = tok.head
        if dep == "ROOT":
            add("r:" + lemma, tok)
        if head.i != tok.i:
            hl = _lemma(head)
            if dep in ("dobj", "nsubjpass", "attr"):
                add(f"vo:{hl} {lemma}", head)
            elif dep == "nsubj":
                add(f"sv:{lemma} {hl}", head)
            elif dep == "pobj" and head.head.i != head.i:
                add(f"vp:{_lemma(head.head)} {hl} {lemma}", head.head)
            elif dep in ("compound", "amod") and head.pos_ in ("NOUN", "PROPN"):
                add(f"cv:{lemma} {hl}", head)
            elif dep == "neg":
                add("neg:" + hl, head)
            elif dep == "auxpass":
                add("pass:" + hl, head)
    ids = np.fromiter((feature_id(n) for n in names), dtype=np.int32, count=len(names))
    tokens = np.asarray(where, dtype=np.int32)
    dense = np.zeros(width, dtype=np.float32)
    tensor = sent.doc.tensor
    if width and tensor is not None and tensor.shape[0] >= sent.end and tensor.shape[1] == width:
        dense = np.asarray(tensor[sent.start : sent.end].mean(axis=0), dtype=np.float32)
        norm = float(np.linalg.norm(dense))
        if norm > 0:
            dense = dense / norm
    return Features(ids, tokens, dense)
