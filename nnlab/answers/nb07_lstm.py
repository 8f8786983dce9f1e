"""Notebook 07's answer: one step of deck 000's LSTM cell, in columns.

    f_t = σ(Wf [h_{t−1}; x_t] + bf)        forget gate
    i_t = σ(Wi [h_{t−1}; x_t] + bi)        input gate
    C̃_t = tanh(Wc [h_{t−1}; x_t] + bc)     candidate cell
    C_t = f_t ⊙ C_{t−1} + i_t ⊙ C̃_t
    o_t = σ(Wo [h_{t−1}; x_t] + bo)        output gate
    h_t = o_t ⊙ tanh(C_t)

``x_t (n_x, m)``, ``h, c (n_h, m)``; ``params`` as in ``nnlab.ops.lstm_params``. The gates are computed fused,
f, i, C̃, o stacked in one ``(4·n_h, m)`` array; ``lstm_forward`` runs these same two steps (``cell_step``) at
every time step.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..ops.lstm_params import check_cell_inputs, fuse_gates
from .nb02_forward_pass import sigmoid


FROM_YOURS = {"cell_step": "nnlab.from_yours"}     # the kit's cell_step while 07 is open: built on yours


class CellCache(NamedTuple):
    """One step's values for ``lstm_cell_backward``. ``gates`` is ``(4·n_h, m)``: f, i, C̃, o stacked."""
    hx: np.ndarray          # [h_{t−1}; x_t]  (n_h + n_x, m)
    c_prev: np.ndarray
    gates: np.ndarray
    tanh_c: np.ndarray
    W: np.ndarray           # fused (4·n_h, n_h + n_x)


def activate_gates(z, n_h):
    """Activate the fused pre-activations ``z (4·n_h, m)`` in place — σ, σ, tanh, σ — and return ``z``."""
    z[:2 * n_h] = sigmoid(z[:2 * n_h])
    np.tanh(z[2 * n_h:3 * n_h], out=z[2 * n_h:3 * n_h])
    z[3 * n_h:] = sigmoid(z[3 * n_h:])
    return z


def update_state(gates, c_prev, n_h):
    """``(h_t, c_t, tanh(c_t))`` from the activated gates ``(4·n_h, m)`` and ``c_prev (n_h, m)``."""
    f, i, g, o = (gates[k * n_h:(k + 1) * n_h] for k in range(4))
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    return o * tanh_c, c_t, tanh_c


def cell_step(z, c_prev, n_h):
    """Both steps on the fused pre-activations ``z (4·n_h, m)`` (activated in place): ``(gates, h_t, c_t,
    tanh(c_t))``, gates ``(4·n_h, m)``, the others ``(n_h, m)``. ``lstm_forward`` runs it at every time step."""
    gates = activate_gates(z, n_h)
    return (gates, *update_state(gates, c_prev, n_h))


def lstm_cell_forward(x_t, h_prev, c_prev, params):
    """One LSTM step. Args: ``x_t (n_x, m)``, ``h_prev (n_h, m)``, ``c_prev (n_h, m)``, ``params``.

    Returns ``(h_t, c_t, cache)``, both states ``(n_h, m)``.
    """
    W, b, n_h = fuse_gates(params)
    x_t, h_prev, c_prev = check_cell_inputs(x_t, h_prev, c_prev, W, n_h)
    hx = np.concatenate([h_prev, x_t])
    gates, h_t, c_t, tanh_c = cell_step(W @ hx + b, c_prev, n_h)
    return h_t, c_t, CellCache(hx, c_prev, gates, tanh_c, W)
