"""Initialisation, mini-batches, standardisation and dropout (deck 004)."""
import numpy as np
import pytest

import nnlab


def test_xavier_and_he_scales(nn, rng):
    w, b = nn.xavier_init([400, 300, 10], seed=1)
    assert [x.shape for x in w] == [(300, 400), (10, 300)] and all(np.all(x == 0) for x in b)
    assert np.var(w[0]) == pytest.approx(2 / 700, rel=0.05)
    w, _ = nn.he_init([500, 400], seed=1)
    assert np.var(w[0]) == pytest.approx(2 / 500, rel=0.05)
    conv = nnlab.glorot_uniform((8, 3, 3, 3), rng)
    assert np.abs(conv).max() <= np.sqrt(6 / (27 + 72))
    np.testing.assert_array_equal(nn.xavier_init([3, 2], seed=5)[0][0], nn.xavier_init([3, 2], seed=5)[0][0])


def test_minibatches_cover_every_row_once():
    batches = list(nnlab.minibatches(10, 3, seed=0))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    assert [b.tolist() for b in nnlab.minibatches(5, 2, shuffle=False)] == [[0, 1], [2, 3], [4]]
    with pytest.raises(ValueError):
        list(nnlab.minibatches(5, 0))


def test_standardize_uses_training_statistics(nn, rng):
    X = rng.normal(5, 3, size=(200, 4))
    X[:, 2] = 7.0                                           # a constant feature is only centred
    Xs, s = nn.standardize(X)
    np.testing.assert_allclose(Xs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Xs.std(axis=0), [1, 1, 0, 1], atol=1e-12)
    np.testing.assert_allclose(s.transform(X[:3]), Xs[:3])
    assert not np.shares_memory(Xs, X)


def test_dropout_keeps_expectation_and_routes_gradient(nn, rng):
    x = np.ones((200, 300))
    out, mask = nn.dropout_forward(x, 0.25, rng)
    assert abs((out == 0).mean() - 0.25) < 0.01 and out.mean() == pytest.approx(1.0, abs=0.01)
    np.testing.assert_array_equal(nn.dropout_backward(np.ones_like(x), mask), mask)
    same, none = nn.dropout_forward(x, 0.25, rng, training=False)
    assert none is None and np.array_equal(same, x)
    with pytest.raises(ValueError):
        nn.dropout_forward(x, 1.0, rng)
