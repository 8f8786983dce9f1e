"""Notebook 05's answers: ReLU's derivative, softmax and the softmax cross-entropy with its derivative.

Scores are columns ``x (k, m)``, one column per example; classes are numbered from 0 (deck 004 counts from 1).
The loss is the **mean** over the m examples, and its derivative ∂(mean loss)/∂x has ``x``'s shape, ready to
start backpropagation. ``step`` is the Heaviside step that threshold units use, the same function as
``relu_prime`` in integers, so it lives here with it.
"""
from __future__ import annotations

import numpy as np

from ..backend import as_float_array, check_scores, check_targets, scalar_or_array


def relu_prime(z):
    """𝟙{z > 0} elementwise (0 at z = 0, as PyTorch and Keras take it)."""
    z = as_float_array(z, "relu_prime", "z")
    return scalar_or_array((z > 0).astype(z.dtype), z)


def step(z):
    """Heaviside step: 1 where z > 0, 0 elsewhere (z = 0 gives 0), integers of z's shape — a threshold unit's
    output, and ReLU's derivative in integers."""
    return (as_float_array(z, "step", "z") > 0).astype(np.int64)


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


def log_softmax(x):
    """log softmax(x) down each column of ``x (k, m)``, computed stably as x − max − log Σ e^(x − max)."""
    x = check_scores(x, "log_softmax")
    shifted = x - x.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def cross_entropy(x, c):
    """Softmax cross-entropy (deck 004's log-softmax loss): mean of log Σ_j e^(x_j) − x_c.

    Args: ``x (k, m)`` scores (logits, *before* softmax); ``c (m,)`` integer classes 0…k−1.
    """
    x = check_scores(x, "cross_entropy")
    c = check_targets(c, x, "cross_entropy")
    return float(-np.mean(log_softmax(x)[c, np.arange(x.shape[1])]))


def cross_entropy_prime(x, c):
    """(softmax(x) − onehot(c)) / m, shape ``(k, m)``."""
    x = check_scores(x, "cross_entropy_prime")
    c = check_targets(c, x, "cross_entropy_prime")
    g = softmax(x)
    g[c, np.arange(x.shape[1])] -= 1
    return g / x.shape[1]
