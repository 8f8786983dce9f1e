"""sigmoid and sigmoid_prime against an arbitrary-precision oracle (decimal), plus properties."""
import math
import warnings
from decimal import Decimal, getcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlab import sigmoid, sigmoid_prime

getcontext().prec = 60


def exact_sigmoid(z: float) -> float:
    return float(1 / (1 + (-Decimal(z)).exp()))


def exact_prime(z: float) -> float:
    e = (-Decimal(z)).exp()
    return float(e / (1 + e) ** 2)


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300) if b != 0 else abs(a)


@given(st.floats(min_value=-740, max_value=740, allow_nan=False))
@settings(max_examples=400, deadline=None)
def test_sigmoid_relative_precision(z):
    assert rel(float(sigmoid(z)), exact_sigmoid(z)) <= 4e-16


@given(st.floats(min_value=-700, max_value=700, allow_nan=False))
@settings(max_examples=400, deadline=None)
def test_sigmoid_prime_relative_precision(z):
    assert rel(float(sigmoid_prime(z)), exact_prime(z)) <= 1e-15


@given(st.floats(allow_nan=False, allow_infinity=False))
@settings(max_examples=300, deadline=None)
def test_sigmoid_symmetry_and_range(z):
    s, t = float(sigmoid(z)), float(sigmoid(-z))
    assert 0.0 <= s <= 1.0
    assert s + t == pytest.approx(1.0, abs=1e-15)


def test_extremes_without_warnings():
    z = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, p = sigmoid(z), sigmoid_prime(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert p[2] == 0.25 and p[0] == 0.0 and not np.isnan(p).any()
    assert sigmoid(-745.0) > 0  # subnormal, still relatively exact
    assert rel(float(sigmoid(-745.0)), exact_sigmoid(-745.0)) < 1e-12


def test_scalars_arrays_and_dtypes():
    assert isinstance(sigmoid(0), np.floating) and sigmoid(0) == 0.5
    assert sigmoid(np.float32(1.0)).dtype == np.float32
    assert sigmoid(np.arange(3)).dtype == np.float64          # integers become float64
    assert sigmoid(np.zeros((2, 3), np.float32)).shape == (2, 3)
    assert sigmoid_prime(np.ones(4, np.float32)).dtype == np.float32
    assert math.isclose(float(sigmoid_prime(1.0)), float(sigmoid(1.0) * (1 - sigmoid(1.0))), rel_tol=1e-15)


def test_rejects_non_numeric():
    with pytest.raises(ValueError, match="sigmoid: z must be numeric"):
        sigmoid(np.array(["a"]))
