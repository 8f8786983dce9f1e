"""Notebook 03's answers in JAX: deck 001's finite-difference gradient and one step of gradient descent.

``gradient_estimator`` perturbs one parameter per forward pass like deck 001's, but runs all those passes as
one vectorised computation (``lax.map`` in chunks, ``nnlab.jax.network.gradient_check.each_parameter``)
instead of a Python loop.
"""
from __future__ import annotations

import jax

from ...backend import check_params, check_rows
from ..backend import JAX
from ..network.gradient_check import each_parameter
from .nb08_jax import jax_cost


@jax.jit
def forward_differences(X, y, w, b, eps):
    """(C(θ + eps·e_i) − C(θ)) / eps for every parameter θ_i, compiled: ``(w_pds, b_pds)``."""
    base = jax_cost(X, y, w, b)
    return each_parameter(lambda nudged, i: (nudged(i, eps) - base) / eps, X, y, w, b)


def gradient_estimator(X, y, w, b, eps=1e-4):
    """Forward differences (C(θ + eps·e_i) − C(θ)) / eps for every parameter: ``(w_pds, b_pds)``."""
    w, b = check_params(w, b, "gradient_estimator", JAX)
    X, y = check_rows(X, y, w, "gradient_estimator", JAX)
    if not eps > 0:
        raise ValueError(f"gradient_estimator: eps must be a positive number, got {eps}")
    return forward_differences(X, y, list(w), list(b), eps)


def step_along(w, b, w_grads, b_grads, lr):
    """θ ← θ − lr · g for every weight and bias: new lists ``(new_w, new_b)``."""
    return [wl - lr * g for wl, g in zip(w, w_grads)], [bl - lr * g for bl, g in zip(b, b_grads)]


@jax.jit
def gd_step_estimated(X, y, w, b, lr):
    """One step along deck 001's estimate (eps = 1e-4), compiled."""
    return step_along(w, b, *forward_differences(X, y, w, b, 1e-4), lr)


def one_step_gd(X, y, w, b, lr):
    """θ ← θ − lr · ∂C/∂θ with deck 001's forward-difference gradient. Returns ``(new_w, new_b)``."""
    w, b = check_params(w, b, "one_step_gd", JAX)
    X, y = check_rows(X, y, w, "one_step_gd", JAX)
    return gd_step_estimated(X, y, w, b, lr)
