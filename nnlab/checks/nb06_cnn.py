"""Specs for notebook 06: convolution and pooling on one 2-D array (deck 000's examples); the batched
conv2d_forward and max_pool_forward on NCHW (their ``out`` is compared; that they return ``(out, cache)`` is
checked, the cache's contents are the student's own business); and their backward passes, each checked as a
pair with the student's own forward pass, whose cache it takes."""
from __future__ import annotations

import numpy as np

from ..answers.nb06_cnn import (conv2d_backward, conv2d_forward, convolution, max_pool_backward, max_pool_forward,
                                pooling)
from ..ops.pool import avg_pool_forward
from .calling import with_own_conv2d_forward, with_own_max_pool_forward
from .outputs import first_output
from .spec import Case, Mistake, Spec
from .validating import out_and_cache

DECK_IMAGE = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], float)
DECK_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], float)
CONV_SIZE = ("an H × W input padded by p and scanned by a kh × kw kernel with stride s gives "
             "⌊(H + 2p − kh) / s⌋ + 1 rows and ⌊(W + 2p − kw) / s⌋ + 1 columns: check the + 1, the stride and "
             "the padding.")
POOL_SIZE = ("⌊(H − size) / stride⌋ + 1 windows fit down an H-row input (and likewise across): a window that "
             "would stick out past the edge is dropped.")
DECK_POOL = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], float)


def _conv_cases():
    rng = np.random.default_rng(61)
    asym = np.array([[1.0, 2.0], [0.0, -1.0]])
    return [Case("deck 000: 5×5 image, kernel [[1,0,1],[0,1,0],[1,0,1]]", (DECK_IMAGE, DECK_KERNEL)),
            Case("an asymmetric 2×2 kernel on a 4×5 image", (rng.integers(0, 5, (4, 5)).astype(float), asym)),
            Case("stride 2", (rng.normal(size=(7, 7)), rng.normal(size=(3, 3))), {"stride": 2}),
            Case("padding 1 keeps a 3×3 kernel's output 6×6", (rng.normal(size=(6, 6)), rng.normal(size=(3, 3))),
                 {"padding": 1}),
            Case("a 2×3 kernel on a 7×5 image, padding 1", (rng.normal(size=(7, 5)), rng.normal(size=(2, 3))),
                 {"padding": 1})]


def _conv_random(rng):
    kh, kw = (int(n) for n in rng.integers(1, 4, size=2))
    H, W = int(rng.integers(kh, kh + 6)), int(rng.integers(kw, kw + 6))
    return Case("random", (rng.normal(size=(H, W)), rng.normal(size=(kh, kw))),
                {"stride": int(rng.integers(1, 3)), "padding": int(rng.integers(0, 2))})


def _flipped(image, kernel, stride=1, padding=0):
    return convolution(image, np.asarray(kernel, float)[::-1, ::-1], stride, padding)


def _stride_in_size_only(image, kernel, stride=1, padding=0):
    """The output size uses the stride, the windows do not."""
    right = convolution(image, kernel, stride, padding)
    return convolution(image, kernel, 1, padding)[:right.shape[0], :right.shape[1]]


CONVOLUTION = Spec(
    name="convolution",
    signature="convolution(image, kernel, stride=1, padding=0)",
    reference=convolution,
    visible=_conv_cases,
    random_case=_conv_random,
    output="feature map",
    mistakes=(Mistake("flipped", "you flipped the kernel (the textbook's convolution); here, as in every "
                      "framework and deck 000, the kernel slides unflipped: out[i, j] = Σ window ⊙ kernel.",
                      _flipped),
              Mistake("no-stride", "your output ignores the stride: the window moves stride positions at a time, "
                      "so the output shrinks with it.",
                      lambda image, kernel, stride=1, padding=0: convolution(image, kernel, 1, padding)),
              Mistake("stride-in-size-only", "your output has the right size, but its windows move one position "
                      "at a time: window (i, j) starts at row i·stride and column j·stride.", _stride_in_size_only),
              Mistake("no-padding", "your output ignores the padding: add padding rows and columns of zeros "
                      "around the image first.",
                      lambda image, kernel, stride=1, padding=0: convolution(image, kernel, stride, 0))),
    hints={"shape": CONV_SIZE},
)


