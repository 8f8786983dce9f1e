"""Specs for notebook 06: convolution and pooling on one 2-D array (deck 000's examples), and the batched
conv2d_forward on NCHW (its ``out`` is compared; that it returns ``(out, cache)`` is checked, the cache's
contents are the student's own business)."""
from __future__ import annotations

import numpy as np

from ..answers.nb06_cnn import conv2d_forward, convolution, pooling
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
