"""Deck 004's losses and deck 003's L2 cost in jax.numpy (see nnlab.losses for the formulas).

Scores are columns ``x (k, m)``; losses are means over the m examples and come back as 0-d arrays (so they
can be traced by ``jit`` and ``grad``); each ``<name>_prime`` is ∂loss/∂x, shape ``(k, m)``.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from .. import losses as _np_losses
from ._arrays import as_float


def _scores(x, func):
    return _np_losses._scores(x, func, as_float)


def _labels(c, x, func, signs=False):
    c = jnp.asarray(c)
    m = x.shape[1]
    if c.shape != (m,):
        raise ValueError(f"{func}: the targets must be 1-D with one entry per example, shape ({m},), "
                         f"got shape {c.shape}")
    if signs:
        if x.shape[0] != 1:
            raise ValueError(f"{func}: x must be (1, m) — one score per example — got shape {x.shape}")
        if not isinstance(c, jax.core.Tracer) and not bool(jnp.all((c == 1) | (c == -1))):
            raise ValueError(f"{func}: the targets must be −1 or +1")
        return c.astype(x.dtype)[None, :]
    if not jnp.issubdtype(c.dtype, jnp.integer):
        raise ValueError(f"{func}: the targets must be integer classes 0…{x.shape[0] - 1}")
    if not isinstance(c, jax.core.Tracer) and c.size and (int(c.min()) < 0 or int(c.max()) >= x.shape[0]):
        raise ValueError(f"{func}: the targets must be integer classes 0…{x.shape[0] - 1}")
    return c


def square_loss(x, d):
    """Mean over examples of ½‖x − d‖²."""
    x, d = _scores(x, "square_loss"), as_float(d, "square_loss", "d")
    if d.shape != x.shape:
        raise ValueError(f"square_loss: d must have x's shape {x.shape}, got {d.shape}")
    return 0.5 * jnp.sum((x - d) ** 2) / x.shape[1]


def square_loss_prime(x, d):
    x, d = _scores(x, "square_loss_prime"), as_float(d, "square_loss_prime", "d")
    if d.shape != x.shape:
        raise ValueError(f"square_loss_prime: d must have x's shape {x.shape}, got {d.shape}")
    return (x - d) / x.shape[1]


def logistic_loss(x, c):
    """Mean of log(1 + e^(−c·x)), as logaddexp(0, −c·x); ``x (1, m)``, ``c (m,)`` in {−1, +1}."""
    x = _scores(x, "logistic_loss")
    return jnp.mean(jnp.logaddexp(0, -_labels(c, x, "logistic_loss", signs=True) * x))


def logistic_loss_prime(x, c):
    x = _scores(x, "logistic_loss_prime")
    c = _labels(c, x, "logistic_loss_prime", signs=True)
    return -c * jax.nn.sigmoid(-c * x) / x.shape[1]


def hinge_loss(x, c, margin=1.0):
    x = _scores(x, "hinge_loss")
    return jnp.mean(jnp.maximum(0, margin - _labels(c, x, "hinge_loss", signs=True) * x))


def hinge_loss_prime(x, c, margin=1.0):
    x = _scores(x, "hinge_loss_prime")
    c = _labels(c, x, "hinge_loss_prime", signs=True)
    return (-c * (c * x < margin)) / x.shape[1]


def log_softmax(x):
    """log softmax(x) down each column of ``x (k, m)``."""
    return jax.nn.log_softmax(_scores(x, "log_softmax"), axis=0)


def cross_entropy(x, c):
    """Softmax cross-entropy of logits ``x (k, m)`` against integer classes ``c (m,)``: mean of −log s_c."""
    x = _scores(x, "cross_entropy")
    c = _labels(c, x, "cross_entropy")
    return -jnp.mean(jax.nn.log_softmax(x, axis=0)[c, jnp.arange(x.shape[1])])


def cross_entropy_prime(x, c):
    """(softmax(x) − onehot(c)) / m."""
    x = _scores(x, "cross_entropy_prime")
    c = _labels(c, x, "cross_entropy_prime")
    return (jax.nn.softmax(x, axis=0) - jax.nn.one_hot(c, x.shape[0], dtype=x.dtype, axis=0)) / x.shape[1]


def _runner_up(x, c):
    cols = jnp.arange(x.shape[1])
    return x.at[c, cols].set(-jnp.inf).argmax(axis=0)


def max_margin_loss(x, c, margin=1.0):
    """Mean of [max_{j≠c}(x_j + margin) − x_c]₊; needs k ≥ 2."""
    x = _scores(x, "max_margin_loss")
    c = _labels(c, x, "max_margin_loss")
    cols = jnp.arange(x.shape[1])
    return jnp.mean(jnp.maximum(0, x[_runner_up(x, c), cols] + margin - x[c, cols]))


def max_margin_loss_prime(x, c, margin=1.0):
    x = _scores(x, "max_margin_loss_prime")
    c = _labels(c, x, "max_margin_loss_prime")
    cols = jnp.arange(x.shape[1])
    k_star = _runner_up(x, c)
    active = (x[k_star, cols] + margin - x[c, cols] > 0).astype(x.dtype)
    return jnp.zeros_like(x).at[k_star, cols].add(active).at[c, cols].add(-active) / x.shape[1]


def l2_penalty(weights, lam, m):
    """λ/(2m) · Σ θ² over the weight matrices."""
    return lam / (2 * m) * sum(jnp.sum(jnp.square(jnp.asarray(wl))) for wl in weights)


def l2_penalty_prime(weights, lam, m):
    return [(lam / m) * jnp.asarray(wl) for wl in weights]


def regularised_cost(probs, Y, weights, lam):
    """Deck 003's J(Θ): binary cross-entropy of K sigmoid outputs ``(K, m)`` plus L2 (clipped by 1e-12)."""
    h = jnp.clip(_scores(probs, "regularised_cost"), 1e-12, 1 - 1e-12)
    Y = as_float(Y, "regularised_cost", "Y")
    if Y.shape != h.shape:
        raise ValueError(f"regularised_cost: Y must have probs' shape {h.shape}, got {Y.shape}")
    m = h.shape[1]
    return -jnp.sum(Y * jnp.log(h) + (1 - Y) * jnp.log1p(-h)) / m + l2_penalty(weights, lam, m)


LOSSES = {
    "square": (square_loss, square_loss_prime), "logistic": (logistic_loss, logistic_loss_prime),
    "hinge": (hinge_loss, hinge_loss_prime), "cross_entropy": (cross_entropy, cross_entropy_prime),
    "max_margin": (max_margin_loss, max_margin_loss_prime),
}
