"""Pooling: deck 000's max-pool example on one array, and batched max and average pooling with backward passes.

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

from ._validate import as_float_array


class PoolCache(NamedTuple):
    """What the pooling backward passes need from the forward pass."""
    x: np.ndarray
    out: np.ndarray
    size: int
    stride: int


def _geometry(func, x, size, stride, as_float=as_float_array):
    """``(x, size, stride, H_out, W_out)`` after checking the input and window (nnlab.jax passes its as_float)."""
    x = as_float(x, func, "x")
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
    x, size, stride, Ho, Wo = _geometry("max_pool_forward", x, size, stride)
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
    x, size, stride, Ho, Wo = _geometry("avg_pool_forward", x, size, stride)
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


def pooling(x, size=2, stride=2, mode="max"):
    """Pool one 2-D array ``x (H, W)``; ``mode`` is ``"max"`` or ``"avg"``. Returns ``(H_out, W_out)``.

    Deck 000's example: [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]] with 2×2 windows, stride 2 → [[6,8],[3,4]].
    """
    return pool_single(x, size, stride, mode, {"max": max_pool_forward, "avg": avg_pool_forward})


def pool_single(x, size, stride, mode, forwards, as_float=as_float_array):
    """``pooling`` with the batched forward passes given (``{"max": …, "avg": …}``), for both backends."""
    x = as_float(x, "pooling", "x")
    if x.ndim != 2:
        raise ValueError(f"pooling: x must be 2-D (H, W), got shape {x.shape}")
    forward = forwards.get(mode)
    if forward is None:
        raise ValueError(f"pooling: mode must be 'max' or 'avg', got {mode!r}")
    return forward(x[None, None], size, stride)[0][0, 0]
