"""The LSTM's toolkit in JAX: whole sequences with ``lax.scan``, backpropagation through time, a readout.

Shapes and equations as in nnlab.ops.lstm: ``x_t (n_x, m)``, ``h, c (n_h, m)``, ``X (T, n_x, m)``; ``params``
holds ``Wf, bf, Wi, bi, Wc, bc, Wo, bo`` acting on ``[h_{t−1}; x_t]``. The cell's steps are notebook 07's answers
(``nnlab.jax.answers.nb07_lstm``): ``lstm_forward`` scans the forward step over the sequence, and
``lstm_backward`` the hand-written backward step of the numpy backend, backwards in time, in a second scan.
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ...ops.lstm import check_readout_inputs
from ...ops.lstm_params import fuse_gates, split_gates
from ..answers.nb07_lstm import activate_gates, cell_gradients, update_state
from ..backend import JAX


class SequenceCache(NamedTuple):
    X: jax.Array            # (T, n_x, m)
    H: jax.Array            # (T + 1, n_h, m): h_0 … h_T
    C: jax.Array            # (T + 1, n_h, m)
    gates: jax.Array        # (T, 4·n_h, m)
    tanh_C: jax.Array       # (T, n_h, m)
    W: jax.Array


@jax.jit
def _sequence(X, h0, c0, W, b):
    n_h = h0.shape[0]
    inputs = jnp.matmul(W[:, n_h:], X) + b          # the input's share of every step, in one product
    Wh = W[:, :n_h]

    def step(state, z_in):
        h, c = state
        gates = activate_gates(z_in + Wh @ h, n_h)
        h, c, tanh_c = update_state(gates, c, n_h)
        return (h, c), (h, c, gates, tanh_c)

    _, (H, C, gates, tanh_C) = jax.lax.scan(step, (h0, c0), inputs)
    cache = SequenceCache(X, jnp.concatenate([h0[None], H]), jnp.concatenate([c0[None], C]), gates, tanh_C, W)
    return H, C, cache


def lstm_forward(X, h0, c0, params):
    """Run the cell over ``X (T, n_x, m)``: ``(H (T, n_h, m), C (T, n_h, m), cache)``."""
    W, b, n_h = fuse_gates(params, JAX)
    X = JAX.as_float(X, "lstm_forward", "X")
    if X.ndim != 3 or X.shape[1] != W.shape[1] - n_h:
        raise ValueError(f"lstm_forward: X must be (T, n_x, m) with n_x = {W.shape[1] - n_h}, got {X.shape}")
    m = X.shape[2]
    if jnp.shape(h0) != (n_h, m) or jnp.shape(c0) != (n_h, m):
        raise ValueError(f"lstm_forward: h0 and c0 must be ({n_h}, {m}), got {jnp.shape(h0)} and {jnp.shape(c0)}")
    dtype = jnp.result_type(X, W)
    return _sequence(X.astype(dtype), jnp.asarray(h0, dtype), jnp.asarray(c0, dtype), W.astype(dtype),
                     b.astype(dtype))


@jax.jit
def _bptt(dH, dc_last, cache):
    X, H, C, gates, tanh_C, W = cache
    n_h = W.shape[0] // 4
    Wh_T = W[:, :n_h].T

    def step(carry, t_values):
        dh, dc = carry
        dH_t, gates_t, tanh_t, c_prev = t_values
        dz, dc = cell_gradients(dh + dH_t, dc, gates_t, tanh_t, c_prev, n_h)
        return (Wh_T @ dz, dc), dz

    (dh, dc), dZ = jax.lax.scan(step, (jnp.zeros_like(H[0]), dc_last), (dH, gates, tanh_C, C[:-1]), reverse=True)
    flat = dZ.transpose(1, 0, 2).reshape(4 * n_h, -1)
    dW = jnp.concatenate([flat @ H[:-1].transpose(1, 0, 2).reshape(n_h, -1).T,
                          flat @ X.transpose(1, 0, 2).reshape(X.shape[1], -1).T], axis=1)
    return jnp.matmul(W[:, n_h:].T, dZ), dh, dc, split_gates(dW, dZ.sum(axis=(0, 2))[:, None], n_h)


def lstm_backward(dH, cache: SequenceCache, dc_last=None):
    """Backpropagation through time: ``(dX (T, n_x, m), dh0, dc0 (n_h, m), grads)``."""
    H = cache.H
    dH = jnp.asarray(dH, H.dtype)
    if dH.shape != H[1:].shape:
        raise ValueError(f"lstm_backward: dH must be (T, n_h, m) = {H[1:].shape}, got {dH.shape}")
    dc = jnp.zeros_like(H[0]) if dc_last is None else jnp.asarray(dc_last, H.dtype)
    return _bptt(dH, dc, cache)


class ReadoutCache(NamedTuple):
    H: jax.Array
    Wy: jax.Array


def readout_forward(H, Wy, by):
    """``Y_t = Wy h_t + by`` at every step: ``(Y (T, n_y, m), cache)``."""
    H, Wy, by = check_readout_inputs(H, Wy, by, JAX)
    return jnp.matmul(Wy, H) + by, ReadoutCache(H, Wy)


def readout_backward(dY, cache: ReadoutCache):
    """``(dH, dWy, dby)`` for ``dY (T, n_y, m)``."""
    H, Wy = cache
    dY = jnp.asarray(dY, H.dtype)
    return jnp.matmul(Wy.T, dY), jnp.tensordot(dY, H, axes=([0, 2], [0, 2])), dY.sum(axis=(0, 2))[:, None]


