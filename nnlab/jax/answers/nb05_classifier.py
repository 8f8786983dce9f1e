"""Notebook 05's answers in JAX: ReLU's derivative, softmax and the softmax cross-entropy with its derivative.

Scores are columns ``x (k, m)``; losses are means over the m examples and come back as 0-d arrays (so they can
be traced by ``jit`` and ``grad``); each ``<name>_prime`` is ∂loss/∂x, shape ``(k, m)``.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ...backend import check_scores, check_targets
from ..backend import JAX


def relu_prime(z):
    """𝟙{z > 0} (0 at z = 0)."""
    z = JAX.as_float(z, "relu_prime", "z")
    return (z > 0).astype(z.dtype)


def softmax(z):
    """Softmax down each column of ``z (k, m)`` (or ``(k,)``)."""
    z = JAX.as_float(z, "softmax", "z")
    if z.ndim not in (1, 2):
        raise ValueError(f"softmax: z must be (k,) or (k, m) — one column per example, got shape {z.shape}")
    return jax.nn.softmax(z, axis=0)


def log_softmax(x):
    """log softmax(x) down each column of ``x (k, m)``."""
    return jax.nn.log_softmax(check_scores(x, "log_softmax", JAX), axis=0)


def cross_entropy(x, c):
    """Softmax cross-entropy of logits ``x (k, m)`` against integer classes ``c (m,)``: mean of −log s_c."""
    x = check_scores(x, "cross_entropy", JAX)
    c = check_targets(c, x, "cross_entropy", backend=JAX)
    return -jnp.mean(jax.nn.log_softmax(x, axis=0)[c, jnp.arange(x.shape[1])])


def cross_entropy_prime(x, c):
    """(softmax(x) − onehot(c)) / m."""
    x = check_scores(x, "cross_entropy_prime", JAX)
    c = check_targets(c, x, "cross_entropy_prime", backend=JAX)
    return (jax.nn.softmax(x, axis=0) - jax.nn.one_hot(c, x.shape[0], dtype=x.dtype, axis=0)) / x.shape[1]
