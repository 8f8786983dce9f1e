"""Notebook 02's answers (the bootcamp's Challenges 1–3): parameters, the sigmoid, the forward pass,
predictions on rows and deck 001's cost.

The bootcamp stores a network as two lists: ``w[l]`` of shape ``(n_out, n_in)`` and ``b[l]`` of shape
``(n_out, 1)`` for the layer that maps ``layer_sizes[l]`` units to ``layer_sizes[l + 1]`` units. Columns
inside, rows outside: ``forward_pass`` takes activations as columns ``(n_in, m)``, while ``predict`` and
``cost_function`` take a data set as rows ``X (m, n_in)`` and transpose, exactly as deck 001 does.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..backend import as_float_array, as_matrix, check_params, check_rows, scalar_or_array


def nn_parameter_maker(layer_sizes: Sequence[int], seed=None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Challenge 1: standard-normal weights and biases for a network with the given layer sizes.

    Args:
        layer_sizes: units per layer, input first, e.g. ``[2, 3, 1]``; at least two positive integers.
        seed: anything ``numpy.random.default_rng`` accepts (an int, a Generator, or None for fresh entropy).

    Returns:
        ``(w, b)``: lists of length ``len(layer_sizes) - 1`` with ``w[l]`` ``(layer_sizes[l+1], layer_sizes[l])``
        and ``b[l]`` ``(layer_sizes[l+1], 1)``, float64. Draw order: ``w[0], b[0], w[1], b[1], …``.

    >>> w, b = nn_parameter_maker([2, 3, 1], seed=0)
    >>> [x.shape for x in w], [x.shape for x in b]
    ([(3, 2), (1, 3)], [(3, 1), (1, 1)])
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"nn_parameter_maker: layer_sizes needs at least an input and an output size, got {sizes}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"nn_parameter_maker: layer sizes must be positive integers, got {sizes}")
    rng = np.random.default_rng(seed)
    w, b = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w.append(rng.standard_normal((int(n_out), int(n_in))))
        b.append(rng.standard_normal((int(n_out), 1)))
    return w, b


def sigmoid(z):
    """Challenge 2: σ(z) = 1 / (1 + e^(−z)), elementwise, exact to float precision for every finite input.

    The textbook formula ``1 / (1 + exp(-z))`` overflows for z < -709 (float64) and warns. Multiplying its
    top and bottom by ``exp(min(z, 0))`` gives ``exp(min(z, 0)) / (1 + exp(-|z|))``: ``1 / (1 + e^(−z))`` for
    z ≥ 0 and ``e^z / (1 + e^z)`` for z < 0. Both exponents are ≤ 0, so nothing overflows and relative
    accuracy holds in both tails; two exponentials cost less than picking between the two forms elementwise.

    Args:
        z: scalar or array of any shape; integers become float64, floats keep their dtype.
    Returns:
        σ(z), same shape and dtype; never warns, never NaN for finite z (σ(±1000) = 1 and 0).
    """
    z = as_float_array(z, "sigmoid", "z")
    out = np.exp(np.minimum(z, 0))             # both exponentials in (0, 1]: no overflow
    out /= 1 + np.exp(-np.abs(z))
    return scalar_or_array(out, z)


def forward_pass(inp, w, b) -> np.ndarray:
    """Challenge 3: the sigmoid network's output for inputs given as columns.

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
