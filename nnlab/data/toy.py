"""Small built-in data sets: truth tables, XOR, deck 001's "attend the talk" table and the playground's 2-D sets.

All data sets come as rows: ``X (m, n_features)`` and ``y (m, n_out)`` where a network is trained on them;
``toy_data`` gives integer labels ``y (m,)``, as ``Sequential`` takes them.
"""
from __future__ import annotations

import itertools

import numpy as np

_GATES = {
    "AND": lambda a, b: a and b,
    "OR": lambda a, b: a or b,
    "NAND": lambda a, b: not (a and b),
    "NOR": lambda a, b: not (a or b),
    "XOR": lambda a, b: a != b,
}
GATE_NAMES = tuple(_GATES)


def truth_table(n=2, signed=False) -> np.ndarray:
    """All 2**n input rows in counting order (00, 01, 10, 11, …): 0/1 integers, or −1/+1 if ``signed``."""
    rows = np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int64)
    return 2 * rows - 1 if signed else rows


def gate_targets(name: str, signed=False) -> np.ndarray:
    """Targets ``(4,)`` of a two-input gate over ``truth_table(2)``: 0/1, or −1/+1 if ``signed``."""
    key = name.upper()
    if key not in _GATES:
        raise ValueError(f"gate_targets: unknown gate {name!r}; choose one of {GATE_NAMES}")
    t = np.array([int(bool(_GATES[key](bool(a), bool(b)))) for a, b in truth_table(2)], dtype=np.int64)
    return 2 * t - 1 if signed else t


def xor_data(dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """XOR as a regression data set: ``X (4, 2)``, ``y (4, 1)`` as floats, ready for ``cost_function``."""
    return truth_table(2).astype(dtype), gate_targets("XOR").reshape(-1, 1).astype(dtype)


#: deck 001's "attend the talk" unit: (quarantine, presenting, interesting topic) → attend
ATTEND_WEIGHTS = (np.array([5.0, -8.0, 5.0]), 1.0)

#: deck 000's sign units on ±1 inputs: OR = sign(x1 + x2 + 1.5), AND = sign(x1 + x2 − 1.5)
SIGN_GATES = {
    "AND": (np.array([1.0, 1.0]), -1.5),
    "OR": (np.array([1.0, 1.0]), 1.5),
    "NAND": (np.array([-1.0, -1.0]), 1.5),
    "NOR": (np.array([-1.0, -1.0]), -1.5),
}


def attend_table() -> tuple[np.ndarray, np.ndarray]:
    """Deck 001's table: rows (quarantine, presenting, interesting topic) → attend, ``X (6, 3)``, ``y (6,)``."""
    X = np.array([[1, 1, 1], [0, 1, 1], [1, 1, 0], [0, 1, 0], [0, 0, 0], [1, 0, 1]], dtype=np.int64)
    y = np.array([1, 0, 0, 0, 1, 1], dtype=np.int64)
    return X, y


def two_blobs(m=100, seed=None, spread=1.0) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds in the plane, ``X (m, 2)`` and 0/1 labels ``y (m, 1)``: a linearly separable toy."""
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % 2
    centres = np.where(labels[:, None] == 1, 1.5, -1.5)
    X = centres + spread * rng.standard_normal((m, 2))
    return X, labels.reshape(-1, 1).astype(np.float64)


PLAYGROUND_DATA = ("xor", "moons", "circles", "spiral", "blobs")


def toy_data(name: str = "moons", m: int = 200, noise: float = 0.15, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D classification set like TensorFlow Playground's: ``X (m, 2)`` and integer labels ``y (m,)`` in {0, 1}.

    ``name``: "xor" (a noisy cloud: the label is whether x₁ and x₂ have different signs), "moons" (two
    interleaved half circles), "circles" (a disc inside a ring), "spiral" (two arms) or "blobs" (two clouds,
    linearly separable). ``noise`` is the standard deviation of the Gaussian jitter added to every point.
    """
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 2
    if name == "xor":
        X = rng.uniform(-1, 1, (m, 2))
        X += np.sign(X) * 0.1                               # a small margin around the axes
        y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    elif name == "moons":
        t = rng.uniform(0, np.pi, m)
        X = np.where(y[:, None] == 0, np.column_stack([np.cos(t), np.sin(t)]),
                     np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])) - [0.5, 0.25]
    elif name == "circles":
        t, r = rng.uniform(0, 2 * np.pi, m), np.where(y == 0, rng.uniform(0, 0.5, m), rng.uniform(0.8, 1.1, m))
        X = r[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    elif name == "spiral":
        r = rng.uniform(0.05, 1, m)
        t = 1.75 * np.pi * r + np.pi * y
        X = r[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    elif name == "blobs":
        X = np.where(y[:, None] == 1, 0.5, -0.5) + 0.3 * rng.standard_normal((m, 2))
    else:
        raise ValueError(f"toy_data: unknown data set {name!r}; choose one of {', '.join(PLAYGROUND_DATA)}")
    return X + noise * rng.standard_normal((m, 2)), y.astype(np.int64)
