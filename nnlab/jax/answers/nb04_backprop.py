"""Notebook 04's answers in JAX: the sigmoid's derivative and deck 000's BP1–BP4 by hand in jax.numpy.

``backprop`` returns ``(w_grads, b_grads)`` shaped like ``w`` and ``b``; ``jax.grad`` of the cost
(``backprop_autodiff``, notebook 08) gets the same numbers and is the oracle for both backends' hand-written
backward passes.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ...answers.nb04_backprop import layer_gradients
from ...backend import check_params, check_rows
from ..backend import JAX
from .nb02_forward_pass import sigmoid_of


@jax.jit
def sigmoid_prime_of(z):
    """σ'(z) = e^(−|z|) / (1 + e^(−|z|))² on a JAX array, compiled."""
    e = jnp.exp(-jnp.abs(z))
    return e / (1 + e) ** 2


def sigmoid_prime(z):
    """σ'(z) = e^(−|z|) / (1 + e^(−|z|))² elementwise, any shape."""
    return sigmoid_prime_of(JAX.as_float(z, "sigmoid_prime", "z"))


@jax.jit
def backprop_compiled(X, y, w, b):
    """BP1–BP4 on checked inputs, compiled: ``(w_grads, b_grads)``."""
    m = X.shape[0]
    activations, zs = [X.T], []
    for wl, bl in zip(w, b):
        zs.append(wl @ activations[-1] + bl)
        activations.append(sigmoid_of(zs[-1]))
    w_grads, b_grads = [None] * len(w), [None] * len(w)
    delta = (2 / m) * (activations[-1] - y.T) * sigmoid_prime_of(zs[-1])          # BP1
    for l in range(len(w) - 1, -1, -1):
        if l < len(w) - 1:
            delta = (w[l + 1].T @ delta) * sigmoid_prime_of(zs[l])                 # BP2
        w_grads[l], b_grads[l] = layer_gradients(delta, activations[l])           # BP4, BP3
    return w_grads, b_grads


def backprop(X, y, w, b):
    """Exact gradient of ``cost_function`` by BP1–BP4: ``(w_grads, b_grads)`` shaped like ``w`` and ``b``."""
    w, b = check_params(w, b, "backprop", JAX)
    X, y = check_rows(X, y, w, "backprop", JAX)
    return backprop_compiled(X, y, w, b)
