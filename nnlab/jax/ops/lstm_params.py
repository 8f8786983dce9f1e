"""The recurrent cells' initial parameters for ``nnlab.jax``: the numpy backend's (``nnlab.ops.lstm_params``) for
the same seed, as JAX arrays."""
from __future__ import annotations

import jax.numpy as jnp

from ...ops import lstm_params as numpy_params


def _as_jax(params: dict, dtype) -> dict:
    """``params`` as JAX arrays of ``dtype`` (default: JAX's default float — float32, or float64 under
    ``jax_enable_x64``)."""
    dtype = jnp.result_type(float) if dtype is None else dtype
    return {k: jnp.asarray(v, dtype) for k, v in params.items()}


def init_lstm_params(n_x: int, n_h: int, seed=None, dtype=None) -> dict:
    """The numpy backend's LSTM parameters for the same seed, as JAX arrays of ``dtype``."""
    return _as_jax(numpy_params.init_lstm_params(n_x, n_h, seed), dtype)


def init_rnn_params(n_x: int, n_h: int, seed=None, dtype=None) -> dict:
    """The numpy backend's plain RNN parameters ``{"Wh", "bh"}`` for the same seed, as JAX arrays of ``dtype``."""
    return _as_jax(numpy_params.init_rnn_params(n_x, n_h, seed), dtype)
