"""Challenge 4 and backpropagation in JAX: finite differences, BP1–BP4 by hand, and ``jax.grad``.

``gradient_estimator`` perturbs one parameter per forward pass like deck 001's, but runs all those passes as
one vectorised computation (``vmap``, in chunks) instead of a Python loop. ``backprop`` is deck 000's four
equations in jax.numpy; ``backprop_autodiff`` gets the same numbers from ``jax.grad(cost_function)`` and is
the oracle for both backends' hand-written backward passes.
"""
from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree

from ._arrays import check_params, check_rows
from .activations import _sigmoid, _sigmoid_prime
from .network import _cost

_CHUNK = 256            # perturbed forward passes evaluated together


def gradient_estimator(X, y, w, b, eps=1e-4):
    """Forward differences (C(θ + eps·e_i) − C(θ)) / eps for every parameter: ``(w_pds, b_pds)``."""
    return _finite_differences(X, y, w, b, eps, False, "gradient_estimator")


def central_difference_gradient(X, y, w, b, eps=1e-5):
    """Central differences (C(θ + eps·e_i) − C(θ − eps·e_i)) / 2eps: ``(w_grads, b_grads)``."""
    return _finite_differences(X, y, w, b, eps, True, "central_difference_gradient")


def _finite_differences(X, y, w, b, eps, central, func):
    w, b = check_params(w, b, func)
    X, y = check_rows(X, y, w, func)
    if not eps > 0:
        raise ValueError(f"{func}: eps must be a positive number, got {eps}")
    return _fd(X, y, list(w), list(b), eps, central)


@partial(jax.jit, static_argnames=("central",))
def _fd(X, y, w, b, eps, central):
    flat, unravel = ravel_pytree((w, b))

    def cost_at(vec):
        return _cost(X, y, *unravel(vec))

    base = None if central else cost_at(flat)

    def one(i):
        up = cost_at(flat.at[i].add(eps))
        down = cost_at(flat.at[i].add(-eps)) if central else base
        return (up - down) / ((2 if central else 1) * eps)

    return unravel(jax.lax.map(one, jnp.arange(flat.size), batch_size=_CHUNK).astype(flat.dtype))


@jax.jit
def _backprop(X, y, w, b):
    m = X.shape[0]
    activations, zs = [X.T], []
    for wl, bl in zip(w, b):
        zs.append(wl @ activations[-1] + bl)
        activations.append(_sigmoid(zs[-1]))
    w_grads, b_grads = [None] * len(w), [None] * len(w)
    delta = (2 / m) * (activations[-1] - y.T) * _sigmoid_prime(zs[-1])          # BP1
    for l in range(len(w) - 1, -1, -1):
        if l < len(w) - 1:
            delta = (w[l + 1].T @ delta) * _sigmoid_prime(zs[l])                 # BP2
        b_grads[l] = delta.sum(axis=1, keepdims=True)                            # BP3
        w_grads[l] = delta @ activations[l].T                                    # BP4
    return w_grads, b_grads


def backprop(X, y, w, b):
    """Exact gradient of ``cost_function`` by BP1–BP4: ``(w_grads, b_grads)`` shaped like ``w`` and ``b``."""
    w, b = check_params(w, b, "backprop")
    X, y = check_rows(X, y, w, "backprop")
    return _backprop(X, y, w, b)


_autodiff = jax.jit(jax.grad(_cost, argnums=(2, 3)))


def backprop_autodiff(X, y, w, b):
    """The gradient of ``cost_function`` through ``jax.grad``: the same ``(w_grads, b_grads)`` as ``backprop``."""
    w, b = check_params(w, b, "backprop_autodiff")
    X, y = check_rows(X, y, w, "backprop_autodiff")
    w_g, b_g = _autodiff(X, y, w, b)
    return list(w_g), list(b_g)
