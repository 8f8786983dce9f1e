"""Mini-batches: which rows each training step sees. Every training loop of both backends draws its batches
here, so one seed gives the same batches, in the same order, in numpy and in JAX.

An epoch's rows are shuffled with ``rng.permutation(m)`` — one draw from the generator per epoch — or taken in
order when no generator is given (batch gradient descent), then cut into batches of ``batch_size`` rows; the
last batch is smaller when ``batch_size`` does not divide m. numpy loops walk the batches one by one
(``Batches.each``); JAX loops run the equal batches in one compiled scan (``full``) and the rest after it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np


class Batches(NamedTuple):
    """One epoch's batches as row indices."""
    full: np.ndarray        # (n_batches, batch_size): one equal batch per row
    rest: np.ndarray        # (m − n_batches·batch_size,): the last, smaller batch (may be empty)

    def each(self) -> Iterator[np.ndarray]:
        """Every batch in turn, the smaller one last."""
        yield from self.full
        if self.rest.size:
            yield self.rest


def epoch_batches(m: int, batch_size: int, rng: np.random.Generator | None, func: str = "epoch_batches") -> Batches:
    """The batches of one epoch over ``m`` rows: shuffled by ``rng.permutation(m)``, or in order if ``rng`` is
    None. A ``batch_size`` above m gives one batch of all rows; below 1 is a ValueError naming ``func``."""
    if int(batch_size) < 1:
        raise ValueError(f"{func}: batch_size must be at least 1, got {batch_size}")
    order = np.arange(m) if rng is None else rng.permutation(m)
    size = max(min(int(batch_size), m), 1)
    full = m // size * size
    return Batches(order[:full].reshape(-1, size), order[full:])


def batch_rows(m: int, batch_size) -> int:
    """Rows per step for ``minibatch_gd``: ``None`` means all m (batch GD); otherwise 1 ≤ batch_size ≤ m."""
    size = m if batch_size is None else int(batch_size)
    if not 1 <= size <= m:
        raise ValueError(f"minibatch_gd: batch_size must be between 1 and m = {m}, got {batch_size}")
    return size


def minibatches(m: int, batch_size: int, seed=None, shuffle: bool = True) -> Iterator[np.ndarray]:
    """Index arrays that cover ``range(m)`` once in batches of ``batch_size`` (the last may be smaller).

    ``seed``: anything ``numpy.random.default_rng`` takes (a Generator is used as it is).

    >>> [b.tolist() for b in minibatches(5, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    rng = np.random.default_rng(seed) if shuffle else None
    yield from epoch_batches(m, batch_size, rng, "minibatches").each()
