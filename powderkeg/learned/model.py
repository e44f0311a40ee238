"""The event-type classifier: a linear softmax over hashed sparse features and the mean token vector.

The artefact (``data/eventtype-<version>.npz``, built by ``make train``) holds
the labels, the rows of the sparse weight matrix that training touched
(quantized to int8 with one scale per row), the dense weights and bias, and a
JSON header: model name and version, feature version, the spaCy model it was
trained on, the training sources with their hashes, and a digest of every
training text (``seen``), so an evaluation can tell which gold records the
model has seen and score those by cross-fitting instead.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .features import BUCKETS, FEATURES_VERSION, Features, feature_id

MODEL_NAME = "eventtype"
MODEL_VERSION = 1
#: what an event decided by this model says in its ``rule``
MODEL_RULE = f"model:{MODEL_NAME}@{MODEL_VERSION}"


def text_digest(text: str) -> int:
    """A 64-bit digest of a training text, as kept in the artefact's ``seen`` set."""
    return int.from_bytes(hashlib.blake2b(text.strip().encode("utf-8"), digest_size=8).digest(), "little")


@dataclass
class EventTypeModel:
    labels: tuple[str, ...]
    sparse: np.ndarray  # (BUCKETS, C) float32, or compact rows with ``rows``
    dense: np.ndarray  # (width, C) float32
    bias: np.ndarray  # (C,) float32
    meta: dict[str, Any] = field(default_factory=dict)
    seen: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))  # sorted digests
    #: bucket -> row of ``sparse`` (-1: never seen in training, weight zero); None: ``sparse`` is full
    rows: np.ndarray | None = None

    @property
    def width(self) -> int:
        return int(self.dense.shape[0])

    @property
    def name(self) -> str:
        return f"{self.meta.get('name', MODEL_NAME)}@{self.meta.get('version', MODEL_VERSION)}"

    def _sparse_rows(self, ids: np.ndarray) -> np.ndarray:
        if self.rows is None:
            return self.sparse[ids]
        at = self.rows[ids]
        out = self.sparse[np.maximum(at, 0)]
        out[at < 0] = 0.0
        return out

    def feature_weights(self, name: str) -> np.ndarray:
        """The weights, one per label, of one sparse feature (``"w:attack"``: the lemma "attack")."""
        return self._sparse_rows(np.asarray([feature_id(name)], dtype=np.int32))[0]

    def logits(self, f: Features) -> np.ndarray:
        z = self.bias + f.dense @ self.dense if f.dense.shape[0] == self.width else self.bias.copy()
        if f.ids.size:
            z = z + self._sparse_rows(f.ids).sum(axis=0)
        return z

    def predict(self, f: Features) -> np.ndarray:
        """Probabilities over ``labels``."""
        z = self.logits(f)
        z = np.exp(z - z.max())
        return z / z.sum()

    def token_scores(self, f: Features, label: str, length: int) -> np.ndarray:
        """How much each token of the sentence (by its features) pushed towards ``label``
        rather than no event: the evidence for the model's decision."""
        out = np.zeros(length, dtype=np.float32)
        if not f.ids.size:
            return out
        c = self.labels.index(label)
        none = self.labels.index("NONE") if "NONE" in self.labels else None
        w = self._sparse_rows(f.ids)
        gain = w[:, c] - (w[:, none] if none is not None else 0.0)
        np.add.at(out, f.tokens, gain)
        return out

    def has_seen(self, text: str) -> bool:
        if not self.seen.size:
            return False
        d = np.uint64(text_digest(text))
        i = int(np.searchsorted(self.seen, d))
        return i < self.seen.size and self.seen[i] == d

    # -- storage ---------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The artefact: touched sparse rows as int8 with a scale per row; same model, same bytes."""
        sparse = self.sparse if self.rows is None else _expand(self.sparse, self.rows)
        touched = np.flatnonzero(np.any(sparse != 0, axis=1)).astype(np.int32)
        block = sparse[touched]
        scale = np.abs(block).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        quant = np.round(block / scale[:, None]).astype(np.int8)
        header = json.dumps({**self.meta, "labels": list(self.labels)}, sort_keys=True)
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            header=np.frombuffer(header.encode("utf-8"), dtype=np.uint8),
            touched=touched,
            quant=quant,
            scale=scale.astype(np.float32),
            dense=self.dense.astype(np.float32),
            bias=self.bias.astype(np.float32),
            seen=np.sort(self.seen.astype(np.uint64)),
        )
        return _stable_zip(buf.getvalue())

    @classmethod
    def from_bytes(cls, data: bytes) -> EventTypeModel:
        with np.load(io.BytesIO(data)) as z:
            meta = json.loads(bytes(z["header"]).decode("utf-8"))
            touched, quant, scale = z["touched"], z["quant"], z["scale"]
            rows = np.full(BUCKETS, -1, dtype=np.int32)
            rows[touched] = np.arange(touched.size, dtype=np.int32)
            sparse = quant.astype(np.float32) * scale[:, None]
            labels = tuple(meta.pop("labels"))
            return cls(labels, sparse, z["dense"].copy(), z["bias"].copy(), meta, z["seen"].copy(), rows)

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())


def _expand(compact: np.ndarray, rows: np.ndarray) -> np.ndarray:
    full = np.zeros((BUCKETS, compact.shape[1]), dtype=np.float32)
    at = np.flatnonzero(rows >= 0)
    full[at] = compact[rows[at]]
    return full


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every member's timestamp fixed, so equal models give equal bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def artefact_name(version: int = MODEL_VERSION) -> str:
    return f"{MODEL_NAME}-{version}.npz"


@functools.cache
def load_model(spec: str = f"{MODEL_NAME}@{MODEL_VERSION}") -> EventTypeModel | None:
    """The model a setting names: ``eventtype@1`` (the packaged artefact), a path to an
    ``.npz`` file, or ``""``/``none`` (no model: the rules alone)."""
    if spec.strip().lower() in ("", "none", "off"):
        return None
    if spec.endswith(".npz"):
        path = Path(spec)
        if not path.exists():
            raise ConfigError(f"event model {path} not found", remedy="check the `event_model` setting")
        return EventTypeModel.from_bytes(path.read_bytes())
    name, _, version = spec.partition("@")
    if name != MODEL_NAME or not version.isdigit():
        raise ConfigError(
            f"unknown event model {spec!r}",
            remedy=f"use {MODEL_NAME}@{MODEL_VERSION}, a path to an .npz file, or 'none'",
        )
    data = resources.files("powderkeg.learned").joinpath(f"data/{artefact_name(int(version))}")
    if not data.is_file():
        raise ConfigError(
            f"the packaged event model {spec} is missing",
            remedy="run `make train` to build it, or set event_model = 'none'",
        )
    return EventTypeModel.from_bytes(data.read_bytes())


__all__ = ["EventTypeModel", "MODEL_NAME", "MODEL_RULE", "MODEL_VERSION", "FEATURES_VERSION", "load_model"]
