"""Training loops on the bootcamp's parameter lists: deck 001's ``GD`` and deck 004's ``minibatch_gd``.

``GD`` repeats notebook 03's ``one_step_gd`` and returns one cost per epoch (plot it with
``nnlab.plots.plot_loss``). ``minibatch_gd`` is deck 004's batch / mini-batch / stochastic loop with notebook
04's ``backprop``. Neither prints or changes its arguments; ``GD`` plots only through a callback such as
``nnlab.LivePlot``.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..answers.nb02_forward_pass import cost_function
from ..answers.nb03_gradient_descent import one_step_gd
from ..answers.nb04_backprop import backprop
from ..backend import check_params, check_rows
from .batching import batch_rows, epoch_batches
from .callbacks import train_begin, train_end
from .descent import step_along


def GD(X, y, w, b, epoch, lr, callback: Callable | None = None):
    """``epoch`` steps of ``one_step_gd``; returns ``(w, b, errors)`` with ``errors[i]`` the cost after step i.

    X ``(m, n_in)``, y ``(m, n_out)``; w, b parameter lists; ``callback(i, cost)``, if given, is called after
    every step (``nnlab.LivePlot`` draws the curve live).
    """
    errors = np.empty(int(epoch))
    train_begin(callback, int(epoch), "step")
    for i in range(int(epoch)):
        w, b = one_step_gd(X, y, w, b, lr)
        errors[i] = cost_function(X, y, w, b)
        if callback is not None:
            callback(i, float(errors[i]))
    train_end(callback)
    return w, b, errors


def minibatch_gd(X, y, w, b, epochs, lr, batch_size=None, seed=None, gradient=backprop):
    """Deck 004's three flavours of gradient descent in one loop.

    Each epoch shuffles the m rows with ``default_rng(seed)`` and takes one step per batch of ``batch_size``
    rows: ``batch_size=None`` (or m) is batch GD, in the rows' order; 1 is stochastic GD, anything between is
    mini-batch. X ``(m, n_in)``, y ``(m, n_out)``; ``gradient(X, y, w, b)`` returns ``(w_grads, b_grads)``.

    Returns: ``(w, b, errors)`` with ``errors[i]`` the full-data cost after epoch i.
    """
    w, b = check_params(w, b, "minibatch_gd")
    X, y = check_rows(X, y, w, "minibatch_gd")
    m, size = X.shape[0], batch_rows(X.shape[0], batch_size)
    rng = np.random.default_rng(seed)
    errors = np.empty(int(epochs))
    for e in range(int(epochs)):
        for rows in epoch_batches(m, size, rng if size < m else None).each():
            w, b = step_along(w, b, *gradient(X[rows], y[rows], w, b), lr)
        errors[e] = cost_function(X, y, w, b)
    return w, b, errors
