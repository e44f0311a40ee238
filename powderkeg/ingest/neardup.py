"""Near-duplicate articles (wire copies, light re-edits) by MinHash and LSH.

An article's fingerprint is a MinHash of its lower-cased word 3-grams; the
LSH index finds stored originals whose estimated Jaccard similarity may reach
``threshold``, and the best one at or above it is the article's original.
Only originals are indexed, so every copy points at a first report, never at
another copy. Fingerprints are kept in the store (``article_minhash``) and
loaded back on start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
SCHEME = "affine32"  # fixed, so fingerprints stored by one version compare with the next
_WORD = re.compile(r"\w+")


class NearDuplicates:
    def __init__(self, threshold: float = 0.6, num_perm: int = NUM_PERM) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.signatures: dict[str, object] = {}

    def fingerprint(self, text: str) -> MinHash:
        from datasketch import MinHash

        words = _WORD.findall(text.lower())
        grams = {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}
        mh = MinHash(num_perm=self.num_perm, seed=1, scheme=SCHEME)
        mh.update_batch([g.encode("utf-8") for g in grams])
        return mh

    def original_of(self, fingerprint: MinHash) -> tuple[str, float] | None:
        """The most similar indexed original at or above the threshold (lowest id on a tie, so the choice is reproducible)."""
        best: tuple[str, float] | None = None
        for key in sorted(self.lsh.query(fingerprint)):
            similarity = float(fingerprint.jaccard(self.signatures[key]))
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (key, similarity)
        return best

    def add(self, article_id: str, fingerprint: MinHash) -> None:
        if article_id not in self.signatures:
            self.lsh.insert(article_id, fingerprint)
            self.signatures[article_id] = fingerprint

    def discard(self, article_id: str) -> None:
        if self.signatures.pop(article_id, None) is not None:
            self.lsh.remove(article_id)

    def load(self, rows: Iterable[tuple[str, bytes]]) -> None:
        from datasketch import MinHash

        for article_id, blob in rows:
            values = np.frombuffer(blob, dtype=np.uint64)
            self.add(article_id, MinHash(num_perm=self.num_perm, seed=1, hashvalues=values, scheme=SCHEME))

    @staticmethod
    def to_bytes(fingerprint: MinHash) -> bytes:
        return np.asarray(fingerprint.hashvalues, dtype=np.uint64).tobytes()
