"""Convolution's toolkit: the input checks, the receptive fields (as columns or as rows) and their gradients'
way back (``col2im_add``), and the batch split into chunks.

The passes themselves (deck 000's single-image example, the batched ``conv2d_forward`` and
``conv2d_backward``) are notebook 06's challenges and live with its answers; this module gathers the input
for them.

As in every framework (and deck 000's example), "convolution" here is cross-correlation: the kernel slides
over the input without being flipped. Images are NCHW ``x (N, C, H, W)``, filters ``w (F, C, kh, kw)``,
biases ``b (F,)``; the output is ``(N, F, H_out, W_out)`` with H_out = (H + 2·padding − kh) // stride + 1.

How it is fast. Inputs with fewer than ``WIDE_CHANNELS`` channels (an RGB image, say) keep the classic
layout: every receptive field is gathered once into columns ``cols (N, C·kh·kw, H_out·W_out)`` (a strided
view of the padded input, copied a few images at a time as the forward pass reaches them: ``im2col``), and
each image's product ``w.reshape(F, C·kh·kw) @ cols[n]`` is already NCHW; there the copies are small and the
products cheap. Wider inputs, where the products and the kh·kw-fold copy dominate, go another way: channels last
(NHWC). A few images at a time are copied into a zero-bordered scratch ``xpad (n, H + 2·padding,
W + 2·padding, C)`` (``pad_chunk``). Every receptive field is then one row of kh·kw·C numbers ordered
(i, j, c), and each kernel row ``i`` of a field is a contiguous run of kw·C numbers of ``xpad``: ``windows`` is
a read-only strided view ``(n, H_out, W_out, kh, kw·C)`` of it, and copying that (``im2row``) gives the fields
as a ``(n·H_out·W_out, kh·kw·C)`` matrix whose rows are NHWC positions. Products of that tall, thin matrix
with the filters are the shape BLAS runs fastest (measured 1.5× the speed of the same product laid out
NCHW): ``rows @ w2ᵀ`` is the forward pass. The backward pass gathers ``dout``'s fields the same way (at
stride 1, ∂x is a convolution of ``dout``), and those also give ∂w, with the input channels last and unpadded.

The batch is walked a few images at a time (as many as have about ``CHUNK_BYTES`` of receptive fields), so
that each chunk's rows are written and read again while they are still in the CPU's cache
instead of one copy of the whole batch's fields (kh·kw times the input) going out to memory and back. The
forward pass's cache keeps the input itself (``x``, not a copy; ``cols`` is None), and the backward pass
copies each chunk channels last again (cheaper than keeping it). Where numpy's BLAS is allowed more than one
thread (and ``threadpoolctl``, which can set that number, is installed) the chunks are shared between that
many threads, each with single-threaded BLAS: the copies then run in parallel too, which BLAS's own
threading of small products does not give.

The chunks' scratch arrays (``Scratch``) are never returned to the caller. They are kept for the next call
(``SPARE_SETS`` sets of at most ``SPARE_BYTES``): a pass that allocated its few megabytes of scratch afresh
each time made the C library give that memory back to the system and take it again on every call, and the
page faults of the fresh memory cost 15–20 % of a wide convolution's time (docs/benchmarks.md §4).
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from ..backend import NUMPY, Backend

WIDE_CHANNELS = 8         # inputs with this many channels take the channels-last path
CHUNK_BYTES = 1.5 * 2 ** 20  # receptive fields per chunk, in bytes: whole images, at least one
MIN_PARALLEL_FLOPS = 2e7   # below this a pass is not worth a thread


class ConvCache(NamedTuple):
    """What ``conv2d_backward`` needs from the forward pass: ``cols`` for inputs with fewer than
    ``WIDE_CHANNELS`` channels, ``x`` for the others (the other one is None). Like ``w``, ``x`` is the caller's
    array itself, as frameworks keep their inputs: changed in place between the two passes, it changes ∂w."""
    x_shape: tuple          # (N, C, H, W) of the unpadded input
    cols: np.ndarray        # (N, C·kh·kw, H_out·W_out) receptive fields, rows ordered (c, i, j); or None
    w: np.ndarray           # (F, C, kh, kw)
    stride: int
    padding: int
    out_hw: tuple           # (H_out, W_out)
    x: np.ndarray = None    # (N, C, H, W): the input itself, not a copy (as frameworks keep it); or None


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


def to_nhwc(a, out, stage=None):
    """Copy ``a (n, C, H, W)`` into ``out (n, H, W, C)`` (a view, such as the inside of a padded array).

    Reading ``a`` channel by channel for each output position strides by H·W numbers, and when that is a
    multiple of 4 KB (32×32 float32, say) every read falls in the same cache set and the copy runs 3–4× slower.
    So ``a`` is first copied (contiguously) into rows one number longer, ``stage`` (scratch, at least
    n·C·H·(W + 1) numbers of ``out``'s dtype; allocated when None), and transposed from there."""
    n, C, H, W = a.shape
    size = n * C * H * (W + 1)
    stage = np.empty(size, out.dtype) if stage is None else stage.reshape(-1)[:size]
    staged = stage.reshape(n, C, H, W + 1)[..., :W]
    np.copyto(staged, a)
    np.copyto(out, staged.transpose(0, 2, 3, 1))


def pad_chunk(x, xpad, padding, stage):
    """Copy ``x (n, C, H, W)`` channels last into the inside of ``xpad (≥ n, H + 2·padding, W + 2·padding, C)``,
    whose border the caller keeps zero; returns ``xpad[:n]``. ``stage``: ``to_nhwc``'s scratch."""
    n, _, H, W = x.shape
    to_nhwc(x, xpad[:n, padding:padding + H, padding:padding + W], stage)
    return xpad[:n]


def windows(xp, kh, kw, stride, out_hw):
    """The receptive fields of ``xp (n, Hp, Wp, C)`` (NHWC) as a read-only view ``(n, H_out, W_out, kh, kw·C)``:
    field (y, x), kernel row i, is the run ``xp[:, y·stride + i, x·stride : x·stride + kw, :]``."""
    sn, sh, sw, sc = xp.strides
    return as_strided(xp, (xp.shape[0], *out_hw, kh, kw * xp.shape[3]), (sn, sh * stride, sw * stride, sh, sc),
                      writeable=False)


def im2row(xp, kh, kw, stride, out_hw, out):
    """The receptive fields of the padded NHWC input ``xp (n, Hp, Wp, C)`` written into ``out`` (scratch of at
    least that many numbers) and returned as rows ``(n·H_out·W_out, kh·kw·C)``, columns ordered (i, j, c)."""
    win = windows(xp, kh, kw, stride, out_hw)
    out = out.reshape(-1)[:win.size].reshape(win.shape)
    np.copyto(out, win)
    return out.reshape(-1, win.shape[3] * win.shape[4])


def im2col(xp, kh, kw, stride, out_hw, out):
    """Receptive fields of the padded NCHW input ``xp (n, C, Hp, Wp)`` written into ``out`` and returned as
    ``(n, C·kh·kw, H_out·W_out)``, rows ordered (c, i, j)."""
    n, C = xp.shape[:2]
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride][:, :, :out_hw[0], :out_hw[1]]
    np.copyto(out.reshape(n, C, kh, kw, *out_hw), win.transpose(0, 1, 4, 5, 2, 3))
    return out.reshape(n, C * kh * kw, out_hw[0] * out_hw[1])


