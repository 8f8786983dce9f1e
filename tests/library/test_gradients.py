"""backprop, gradient_estimator and the training loops against independent oracles: central differences,
PyTorch autograd, and the cost itself."""
import numpy as np
import pytest

import nnlab
from nnlab import relative_error
from tests.conftest import optional, random_problem

DEPTHS = [[2, 3, 1], [3, 1], [4, 6, 5, 2], [5, 4, 4, 4, 3], [2, 8, 8, 8, 8, 1]]


@pytest.mark.parametrize("sizes", DEPTHS, ids=lambda s: "-".join(map(str, s)))
def test_backprop_matches_central_differences(nn, rng, sizes):
    """Central differences are exact to O(eps²) plus rounding (≈ 1e-16·C/eps): compare on the gradient's scale."""
    X, y, w, b = random_problem(rng, sizes, m=6)
    exact, numeric = nn.backprop(X, y, w, b), nn.central_difference_gradient(X, y, w, b, eps=1e-5)
    scale = max(np.abs(g).max() for g in exact[0] + exact[1])
    assert max(np.abs(e - n).max() for e, n in zip(exact[0] + exact[1], numeric[0] + numeric[1])) < 1e-8 * scale


@pytest.mark.parametrize("sizes", DEPTHS, ids=lambda s: "-".join(map(str, s)))
def test_backprop_matches_torch_autograd(nn, rng, sizes):
    torch = optional("torch", "PyTorch is the autodiff oracle: pip install torch==2.13.0")
    X, y, w, b = random_problem(rng, sizes, m=7)
    tw = [torch.tensor(x, requires_grad=True) for x in w]
    tb = [torch.tensor(x, requires_grad=True) for x in b]
    a = torch.tensor(X.T)
    for wl, bl in zip(tw, tb):
        a = torch.sigmoid(wl @ a + bl)
    cost = ((a - torch.tensor(y.T)) ** 2).sum() / X.shape[0]
    cost.backward()
    assert cost.item() == pytest.approx(float(nn.cost_function(X, y, w, b)), rel=1e-13)
    oracle = ([t.grad.numpy() for t in tw], [t.grad.numpy() for t in tb])
    assert relative_error(nn.backprop(X, y, w, b), oracle) < 1e-10


def test_forward_differences_accuracy_as_deck001_says(nn, rng):
    """Forward differences at eps = 1e-4: about 1e-4 relative; central: about 1e-8."""
    X, y, w, b = random_problem(rng, [2, 3, 1], m=4)
    exact = nn.backprop(X, y, w, b)
    fd = nn.gradient_estimator(X, y, w, b)
    scale = max(np.abs(g).max() for g in exact[0] + exact[1])
    worst = max(np.abs(f - e).max() for f, e in zip(fd[0] + fd[1], exact[0] + exact[1])) / scale
    assert 1e-7 < worst < 1e-3
    assert relative_error(nn.central_difference_gradient(X, y, w, b), exact) < 1e-6


def test_gradient_estimator_structure_and_no_mutation(nn, rng):
    X, y, w, b = random_problem(rng, [3, 4, 2])
    before = [x.copy() for x in w + b]
    w_pds, b_pds = nn.gradient_estimator(X, y, w, b)
    assert [g.shape for g in w_pds] == [x.shape for x in w] and [g.shape for g in b_pds] == [x.shape for x in b]
    for x, x0 in zip(w + b, before):
        np.testing.assert_array_equal(x, x0)


def test_gradient_estimator_counts_one_forward_pass_per_parameter(monkeypatch, rng):
    import nnlab.answers.nb03_gradient_descent as g
    calls = []
    real = g.cost_function
    monkeypatch.setattr(g, "cost_function", lambda *a: calls.append(1) or real(*a))
    X, y = nnlab.xor_data()
    w, b = nnlab.nn_parameter_maker([2, 3, 1], seed=0)
    nnlab.gradient_estimator(X, y, w, b)
    assert len(calls) == 13 + 1      # deck 001: 13 parameters → 13 forward passes, plus the base cost


def test_one_step_gd_is_a_step_against_the_estimate(nn, rng):
    X, y, w, b = random_problem(rng, [2, 3, 1])
    new_w, new_b = nn.one_step_gd(X, y, w, b, lr=0.3)
    w_pds, b_pds = nn.gradient_estimator(X, y, w, b)
    for n, p, g in zip(new_w + new_b, w + b, w_pds + b_pds):
        np.testing.assert_allclose(n, p - 0.3 * np.asarray(g), rtol=1e-12)


def test_gd_lowers_the_cost_on_xor(nn):
    X, y = nnlab.xor_data()
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=1)
    calls = []
    _, _, errors = nn.GD(X, y, w, b, epoch=200, lr=2.0, callback=lambda i, c: calls.append(i))
    assert errors.shape == (200,) and calls == list(range(200))
    assert errors[-1] < errors[0] and np.all(np.diff(errors) < 1e-12)


def test_minibatch_gd_flavours(nn, rng):
    X, y = nnlab.two_blobs(40, seed=1)
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=2)
    # batch GD with backprop == the same steps taken by hand
    wb, bb, errors = nn.minibatch_gd(X, y, w, b, epochs=3, lr=0.5)
    ww, bw = w, b
    for _ in range(3):
        gw, gb = nn.backprop(X, y, ww, bw)
        ww, bw = [p - 0.5 * g for p, g in zip(ww, gw)], [p - 0.5 * g for p, g in zip(bw, gb)]
    assert relative_error(wb + bb, ww + bw) < 1e-14
    # stochastic and mini-batch are reproducible from the seed and lower the cost
    for size in (1, 8):
        r1 = nn.minibatch_gd(X, y, w, b, epochs=5, lr=0.5, batch_size=size, seed=3)
        r2 = nn.minibatch_gd(X, y, w, b, epochs=5, lr=0.5, batch_size=size, seed=3)
        np.testing.assert_array_equal(r1[2], r2[2])
        assert r1[2][-1] < nn.cost_function(X, y, w, b)
    with pytest.raises(ValueError, match="batch_size must be between 1 and m = 40"):
        nn.minibatch_gd(X, y, w, b, epochs=1, lr=0.1, batch_size=0)
