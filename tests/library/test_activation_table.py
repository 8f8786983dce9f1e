"""Deck 004's activation table: each ``<name>_prime`` against finite differences and PyTorch, tails, softmax."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlab

SMOOTH_POINTS = np.array([-30.0, -3.0, -1.5, -0.7, -0.2, 0.3, 0.9, 1.6, 4.0, 25.0])


@pytest.mark.parametrize("name", sorted(nnlab.ACTIVATIONS))
def test_derivative_matches_central_differences(nn, name):
    f, fp = nn.ACTIVATIONS[name]
    z = SMOOTH_POINTS
    numeric = (np.asarray(f(z + 1e-6)) - np.asarray(f(z - 1e-6))) / 2e-6
    np.testing.assert_allclose(fp(z), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name, torch_name", [("tanh", "tanh"), ("relu", "relu"), ("sigmoid", "sigmoid"),
                                              ("leaky_relu", "leaky_relu")])
def test_derivative_matches_torch_autograd(nn, torch, name, torch_name, rng):
    z = rng.uniform(-6, 6, size=(4, 7))
    tz = torch.tensor(z, requires_grad=True)
    out = getattr(torch.nn.functional, torch_name)(tz)
    out.sum().backward()
    np.testing.assert_allclose(nn.ACTIVATIONS[name][0](z), out.detach().numpy(), rtol=1e-14, atol=1e-300)
    # torch computes tanh' as 1 − tanh², which loses digits as |z| grows; nnlab's form does not.
    np.testing.assert_allclose(nn.ACTIVATIONS[name][1](z), tz.grad.numpy(), rtol=1e-9, atol=0)


def test_ramp_is_a_clip_not_deck_004s_typo(nn):
    z = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    np.testing.assert_array_equal(nn.ramp(z), [-1, -1, -0.5, 0, 0.5, 1, 1])
    np.testing.assert_array_equal(nn.ramp_prime(z), [0, 0, 1, 1, 1, 0, 0])


def test_kinks_follow_the_frameworks(nn):
    assert nn.relu_prime(0.0) == 0 and nn.leaky_relu_prime(0.0) == 0.01
    assert nn.leaky_relu(-2.0, alpha=0.2) == pytest.approx(-0.4)


@settings(max_examples=200, deadline=None)
@given(st.floats(-700, 700))
def test_tanh_prime_keeps_relative_precision_in_the_tails(nn, z):
    from decimal import Decimal, getcontext
    getcontext().prec = 60
    cosh = (Decimal(z).exp() + (-Decimal(z)).exp()) / 2
    exact = float(1 / (cosh * cosh))
    got = nn.tanh_prime(z)
    assert got == pytest.approx(exact, rel=1e-13, abs=0) or exact < 1e-300


def test_no_warnings_and_dtype_kept_at_extremes(nn):
    z = np.array([-1000, -50, 0, 50, 1000], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        for f, fp in nn.ACTIVATIONS.values():
            assert f(z).dtype == np.float32 and fp(z).dtype == np.float32
            assert np.all(np.isfinite(f(z))) and np.all(np.isfinite(fp(z)))
        s = nn.softmax(np.array([[1000.0, -1000.0], [0.0, 0.0]]))
    np.testing.assert_allclose(s, [[1, 0], [0, 1]])


def test_softmax_columns_sum_to_one_and_shift_invariant(nn, rng):
    z = rng.standard_normal((5, 8))
    s = nn.softmax(z)
    np.testing.assert_allclose(s.sum(axis=0), 1, rtol=1e-15)
    np.testing.assert_allclose(nn.softmax(z + 123.0), s, rtol=1e-12)
    np.testing.assert_allclose(np.exp(nn.log_softmax(z)), s, rtol=1e-13)


def test_softmax_prime_is_the_jacobian(nn, rng):
    z = rng.standard_normal((4, 3))
    jac = nn.softmax_prime(z)
    assert jac.shape == (3, 4, 4)
    for j in range(4):
        dz = np.zeros_like(z)
        dz[j] = 1e-6
        column = (nn.softmax(z + dz) - nn.softmax(z - dz)) / 2e-6     # ∂s/∂z_j for every example
        np.testing.assert_allclose(jac[:, :, j], column.T, rtol=1e-7, atol=1e-10)
    assert nn.softmax_prime(z[:, 0]).shape == (4, 4)


def test_softmax_rejects_3d(nn):
    with pytest.raises(ValueError, match="one column per example"):
        nn.softmax(np.zeros((2, 2, 2)))
