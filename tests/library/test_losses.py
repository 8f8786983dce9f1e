"""Deck 004's loss table and deck 003's J(Θ): values by hand, derivatives by finite differences and PyTorch."""
import numpy as np
import pytest

import nnlab
from tests.conftest import numeric_grad


def _cases(rng):
    x1 = rng.standard_normal((1, 6)) * 2
    signs = np.array([1, -1, 1, 1, -1, -1])
    xk = rng.standard_normal((4, 6)) * 2
    classes = np.array([0, 3, 1, 2, 3, 0])
    return [("square", xk, rng.standard_normal((4, 6))), ("logistic", x1, signs), ("hinge", x1, signs),
            ("cross_entropy", xk, classes), ("max_margin", xk, classes)]


def test_every_derivative_matches_central_differences(nn, rng):
    for name, x, target in _cases(rng):
        loss, prime = nn.LOSSES[name]
        x = x.copy()
        numeric = numeric_grad(lambda: loss(x, target), x)
        np.testing.assert_allclose(prime(x, target), numeric, rtol=1e-6, atol=1e-9, err_msg=name)
        assert prime(x, target).shape == x.shape


def test_values_by_hand(nn):
    assert nn.square_loss([[1.0, 3.0]], [[0.0, 0.0]]) == pytest.approx((0.5 + 4.5) / 2)
    assert nn.logistic_loss([[0.0]], [1]) == pytest.approx(np.log(2))
    assert nn.hinge_loss([[0.5, 2.0, -1.0]], [1, 1, 1]) == pytest.approx((0.5 + 0 + 2) / 3)
    assert nn.cross_entropy(np.zeros((4, 1)), [2]) == pytest.approx(np.log(4))
    # max-margin: runner-up 2 + 1 − 1.5 = 1.5 for the first column; the second is already 1 clear → 0.
    assert nn.max_margin_loss([[1.5, 3.0], [2.0, 1.0], [0.0, 0.0]], [0, 0]) == pytest.approx(1.5 / 2)


def test_cross_entropy_and_hinge_match_torch(nn, torch, rng):
    x = rng.standard_normal((5, 7)) * 3
    c = rng.integers(0, 5, 7)
    tx = torch.tensor(x.T.copy(), requires_grad=True)
    loss = torch.nn.functional.cross_entropy(tx, torch.tensor(c))
    loss.backward()
    assert nn.cross_entropy(x, c) == pytest.approx(loss.item(), rel=1e-14)
    np.testing.assert_allclose(nn.cross_entropy_prime(x, c), tx.grad.numpy().T, rtol=1e-12, atol=1e-17)
    tx = torch.tensor(x.T.copy(), requires_grad=True)
    mm = torch.nn.functional.multi_margin_loss(tx, torch.tensor(c), margin=1.0)  # sums over all wrong classes
    assert mm.item() >= nn.max_margin_loss(x, c) / x.shape[0]                 # ours takes only the worst


def test_logistic_loss_is_stable_and_exact_in_the_tails(nn):
    assert nn.logistic_loss([[800.0]], [-1]) == pytest.approx(800.0)
    assert nn.logistic_loss([[40.0]], [1]) == pytest.approx(np.exp(-40.0), rel=1e-12)
    with np.errstate(over="raise", invalid="raise"):
        assert np.isfinite(nn.logistic_loss_prime([[-800.0, 800.0]], [1, -1])).all()


def test_cross_entropy_with_huge_logits_is_finite(nn):
    x = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    assert nn.cross_entropy(x, [0, 1]) == pytest.approx(0.0, abs=1e-300)
    assert nn.cross_entropy(x, [1, 0]) == pytest.approx(2000.0)


def test_deck_003_regularised_cost_and_l2_gradient(nn, rng):
    probs = np.array([[0.9, 0.2], [0.1, 0.7]])
    Y = np.array([[1, 0], [0, 1]])
    w = [np.array([[1.0, -2.0]]), np.array([[3.0]])]
    by_hand = -(np.log(0.9) + np.log(0.8) + np.log(0.9) + np.log(0.7)) / 2 + 0.5 / (2 * 2) * (1 + 4 + 9)
    assert nn.regularised_cost(probs, Y, w, lam=0.5) == pytest.approx(by_hand, rel=1e-14)
    grads = nn.l2_penalty_prime(w, 0.5, 2)
    numeric = numeric_grad(lambda: nn.l2_penalty(w, 0.5, 2), w[0])
    np.testing.assert_allclose(grads[0], numeric, rtol=1e-8)
    assert nn.regularised_cost(np.array([[1.0]]), np.array([[0]]), [], 0) > 20       # clipped, not inf


@pytest.mark.parametrize("call, message", [
    (lambda nn: nn.cross_entropy(np.zeros((3, 2)), [0, 3]), "integer classes 0…2"),
    (lambda nn: nn.cross_entropy(np.zeros((3, 2)), [[0, 1]]), r"shape \(2,\)"),
    (lambda nn: nn.hinge_loss(np.zeros((1, 2)), [0, 1]), "−1 or \\+1"),
    (lambda nn: nn.logistic_loss(np.zeros((2, 2)), [1, 1]), r"\(1, m\)"),
    (lambda nn: nn.square_loss(np.zeros(3), np.zeros(3)), "one column of scores per example"),
])
def test_bad_targets_are_explained(nn, call, message):
    with pytest.raises(ValueError, match=message):
        call(nn)
