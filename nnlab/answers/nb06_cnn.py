"""Notebook 06's answers: deck 000's convolution and pooling on one image, the batched convolution and max
pooling, and their backward passes.

As in every framework (and deck 000's example), "convolution" here is cross-correlation: the kernel slides
over the input without being flipped. Images are NCHW ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``,
biases ``b (F,)``; the output is ``(N, F, H_out, W_out)`` with H_out = (H + 2·padding − kh) // stride + 1.
With few input channels (under ``WIDE_CHANNELS`` = 8) the receptive fields are gathered once into columns
(``im2col``), so the batched forward pass is one matrix product per image whose result is already NCHW, and
the backward pass two more products and, a few images at a time, a scatter of kh·kw strided slices back onto
the input. With more channels the input is padded once channels last and walked a few images at a time
(``im2row``: each chunk's fields as rows, products shaped as BLAS runs them fastest; see ``nnlab.ops.conv``);
there ∂x is, at stride 1, the convolution of the padded ``dout`` by the filters turned 180°, and ∂w comes from
the same fields of ``dout`` and the unpadded input. Max pooling combines the size² strided slices
``x[:, :, i::stride, j::stride]`` (one per position inside the window) with ``maximum``; its backward pass
sends each window's gradient to the *first* maximal entry (row-major), what PyTorch does on ties, by walking
the same slices in order.
"""
from __future__ import annotations

import numpy as np

from ..backend import NUMPY, Backend
from ..ops.conv import (ConvCache, cache_dtype, chunk_size, col2im_add, conv_cache_unfilled, im2col, im2row, over_batch,
                        pad_chunk, to_nhwc)
from ..ops.pool import PoolCache, avg_pool_forward, check_dout, check_pool_inputs, window_slices

FROM_YOURS = {"conv2d_weight_grads": "nnlab.from_yours"}  # the kit's, while 06 is open: from your conv2d_backward


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Batched 2-D convolution (cross-correlation) of NCHW images with ``F`` filters.

    Args:
        x: ``(N, C, H, W)``; w: ``(F, C, kh, kw)``; b: ``(F,)``; stride ≥ 1; padding ≥ 0 zeros on each side.
    Returns:
        ``(out, cache)``: out ``(N, F, H_out, W_out)``; cache a ``ConvCache`` for ``conv2d_backward``.
    """
    cache, xp = conv_cache_unfilled(x, w, b, stride, padding)
    if cache.x is not None:
        return _wide_forward(b, cache)
    return _narrow_forward(xp, b, cache)


def _narrow_forward(xp, b, cache: ConvCache):
    """``conv2d_forward`` for fewer than ``WIDE_CHANNELS`` channels, from the padded input ``xp (N, C, Hp, Wp)``:
    a few images at a time, their fields are gathered into ``cache.cols`` and multiplied by the filters, one
    product per image whose result is already NCHW, while the fields are in cache."""
    cols, (F, _, kh, kw) = cache.cols, cache.w.shape
    N, K, P = cols.shape                                                # K = C·kh·kw fields' numbers
    w2 = cache.w.reshape(F, K).astype(cols.dtype, copy=False)
    bias = np.asarray(b, dtype=cols.dtype)[:, None]
    out = np.empty((N, F, P), cols.dtype)
    step = chunk_size(P, K, cols.dtype)

    def part(lo, hi, scratch):
        for s in range(lo, hi, step):
            e = min(s + step, hi)
            fields = im2col(xp[s:e], kh, kw, cache.stride, cache.out_hw, cols[s:e])
            np.add(np.matmul(w2, fields, out=out[s:e]), bias, out=out[s:e])

    over_batch(part, N, step, 2 * N * P * F * K)
    return out.reshape(N, F, *cache.out_hw), cache


def _wide_forward(b, cache: ConvCache):
    """``conv2d_forward`` channels last, for ``cache.x (N, C, H, W)`` with C ≥ ``WIDE_CHANNELS``: per chunk of
    images, the chunk is padded channels last, its fields gathered as rows, multiplied by the filters and
    written into the NCHW output, all while it is in cache."""
    x, w, stride, padding, out_hw = cache.x, cache.w, cache.stride, cache.padding, cache.out_hw
    N, C, H, W = cache.x_shape
    F, _, kh, kw = w.shape
    P, K, dtype = out_hw[0] * out_hw[1], kh * kw * C, cache_dtype(cache)
    w2t = np.ascontiguousarray(_filters_as_rows(w, dtype).T)          # (kh·kw·C, F)
    bias = np.asarray(b, dtype=dtype).reshape(F, 1)
    out = np.empty((N, F, P), dtype)
    step = chunk_size(P, K, dtype)

    def part(lo, hi, scratch):
        n = min(step, hi - lo)                                          # this part's scratch:
        xpad = scratch.array("xpad", (n, H + 2 * padding, W + 2 * padding, C), dtype, zeroed=True)
        stage, rows, z = (scratch.array("stage", n * C * H * (W + 1), dtype), scratch.array("rows", (n * P, K), dtype),
                          scratch.array("z", (n * P, F), dtype))
        for s in range(lo, hi, step):
            e = min(s + step, hi)
            r = im2row(pad_chunk(x[s:e], xpad, padding, stage), kh, kw, stride, out_hw, rows)  # (n·P, kh·kw·C)
            zs = np.matmul(r, w2t, out=z[:(e - s) * P])                                          # (n·P, F): NHWC
            np.add(zs.reshape(e - s, P, F).transpose(0, 2, 1), bias, out=out[s:e])             # NCHW, plus b

    over_batch(part, N, step, 2 * N * P * F * K)
    return out.reshape(N, F, *out_hw), cache


def _filters_as_rows(w, dtype):
    """``w (F, C, kh, kw)`` as ``(F, kh·kw·C)``, columns ordered (i, j, c) like ``im2row``'s."""
    return w.transpose(0, 2, 3, 1).reshape(w.shape[0], -1).astype(dtype, copy=False)