def _pool_cases():
    rng = np.random.default_rng(62)
    return [Case("deck 000: 4×4, 2×2 windows, stride 2", (DECK_POOL,)),
            Case("average pooling of deck 000's example", (DECK_POOL,), {"mode": "avg"}),
            Case("3×3 windows, stride 1 (they overlap)", (rng.normal(size=(5, 6)),), {"size": 3, "stride": 1}),
            Case("a 5×5 input: the last row and column fit no window", (rng.normal(size=(5, 5)),)),
            Case("a 6×5 input, average of 2×2 windows", (rng.normal(size=(6, 5)),), {"mode": "avg"}),
            Case("1×1 windows, stride 2: every other entry", (rng.normal(size=(5, 4)),), {"size": 1}),
            Case("1×1 windows, stride 3, average", (rng.normal(size=(4, 6)),), {"size": 1, "stride": 3,
                                                                              "mode": "avg"})]


def _pool_random(rng):
    size = int(rng.integers(1, 4))
    H, W = (int(n) for n in rng.integers(size, size + 6, size=2))
    return Case("random", (rng.normal(size=(H, W)),), {"size": size, "stride": int(rng.integers(1, 4)),
                                                        "mode": ["max", "avg"][int(rng.integers(2))]})


def _pool_ignores_mode(x, size=2, stride=2, mode="max"):
    return pooling(x, size, stride, "max")


POOLING = Spec(
    name="pooling",
    signature='pooling(x, size=2, stride=2, mode="max")',
    reference=pooling,
    visible=_pool_cases,
    random_case=_pool_random,
    output="pooled map",
    mistakes=(Mistake("max-only", 'your function takes the maximum even when mode="avg"; average the window '
                      "then.", _pool_ignores_mode),
              Mistake("stride-is-size", "your windows move by their size; they move by stride (which may differ "
                      "from size, and windows may then overlap).",
                      lambda x, size=2, stride=2, mode="max": pooling(x, size, size, mode))),
    hints={"shape": POOL_SIZE},
)


def _conv2d_cases():
    rng = np.random.default_rng(63)
    return [Case("one 1-channel image, one filter: deck 000's example as NCHW",
                 (DECK_IMAGE[None, None], DECK_KERNEL[None, None], np.zeros(1))),
            Case("batch of 2, 3 channels, 4 filters, bias", (rng.normal(size=(2, 3, 5, 5)),
                 rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4))),
            Case("stride 2 and padding 1", (rng.normal(size=(2, 2, 6, 6)), rng.normal(size=(3, 2, 3, 3)),
                 rng.normal(size=3)), {"stride": 2, "padding": 1}),
            Case("a 7×5 image, 2×3 filters, padding 1", (rng.normal(size=(1, 2, 7, 5)), rng.normal(size=(2, 2, 2, 3)),
                 rng.normal(size=2)), {"padding": 1}),
            Case("a 5×7 image, 3×2 filters, stride 2", (rng.normal(size=(2, 1, 5, 7)), rng.normal(size=(2, 1, 3, 2)),
                 rng.normal(size=2)), {"stride": 2})]


def _conv2d_random(rng):
    N, C, F, kh, kw = (int(n) for n in rng.integers(1, 4, size=5))
    H, W = int(rng.integers(kh, kh + 5)), int(rng.integers(kw, kw + 5))
    return Case("random", (rng.normal(size=(N, C, H, W)), rng.normal(size=(F, C, kh, kw)), rng.normal(size=F)),
                {"stride": int(rng.integers(1, 3)), "padding": int(rng.integers(0, 2))})


def _conv2d_no_bias(x, w, b, stride=1, padding=0):
    return conv2d_forward(x, w, np.zeros_like(np.asarray(b, float)), stride, padding)


