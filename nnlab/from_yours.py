"""Pieces of nnlab rebuilt from your own functions, for the student kit while their assignment is open.

Some parts of the toolkit use a piece of a challenge's answer that is not itself a function you write: the
``Dense`` and ``Conv2D`` layers' backward passes for a model's first layer need only the weight gradients
(notebook 04's ``backprop``, notebook 06's ``conv2d_backward``), and the LSTM over a sequence needs the cell's
steps on fused gates (notebook 07's ``lstm_cell_forward`` and ``lstm_cell_backward``). While such a notebook is open, the kit computes
these pieces by calling *your* function on inputs chosen so that its result is the piece (the identities are
in each docstring), so the layers train on what you wrote and the kit holds no answer. The full library uses
its references and calls these only in its tests.
"""
from __future__ import annotations

import numpy as np

SATURATED = 50.0        # σ(50) and tanh(50) round to exactly 1.0 in float64


def layer_gradients(delta, a_prev):
    """BP4 and BP3 for one layer, ``(δ a_prevᵀ, Σ_columns δ)``, from your ``backprop``.

    In a one-layer network with w = 0 and b = 0 every z is 0, σ(0) = ½ and σ'(0) = ¼, so BP1 gives
    δ = (2/m)(½ − y)·¼ = (½ − y)/(2m): the targets y = ½ − 2m·δ make it the δ wanted, and backprop's BP4 and
    BP3 return the two gradients. ``delta (n_out, m)``, ``a_prev (n_in, m)`` → ``(n_out, n_in)``, ``(n_out, 1)``,
    in ``delta``'s dtype (computed in float64).
    """
    from .answers.nb04_backprop import backprop           # the kit's: yours

    dtype = np.result_type(delta, a_prev)
    delta, a_prev = np.asarray(delta, dtype=np.float64), np.asarray(a_prev, dtype=np.float64)
    (n_out, m), n_in = delta.shape, a_prev.shape[0]
    targets = 0.5 - 2 * m * delta
    w_grads, b_grads = backprop(a_prev.T, targets.T, [np.zeros((n_out, n_in))], [np.zeros((n_out, 1))])
    return np.asarray(w_grads[0]).astype(dtype, copy=False), np.asarray(b_grads[0]).astype(dtype, copy=False)


def cell_step(z, c_prev, n_h):
    """The LSTM cell on fused pre-activations, ``(gates, h_t, c_t, tanh(c_t))``, from your ``lstm_cell_forward``.

    Your cell runs with identity weights (so its pre-activations are its input ``x_t = z``), ``h_{t−1} = 0``
    and no bias, on six copies of ``z`` side by side:

    - ``c_prev`` as given: the step itself, ``h_t`` and ``c_t``;
    - ``c_prev = 0`` and ``c_prev = 1``: c = i·C̃ and f + i·C̃, whose difference is f;
    - i's pre-activation saturated (i = 1), ``c_prev = 0``: c = C̃;
    - C̃'s pre-activation saturated (C̃ = 1), ``c_prev = 0``: c = i;
    - both saturated, ``c_prev = 0``: c = 1 and h = o·tanh(1).

    ``z (4·n_h, m)`` stacks f, i, C̃, o; ``c_prev (n_h, m)``; ``gates (4·n_h, m)``, the others ``(n_h, m)``.
    """
    from .answers.nb07_lstm import lstm_cell_forward      # the kit's: yours

    dtype = np.result_type(z, c_prev)
    z, c_prev = np.asarray(z, dtype=np.float64), np.asarray(c_prev, dtype=np.float64)
    m = z.shape[1]
    f, i, g, o = np.split(z, 4)
    full = np.full_like(f, SATURATED)
    zeros, ones = np.zeros_like(c_prev), np.ones_like(c_prev)
    inputs = [z, z, z, np.vstack([f, full, g, o]), np.vstack([f, i, full, o]), np.vstack([f, full, full, o])]
    cells = [c_prev, zeros, ones, zeros, zeros, zeros]
    eye = np.eye(4 * n_h)
    params = {}
    for k, gate in enumerate("fico"):
        params[f"W{gate}"] = np.hstack([np.zeros((n_h, n_h)), eye[k * n_h:(k + 1) * n_h]])
        params[f"b{gate}"] = np.zeros((n_h, 1))
    h, c, _ = lstm_cell_forward(np.hstack(inputs), np.zeros((n_h, 6 * m)), np.hstack(cells), params)
    h, c = (np.split(np.asarray(a, dtype=np.float64), 6, axis=1) for a in (h, c))
    gates = np.vstack([c[2] - c[1], c[4], c[3], h[5] / np.tanh(1.0)])
    return tuple(a.astype(dtype, copy=False) for a in (gates, h[0], c[0], np.tanh(c[0])))


def conv2d_weight_grads(dout, cache):
    """``(dw, db)`` for a convolution's ``dout (N, F, H_out, W_out)``, from your ``conv2d_backward`` (its ``dx``
    is dropped) and the cache of your ``conv2d_forward``."""
    from .answers.nb06_cnn import conv2d_backward         # the kit's: yours

    _, dw, db = conv2d_backward(dout, cache)
    return dw, db


def _inverse_gates(gates, n_h):
    """Pre-activations that give these activated gates: logit for f, i, o, artanh for C̃, within ±SATURATED
    (where σ and tanh round to exactly 0 or ±1 anyway)."""
    f_i, g, o = gates[:2 * n_h], gates[2 * n_h:3 * n_h], gates[3 * n_h:]
    with np.errstate(divide="ignore"):
        z = np.vstack([np.log(f_i) - np.log1p(-f_i), np.arctanh(g), np.log(o) - np.log1p(-o)])
    return np.clip(z, -SATURATED, SATURATED)


def cell_gradients(dh, dc, gates, tanh_c, c_prev, n_h):
    """The LSTM's backward step on fused values, ``(dz (4·n_h, m), dc_prev (n_h, m))``, from your
    ``lstm_cell_forward`` and ``lstm_cell_backward``.

    Your cell runs forwards with identity weights, ``h_{t−1} = 0`` and no bias on the pre-activations that give
    ``gates`` (so its input ``x_t`` is those pre-activations), then your backward step takes ``dh``, ``dc`` and
    your own cache: its ``dx`` is then ∂loss/∂(pre-activations) and its ``dc_prev`` the one wanted. ``tanh_c``
    is not needed (your cell recomputes it from the gates and ``c_prev``).
    """
    from .answers.nb07_lstm import lstm_cell_backward, lstm_cell_forward      # the kit's: yours

    dtype = np.result_type(dh, dc, gates, c_prev)
    dh, dc, gates, c_prev = (np.asarray(a, dtype=np.float64) for a in (dh, dc, gates, c_prev))
    m = gates.shape[1]
    eye = np.eye(4 * n_h)
    params = {}
    for k, gate in enumerate("fico"):
        params[f"W{gate}"] = np.hstack([np.zeros((n_h, n_h)), eye[k * n_h:(k + 1) * n_h]])
        params[f"b{gate}"] = np.zeros((n_h, 1))
    _, _, cache = lstm_cell_forward(_inverse_gates(gates, n_h), np.zeros((n_h, m)), c_prev, params)
    dz, _, dc_prev, _ = lstm_cell_backward(dh, dc, cache)
    return tuple(np.asarray(a, dtype=np.float64).astype(dtype, copy=False) for a in (dz, dc_prev))
