"""Deck 004's losses and deck 003's L2 cost in jax.numpy (see nnlab.ops.losses for the formulas); the
softmax cross-entropy is notebook 05's challenge, with its answers.

Scores are columns ``x (k, m)``; losses are means over the m examples and come back as 0-d arrays (so they
can be traced by ``jit`` and ``grad``); each ``<name>_prime`` is ∂loss/∂x, shape ``(k, m)``.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ...backend import check_scores, check_targets
from ..answers.nb05_classifier import cross_entropy, cross_entropy_prime
from ..backend import JAX, as_float


def square_loss(x, d):
    """Mean over examples of ½‖x − d‖²."""
    x, d = check_scores(x, "square_loss", JAX), as_float(d, "square_loss", "d")
    if d.shape != x.shape:
        raise ValueError(f"square_loss: d must have x's shape {x.shape}, got {d.shape}")
    return 0.5 * jnp.sum((x - d) ** 2) / x.shape[1]


def square_loss_prime(x, d):
    x, d = check_scores(x, "square_loss_prime", JAX), as_float(d, "square_loss_prime", "d")
    if d.shape != x.shape:
        raise ValueError(f"square_loss_prime: d must have x's shape {x.shape}, got {d.shape}")
    return (x - d) / x.shape[1]


def logistic_loss(x, c):
    """Mean of log(1 + e^(−c·x)), as logaddexp(0, −c·x); ``x (1, m)``, ``c (m,)`` in {−1, +1}."""
    x = check_scores(x, "logistic_loss", JAX)
    return jnp.mean(jnp.logaddexp(0, -check_targets(c, x, "logistic_loss", signs=True, backend=JAX) * x))


def logistic_loss_prime(x, c):
    x = check_scores(x, "logistic_loss_prime", JAX)
    c = check_targets(c, x, "logistic_loss_prime", signs=True, backend=JAX)
    return -c * jax.nn.sigmoid(-c * x) / x.shape[1]


def hinge_loss(x, c, margin=1.0):
    x = check_scores(x, "hinge_loss", JAX)
    return jnp.mean(jnp.maximum(0, margin - check_targets(c, x, "hinge_loss", signs=True, backend=JAX) * x))


def hinge_loss_prime(x, c, margin=1.0):
    x = check_scores(x, "hinge_loss_prime", JAX)
    c = check_targets(c, x, "hinge_loss_prime", signs=True, backend=JAX)
    return (-c * (c * x < margin)) / x.shape[1]


def _runner_up(x, c):
    cols = jnp.arange(x.shape[1])
    return x.at[c, cols].set(-jnp.inf).argmax(axis=0)


def max_margin_loss(x, c, margin=1.0):
    """Mean of [max_{j≠c}(x_j + margin) − x_c]₊; needs k ≥ 2."""
    x = check_scores(x, "max_margin_loss", JAX)
    c = check_targets(c, x, "max_margin_loss", backend=JAX)
    cols = jnp.arange(x.shape[1])
    return jnp.mean(jnp.maximum(0, x[_runner_up(x, c), cols] + margin - x[c, cols]))


def max_margin_loss_prime(x, c, margin=1.0):
    x = check_scores(x, "max_margin_loss_prime", JAX)
    c = check_targets(c, x, "max_margin_loss_prime", backend=JAX)
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
    h = jnp.clip(check_scores(probs, "regularised_cost", JAX), 1e-12, 1 - 1e-12)
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