def _conv2d_flipped(x, w, b, stride=1, padding=0):
    return conv2d_forward(x, np.asarray(w, float)[:, :, ::-1, ::-1], b, stride, padding)


CONV2D_FORWARD = Spec(
    name="conv2d_forward",
    signature="conv2d_forward(x, w, b, stride=1, padding=0)",
    reference=conv2d_forward,
    visible=_conv2d_cases,
    random_case=_conv2d_random,
    output="out",
    transform=first_output,
    validate=out_and_cache,
    mistakes=(Mistake("no-bias", "your output matches a convolution without the bias: add b[f] to every "
                      "position of filter f's map.", _conv2d_no_bias),
              Mistake("flipped", "you flipped the kernels (the textbook's convolution); here, as in every framework, "
                      "each filter slides unflipped: out[n, f, i, j] = Σ window ⊙ w[f] + b[f].", _conv2d_flipped)),
    hints={"transposed": "the output is NCHW: (N, F, H_out, W_out).", "axes": "the output is NCHW: (N, F, H_out, "
           "W_out), the filters before the rows and columns.", "shape": "the output is NCHW, (N, F, H_out, "
           "W_out), where " + CONV_SIZE},
)

# ------------------------------------------------------------------------------------------ max_pool_forward


def _max_pool_cases():
    rng = np.random.default_rng(64)
    return [Case("deck 000's 4×4 example as NCHW (1, 1, 4, 4)", (DECK_POOL[None, None],)),
            Case("a batch of 2 images with 3 channels", (rng.normal(size=(2, 3, 6, 6)),)),
            Case("3×3 windows with stride 2 overlap, on a 7×5 input", (rng.normal(size=(1, 2, 7, 5)),),
                 {"size": 3, "stride": 2}),
            Case("a 5×5 input: the last row and column fit no window", (rng.normal(size=(2, 1, 5, 5)),)),
            Case("2×2 windows with stride 1: each overlaps the next", (rng.normal(size=(1, 2, 4, 5)),),
                 {"size": 2, "stride": 1}),
            Case("1×1 windows with stride 2: every other entry", (rng.normal(size=(2, 1, 5, 4)),), {"size": 1})]


def _max_pool_random(rng):
    N, C = (int(n) for n in rng.integers(1, 4, size=2))
    size = int(rng.integers(1, 4))
    H, W = (int(n) for n in rng.integers(size, size + 6, size=2))
    return Case("random", (rng.normal(size=(N, C, H, W)),), {"size": size, "stride": int(rng.integers(1, 4))})


def _whole_block_max(x, size=2, stride=2):
    """Each window's maximum taken over every image and channel at once (the max without its axes)."""
    out = max_pool_forward(x, size, stride)[0]
    return np.broadcast_to(out.max(axis=(0, 1), keepdims=True), out.shape).copy(), None


MAX_POOL_FORWARD = Spec(
    name="max_pool_forward",
    signature="max_pool_forward(x, size=2, stride=2)",
    reference=max_pool_forward,
    visible=_max_pool_cases,
    random_case=_max_pool_random,
    output="out",
    transform=first_output,
    validate=out_and_cache,
    mistakes=(Mistake("average", "your output is each window's mean; max pooling keeps each window's largest "
                      "entry.", avg_pool_forward),
              Mistake("stride-is-size", "your windows move by their size; they move by stride (which may differ "
                      "from size, and windows may then overlap).",
                      lambda x, size=2, stride=2: max_pool_forward(x, size, size)),
              Mistake("whole-block", "each of your maxima is the same for every image and channel: it is taken "
                      "over the whole block x[:, :, rows, columns]. Each image and channel has its own maximum "
                      "per window: take the max over the window's rows and columns only (axis=(2, 3)).",
                      _whole_block_max)),
    hints={"shape": "the output is (N, C, H_out, W_out): every image and channel is pooled on its own, and "
                    + POOL_SIZE,
           "raised:out of bounds": "an index went past the edge of an array: out has (H − size) // stride + 1 "
                                   "rows (and likewise columns), and out[:, :, i, j] is the window that starts "
                                   "at row i·stride and column j·stride of x, so index out by the window's "
                                   "number, not by the row or column where it starts.",
           "axes": "the output keeps x's axis order (N, C, H_out, W_out): pool each image's channels in place."},
)

