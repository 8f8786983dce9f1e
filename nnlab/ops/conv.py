"""Convolution's toolkit: the input checks, the receptive fields as columns, and the backward pass.

The passes themselves (deck 000's single-image example, the batched ``conv2d_forward`` and
``conv2d_backward``) are notebook 06's challenges and live with its answers; this module gathers the input
for them.

As in every framework (and deck 000's example), "convolution" here is cross-correlation: the kernel slides
over the input without being flipped. Images are NCHW ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``,
biases ``b (F,)``; the output is ``(N, F, H_out, W_out)`` with H_out = (H + 2·padding − kh) // stride + 1.

How it is fast: every receptive field is gathered once into columns ``cols (N, C·kh·kw, H_out·W_out)`` (a
strided view of the padded input, copied once: ``im2col``), so the forward pass is one batched matrix product
``w.reshape(F, C·kh·kw) @ cols`` whose result is already NCHW; the backward pass is two more products and a
scatter of kh·kw strided slices back onto the input.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..backend import NUMPY, Backend


class ConvCache(NamedTuple):
    """What ``conv2d_backward`` needs from the forward pass."""
    x_shape: tuple          # (N, C, H, W) of the unpadded input
    cols: np.ndarray        # (N, C·kh·kw, H_out·W_out) receptive fields
    w: np.ndarray           # (F, C, kh, kw)
    stride: int
    padding: int
    out_hw: tuple           # (H_out, W_out)


def check_geometry(func, H, W, kh, kw, stride, padding):
    """``(H_out, W_out)`` of a ``kh × kw`` kernel over ``H × W`` with ``stride`` and ``padding``, checked."""
    if int(stride) < 1 or int(padding) < 0:
        raise ValueError(f"{func}: stride must be ≥ 1 and padding ≥ 0, got stride={stride}, padding={padding}")
    if H + 2 * padding < kh or W + 2 * padding < kw:
        raise ValueError(f"{func}: the {kh}×{kw} kernel does not fit the {H}×{W} input with padding {padding}")
    return (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1


def check_conv_inputs(x, w, b, stride, padding, backend: Backend = NUMPY):
    """conv2d_forward's arguments checked: ``(x, w, b, stride, padding, (H_out, W_out))``."""
    x, w, b = (backend.as_float(a, "conv2d_forward", n) for a, n in ((x, "x"), (w, "w"), (b, "b")))
    if x.ndim != 4 or w.ndim != 4 or x.shape[1] != w.shape[1]:
        raise ValueError(f"conv2d_forward: x must be (N, C, H, W) and w (F, C, kh, kw) with the same C, "
                         f"got x {x.shape} and w {w.shape}")
    if b.shape != (w.shape[0],):
        raise ValueError(f"conv2d_forward: b must be (F,) = ({w.shape[0]},), got {b.shape}")
    stride, padding = int(stride), int(padding)
    out_hw = check_geometry("conv2d_forward", x.shape[2], x.shape[3], w.shape[2], w.shape[3], stride, padding)
    return x, w, b, stride, padding, out_hw


def im2col(xp, kh, kw, stride, out_hw):
    """Receptive fields of the padded input as ``(N, C·kh·kw, H_out·W_out)``, rows ordered (c, i, j)."""
    N, C = xp.shape[:2]
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride][:, :, :out_hw[0], :out_hw[1]]
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * kh * kw, out_hw[0] * out_hw[1])


def conv_cache(x, w, b, stride=1, padding=0) -> ConvCache:
    """What ``conv2d_backward`` needs from a forward pass of ``x (N, C, H, W)`` through ``w (F, C, kh, kw)`` and
    ``b (F,)``: the input's receptive fields as columns (the reference ``conv2d_forward``'s cache)."""
    x, w, b, stride, padding, out_hw = check_conv_inputs(x, w, b, stride, padding)
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else x
    return ConvCache(x.shape, im2col(xp, kh, kw, stride, out_hw), w, stride, padding, out_hw)
