"""Deck 004's activation table in jax.numpy, each with its derivative ``<name>_prime`` (see nnlab.activations).

Same formulas as the numpy backend, chosen to stay exact in the tails: σ and tanh only exponentiate −|z|.
Elementwise functions keep the shape and dtype of ``z``; a scalar gives a 0-d array.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ._arrays import as_float


@jax.jit
def _sigmoid(z):
    e = jnp.exp(-jnp.abs(z))
    return jnp.where(z >= 0, 1 / (1 + e), e / (1 + e))


@jax.jit
def _sigmoid_prime(z):
    e = jnp.exp(-jnp.abs(z))
    return e / (1 + e) ** 2


@jax.jit
def _tanh_prime(z):
    e = jnp.exp(-2 * jnp.abs(z))
    return 4 * e / (1 + e) ** 2


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)) elementwise; never overflows."""
    return _sigmoid(as_float(z, "sigmoid", "z"))


def sigmoid_prime(z):
    """σ'(z) = e^(−|z|) / (1 + e^(−|z|))²."""
    return _sigmoid_prime(as_float(z, "sigmoid_prime", "z"))


def tanh(z):
    return jnp.tanh(as_float(z, "tanh", "z"))


def tanh_prime(z):
    """1 / cosh²(z) = 4e^(−2|z|) / (1 + e^(−2|z|))²."""
    return _tanh_prime(as_float(z, "tanh_prime", "z"))


def relu(z):
    return jnp.maximum(as_float(z, "relu", "z"), 0)


def relu_prime(z):
    """𝟙{z > 0} (0 at z = 0)."""
    z = as_float(z, "relu_prime", "z")
    return (z > 0).astype(z.dtype)


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


def softmax(z):
    """Softmax down each column of ``z (k, m)`` (or ``(k,)``)."""
    z = as_float(z, "softmax", "z")
    if z.ndim not in (1, 2):
        raise ValueError(f"softmax: z must be (k,) or (k, m) — one column per example, got shape {z.shape}")
    return jax.nn.softmax(z, axis=0)


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