# ------------------------------------------------------------------------------------------ conv2d_backward


def _conv_pair(dout, x, w, b, stride=1, padding=0):
    """What the check compares with: the reference backward pass on the reference forward pass's cache."""
    return conv2d_backward(dout, conv2d_forward(x, w, b, stride, padding)[1])


def _with_dout(rng, case):
    out = conv2d_forward(*case.args, **case.kwargs)[0]
    return Case(case.label, (rng.normal(size=out.shape), *case.args), case.kwargs)


def _conv_pair_cases():
    rng = np.random.default_rng(65)
    return [_with_dout(rng, c) for c in _conv2d_cases()]


def _conv_pair_random(rng):
    return _with_dout(rng, _conv2d_random(rng))


def _conv_backward_by_windows(dout, x, w, b, stride=1, padding=0, step=None, accumulate=True, flip=False,
                              crop=True):
    """The backward pass written window by window, with the slips students make: windows placed ``step``
    apart instead of ``stride`` apart, ∂x written (=) instead of added (+=) where windows overlap, ∂x sent back
    through the flipped kernel, ∂x of the padded input returned uncropped."""
    dout, x, w = (np.asarray(a, float) for a in (dout, x, w))
    step = stride if step is None else step
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    kh, kw = w.shape[2:]
    back = w[:, :, ::-1, ::-1] if flip else w
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = np.s_[:, :, i * step:i * step + kh, j * step:j * step + kw]
            if xp[window].shape[2:] != (kh, kw):
                continue
            dw += np.tensordot(dout[:, :, i, j], xp[window], axes=([0], [0]))
            share = np.tensordot(dout[:, :, i, j], back, axes=([1], [0]))
            if accumulate:
                dxp[window] += share
            else:
                dxp[window] = share
    H, W = x.shape[2:]
    dx = dxp[:, :, padding:padding + H, padding:padding + W] if crop else dxp
    return dx, dw, dout.sum(axis=(0, 2, 3))


def _conv_first_image(dout, x, w, b, stride=1, padding=0):
    """dx right, dw and db from the batch's first image only."""
    _, dw, db = _conv_pair(np.asarray(dout)[:1], np.asarray(x)[:1], w, b, stride, padding)
    return _conv_pair(dout, x, w, b, stride, padding)[0], dw, db


def _conv_last_image_dw(dout, x, w, b, stride=1, padding=0):
    """dx and db right, dw from the batch's last image only (dw reset inside the loop over the images)."""
    dx, _, db = _conv_pair(dout, x, w, b, stride, padding)
    return dx, _conv_pair(np.asarray(dout)[-1:], np.asarray(x)[-1:], w, b, stride, padding)[1], db


def _conv_over_batch(dout, x, w, b, stride=1, padding=0):
    """dx right, dw and db divided by the number of images N (a batch mean where the loss already averaged)."""
    dx, dw, db = _conv_pair(dout, x, w, b, stride, padding)
    return dx, dw / np.shape(x)[0], db / np.shape(x)[0]


def _conv_replace(which, value):
    """The right three gradients with one of them (0 = dx, 1 = dw, 2 = db) replaced by ``value(dout, x, w)``."""
    def wrong(dout, x, w, b, stride=1, padding=0):
        good = list(_conv_pair(dout, x, w, b, stride, padding))
        good[which] = value(np.asarray(dout, float), np.asarray(x, float), np.asarray(w, float))
        return tuple(good)
    return wrong


