"""Loss functions and their derivatives (deck 004's appendix), and deck 003's L2-regularised cost.

Every loss takes the network's outputs as columns ``x (k, m)`` — one column per example — and returns the
**mean** loss over the m examples (a float). Its ``<name>_prime`` returns ∂(mean loss)/∂x with ``x``'s
shape, ready to start backpropagation. Targets come in the form each loss is written for:

============  =====================================  ============================  ======================
loss           per example                           target                        derivative per example
============  =====================================  ============================  ======================
square         ½‖x − d‖²                             d ``(k, m)``                  x − d
logistic       log(1 + e^(−c·x))                     c = ±1, ``(m,)``, k = 1       −c / (1 + e^(c·x))
hinge          max(0, margin − c·x)                  c = ±1, ``(m,)``, k = 1       −c·𝟙{c·x < margin}
cross_entropy  log Σ_j e^(x_j) − x_c  (log-softmax)  class c ∈ 0…k−1, ``(m,)``     softmax(x) − onehot(c)
max_margin     [max_{j≠c}(x_j + margin) − x_c]₊      class c ∈ 0…k−1, ``(m,)``     (δ_{j*} − δ_c)·𝟙{loss > 0}
============  =====================================  ============================  ======================

Classes are numbered from 0 (deck 004 counts from 1). The softmax cross-entropy and its derivative are
notebook 05's challenges, written with its answers and listed here in ``LOSSES``.
"""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import sigmoid
from ..answers.nb05_classifier import cross_entropy, cross_entropy_prime
from ..backend import as_float_array, check_scores, check_targets


def square_loss(x, d):
    """Mean over examples of ½‖x − d‖²; ``x`` and ``d`` are ``(k, m)``."""
    x = check_scores(x, "square_loss")
    d = as_float_array(d, "square_loss", "d")
    if d.shape != x.shape:
        raise ValueError(f"square_loss: d must have x's shape {x.shape}, got {d.shape}")
    return float(0.5 * np.sum((x - d) ** 2) / x.shape[1])


def square_loss_prime(x, d):
    """(x − d) / m, shape ``(k, m)``."""
    x = check_scores(x, "square_loss_prime")
    d = as_float_array(d, "square_loss_prime", "d")
    if d.shape != x.shape:
        raise ValueError(f"square_loss_prime: d must have x's shape {x.shape}, got {d.shape}")
    return (x - d) / x.shape[1]


def logistic_loss(x, c):
    """Mean of log(1 + e^(−c·x)) for scores ``x (1, m)`` and labels ``c (m,)`` in {−1, +1}.

    Computed as logaddexp(0, −c·x), which neither overflows nor loses the small losses to rounding.
    """
    x = check_scores(x, "logistic_loss")
    c = check_targets(c, x, "logistic_loss", signs=True)
    return float(np.mean(np.logaddexp(0, -c * x)))


def logistic_loss_prime(x, c):
    """−c / (1 + e^(c·x)) / m = −c·σ(−c·x) / m, shape ``(1, m)``."""
    x = check_scores(x, "logistic_loss_prime")
    c = check_targets(c, x, "logistic_loss_prime", signs=True)
    return -c * sigmoid(-c * x) / x.shape[1]


def hinge_loss(x, c, margin=1.0):
    """Mean of max(0, margin − c·x) for scores ``x (1, m)`` and labels ``c (m,)`` in {−1, +1}."""
    x = check_scores(x, "hinge_loss")
    c = check_targets(c, x, "hinge_loss", signs=True)
    return float(np.mean(np.maximum(0, margin - c * x)))


def hinge_loss_prime(x, c, margin=1.0):
    """−c·𝟙{c·x < margin} / m, shape ``(1, m)`` (0 at the kink, as the subgradient convention goes)."""
    x = check_scores(x, "hinge_loss_prime")
    c = check_targets(c, x, "hinge_loss_prime", signs=True)
    return (-c * (c * x < margin)) / x.shape[1]


def _runner_up(x, c):
    """k*: the highest-scoring wrong class of each column."""
    others = x.copy()
    others[c, np.arange(x.shape[1])] = -np.inf
    return others.argmax(axis=0)


def max_margin_loss(x, c, margin=1.0):
    """Mean of [max_{j≠c}(x_j + margin) − x_c]₊ for ``x (k, m)`` and classes ``c (m,)``; needs k ≥ 2."""
    x = check_scores(x, "max_margin_loss")
    c = check_targets(c, x, "max_margin_loss")
    cols = np.arange(x.shape[1])
    return float(np.mean(np.maximum(0, x[_runner_up(x, c), cols] + margin - x[c, cols])))


def max_margin_loss_prime(x, c, margin=1.0):
    """(δ_{j k*} − δ_{j c}) · 𝟙{loss > 0} / m, shape ``(k, m)``."""
    x = check_scores(x, "max_margin_loss_prime")
    c = check_targets(c, x, "max_margin_loss_prime")
    cols = np.arange(x.shape[1])
    k_star = _runner_up(x, c)
    active = (x[k_star, cols] + margin - x[c, cols] > 0).astype(x.dtype)
    g = np.zeros_like(x)
    g[k_star, cols] += active
    g[c, cols] -= active
    return g / x.shape[1]


def l2_penalty(weights, lam, m):
    """Deck 003's regulariser λ/(2m) · Σ θ² over every weight matrix (biases are not regularised).

    Args: ``weights`` a list of arrays; ``lam`` λ ≥ 0; ``m`` the number of examples.
    """
    return float(lam / (2 * m) * sum(np.sum(np.square(wl)) for wl in weights))


def l2_penalty_prime(weights, lam, m):
    """(λ/m)·θ for each weight matrix: a list shaped like ``weights``."""
    return [(lam / m) * np.asarray(wl) for wl in weights]


def regularised_cost(probs, Y, weights, lam):
    """Deck 003's J(Θ): binary cross-entropy of K sigmoid outputs plus L2.

    J = −(1/m) Σ_i Σ_k [y log h + (1 − y) log(1 − h)] + λ/(2m) Σ θ².

    Args: ``probs`` h_Θ(x) ``(K, m)`` in (0, 1); ``Y`` ``(K, m)`` of 0/1; ``weights`` list; ``lam`` λ.
    Probabilities of exactly 0 or 1 are clipped by 1e-12 so a confident mistake costs a lot but not inf.
    """
    h = np.clip(check_scores(probs, "regularised_cost"), 1e-12, 1 - 1e-12)
    Y = as_float_array(Y, "regularised_cost", "Y")
    if Y.shape != h.shape:
        raise ValueError(f"regularised_cost: Y must have probs' shape {h.shape}, got {Y.shape}")
    m = h.shape[1]
    data = -np.sum(Y * np.log(h) + (1 - Y) * np.log1p(-h)) / m
    return float(data + l2_penalty(weights, lam, m))


#: Losses by name, each with its derivative (the table at the top says which target each takes).
LOSSES = {
    "square": (square_loss, square_loss_prime), "logistic": (logistic_loss, logistic_loss_prime),
    "hinge": (hinge_loss, hinge_loss_prime), "cross_entropy": (cross_entropy, cross_entropy_prime),
    "max_margin": (max_margin_loss, max_margin_loss_prime),
}
