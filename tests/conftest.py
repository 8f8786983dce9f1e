"""Shared fixtures. Optional oracles (PyTorch, JAX) skip with a reason — except under CI=true, where a
missing oracle is a failure, because CI installs them."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent


def optional(module: str, why: str):
    """Import an optional oracle, or skip (fail under CI=true) saying how to get it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed ({why})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run every oracle: {message}")
        pytest.skip(message)


@pytest.fixture
def rng():
    return np.random.default_rng(20261122)


def random_problem(rng, sizes, m=5):
    """A network with the given layer sizes and a data set as rows."""
    import nnlab
    w, b = nnlab.nn_parameter_maker(sizes, seed=rng)
    X = rng.uniform(-2, 2, size=(m, sizes[0]))
    y = rng.uniform(0, 1, size=(m, sizes[-1]))
    return X, y, w, b
