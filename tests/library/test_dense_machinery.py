"""Notebook 05's machinery on both backends: the dense layer's forward and backward pass, one epoch of
mini-batch SGD and the momentum and RMSprop updates, against finite differences, JAX autodiff and PyTorch
(``torch.nn.functional.linear``, autograd, ``torch.optim.SGD(momentum=…)`` and ``torch.optim.RMSprop``)."""
import numpy as np
import pytest

import nnlab
from tests.conftest import numeric_grad


def _layer(rng, n_in=4, n_out=3, m=5):
    return rng.standard_normal((n_in, m)), rng.standard_normal((n_out, n_in)), rng.standard_normal((n_out, 1))


def test_dense_forward_is_w_a_plus_b_and_leaves_its_arguments_alone(nn, rng):
    a, w, b = _layer(rng)
    before = [x.copy() for x in (a, w, b)]
    z, cache = nn.dense_forward(a, w, b)
    np.testing.assert_allclose(np.asarray(z), w @ a + b, rtol=1e-12)
    assert all(np.array_equal(x, y) for x, y in zip((a, w, b), before))
    assert np.shape(z) == (3, 5) and type(cache).__name__ == "DenseCache"


def test_dense_backward_matches_finite_differences(nn, rng):
    """C = Σ g ⊙ z for a fixed g, so ∂C/∂z = g: the backward pass's three gradients against central differences."""
    a, w, b = _layer(rng)
    g = rng.standard_normal((3, 5))
    da, dw, db = (np.asarray(x) for x in nn.dense_backward(g, nn.dense_forward(a, w, b)[1]))
    cost = lambda: float(np.sum(g * np.asarray(nn.dense_forward(a, w, b)[0])))   # numeric_grad nudges in place
    for got, x in ((da, a), (dw, w), (db, b)):
        np.testing.assert_allclose(got, numeric_grad(cost, x), rtol=1e-6, atol=1e-8)
    assert da.shape == a.shape and dw.shape == w.shape and db.shape == b.shape


def test_dense_backward_matches_jax_vjp(rng):
    jax = pytest.importorskip("jax")
    a, w, b = _layer(rng)
    g = rng.standard_normal((3, 5))
    _, vjp = jax.vjp(lambda a_, w_, b_: w_ @ a_ + b_, a, w, b)
    for ours, theirs in zip(nnlab.dense_backward(g, nnlab.dense_forward(a, w, b)[1]), vjp(g)):
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-12, atol=1e-12)


