"""Notebook 07's answers: one step of a plain RNN cell, and one step of deck 000's LSTM cell forwards and
backwards, in columns.

    h_t = tanh(Wh [h_{t−1}; x_t] + bh)     the plain RNN cell

and the LSTM:

    f_t = σ(Wf [h_{t−1}; x_t] + bf)        forget gate
    i_t = σ(Wi [h_{t−1}; x_t] + bi)        input gate
    C̃_t = tanh(Wc [h_{t−1}; x_t] + bc)     candidate cell
    C_t = f_t ⊙ C_{t−1} + i_t ⊙ C̃_t
    o_t = σ(Wo [h_{t−1}; x_t] + bo)        output gate
    h_t = o_t ⊙ tanh(C_t)

``x_t (n_x, m)``, ``h, c (n_h, m)``; ``params`` as in ``nnlab.ops.lstm_params``. The gates are computed fused,
f, i, C̃, o stacked in one ``(4·n_h, m)`` array; ``lstm_forward`` runs these same two steps (``cell_step``) at
every time step, and ``lstm_backward`` the backward step (``cell_gradients``).

Backwards, C_t reaches the loss directly (∂L/∂C_t from the step above) and through h_t, so its whole gradient
is dC = ∂L/∂C_t + ∂L/∂h_t ⊙ o_t ⊙ (1 − tanh² C_t), and ∂L/∂C_{t−1} = dC ⊙ f_t.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..ops.lstm_params import check_cell_inputs, check_rnn_inputs, fuse_gates, split_gates
from .nb02_forward_pass import sigmoid

# The kit's, while 07 is open: the LSTM's steps built on your lstm_cell_forward and lstm_cell_backward.
FROM_YOURS = {"cell_step": "nnlab.from_yours", "cell_gradients": "nnlab.from_yours"}


class RNNCache(NamedTuple):
    """One plain RNN step's values for its backward pass."""
    hx: np.ndarray          # [h_{t−1}; x_t]  (n_h + n_x, m)
    h_t: np.ndarray         # (n_h, m)
    Wh: np.ndarray          # (n_h, n_h + n_x)


def rnn_cell_forward(x_t, h_prev, params):
    """One plain RNN step, h_t = tanh(Wh [h_prev; x_t] + bh).

    Args: ``x_t (n_x, m)``, ``h_prev (n_h, m)``, ``params`` ``{"Wh": (n_h, n_h + n_x), "bh": (n_h, 1)}``.
    Returns ``(h_t (n_h, m), cache)``.
    """
    x_t, h_prev, Wh, bh = check_rnn_inputs(x_t, h_prev, params)
    hx = np.concatenate([h_prev, x_t])
    h_t = np.tanh(Wh @ hx + bh)
    return h_t, RNNCache(hx, h_t, Wh)


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


def cell_gradients(dh, dc, gates, tanh_c, c_prev, n_h):
    """The backward step on fused values: ``(dz (4·n_h, m), dc_prev (n_h, m))``, dz being ∂loss/∂(the fused
    pre-activations), from ``dh``, ``dc (n_h, m)`` (∂loss/∂h_t and ∂loss/∂C_t from above) and the step's
    activated ``gates (4·n_h, m)``, ``tanh_c`` and ``c_prev (n_h, m)``. ``lstm_backward`` runs it at every step."""
    f, i, g, o = (gates[k * n_h:(k + 1) * n_h] for k in range(4))
    dc = dc + dh * o * (1 - tanh_c * tanh_c)        # C_t reaches the loss directly and through h_t
    dz = np.empty_like(gates)
    dz[:n_h] = dc * c_prev * f * (1 - f)
    dz[n_h:2 * n_h] = dc * g * i * (1 - i)
    dz[2 * n_h:3 * n_h] = dc * i * (1 - g * g)
    dz[3 * n_h:] = dh * tanh_c * o * (1 - o)
    return dz, dc * f


def lstm_cell_backward(dh, dc, cache: CellCache):
    """Backward through one LSTM step. Args: ``dh``, ``dc (n_h, m)``: ∂loss/∂h_t and ∂loss/∂C_t from above;
    ``cache`` from ``lstm_cell_forward``.

    Returns ``(dx (n_x, m), dh_prev (n_h, m), dc_prev (n_h, m), grads)``, ``grads`` keyed like ``params``
    (each ``W`` ``(n_h, n_h + n_x)``, each ``b`` ``(n_h, 1)``).
    """
    hx, c_prev, gates, tanh_c, W = cache
    n_h = W.shape[0] // 4
    if np.shape(dh) != c_prev.shape or np.shape(dc) != c_prev.shape:
        raise ValueError(f"lstm_cell_backward: dh and dc must be (n_h, m) = {c_prev.shape}, got {np.shape(dh)} "
                         f"and {np.shape(dc)}")
    dz, dc_prev = cell_gradients(np.asarray(dh), np.asarray(dc), gates, tanh_c, c_prev, n_h)
    dhx = W.T @ dz
    return dhx[n_h:], dhx[:n_h], dc_prev, split_gates(dz @ hx.T, dz.sum(axis=1, keepdims=True), n_h)
