"""The recurrent cells' parameters: the plain RNN's, and the LSTM's gate names, initial values and the fused
form its passes compute with.

A plain RNN cell's ``params`` is a dict ``Wh (n_h, n_h + n_x), bh (n_h, 1)``, acting on ``[h_{t−1}; x_t]``.

``params`` is a dict ``Wf, bf, Wi, bi, Wc, bc, Wo, bo``: each ``W`` ``(n_h, n_h + n_x)`` acts on the stacked
``[h_{t−1}; x_t]``, each ``b`` is ``(n_h, 1)``. Inside, the four gates are one fused ``(4·n_h, n_h + n_x)``
matrix (f, i, C̃, o stacked), so a step is a single matrix product. Both backends use these helpers.
"""
from __future__ import annotations

import numpy as np

from ..backend import NUMPY, Backend

GATES = ("f", "i", "c", "o")


def init_lstm_params(n_x: int, n_h: int, seed=None, dtype=np.float64) -> dict:
    """Glorot-uniform gate weights, zero biases except the forget gate's (1, so memory is kept at first)."""
    rng = np.random.default_rng(seed)
    limit = np.sqrt(6.0 / (n_h + n_h + n_x))
    params = {}
    for g in GATES:
        params[f"W{g}"] = rng.uniform(-limit, limit, (n_h, n_h + n_x)).astype(dtype)
        params[f"b{g}"] = np.full((n_h, 1), 1.0 if g == "f" else 0.0, dtype=dtype)
    return params


def init_rnn_params(n_x: int, n_h: int, seed=None, dtype=np.float64) -> dict:
    """A plain RNN cell's ``{"Wh": (n_h, n_h + n_x), "bh": (n_h, 1)}``: Glorot-uniform weights, zero bias."""
    rng = np.random.default_rng(seed)
    limit = np.sqrt(6.0 / (n_h + n_h + n_x))
    return {"Wh": rng.uniform(-limit, limit, (n_h, n_h + n_x)).astype(dtype), "bh": np.zeros((n_h, 1), dtype)}


def check_rnn_inputs(x_t, h_prev, params, backend: Backend = NUMPY):
    """``rnn_cell_forward``'s arguments checked: ``(x_t (n_x, m), h_prev (n_h, m), Wh (n_h, n_h + n_x), bh (n_h, 1))``."""
    if not {"Wh", "bh"} <= set(params):
        raise ValueError(f"rnn_cell_forward: params needs Wh and bh, got {sorted(params)}")
    x_t, h_prev, Wh, bh = (backend.as_float(a, "rnn_cell_forward", n) for a, n in
                           ((x_t, "x_t"), (h_prev, "h_prev"), (params["Wh"], "Wh"), (params["bh"], "bh")))
    n_h = Wh.shape[0] if Wh.ndim == 2 else None
    if (Wh.ndim != 2 or x_t.ndim != 2 or h_prev.ndim != 2 or Wh.shape[1] != n_h + x_t.shape[0]
            or h_prev.shape != (n_h, x_t.shape[1]) or bh.shape != (n_h, 1)):
        raise ValueError(f"rnn_cell_forward: expected x_t (n_x, m), h_prev (n_h, m), Wh (n_h, n_h + n_x) and "
                         f"bh (n_h, 1); got {x_t.shape}, {h_prev.shape}, {Wh.shape}, {bh.shape}")
    return x_t, h_prev, Wh, bh


def fuse_gates(params, backend: Backend = NUMPY):
    """The four gates stacked: ``(W (4·n_h, n_h + n_x), b (4·n_h, 1), n_h)``, after checking ``params``."""
    missing = [k for g in GATES for k in (f"W{g}", f"b{g}") if k not in params]
    if missing:
        raise ValueError(f"lstm: params is missing {missing}; it needs Wf, bf, Wi, bi, Wc, bc, Wo, bo")
    W = backend.concatenate([backend.as_float(params[f"W{g}"], "lstm", f"W{g}") for g in GATES])
    b = backend.concatenate([backend.as_float(params[f"b{g}"], "lstm", f"b{g}") for g in GATES])
    n_h = W.shape[0] // 4
    if W.shape[1] <= n_h or b.shape != (4 * n_h, 1) or any(np.shape(params[f"W{g}"]) != (n_h, W.shape[1])
                                                           for g in GATES):
        raise ValueError("lstm: each W must be (n_h, n_h + n_x) and each b (n_h, 1); got "
                         + ", ".join(f"W{g} {np.shape(params[f'W{g}'])}, b{g} {np.shape(params[f'b{g}'])}"
                                     for g in GATES))
    return W, b, n_h


def split_gates(dW, db, n_h) -> dict:
    """Fused gradients ``dW (4·n_h, n_h + n_x)``, ``db (4·n_h, 1)`` back into a dict keyed like ``params``."""
    return {f"{p}{g}": d[k * n_h:(k + 1) * n_h] for k, g in enumerate(GATES) for p, d in (("W", dW), ("b", db))}


def check_cell_inputs(x_t, h_prev, c_prev, W, n_h, backend: Backend = NUMPY):
    """``lstm_cell_forward``'s states checked against the fused ``W``: ``(x_t (n_x, m), h_prev, c_prev (n_h, m))``."""
    x_t, h_prev, c_prev = (backend.as_float(a, "lstm_cell_forward", n) for a, n in
                           ((x_t, "x_t"), (h_prev, "h_prev"), (c_prev, "c_prev")))
    m = x_t.shape[1] if x_t.ndim == 2 else None
    if x_t.ndim != 2 or x_t.shape[0] != W.shape[1] - n_h or h_prev.shape != (n_h, m) or c_prev.shape != (n_h, m):
        raise ValueError(f"lstm_cell_forward: expected x_t ({W.shape[1] - n_h}, m), h_prev and c_prev ({n_h}, m); "
                         f"got {x_t.shape}, {h_prev.shape}, {c_prev.shape}")
    return x_t, h_prev, c_prev
