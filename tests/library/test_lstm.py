"""A plain RNN cell against PyTorch's RNNCell; the LSTM cell and sequence: forward and BPTT against PyTorch's
LSTMCell / LSTM (weights mapped), finite differences, and the cell agreeing with the sequence."""
import numpy as np
import pytest

import nnlab
from tests.conftest import numeric_grad

TORCH_ORDER = "ifco"      # torch stacks the gates as input, forget, cell (g), output


def _params(rng, n_x, n_h):
    params = nnlab.init_lstm_params(n_x, n_h, seed=rng)
    return {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in params.items()}


def _to_torch(torch, module, params, n_h, suffix=""):
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(torch.tensor(np.concatenate([params[f"W{g}"][:, n_h:] for g in TORCH_ORDER])))
        getattr(module, "weight_hh" + suffix).copy_(torch.tensor(np.concatenate([params[f"W{g}"][:, :n_h] for g in TORCH_ORDER])))
        getattr(module, "bias_ih" + suffix).copy_(torch.tensor(np.concatenate([params[f"b{g}"][:, 0] for g in TORCH_ORDER])))
        getattr(module, "bias_hh" + suffix).zero_()


def _from_torch(module, n_h, suffix=""):
    wi, wh = (getattr(module, f"weight_{k}{suffix}").grad.numpy() for k in ("ih", "hh"))
    bi = getattr(module, "bias_ih" + suffix).grad.numpy()
    out = {}
    for k, g in enumerate(TORCH_ORDER):
        rows = slice(k * n_h, (k + 1) * n_h)
        out[f"W{g}"] = np.concatenate([wh[rows], wi[rows]], axis=1)
        out[f"b{g}"] = bi[rows, None]
    return out


def test_rnn_cell_matches_torch_rnncell(nn, torch, rng):
    n_x, n_h, m = 3, 4, 5
    params = nnlab.init_rnn_params(n_x, n_h, seed=rng)
    params["bh"] = params["bh"] + rng.standard_normal((n_h, 1))
    x, h = rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m))
    h_t, _ = nn.rnn_cell_forward(x, h, params)
    cell = torch.nn.RNNCell(n_x, n_h, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(params["Wh"][:, n_h:]))      # Wh acts on [h; x]: h's columns first
        cell.weight_hh.copy_(torch.tensor(params["Wh"][:, :n_h]))
        cell.bias_ih.copy_(torch.tensor(params["bh"][:, 0]))
        cell.bias_hh.zero_()
    expected = cell(torch.tensor(x.T.copy()), torch.tensor(h.T.copy())).detach().numpy().T
    np.testing.assert_allclose(np.asarray(h_t), expected, rtol=1e-13, atol=1e-15)
    assert np.shape(h_t) == (n_h, m)


def test_rnn_cell_refuses_mismatched_shapes(nn, rng):
    params = nnlab.init_rnn_params(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"Wh \(n_h, n_h \+ n_x\)"):
        nn.rnn_cell_forward(rng.standard_normal((2, 5)), np.zeros((4, 5)), params)
    with pytest.raises(ValueError, match="needs Wh and bh"):
        nn.rnn_cell_forward(rng.standard_normal((3, 5)), np.zeros((4, 5)), {"W": params["Wh"]})