def col2im_add(dxp, dfields, stride):
    """Add receptive-field gradients back onto the padded input they were gathered from (col2im):
    ``dfields (n, C, kh, kw, H_out, W_out)`` onto ``dxp (n, C, Hp, Wp)``, in place. Each of the kh·kw kernel
    offsets touches one strided slice."""
    kh, kw, Ho, Wo = dfields.shape[2:]
    h_span, w_span = stride * (Ho - 1) + 1, stride * (Wo - 1) + 1
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i:i + h_span:stride, j:j + w_span:stride] += dfields[:, :, i, j]


def conv_cache(x, w, b, stride=1, padding=0) -> ConvCache:
    """What ``conv2d_backward`` needs from a forward pass of ``x (N, C, H, W)`` through ``w (F, C, kh, kw)`` and
    ``b (F,)`` (the reference ``conv2d_forward``'s cache): the receptive fields as columns (``cols``) for
    fewer than ``WIDE_CHANNELS`` channels, else the input itself (``x``)."""
    cache, padded = conv_cache_unfilled(x, w, b, stride, padding)
    if cache.cols is not None:
        im2col(padded, *cache.w.shape[2:], cache.stride, cache.out_hw, cache.cols)
    return cache


def conv_cache_unfilled(x, w, b, stride, padding):
    """``(cache, xp)``: ``conv_cache`` with its ``cols`` (if any) allocated but not yet filled, and the padded
    input ``xp (N, C, H + 2·padding, W + 2·padding)`` to fill them from (None on the channels-last path), for
    a forward pass that fills them chunk by chunk."""
    x, w, b, stride, padding, out_hw = check_conv_inputs(x, w, b, stride, padding)
    if x.shape[1] >= WIDE_CHANNELS:
        return ConvCache(x.shape, None, w, stride, padding, out_hw, x), None
    x = x.astype(np.result_type(x, w), copy=False)
    (N, C), (kh, kw) = x.shape[:2], w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else x
    cols = np.empty((N, C * kh * kw, out_hw[0] * out_hw[1]), x.dtype)
    return ConvCache(x.shape, cols, w, stride, padding, out_hw), xp


def cache_dtype(cache: ConvCache):
    """The dtype the passes of ``cache``'s convolution compute in: x's and w's common one."""
    return cache.cols.dtype if cache.x is None else np.result_type(cache.x, cache.w)


# --- the batch in chunks, shared between threads -----------------------------------------------------------
_blas = None


def _numpy_blas():
    """threadpoolctl's handle on numpy's BLAS (cached), or False where threadpoolctl is not installed."""
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController
            blas = ThreadpoolController().select(user_api="blas")
            mine = [c.filepath for c in blas.lib_controllers if "numpy" in c.filepath]  # not torch's MKL
            _blas = blas.select(filepath=mine) if mine else blas
        except Exception:            # no threadpoolctl, or one that works differently: BLAS threads itself
            _blas = False
    return _blas


