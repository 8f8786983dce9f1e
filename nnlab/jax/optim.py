"""Challenge 5 and the training loops in JAX: one step, deck 001's GD, and deck 004's mini-batch loop.

``GD`` runs all its epochs inside one compiled ``lax.scan`` (or step by step when it has a callback to call).
``minibatch_gd`` draws its shuffles with numpy from the same seed as the numpy backend, so both backends
visit the batches in the same order; each epoch is one compiled scan over equal batches, plus a step for the
remainder.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from ..live import train_begin, train_end
from ..optim import batch_rows
from ._arrays import check_params, check_rows
from .gradients import _fd, backprop
from .network import _cost


def _step(w, b, w_grads, b_grads, lr):
    return [wl - lr * g for wl, g in zip(w, w_grads)], [bl - lr * g for bl, g in zip(b, b_grads)]


@jax.jit
def _one_step(X, y, w, b, lr):
    return _step(w, b, *_fd(X, y, w, b, 1e-4, False), lr)


def one_step_gd(X, y, w, b, lr):
    """θ ← θ − lr · ∂C/∂θ with deck 001's forward-difference gradient. Returns ``(new_w, new_b)``."""
    w, b = check_params(w, b, "one_step_gd")
    X, y = check_rows(X, y, w, "one_step_gd")
    return _one_step(X, y, w, b, lr)


@partial(jax.jit, static_argnames=("epoch",))
def _gd_scan(X, y, w, b, epoch, lr):
    def body(params, _):
        w, b = _step(*params, *_fd(X, y, *params, 1e-4, False), lr)
        return (w, b), _cost(X, y, w, b)

    (w, b), errors = jax.lax.scan(body, (w, b), None, length=epoch)
    return w, b, errors


def GD(X, y, w, b, epoch, lr, callback: Callable | None = None):
    """``epoch`` steps of ``one_step_gd``; returns ``(w, b, errors)``, ``errors[i]`` the cost after step i.

    ``callback(i, cost)`` is called after every step when given (the steps then run one compiled call each).
    """
    w, b = check_params(w, b, "GD")
    X, y = check_rows(X, y, w, "GD")
    if callback is None:
        return _gd_scan(X, y, w, b, int(epoch), lr)
    errors = []
    train_begin(callback, int(epoch), "step")
    for i in range(int(epoch)):
        w, b = _one_step(X, y, w, b, lr)
        errors.append(_cost(X, y, w, b))
        callback(i, float(errors[-1]))
    train_end(callback)
    return w, b, jnp.asarray(errors, dtype=X.dtype).reshape(int(epoch))


def _batch_step(gradient, params, rows, X, y, lr):
    w, b = params
    return _step(w, b, *gradient(X[rows], y[rows], w, b), lr)


@partial(jax.jit, static_argnames=("gradient",))
def _epoch(X, y, w, b, batches, rest, lr, gradient):
    def body(params, rows):
        return _batch_step(gradient, params, rows, X, y, lr), None

    (w, b), _ = jax.lax.scan(body, (w, b), batches)
    if rest.size:
        w, b = _batch_step(gradient, (w, b), rest, X, y, lr)
    return w, b, _cost(X, y, w, b)


def minibatch_gd(X, y, w, b, epochs, lr, batch_size=None, seed=None, gradient=backprop):
    """Batch, mini-batch or stochastic gradient descent with ``backprop`` (or any ``gradient(X, y, w, b)``
    written in jax.numpy). Returns ``(w, b, errors)`` with the full-data cost after each epoch."""
    w, b = check_params(w, b, "minibatch_gd")
    X, y = check_rows(X, y, w, "minibatch_gd")
    m, size = X.shape[0], batch_rows(X.shape[0], batch_size)
    rng = np.random.default_rng(seed)
    full = m // size * size
    errors = []
    for _ in range(int(epochs)):
        order = rng.permutation(m) if size < m else np.arange(m)
        w, b, cost = _epoch(X, y, w, b, jnp.asarray(order[:full].reshape(-1, size)), jnp.asarray(order[full:]),
                            lr, gradient)
        errors.append(cost)
    return w, b, jnp.stack(errors) if errors else jnp.zeros(0, X.dtype)
