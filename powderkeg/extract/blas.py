"""The matrix products of the spaCy models: numpy's OpenBLAS, on one thread, where it can be had.

thinc multiplies with BLIS by default (``NumpyOps(use_blis=True)``). The BLIS wheel
installed with spaCy may hold only its portable ``generic`` kernels (``BLIS_ARCH_DEBUG=1``
prints the one chosen): on this project's x86-64 machines its products take about three
times as long as those of the OpenBLAS that numpy ships, whose kernels are chosen for the CPU
when it loads. The products are most of the CPU of tok2vec and of the parser's and NER's
feature layers.

OpenBLAS starts a thread per core by default; beside the coding processes (one per core)
those threads would fight for the cores, and on a busy machine they spin. So the models
switch to numpy's products only once OpenBLAS is held to one thread
(``single_threaded_openblas``), which is what spaCy's authors chose BLIS for: products on
one thread, parallel work by processes. Where that cannot be done (no OpenBLAS under numpy,
not Linux), the models keep BLIS.

The switch changes the last bits of some products, so a parse can differ from BLIS's in a
rare close call. What must not change is that an article's parse does not depend on the
articles batched with it (a run on many processes gives exactly what one gives, whatever
the batch size). OpenBLAS takes another path for a product of a few rows, whose rows
differ in their last bits from the same rows of a taller product; so a product of fewer
than ``MIN_ROWS`` rows is computed padded with zero rows to that many (``RowStableOps``),
and ``numpy_products`` first checks, on the shapes of the models' own weights, that each
row of a product is the same bits whatever rows it is computed with. Where that check
fails the models keep BLIS.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from pathlib import Path
from typing import Any

import numpy as np
from thinc.api import NumpyOps

log = logging.getLogger(__name__)

#: the thread-count setters OpenBLAS builds export (numpy's wheels rename theirs scipy_openblas*)
_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


@functools.cache
def single_threaded_openblas() -> bool:
    """Hold the OpenBLAS loaded in this process (numpy's) to one thread; whether one was found."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return False
    libraries = sorted(
        {line.split()[-1] for line in maps.splitlines() if "openblas" in line.rsplit("/", 1)[-1]}
    )
    for path in libraries:
        try:
            library = ctypes.CDLL(path)  # already loaded: the same handle, nothing loaded again
        except OSError:
            continue
        for name in _SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(1)
                return True
    return False


#: the fewest rows a product is computed with (OpenBLAS's small-matrix path stays below ~25)
MIN_ROWS = 64


class RowStableOps(NumpyOps):
    """thinc's numpy products (``use_blis=False``), a product of fewer than ``MIN_ROWS`` rows
    computed padded with zero rows: each row's bits do not depend on the rows beside it."""

    def __init__(self) -> None:
        super().__init__(use_blis=False)

    def gemm(self, x, y, *, out=None, trans1=False, trans2=False):
        a = x.T if trans1 else x
        rows = a.shape[0]
        if rows >= MIN_ROWS or a.ndim != 2:
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        padded = np.zeros((MIN_ROWS, a.shape[1]), dtype=a.dtype)
        padded[:rows] = a
        product = super().gemm(padded, y, trans2=trans2)[:rows]
        if out is None:
            return np.ascontiguousarray(product)
        out[...] = product
        return out


def rows_stable(ops: NumpyOps, weights: list[np.ndarray], tall: int = 700) -> bool:
    """Whether each row of ``X @ W.T`` is the same bits computed alone, in a few rows or among
    ``tall`` rows, for each ``W`` of ``weights`` (random ``X``; the check takes milliseconds)."""
    rng = np.random.default_rng(0)
    for w in weights:
        x = rng.standard_normal((tall, w.shape[1])).astype(np.float32)
        full = ops.gemm(x, w, trans2=True)
        for start, size in ((0, 1), (5, 3), (11, 17), (40, MIN_ROWS - 1), (97, MIN_ROWS + 3), (300, 257)):
            if not np.array_equal(
                ops.gemm(x[start : start + size], w, trans2=True), full[start : start + size]
            ):
                return False
    return True


def numpy_products(nlp: Any) -> bool:
    """Have every model of ``nlp``'s components multiply with numpy (see the module docstring);
    whether they do (False: BLIS is kept)."""
    if not single_threaded_openblas():
        log.info("no OpenBLAS found to hold to one thread: the spaCy models keep BLIS")
        return False
    ops = RowStableOps()
    nodes = []
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            nodes += list(model.walk())
    shapes = {}
    for node in nodes:
        for name in ("W", "Q"):  # the weights a layer multiplies by (Linear, Maxout: W)
            if node.has_param(name) and node.get_param(name).ndim >= 2:
                w = np.asarray(node.get_param(name), dtype=np.float32)
                w = w.reshape(-1, w.shape[-1])
                shapes[w.shape] = w
    if not rows_stable(ops, list(shapes.values())):
        log.info("numpy's products here depend on the rows beside them: the spaCy models keep BLIS")
        return False
    for node in nodes:
        node.ops = ops
    return True