def test_dense_pair_matches_torch_linear(torch, rng):
    a, w, b = _layer(rng)
    g = rng.standard_normal((3, 5))
    ta, tw, tb = (torch.tensor(x, requires_grad=True) for x in (a.T, w, b[:, 0]))
    out = torch.nn.functional.linear(ta, tw, tb)                 # rows: (m, n_out)
    out.backward(torch.tensor(g.T))
    z, cache = nnlab.dense_forward(a, w, b)
    np.testing.assert_allclose(z, out.detach().numpy().T, rtol=1e-12)
    da, dw, db = nnlab.dense_backward(g, cache)
    np.testing.assert_allclose(da, ta.grad.numpy().T, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dw, tw.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(db[:, 0], tb.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_dense_rejects_a_bias_row_and_rows_for_columns(nn, rng):
    a, w, b = _layer(rng)
    with pytest.raises(ValueError, match=r"b must be \(3, 1\)"):
        nn.dense_forward(a, w, b.T)
    with pytest.raises(ValueError, match="w has shape"):
        nn.dense_forward(a.T, w, b)


def _problem(rng, sizes=(4, 6, 5, 3), m=11):
    w, b = nnlab.nn_parameter_maker(list(sizes), seed=int(rng.integers(100)))
    X, y = rng.standard_normal((m, sizes[0])), rng.integers(0, sizes[-1], m)
    batches = [np.array(i) for i in np.array_split(rng.permutation(m), 3)]
    return X, y, w, b, batches


def _torch_epoch(torch, X, y, w, b, lr, batches):
    """The same epoch by autograd and ``torch.optim.SGD``: ReLU hidden layers, logits, mean cross-entropy."""
    tw = [torch.tensor(x, requires_grad=True) for x in w]
    tb = [torch.tensor(x[:, 0], requires_grad=True) for x in b]
    opt, losses = torch.optim.SGD(tw + tb, lr=lr), []
    for idx in batches:
        a = torch.tensor(X[idx])
        for l, (wl, bl) in enumerate(zip(tw, tb)):
            a = torch.nn.functional.linear(a, wl, bl)
            if l < len(tw) - 1:
                a = torch.relu(a)
        loss = torch.nn.functional.cross_entropy(a, torch.tensor(y[idx]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return [x.detach().numpy() for x in tw], [x.detach().numpy()[:, None] for x in tb], losses


def test_sgd_epoch_matches_torch(torch, nn, rng):
    X, y, w, b, batches = _problem(rng)
    before = [x.copy() for x in w + b]
    ours = nn.sgd_epoch(X, y, w, b, 0.2, batches)
    theirs = _torch_epoch(torch, X, y, w, b, 0.2, batches)
    for mine, ref in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        np.testing.assert_allclose(np.asarray(mine), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.asarray(ours[2], dtype=float), theirs[2], rtol=1e-12)
    assert all(np.array_equal(x, y_) for x, y_ in zip(w + b, before)), "sgd_epoch changed its arguments"


def test_sgd_epoch_follows_the_batches_in_order(rng):
    """Reversing the batches gives other weights (the order is given, not drawn); one batch of everything is
    one step of full-batch gradient descent, whose loss is cross_entropy of the network's logits."""
    X, y, w, b, batches = _problem(rng)
    forward, backward = nnlab.sgd_epoch(X, y, w, b, 0.2, batches), nnlab.sgd_epoch(X, y, w, b, 0.2, batches[::-1])
    assert not np.allclose(forward[0][0], backward[0][0])
    (loss,) = nnlab.sgd_epoch(X, y, w, b, 0.2, [np.arange(len(X))])[2]
    a = X.T
    for l, (wl, bl) in enumerate(zip(w, b)):
        a = wl @ a + bl if l == len(w) - 1 else np.maximum(wl @ a + bl, 0)
    assert loss == pytest.approx(nnlab.cross_entropy(a, y), rel=1e-12)


@pytest.mark.parametrize("rule", ["momentum", "rmsprop"])
def test_update_functions_match_torch_optim_over_several_steps(torch, nn, rng, rule):
    w = rng.standard_normal((3, 4))
    tw = torch.tensor(w.copy(), requires_grad=True)
    if rule == "momentum":
        topt, state = torch.optim.SGD([tw], lr=0.05, momentum=0.8), np.zeros_like(w)
        step = lambda w_, g, s: nn.momentum_update(w_, g, s, 0.05, 0.8)
    else:
        topt, state = torch.optim.RMSprop([tw], lr=0.01, alpha=0.9, eps=1e-7), np.zeros_like(w)
        step = lambda w_, g, s: nn.rmsprop_update(w_, g, s, 0.01, 0.9, 1e-7)
    for _ in range(6):
        g = rng.standard_normal(w.shape)
        tw.grad = torch.tensor(g)
        topt.step()
        w, state = (np.asarray(x) for x in step(w, g, state))
    np.testing.assert_allclose(w, tw.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_update_functions_are_pure_and_keep_the_shape(nn, rng):
    w, g, s = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), rng.random((2, 3))
    before = [x.copy() for x in (w, g, s)]
    for new in (nn.momentum_update(w, g, s, 0.1, 0.9), nn.rmsprop_update(w, g, s, 0.1, 0.9, 1e-7)):
        assert [np.shape(x) for x in new] == [(2, 3), (2, 3)]
    assert all(np.array_equal(x, y) for x, y in zip((w, g, s), before))


def test_rmsprop_with_a_zero_gradient_and_no_history_does_not_move():
    """eps keeps 0 / 0 away: a weight whose gradient has always been 0 stays where it is."""
    w, s = nnlab.rmsprop_update(np.ones(2), np.zeros(2), np.zeros(2), 0.1, 0.9, 1e-7)
    np.testing.assert_array_equal(w, np.ones(2))
    np.testing.assert_array_equal(s, np.zeros(2))


def test_the_toolkit_steps_with_the_update_functions(rng):
    """nnlab.Momentum and nnlab.RMSprop take the steps of momentum_update and rmsprop_update, in place."""
    for opt, rule in ((nnlab.Momentum(0.05, 0.8), lambda w, g, s: nnlab.momentum_update(w, g, s, 0.05, 0.8)),
                      (nnlab.RMSprop(0.01, 0.9, 1e-7), lambda w, g, s: nnlab.rmsprop_update(w, g, s, 0.01, 0.9, 1e-7))):
        params = [rng.standard_normal((3, 2))]
        state, w, s = opt.init(params), params[0].copy(), np.zeros((3, 2))
        for _ in range(3):
            g = rng.standard_normal((3, 2))
            opt.step(params, [g], state)
            w, s = rule(w, g, s)
        np.testing.assert_allclose(params[0], w, rtol=1e-15)
