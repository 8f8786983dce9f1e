"""Notebook 01's answers: a threshold unit, logic gates by hand, Rosenblatt's rule and XOR with two layers.

A single unit is a linear classifier, so no choice of (w, b) computes XOR (Minsky and Papert); two layers do:
XOR(x1, x2) = OR(AND(x1, ¬x2), AND(¬x1, x2)), deck 000's f = h1·¬h2 + ¬h1·h2.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..backend import as_float_array, as_matrix
from ..data.toy import SIGN_GATES
from ..network.threshold import unit_function

#: step units on 0/1 inputs: gate → (w, b) with output 1 iff w·x + b > 0 (the answers to ``logic_gate``)
STEP_GATES = {
    "AND": (np.array([1.0, 1.0]), -1.5),
    "OR": (np.array([1.0, 1.0]), -0.5),
    "NAND": (np.array([-1.0, -1.0]), 1.5),
    "NOR": (np.array([-1.0, -1.0]), 0.5),
}


def perceptron(X, w, b, unit="step"):
    """One threshold unit on rows: ``X (m, n)``, ``w (n,)``, scalar ``b`` → ``(m,)`` integer outputs.

    ``unit="step"`` gives 1 if w·x + b > 0 else 0; ``unit="sign"`` gives sign(w·x + b).
    """
    X = as_matrix(X, "perceptron", "X", "(m, n) — one row per example")
    w = as_float_array(w, "perceptron", "w")
    if w.shape != (X.shape[1],):
        raise ValueError(f"perceptron: w must have shape ({X.shape[1]},) for X of shape {X.shape}, got {w.shape}")
    return unit_function(unit)(X @ w + float(b))


def logic_gate(name):
    """``(w (2,), b)`` of a step unit that computes the gate ``name`` ("AND", "OR", "NAND", "NOR") on 0/1."""
    return STEP_GATES[name]


class PerceptronFit(NamedTuple):
    """Result of ``perceptron_train``: weights ``w (n,)``, bias ``b`` and mistakes per epoch."""
    w: np.ndarray
    b: float
    mistakes: list[int]


def perceptron_train(X, y, lr=1.0, epochs=20, w0=None, b0=0.0) -> PerceptronFit:
    """Rosenblatt's learning rule for a step unit on 0/1 targets.

    For every row x (in order) with target t: p = step(w·x + b); w ← w + lr·(t − p)·x; b ← b + lr·(t − p).
    Stops after the first epoch without a mistake (the perceptron convergence theorem guarantees one when
    the data are linearly separable); otherwise runs all ``epochs``.

    Args:
        X: ``(m, n)`` rows; y: ``(m,)`` or ``(m, 1)`` of 0/1; w0: start weights ``(n,)`` (zeros if None).
    Returns:
        ``PerceptronFit(w, b, mistakes)`` with ``mistakes[e]`` the number of updates in epoch e.
    """
    X = as_matrix(X, "perceptron_train", "X", "(m, n) — one row per example")
    t = as_float_array(y, "perceptron_train", "y").reshape(-1)
    if t.shape[0] != X.shape[0]:
        raise ValueError(f"perceptron_train: X has {X.shape[0]} rows but y has {t.shape[0]} targets")
    w = np.zeros(X.shape[1]) if w0 is None else as_float_array(w0, "perceptron_train", "w0").astype(float).copy()
    b = float(b0)
    mistakes = []
    for _ in range(int(epochs)):
        count = 0
        for x, target in zip(X, t):
            error = target - (1.0 if x @ w + b > 0 else 0.0)
            if error:
                w = w + lr * error * x
                b = b + lr * error
                count += 1
        mistakes.append(count)
        if count == 0:
            break
    return PerceptronFit(w, float(b), mistakes)


def xor_network(unit="step"):
    """Hand-set two-layer XOR: hidden units AND(x1, ¬x2) and AND(¬x1, x2), output their OR.

    Returns ``(w, b)`` in the bootcamp's list format (w[0] (2, 2), b[0] (2, 1), w[1] (1, 2), b[1] (1, 1)),
    for 0/1 inputs with ``unit="step"`` or ±1 inputs with ``unit="sign"``.
    """
    unit_function(unit)
    gates = STEP_GATES if unit == "step" else SIGN_GATES
    hidden_b = -0.5 if unit == "step" else -1.5     # fires only for (1, 0) resp. (0, 1)
    w0 = np.array([[1.0, -1.0], [-1.0, 1.0]])
    b0 = np.array([[hidden_b], [hidden_b]])
    w_or, b_or = gates["OR"]
    return [w0, w_or.reshape(1, 2)], [b0, np.array([[b_or]])]
