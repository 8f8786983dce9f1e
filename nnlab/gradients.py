"""Challenge 4 and backpropagation: two ways to get the gradient of ``cost_function``.

``gradient_estimator`` is deck 001's finite-difference estimate: nudge one parameter by eps, run one more
forward pass, divide the change in cost by eps — one forward pass per parameter. ``backprop`` gets the exact
gradient from one forward and one backward pass with deck 000's equations BP1–BP4, vectorised over the batch.
Both return ``(w_grads, b_grads)``: lists shaped like ``w`` and ``b``.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_params, check_rows
from .activations import sigmoid, sigmoid_prime
from .network import cost_function


def gradient_estimator(X, y, w, b, eps=1e-4):
    """Forward-difference estimate of ∂cost/∂θ for every weight and bias.

    ∂C/∂θ ≈ (C(θ + eps) − C(θ)) / eps, one parameter at a time, on copies (the arguments are never changed).

    Args:
        X: ``(m, n_in)``; y: ``(m, n_out)``; w, b: parameter lists; eps: the step (deck 001 uses 1e-4).
    Returns:
        ``(w_pds, b_pds)``, lists with the shapes of ``w`` and ``b``. Accurate to about eps relative.
    """
    return _finite_differences(X, y, w, b, eps, central=False, func="gradient_estimator")


def central_difference_gradient(X, y, w, b, eps=1e-5):
    """Central-difference gradient (C(θ + eps) − C(θ − eps)) / 2eps: error O(eps²), two passes per parameter."""
    return _finite_differences(X, y, w, b, eps, central=True, func="central_difference_gradient")


def _finite_differences(X, y, w, b, eps, central, func):
    w, b = check_params(w, b, func)
    X, y = check_rows(X, y, w, func)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"{func}: eps must be a positive number, got {eps}")
    w = [wl.copy() for wl in w]                 # work on copies: the caller's arrays stay untouched
    b = [bl.copy() for bl in b]
    base = None if central else cost_function(X, y, w, b)
    grads = []
    for params in (w, b):
        out = []
        for p in params:
            g = np.empty_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                up = cost_function(X, y, w, b)
                if central:
                    p[idx] = old - eps
                    g[idx] = (up - cost_function(X, y, w, b)) / (2 * eps)
                else:
                    g[idx] = (up - base) / eps
                p[idx] = old
            out.append(g)
        grads.append(out)
    return grads[0], grads[1]


def backprop(X, y, w, b):
    """Exact gradient of ``cost_function(X, y, w, b)`` by backpropagation (deck 000, BP1–BP4).

    With C = Σ(a_L − y)² / m over the m examples (columns), ∇_a C = 2(a_L − y) / m, and:

    - BP1  δ_L = ∇_a C ⊙ σ'(z_L)
    - BP2  δ_l = (w[l+1]ᵀ δ_{l+1}) ⊙ σ'(z_l)
    - BP3  ∂C/∂b[l] = Σ over examples of δ_l   → ``(n_out, 1)``
    - BP4  ∂C/∂w[l] = δ_l a_{l−1}ᵀ             → ``(n_out, n_in)``

    Args:
        X: ``(m, n_in)`` rows; y: ``(m, n_out)`` rows; w, b: parameter lists.
    Returns:
        ``(w_grads, b_grads)`` in the structure ``gradient_estimator`` returns.
    """
    w, b = check_params(w, b, "backprop")
    X, y = check_rows(X, y, w, "backprop")
    m = X.shape[0]
    activations, zs = [X.T], []                 # forward pass, keeping every z and a (columns)
    for wl, bl in zip(w, b):
        zs.append(wl @ activations[-1] + bl)
        activations.append(sigmoid(zs[-1]))
    w_grads, b_grads = [None] * len(w), [None] * len(w)
    delta = (2 / m) * (activations[-1] - y.T) * sigmoid_prime(zs[-1])             # BP1
    for l in range(len(w) - 1, -1, -1):
        if l < len(w) - 1:
            delta = (w[l + 1].T @ delta) * sigmoid_prime(zs[l])                    # BP2
        b_grads[l] = delta.sum(axis=1, keepdims=True)                              # BP3
        w_grads[l] = delta @ activations[l].T                                      # BP4
    return w_grads, b_grads


def relative_error(a, b, floor=1e-12) -> float:
    """max |a − b| / max(|a|, |b|, floor) over every entry of two arrays or two lists of arrays."""
    if isinstance(a, (list, tuple)):
        return max((relative_error(x, y, floor) for x, y in zip(a, b)), default=0.0)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denom = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    return float(np.max(np.abs(a - b) / denom)) if a.size else 0.0