CONV2D_BACKWARD = Spec(
    name="conv2d_backward",
    signature="conv2d_backward(dout, cache)",
    reference=_conv_pair,
    answer=conv2d_backward,
    visible=_conv_pair_cases,
    random_case=_conv_pair_random,
    output="(dx, dw, db)",
    caller=with_own_conv2d_forward,
    pair="conv2d_forward",
    mistakes=(Mistake("dx-assigned", "where windows overlap your dx keeps only the last window's share: each "
                      "output position sends gradient to its whole window, and an input in several windows adds "
                      "them up (+=, not =).",
                      lambda *a, **k: _conv_backward_by_windows(*a, **k, accumulate=False)),
              Mistake("dx-flipped", "your dx goes back through the flipped kernel: input x_p[n, c, i·s + u, j·s + v] "
                      "met weight w[f, c, u, v] on the way forward, so it gets dout[n, f, i, j] · w[f, c, u, v] "
                      "back, with the same (u, v) — no flip.",
                      lambda *a, **k: _conv_backward_by_windows(*a, **k, flip=True)),
              Mistake("no-stride", "your backward pass places window (i, j) at row i and column j; on the way "
                      "forward it started at row i·stride and column j·stride, and it must be the same window on "
                      "the way back.",
                      lambda dout, x, w, b, stride=1, padding=0:
                      _conv_backward_by_windows(dout, x, w, b, stride, padding, step=1)),
              Mistake("stride-padding-ignored", "your backward pass uses stride 1 and no padding whatever the "
                      "forward pass used: keep stride and padding in the cache, pad x as on the way forward and "
                      "place window (i, j) at row i·stride and column j·stride.",
                      lambda dout, x, w, b, stride=1, padding=0: _conv_backward_by_windows(dout, x, w, b)),
              Mistake("dx-padded", "your dx has the padded input's shape: the zeros added by the padding are not "
                      "inputs, so cut padding rows and columns off each side of dx at the end.",
                      lambda *a, **k: _conv_backward_by_windows(*a, **k, crop=False)),
              Mistake("db-mean", "your db is the mean of dout over the images and positions; b_f is added at every "
                      "position of every image, so its gradient is their sum.",
                      _conv_replace(2, lambda dout, x, w: dout.mean(axis=(0, 2, 3)))),
              Mistake("db-keepdims", "your db has shape (1, F, 1, 1); b is (F,), one number per filter: sum dout "
                      "over the images, rows and columns without keeping those axes.",
                      _conv_replace(2, lambda dout, x, w: dout.sum(axis=(0, 2, 3), keepdims=True))),
              Mistake("db-per-image", "your db has one row per image, (N, F): b serves every image of the batch, so "
                      "its gradient adds up over the images as well as over the rows and columns, one number per "
                      "filter (F,).", _conv_replace(2, lambda dout, x, w: dout.sum(axis=(2, 3)))),
              Mistake("over-N", "your dw and db are divided by the number of images N: dout is already the "
                      "loss's gradient (any averaging over the batch happened in the loss), so dw and db are "
                      "plain sums over the images and positions.",
                      lambda dout, x, w, b, stride=1, padding=0: _conv_over_batch(dout, x, w, b, stride, padding)),
              Mistake("dw-first-image", "your dw counts the first image only: the same weights serve every image "
                      "of the batch, so dw adds up the contributions of all N images (and so does db).",
                      _conv_first_image),
              Mistake("dw-last-image", "your dw counts the last image only (is dw reset inside the loop over the "
                      "images?): the same weights serve every image of the batch, so dw adds up the contributions "
                      "of all N images.", _conv_last_image_dw)),
    hints={"raised:which makes the cache": "your conv2d_forward raised on these inputs, so there was no cache to "
                                           "pass on: make conv2d_forward pass its own check first.",
           "raised:values to unpack": "a value was unpacked into the wrong number of names: if it is the cache, "
                                      "conv2d_backward must take it apart into the same items, in the same "
                                      "order, as your conv2d_forward puts it together.",
           "raised:could not be broadcast": "two arrays whose shapes do not fit met in an entry-by-entry "
                                            "operation: dout is (N, F, H_out, W_out), a window of the padded input "
                                            "(N, C, kh, kw) and a filter (F, C, kh, kw); contract over F to get a "
                                            "window's dx, over N to get dw. A window comes out smaller than "
                                            "kh × kw where it runs off the input: cut it from x padded as on the "
                                            "way forward, at row i·stride and column j·stride.",
           "shape": "dx, dw and db have the shapes of x (N, C, H, W), w (F, C, kh, kw) and b (F,).",
           "order": "The order is (dx, dw, db): dx first, then dw, then db."},
    depends=("conv2d_forward",),
    substitute=False,
)

