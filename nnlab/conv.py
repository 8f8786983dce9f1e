"""Convolution: deck 000's worked example on a single image, and the batched layer with its backward pass.

As in every framework (and deck 000's example), "convolution" here is cross-correlation: the kernel slides
over the input without being flipped. Images are NCHW ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``,
biases ``b (F,)``; the output is ``(N, F, H_out, W_out)`` with H_out = (H + 2·padding − kh) // stride + 1.

How it is fast: every receptive field is gathered once into columns ``cols (N, C·kh·kw, H_out·W_out)`` (a
strided view of the padded input, copied once), so the forward pass is one batched matrix product
``w.reshape(F, C·kh·kw) @ cols`` whose result is already NCHW. The backward pass is two more products and a
scatter of kh·kw strided slices back onto the input.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import as_float_array


class ConvCache(NamedTuple):
    """What ``conv2d_backward`` needs from the forward pass."""
    x_shape: tuple          # (N, C, H, W) of the unpadded input
    cols: np.ndarray        # (N, C·kh·kw, H_out·W_out) receptive fields
    w: np.ndarray           # (F, C, kh, kw)
    stride: int
    padding: int
    out_hw: tuple           # (H_out, W_out)


def _check_geometry(func, H, W, kh, kw, stride, padding):
    if int(stride) < 1 or int(padding) < 0:
        raise ValueError(f"{func}: stride must be ≥ 1 and padding ≥ 0, got stride={stride}, padding={padding}")
    if H + 2 * padding < kh or W + 2 * padding < kw:
        raise ValueError(f"{func}: the {kh}×{kw} kernel does not fit the {H}×{W} input with padding {padding}")
    return (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1


def _check_inputs(x, w, b, stride, padding, as_float=as_float_array):
    """conv2d_forward's arguments checked: ``(x, w, b, stride, padding, (H_out, W_out))``."""
    x, w, b = (as_float(a, "conv2d_forward", n) for a, n in ((x, "x"), (w, "w"), (b, "b")))
    if x.ndim != 4 or w.ndim != 4 or x.shape[1] != w.shape[1]:
        raise ValueError(f"conv2d_forward: x must be (N, C, H, W) and w (F, C, kh, kw) with the same C, "
                         f"got x {x.shape} and w {w.shape}")
    if b.shape != (w.shape[0],):
        raise ValueError(f"conv2d_forward: b must be (F,) = ({w.shape[0]},), got {b.shape}")
    stride, padding = int(stride), int(padding)
    out_hw = _check_geometry("conv2d_forward", x.shape[2], x.shape[3], w.shape[2], w.shape[3], stride, padding)
    return x, w, b, stride, padding, out_hw


def _columns(xp, kh, kw, stride, out_hw):
    """Receptive fields of the padded input as ``(N, C·kh·kw, H_out·W_out)``, rows ordered (c, i, j)."""
    N, C = xp.shape[:2]
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride][:, :, :out_hw[0], :out_hw[1]]
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * kh * kw, out_hw[0] * out_hw[1])


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Batched 2-D convolution (cross-correlation) of NCHW images with ``F`` filters.

    Args:
        x: ``(N, C, H, W)``; w: ``(F, C, kh, kw)``; b: ``(F,)``; stride ≥ 1; padding ≥ 0 zeros on each side.
    Returns:
        ``(out, cache)``: out ``(N, F, H_out, W_out)``; cache a ``ConvCache`` for ``conv2d_backward``.
    """
    x, w, b, stride, padding, out_hw = _check_inputs(x, w, b, stride, padding)
    F, C, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else x
    cols = _columns(xp, kh, kw, stride, out_hw)
    out = np.matmul(w.reshape(F, C * kh * kw), cols)            # (N, F, H_out·W_out): already NCHW
    out += b[:, None].astype(out.dtype, copy=False)
    return out.reshape(x.shape[0], F, *out_hw), ConvCache(x.shape, cols, w, stride, padding, out_hw)


def conv2d_backward(dout, cache: ConvCache):
    """Gradients of a loss through ``conv2d_forward``.

    Args: dout ``(N, F, H_out, W_out)``: ∂loss/∂out; cache from the forward pass.
    Returns: ``(dx, dw, db)`` shaped like ``x (N, C, H, W)``, ``w (F, C, kh, kw)`` and ``b (F,)``.
    """
    d, dw, db = conv2d_weight_grads(dout, cache)
    x_shape, cols, w, stride, padding, out_hw = cache
    N, C, H, W = x_shape
    F, _, kh, kw = w.shape
    dcols = np.matmul(w.reshape(F, -1).T, d).reshape(N, C, kh, kw, *out_hw)
    dxp = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=cols.dtype)
    h_span, w_span = stride * (out_hw[0] - 1) + 1, stride * (out_hw[1] - 1) + 1
    for i in range(kh):                                          # each kernel offset touches one strided slice
        for j in range(kw):
            dxp[:, :, i:i + h_span:stride, j:j + w_span:stride] += dcols[:, :, i, j]
    dx = dxp[:, :, padding:padding + H, padding:padding + W] if padding else dxp
    return np.ascontiguousarray(dx), dw, db


def conv2d_weight_grads(dout, cache: ConvCache):
    """``(d, dw, db)``: the part of ``conv2d_backward`` a model's first layer needs (no ∂x), with ``d`` the
    upstream gradient flattened to ``(N, F, H_out·W_out)``."""
    x_shape, cols, w, stride, padding, out_hw = cache
    N, F = x_shape[0], w.shape[0]
    if np.shape(dout) != (N, F, *out_hw):
        raise ValueError(f"conv2d_backward: dout must be the output's shape {(N, F, *out_hw)}, "
                         f"got {np.shape(dout)}")
    d = np.asarray(dout, dtype=cols.dtype).reshape(N, F, out_hw[0] * out_hw[1])
    # ∂w = Σ_n d[n] @ cols[n]ᵀ: a batched product, then a sum over the batch (2–3× faster than tensordot,
    # which would first copy cols into a (N·positions, C·kh·kw) matrix).
    dw = np.matmul(d, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    return d, dw, d.sum(axis=(0, 2))


def convolution(image, kernel, stride=1, padding=0):
    """Slide a 2-D ``kernel (kh, kw)`` over a 2-D ``image (H, W)``: each output is Σ window ⊙ kernel.

    Deck 000's example: the 5×5 image with kernel [[1,0,1],[0,1,0],[1,0,1]] gives [[4,3,4],[2,4,3],[2,3,4]].
    Returns ``(H_out, W_out)``.
    """
    image = as_float_array(image, "convolution", "image")
    kernel = as_float_array(kernel, "convolution", "kernel")
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"convolution: image and kernel must be 2-D, got {image.shape} and {kernel.shape}")
    dtype = np.result_type(image, kernel)
    out, _ = conv2d_forward(image[None, None].astype(dtype), kernel[None, None].astype(dtype),
                            np.zeros(1, dtype), stride, padding)
    return out[0, 0]
