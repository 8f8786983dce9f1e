"""Pooling in JAX: batched average pooling with its backward pass (NCHW), and the compiled pooling, window
slices and reassembly that max pooling shares (deck 000's example on one array and max pooling's two passes are
notebook 06's challenges, in ``nnlab.jax.answers.nb06_cnn``).

Like nnlab.ops.pool, the forward pass combines the size² strided slices ``x[:, :, i::stride, j::stride]``.
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from ...ops.pool import check_pool_inputs
from ..backend import JAX


class PoolCache(NamedTuple):
    x: jax.Array
    out: jax.Array
    size: int
    stride: int


def pool_geometry(func, x, size, stride):
    """``(x, size, stride)`` checked (as nnlab.ops.pool checks them)."""
    return check_pool_inputs(func, x, size, stride, JAX)[:3]


def window_slices(size, stride, Ho, Wo):
    """For each position (i, j) inside the window, the slice of x that position sees in every window."""
    for i in range(size):
        for j in range(size):
            yield (slice(None), slice(None), slice(i, i + stride * (Ho - 1) + 1, stride),
                   slice(j, j + stride * (Wo - 1) + 1, stride))


def _out_hw(x, size, stride):
    return (x.shape[2] - size) // stride + 1, (x.shape[3] - size) // stride + 1


@partial(jax.jit, static_argnames=("size", "stride", "mode"))
def pool_compiled(x, size, stride, mode):
    """Max (``mode="max"``) or average pooling of NCHW ``x``, compiled: ``(N, C, H_out, W_out)``."""
    parts = [x[s] for s in window_slices(size, stride, *_out_hw(x, size, stride))]
    if mode == "max":
        out = parts[0]
        for p in parts[1:]:
            out = jnp.maximum(out, p)
        return out
    return sum(parts[1:], parts[0]) / (size * size)


def assemble(parts, x, size, stride):
    """Put one array per window position (each ``(N, C, H_out, W_out)``) back onto ``x``'s grid, adding
    where windows overlap. Windows that tile ``x`` exactly are interleaved by a reshape — XLA's strided
    scatter-add is several times slower on the CPU."""
    N, C, H, W = x.shape
    Ho, Wo = parts[0].shape[2:]
    if stride == size and H == Ho * size and W == Wo * size:
        grid = jnp.stack(parts, axis=-1).reshape(N, C, Ho, Wo, size, size)
        return grid.transpose(0, 1, 2, 4, 3, 5).reshape(N, C, H, W)
    dx = jnp.zeros_like(x)
    for s, part in zip(window_slices(size, stride, Ho, Wo), parts):
        dx = dx.at[s].add(part)
    return dx


@partial(jax.jit, static_argnames=("size", "stride"))
def _avg_backward(dout, x, size, stride):
    share = (dout / (size * size)).astype(x.dtype)
    return assemble([share] * (size * size), x, size, stride)


def check_dout(func, dout, out):
    """``dout`` as an array of the output's dtype, checked to have its shape."""
    dout = jnp.asarray(dout, dtype=out.dtype)
    if dout.shape != out.shape:
        raise ValueError(f"{func}: dout must have the output's shape {out.shape}, got {dout.shape}")
    return dout


def avg_pool_forward(x, size=2, stride=2):
    """Mean over each window: ``(out (N, C, H_out, W_out), cache)``."""
    x, size, stride = pool_geometry("avg_pool_forward", x, size, stride)
    out = pool_compiled(x, size, stride, "avg")
    return out, PoolCache(x, out, size, stride)


def avg_pool_backward(dout, cache: PoolCache):
    """Each entry of a window gets 1/size² of the window's gradient."""
    x, out, size, stride = cache
    return _avg_backward(check_dout("avg_pool_backward", dout, out), x, size, stride)
