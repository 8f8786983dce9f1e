"""Seeded inputs shared by the specs: random networks and data sets in the bootcamp's shapes."""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import nn_parameter_maker
from ..data.toy import xor_data
from .spec import Case


def random_sizes(rng: np.random.Generator, max_layers=3, max_units=5) -> list[int]:
    """Layer sizes with 1–``max_layers`` layers of 1–``max_units`` units, e.g. ``[3, 4, 2]``."""
    return [int(n) for n in rng.integers(1, max_units + 1, size=int(rng.integers(2, max_layers + 2)))]


def random_network(rng: np.random.Generator, sizes=None):
    """``(w, b)`` for ``sizes`` (random if None), standard-normal like ``nn_parameter_maker``."""
    sizes = random_sizes(rng) if sizes is None else sizes
    return nn_parameter_maker(sizes, seed=rng)


def random_rows(rng: np.random.Generator, w, m=None):
    """A data set for network ``w`` as rows: ``X (m, n_in)`` in [−2, 2] and ``y (m, n_out)`` in [0, 1]."""
    m = int(rng.integers(1, 8)) if m is None else m
    X = rng.uniform(-2, 2, size=(m, w[0].shape[1]))
    y = rng.uniform(0, 1, size=(m, w[-1].shape[0]))
    return X, y


def deck_network():
    """Deck 001's [2, 3, 1] network (seed 1) with XOR as the data set — 13 parameters, 4 examples."""
    w, b = nn_parameter_maker([2, 3, 1], seed=1)
    X, y = xor_data()
    return X, y, w, b


def gradient_cases():
    """The visible cases of the gradient checks: deck 001's network on XOR, a [3, 4, 2] network, and a
    three-layer one (where a loop that stops one layer early shows)."""
    X, y, w, b = deck_network()
    w4, b4 = nn_parameter_maker([3, 4, 2], seed=8)
    w3, b3 = nn_parameter_maker([2, 3, 4, 2], seed=10)
    rng = np.random.default_rng(9)
    return [Case("deck 001 network [2, 3, 1] on XOR: 13 parameters", (X, y, w, b)),
            Case("[3, 4, 2] network, 5 examples", (rng.uniform(-2, 2, (5, 3)), rng.uniform(0, 1, (5, 2)), w4, b4)),
            Case("three layers [2, 3, 4, 2], 3 examples", (rng.uniform(-2, 2, (3, 2)), rng.uniform(0, 1, (3, 2)),
                                                          w3, b3))]


def gradient_random(rng):
    """A random network and data set for the gradient checks."""
    w, b = random_network(rng, sizes=None)
    X, y = random_rows(rng, w, m=int(rng.integers(2, 7)))
    return Case("random", (X, y, w, b))