def _threads(flops):
    """How many threads a pass of ``flops`` shares its chunks between: numpy's BLAS threads (at most the CPUs
    this process may use); 1 for small passes or without threadpoolctl."""
    if flops < MIN_PARALLEL_FLOPS:
        return 1
    blas = _numpy_blas()
    if not blas or not blas.lib_controllers:
        return 1
    n = min(c.num_threads for c in blas.lib_controllers)
    return max(1, min(n, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()))


_one_thread = threading.Lock()
_one_thread_passes = 0          # passes now inside _blas_on_one_thread
_one_thread_limit = None        # threadpoolctl's limiter while there are any: restored by the last to leave


@contextmanager
def _blas_on_one_thread():
    """A context in which numpy's BLAS runs single-threaded (the threads that share a pass are its threads).
    The limit is the whole process's: passes running at once in several threads share one, set by the first to
    enter and lifted by the last to leave (each lifting its own would leave BLAS on one thread for good when
    they leave in the order they entered)."""
    global _one_thread_passes, _one_thread_limit
    blas = _numpy_blas()
    if not blas:
        yield
        return
    with _one_thread:
        if _one_thread_passes == 0:
            _one_thread_limit = blas.limit(limits=1)
        _one_thread_passes += 1
    try:
        yield
    finally:
        with _one_thread:
            _one_thread_passes -= 1
            if _one_thread_passes == 0:
                _one_thread_limit.restore_original_limits()
                _one_thread_limit = None


def chunk_size(positions, field, dtype):
    """Whole images per chunk: those whose receptive fields (``positions`` of them per image, ``field`` numbers
    each, of ``dtype``) fill about ``CHUNK_BYTES``; at least one image. Chunks of a fixed 2,048 fields, as
    before, were as fast on (64, 16, 32, 32) → 32 (two images either way), but too small to share between two
    threads on (64, 3, 32, 32) → 16 (two images against fourteen: 5.0 against 2.7–3.3 ms at two threads) and
    too large on (64, 64, 16, 16) → 64 (eight images against two: 28 against 25.5 ms at one thread)."""
    return max(1, int(CHUNK_BYTES // max(1, positions * field * np.dtype(dtype).itemsize)))


class Scratch:
    """One part of a pass's scratch arrays, by name, kept between calls (see the module docstring). A part
    asks for each array with ``array``; what it got from an earlier call is reused where it is large enough."""

    def __init__(self):
        self._flat = {}

    def array(self, name, shape, dtype, zeroed=False):
        """An array of ``shape`` and ``dtype`` (uninitialised, or all zeros with ``zeroed``) on this scratch's
        buffer ``name``; valid until the next ``array(name, ...)``."""
        size, dtype = int(np.prod(shape)), np.dtype(dtype)
        flat = self._flat.get(name)
        if flat is None or flat.dtype != dtype or flat.size < size:
            flat = self._flat[name] = np.empty(size, dtype)
        out = flat[:size].reshape(shape)
        if zeroed:
            out.fill(0)
        return out

    @property
    def nbytes(self):
        """The bytes this scratch holds."""
        return sum(a.nbytes for a in self._flat.values())


SPARE_SETS = 4                 # scratch sets kept for the next calls (one per thread that shares a pass)
SPARE_BYTES = 16 * 2 ** 20     # a set larger than this (a pass over very large images) is not kept
_spares: list = []


def _take_scratch() -> Scratch:
    try:
        return _spares.pop()           # atomic: each set serves one part at a time
    except IndexError:
        return Scratch()


def _give_back(scratch: Scratch):
    if scratch.nbytes <= SPARE_BYTES and len(_spares) < SPARE_SETS:
        _spares.append(scratch)


def over_batch(part, N, images_per_chunk, flops):
    """Run ``part(lo, hi, scratch)`` over the batch ``range(N)`` split into contiguous parts, one per thread
    (see the module docstring), each with a ``Scratch`` of its own; each part walks its own images in chunks
    of ``images_per_chunk``. Returns the list of the parts' results, in batch order. Parts write disjoint
    slices of their outputs."""
    threads = min(_threads(flops), -(-N // images_per_chunk))
    bounds = [N * t // threads for t in range(threads + 1)] if threads > 1 else [0, N]
    results, errors = [None] * len(bounds[1:]), []

    def run(t):
        scratch = _take_scratch()
        try:
            results[t] = part(bounds[t], bounds[t + 1], scratch)
        except BaseException as e:       # re-raised in the caller's thread
            errors.append(e)
        _give_back(scratch)

    if threads <= 1:
        run(0)
    else:
        with _blas_on_one_thread():
            workers = [threading.Thread(target=run, args=(t,), daemon=True) for t in range(1, threads)]
            for worker in workers:
                worker.start()
            run(0)
            for worker in workers:
                worker.join()
    if errors:
        raise errors[0]
    return results
