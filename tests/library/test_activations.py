"""sigmoid and sigmoid_prime against an arbitrary-precision oracle (decimal), plus properties."""
import math
import warnings
from decimal import Decimal, getcontext

import numpy as np
import pytest

import nnlab
from hypothesis import given, settings
from hypothesis import strategies as st


getcontext().prec = 60


def exact_sigmoid(z: float) -> float:
    return float(1 / (1 + (-Decimal(z)).exp()))


def exact_prime(z: float) -> float:
    e = (-Decimal(z)).exp()
    return float(e / (1 + e) ** 2)


def flushes_subnormals(nn) -> bool:
    """XLA on the CPU flushes subnormal results to zero, so nnlab.jax's σ(z) is 0 once σ(z) < 2.2e-308."""
    return nn is not nnlab


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300) if b != 0 else abs(a)


@given(st.floats(min_value=-740, max_value=740, allow_nan=False))
@settings(max_examples=400, deadline=None)
def test_sigmoid_relative_precision(nn, z):
    exact = exact_sigmoid(z)
    if exact < np.finfo(float).tiny and flushes_subnormals(nn):
        assert float(nn.sigmoid(z)) in (0.0, pytest.approx(exact, rel=1e-12))
        return
    assert rel(float(nn.sigmoid(z)), exact) <= 4e-16


@given(st.floats(min_value=-700, max_value=700, allow_nan=False))
@settings(max_examples=400, deadline=None)
def test_sigmoid_prime_relative_precision(nn, z):
    assert rel(float(nn.sigmoid_prime(z)), exact_prime(z)) <= 1e-15


@given(st.floats(allow_nan=False, allow_infinity=False))
@settings(max_examples=300, deadline=None)
def test_sigmoid_symmetry_and_range(nn, z):
    s, t = float(nn.sigmoid(z)), float(nn.sigmoid(-z))
    assert 0.0 <= s <= 1.0
    assert s + t == pytest.approx(1.0, abs=1e-15)


def test_extremes_without_warnings(nn):
    z = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, p = nn.sigmoid(z), nn.sigmoid_prime(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert p[2] == 0.25 and p[0] == 0.0 and not np.isnan(p).any()
    if not flushes_subnormals(nn):
        assert nn.sigmoid(-745.0) > 0  # subnormal, still relatively exact
        assert rel(float(nn.sigmoid(-745.0)), exact_sigmoid(-745.0)) < 1e-12


def test_scalars_arrays_and_dtypes(nn):
    assert np.ndim(nn.sigmoid(0)) == 0 and nn.sigmoid(0) == 0.5          # numpy: a numpy scalar; JAX: 0-d array
    assert nn.sigmoid(np.float32(1.0)).dtype == np.float32
    assert nn.sigmoid(np.arange(3)).dtype == np.float64          # integers become float64
    assert nn.sigmoid(np.zeros((2, 3), np.float32)).shape == (2, 3)
    assert nn.sigmoid_prime(np.ones(4, np.float32)).dtype == np.float32
    assert math.isclose(float(nn.sigmoid_prime(1.0)), float(nn.sigmoid(1.0) * (1 - nn.sigmoid(1.0))), rel_tol=1e-15)


def test_rejects_non_numeric(nn):
    with pytest.raises(ValueError, match="sigmoid: z must be numeric"):
        nn.sigmoid(np.array(["a"]))