# ------------------------------------------------------------------------------------------ max_pool_backward


def _pool_pair(dout, x, size=2, stride=2):
    """The reference backward pass on the reference forward pass's cache."""
    return max_pool_backward(dout, max_pool_forward(x, size, stride)[1])


def _pool_dout(rng, x, size=2, stride=2):
    return rng.normal(size=max_pool_forward(x, size, stride)[0].shape)


def _pool_pair_cases():
    rng = np.random.default_rng(66)
    deck = DECK_POOL[None, None]
    ties = rng.integers(0, 3, size=(2, 2, 4, 6)).astype(float)
    overlap = rng.normal(size=(1, 2, 7, 7))
    ragged = rng.normal(size=(2, 1, 5, 5))
    tied_overlap = rng.integers(0, 2, size=(1, 1, 5, 5)).astype(float)
    cases = [Case("deck 000's example, dout [[1, 2], [3, 4]]", (np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), deck)),
             Case("ties: small integers, so several entries share a window's maximum",
                  (_pool_dout(rng, ties), ties)),
             Case("3×3 windows with stride 2: an entry can be the maximum of two windows",
                  (_pool_dout(rng, overlap, 3, 2), overlap), {"size": 3, "stride": 2}),
             Case("a 5×5 input: the last row and column get no gradient", (_pool_dout(rng, ragged), ragged)),
             Case("ties and overlapping windows (2×2, stride 1)", (_pool_dout(rng, tied_overlap, 2, 1), tied_overlap),
                  {"size": 2, "stride": 1})]
    ragged_rows = rng.normal(size=(1, 2, 5, 4))
    exact_overlap = rng.normal(size=(2, 1, 4, 6))
    ragged_columns = rng.normal(size=(2, 2, 4, 5))
    return cases + [
        Case("a 5×4 input: only the last row gets no gradient", (_pool_dout(rng, ragged_rows), ragged_rows)),
        Case("a 4×5 input: only the last column gets no gradient",
             (_pool_dout(rng, ragged_columns), ragged_columns)),
        Case("2×2 windows with stride 1 on a 4×6 input: they overlap and reach every edge",
             (_pool_dout(rng, exact_overlap, 2, 1), exact_overlap), {"size": 2, "stride": 1})]


def _pool_pair_random(rng):
    """Windows of 2 or 3 that overlap (stride < size) as often as not; half the cases have ties."""
    N, C, size = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(2, 4))
    H, W = (int(n) for n in rng.integers(size, size + 6, size=2))
    kwargs = {"size": size, "stride": int(rng.integers(1, size + 1))}
    x = rng.normal(size=(N, C, H, W))
    x = np.round(x * 2) if rng.random() < 0.5 else x
    return Case("random", (_pool_dout(rng, x, **kwargs), x), kwargs)


def _pool_backward_by_windows(dout, x, size=2, stride=2, pick="first", accumulate=True):
    """The backward pass window by window: the gradient to the ``first`` maximum, the ``last``, ``every`` tied
    maximum, or ``spread`` over the window; added (+=) or written (=) where windows overlap: at the chosen entry
    only (``accumulate=False``), or the whole window's share, zeros included (``accumulate="window"``)."""
    dout, x = np.asarray(dout, float), np.asarray(x, float)
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(dout.shape):
        rows, cols = slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)
        window = x[n, c, rows, cols]
        if pick == "spread":
            share = np.full(window.shape, dout[n, c, i, j] / window.size)
        else:
            hits = np.flatnonzero(window.ravel() == window.max())
            chosen = {"first": hits[:1], "last": hits[-1:], "every": hits}[pick]
            share = np.zeros(window.size)
            share[chosen] = dout[n, c, i, j]
            share = share.reshape(window.shape)
        if accumulate == "window":
            dx[n, c, rows, cols] = share
        elif accumulate:
            dx[n, c, rows, cols] += share
        else:
            dx[n, c, rows, cols] = np.where(share != 0, share, dx[n, c, rows, cols])
    return dx


