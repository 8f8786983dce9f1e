"""Convolution in JAX: deck 000's single-image example and the batched NCHW layer with its backward pass.

Cross-correlation, as in nnlab.conv: ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``, bias ``b (F,)`` →
``(N, F, H_out, W_out)``. The forward pass is XLA's convolution (``lax.conv_general_dilated``); the backward
pass is that convolution's vector–Jacobian product, which XLA compiles to the transposed convolution (∂x)
and the correlation of the input with ∂out (∂w).
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from ..conv import _check_geometry, _check_inputs
from ._arrays import as_float


class ConvCache(NamedTuple):
    """What ``conv2d_backward`` needs: the input, the filters and the geometry."""
    x: jax.Array            # (N, C, H, W)
    w: jax.Array            # (F, C, kh, kw)
    stride: int
    padding: int


def _conv(x, w, b, stride, padding):
    out = jax.lax.conv_general_dilated(x, w, (stride, stride), [(padding, padding)] * 2,
                                       dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                       precision=jax.lax.Precision.HIGHEST)
    return out + b[None, :, None, None]


_conv_jit = jax.jit(_conv, static_argnames=("stride", "padding"))


@partial(jax.jit, static_argnames=("stride", "padding"))
def _conv_backward(dout, x, w, stride, padding):
    _, vjp = jax.vjp(lambda x, w, b: _conv(x, w, b, stride, padding), x, w, jnp.zeros(w.shape[0], x.dtype))
    return vjp(dout.astype(x.dtype))


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Batched 2-D convolution. Returns ``(out (N, F, H_out, W_out), cache)``."""
    x, w, b, stride, padding, _ = _check_inputs(x, w, b, stride, padding, as_float)
    dtype = jnp.result_type(x, w)
    x, w = x.astype(dtype), w.astype(dtype)
    return _conv_jit(x, w, b.astype(dtype), stride, padding), ConvCache(x, w, stride, padding)


def conv2d_backward(dout, cache: ConvCache):
    """``(dx, dw, db)`` shaped like ``x``, ``w`` and ``b`` from ∂loss/∂out ``(N, F, H_out, W_out)``."""
    x, w, stride, padding = cache
    out_hw = _check_geometry("conv2d_backward", x.shape[2], x.shape[3], w.shape[2], w.shape[3], stride, padding)
    if jnp.shape(dout) != (x.shape[0], w.shape[0], *out_hw):
        raise ValueError(f"conv2d_backward: dout must be the output's shape {(x.shape[0], w.shape[0], *out_hw)}, "
                         f"got {jnp.shape(dout)}")
    return _conv_backward(jnp.asarray(dout), x, w, stride, padding)


def convolution(image, kernel, stride=1, padding=0):
    """Slide ``kernel (kh, kw)`` over ``image (H, W)``; returns ``(H_out, W_out)``."""
    image, kernel = as_float(image, "convolution", "image"), as_float(kernel, "convolution", "kernel")
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"convolution: image and kernel must be 2-D, got {image.shape} and {kernel.shape}")
    dtype = jnp.result_type(image, kernel)
    out, _ = conv2d_forward(image[None, None].astype(dtype), kernel[None, None].astype(dtype),
                            jnp.zeros(1, dtype), stride, padding)
    return out[0, 0]
