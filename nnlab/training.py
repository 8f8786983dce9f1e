"""Training tricks from deck 004: mini-batches, standardisation and dropout.

All pure: each returns new arrays and takes its randomness from an explicit ``rng`` or ``seed``.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array


def minibatches(m: int, batch_size: int, seed=None, shuffle: bool = True) -> Iterator[np.ndarray]:
    """Index arrays that cover ``range(m)`` once in batches of ``batch_size`` (the last may be smaller).

    >>> [b.tolist() for b in minibatches(5, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    if int(batch_size) < 1:
        raise ValueError(f"minibatches: batch_size must be at least 1, got {batch_size}")
    order = np.random.default_rng(seed).permutation(m) if shuffle else np.arange(m)
    for start in range(0, m, int(batch_size)):
        yield order[start:start + int(batch_size)]


class Standardizer(NamedTuple):
    """Per-feature mean and standard deviation learned on the training rows; apply with ``transform``."""
    mean: np.ndarray
    std: np.ndarray

    def transform(self, X):
        """(X − mean) / std for rows ``X (m, n)``: use the *training* statistics on test data too."""
        return (as_float_array(X, "Standardizer.transform", "X") - self.mean) / self.std


def standardize(X, eps: float = 1e-8) -> tuple[np.ndarray, Standardizer]:
    """Zero-centre and scale each feature (column of ``X (m, n)``) to unit variance.

    Constant features (std < eps) are only centred. Returns ``(X_standardised, standardizer)``.
    """
    X = as_float_array(X, "standardize", "X")
    if X.ndim != 2:
        raise ValueError(f"standardize: X must be rows (m, n), got shape {X.shape}")
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std < eps, 1, std).astype(X.dtype)
    s = Standardizer(mean, std)
    return s.transform(X), s


def dropout_forward(x, rate: float, rng, training: bool = True):
    """Inverted dropout: zero each entry with probability ``rate`` and scale the rest by 1 / (1 − rate).

    Scaling at training time keeps every unit's expected value, so nothing changes at test time
    (``training=False`` returns ``x`` unchanged). Returns ``(out, mask)`` with ``mask`` the scale applied to
    each entry (0 or 1 / (1 − rate)), which ``dropout_backward`` needs.
    """
    x = as_float_array(x, "dropout_forward", "x")
    if not 0 <= rate < 1:
        raise ValueError(f"dropout_forward: rate must be in [0, 1), got {rate}")
    if not training or rate == 0:
        return x.copy(), None
    keep = rng.random(x.shape, dtype=np.float32 if x.dtype == np.float32 else np.float64) >= rate
    mask = keep.astype(x.dtype) * x.dtype.type(1 / (1 - rate))
    return x * mask, mask


def dropout_backward(dout, mask):
    """The gradient flows only through the kept entries, scaled like them."""
    return dout.copy() if mask is None else dout * mask