def _check_dout(dout, cache):
    """``dout`` as ``(N, F, H_out·W_out)`` in the cache's dtype, its shape checked."""
    N, F, out_hw = cache.x_shape[0], cache.w.shape[0], cache.out_hw
    if np.shape(dout) != (N, F, *out_hw):
        raise ValueError(f"conv2d_backward: dout must be the output's shape {(N, F, *out_hw)}, "
                         f"got {np.shape(dout)}")
    return np.asarray(dout, dtype=cache_dtype(cache)).reshape(N, F, out_hw[0] * out_hw[1])


def conv2d_backward(dout, cache: ConvCache):
    """Gradients of a loss through ``conv2d_forward``.

    Args: dout ``(N, F, H_out, W_out)``: ∂loss/∂out; cache from the forward pass.
    Returns: ``(dx, dw, db)`` shaped like ``x (N, C, H, W)``, ``w (F, C, kh, kw)`` and ``b (F,)``.

    With few channels (``cache.cols``): ∂w = Σ_images d · colsᵀ, ∂cols = wᵀ · d per image, and each of the
    kh·kw kernel offsets adds its ``(C, H_out, W_out)`` block to a strided slice of the padded input (col2im).
    Otherwise (``cache.x``) the batch is walked in chunks of images as in the forward pass. At stride 1 with
    padding ≤ k − 1, ∂x is itself a convolution: of ``dout`` padded with q = k − 1 − padding zeros, by the
    filters turned 180° with F and C swapped (``_transposed_backward``); at other strides and paddings
    ∂fields = d · w goes back through col2im (``_col2im_backward``).
    """
    d = _check_dout(dout, cache)
    if cache.x is None:
        return _narrow_backward(d, cache)
    kh, kw = cache.w.shape[2:]
    if cache.stride == 1 and cache.padding <= min(kh, kw) - 1:
        return _transposed_backward(d, cache)
    return _col2im_backward(d, cache)


