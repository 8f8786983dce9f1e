"""Challenge 3 in JAX: the sigmoid forward pass on columns, ``predict`` on rows, and deck 001's cost."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ._arrays import as_matrix, check_params, check_rows
from .activations import _sigmoid


@jax.jit
def _forward(a, w, b):
    for wl, bl in zip(w, b):
        a = _sigmoid(wl @ a + bl)
    return a


@jax.jit
def _cost(X, y, w, b):
    return jnp.sum((_forward(X.T, w, b).T - y) ** 2) / X.shape[0]


def forward_pass(inp, w, b):
    """``a_L (n_out_last, m)`` for inputs as columns ``inp (n_in, m)``: a ← σ(w[l] @ a + b[l])."""
    a = as_matrix(inp, "forward_pass", "inp", "(n_in, m) — one column per example")
    w, b = check_params(w, b, "forward_pass")
    if a.shape[0] != w[0].shape[1]:
        raise ValueError(f"forward_pass: inp has shape {a.shape} but w[0] has shape {w[0].shape}, so inp "
                         f"must have {w[0].shape[1]} rows (one per input feature); did you pass rows instead of columns?")
    return _forward(a, w, b)


def predict(X, w, b):
    """Network output for rows: ``X (m, n_in)`` → ``(m, n_out)``."""
    X = as_matrix(X, "predict", "X", "(m, n_in) — one row per example")
    return forward_pass(X.T, w, b).T


def cost_function(X, y, w, b):
    """Σ(predict(X) − y)² / m as a 0-d array; ``X (m, n_in)``, ``y (m, n_out)``."""
    w, b = check_params(w, b, "cost_function")
    X, y = check_rows(X, y, w, "cost_function")
    return _cost(X, y, w, b)
