"""Convolution and pooling: deck 000's worked examples exactly, backward passes against finite differences
and PyTorch (``conv2d``, ``max_pool2d``, ``avg_pool2d``), ties, shapes and errors."""
import contextlib

import numpy as np
import pytest

import nnlab
from tests.conftest import numeric_grad

DECK_IMAGE = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
DECK_KERNEL = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
DECK_POOL = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]
GEOMETRIES = [(2, 3, 7, 6, 4, 3, 1, 1), (3, 2, 9, 8, 5, 3, 2, 0), (1, 1, 5, 5, 2, 2, 2, 1), (2, 2, 6, 6, 3, 1, 1, 0)]


def test_deck_000_convolution_example(nn):
    out = nn.convolution(DECK_IMAGE, DECK_KERNEL)
    np.testing.assert_array_equal(out, [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
    assert nn.convolution(DECK_IMAGE, DECK_KERNEL, padding=1).shape == (5, 5)
    np.testing.assert_array_equal(nn.convolution(DECK_IMAGE, DECK_KERNEL, stride=2), [[4, 4], [2, 4]])


def test_deck_000_max_pool_example(nn):
    np.testing.assert_array_equal(nn.pooling(DECK_POOL), [[6, 8], [3, 4]])
    np.testing.assert_array_equal(nn.pooling(DECK_POOL, mode="avg"), [[3.25, 5.25], [2, 2]])


@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_conv2d_matches_torch(nn, torch, rng, geometry):
    N, C, H, W, F, k, stride, padding = geometry
    x, w, b = rng.standard_normal((N, C, H, W)), rng.standard_normal((F, C, k, k)), rng.standard_normal(F)
    out, cache = nn.conv2d_forward(x, w, b, stride=stride, padding=padding)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=padding)
    dout = rng.standard_normal(out.shape)
    tout.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    for mine, theirs in zip(nn.conv2d_backward(dout, cache), (tx, tw, tb)):
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


# Inputs with WIDE_CHANNELS (8) or more channels take the channels-last path (nnlab.ops.conv): ∂x as the
# convolution of dout at stride 1 with padding ≤ k − 1, col2im otherwise; non-square kernels, N = 1.
WIDE_GEOMETRIES = [  # N, C, H, W, F, (kh, kw), stride, padding
    (3, 8, 7, 6, 5, (3, 3), 1, 1), (1, 9, 6, 7, 4, (2, 3), 1, 1), (2, 8, 9, 8, 3, (3, 2), 2, 0),
    (2, 10, 6, 6, 4, (2, 2), 1, 2), (1, 8, 5, 5, 2, (1, 1), 1, 0), (2, 8, 8, 9, 3, (3, 3), 3, 1),
]


@pytest.mark.parametrize("geometry", WIDE_GEOMETRIES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_wide_conv2d_matches_torch(torch, rng, geometry, dtype):
    N, C, H, W, F, (kh, kw), stride, padding = geometry
    x, w, b = (rng.standard_normal(s).astype(dtype) for s in ((N, C, H, W), (F, C, kh, kw), (F,)))
    out, cache = nnlab.conv2d_forward(x, w, b, stride=stride, padding=padding)
    assert cache.x is not None and out.dtype == dtype
    tx, tw, tb = (torch.tensor(a.astype(np.float64), requires_grad=True) for a in (x, w, b))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=padding)
    dout = rng.standard_normal(out.shape).astype(dtype)
    tout.backward(torch.tensor(dout.astype(np.float64)))
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=tol, atol=tol)
    grads = nnlab.conv2d_backward(dout, cache)
    for mine, theirs in zip(grads, (tx, tw, tb)):
        assert mine.dtype == dtype and mine.flags.c_contiguous
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=tol, atol=tol * 10)
    from nnlab.answers.nb06_cnn import conv2d_weight_grads
    for mine, full in zip(conv2d_weight_grads(dout, cache), grads[1:]):
        np.testing.assert_allclose(mine, full, rtol=tol, atol=tol)


@pytest.mark.parametrize("geometry", [WIDE_GEOMETRIES[0], WIDE_GEOMETRIES[2],
                                      (3, 3, 7, 6, 5, (3, 3), 2, 1)])          # the last one narrow (C < 8)
