"""Notebook 06's answers in JAX: deck 000's convolution and pooling on one image, the batched convolution and
max pooling, and their backward passes.

Cross-correlation, as in the numpy answers: ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``, bias ``b (F,)``
→ ``(N, F, H_out, W_out)``, computed by XLA's convolution (``lax.conv_general_dilated``); its backward pass is
that convolution's vector–Jacobian product, which XLA compiles to the transposed convolution (∂x) and the
correlation of the input with ∂out (∂w). Max pooling's backward pass gives each window's gradient to its
*first* maximal entry in row-major order (PyTorch's rule on ties) — autodiff through ``max`` would split or
place it differently.
"""
from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp

from ...answers.nb06_cnn import convolve_one_image, pool_one_image
from ...ops.conv import check_geometry
from ..backend import JAX
from ..ops.conv import ConvCache, conv_cache, conv_compiled, conv_nchw
from ..ops.pool import (PoolCache, assemble, avg_pool_forward, check_dout, pool_compiled, pool_geometry,
                        window_slices)


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Batched 2-D convolution. Returns ``(out (N, F, H_out, W_out), cache)``."""
    cache = conv_cache(x, w, b, stride, padding)
    b = jnp.asarray(b, dtype=cache.x.dtype)
    return conv_compiled(cache.x, cache.w, b, cache.stride, cache.padding), cache


@partial(jax.jit, static_argnames=("stride", "padding"))
def _conv_backward(dout, x, w, stride, padding):
    _, vjp = jax.vjp(lambda x, w, b: conv_nchw(x, w, b, stride, padding), x, w, jnp.zeros(w.shape[0], x.dtype))
    return vjp(dout.astype(x.dtype))


def conv2d_backward(dout, cache: ConvCache):
    """``(dx, dw, db)`` shaped like ``x``, ``w`` and ``b`` from ∂loss/∂out ``(N, F, H_out, W_out)``."""
    x, w, stride, padding = cache
    out_hw = check_geometry("conv2d_backward", x.shape[2], x.shape[3], w.shape[2], w.shape[3], stride, padding)
    if jnp.shape(dout) != (x.shape[0], w.shape[0], *out_hw):
        raise ValueError(f"conv2d_backward: dout must be the output's shape {(x.shape[0], w.shape[0], *out_hw)}, "
                         f"got {jnp.shape(dout)}")
    return _conv_backward(jnp.asarray(dout), x, w, stride, padding)


def max_pool_forward(x, size=2, stride=2):
    """Maximum over each window of ``x (N, C, H, W)``: ``(out (N, C, H_out, W_out), cache)``."""
    x, size, stride = pool_geometry("max_pool_forward", x, size, stride)
    out = pool_compiled(x, size, stride, "max")
    return out, PoolCache(x, out, size, stride)


@partial(jax.jit, static_argnames=("size", "stride"))
def _max_backward(dout, x, out, size, stride):
    parts, unclaimed = [], jnp.ones(out.shape, bool)
    for s in window_slices(size, stride, *out.shape[2:]):
        hit = (x[s] == out) & unclaimed
        parts.append(jnp.where(hit, dout, 0).astype(x.dtype))
        unclaimed = unclaimed & ~hit
    return assemble(parts, x, size, stride)


def max_pool_backward(dout, cache: PoolCache):
    """Each window's gradient ``dout (N, C, H_out, W_out)`` to its first maximal entry; ``dx`` shaped like ``x``."""
    x, out, size, stride = cache
    return _max_backward(check_dout("max_pool_backward", dout, out), x, out, size, stride)


def convolution(image, kernel, stride=1, padding=0):
    """Slide ``kernel (kh, kw)`` over ``image (H, W)``; returns ``(H_out, W_out)``."""
    return convolve_one_image(image, kernel, stride, padding, conv2d_forward, JAX)


def pooling(x, size=2, stride=2, mode="max"):
    """Pool one 2-D array ``x (H, W)`` with ``mode`` ``"max"`` or ``"avg"``; returns ``(H_out, W_out)``."""
    return pool_one_image(x, size, stride, mode, {"max": max_pool_forward, "avg": avg_pool_forward}, JAX)
