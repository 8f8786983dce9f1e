"""The LSTM's toolkit: whole sequences with backpropagation through time, and a readout.

Everything is in columns: ``x_t (n_x, m)``, ``h, c (n_h, m)``, sequences ``X (T, n_x, m)``; ``params`` as in
``nnlab.ops.lstm_params``. The cell's forward and backward steps are notebook 07's challenges
(``lstm_cell_forward`` and ``lstm_cell_backward``, with its answers); ``lstm_forward`` runs the forward step
over a sequence, with the input's share of every step computed in one product before the loop, and
``lstm_backward`` runs the backward step and gets the weight gradients of all steps in two products after it.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..answers.nb07_lstm import cell_gradients, cell_step
from ..backend import NUMPY, Backend, as_float_array
from .lstm_params import fuse_gates, split_gates


class SequenceCache(NamedTuple):
    """Everything BPTT needs: the inputs, every state and every gate activation."""
    X: np.ndarray           # (T, n_x, m)
    H: np.ndarray           # (T + 1, n_h, m): h_0 … h_T
    C: np.ndarray           # (T + 1, n_h, m): c_0 … c_T
    gates: np.ndarray       # (T, 4·n_h, m): f, i, C̃, o stacked per step
    tanh_C: np.ndarray      # (T, n_h, m)
    W: np.ndarray


def lstm_forward(X, h0, c0, params):
    """Run the cell over a sequence ``X (T, n_x, m)`` from states ``h0, c0 (n_h, m)``.

    Returns ``(H, C, cache)``: hidden states ``H (T, n_h, m)`` (h_1 … h_T) and cell states ``C (T, n_h, m)``.
    """
    W, b, n_h = fuse_gates(params)
    X = as_float_array(X, "lstm_forward", "X")
    if X.ndim != 3 or X.shape[1] != W.shape[1] - n_h:
        raise ValueError(f"lstm_forward: X must be (T, n_x, m) with n_x = {W.shape[1] - n_h}, got {X.shape}")
    T, _, m = X.shape
    if np.shape(h0) != (n_h, m) or np.shape(c0) != (n_h, m):
        raise ValueError(f"lstm_forward: h0 and c0 must be ({n_h}, {m}), got {np.shape(h0)} and {np.shape(c0)}")
    dtype = np.result_type(X, W)
    H = np.empty((T + 1, n_h, m), dtype)
    C = np.empty((T + 1, n_h, m), dtype)
    H[0], C[0] = h0, c0
    gates = np.matmul(W[:, n_h:], X)                 # the input's share of every step, in one product
    gates += b
    tanh_C = np.empty((T, n_h, m), dtype)
    Wh = W[:, :n_h]
    for t in range(T):
        z = gates[t]
        z += Wh @ H[t]
        gates[t], H[t + 1], C[t + 1], tanh_C[t] = cell_step(z, C[t], n_h)
    return H[1:], C[1:], SequenceCache(X, H, C, gates, tanh_C, W)


def lstm_backward(dH, cache: SequenceCache, dc_last=None):
    """Backpropagation through time.

    Args: ``dH (T, n_h, m)``: ∂loss/∂h_t for every step (zeros where the loss does not look);
    ``dc_last``: ∂loss/∂c_T if the loss uses the final cell state (default none).
    Returns ``(dX, dh0, dc0, grads)``: ``dX (T, n_x, m)``, ``dh0, dc0 (n_h, m)``, ``grads`` keyed like params.
    """
    X, H, C, gates, tanh_C, W = cache
    T, n_h = X.shape[0], W.shape[0] // 4
    dH = np.asarray(dH, dtype=H.dtype)
    if dH.shape != H[1:].shape:
        raise ValueError(f"lstm_backward: dH must be (T, n_h, m) = {H[1:].shape}, got {dH.shape}")
    dZ = np.empty_like(gates)                      # ∂loss/∂(pre-activations) of every step
    Wh_T = W[:, :n_h].T
    dh = np.zeros_like(H[0])
    dc = np.zeros_like(C[0]) if dc_last is None else np.asarray(dc_last, dtype=H.dtype)
    for t in range(T - 1, -1, -1):
        dZ[t], dc = cell_gradients(dh + dH[t], dc, gates[t], tanh_C[t], C[t], n_h)
        dh = Wh_T @ dZ[t]
    # All steps at once, dZ as one (4·n_h, T·m) matrix: the weight gradients Σ_t dZ_t [h_{t−1}; x_t]ᵀ as two
    # products, ∂X as one product instead of T small ones, ∂b as one sum along rows.
    flat = dZ.transpose(1, 0, 2).reshape(4 * n_h, -1)
    dW = np.concatenate([flat @ H[:-1].transpose(1, 0, 2).reshape(n_h, -1).T,
                         flat @ X.transpose(1, 0, 2).reshape(X.shape[1], -1).T], axis=1)
    dX = np.ascontiguousarray((W[:, n_h:].T @ flat).reshape(X.shape[1], T, X.shape[2]).transpose(1, 0, 2))
    return dX, dh, dc, split_gates(dW, flat.sum(axis=1)[:, None], n_h)


def check_readout_inputs(H, Wy, by, backend: Backend = NUMPY):
    """``readout_forward``'s arguments checked: ``(H (T, n_h, m), Wy (n_y, n_h), by (n_y, 1))``."""
    H, Wy, by = (backend.as_float(a, "readout_forward", n) for a, n in ((H, "H"), (Wy, "Wy"), (by, "by")))
    if H.ndim != 3 or Wy.ndim != 2 or Wy.shape[1] != H.shape[1] or by.shape != (Wy.shape[0], 1):
        raise ValueError(f"readout_forward: expected H (T, n_h, m), Wy (n_y, n_h), by (n_y, 1); "
                         f"got {H.shape}, {Wy.shape}, {by.shape}")
    return H, Wy, by


class ReadoutCache(NamedTuple):
    H: np.ndarray
    Wy: np.ndarray


def readout_forward(H, Wy, by):
    """A dense readout at every step: ``Y_t = Wy h_t + by``. ``H (T, n_h, m)``, ``Wy (n_y, n_h)``,
    ``by (n_y, 1)``. Returns ``(Y (T, n_y, m), cache)``."""
    H, Wy, by = check_readout_inputs(H, Wy, by)
    return np.matmul(Wy, H) + by, ReadoutCache(H, Wy)


def readout_backward(dY, cache: ReadoutCache):
    """Returns ``(dH, dWy, dby)`` for ``dY (T, n_y, m)``."""
    H, Wy = cache
    dY = np.asarray(dY, dtype=H.dtype)
    dWy = np.tensordot(dY, H, axes=([0, 2], [0, 2]))
    return np.matmul(Wy.T, dY), dWy, dY.sum(axis=(0, 2))[:, None]
