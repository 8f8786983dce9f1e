"""Deck 004's training tricks in JAX: standardisation and inverted dropout (mini-batches: nnlab.minibatches).

``dropout_forward`` takes its randomness as ``rng``: a JAX PRNG key (``jax.random.key(0)``), an int seed, or a
numpy ``Generator`` (a seed is drawn from it, so the same generator state gives the same mask).
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ._arrays import as_float


class Standardizer(NamedTuple):
    mean: jax.Array
    std: jax.Array

    def transform(self, X):
        """(X − mean) / std with the training statistics."""
        return (as_float(X, "Standardizer.transform", "X") - self.mean) / self.std


def standardize(X, eps: float = 1e-8):
    """Zero mean, unit variance per column of ``X (m, n)``; returns ``(X_standardised, standardizer)``."""
    X = as_float(X, "standardize", "X")
    if X.ndim != 2:
        raise ValueError(f"standardize: X must be rows (m, n), got shape {X.shape}")
    std = X.std(axis=0)
    s = Standardizer(X.mean(axis=0), jnp.where(std < eps, 1, std).astype(X.dtype))
    return s.transform(X), s


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
    x = as_float(x, "dropout_forward", "x")
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
