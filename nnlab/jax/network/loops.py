"""The training loops in JAX: deck 001's ``GD`` and deck 004's mini-batch loop.

``GD`` runs all its epochs inside one compiled ``lax.scan`` (or step by step when it has a callback to call).
``minibatch_gd`` takes its batches from ``nnlab.network.batching`` with numpy's generator from the same seed
as the numpy backend, so both backends visit the batches in the same order; each epoch is one compiled scan
over the equal batches, plus a step for the remainder.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from ...backend import check_params, check_rows
from ...network.batching import batch_rows, epoch_batches
from ...network.callbacks import train_begin, train_end
from ...network.descent import step_along
from ..answers.nb03_gradient_descent import forward_differences, gd_step_estimated
from ..answers.nb04_backprop import backprop
from ..answers.nb08_jax import jax_cost
from ..backend import JAX


@partial(jax.jit, static_argnames=("epoch",))
def _gd_scan(X, y, w, b, epoch, lr):
    def body(params, _):
        w, b = step_along(*params, *forward_differences(X, y, *params, 1e-4), lr)
        return (w, b), jax_cost(X, y, w, b)

    (w, b), errors = jax.lax.scan(body, (w, b), None, length=epoch)
    return w, b, errors


def GD(X, y, w, b, epoch, lr, callback: Callable | None = None):
    """``epoch`` steps of ``one_step_gd``; returns ``(w, b, errors)``, ``errors[i]`` the cost after step i.

    ``callback(i, cost)`` is called after every step when given (the steps then run one compiled call each).
    """
    w, b = check_params(w, b, "GD", JAX)
    X, y = check_rows(X, y, w, "GD", JAX)
    if callback is None:
        return _gd_scan(X, y, w, b, int(epoch), lr)
    errors = []
    train_begin(callback, int(epoch), "step")
    for i in range(int(epoch)):
        w, b = gd_step_estimated(X, y, w, b, lr)
        errors.append(jax_cost(X, y, w, b))
        callback(i, float(errors[-1]))
    train_end(callback)
    return w, b, jnp.asarray(errors, dtype=X.dtype).reshape(int(epoch))


def _batch_step(gradient, params, rows, X, y, lr):
    w, b = params
    return step_along(w, b, *gradient(X[rows], y[rows], w, b), lr)


@partial(jax.jit, static_argnames=("gradient",))
def _epoch(X, y, w, b, batches, rest, lr, gradient):
    def body(params, rows):
        return _batch_step(gradient, params, rows, X, y, lr), None

    (w, b), _ = jax.lax.scan(body, (w, b), batches)
    if rest.size:
        w, b = _batch_step(gradient, (w, b), rest, X, y, lr)
    return w, b, jax_cost(X, y, w, b)


def minibatch_gd(X, y, w, b, epochs, lr, batch_size=None, seed=None, gradient=backprop):
    """Batch, mini-batch or stochastic gradient descent with ``backprop`` (or any ``gradient(X, y, w, b)``
    written in jax.numpy). Returns ``(w, b, errors)`` with the full-data cost after each epoch."""
    w, b = check_params(w, b, "minibatch_gd", JAX)
    X, y = check_rows(X, y, w, "minibatch_gd", JAX)
    m, size = X.shape[0], batch_rows(X.shape[0], batch_size)
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(int(epochs)):
        batches = epoch_batches(m, size, rng if size < m else None)
        w, b, cost = _epoch(X, y, w, b, jnp.asarray(batches.full), jnp.asarray(batches.rest), lr, gradient)
        errors.append(cost)
    return w, b, jnp.stack(errors) if errors else jnp.zeros(0, X.dtype)
