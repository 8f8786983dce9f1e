"""Notebook 06's answers: deck 000's convolution and pooling on one image, and the batched convolution layer.

As in every framework (and deck 000's example), "convolution" here is cross-correlation: the kernel slides
over the input without being flipped. Images are NCHW ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``,
biases ``b (F,)``; the output is ``(N, F, H_out, W_out)`` with H_out = (H + 2·padding − kh) // stride + 1.
The receptive fields are gathered once into columns (``im2col``), so the batched forward pass is one matrix
product per image whose result is already NCHW.
"""
from __future__ import annotations

import numpy as np

from ..backend import NUMPY, Backend
from ..ops.conv import conv_cache
from ..ops.pool import avg_pool_forward, max_pool_forward


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Batched 2-D convolution (cross-correlation) of NCHW images with ``F`` filters.

    Args:
        x: ``(N, C, H, W)``; w: ``(F, C, kh, kw)``; b: ``(F,)``; stride ≥ 1; padding ≥ 0 zeros on each side.
    Returns:
        ``(out, cache)``: out ``(N, F, H_out, W_out)``; cache a ``ConvCache`` for ``conv2d_backward``.
    """
    cache = conv_cache(x, w, b, stride, padding)
    F = cache.w.shape[0]
    out = np.matmul(cache.w.reshape(F, -1), cache.cols)            # (N, F, H_out·W_out): already NCHW
    out += np.asarray(b, dtype=out.dtype)[:, None]
    return out.reshape(cache.x_shape[0], F, *cache.out_hw), cache


def convolution(image, kernel, stride=1, padding=0):
    """Slide a 2-D ``kernel (kh, kw)`` over a 2-D ``image (H, W)``: each output is Σ window ⊙ kernel.

    Deck 000's example: the 5×5 image with kernel [[1,0,1],[0,1,0],[1,0,1]] gives [[4,3,4],[2,4,3],[2,3,4]].
    Returns ``(H_out, W_out)``.
    """
    return convolve_one_image(image, kernel, stride, padding, conv2d_forward)


def convolve_one_image(image, kernel, stride, padding, batched, backend: Backend = NUMPY):
    """``convolution`` through the batched ``conv2d_forward`` of a backend (``batched``): one image, one
    channel, one filter, no bias."""
    image = backend.as_float(image, "convolution", "image")
    kernel = backend.as_float(kernel, "convolution", "kernel")
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"convolution: image and kernel must be 2-D, got {image.shape} and {kernel.shape}")
    dtype = np.result_type(image.dtype, kernel.dtype)
    out, _ = batched(image[None, None].astype(dtype), kernel[None, None].astype(dtype),
                     np.zeros(1, dtype), stride, padding)
    return out[0, 0]


def pooling(x, size=2, stride=2, mode="max"):
    """Pool one 2-D array ``x (H, W)``; ``mode`` is ``"max"`` or ``"avg"``. Returns ``(H_out, W_out)``.

    Deck 000's example: [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]] with 2×2 windows, stride 2 → [[6,8],[3,4]].
    """
    return pool_one_image(x, size, stride, mode, {"max": max_pool_forward, "avg": avg_pool_forward})


def pool_one_image(x, size, stride, mode, forwards, backend: Backend = NUMPY):
    """``pooling`` through the batched forward passes ``forwards`` (``{"max": …, "avg": …}``) of a backend."""
    x = backend.as_float(x, "pooling", "x")
    if x.ndim != 2:
        raise ValueError(f"pooling: x must be 2-D (H, W), got shape {x.shape}")
    forward = forwards.get(mode)
    if forward is None:
        raise ValueError(f"pooling: mode must be 'max' or 'avg', got {mode!r}")
    return forward(x[None, None], size, stride)[0][0, 0]