def test_wide_conv2d_chunks_and_threads_agree(monkeypatch, rng, geometry):
    """Tiny chunks (one image each, a ragged last part) shared between three threads give the one-chunk
    answer, on the channels-last path and on the narrow one; the inputs are left untouched."""
    from nnlab.ops import conv
    N, C, H, W, F, (kh, kw), stride, padding = geometry
    N = 7
    x, w, b = rng.standard_normal((N, C, H, W)), rng.standard_normal((F, C, kh, kw)), rng.standard_normal(F)
    before = [a.copy() for a in (x, w, b)]
    out, cache = nnlab.conv2d_forward(x, w, b, stride=stride, padding=padding)
    dout = rng.standard_normal(out.shape)
    whole = nnlab.conv2d_backward(dout, cache)
    monkeypatch.setattr(conv, "CHUNK_BYTES", 1)
    monkeypatch.setattr(conv, "_threads", lambda flops: 3)
    monkeypatch.setattr(conv, "_blas_on_one_thread", contextlib.nullcontext)
    out2, cache2 = nnlab.conv2d_forward(x, w, b, stride=stride, padding=padding)
    np.testing.assert_allclose(out2, out, rtol=1e-13, atol=1e-13)
    for mine, ref in zip(nnlab.conv2d_backward(dout, cache2), whole):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-12)
    assert all(np.array_equal(a, c) for a, c in zip((x, w, b), before))


def test_wide_conv2d_scratch_kept_between_calls_never_shows(monkeypatch, rng):
    """The chunks' scratch is kept between calls: a call after larger ones with other geometries and numbers,
    whose data is still in the scratch where the small call's zero borders lie, gives exactly what it gives
    with no scratch kept; a set larger than SPARE_BYTES is not kept."""
    from nnlab.ops import conv

    def grads(N, C, H, W, F, stride, padding, seed):
        r = np.random.default_rng(seed)
        x, w, b = r.standard_normal((N, C, H, W)), r.standard_normal((F, C, 3, 3)), r.standard_normal(F)
        out, cache = nnlab.conv2d_forward(x, w, b, stride=stride, padding=padding)
        return (out, *nnlab.conv2d_backward(r.standard_normal(out.shape), cache))

    small = (3, 8, 6, 5, 4, 1, 1, 1)
    monkeypatch.setattr(conv, "_spares", [])
    fresh = grads(*small)
    assert len(conv._spares) == 1 and conv._spares[0].nbytes > 0
    grads(5, 9, 11, 13, 6, 1, 2, 2)                     # larger, other geometries: their scratch is kept
    grads(4, 8, 12, 12, 3, 2, 0, 3)
    for mine, ref in zip(grads(*small), fresh):
        np.testing.assert_array_equal(mine, ref)
    monkeypatch.setattr(conv, "_spares", [])
    monkeypatch.setattr(conv, "SPARE_BYTES", 1000)
    grads(*small)
    assert conv._spares == []


