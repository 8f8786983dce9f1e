"""Specs for notebook 01: a threshold unit, logic gates by hand, Rosenblatt's rule, and XOR with two layers."""
from __future__ import annotations

import numpy as np

from ..answers.nb01_perceptron import STEP_GATES, logic_gate, perceptron, perceptron_train
from ..data.toy import ATTEND_WEIGHTS, attend_table, gate_targets, truth_table
from .outputs import training_record
from .spec import Case, Mistake, Spec
from .validating import gate_validate, other_start, xor_validate

# ------------------------------------------------------------------------------------------ perceptron

SIGN_UNIT = ("your unit answers −1 for \"no\": that is deck 000's sign unit. This notebook's unit is a step: it "
             "outputs 1 when w·x + b > 0 and 0 otherwise, so its outputs are 0 and 1.")


def _unit_cases():
    X, _ = attend_table()
    w, b = ATTEND_WEIGHTS
    return [Case("deck 001's attend table, w = (5, −8, 5), b = 1", (X, w, b)),
            Case("AND on the truth table, w = (1, 1), b = −1.5", (truth_table(2), *STEP_GATES["AND"])),
            Case("w·x + b = 0 exactly must give 0", (np.array([[1.0, 1.0], [2.0, 1.0], [0.0, 3.0]]),
                                                     np.array([1.0, -1.0]), 0.0))]


def _unit_random(rng):
    n = int(rng.integers(1, 5))
    X = rng.integers(0, 2, size=(int(rng.integers(2, 9)), n)).astype(float)
    return Case("random", (X, rng.normal(size=n), float(rng.normal())))


PERCEPTRON = Spec(
    name="perceptron",
    signature="perceptron(X, w, b)",
    reference=perceptron,
    visible=_unit_cases,
    random_case=_unit_random,
    output="outputs",
    mistakes=(Mistake("ge", "at w·x + b = 0 the unit must output 0: it fires only when w·x + b > 0 (use >, not ≥).",
                      lambda X, w, b: (np.asarray(X, float) @ np.asarray(w, float) + b >= 0).astype(int)),
              Mistake("no-bias", "your outputs ignore the bias b: the unit fires when w·x + b > 0.",
                      lambda X, w, b: (np.asarray(X, float) @ np.asarray(w, float) > 0).astype(int)),
              Mistake("inverted", "your outputs are inverted (1 where 0 is expected): the unit outputs 1 when "
                      "w·x + b > 0.", lambda X, w, b: (np.asarray(X, float) @ np.asarray(w, float) + b <= 0).astype(int)),
              Mistake("no-step", "you returned w·x + b itself; the unit thresholds it: 1 where w·x + b > 0, else 0.",
                      lambda X, w, b: np.asarray(X, float) @ np.asarray(w, float) + b),
              Mistake("sign-unit", SIGN_UNIT, lambda X, w, b: np.sign(np.asarray(X, float) @ np.asarray(w, float) + b)),
              Mistake("sign-unit-strict", SIGN_UNIT,
                      lambda X, w, b: np.where(np.asarray(X, float) @ np.asarray(w, float) + b > 0, 1, -1))),
    hints={"transposed": "X holds one example per row, so compute X @ w + b and return one output per row, shape (m,)."},
)

# ------------------------------------------------------------------------------------------ logic_gate


LOGIC_GATE = Spec(
    name="logic_gate",
    signature="logic_gate(name)",
    reference=logic_gate,
    visible=lambda: [Case(f"{g}", (g,)) for g in ("AND", "OR", "NAND", "NOR")],
    random_case=lambda rng: Case("random gate", (str(rng.choice(["AND", "OR", "NAND", "NOR"])),)),
    output="(w, b)",
    validate=gate_validate,
    compare_to_reference=False,
)

# ------------------------------------------------------------------------------------------ perceptron_train


def _train_cases():
    X, y = attend_table()
    return [Case("learn AND from zeros", (truth_table(2), gate_targets("AND"))),
            Case("learn NAND, lr = 0.5", (truth_table(2), gate_targets("NAND")), {"lr": 0.5}),
            Case("learn deck 001's attend table", (X, y)),
            Case("XOR is not separable: training stops after epochs = 5", (truth_table(2), gate_targets("XOR")),
                 {"epochs": 5})]


