"""Notebook 05's answers: ReLU's derivative, softmax, the softmax cross-entropy and its derivative, the dense
layer's forward and backward pass, one epoch of mini-batch SGD, and the momentum and RMSprop updates.

Scores are columns ``x (k, m)``, one column per example; classes are numbered from 0 (deck 004 counts from 1).
The loss is the **mean** over the m examples, and its derivative ∂(mean loss)/∂x has ``x``'s shape, ready to
start backpropagation. A dense layer is the bootcamp's ``z = w @ a + b`` with ``w (n_out, n_in)``,
``b (n_out, 1)`` and ``a (n_in, m)``; its backward pass is BP2's ``wᵀ δ`` and BP3–BP4 for one layer.
``step`` is the Heaviside step that threshold units use, the same function as ``relu_prime`` in integers, so
it lives here with it. The toolkit's ``Dense`` layer, ``Momentum`` and ``RMSprop`` call these functions.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..backend import as_float_array, as_matrix, check_params, check_scores, check_targets, scalar_or_array
from .nb04_backprop import layer_gradients


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


class DenseCache(NamedTuple):
    """What ``dense_backward`` needs from the forward pass: the layer's input and its weights."""
    a: np.ndarray           # (n_in, m)
    w: np.ndarray           # (n_out, n_in)


def dense_forward(a, w, b):
    """A dense layer before its activation: ``z = w @ a + b``.

    Args: ``a (n_in, m)`` columns, ``w (n_out, n_in)``, ``b (n_out, 1)``.
    Returns: ``(z, cache)``, ``z (n_out, m)``; ``cache`` keeps ``a`` and ``w`` for ``dense_backward``.
    """
    a = as_matrix(a, "dense_forward", "a", "(n_in, m) — one column per example")
    w = as_matrix(w, "dense_forward", "w", "(n_out, n_in)")
    b = as_matrix(b, "dense_forward", "b", "(n_out, 1)")
    if b.shape != (w.shape[0], 1):
        raise ValueError(f"dense_forward: b must be ({w.shape[0]}, 1), one bias per output unit, got {b.shape}")
    if a.shape[0] != w.shape[1]:
        raise ValueError(f"dense_forward: a has {a.shape[0]} rows (features) but w has shape {w.shape}, "
                         f"which expects {w.shape[1]}")
    z = w @ a
    z += b
    return z, DenseCache(a, w)


def dense_backward(dz, cache):
    """The dense layer's backward pass from ``dz = ∂C/∂z (n_out, m)``: ``(da, dw, db)``.

    ``da = wᵀ dz`` (n_in, m) is what the layer below receives (BP2 before its σ'); ``dw = dz aᵀ``
    (n_out, n_in) and ``db = Σ_columns dz`` (n_out, 1) are BP4 and BP3: the m examples' contributions add up
    (any 1/m of a mean cost is already inside ``dz``).
    """
    a, w = cache
    dz = as_matrix(dz, "dense_backward", "dz", "(n_out, m) — one column per example")
    if dz.shape != (w.shape[0], a.shape[1]):
        raise ValueError(f"dense_backward: dz must have z's shape ({w.shape[0]}, {a.shape[1]}), got {dz.shape}")
    dw, db = layer_gradients(dz, a)
    return w.T @ dz, dw, db


def sgd_epoch(X, y, w, b, lr, batches):
    """One epoch of mini-batch SGD on a ReLU network with a softmax cross-entropy output.

    Every layer but the last applies ReLU; the last gives the logits ``z_L (k, m_batch)``. For each index
    array ``idx`` of ``batches``, in order: forward on the columns ``X[idx].T``, the batch's mean
    ``cross_entropy(z_L, y[idx])``, the backward pass, and θ ← θ − lr·∂loss/∂θ for every w and b.

    Args: ``X (m, n_in)`` rows; ``y (m,)`` integer classes 0…k−1; ``w``, ``b`` lists (``w[l] (n_out, n_in)``,
    ``b[l] (n_out, 1)``); ``lr`` a number; ``batches`` a list of integer index arrays into the rows of X.
    Returns: ``(w, b, losses)``: new lists (the arguments are not changed) and each batch's loss before its step.
    """
    w, b = check_params(w, b, "sgd_epoch")
    X = as_matrix(X, "sgd_epoch", "X", "(m, n_in) — one row per example")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"sgd_epoch: y must hold one integer class per row of X, shape ({X.shape[0]},), "
                         f"got {y.shape}")
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in range(len(w) - 1, -1, -1):
            da, dw, db = dense_backward(dz, caches[l])       # through the weights of the forward pass
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses


def momentum_update(w, dw, v, lr, beta):
    """One step of SGD with momentum (PyTorch's form): ``v ← β·v + dw``, ``w ← w − lr·v``.

    ``w``, ``dw`` and ``v`` share one shape (any); returns the new ``(w, v)``, the arguments unchanged.
    """
    v = beta * as_float_array(v, "momentum_update", "v") + as_float_array(dw, "momentum_update", "dw")
    return as_float_array(w, "momentum_update", "w") - lr * v, v


def rmsprop_update(w, dw, s, lr, rho, eps):
    """One RMSprop step (PyTorch's form): ``s ← ρ·s + (1 − ρ)·dw²``, ``w ← w − lr·dw / (√s + eps)``.

    Each weight's step is divided by a running root mean square of its own gradients. ``w``, ``dw`` and ``s``
    share one shape (any); returns the new ``(w, s)``, the arguments unchanged.
    """
    dw = as_float_array(dw, "rmsprop_update", "dw")
    s = rho * as_float_array(s, "rmsprop_update", "s") + (1 - rho) * dw * dw
    return as_float_array(w, "rmsprop_update", "w") - lr * dw / (np.sqrt(s) + eps), s
