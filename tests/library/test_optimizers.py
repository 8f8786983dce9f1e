"""SGD, momentum, RMSprop and Adam step for step against torch.optim, and purity of ``update``."""
import importlib

import numpy as np
import pytest

import nnlab

PAIRS = [
    (lambda: nnlab.SGD(lr=0.1), lambda t, p: t.optim.SGD(p, lr=0.1)),
    (lambda: nnlab.Momentum(lr=0.05, beta=0.8), lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.8)),
    (lambda: nnlab.RMSprop(lr=0.01, rho=0.9, eps=1e-7), lambda t, p: t.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7)),
    (lambda: nnlab.Adam(lr=0.01, eps=1e-7), lambda t, p: t.optim.Adam(p, lr=0.01, eps=1e-7)),
]


@pytest.mark.parametrize("make, make_torch", PAIRS, ids=["sgd", "momentum", "rmsprop", "adam"])
def test_matches_torch_optim_over_several_steps(torch, rng, make, make_torch):
    params = [rng.standard_normal((3, 4)), rng.standard_normal((3, 1))]
    tparams = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    opt, topt = make(), make_torch(torch, tparams)
    state = opt.init(params)
    for _ in range(6):
        grads = [rng.standard_normal(p.shape) for p in params]
        for tp, g in zip(tparams, grads):
            tp.grad = torch.tensor(g)
        topt.step()
        opt.step(params, grads, state)
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_update_is_pure(nn, rng):
    params = [rng.standard_normal((2, 2))]
    before = params[0].copy()
    opt = nn.Adam(lr=0.1)
    state = opt.init(params)
    new, new_state = opt.update(params, [np.ones((2, 2))], state)
    assert np.array_equal(params[0], before) and state["t"] == 0 and np.all(state["m"][0] == 0)
    assert new_state["t"] == 1 and not np.array_equal(new[0], before)


def test_adam_minimises_a_quadratic(nn):
    opt, x = nn.Adam(lr=0.1), [np.array([5.0, -3.0])]
    state = opt.init(x)
    for _ in range(500):
        x, state = opt.update(x, [2 * x[0]], state)
    assert np.abs(x[0]).max() < 1e-3


def test_shape_mismatch_and_unknown_names(nn):
    opt = nn.SGD()
    with pytest.raises(ValueError, match="gradient 0 has shape"):
        opt.update([np.zeros(3)], [np.zeros(4)], opt.init([np.zeros(3)]))
    get_optimizer = importlib.import_module(nn.__name__ + ".network.optimizers").get_optimizer
    assert isinstance(get_optimizer("adam"), nn.Adam)
    with pytest.raises(ValueError, match="unknown optimizer"):
        get_optimizer("adagrad")
