"""Initialisers for ``nnlab.jax``: the numpy backend's (``nnlab.network.initializers``) for the same seed, as
lists of JAX arrays, so both backends start from the same numbers."""
from __future__ import annotations

from ...network import initializers as numpy_initializers
from ..backend import to_jax

count_parameters = numpy_initializers.count_parameters


def xavier_init(layer_sizes, seed=None):
    """Glorot-uniform weights and zero biases, as lists of JAX arrays."""
    return to_jax(numpy_initializers.xavier_init(layer_sizes, seed))


def he_init(layer_sizes, seed=None):
    """He-normal weights and zero biases, as lists of JAX arrays."""
    return to_jax(numpy_initializers.he_init(layer_sizes, seed))
