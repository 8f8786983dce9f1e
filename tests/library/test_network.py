"""Challenges 1 and 3, predict and cost_function: deck 001's shapes, conventions and error messages."""
import numpy as np
import pytest

import nnlab


def test_parameter_maker_deck001_shapes_and_count(nn):
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=0)
    assert [x.shape for x in w] == [(3, 2), (1, 3)] and [x.shape for x in b] == [(3, 1), (1, 1)]
    assert nn.count_parameters(w, b) == 13          # deck 001: 9 weights + 4 biases


def test_parameter_maker_draws_from_default_rng(nn):
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=42)
    rng = np.random.default_rng(42)
    expected = [rng.standard_normal((3, 2)), rng.standard_normal((3, 1)), rng.standard_normal((1, 3)),
                rng.standard_normal((1, 1))]
    for got, want in zip([w[0], b[0], w[1], b[1]], expected):
        np.testing.assert_array_equal(got, want)
    w2, _ = nn.nn_parameter_maker([2, 3, 1], seed=42)
    np.testing.assert_array_equal(w[0], w2[0])


@pytest.mark.parametrize("sizes", [[3], [2, 0, 1], [2, 1.5], [2, True]])
def test_parameter_maker_rejects_bad_sizes(nn, sizes):
    with pytest.raises(ValueError, match="nn_parameter_maker"):
        nn.nn_parameter_maker(sizes)


def test_forward_pass_by_hand(nn):
    """Two layers computed line by line as deck 001 writes them."""
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=3)
    x = np.array([[0.5, -1.0], [2.0, 0.0]])                   # two examples as columns
    a1 = 1 / (1 + np.exp(-(w[0] @ x + b[0])))
    a2 = 1 / (1 + np.exp(-(w[1] @ a1 + b[1])))
    np.testing.assert_allclose(nn.forward_pass(x, w, b), a2, rtol=1e-14)


def test_predict_is_forward_pass_on_rows(nn, rng):
    w, b = nn.nn_parameter_maker([4, 5, 3, 2], seed=rng)
    X = rng.normal(size=(7, 4))
    np.testing.assert_array_equal(nn.predict(X, w, b), nn.forward_pass(X.T, w, b).T)
    assert nn.predict(X, w, b).shape == (7, 2)


def test_cost_is_sum_of_squares_over_m(nn, rng):
    w, b = nn.nn_parameter_maker([3, 4, 2], seed=rng)
    X, y = rng.normal(size=(6, 3)), rng.uniform(size=(6, 2))
    diff = np.asarray(nn.predict(X, w, b)) - y
    assert float(nn.cost_function(X, y, w, b)) == pytest.approx((diff ** 2).sum() / 6, rel=1e-14)


def test_dtypes_follow_inputs(nn):
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=0)
    w32, b32 = [x.astype(np.float32) for x in w], [x.astype(np.float32) for x in b]
    X = np.array([[0, 1], [1, 0]])                                       # integers → float64
    assert nn.predict(X, w, b).dtype == np.float64
    assert nn.predict(X.astype(np.float32), w32, b32).dtype == np.float32


@pytest.mark.parametrize("call, message", [
    (lambda nn, w, b: nn.forward_pass(np.ones((3, 4)), w, b), r"inp has shape \(3, 4\) but w\[0\] has shape \(3, 2\)"),
    (lambda nn, w, b: nn.forward_pass(np.ones(2), w, b), r"inp must be 2-D"),
    (lambda nn, w, b: nn.forward_pass(np.ones((2, 1)), [w[0], np.ones((1, 4))], b), r"w\[1\] has shape \(1, 4\) but the layer below has 3 units"),
    (lambda nn, w, b: nn.forward_pass(np.ones((2, 1)), w, [b[0].ravel(), b[1]]), r"b\[0\] must be 2-D \(n_out, 1\), got shape \(3,\)"),
    (lambda nn, w, b: nn.cost_function(np.ones((4, 2)), np.ones(4), w, b), r"1-D y would broadcast silently"),
    (lambda nn, w, b: nn.cost_function(np.ones((4, 2)), np.ones((3, 1)), w, b), r"X has 4 rows but y has 3"),
    (lambda nn, w, b: nn.cost_function(np.ones((4, 2)), np.ones((4, 2)), w, b), r"the network has 1 outputs"),
])
def test_wrong_shapes_say_what_was_expected(nn, call, message):
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=message):
        call(nn, w, b)


def test_sigmoid_network_on_xor_is_bounded(nn):
    X, y = nnlab.xor_data()
    w, b = nn.nn_parameter_maker([2, 3, 1], seed=1)
    out = nn.predict(X, w, b)
    assert np.all((0 < out) & (out < 1)) and out.shape == y.shape
    assert nn.sigmoid(0.0) == 0.5
