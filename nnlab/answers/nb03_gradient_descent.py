"""Notebook 03's answers (the bootcamp's Challenges 4 and 5): deck 001's finite-difference gradient and one
step of gradient descent along it.

``gradient_estimator`` nudges one parameter by eps, runs one more forward pass and divides the change in cost
by eps: one forward pass per parameter. ``central_difference_gradient`` is the more accurate estimate the tests
check backprop against: (C(θ + eps) − C(θ − eps)) / 2eps has error O(eps²), against O(eps) for forward
differences, at the price of two forward passes per parameter. ``one_step_gd`` steps along the estimate with
``nnlab.network.descent.step_along``. All three return new lists shaped like ``w`` and ``b`` and never change
their arguments.
"""
from __future__ import annotations

import numpy as np

from ..backend import check_gradient_inputs
from ..network.descent import step_along
from .nb02_forward_pass import cost_function


def gradient_estimator(X, y, w, b, eps=1e-4):
    """Challenge 4: forward-difference estimate of ∂cost/∂θ for every weight and bias.

    ∂C/∂θ ≈ (C(θ + eps) − C(θ)) / eps, one parameter at a time, on copies (the arguments are never changed).

    Args:
        X: ``(m, n_in)``; y: ``(m, n_out)``; w, b: parameter lists; eps: the step (deck 001 uses 1e-4).
    Returns:
        ``(w_pds, b_pds)``, lists with the shapes of ``w`` and ``b``. Accurate to about eps relative.
    """
    X, y, w, b = check_gradient_inputs(X, y, w, b, eps, "gradient_estimator")
    w, b = [wl.copy() for wl in w], [bl.copy() for bl in b]     # nudge copies: the caller's arrays stay
    base = cost_function(X, y, w, b)
    pds = [np.empty_like(p) for p in w + b]
    for pd, p in zip(pds, w + b):
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            pd[idx] = (cost_function(X, y, w, b) - base) / eps
            p[idx] = old
    return pds[:len(w)], pds[len(w):]


def central_difference_gradient(X, y, w, b, eps=1e-5):
    """Central-difference gradient of ``cost_function``: ``(w_grads, b_grads)`` shaped like ``w`` and ``b``.

    Args: X ``(m, n_in)``; y ``(m, n_out)``; w, b parameter lists (never changed); eps the step.
    """
    X, y, w, b = check_gradient_inputs(X, y, w, b, eps, "central_difference_gradient")
    w, b = [wl.copy() for wl in w], [bl.copy() for bl in b]
    grads = [np.empty_like(p) for p in w + b]
    for g, p in zip(grads, w + b):
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            up = cost_function(X, y, w, b)
            p[idx] = old - eps
            g[idx] = (up - cost_function(X, y, w, b)) / (2 * eps)
            p[idx] = old
    return grads[:len(w)], grads[len(w):]


def one_step_gd(X, y, w, b, lr):
    """Challenge 5: one gradient-descent step, θ ← θ − lr · ∂C/∂θ, along ``gradient_estimator``'s estimate.

    Args: X ``(m, n_in)``; y ``(m, n_out)``; w, b parameter lists; lr the learning rate.
    Returns: ``(new_w, new_b)``, new lists shaped like ``w`` and ``b``.
    """
    w_pds, b_pds = gradient_estimator(X, y, w, b)
    return step_along(w, b, w_pds, b_pds, lr)
