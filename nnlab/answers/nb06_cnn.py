"""Notebook 06's answers: deck 000's convolution and pooling on one image, the batched convolution and max
pooling, and their backward passes.

As in every framework (and deck 000's example), "convolution" here is cross-correlation: the kernel slides
over the input without being flipped. Images are NCHW ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``,
biases ``b (F,)``; the output is ``(N, F, H_out, W_out)`` with H_out = (H + 2·padding − kh) // stride + 1.
The receptive fields are gathered once into columns (``im2col``), so the batched forward pass is one matrix
product per image whose result is already NCHW, and the backward pass two more products and a scatter of
kh·kw strided slices back onto the input. Max pooling combines the size² strided slices
``x[:, :, i::stride, j::stride]`` (one per position inside the window) with ``maximum``; its backward pass sends
each window's gradient to the *first* maximal entry (row-major), what PyTorch does on ties, by walking the same
slices in order.
"""
from __future__ import annotations

import numpy as np

from ..backend import NUMPY, Backend
from ..ops.conv import ConvCache, conv_cache
from ..ops.pool import PoolCache, avg_pool_forward, check_dout, check_pool_inputs, window_slices

FROM_YOURS = {"conv2d_weight_grads": "nnlab.from_yours"}  # the kit's, while 06 is open: from your conv2d_backward


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


def conv2d_backward(dout, cache: ConvCache):
    """Gradients of a loss through ``conv2d_forward``.

    Args: dout ``(N, F, H_out, W_out)``: ∂loss/∂out; cache from the forward pass.
    Returns: ``(dx, dw, db)`` shaped like ``x (N, C, H, W)``, ``w (F, C, kh, kw)`` and ``b (F,)``.
    """
    dw, db = conv2d_weight_grads(dout, cache)
    x_shape, cols, w, stride, padding, out_hw = cache
    N, C, H, W = x_shape
    F, _, kh, kw = w.shape
    d = np.asarray(dout, dtype=cols.dtype).reshape(N, F, -1)
    dcols = np.matmul(w.reshape(F, -1).T, d).reshape(N, C, kh, kw, *out_hw)
    dxp = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=cols.dtype)
    h_span, w_span = stride * (out_hw[0] - 1) + 1, stride * (out_hw[1] - 1) + 1
    for i in range(kh):                                          # each kernel offset touches one strided slice
        for j in range(kw):
            dxp[:, :, i:i + h_span:stride, j:j + w_span:stride] += dcols[:, :, i, j]
    dx = dxp[:, :, padding:padding + H, padding:padding + W] if padding else dxp
    return np.ascontiguousarray(dx), dw, db


def conv2d_weight_grads(dout, cache: ConvCache):
    """``(dw, db)``: the part of ``conv2d_backward`` a model's first layer needs (no ∂x).
    ``dout (N, F, H_out, W_out)`` → ``dw (F, C, kh, kw)``, ``db (F,)``."""
    x_shape, cols, w, stride, padding, out_hw = cache
    N, F = x_shape[0], w.shape[0]
    if np.shape(dout) != (N, F, *out_hw):
        raise ValueError(f"conv2d_backward: dout must be the output's shape {(N, F, *out_hw)}, "
                         f"got {np.shape(dout)}")
    d = np.asarray(dout, dtype=cols.dtype).reshape(N, F, out_hw[0] * out_hw[1])
    # ∂w = Σ_n d[n] @ cols[n]ᵀ: a batched product, then a sum over the batch (2–3× faster than tensordot,
    # which would first copy cols into a (N·positions, C·kh·kw) matrix).
    dw = np.matmul(d, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    return dw, d.sum(axis=(0, 2))


def max_pool_forward(x, size=2, stride=2):
    """Maximum over each ``size × size`` window of ``x (N, C, H, W)``, moving by ``stride``.

    Returns ``(out (N, C, H_out, W_out), cache)`` with H_out = (H − size) // stride + 1."""
    x, size, stride, Ho, Wo = check_pool_inputs("max_pool_forward", x, size, stride)
    parts = window_slices(size, stride, Ho, Wo)
    out = x[next(parts)].copy()
    for s in parts:
        np.maximum(out, x[s], out=out)
    return out, PoolCache(x, out, size, stride)


def max_pool_backward(dout, cache: PoolCache):
    """Route each window's gradient ``dout (N, C, H_out, W_out)`` to its first maximal entry (row-major).
    Returns ``dx`` shaped like ``x (N, C, H, W)``."""
    x, out, size, stride = cache
    dout = check_dout("max_pool_backward", dout, out)
    H, W = x.shape[2:]
    # Windows that tile the input exactly (the usual 2×2, stride 2) give every entry exactly one window, so
    # each slice can be written once instead of accumulated, into an array that needs no zeroing first.
    tiled = stride == size and H % size == 0 and W % size == 0
    dx = np.empty_like(x) if tiled else np.zeros_like(x)
    unclaimed = np.ones(out.shape, dtype=bool)           # windows whose maximum is not yet found
    hit = np.empty(out.shape, dtype=bool)
    for s in window_slices(size, stride, *out.shape[2:]):
        np.equal(x[s], out, out=hit)
        hit &= unclaimed
        if tiled:
            np.multiply(dout, hit, out=dx[s])
        else:
            dx[s] += dout * hit
        unclaimed &= ~hit
    return dx


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
