"""Threshold units and networks of them (decks 000, 001 and 004): the toolkit behind notebook 01.

Two conventions meet here, and each function says which it uses:

- **step units on 0/1 inputs** (decks 001, 004): output 1 if w·x + b > 0, else 0;
- **sign units on ±1 inputs** (deck 000): output sign(w·x + b) ∈ {−1, +1}. numpy's sign(0) is 0; the gate
  weights of notebook 01 never produce a zero on ±1 inputs.
"""
from __future__ import annotations

import numpy as np

from ..backend import as_float_array, as_matrix, check_params

UNITS = ("step", "sign")


def sign(z):
    """numpy's sign as integers: +1, −1, and 0 exactly at z = 0."""
    return np.sign(as_float_array(z, "sign", "z")).astype(np.int64)


def unit_function(name):
    """A threshold unit's output function by name: ``"step"`` (1 where z > 0, else 0; integers of z's shape) or
    ``"sign"``. (``nnlab.step``, the same Heaviside step as a public function, is ``relu_prime``'s twin and
    lives with notebook 05's answers.)"""
    if name not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, got {name!r}")
    if name == "sign":
        return sign
    return lambda z: (as_float_array(z, "step", "z") > 0).astype(np.int64)


def threshold_forward(inp, w, b, unit="step"):
    """A network of threshold units, columns in and out like ``forward_pass``: ``(n_in, m)`` → ``(n_out, m)``."""
    a = as_matrix(inp, "threshold_forward", "inp", "(n_in, m) — one column per example")
    w, b = check_params(w, b, "threshold_forward")
    if a.shape[0] != w[0].shape[1]:
        raise ValueError(f"threshold_forward: inp has shape {a.shape} but w[0] expects {w[0].shape[1]} rows")
    f = unit_function(unit)
    for wl, bl in zip(w, b):
        a = f(wl @ a + bl)
    return a
