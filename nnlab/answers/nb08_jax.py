"""Notebook 08's answers, as the numpy references its checks compare against.

Notebook 08 writes the bootcamp's cost, gradient and training step again in JAX. Its checks compare with
numpy answers derived by hand, so autodiff is tested against an independent derivation: ``jax_cost`` is
checked against notebook 02's ``cost_function`` and ``jax_gradient`` against notebook 04's ``backprop``; the
two functions below are the rest. Their JAX versions are in ``nnlab.jax.answers.nb08_jax``.
"""
from __future__ import annotations

import numpy as np

from .nb02_forward_pass import predict
from ..network.descent import step_along
from .nb04_backprop import backprop


def per_example_cost(X, y, w, b):
    """Each example's squared error Σ_k (ŷ_k − y_k)²: ``X (m, n_in)``, ``y (m, n_out)`` → ``(m,)``."""
    return np.sum((predict(X, w, b) - np.asarray(y, float)) ** 2, axis=1)


def gd_step(X, y, w, b, lr):
    """One gradient-descent step along the exact gradient: ``(new_w, new_b)``, θ ← θ − lr · ∂C/∂θ."""
    return step_along(w, b, *backprop(X, y, w, b), lr)
