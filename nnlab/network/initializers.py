"""Weight initialisation that keeps signals from growing or dying layer after layer (deck 004), and counting
parameters.

Standard-normal weights (Challenge 1) make a deep sigmoid network saturate: each unit sums n_in terms of
variance 1. Xavier/Glorot scales the variance by 2 / (fan_in + fan_out), which suits tanh and sigmoid; He
scales it by 2 / fan_in, which makes up for ReLU zeroing half its inputs. Biases start at zero.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def fans(shape: Sequence[int]) -> tuple[int, int]:
    """(fan_in, fan_out) of a dense ``(n_out, n_in)`` or convolution ``(F, C, kh, kw)`` weight."""
    shape = tuple(int(s) for s in shape)
    if len(shape) == 2:
        return shape[1], shape[0]
    if len(shape) == 4:
        field = shape[2] * shape[3]
        return shape[1] * field, shape[0] * field
    raise ValueError(f"fans: expected a (n_out, n_in) or (F, C, kh, kw) shape, got {shape}")


def glorot_uniform(shape, rng, dtype=np.float64) -> np.ndarray:
    """U(−a, a) with a = √(6 / (fan_in + fan_out)): variance 2 / (fan_in + fan_out) (Keras' default)."""
    fan_in, fan_out = fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=tuple(shape)).astype(dtype, copy=False)


def he_normal(shape, rng, dtype=np.float64) -> np.ndarray:
    """N(0, 2 / fan_in) (He et al., 2015), for ReLU layers."""
    fan_in, _ = fans(shape)
    return (rng.standard_normal(tuple(shape)) * np.sqrt(2.0 / fan_in)).astype(dtype, copy=False)


def _lists(layer_sizes, seed, draw):
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two positive sizes, got {list(layer_sizes)}")
    rng = np.random.default_rng(seed)
    w = [draw((n_out, n_in), rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return w, [np.zeros((n_out, 1)) for n_out in sizes[1:]]


def xavier_init(layer_sizes: Sequence[int], seed=None):
    """``(w, b)`` like ``nn_parameter_maker`` but with Glorot-uniform weights and zero biases."""
    return _lists(layer_sizes, seed, glorot_uniform)


def he_init(layer_sizes: Sequence[int], seed=None):
    """``(w, b)`` like ``nn_parameter_maker`` but with He-normal weights and zero biases."""
    return _lists(layer_sizes, seed, he_normal)


def count_parameters(w, b) -> int:
    """Total number of weights and biases, e.g. 13 for ``[2, 3, 1]`` (9 weights, 4 biases)."""
    return int(sum(np.size(x) for x in w) + sum(np.size(x) for x in b))
