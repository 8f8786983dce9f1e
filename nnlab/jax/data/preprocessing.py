"""Standardisation in JAX (deck 004): zero mean, unit variance per feature, with the training statistics."""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ..backend import as_float


class Standardizer(NamedTuple):
    """Per-feature mean and standard deviation learned on the training rows."""
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
