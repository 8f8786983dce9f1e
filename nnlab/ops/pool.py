"""Pooling: batched max and average pooling with their backward passes (deck 000's example on one array,
``pooling``, is notebook 06's challenge and lives with its answers).

Inputs are NCHW ``x (N, C, H, W)``; a ``size × size`` window moves by ``stride``; the output is
``(N, C, H_out, W_out)`` with H_out = (H − size) // stride + 1 (rows and columns that no window reaches are
dropped, as in Keras' "valid" pooling).

How it is fast: instead of gathering windows, the forward pass combines the size² strided slices
``x[:, :, i::stride, j::stride]`` — one per position inside the window — with ``maximum`` or ``+``. The max
backward pass sends each window's gradient to the *first* maximal entry (row-major), exactly what PyTorch does
on ties, by walking the same slices in order.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..backend import NUMPY, Backend


class PoolCache(NamedTuple):
    """What the pooling backward passes need from the forward pass."""
    x: np.ndarray
    out: np.ndarray
    size: int
    stride: int


def check_pool_inputs(func, x, size, stride, backend: Backend = NUMPY):
    """``(x, size, stride, H_out, W_out)`` after checking the input and the window."""
    x = backend.as_float(x, func, "x")
    if x.ndim != 4:
        raise ValueError(f"{func}: x must be NCHW (N, C, H, W), got shape {x.shape}")
    size, stride = int(size), int(stride)
    if size < 1 or stride < 1:
        raise ValueError(f"{func}: size and stride must be ≥ 1, got size={size}, stride={stride}")
    H, W = x.shape[2:]
    if size > H or size > W:
        raise ValueError(f"{func}: a {size}×{size} window does not fit the {H}×{W} input")
    return x, size, stride, (H - size) // stride + 1, (W - size) // stride + 1


def _slices(size, stride, Ho, Wo):
    """For each position (i, j) inside the window, the slice of x that position sees in every window."""
    for i in range(size):
        for j in range(size):
            yield np.s_[:, :, i:i + stride * (Ho - 1) + 1:stride, j:j + stride * (Wo - 1) + 1:stride]


def max_pool_forward(x, size=2, stride=2):
    """Maximum over each window. Returns ``(out (N, C, H_out, W_out), cache)``."""
    x, size, stride, Ho, Wo = check_pool_inputs("max_pool_forward", x, size, stride)
    parts = _slices(size, stride, Ho, Wo)
    out = x[next(parts)].copy()
    for s in parts:
        np.maximum(out, x[s], out=out)
    return out, PoolCache(x, out, size, stride)


def max_pool_backward(dout, cache: PoolCache):
    """Route each window's gradient to its first maximal entry. Returns ``dx`` shaped like ``x``."""
    x, out, size, stride = cache
    dout = _check_dout("max_pool_backward", dout, out)
    H, W = x.shape[2:]
    # Windows that tile the input exactly (the usual 2×2, stride 2) give every entry exactly one window, so
    # each slice can be written once instead of accumulated, into an array that needs no zeroing first.
    tiled = stride == size and H % size == 0 and W % size == 0
    dx = np.empty_like(x) if tiled else np.zeros_like(x)
    unclaimed = np.ones(out.shape, dtype=bool)           # windows whose maximum is not yet found
    hit = np.empty(out.shape, dtype=bool)
    for s in _slices(size, stride, *out.shape[2:]):
        np.equal(x[s], out, out=hit)
        hit &= unclaimed
        if tiled:
            np.multiply(dout, hit, out=dx[s])
        else:
            dx[s] += dout * hit
        unclaimed &= ~hit
    return dx


def avg_pool_forward(x, size=2, stride=2):
    """Mean over each window. Returns ``(out (N, C, H_out, W_out), cache)``."""
    x, size, stride, Ho, Wo = check_pool_inputs("avg_pool_forward", x, size, stride)
    parts = _slices(size, stride, Ho, Wo)
    out = x[next(parts)].copy()
    for s in parts:
        out += x[s]
    out /= size * size
    return out, PoolCache(x, out, size, stride)


def avg_pool_backward(dout, cache: PoolCache):
    """Each entry of a window gets 1/size² of the window's gradient. Returns ``dx`` shaped like ``x``."""
    x, out, size, stride = cache
    share = _check_dout("avg_pool_backward", dout, out) / (size * size)
    dx = np.zeros_like(x)
    for s in _slices(size, stride, *out.shape[2:]):
        dx[s] += share
    return dx


def _check_dout(func, dout, out):
    dout = np.asarray(dout, dtype=out.dtype)
    if dout.shape != out.shape:
        raise ValueError(f"{func}: dout must have the output's shape {out.shape}, got {dout.shape}")
    return dout
