"""Notebook 07's answer in JAX: one step of deck 000's LSTM cell, in columns (equations as in
``nnlab.answers.nb07_lstm``). ``lstm_forward`` scans these same two steps over a sequence."""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ...ops.lstm_params import check_cell_inputs, fuse_gates
from ..backend import JAX
from .nb02_forward_pass import sigmoid_of


class CellCache(NamedTuple):
    """One step's values for ``lstm_cell_backward``."""
    hx: jax.Array           # [h_{t−1}; x_t]  (n_h + n_x, m)
    c_prev: jax.Array
    gates: jax.Array        # (4·n_h, m): f, i, C̃, o
    tanh_c: jax.Array
    W: jax.Array            # fused (4·n_h, n_h + n_x)


def activate_gates(z, n_h):
    """The fused pre-activations ``z (4·n_h, m)`` activated: σ, σ, tanh, σ."""
    return jnp.concatenate([sigmoid_of(z[:2 * n_h]), jnp.tanh(z[2 * n_h:3 * n_h]), sigmoid_of(z[3 * n_h:])])


def update_state(gates, c_prev, n_h):
    """``(h_t, c_t, tanh(c_t))`` from the activated gates ``(4·n_h, m)`` and ``c_prev (n_h, m)``."""
    f, i, g, o = (gates[k * n_h:(k + 1) * n_h] for k in range(4))
    c_t = f * c_prev + i * g
    tanh_c = jnp.tanh(c_t)
    return o * tanh_c, c_t, tanh_c


@jax.jit
def cell_compiled(x_t, h_prev, c_prev, W, b):
    """One step on checked inputs and fused weights, compiled: ``(h_t, c_t, cache)``."""
    n_h = h_prev.shape[0]
    hx = jnp.concatenate([h_prev, x_t])
    gates = activate_gates(W @ hx + b, n_h)
    h_t, c_t, tanh_c = update_state(gates, c_prev, n_h)
    return h_t, c_t, CellCache(hx, c_prev, gates, tanh_c, W)


def lstm_cell_forward(x_t, h_prev, c_prev, params):
    """One step: ``(h_t, c_t, cache)`` with both states ``(n_h, m)``; ``x_t (n_x, m)``."""
    W, b, n_h = fuse_gates(params, JAX)
    return cell_compiled(*check_cell_inputs(x_t, h_prev, c_prev, W, n_h, JAX), W, b)
