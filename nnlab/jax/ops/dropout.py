"""Inverted dropout in JAX (deck 004), forward and backward.

``dropout_forward`` takes its randomness as ``rng``: a JAX PRNG key (``jax.random.key(0)``), an int seed, or a
numpy ``Generator`` (a seed is drawn from it, so the same generator state gives the same mask).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ..backend import JAX


def _key(rng):
    if isinstance(rng, (int, np.integer)):
        return jax.random.key(rng)
    if isinstance(rng, jax.Array):
        return rng
    if isinstance(rng, np.random.Generator):
        return jax.random.key(int(rng.integers(2 ** 31)))
    raise ValueError(f"dropout_forward: rng must be a JAX PRNG key (jax.random.key(seed)), an int or a numpy Generator, "
                     f"got {type(rng).__name__}")


def dropout_forward(x, rate: float, rng, training: bool = True):
    """Zero each entry with probability ``rate``, scale the rest by 1/(1 − rate): ``(out, mask)``."""
    x = JAX.as_float(x, "dropout_forward", "x")
    if not 0 <= rate < 1:
        raise ValueError(f"dropout_forward: rate must be in [0, 1), got {rate}")
    if not training or rate == 0:
        return x, None
    keep = jax.random.uniform(_key(rng), x.shape, x.dtype) >= rate
    mask = keep.astype(x.dtype) / jnp.asarray(1 - rate, x.dtype)
    return x * mask, mask


def dropout_backward(dout, mask):
    """The gradient flows through the kept entries only, scaled like them."""
    return jnp.asarray(dout) if mask is None else dout * mask
