"""Challenge 3 and deck 001's helpers: the forward pass, predictions on rows, and the cost.

Columns inside, rows outside: ``forward_pass`` takes activations as columns ``(n_in, m)``, while ``predict``
and ``cost_function`` take a data set as rows ``X (m, n_in)`` and transpose, exactly as deck 001 does.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_matrix, check_params, check_rows
from .activations import sigmoid


def forward_pass(inp, w, b) -> np.ndarray:
    """Sigmoid network output for inputs given as columns.

    Args:
        inp: ``(n_in, m)``, one example per column.
        w, b: lists with ``w[l]`` ``(n_out, n_in)`` and ``b[l]`` ``(n_out, 1)``.
    Returns:
        ``a_L`` of shape ``(n_out_last, m)``: a ← σ(w[l] @ a + b[l]) for every layer in turn.
    """
    a = as_matrix(inp, "forward_pass", "inp", "(n_in, m) — one column per example")
    w, b = check_params(w, b, "forward_pass")
    if a.shape[0] != w[0].shape[1]:
        raise ValueError(f"forward_pass: inp has shape {a.shape} but w[0] has shape {w[0].shape}, so inp "
                         f"must have {w[0].shape[1]} rows (one per input feature); did you pass rows instead of columns?")
    for wl, bl in zip(w, b):
        a = sigmoid(wl @ a + bl)
    return a


def predict(X, w, b) -> np.ndarray:
    """Network output for a data set given as rows: ``X (m, n_in)`` → ``(m, n_out)``."""
    X = as_matrix(X, "predict", "X", "(m, n_in) — one row per example")
    return forward_pass(X.T, w, b).T


def cost_function(X, y, w, b):
    """Deck 001's cost: the sum of squared errors divided by the number of examples m.

    Args:
        X: ``(m, n_in)`` rows; y: ``(m, n_out)`` rows (a 1-D y is a ValueError, never a silent broadcast).
    Returns:
        ``sum((predict(X, w, b) - y) ** 2) / m`` as a numpy float scalar.
    """
    X, y = check_rows(X, y, w, "cost_function")
    y_pred = predict(X, w, b)
    return np.sum((y_pred - y) ** 2) / X.shape[0]
