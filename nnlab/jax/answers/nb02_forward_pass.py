"""Notebook 02's answers in JAX: parameters, the sigmoid, the forward pass on columns and ``predict`` on rows.

Parameters are drawn by the numpy answer from the same seed and made JAX arrays, so
``nnj.nn_parameter_maker(sizes, seed)`` holds the numbers of ``nnlab.nn_parameter_maker(sizes, seed)`` (in
float32 unless ``jax_enable_x64`` is on) and the two backends can be compared number for number. The cost is
notebook 08's ``jax_cost`` (``nnlab.jax.answers.nb08_jax``).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ...answers import nb02_forward_pass as numpy_answers
from ...backend import as_matrix, check_params
from ..backend import JAX, to_jax


def nn_parameter_maker(layer_sizes, seed=None):
    """Standard-normal ``(w, b)``: ``w[l] (n_out, n_in)``, ``b[l] (n_out, 1)``, as lists of JAX arrays."""
    return to_jax(numpy_answers.nn_parameter_maker(layer_sizes, seed))


@jax.jit
def sigmoid_of(z):
    """σ(z) on a JAX array, compiled: the exponential only of −|z|, so nothing overflows."""
    e = jnp.exp(-jnp.abs(z))
    return jnp.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)) elementwise, any shape; never overflows."""
    return sigmoid_of(JAX.as_float(z, "sigmoid", "z"))


@jax.jit
def forward_columns(a, w, b):
    """a ← σ(w[l] @ a + b[l]) for every layer: ``a (n_in, m)`` → ``(n_out_last, m)``, compiled."""
    for wl, bl in zip(w, b):
        a = sigmoid_of(wl @ a + bl)
    return a


def forward_pass(inp, w, b):
    """``a_L (n_out_last, m)`` for inputs as columns ``inp (n_in, m)``: a ← σ(w[l] @ a + b[l])."""
    a = as_matrix(inp, "forward_pass", "inp", "(n_in, m) — one column per example", JAX)
    w, b = check_params(w, b, "forward_pass", JAX)
    if a.shape[0] != w[0].shape[1]:
        raise ValueError(f"forward_pass: inp has shape {a.shape} but w[0] has shape {w[0].shape}, so inp "
                         f"must have {w[0].shape[1]} rows (one per input feature); did you pass rows instead of columns?")
    return forward_columns(a, w, b)


def predict(X, w, b):
    """Network output for rows: ``X (m, n_in)`` → ``(m, n_out)``."""
    X = as_matrix(X, "predict", "X", "(m, n_in) — one row per example", JAX)
    return forward_pass(X.T, w, b).T
