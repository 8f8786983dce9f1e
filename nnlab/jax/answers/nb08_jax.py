"""Notebook 08's answers in JAX: the cost in jax.numpy, its gradient by ``jax.grad``, per-example costs by
``jax.vmap`` and a compiled gradient-descent step — and ``cost_function``, the public cost of ``nnlab.jax``,
which is ``jax_cost`` behind the usual input checks.

``X (m, n_in)``, ``y (m, n_out)`` are rows; ``w``, ``b`` the bootcamp's lists. The pure functions here can be
traced by ``jit``, ``grad`` and ``vmap``; the checks compare them with the numpy answers derived by hand.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ...network.descent import step_along
from ...backend import check_params, check_rows
from ..backend import JAX
from .nb02_forward_pass import forward_columns


@jax.jit
def jax_cost(X, y, w, b):
    """Deck 001's cost Σ(predict(X) − y)² / m as a 0-d array."""
    return jnp.sum((forward_columns(X.T, w, b).T - y) ** 2) / X.shape[0]


#: ∂jax_cost/∂(w, b): ``(w_grads, b_grads)``, each a list shaped like its parameters
jax_gradient = jax.jit(jax.grad(jax_cost, argnums=(2, 3)))


@jax.jit
def per_example_cost(X, y, w, b):
    """Each example's squared error Σ_k (ŷ_k − y_k)², one row at a time through ``vmap``: ``(m,)``."""
    def one(x, t):
        return jnp.sum((forward_columns(x[:, None], w, b)[:, 0] - t) ** 2)
    return jax.vmap(one)(X, y)


@jax.jit
def gd_step(X, y, w, b, lr):
    """θ ← θ − lr · ∂C/∂θ along ``jax_gradient``: ``(new_w, new_b)``."""
    return step_along(w, b, *jax_gradient(X, y, w, b), lr)


def cost_function(X, y, w, b):
    """Σ(predict(X) − y)² / m as a 0-d array; ``X (m, n_in)``, ``y (m, n_out)``."""
    w, b = check_params(w, b, "cost_function", JAX)
    X, y = check_rows(X, y, w, "cost_function", JAX)
    return jax_cost(X, y, w, b)


def backprop_autodiff(X, y, w, b):
    """The gradient of ``cost_function`` through ``jax.grad``: the same ``(w_grads, b_grads)`` as ``backprop``."""
    w, b = check_params(w, b, "backprop_autodiff", JAX)
    X, y = check_rows(X, y, w, "backprop_autodiff", JAX)
    w_g, b_g = jax_gradient(X, y, w, b)
    return list(w_g), list(b_g)
