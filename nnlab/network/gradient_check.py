"""Gradient checking: a central-difference gradient of deck 001's cost and the relative error between two
gradients — how notebooks and tests confirm a hand-written backward pass.

Central differences (C(θ + eps) − C(θ − eps)) / 2eps have error O(eps²), against O(eps) for the forward
differences of notebook 03, at the price of two forward passes per parameter.
"""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import cost_function
from ..backend import check_gradient_inputs


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


def relative_error(a, b, floor=1e-12) -> float:
    """max |a − b| / max(|a|, |b|, floor) over every entry of two arrays or two lists of arrays."""
    if isinstance(a, (list, tuple)):
        return max((relative_error(x, y, floor) for x, y in zip(a, b)), default=0.0)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denom = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    return float(np.max(np.abs(a - b) / denom)) if a.size else 0.0
