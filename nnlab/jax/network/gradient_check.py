"""Gradient checking in JAX: central differences of deck 001's cost, every parameter's nudge evaluated as one
vectorised computation (``lax.map`` in chunks) instead of a Python loop. ``relative_error`` is numpy's
(``nnlab.relative_error``), which takes JAX arrays as they are."""
from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree

from ...backend import check_params, check_rows
from ..answers.nb08_jax import jax_cost
from ..backend import JAX

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
def _central(X, y, w, b, eps):
    return each_parameter(lambda nudged, i: (nudged(i, eps) - nudged(i, -eps)) / (2 * eps), X, y, w, b)


def central_difference_gradient(X, y, w, b, eps=1e-5):
    """Central differences (C(θ + eps·e_i) − C(θ − eps·e_i)) / 2eps: ``(w_grads, b_grads)``."""
    w, b = check_params(w, b, "central_difference_gradient", JAX)
    X, y = check_rows(X, y, w, "central_difference_gradient", JAX)
    if not eps > 0:
        raise ValueError(f"central_difference_gradient: eps must be a positive number, got {eps}")
    return _central(X, y, list(w), list(b), eps)
