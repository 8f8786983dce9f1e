"""Challenge 2: the sigmoid and its derivative, exact to float precision for every finite input.

The textbook formula ``1 / (1 + exp(-z))`` overflows for z < -709 (float64) and warns; here the exponential
is only ever taken of ``-|z|``, which lies in (0, 1], so nothing overflows and relative accuracy holds in
both tails.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array


def _finish(out: np.ndarray, like):
    """Return a numpy scalar for scalar input, an array otherwise."""
    return out[()] if np.ndim(like) == 0 else out


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise.

    Args:
        z: scalar or array of any shape; integers become float64, floats keep their dtype.
    Returns:
        σ(z), same shape and dtype; never warns, never NaN for finite z (σ(±1000) = 1 and 0).
    """
    z = as_float_array(z, "sigmoid", "z")
    e = np.exp(-np.abs(z))                     # in (0, 1]: no overflow
    out = np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype, copy=False)
    return _finish(out, z)


def sigmoid_prime(z):
    """σ'(z) = σ(z)·(1 − σ(z)) = e^(−|z|) / (1 + e^(−|z|))², elementwise.

    The second form is symmetric in z and keeps full relative precision in both tails, where
    ``1 - sigmoid(z)`` would cancel catastrophically. Same shape and dtype as ``z``.
    """
    z = as_float_array(z, "sigmoid_prime", "z")
    e = np.exp(-np.abs(z))
    out = (e / (1 + e) ** 2).astype(z.dtype, copy=False)
    return _finish(out, z)


# --- The rest of deck 004's activation table (notebook 05). Each ``<name>_prime`` is dy/dz elementwise. ---

def tanh(z):
    """tanh(z) elementwise; same shape and dtype as ``z``."""
    z = as_float_array(z, "tanh", "z")
    return _finish(np.tanh(z), z)


def tanh_prime(z):
    """1 / cosh²(z) = 4e^(−2|z|) / (1 + e^(−2|z|))², elementwise.

    ``1 - tanh(z)**2`` loses every digit once tanh(z) rounds to ±1 (|z| > 19); this form keeps full relative
    precision for every finite z and never overflows.
    """
    z = as_float_array(z, "tanh_prime", "z")
    e = np.exp(-2 * np.abs(z))
    return _finish((4 * e / (1 + e) ** 2).astype(z.dtype, copy=False), z)


def relu(z):
    """max(0, z) elementwise; same shape and dtype as ``z``."""
    z = as_float_array(z, "relu", "z")
    return _finish(np.maximum(z, 0).astype(z.dtype, copy=False), z)


def relu_prime(z):
    """𝟙{z > 0} elementwise (0 at z = 0, as PyTorch and Keras take it)."""
    z = as_float_array(z, "relu_prime", "z")
    return _finish((z > 0).astype(z.dtype), z)


def leaky_relu(z, alpha=0.01):
    """z for z > 0, alpha·z otherwise; ``alpha`` is the slope of the negative side."""
    z = as_float_array(z, "leaky_relu", "z")
    return _finish(np.where(z > 0, z, alpha * z).astype(z.dtype, copy=False), z)


def leaky_relu_prime(z, alpha=0.01):
    """1 for z > 0, alpha otherwise."""
    z = as_float_array(z, "leaky_relu_prime", "z")
    return _finish(np.where(z > 0, 1, alpha).astype(z.dtype), z)


def ramp(z):
    """max(−1, min(1, z)): z clipped to [−1, 1].

    Deck 004 prints min(−1, max(1, z)), which is −1 everywhere; its derivative 𝟙{−1 < z < 1} shows the intent.
    """
    z = as_float_array(z, "ramp", "z")
    return _finish(np.clip(z, -1, 1).astype(z.dtype, copy=False), z)


def ramp_prime(z):
    """𝟙{−1 < z < 1} elementwise."""
    z = as_float_array(z, "ramp_prime", "z")
    return _finish(((z > -1) & (z < 1)).astype(z.dtype), z)


def softmax(z):
    """Softmax down each column: ``z`` is ``(k, m)`` scores, one column per example (or ``(k,)``).

    Returns probabilities with ``z``'s shape, each column summing to 1. The column maximum is subtracted
    first, so no exponential overflows (softmax is unchanged by a shift).
    """
    z = as_float_array(z, "softmax", "z")
    if z.ndim not in (1, 2):
        raise ValueError(f"softmax: z must be (k,) or (k, m) — one column per example, got shape {z.shape}")
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_prime(z):
    """The Jacobian of softmax for each example: ∂s_i/∂z_j = s_i(δ_ij − s_j).

    Args: ``z`` ``(k, m)`` (or ``(k,)``). Returns ``(m, k, k)`` — one k×k Jacobian per example
    (``(k, k)`` for a single ``(k,)`` column). Softmax mixes its inputs, so unlike the elementwise
    activations its derivative is a matrix, not a vector.
    """
    s = softmax(z)
    cols = s.T if s.ndim == 2 else s
    jac = -cols[..., :, None] * cols[..., None, :]
    idx = np.arange(s.shape[0])
    jac[..., idx, idx] += cols
    return jac


def linear(z):
    """The identity (no activation), as a new array."""
    return _finish(as_float_array(z, "linear", "z").copy(), z)


def linear_prime(z):
    """1 everywhere."""
    z = as_float_array(z, "linear_prime", "z")
    return _finish(np.ones_like(z), z)


#: Elementwise activations by name, each with its derivative — what ``Dense(activation=...)`` looks up.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime), "tanh": (tanh, tanh_prime), "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime), "ramp": (ramp, ramp_prime),
    "linear": (linear, linear_prime),
}
