"""Initialisation, mini-batches, standardisation and dropout (deck 004)."""
import numpy as np
import pytest

import nnlab
from nnlab.network.batching import epoch_batches


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


def test_epoch_batches_draw_one_permutation_per_epoch():
    """The one batching function: rng.permutation(m), cut into equal batches and a smaller rest."""
    batches = epoch_batches(10, 4, np.random.default_rng(3))
    order = np.random.default_rng(3).permutation(10)
    np.testing.assert_array_equal(batches.full, order[:8].reshape(2, 4))
    np.testing.assert_array_equal(batches.rest, order[8:])
    assert [b.tolist() for b in batches.each()] == [order[:4].tolist(), order[4:8].tolist(), order[8:].tolist()]
    in_order = epoch_batches(5, 9, None)                    # no generator: rows in order, one batch of all
    assert in_order.full.tolist() == [[0, 1, 2, 3, 4]] and in_order.rest.size == 0
    with pytest.raises(ValueError, match="train: batch_size must be at least 1"):
        epoch_batches(5, 0, None, "train")


def test_minibatch_gd_steps_through_the_seeded_batches_bit_for_bit():
    """numpy's minibatch_gd is exactly a hand-written loop over rng.permutation's batches (batch GD: in order,
    nothing drawn), so seeded results stay what they were."""
    X, y = nnlab.two_blobs(23, seed=1)
    w0, b0 = nnlab.nn_parameter_maker([2, 3, 1], seed=2)
    for batch_size in (None, 1, 5, 23):
        w, b, errors = nnlab.minibatch_gd(X, y, w0, b0, epochs=3, lr=0.5, batch_size=batch_size, seed=7)
        rng, size = np.random.default_rng(7), batch_size or 23
        hand_w, hand_b = w0, b0
        for _ in range(3):
            order = rng.permutation(23) if size < 23 else np.arange(23)
            for start in range(0, 23, size):
                rows = order[start:start + size]
                gw, gb = nnlab.backprop(X[rows], y[rows], hand_w, hand_b)
                hand_w = [p - 0.5 * g for p, g in zip(hand_w, gw)]
                hand_b = [p - 0.5 * g for p, g in zip(hand_b, gb)]
        for got, want in zip(w + b, hand_w + hand_b):
            np.testing.assert_array_equal(got, want)


def test_both_sequentials_draw_the_same_random_numbers_per_epoch(nn):
    """Sequential.train_epoch draws one permutation per epoch from the generator (and a dropout seed where the
    model has dropout), in numpy and JAX alike: the generator is left where a permutation leaves it."""
    X, y = nnlab.toy_data("moons", 30, seed=0)
    for layers, extra in (([nnlab.Dense(4, "relu"), nnlab.Dense(2, "softmax")], 0),
                          ([nnlab.Dense(4, "relu"), nnlab.Dropout(0.5), nnlab.Dense(2, "softmax")], 1)):
        rng = np.random.default_rng(11)
        nn.Sequential(layers, input_shape=(2,), seed=0).train_epoch(X, y, batch_size=8, rng=rng)
        expected = np.random.default_rng(11)
        expected.permutation(30)
        if extra and nn is not nnlab:                   # JAX draws one dropout seed per epoch
            expected.integers(2 ** 31)
        elif extra:                                     # numpy draws each batch's dropout mask from rng itself
            continue
        assert rng.bit_generator.state == expected.bit_generator.state


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
