"""Deck 004's activation table in jax.numpy, each with its derivative ``<name>_prime`` (see nnlab.ops.activations);
the sigmoid, its derivative, ReLU's derivative and softmax are challenges, with their notebooks' answers.

Same formulas as the numpy backend, chosen to stay exact in the tails: σ and tanh only exponentiate −|z|.
Elementwise functions keep the shape and dtype of ``z``; a scalar gives a 0-d array.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ..answers.nb02_forward_pass import sigmoid
from ..answers.nb04_backprop import sigmoid_prime
from ..answers.nb05_classifier import relu_prime, softmax
from ..backend import as_float


@jax.jit
def _tanh_prime(z):
    e = jnp.exp(-2 * jnp.abs(z))
    return 4 * e / (1 + e) ** 2


def tanh(z):
    return jnp.tanh(as_float(z, "tanh", "z"))


def tanh_prime(z):
    """1 / cosh²(z) = 4e^(−2|z|) / (1 + e^(−2|z|))²."""
    return _tanh_prime(as_float(z, "tanh_prime", "z"))


def relu(z):
    return jnp.maximum(as_float(z, "relu", "z"), 0)


def leaky_relu(z, alpha=0.01):
    z = as_float(z, "leaky_relu", "z")
    return jnp.where(z > 0, z, alpha * z).astype(z.dtype)


def leaky_relu_prime(z, alpha=0.01):
    z = as_float(z, "leaky_relu_prime", "z")
    return jnp.where(z > 0, 1, alpha).astype(z.dtype)


def ramp(z):
    """z clipped to [−1, 1] (deck 004's formula has min and max swapped)."""
    return jnp.clip(as_float(z, "ramp", "z"), -1, 1)


def ramp_prime(z):
    z = as_float(z, "ramp_prime", "z")
    return ((z > -1) & (z < 1)).astype(z.dtype)


def linear(z):
    return as_float(z, "linear", "z")


def linear_prime(z):
    return jnp.ones_like(as_float(z, "linear_prime", "z"))


def softmax_prime(z):
    """Per-example Jacobians ∂s_i/∂z_j = s_i(δ_ij − s_j): ``(m, k, k)`` for ``z (k, m)``, ``(k, k)`` for ``(k,)``."""
    s = softmax(z)
    cols = s.T if s.ndim == 2 else s
    return cols[..., :, None] * jnp.eye(s.shape[0], dtype=s.dtype) - cols[..., :, None] * cols[..., None, :]


#: Elementwise activations by name with their derivatives.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime), "tanh": (tanh, tanh_prime), "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime), "ramp": (ramp, ramp_prime), "linear": (linear, linear_prime),
}
