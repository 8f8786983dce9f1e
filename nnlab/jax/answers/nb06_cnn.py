"""Notebook 06's answers in JAX: deck 000's convolution and pooling on one image, and the batched convolution.

Cross-correlation, as in the numpy answers: ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``, bias ``b (F,)``
→ ``(N, F, H_out, W_out)``, computed by XLA's convolution (``lax.conv_general_dilated``).
"""
from __future__ import annotations

import jax.numpy as jnp

from ...answers.nb06_cnn import convolve_one_image, pool_one_image
from ..backend import JAX
from ..ops.conv import conv_cache, conv_compiled
from ..ops.pool import avg_pool_forward, max_pool_forward


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Batched 2-D convolution. Returns ``(out (N, F, H_out, W_out), cache)``."""
    cache = conv_cache(x, w, b, stride, padding)
    b = jnp.asarray(b, dtype=cache.x.dtype)
    return conv_compiled(cache.x, cache.w, b, cache.stride, cache.padding), cache


def convolution(image, kernel, stride=1, padding=0):
    """Slide ``kernel (kh, kw)`` over ``image (H, W)``; returns ``(H_out, W_out)``."""
    return convolve_one_image(image, kernel, stride, padding, conv2d_forward, JAX)


def pooling(x, size=2, stride=2, mode="max"):
    """Pool one 2-D array ``x (H, W)`` with ``mode`` ``"max"`` or ``"avg"``; returns ``(H_out, W_out)``."""
    return pool_one_image(x, size, stride, mode, {"max": max_pool_forward, "avg": avg_pool_forward}, JAX)
