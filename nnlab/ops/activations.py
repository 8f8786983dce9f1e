"""Activations and their derivatives: deck 004's table, each ``<name>_prime`` dy/dz elementwise.

The sigmoid (notebook 02), its derivative (notebook 04), ReLU's derivative and softmax (notebook 05) are
challenges: they are written once, with their notebook's answers; the first three go into the table
``ACTIVATIONS`` that ``Dense(activation=...)`` looks up (softmax, which mixes a column, is handled by the
layers themselves), and softmax is the base of ``softmax_prime`` here. Elementwise functions keep the shape and dtype of
``z`` (integers become float64) and give a numpy scalar for a scalar.
"""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import sigmoid
from ..answers.nb04_backprop import sigmoid_prime
from ..answers.nb05_classifier import relu_prime, softmax
from ..backend import as_float_array, scalar_or_array


def tanh(z):
    """tanh(z) elementwise; same shape and dtype as ``z``."""
    z = as_float_array(z, "tanh", "z")
    return scalar_or_array(np.tanh(z), z)


def tanh_prime(z):
    """1 / cosh²(z) = 4e^(−2|z|) / (1 + e^(−2|z|))², elementwise.

    ``1 - tanh(z)**2`` loses every digit once tanh(z) rounds to ±1 (|z| > 19); this form keeps full relative
    precision for every finite z and never overflows.
    """
    z = as_float_array(z, "tanh_prime", "z")
    e = np.exp(-2 * np.abs(z))
    return scalar_or_array((4 * e / (1 + e) ** 2).astype(z.dtype, copy=False), z)


def relu(z):
    """max(0, z) elementwise; same shape and dtype as ``z``."""
    z = as_float_array(z, "relu", "z")
    return scalar_or_array(np.maximum(z, 0).astype(z.dtype, copy=False), z)


def leaky_relu(z, alpha=0.01):
    """z for z > 0, alpha·z otherwise; ``alpha`` is the slope of the negative side."""
    z = as_float_array(z, "leaky_relu", "z")
    return scalar_or_array(np.where(z > 0, z, alpha * z).astype(z.dtype, copy=False), z)


def leaky_relu_prime(z, alpha=0.01):
    """1 for z > 0, alpha otherwise."""
    z = as_float_array(z, "leaky_relu_prime", "z")
    return scalar_or_array(np.where(z > 0, 1, alpha).astype(z.dtype), z)


def ramp(z):
    """max(−1, min(1, z)): z clipped to [−1, 1].

    Deck 004 prints min(−1, max(1, z)), which is −1 everywhere; its derivative 𝟙{−1 < z < 1} shows the intent.
    """
    z = as_float_array(z, "ramp", "z")
    return scalar_or_array(np.clip(z, -1, 1).astype(z.dtype, copy=False), z)


def ramp_prime(z):
    """𝟙{−1 < z < 1} elementwise."""
    z = as_float_array(z, "ramp_prime", "z")
    return scalar_or_array(((z > -1) & (z < 1)).astype(z.dtype), z)


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
    return scalar_or_array(as_float_array(z, "linear", "z").copy(), z)


def linear_prime(z):
    """1 everywhere."""
    z = as_float_array(z, "linear_prime", "z")
    return scalar_or_array(np.ones_like(z), z)


#: Elementwise activations by name, each with its derivative — what ``Dense(activation=...)`` looks up.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime), "tanh": (tanh, tanh_prime), "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime), "ramp": (ramp, ramp_prime),
    "linear": (linear, linear_prime),
}
