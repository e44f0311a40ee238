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
    """The LSH index of the originals' fingerprints, held compactly: it grows with every article
    a watcher stores (datasketch's own index took 7.7 KB an article, about 4.5 times as much).

    Each band of ``b`` rows (datasketch's choice for the threshold and ``num_perm``, so the same
    pairs become candidates) maps its bytes to the id of the article that has it, or to a tuple
    of ids when several do; only the hash values of each fingerprint are kept.
    """

    def __init__(self, threshold: float = 0.6, num_perm: int = NUM_PERM) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.ranges: list[tuple[int, int]] = list(
            MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges
        )
        self.bands: list[dict[bytes, str | tuple[str, ...]]] = [{} for _ in self.ranges]
        self.signatures: dict[str, np.ndarray] = {}

    def fingerprint(self, text: str) -> MinHash:
        from datasketch import MinHash

        words = _WORD.findall(text.lower())
        grams = {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}
        mh = MinHash(num_perm=self.num_perm, seed=1, scheme=SCHEME)
        mh.update_batch([g.encode("utf-8") for g in grams])
        return mh

    def original_of(self, fingerprint: MinHash) -> tuple[str, float] | None:
        """The most similar indexed original at or above the threshold (lowest id on a tie, so the choice is reproducible)."""
        values = fingerprint.hashvalues
        candidates: set[str] = set()
        for (start, end), band in zip(self.ranges, self.bands, strict=True):
            held = band.get(values[start:end].tobytes())
            if held is not None:
                candidates.update((held,) if isinstance(held, str) else held)
        best: tuple[str, float] | None = None
        for key in sorted(candidates):
            # as MinHash.jaccard: the share of hash values that agree
            similarity = float(np.count_nonzero(values == self.signatures[key]) / len(values))
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (key, similarity)
        return best

    def add(self, article_id: str, fingerprint: MinHash) -> None:
        if article_id in self.signatures:
            return
        values = fingerprint.hashvalues
        self.signatures[article_id] = values
        for (start, end), band in zip(self.ranges, self.bands, strict=True):
            key = values[start:end].tobytes()
            held = band.get(key)
            band[key] = (
                article_id if held is None else (*((held,) if isinstance(held, str) else held), article_id)
            )

    def discard(self, article_id: str) -> None:
        values = self.signatures.pop(article_id, None)
        if values is None:
            return
        for (start, end), band in zip(self.ranges, self.bands, strict=True):
            key = values[start:end].tobytes()
            held = band.get(key)
            rest = tuple(i for i in ((held,) if isinstance(held, str) else held or ()) if i != article_id)
            if not rest:
                band.pop(key, None)
            else:
                band[key] = rest[0] if len(rest) == 1 else rest

    def __len__(self) -> int:
        return len(self.signatures)

    def load(self, rows: Iterable[tuple[str, bytes]]) -> None:
        from datasketch import MinHash

        for article_id, blob in rows:
            values = np.frombuffer(blob, dtype=np.uint64)
            self.add(article_id, MinHash(num_perm=self.num_perm, seed=1, hashvalues=values, scheme=SCHEME))

    @staticmethod
    def to_bytes(fingerprint: MinHash) -> bytes:
        return np.asarray(fingerprint.hashvalues, dtype=np.uint64).tobytes()
