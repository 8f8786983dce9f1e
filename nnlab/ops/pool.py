"""Pooling: batched average pooling with its backward pass, and the window slices and checks max pooling
shares (deck 000's example on one array, ``pooling``, and max pooling's two passes are notebook 06's
challenges and live with its answers).

Inputs are NCHW ``x (N, C, H, W)``; a ``size × size`` window moves by ``stride``; the output is
``(N, C, H_out, W_out)`` with H_out = (H − size) // stride + 1 (rows and columns that no window reaches are
dropped, as in Keras' "valid" pooling).

How it is fast: instead of gathering windows, the forward pass combines the size² strided slices
``x[:, :, i::stride, j::stride]`` — one per position inside the window — with ``maximum`` or ``+``.
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


def window_slices(size, stride, Ho, Wo):
    """For each position (i, j) inside the window, the slice of x that position sees in every window."""
    for i in range(size):
        for j in range(size):
            yield np.s_[:, :, i:i + stride * (Ho - 1) + 1:stride, j:j + stride * (Wo - 1) + 1:stride]


def avg_pool_forward(x, size=2, stride=2):
    """Mean over each window. Returns ``(out (N, C, H_out, W_out), cache)``."""
    x, size, stride, Ho, Wo = check_pool_inputs("avg_pool_forward", x, size, stride)
    parts = window_slices(size, stride, Ho, Wo)
    out = x[next(parts)].copy()
    for s in parts:
        out += x[s]
    out /= size * size
    return out, PoolCache(x, out, size, stride)


def avg_pool_backward(dout, cache: PoolCache):
    """Each entry of a window gets 1/size² of the window's gradient. Returns ``dx`` shaped like ``x``."""
    x, out, size, stride = cache
    share = check_dout("avg_pool_backward", dout, out) / (size * size)
    dx = np.zeros_like(x)
    for s in window_slices(size, stride, *out.shape[2:]):
        dx[s] += share
    return dx


def check_dout(func, dout, out):
    dout = np.asarray(dout, dtype=out.dtype)
    if dout.shape != out.shape:
        raise ValueError(f"{func}: dout must have the output's shape {out.shape}, got {dout.shape}")
    return dout
