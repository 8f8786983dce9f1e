"""Challenge 1: make the parameters of a fully connected network of any size.

The bootcamp stores a network as two lists: ``w[l]`` of shape ``(n_out, n_in)`` and ``b[l]`` of shape
``(n_out, 1)`` for the layer that maps ``layer_sizes[l]`` units to ``layer_sizes[l + 1]`` units.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def nn_parameter_maker(layer_sizes: Sequence[int], seed=None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Standard-normal weights and biases for a network with the given layer sizes.

    Args:
        layer_sizes: units per layer, input first, e.g. ``[2, 3, 1]``; at least two positive integers.
        seed: anything ``numpy.random.default_rng`` accepts (an int, a Generator, or None for fresh entropy).

    Returns:
        ``(w, b)``: lists of length ``len(layer_sizes) - 1`` with ``w[l]`` ``(layer_sizes[l+1], layer_sizes[l])``
        and ``b[l]`` ``(layer_sizes[l+1], 1)``, float64. Draw order: ``w[0], b[0], w[1], b[1], …``.

    >>> w, b = nn_parameter_maker([2, 3, 1], seed=0)
    >>> [x.shape for x in w], [x.shape for x in b]
    ([(3, 2), (1, 3)], [(3, 1), (1, 1)])
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"nn_parameter_maker: layer_sizes needs at least an input and an output size, got {sizes}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"nn_parameter_maker: layer sizes must be positive integers, got {sizes}")
    rng = np.random.default_rng(seed)
    w, b = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w.append(rng.standard_normal((int(n_out), int(n_in))))
        b.append(rng.standard_normal((int(n_out), 1)))
    return w, b


def count_parameters(w, b) -> int:
    """Total number of weights and biases, e.g. 13 for ``[2, 3, 1]`` (9 weights, 4 biases)."""
    return int(sum(np.size(x) for x in w) + sum(np.size(x) for x in b))
