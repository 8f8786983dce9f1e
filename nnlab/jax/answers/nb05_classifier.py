"""Notebook 05's answers in JAX: ReLU's derivative, softmax, the softmax cross-entropy and its derivative, the
dense layer's forward and backward pass, one epoch of mini-batch SGD, and the momentum and RMSprop updates.

Scores are columns ``x (k, m)``; losses are means over the m examples and come back as 0-d arrays (so they can
be traced by ``jit`` and ``grad``); each ``<name>_prime`` is ∂loss/∂x, shape ``(k, m)``. Shapes and return
structures are numpy's (``nnlab.answers.nb05_classifier``); the dense cache is the same ``DenseCache``.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ...answers.nb04_backprop import layer_gradients
from ...answers.nb05_classifier import DenseCache
from ...backend import as_matrix, check_params, check_scores, check_targets
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


def dense_forward(a, w, b):
    """``z = w @ a + b`` for ``a (n_in, m)``, ``w (n_out, n_in)``, ``b (n_out, 1)``: ``(z (n_out, m), cache)``."""
    a = as_matrix(a, "dense_forward", "a", "(n_in, m) — one column per example", JAX)
    w = as_matrix(w, "dense_forward", "w", "(n_out, n_in)", JAX)
    b = as_matrix(b, "dense_forward", "b", "(n_out, 1)", JAX)
    if b.shape != (w.shape[0], 1):
        raise ValueError(f"dense_forward: b must be ({w.shape[0]}, 1), one bias per output unit, got {b.shape}")
    if a.shape[0] != w.shape[1]:
        raise ValueError(f"dense_forward: a has {a.shape[0]} rows (features) but w has shape {w.shape}, "
                         f"which expects {w.shape[1]}")
    return w @ a + b, DenseCache(a, w)


def dense_backward(dz, cache):
    """``(da = wᵀ dz (n_in, m), dw = dz aᵀ (n_out, n_in), db = Σ_columns dz (n_out, 1))``."""
    a, w = cache
    dz = as_matrix(dz, "dense_backward", "dz", "(n_out, m) — one column per example", JAX)
    if dz.shape != (w.shape[0], a.shape[1]):
        raise ValueError(f"dense_backward: dz must have z's shape ({w.shape[0]}, {a.shape[1]}), got {dz.shape}")
    dw, db = layer_gradients(dz, a)
    return w.T @ dz, dw, db


def sgd_epoch(X, y, w, b, lr, batches):
    """One epoch of mini-batch SGD on a ReLU network with a softmax cross-entropy output: ``(w, b, losses)``
    (numpy's ``sgd_epoch``: ``X (m, n_in)`` rows, ``y (m,)`` classes, ``batches`` index arrays, in order)."""
    w, b = check_params(w, b, "sgd_epoch", JAX)
    X = as_matrix(X, "sgd_epoch", "X", "(m, n_in) — one row per example", JAX)
    y = jnp.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"sgd_epoch: y must hold one integer class per row of X, shape ({X.shape[0]},), "
                         f"got {y.shape}")
    w, b, losses = list(w), list(b), []
    for idx in batches:
        idx = jnp.asarray(idx)
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = jax.nn.relu(z) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in range(len(w) - 1, -1, -1):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses


def momentum_update(w, dw, v, lr, beta):
    """``v ← β·v + dw``, ``w ← w − lr·v``: the new ``(w, v)``."""
    v = beta * JAX.as_float(v, "momentum_update", "v") + JAX.as_float(dw, "momentum_update", "dw")
    return JAX.as_float(w, "momentum_update", "w") - lr * v, v


def rmsprop_update(w, dw, s, lr, rho, eps):
    """``s ← ρ·s + (1 − ρ)·dw²``, ``w ← w − lr·dw / (√s + eps)``: the new ``(w, s)``."""
    dw = JAX.as_float(dw, "rmsprop_update", "dw")
    s = rho * JAX.as_float(s, "rmsprop_update", "s") + (1 - rho) * dw * dw
    return JAX.as_float(w, "rmsprop_update", "w") - lr * dw / (jnp.sqrt(s) + eps), s