MAX_POOL_BACKWARD = Spec(
    name="max_pool_backward",
    signature="max_pool_backward(dout, cache)",
    reference=_pool_pair,
    answer=max_pool_backward,
    visible=_pool_pair_cases,
    random_case=_pool_pair_random,
    output="dx",
    caller=with_own_max_pool_forward,
    pair="max_pool_forward",
    mistakes=(Mistake("every-tie", "where several entries share a window's maximum, you gave the gradient to each "
                      "of them, so it counts twice; it goes to one entry only: the first maximum in row-major "
                      "order (what np.argmax finds, and what PyTorch does).",
                      lambda *a, **k: _pool_backward_by_windows(*a, **k, pick="every")),
              Mistake("last-tie", "where several entries share a window's maximum, you gave the gradient to the "
                      "last of them; the convention is the first in row-major order (what np.argmax finds).",
                      lambda *a, **k: _pool_backward_by_windows(*a, **k, pick="last")),
              Mistake("spread", "you shared each window's gradient over the whole window (average pooling's "
                      "backward pass); only the maximum influenced the output, so it alone gets the gradient.",
                      lambda *a, **k: _pool_backward_by_windows(*a, **k, pick="spread")),
              Mistake("assigned", "where windows overlap, an entry that is the maximum of two windows keeps only "
                      "one window's gradient; it gets both: add (+=) rather than assign.",
                      lambda *a, **k: _pool_backward_by_windows(*a, **k, accumulate=False)),
              Mistake("window-assigned", "where windows overlap, each window's share was written (=) over the whole "
                      "window, zeros included, so a later window wiped out the gradient an earlier one gave to "
                      "their common entries; add (+=) each window's share rather than assign it.",
                      lambda *a, **k: _pool_backward_by_windows(*a, **k, accumulate="window")),
              Mistake("no-stride", "your backward pass places window (i, j) at row i·size and column j·size; on "
                      "the way forward it started at row i·stride and column j·stride, and it must be the same "
                      "window on the way back.",
                      lambda dout, x, size=2, stride=2: _pool_backward_by_windows(dout, x, size, size)),
              Mistake("window-defaults", "your backward pass uses 2 × 2 windows with stride 2 whatever the forward "
                      "pass used: keep size and stride in the cache, so that the backward pass walks the forward "
                      "pass's windows.",
                      lambda dout, x, size=2, stride=2: _pool_backward_by_windows(dout, x, 2, 2)),
              Mistake("whole-window", "every entry of a window got the window's whole gradient; only the maximum "
                      "influenced the output, so the others get 0.",
                      lambda dout, x, size=2, stride=2: _pool_backward_by_windows(dout, x, size, stride, "spread")
                      * size * size)),
    hints={"raised:which makes the cache": "your max_pool_forward raised on these inputs, so there was no cache "
                                           "to pass on: make max_pool_forward pass its own check first.",
           "raised:values to unpack": "a value was unpacked into the wrong number of names: if it is the cache, "
                                      "max_pool_backward must take it apart as your max_pool_forward puts it "
                                      "together.",
           "raised:empty sequence|zero-size array": "a window came out empty: the backward pass looked for a "
                                                    "maximum past the input's edge. Window (i, j) starts at row "
                                                    "i·stride and column j·stride with the forward pass's size "
                                                    "and stride: keep both in the cache.",
           "raised:out of bounds": "an index ran past the end of an array: the backward pass walks dout's "
                                   "positions, H_out × W_out of them (not H × W), and window (i, j) starts at "
                                   "row i·stride and column j·stride of x.",
           "shape": "dx has x's shape (N, C, H, W): entries that no window reaches, or that are no window's "
                    "maximum, get 0."},
    depends=("max_pool_forward",),
    substitute=False,
)
