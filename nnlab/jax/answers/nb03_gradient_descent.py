"""Notebook 03's answers in JAX: deck 001's finite-difference gradient and one step of gradient descent.

``gradient_estimator`` perturbs one parameter per forward pass like deck 001's, but runs all those passes as
one vectorised computation (``each_parameter``: ``lax.map`` in chunks) instead of a Python loop; the cost
is notebook 08's ``jax_cost``, the JAX cost of the whole package.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree

from ...network.descent import step_along
from ...backend import check_gradient_inputs, check_params, check_rows
from ..backend import JAX
from .nb08_jax import jax_cost

CHUNK = 256             # perturbed forward passes evaluated together


def each_parameter(derivative, X, y, w, b):
    """``derivative(nudged, i)`` for every parameter θ_i of ``(w, b)``, shaped like ``(w, b)``;
    ``nudged(i, delta)`` is deck 001's cost with θ_i moved by ``delta``. Traceable (call it inside ``jit``)."""
    flat, unravel = ravel_pytree((w, b))

    def nudged(i, delta):
        return jax_cost(X, y, *unravel(flat.at[i].add(delta)))
    return unravel(jax.lax.map(lambda i: derivative(nudged, i), jnp.arange(flat.size),
                               batch_size=CHUNK).astype(flat.dtype))


@jax.jit
def forward_differences(X, y, w, b, eps):
    """(C(θ + eps·e_i) − C(θ)) / eps for every parameter θ_i, compiled: ``(w_pds, b_pds)``."""
    base = jax_cost(X, y, w, b)
    return each_parameter(lambda nudged, i: (nudged(i, eps) - base) / eps, X, y, w, b)


def gradient_estimator(X, y, w, b, eps=1e-4):
    """Forward differences (C(θ + eps·e_i) − C(θ)) / eps for every parameter: ``(w_pds, b_pds)``."""
    X, y, w, b = check_gradient_inputs(X, y, w, b, eps, "gradient_estimator", JAX)
    return forward_differences(X, y, list(w), list(b), eps)


@jax.jit
def gd_step_estimated(X, y, w, b, lr):
    """One step along deck 001's estimate (eps = 1e-4), compiled."""
    return step_along(w, b, *forward_differences(X, y, w, b, 1e-4), lr)


def one_step_gd(X, y, w, b, lr):
    """θ ← θ − lr · ∂C/∂θ with deck 001's forward-difference gradient. Returns ``(new_w, new_b)``."""
    w, b = check_params(w, b, "one_step_gd", JAX)
    X, y = check_rows(X, y, w, "one_step_gd", JAX)
    return gd_step_estimated(X, y, w, b, lr)
