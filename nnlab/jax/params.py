"""Parameters for ``nnlab.jax``: drawn by the numpy backend from the same seed, then made JAX arrays.

So ``nnj.nn_parameter_maker(sizes, seed)`` holds the numbers of ``nnlab.nn_parameter_maker(sizes, seed)``
(in float32 unless ``jax_enable_x64`` is on) and the two backends can be compared number for number.
"""
from __future__ import annotations

from .. import init as _init
from .. import params as _params
from ._arrays import to_jax


def nn_parameter_maker(layer_sizes, seed=None):
    """Standard-normal ``(w, b)``: ``w[l] (n_out, n_in)``, ``b[l] (n_out, 1)``, as lists of JAX arrays."""
    return to_jax(_params.nn_parameter_maker(layer_sizes, seed))


def xavier_init(layer_sizes, seed=None):
    """Glorot-uniform weights and zero biases, as lists of JAX arrays."""
    return to_jax(_init.xavier_init(layer_sizes, seed))


def he_init(layer_sizes, seed=None):
    """He-normal weights and zero biases, as lists of JAX arrays."""
    return to_jax(_init.he_init(layer_sizes, seed))


def count_parameters(w, b) -> int:
    """Total number of weights and biases."""
    return _params.count_parameters(w, b)
