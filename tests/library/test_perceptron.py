"""Perceptrons and logic gates: the decks' known answers (attend table, deck 000's sign gates, XOR)."""
import itertools

import numpy as np
import pytest

import nnlab
from nnlab import perceptron, perceptron_train, threshold_forward, truth_table, xor_network


def test_attend_table_deck001():
    X, attend = nnlab.attend_table()
    w, b = nnlab.ATTEND_WEIGHTS
    np.testing.assert_array_equal(X @ w + b, [3, -2, -2, -7, 1, 11])      # the table's w·x + b column
    np.testing.assert_array_equal(perceptron(X, w, b), attend)
    np.testing.assert_array_equal(attend, [1, 0, 0, 0, 1, 1])


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
def test_step_gates_on_01_inputs(gate):
    np.testing.assert_array_equal(perceptron(truth_table(2), *nnlab.STEP_GATES[gate]), nnlab.gate_targets(gate))


def test_deck000_sign_gates_on_pm1_inputs():
    X = truth_table(2, signed=True)
    np.testing.assert_array_equal(np.sign(X[:, 0] + X[:, 1] + 1.5), [-1, 1, 1, 1])   # OR
    np.testing.assert_array_equal(np.sign(X[:, 0] + X[:, 1] - 1.5), [-1, -1, -1, 1])  # AND
    for gate in ("OR", "AND", "NAND", "NOR"):
        out = perceptron(X, *nnlab.SIGN_GATES[gate], unit="sign")
        np.testing.assert_array_equal(out, nnlab.gate_targets(gate, signed=True))


def test_step_fires_only_above_zero():
    assert list(nnlab.step(np.array([-1.0, 0.0, 1e-300]))) == [0, 0, 1]


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
def test_rosenblatt_learns_separable_gates(gate):
    fit = perceptron_train(truth_table(2), nnlab.gate_targets(gate))
    assert fit.mistakes[-1] == 0 and len(fit.mistakes) < 20
    np.testing.assert_array_equal(perceptron(truth_table(2), fit.w, fit.b), nnlab.gate_targets(gate))


def test_rosenblatt_by_hand_on_and():
    """Epoch 1 on AND from zeros, rows in order: only (1, 1) is misclassified → w = (1, 1), b = 1."""
    fit = perceptron_train(truth_table(2), nnlab.gate_targets("AND"), epochs=1)
    np.testing.assert_array_equal(fit.w, [1.0, 1.0])
    assert fit.b == 1.0 and fit.mistakes == [1]


def test_xor_is_impossible_for_one_unit():
    """No (w, b) on a fine grid computes XOR, and Rosenblatt's rule never stops making mistakes."""
    X, target = truth_table(2), nnlab.gate_targets("XOR")
    grid = np.linspace(-3, 3, 25)
    assert not any(np.array_equal(perceptron(X, np.array([w1, w2]), b), target)
                   for w1, w2, b in itertools.product(grid, grid, grid))
    assert min(perceptron_train(X, target, epochs=200).mistakes) > 0


@pytest.mark.parametrize("unit, signed", [("step", False), ("sign", True)])
def test_two_layers_solve_xor(unit, signed):
    out = threshold_forward(truth_table(2, signed=signed).T, *xor_network(unit), unit=unit)
    np.testing.assert_array_equal(out[0], nnlab.gate_targets("XOR", signed=signed))


def test_perceptron_shape_errors():
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        perceptron(truth_table(2), np.ones(3), 0.0)
