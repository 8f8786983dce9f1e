"""Convolution's toolkit in JAX: the checked cache and XLA's convolution (the forward and backward passes are
notebook 06's challenges, with its answers in ``nnlab.jax.answers.nb06_cnn``).

Cross-correlation, as in nnlab.ops.conv: ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``, bias ``b (F,)`` →
``(N, F, H_out, W_out)``, computed by XLA's convolution (``lax.conv_general_dilated``).
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from ...ops.conv import check_conv_inputs
from ..backend import JAX


class ConvCache(NamedTuple):
    """What ``conv2d_backward`` needs: the input, the filters and the geometry."""
    x: jax.Array            # (N, C, H, W)
    w: jax.Array            # (F, C, kh, kw)
    stride: int
    padding: int


def conv_cache(x, w, b, stride=1, padding=0) -> ConvCache:
    """What ``conv2d_backward`` needs from a forward pass of ``x (N, C, H, W)`` through ``w (F, C, kh, kw)`` and
    ``b (F,)``, after checking them: the input and the filters in one dtype, and the geometry."""
    x, w, b, stride, padding, _ = check_conv_inputs(x, w, b, stride, padding, JAX)
    dtype = jnp.result_type(x, w)
    return ConvCache(x.astype(dtype), w.astype(dtype), stride, padding)


def conv_nchw(x, w, b, stride, padding):
    """XLA's convolution of ``x (N, C, H, W)`` with ``w (F, C, kh, kw)`` plus ``b (F,)``: ``(N, F, H_out, W_out)``."""
    out = jax.lax.conv_general_dilated(x, w, (stride, stride), [(padding, padding)] * 2,
                                       dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                       precision=jax.lax.Precision.HIGHEST)
    return out + b[None, :, None, None]


conv_compiled = jax.jit(conv_nchw, static_argnames=("stride", "padding"))