def test_cell_matches_torch_lstmcell(nn, torch, rng):
    n_x, n_h, m = 3, 4, 5
    params = _params(rng, n_x, n_h)
    x, h, c = rng.standard_normal((n_x, m)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    h_t, c_t, cache = nn.lstm_cell_forward(x, h, c, params)
    cell = torch.nn.LSTMCell(n_x, n_h, dtype=torch.float64)
    _to_torch(torch, cell, params, n_h)
    tx, th, tc = (torch.tensor(a.T.copy(), requires_grad=True) for a in (x, h, c))
    th_t, tc_t = cell(tx, (th, tc))
    dh, dc = rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    (th_t * torch.tensor(dh.T) + tc_t * torch.tensor(dc.T)).sum().backward()
    np.testing.assert_allclose(h_t, th_t.detach().numpy().T, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(c_t, tc_t.detach().numpy().T, rtol=1e-13, atol=1e-15)
    dx, dh_prev, dc_prev, grads = nn.lstm_cell_backward(dh, dc, cache)
    for mine, theirs in ((dx, tx), (dh_prev, th), (dc_prev, tc)):
        np.testing.assert_allclose(mine, theirs.grad.numpy().T, rtol=1e-12, atol=1e-14)
    expected = _from_torch(cell, n_h)
    for k in params:
        np.testing.assert_allclose(grads[k], expected[k], rtol=1e-12, atol=1e-14, err_msg=k)
        assert grads[k].shape == params[k].shape


def test_sequence_bptt_matches_torch_lstm(nn, torch, rng):
    T, n_x, n_h, m = 7, 3, 5, 4
    params = _params(rng, n_x, n_h)
    X, h0, c0 = rng.standard_normal((T, n_x, m)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    H, C, cache = nn.lstm_forward(X, h0, c0, params)
    lstm = torch.nn.LSTM(n_x, n_h, dtype=torch.float64)
    _to_torch(torch, lstm, params, n_h, "_l0")
    tX = torch.tensor(X.transpose(0, 2, 1).copy(), requires_grad=True)
    th0, tc0 = (torch.tensor(a.T[None].copy(), requires_grad=True) for a in (h0, c0))
    tH, (_, tcT) = lstm(tX, (th0, tc0))
    dH, dcT = rng.standard_normal(H.shape), rng.standard_normal((n_h, m))
    ((tH * torch.tensor(dH.transpose(0, 2, 1))).sum() + (tcT[0] * torch.tensor(dcT.T)).sum()).backward()
    np.testing.assert_allclose(H, tH.detach().numpy().transpose(0, 2, 1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(C[-1], tcT.detach().numpy()[0].T, rtol=1e-12, atol=1e-15)
    dX, dh0, dc0, grads = nn.lstm_backward(dH, cache, dc_last=dcT)
    np.testing.assert_allclose(dX, tX.grad.numpy().transpose(0, 2, 1), rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(dh0, th0.grad.numpy()[0].T, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(dc0, tc0.grad.numpy()[0].T, rtol=1e-11, atol=1e-13)
    expected = _from_torch(lstm, n_h, "_l0")
    for k in params:
        np.testing.assert_allclose(grads[k], expected[k], rtol=1e-11, atol=1e-13, err_msg=k)


def test_bptt_matches_finite_differences(nn, rng):
    T, n_x, n_h, m = 4, 2, 3, 2
    params = _params(rng, n_x, n_h)
    X, h0, c0 = rng.standard_normal((T, n_x, m)), rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    dH = rng.standard_normal((T, n_h, m))
    loss = lambda: float(np.sum(nn.lstm_forward(X, h0, c0, params)[0] * dH))  # noqa: E731
    dX, dh0, dc0, grads = nn.lstm_backward(dH, nn.lstm_forward(X, h0, c0, params)[2])
    for mine, arg in [(dX, X), (dh0, h0), (dc0, c0)] + [(grads[k], params[k]) for k in params]:
        np.testing.assert_allclose(mine, numeric_grad(loss, arg), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("T, m", [(0, 2), (3, 0)])
def test_an_empty_sequence_or_batch_goes_through_both_passes(nn, rng, T, m):
    """No steps, or no examples: the states pass through, every gradient is zero and shaped as its input."""
    n_x, n_h = 2, 3
    params = _params(rng, n_x, n_h)
    h0, c0 = rng.standard_normal((n_h, m)), rng.standard_normal((n_h, m))
    H, C, cache = nn.lstm_forward(np.zeros((T, n_x, m)), h0, c0, params)
    assert np.shape(H) == np.shape(C) == (T, n_h, m)
    dX, dh0, dc0, grads = nn.lstm_backward(np.zeros((T, n_h, m)), cache)
    assert np.shape(dX) == (T, n_x, m) and np.shape(dh0) == np.shape(dc0) == (n_h, m)
    for k in params:
        assert np.shape(grads[k]) == params[k].shape and not np.any(np.asarray(grads[k]))


def test_cell_steps_equal_the_sequence(nn, rng):
    T, n_x, n_h, m = 5, 3, 4, 2
    params = _params(rng, n_x, n_h)
    X = rng.standard_normal((T, n_x, m))
    h = c = np.zeros((n_h, m))
    H, C, _ = nn.lstm_forward(X, h, c, params)
    for t in range(T):
        h, c, _ = nn.lstm_cell_forward(X[t], h, c, params)
        np.testing.assert_allclose(h, H[t], rtol=1e-14)
        np.testing.assert_allclose(c, C[t], rtol=1e-14)


def test_readout_backward_matches_finite_differences(nn, rng):
    H, Wy, by = rng.standard_normal((4, 3, 2)), rng.standard_normal((2, 3)), rng.standard_normal((2, 1))
    Y, cache = nn.readout_forward(H, Wy, by)
    assert Y.shape == (4, 2, 2)
    dY = rng.standard_normal(Y.shape)
    loss = lambda: float(np.sum(nn.readout_forward(H, Wy, by)[0] * dY))  # noqa: E731
    for mine, arg in zip(nn.readout_backward(dY, cache), (H, Wy, by)):
        np.testing.assert_allclose(mine, numeric_grad(loss, arg), rtol=1e-7, atol=1e-9)


def test_forget_bias_starts_at_one_and_inputs_untouched(nn, rng):
    params = nn.init_lstm_params(2, 3, seed=0)
    assert np.all(params["bf"] == 1) and np.all(params["bi"] == 0) and params["Wc"].shape == (3, 5)
    X = rng.standard_normal((3, 2, 1))
    before = {k: v.copy() for k, v in params.items()}
    H, C, cache = nn.lstm_forward(X, np.zeros((3, 1)), np.zeros((3, 1)), params)
    nn.lstm_backward(np.ones_like(H), cache)
    assert all(np.array_equal(before[k], params[k]) for k in params)


@pytest.mark.parametrize("call, message", [
    (lambda p: nnlab.lstm_cell_forward(np.zeros((2, 1)), np.zeros((3, 1)), np.zeros((3, 1)), {"Wf": p["Wf"]}), "missing"),
    (lambda p: nnlab.lstm_cell_forward(np.zeros((4, 1)), np.zeros((3, 1)), np.zeros((3, 1)), p), r"x_t \(2, m\)"),
    (lambda p: nnlab.lstm_forward(np.zeros((2, 1)), np.zeros((3, 1)), np.zeros((3, 1)), p), r"\(T, n_x, m\)"),
    (lambda p: nnlab.lstm_forward(np.zeros((2, 2, 1)), np.zeros((3, 2)), np.zeros((3, 1)), p), "h0 and c0"),
])
def test_bad_shapes_are_explained(nn, call, message):
    with pytest.raises(ValueError, match=message):
        call(nn.init_lstm_params(2, 3, seed=0))