def _transposed_backward(d, cache: ConvCache):
    """The wide ``conv2d_backward`` at stride 1 with padding ≤ k − 1; ``d (N, F, H_out·W_out)``.

    Per chunk, ``dout`` is copied channels last into a scratch bordered with q = k − 1 − padding zeros and
    its fields ``D (n·H·W, kh·kw·F)`` are gathered, one row per input position, columns (i′, j′, f). Then
    ∂x = D · w′, with w′ the filters turned 180° as a ``(kh·kw·F, C)`` matrix, and ∂w from the same fields:
    Σ_positions Dᵀ · x (x channels last, ``(n·H·W, C)``, unpadded) holds ∂w[f, c, i, j] at row
    (kh − 1 − i, kw − 1 − j, f), column c, because output y = p + i′ − q meets input p through kernel row
    i = k − 1 − i′. The input's own fields are never gathered again."""
    x, w, padding, (Ho, Wo) = cache.x, cache.w, cache.padding, cache.out_hw
    N, C, H, W = cache.x_shape
    F, _, kh, kw = w.shape
    P, dtype = H * W, cache_dtype(cache)
    qh, qw = kh - 1 - padding, kw - 1 - padding
    w_turned = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(2, 3, 0, 1), dtype=dtype).reshape(-1, C)
    dx = np.empty((N, C, H, W), dtype)
    step = chunk_size(P, kh * kw * C, dtype)      # as the forward pass (sized by D, kh·kw·F wide: slower)

    def part(lo, hi, scratch):
        n_max = min(step, hi - lo)
        stage = scratch.array("stage", n_max * max(C * H * (W + 1), F * Ho * (Wo + 1)), dtype)
        xr, dxr = scratch.array("x", (n_max * P, C), dtype), scratch.array("dx", (n_max * P, C), dtype)
        dpad = scratch.array("dpad", (n_max, Ho + 2 * qh, Wo + 2 * qw, F), dtype, zeroed=True)  # border: 0
        drows = scratch.array("drows", (n_max * P, kh * kw * F), dtype)
        turned_dw, db = np.zeros((kh * kw * F, C), dtype), np.zeros(F, dtype)
        for s in range(lo, hi, step):
            e = min(s + step, hi)
            n = e - s
            to_nhwc(x[s:e], xr[:n * P].reshape(n, H, W, C), stage)
            to_nhwc(d[s:e].reshape(n, F, Ho, Wo), dpad[:n, qh:qh + Ho, qw:qw + Wo], stage)
            fields = im2row(dpad[:n], kh, kw, 1, (H, W), drows)          # (n·H·W, kh·kw·F)
            turned_dw += fields.T @ xr[:n * P]
            db += d[s:e].sum(axis=(0, 2))
            g = np.matmul(fields, w_turned, out=dxr[:n * P]).reshape(n, H, W, C)     # NHWC
            np.copyto(dx[s:e], g.transpose(0, 3, 1, 2))
        return turned_dw, db

    turned_dw, db = (sum(parts) for parts in zip(*over_batch(part, N, step, 4 * N * P * F * C * kh * kw)))
    dw = turned_dw.reshape(kh, kw, F, C)[::-1, ::-1].transpose(2, 3, 0, 1)
    return dx, np.ascontiguousarray(dw), db


def _col2im_backward(d, cache: ConvCache):
    """The wide ``conv2d_backward`` at other strides and paddings; ``d (N, F, H_out·W_out)``. Per chunk, the
    input's receptive fields ``rows`` again, ∂w += rowsᵀ · d (d channels last), ∂fields = d · w, and col2im."""
    x, w, stride, padding, (Ho, Wo) = cache.x, cache.w, cache.stride, cache.padding, cache.out_hw
    N, C, H, W = cache.x_shape
    F, _, kh, kw = w.shape
    P, K, dtype = Ho * Wo, kh * kw * C, cache_dtype(cache)
    w2 = _filters_as_rows(w, dtype)                                     # (F, kh·kw·C)
    dx = np.empty((N, C, H, W), dtype)
    step = chunk_size(P, K, dtype)

    def part(lo, hi, scratch):
        n_max = min(step, hi - lo)
        xpad = scratch.array("xpad", (n_max, H + 2 * padding, W + 2 * padding, C), dtype, zeroed=True)
        stage = scratch.array("stage", n_max * max(C * H * (W + 1), F * Ho * (Wo + 1)), dtype)
        rows, dn = scratch.array("rows", (n_max * P, K), dtype), scratch.array("z", (n_max * P, F), dtype)
        dfields = scratch.array("drows", (n_max * P, K), dtype)
        dxp = scratch.array("dxp", (n_max, H + 2 * padding, W + 2 * padding, C), dtype)
        dwt, db = np.zeros((K, F), dtype), np.zeros(F, dtype)            # ∂wᵀ, ∂b
        for s in range(lo, hi, step):
            e = min(s + step, hi)
            n = e - s
            r = im2row(pad_chunk(x[s:e], xpad, padding, stage), kh, kw, stride, (Ho, Wo), rows)
            dns = dn[:n * P]
            to_nhwc(d[s:e].reshape(n, F, Ho, Wo), dns.reshape(n, Ho, Wo, F), stage)   # (n·P, F): NHWC
            dwt += r.T @ dns                                                # Σ_positions rowsᵀ · d
            db += d[s:e].sum(axis=(0, 2))
            dr = np.matmul(dns, w2, out=dfields[:n * P]).reshape(n, Ho, Wo, kh, kw, C)   # ∂fields
            g = dxp[:n]
            g[...] = 0
            col2im_add(g.transpose(0, 3, 1, 2), dr.transpose(0, 5, 3, 4, 1, 2), stride)   # as NCHW views
            np.copyto(dx[s:e], g[:, padding:padding + H, padding:padding + W].transpose(0, 3, 1, 2))
        return dwt, db

    dwt, db = (sum(parts) for parts in zip(*over_batch(part, N, step, 4 * N * P * F * K)))
    return dx, _filters_back(dwt.T, w.shape), db