def test_passes_at_once_in_two_threads_leave_blas_as_they_found_it():
    """The single-thread limit on numpy's BLAS is the whole process's: two passes that overlap, the first to
    enter leaving first, leave BLAS with its threads once both have left, and on one thread until then."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from nnlab.ops import conv

    def threads():
        return min(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"])

    with threadpool_limits(limits=2, user_api="blas"):
        before = threads()
        first, second = conv._blas_on_one_thread(), conv._blas_on_one_thread()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        assert threads() == 1
        second.__exit__(None, None, None)
        assert threads() == before


def test_wide_conv2d_cache_keeps_the_input_not_a_copy(rng):
    x, w, b = rng.standard_normal((2, 8, 5, 5)), rng.standard_normal((3, 8, 3, 3)), rng.standard_normal(3)
    assert nnlab.conv2d_forward(x, w, b, padding=1)[1].x is x


@pytest.mark.parametrize("stride, padding", [(1, 1), (2, 0)])
def test_wide_conv2d_backward_matches_finite_differences(rng, stride, padding):
    """The channels-last path without PyTorch: both routes to ∂x (stride 1 and 2), a 2×3 kernel."""
    x, w, b = rng.standard_normal((2, 8, 5, 5)), rng.standard_normal((2, 8, 2, 3)), rng.standard_normal(2)
    out, cache = nnlab.conv2d_forward(x, w, b, stride=stride, padding=padding)
    assert cache.x is not None
    dout = rng.standard_normal(out.shape)
    loss = lambda: float(np.sum(nnlab.conv2d_forward(x, w, b, stride, padding)[0] * dout))  # noqa: E731
    for mine, arg in zip(nnlab.conv2d_backward(dout, cache), (x, w, b)):      # sums of 80 terms: atol 1e-7
        np.testing.assert_allclose(mine, numeric_grad(loss, arg), rtol=1e-6, atol=1e-7)


def test_conv2d_backward_matches_finite_differences(nn, rng):
    x, w, b = rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    out, cache = nn.conv2d_forward(x, w, b, stride=2, padding=1)
    dout = rng.standard_normal(out.shape)
    loss = lambda: float(np.sum(nn.conv2d_forward(x, w, b, stride=2, padding=1)[0] * dout))  # noqa: E731
    for mine, arg in zip(nn.conv2d_backward(dout, cache), (x, w, b)):
        np.testing.assert_allclose(mine, numeric_grad(loss, arg), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 2), (2, 1), (3, 3)])
@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("hw", [(8, 7), (6, 6)], ids=["ragged", "tiled"])
def test_pooling_matches_torch_including_ties(nn, torch, rng, size, stride, mode, hw):
    x = rng.integers(0, 4, (2, 3, *hw)).astype(float)            # small integers: many ties
    forward, backward = {"max": (nn.max_pool_forward, nn.max_pool_backward),
                         "avg": (nn.avg_pool_forward, nn.avg_pool_backward)}[mode]
    out, cache = forward(x, size, stride)
    tx = torch.tensor(x, requires_grad=True)
    tout = getattr(torch.nn.functional, f"{mode}_pool2d")(tx, size, stride)
    dout = rng.standard_normal(out.shape)
    tout.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(backward(dout, cache), tx.grad.numpy(), rtol=1e-14, atol=1e-15)


def test_pool_backward_matches_finite_differences(nn, rng):
    x = rng.standard_normal((2, 2, 6, 5))                     # distinct values: max is differentiable
    for forward, backward in ((nn.max_pool_forward, nn.max_pool_backward),
                              (nn.avg_pool_forward, nn.avg_pool_backward)):
        out, cache = forward(x, 3, 2)
        dout = rng.standard_normal(out.shape)
        numeric = numeric_grad(lambda: float(np.sum(forward(x, 3, 2)[0] * dout)), x)
        np.testing.assert_allclose(backward(dout, cache), numeric, rtol=1e-7, atol=1e-9)


def test_max_pool_tie_goes_to_the_first_entry(nn):
    x = np.ones((1, 1, 2, 2))
    out, cache = nn.max_pool_forward(x)
    np.testing.assert_array_equal(nn.max_pool_backward(np.array([[[[5.0]]]]), cache)[0, 0], [[5, 0], [0, 0]])


def test_float32_stays_float32_and_inputs_are_untouched(nn, rng):
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    before = x.copy()
    out, cache = nn.conv2d_forward(x, w, np.zeros(4, np.float32), padding=1)
    dx, dw, db = nn.conv2d_backward(np.ones_like(out), cache)
    pooled, pcache = nn.max_pool_forward(out)
    assert {a.dtype for a in (out, dx, dw, db, pooled, nn.max_pool_backward(pooled, pcache))} == {np.dtype("float32")}
    assert np.array_equal(x, before)


@pytest.mark.parametrize("call, message", [
    (lambda nn: nn.conv2d_forward(np.zeros((1, 3, 5, 5)), np.zeros((2, 2, 3, 3)), np.zeros(2)), "same C"),
    (lambda nn: nn.conv2d_forward(np.zeros((1, 1, 5, 5)), np.zeros((2, 1, 3, 3)), np.zeros((2, 1))), r"\(F,\)"),
    (lambda nn: nn.conv2d_forward(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), np.zeros(1)), "does not fit"),
    (lambda nn: nn.max_pool_forward(np.zeros((4, 4))), "NCHW"),
    (lambda nn: nn.pooling(np.zeros((4, 4)), mode="median"), "'max' or 'avg'"),
    (lambda nn: nn.convolution(np.zeros((4, 4)), np.ones((2, 2)), stride=0), "stride must be"),
])
def test_bad_input_is_explained(nn, call, message):
    with pytest.raises(ValueError, match=message):
        call(nn)