def _train_random(rng):
    n = int(rng.integers(2, 5))
    X = rng.integers(0, 2, size=(int(rng.integers(4, 10)), n)).astype(float)
    w_true, b_true = rng.normal(size=n), float(rng.normal())
    return Case("random separable data", (X, perceptron(X, w_true, b_true)), {"lr": float(rng.choice([0.1, 1.0]))})


def _variant(X, y, lr=1.0, epochs=20, sign=1.0, bias=True, early_stop=True, last=True, batch=False, ge=False):
    """Rosenblatt's rule with one typical slip (the defaults are the right rule)."""
    X = np.asarray(X, float)
    t = np.asarray(y, float).reshape(-1)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count, dw, db = 0, np.zeros_like(w), 0.0
        for x, target in zip(X, t):
            z = x @ w + b
            err = target - (1.0 if z > 0 or (ge and z == 0) else 0.0)
            if err:
                dw, db = dw + sign * lr * err * x, db + (sign * lr * err if bias else 0.0)
                count += 1
                if not batch:
                    w, b, dw, db = w + dw, b + db, np.zeros_like(w), 0.0
        w, b = w + dw, b + db
        if count or last or not early_stop:
            mistakes.append(count)
        if count == 0 and early_stop:
            break
    return w, b, mistakes


PERCEPTRON_TRAIN = Spec(
    name="perceptron_train",
    signature="perceptron_train(X, y, lr=1.0, epochs=20)",
    reference=lambda X, y, lr=1.0, epochs=20: tuple(perceptron_train(X, y, lr=lr, epochs=epochs)),
    visible=_train_cases,
    random_case=_train_random,
    output="(w, b, mistakes)",
    rtol=1e-9,
    transform=training_record,
    mistakes=(Mistake("sign", "Rosenblatt's rule adds lr·(t − p)·x: move towards the target, not away from it.",
                      lambda X, y, lr=1.0, epochs=20: _variant(X, y, lr, epochs, sign=-1.0)),
              Mistake("no-bias", "update the bias too: b ← b + lr·(t − p).",
                      lambda X, y, lr=1.0, epochs=20: _variant(X, y, lr, epochs, bias=False)),
              Mistake("no-stop", "stop after the first epoch without a mistake; your mistakes list goes on with "
                      "zeros.", lambda X, y, lr=1.0, epochs=20: _variant(X, y, lr, epochs, early_stop=False)),
              Mistake("ge", "while training, your unit fires at w·x + b = 0; it fires only when w·x + b > 0 (>, "
                      "not ≥), as in Challenge A.",
                      lambda X, y, lr=1.0, epochs=20: _variant(X, y, lr, epochs, ge=True)),
              Mistake("no-lr", "your weights ignore the learning rate: each update is lr·(t − p)·x, and the bias "
                      "moves by lr·(t − p).", lambda X, y, lr=1.0, epochs=20: _variant(X, y, 1.0, epochs)),
              Mistake("no-last", "your mistakes list leaves out the last epoch: the final pass that makes no mistake "
                      "is an epoch too (it is how training knows to stop), so the list ends with a 0.",
                      lambda X, y, lr=1.0, epochs=20: _variant(X, y, lr, epochs, last=False)),
              Mistake("batch", "you added up the updates of a whole epoch and applied them at its end; Rosenblatt's "
                      "rule updates w and b right after each misclassified example, so the next example already "
                      "sees the new weights.", lambda X, y, lr=1.0, epochs=20: _variant(X, y, lr, epochs, batch=True))),
    explain=other_start,
)

# ------------------------------------------------------------------------------------------ xor_network


XOR_NETWORK = Spec(
    name="xor_network",
    signature="xor_network()",
    reference=lambda: None,
    visible=lambda: [Case("XOR on the four 0/1 inputs with step units", ())],
    random_case=lambda rng: Case("XOR with step units", ()),
    output="(w, b)",
    validate=xor_validate,
    compare_to_reference=False,
)

__all__ = ["PERCEPTRON", "LOGIC_GATE", "PERCEPTRON_TRAIN", "XOR_NETWORK"]
