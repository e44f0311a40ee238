"""The models' products on numpy's OpenBLAS (extract/blas.py): one thread, each row's bits
independent of the rows computed with it, and BLIS kept when asked for or when that fails."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from thinc.api import NumpyOps

from powderkeg import Settings
from powderkeg.errors import ConfigError
from powderkeg.extract import blas
from powderkeg.extract.nlp import load_base, load_nlp


def _nodes(nlp) -> list:
    return [
        node for _, c in nlp.pipeline if hasattr(getattr(c, "model", None), "walk") for node in c.model.walk()
    ]


def _ops(nlp) -> set[object]:
    return {type(node.ops) for node in _nodes(nlp)}


def test_a_product_of_few_rows_is_the_same_bits_as_those_rows_of_a_tall_one():
    if not blas.single_threaded_openblas():
        pytest.skip("numpy has no OpenBLAS here")
    ops = blas.RowStableOps()
    rng = np.random.default_rng(7)
    for n_out, n_in in ((50, 96), (64, 96), (288, 288), (384, 64)):  # the shapes of the model's layers
        w = rng.standard_normal((n_out, n_in)).astype(np.float32)
        x = rng.standard_normal((600, n_in)).astype(np.float32)
        tall = ops.gemm(x, w, trans2=True)
        for start, rows in ((0, 1), (3, 2), (10, 9), (100, 24), (200, 70)):
            few = ops.gemm(x[start : start + rows], w, trans2=True)
            assert few.shape == (rows, n_out)
            assert np.array_equal(few, tall[start : start + rows])
        out = np.empty((5, n_out), dtype=np.float32)
        assert ops.gemm(x[:5], w, trans2=True, out=out) is out
        assert np.array_equal(out, tall[:5])
        assert np.array_equal(ops.gemm(x[:4].T.copy(), w, trans1=True, trans2=True), tall[:4])


def test_the_pipeline_multiplies_with_numpy_only_where_the_rows_are_stable():
    nlp = load_base(Settings())
    switched = blas.numpy_products(nlp)
    assert _ops(nlp) == ({blas.RowStableOps} if switched else {NumpyOps})


def test_a_failed_check_keeps_blis(monkeypatch):
    nlp = load_base(Settings())
    monkeypatch.setattr(blas, "rows_stable", lambda ops, weights: False)
    assert not blas.numpy_products(nlp)
    assert _ops(nlp) == {NumpyOps}
    assert all(node.ops.use_blis for node in _nodes(nlp))


def test_blas_blis_keeps_thincs_default_and_an_unknown_value_is_refused():
    nlp = load_nlp(dataclasses.replace(Settings(), blas="blis"))
    assert _ops(nlp) == {NumpyOps}
    with pytest.raises(ConfigError):
        load_nlp(dataclasses.replace(Settings(), blas="mkl"))
