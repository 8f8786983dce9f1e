"""nnlab.from_yours: the pieces the student kit rebuilds from a student's own functions equal the references
they stand in for, and the layers train on a student's forward pass whose cache is their own."""
import numpy as np
import pytest

import nnlab
from nnlab import from_yours
from nnlab.answers.nb04_backprop import layer_gradients
from nnlab.answers.nb07_lstm import cell_step


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


def test_conv2d_layer_trains_on_a_forward_pass_with_its_own_cache(rng, monkeypatch):
    x = rng.normal(size=(3, 2, 6, 6)).astype(np.float32)
    layer = nnlab.Conv2D(4, 3, padding=1, activation="relu")
    layer.build(x.shape[1:], np.random.default_rng(0), np.float32)
    out, cache = layer.forward(x, True, None)
    dout = rng.normal(size=out.shape).astype(np.float32)
    expected = layer.backward(dout, cache)
    monkeypatch.setattr("nnlab.network.layers.conv2d_forward", naive_conv2d_forward)
    out_yours, cache_yours = layer.forward(x, True, None)
    assert out_yours.dtype == np.float32
    np.testing.assert_allclose(out_yours, out, rtol=1e-5, atol=1e-5)
    got = layer.backward(dout, cache_yours)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-5, atol=1e-5)
    for g, e in zip(got[1], expected[1]):
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-4)
