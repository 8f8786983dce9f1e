"""Notebook 04's answers: the sigmoid's derivative and backpropagation (deck 000's BP1–BP4).

``backprop`` gets the exact gradient of ``cost_function`` from one forward and one backward pass, vectorised
over the batch, in the structure ``gradient_estimator`` returns: ``(w_grads, b_grads)``, lists shaped like
``w`` and ``b``. ``layer_gradients`` is BP3 and BP4 for one layer; the ``Dense`` layer's backward pass calls it.
"""
from __future__ import annotations

import numpy as np

from ..backend import as_float_array, check_params, check_rows, scalar_or_array
from .nb02_forward_pass import sigmoid

FROM_YOURS = {"layer_gradients": "nnlab.from_yours"}  # the kit's layer_gradients while 04 is open: built on yours

def sigmoid_prime(z):
    """σ'(z) = σ(z)·(1 − σ(z)) = e^(−|z|) / (1 + e^(−|z|))², elementwise.

    The second form is symmetric in z and keeps full relative precision in both tails, where
    ``1 - sigmoid(z)`` would cancel catastrophically. Same shape and dtype as ``z``.
    """
    z = as_float_array(z, "sigmoid_prime", "z")
    e = np.exp(-np.abs(z))
    out = (e / (1 + e) ** 2).astype(z.dtype, copy=False)
    return scalar_or_array(out, z)


def layer_gradients(delta, a_prev):
    """BP4 and BP3 for one layer: ``(∂C/∂w, ∂C/∂b)`` from its error ``delta (n_out, m)`` and its input
    ``a_prev (n_in, m)``; shapes ``(n_out, n_in)`` and ``(n_out, 1)``. Summing over the columns adds up the
    m examples' contributions."""
    return delta @ a_prev.T, delta.sum(axis=1, keepdims=True)


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
        w_grads[l], b_grads[l] = layer_gradients(delta, activations[l])            # BP4, BP3
    return w_grads, b_grads
