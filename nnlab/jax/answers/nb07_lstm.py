"""Notebook 07's answers in JAX: one step of a plain RNN cell, and one step of deck 000's LSTM cell forwards and
backwards, in columns (equations as in ``nnlab.answers.nb07_lstm``). ``lstm_forward`` scans the LSTM's forward
steps over a sequence and ``lstm_backward`` its backward step (``cell_gradients``)."""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ...ops.lstm_params import check_cell_inputs, check_rnn_inputs, fuse_gates, split_gates
from ..backend import JAX
from .nb02_forward_pass import sigmoid_of


class RNNCache(NamedTuple):
    """One plain RNN step's values for its backward pass."""
    hx: jax.Array           # [h_{t−1}; x_t]  (n_h + n_x, m)
    h_t: jax.Array          # (n_h, m)
    Wh: jax.Array           # (n_h, n_h + n_x)


@jax.jit
def _rnn_cell(x_t, h_prev, Wh, bh):
    hx = jnp.concatenate([h_prev, x_t])
    h_t = jnp.tanh(Wh @ hx + bh)
    return h_t, RNNCache(hx, h_t, Wh)


def rnn_cell_forward(x_t, h_prev, params):
    """One plain RNN step, h_t = tanh(Wh [h_prev; x_t] + bh): ``(h_t (n_h, m), cache)``; ``x_t (n_x, m)``,
    ``h_prev (n_h, m)``, ``params`` ``{"Wh": (n_h, n_h + n_x), "bh": (n_h, 1)}``."""
    x_t, h_prev, Wh, bh = check_rnn_inputs(x_t, h_prev, params, JAX)
    dtype = jnp.result_type(x_t, h_prev, Wh, bh)
    return _rnn_cell(*(a.astype(dtype) for a in (x_t, h_prev, Wh, bh)))


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


def cell_gradients(dh, dc, gates, tanh_c, c_prev, n_h):
    """The backward step on fused values: ``(dz (4·n_h, m), dc_prev (n_h, m))`` from ∂loss/∂h_t and ∂loss/∂C_t;
    C_t reaches the loss directly and through h_t."""
    f, i, g, o = (gates[k * n_h:(k + 1) * n_h] for k in range(4))
    dc = dc + dh * o * (1 - tanh_c * tanh_c)
    dz = jnp.concatenate([dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g * g),
                          dh * tanh_c * o * (1 - o)])
    return dz, dc * f


@jax.jit
def _cell_backward(dh, dc, cache):
    hx, c_prev, gates, tanh_c, W = cache
    n_h = W.shape[0] // 4
    dz, dc_prev = cell_gradients(dh, dc, gates, tanh_c, c_prev, n_h)
    dhx = W.T @ dz
    return dhx[n_h:], dhx[:n_h], dc_prev, split_gates(dz @ hx.T, dz.sum(axis=1, keepdims=True), n_h)


def lstm_cell_backward(dh, dc, cache: CellCache):
    """``(dx (n_x, m), dh_prev, dc_prev (n_h, m), grads)`` from ∂loss/∂h_t and ∂loss/∂C_t ``(n_h, m)``; ``grads``
    keyed like ``params``."""
    dtype = cache.gates.dtype
    if jnp.shape(dh) != cache.c_prev.shape or jnp.shape(dc) != cache.c_prev.shape:
        raise ValueError(f"lstm_cell_backward: dh and dc must be (n_h, m) = {cache.c_prev.shape}, got "
                         f"{jnp.shape(dh)} and {jnp.shape(dc)}")
    return _cell_backward(jnp.asarray(dh, dtype), jnp.asarray(dc, dtype), cache)
