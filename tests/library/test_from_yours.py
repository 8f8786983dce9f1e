"""nnlab.from_yours: the pieces the student kit rebuilds from a student's own functions equal the references
they stand in for, and the layers train on a student's forward and backward passes whose cache is their own."""
import numpy as np
import pytest

import nnlab
from nnlab import from_yours
from nnlab.answers.nb04_backprop import layer_gradients
from nnlab.answers.nb07_lstm import cell_gradients, cell_step


@pytest.mark.parametrize("scale", [1.0, 1e-6])
def test_layer_gradients_from_backprop_equal_bp3_and_bp4(rng, scale):
    delta, a_prev = rng.normal(size=(3, 7)) * scale, rng.normal(size=(5, 7))
    for mine, reference in zip(from_yours.layer_gradients(delta, a_prev), layer_gradients(delta, a_prev)):
        assert mine.shape == reference.shape
        np.testing.assert_allclose(mine, reference, rtol=1e-9, atol=1e-12 * scale)
    w32 = from_yours.layer_gradients(delta.astype(np.float32), a_prev.astype(np.float32))
    assert [g.dtype for g in w32] == [np.float32, np.float32]


def test_cell_step_from_the_cell_equals_the_two_steps(rng):
    n_h = 4
    z, c_prev = rng.normal(size=(4 * n_h, 5)) * 4, rng.normal(size=(n_h, 5))
    for mine, reference in zip(from_yours.cell_step(z.copy(), c_prev, n_h), cell_step(z.copy(), c_prev, n_h)):
        np.testing.assert_allclose(mine, reference, rtol=1e-12, atol=1e-14)


def naive_conv2d_forward(x, w, b, stride=1, padding=0):
    """A student's loop version, with a cache of its own (a plain tuple)."""
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    F, C, kh, kw = w.shape
    H_out, W_out = (xp.shape[2] - kh) // stride + 1, (xp.shape[3] - kw) // stride + 1
    out = np.zeros((x.shape[0], F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, stride, padding)


def naive_conv2d_backward(dout, cache):
    """The student's backward pass for that cache: loops over output positions, += into overlapping windows."""
    x, w, b, stride, padding = cache
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w, dtype=float)
    kh, kw = w.shape[2:]
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = np.s_[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            dw += np.tensordot(dout[:, :, i, j], xp[window], axes=([0], [0]))
            dxp[window] += np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
    H, W = x.shape[2:]
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, dout.sum(axis=(0, 2, 3))


def naive_max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    out = np.zeros((N, C, (H - size) // stride + 1, (W - size) // stride + 1))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].max(axis=(2, 3))
    return out, (x, size, stride)


def naive_max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x, dtype=float)
    for n, c, i, j in np.ndindex(dout.shape):
        window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
        u, v = np.unravel_index(np.argmax(window), window.shape)
        dx[n, c, i * stride + u, j * stride + v] += dout[n, c, i, j]
    return dx


def _forward_backward(layer, x, dout, **backward_options):
    """``(out, dx, grads)`` of one step through ``layer``."""
    out, cache = layer.forward(x, True, None)
    return (out, *layer.backward(dout.copy(), cache, **backward_options))


@pytest.mark.parametrize("need_dx", [True, False])
def test_conv2d_layer_trains_on_your_pair_with_its_own_cache(rng, monkeypatch, need_dx):
    x = rng.normal(size=(3, 2, 6, 6)).astype(np.float32)
    layer = nnlab.Conv2D(4, 3, padding=1, activation="relu")
    layer.build(x.shape[1:], np.random.default_rng(0), np.float32)
    dout = rng.normal(size=(3, 4, 6, 6)).astype(np.float32)
    expected = _forward_backward(layer, x, dout, need_dx=need_dx)
    monkeypatch.setattr("nnlab.network.layers.conv2d_forward", naive_conv2d_forward)
    monkeypatch.setattr("nnlab.network.layers.conv2d_backward", naive_conv2d_backward)
    monkeypatch.setattr("nnlab.network.layers.conv2d_weight_grads", from_yours.conv2d_weight_grads)
    monkeypatch.setattr("nnlab.answers.nb06_cnn.conv2d_backward", naive_conv2d_backward)   # what from_yours calls
    out, dx, grads = _forward_backward(layer, x, dout, need_dx=need_dx)
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    np.testing.assert_allclose(out, expected[0], rtol=1e-5, atol=1e-5)
    assert (dx is None) == (not need_dx)
    if need_dx:
        np.testing.assert_allclose(dx, expected[1], rtol=1e-4, atol=1e-4)
    for g, e in zip(grads, expected[2]):
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 2), (2, 1)])
def test_max_pool_layer_trains_on_your_pair_with_its_own_cache(rng, monkeypatch, size, stride):
    x = rng.permutation(3 * 2 * 7 * 7).reshape(3, 2, 7, 7).astype(np.float32)       # no ties
    layer = nnlab.MaxPool2D(size, stride)
    shape = layer.build(x.shape[1:], None, np.float32)
    dout = rng.normal(size=(3, *shape)).astype(np.float32)
    expected = _forward_backward(layer, x, dout)
    monkeypatch.setattr(nnlab.MaxPool2D, "_forward", staticmethod(naive_max_pool_forward))
    monkeypatch.setattr(nnlab.MaxPool2D, "_backward", staticmethod(naive_max_pool_backward))
    got = _forward_backward(layer, x, dout)
    assert got[0].dtype == got[1].dtype == np.float32
    for g, e in zip(got[:2], expected[:2]):
        np.testing.assert_allclose(g, e, rtol=1e-6)


def test_cell_gradients_from_the_cell_equal_the_backward_step(rng):
    n_h, m = 3, 6
    z, c_prev = rng.normal(size=(4 * n_h, m)) * 3, rng.normal(size=(n_h, m))
    z[0, 0], z[5, 1], z[7, 2], z[10, 3] = 60.0, -60.0, 40.0, -800.0     # saturated gates, one beyond exp's range
    gates, _, _, tanh_c = cell_step(z, c_prev, n_h)
    dh, dc = rng.normal(size=(n_h, m)), rng.normal(size=(n_h, m))
    for mine, reference in zip(from_yours.cell_gradients(dh, dc, gates, tanh_c, c_prev, n_h),
                               cell_gradients(dh, dc, gates, tanh_c, c_prev, n_h)):
        np.testing.assert_allclose(mine, reference, rtol=1e-9, atol=1e-14)
    as32 = from_yours.cell_gradients(*(a.astype(np.float32) for a in (dh, dc, gates, tanh_c, c_prev)), n_h)
    assert [a.dtype for a in as32] == [np.float32, np.float32]
