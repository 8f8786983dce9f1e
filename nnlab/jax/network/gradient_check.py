"""Gradient checking in JAX: central differences of deck 001's cost, every parameter's nudge evaluated as one
vectorised computation (notebook 03's ``each_parameter``: ``lax.map`` in chunks) instead of a Python loop.
To compare gradients use numpy's ``nnlab.relative_error``, which takes JAX arrays as they are."""
from __future__ import annotations

import jax

from ...backend import check_gradient_inputs
from ..answers.nb03_gradient_descent import each_parameter
from ..backend import JAX


@jax.jit
def _central(X, y, w, b, eps):
    return each_parameter(lambda nudged, i: (nudged(i, eps) - nudged(i, -eps)) / (2 * eps), X, y, w, b)


def central_difference_gradient(X, y, w, b, eps=1e-5):
    """Central differences (C(θ + eps·e_i) − C(θ − eps·e_i)) / 2eps: ``(w_grads, b_grads)``."""
    X, y, w, b = check_gradient_inputs(X, y, w, b, eps, "central_difference_gradient", JAX)
    return _central(X, y, list(w), list(b), eps)