def _narrow_backward(d, cache: ConvCache):
    """``conv2d_backward`` from ``cache.cols``; ``d (N, F, H_out·W_out)``. ∂x is made a few images at a time, as
    on the wide path: ∂cols is then a small scratch reused chunk after chunk (a batch-sized ∂cols, allocated and
    freed on every call, cost more in fresh memory pages than its product) and each chunk is added back onto
    the input while it is in cache; the chunks are shared between threads as the wide path's are."""
    (N, C, H, W), cols, w, stride, padding, out_hw = cache.x_shape, cache.cols, cache.w, cache.stride, \
        cache.padding, cache.out_hw
    F, _, kh, kw = w.shape
    K, P = cols.shape[1:]
    wt = w.reshape(F, -1).T.astype(cols.dtype, copy=False)                # (C·kh·kw, F)
    dxp = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=cols.dtype)
    step = chunk_size(P, cols.shape[1], cols.dtype)

    def part(lo, hi, scratch):
        dcols = scratch.array("dcols", (min(step, hi - lo), K, P), cols.dtype)
        dw, db = np.zeros((F, K), cols.dtype), np.zeros(F, cols.dtype)
        for s in range(lo, hi, step):
            e = min(s + step, hi)
            dw += _cols_weight_grad(d[s:e], cols[s:e])
            db += d[s:e].sum(axis=(0, 2))
            dc = np.matmul(wt, d[s:e], out=dcols[:e - s]).reshape(e - s, C, kh, kw, *out_hw)   # ∂cols
            col2im_add(dxp[s:e], dc, stride)
        return dw, db

    dw, db = (sum(parts) for parts in zip(*over_batch(part, N, step, 4 * N * P * F * K)))
    dx = dxp[:, :, padding:padding + H, padding:padding + W] if padding else dxp
    return np.ascontiguousarray(dx), dw.reshape(w.shape), db


def _cols_weight_grad(d, cols):
    """∂w from columns: Σ_images d · colsᵀ for ``d (n, F, P)`` and ``cols (n, C·kh·kw, P)``, ``(F, C·kh·kw)``.
    A batched product, then a sum over the images: 2–3× faster than ``tensordot``, which would first copy
    ``cols`` into one ``(n·P, C·kh·kw)`` matrix."""
    return np.matmul(d, cols.transpose(0, 2, 1)).sum(axis=0)


def _filters_back(dw, shape):
    """``(F, kh·kw·C)`` with columns (i, j, c) back to a new ``(F, C, kh, kw)`` array."""
    F, C, kh, kw = shape
    return np.ascontiguousarray(dw.reshape(F, kh, kw, C).transpose(0, 3, 1, 2))


def conv2d_weight_grads(dout, cache: ConvCache):
    """``(dw, db)``: the part of ``conv2d_backward`` a model's first layer needs (no ∂x).
    ``dout (N, F, H_out, W_out)`` → ``dw (F, C, kh, kw)``, ``db (F,)``."""
    d = _check_dout(dout, cache)
    if cache.x is None:
        return _cols_weight_grad(d, cache.cols).reshape(cache.w.shape), d.sum(axis=(0, 2))
    x, w, stride, padding, out_hw = cache.x, cache.w, cache.stride, cache.padding, cache.out_hw
    N, C, H, W = cache.x_shape
    F, _, kh, kw = w.shape
    P, K, dtype = out_hw[0] * out_hw[1], kh * kw * C, cache_dtype(cache)
    step = chunk_size(P, K, dtype)

    def part(lo, hi, scratch):
        n = min(step, hi - lo)
        xpad = scratch.array("xpad", (n, H + 2 * padding, W + 2 * padding, C), dtype, zeroed=True)
        stage, rows = scratch.array("stage", n * C * H * (W + 1), dtype), scratch.array("rows", (n * P, K), dtype)
        dw = np.zeros((F, K), dtype)
        for s in range(lo, hi, step):
            e = min(s + step, hi)
            r = im2row(pad_chunk(x[s:e], xpad, padding, stage), kh, kw, stride, out_hw, rows)
            dw += np.matmul(d[s:e], r.reshape(e - s, P, K)).sum(axis=0)
        return dw

    dw = sum(over_batch(part, N, step, 2 * N * P * F * K))
    return _filters_back(dw, w.shape), d.sum(axis=(0, 2))


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
