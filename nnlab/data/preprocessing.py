"""Standardisation (deck 004): each feature zero-centred and scaled to unit variance, with the statistics of
the training rows reused on every other set."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..backend import as_float_array


class Standardizer(NamedTuple):
    """Per-feature mean and standard deviation learned on the training rows; apply with ``transform``."""
    mean: np.ndarray
    std: np.ndarray

    def transform(self, X):
        """(X − mean) / std for rows ``X (m, n)``: use the *training* statistics on test data too."""
        return (as_float_array(X, "Standardizer.transform", "X") - self.mean) / self.std


def standardize(X, eps: float = 1e-8) -> tuple[np.ndarray, Standardizer]:
    """Zero-centre and scale each feature (column of ``X (m, n)``) to unit variance.

    Constant features (std < eps) are only centred. Returns ``(X_standardised (m, n), standardizer)``.
    """
    X = as_float_array(X, "standardize", "X")
    if X.ndim != 2:
        raise ValueError(f"standardize: X must be rows (m, n), got shape {X.shape}")
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std < eps, 1, std).astype(X.dtype)
    s = Standardizer(mean, std)
    return s.transform(X), s
