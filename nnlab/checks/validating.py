"""Checks of an answer that a reference value cannot express, used as a Spec's ``validate``: a pair (w, b)
that computes a logic gate, a two-layer network that computes XOR, parameters in the bootcamp's shapes drawn
from a seeded standard normal, and the return structures later cells unpack (``(out, cache)``,
``(h_t, c_t, cache)``); and explanations of a wrong output read from the output alone (a Spec's ``explain``).
None of them calls a reference answer, so the student kit keeps them as they are."""
from __future__ import annotations

import numpy as np

from ..data.toy import gate_targets, truth_table
from ..network.threshold import threshold_forward
from .comparing import is_sequence


def gate_validate(got, case, call_again):
    name = case.args[0]
    try:
        w, b = got
        w = np.asarray(w, dtype=float).reshape(-1)
        b = float(np.asarray(b, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return [f"logic_gate({name!r}) should return a pair (w, b) with w of shape (2,) and a number b"]
    if w.shape != (2,):
        return [f"logic_gate({name!r}) returned w of shape {w.shape}; a two-input gate needs w of shape (2,)"]
    X, want = truth_table(2), gate_targets(name)
    out = threshold_forward(X.T, [w.reshape(1, 2)], [np.array([[b]])], unit="step")[0]
    wrong = [tuple(int(v) for v in X[i]) for i in np.flatnonzero(out != want)]
    if wrong:
        problems = [f"with your (w, b) the unit computes {name} wrongly on the input(s) {wrong}: "
                    f"it gives {[int(out[i]) for i in np.flatnonzero(out != want)]}, "
                    f"{name} gives {[int(want[i]) for i in np.flatnonzero(out != want)]}"]
        signed = np.sign((2 * X - 1) @ w + b)               # deck 000's convention: inputs and outputs ±1
        if np.array_equal(signed, 2 * want - 1):
            problems.append(f"these weights compute {name} in deck 000's convention, a sign unit on inputs −1 "
                            "and 1; this notebook's unit is a step on inputs 0 and 1 (outputs 0 and 1), so the "
                            "bias must change")
        return problems
    return []


def xor_validate(got, case, call_again):
    try:
        w, b = got
        w, b = list(w), list(b)
    except (TypeError, ValueError):
        return ["xor_network() should return (w, b): two lists of arrays, as nn_parameter_maker does"]
    if len(w) < 2:
        return ["one layer of threshold units cannot compute XOR — it is not linearly separable; add a hidden "
                "layer (two units are enough)"]
    try:
        out = threshold_forward(truth_table(2).T, w, b, unit="step")
    except ValueError as exc:
        return [str(exc)]
    want = gate_targets("XOR").reshape(1, -1)
    if out.shape != want.shape:
        return [f"your network has {out.shape[0]} outputs; XOR needs one"]
    wrong = [tuple(int(v) for v in truth_table(2)[i]) for i in np.flatnonzero(out[0] != want[0])]
    if wrong:
        return [f"your network gets XOR wrong on the input(s) {wrong}"]
    return []


def parameter_validate(got, case, call_again):
    """Shapes exactly, values standard normal in distribution, and the seed respected."""
    sizes = case.args[0]
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return ["nn_parameter_maker should return a pair (w, b) of two lists"]
    w, b = got
    if not isinstance(w, (list, tuple)) or not isinstance(b, (list, tuple)):
        return ["w and b should both be lists of arrays, one array per layer"]
    layers = len(sizes) - 1
    if len(w) != layers or len(b) != layers:
        return [f"layer sizes {list(sizes)} make {layers} layers, so w and b need {layers} arrays each; "
                f"got {len(w)} and {len(b)}"]
    problems = []
    for l in range(layers):
        want_w, want_b = (sizes[l + 1], sizes[l]), (sizes[l + 1], 1)
        if np.shape(w[l]) != want_w:
            hint = " — w[l] is (n_out, n_in): rows are the next layer's units" if np.shape(w[l]) == want_w[::-1] else ""
            problems.append(f"w[{l}] has shape {np.shape(w[l])} but {want_w} was expected{hint}")
        if np.shape(b[l]) != want_b:
            hint = " — make b a column with .reshape(-1, 1) or standard_normal((n, 1))" if np.shape(b[l]) == (sizes[l + 1],) else ""
            problems.append(f"b[{l}] has shape {np.shape(b[l])} but {want_b} was expected{hint}")
    if problems:
        return problems
    values = np.concatenate([np.ravel(x) for x in list(w) + list(b)]).astype(float)
    if values.size >= 20 and values.min() >= 0:           # 20 standard-normal values are all ≥ 0 once in 10⁶
        return ["every value is ≥ 0, as from rng.random (uniform on [0, 1)); draw standard-normal values "
                "with rng.standard_normal"]
    if values.size >= 2000:
        mean, std = values.mean(), values.std()
        if abs(mean) > 0.1 or not 0.9 < std < 1.1:
            return [f"the values have mean {mean:.2f} and standard deviation {std:.2f}; standard-normal values "
                    "have mean 0 and standard deviation 1"]
    again = call_again()
    if again is not None and not _same(got, again):
        problems.append("two calls with the same seed gave different values — create the generator with "
                        "np.random.default_rng(seed) inside the function and draw everything from it")
    return problems


def _same(a, b):
    try:
        return all(np.array_equal(x, y) for x, y in zip(list(a[0]) + list(a[1]), list(b[0]) + list(b[1])))
    except (TypeError, IndexError):
        return False


def _with_cache(got, n: int, names: str) -> list[str]:
    if is_sequence(got) and len(got) == n:
        return []
    what = f"a {type(got).__name__} of {len(got)} items" if is_sequence(got) else \
        f"a single {type(got).__name__}"
    return [f"it should return {names}, {n} values, the last being the cache: whatever your backward pass "
            f"will need from this step; got {what}"]


def z_and_cache(got, case, call_again):
    """dense_forward returns ``(z, cache)``: dense_backward takes the cache."""
    return _with_cache(got, 2, "(z, cache)")


def out_and_cache(got, case, call_again):
    """conv2d_forward returns ``(out, cache)``: later cells unpack two values."""
    return _with_cache(got, 2, "(out, cache)")


def h_and_cache(got, case, call_again):
    """rnn_cell_forward returns ``(h_t, cache)``: later cells unpack two values."""
    return _with_cache(got, 2, "(h_t, cache)")


def states_and_cache(got, case, call_again):
    """lstm_cell_forward returns ``(h_t, c_t, cache)``: later cells unpack three values."""
    return _with_cache(got, 3, "(h_t, c_t, cache)")


def other_start(got, case, want):
    """perceptron_train: weights that separate the data but are not ``want``'s, where no named mistake fits
    (those come first): the sign of a start other than zeros, as deck 004's random one."""
    X, y = (np.asarray(a, float) for a in case.args[:2])
    try:
        if list(want[2])[-1] != 0:
            return ...                      # data the rule never separates: no opinion on this case
        w, b = np.asarray(got[0], float).reshape(-1), float(np.asarray(got[1], float).reshape(()))
    except (TypeError, ValueError, IndexError):
        return None
    if w.shape != (X.shape[1],) or not np.array_equal((X @ w + b > 0).astype(float), y.reshape(-1)):
        return None
    return ("your weights classify every example correctly but are not the ones Rosenblatt's rule reaches from "
            "w = 0, b = 0. Check where training starts: this notebook starts from zeros, so every answer is the "
            "same (deck 004 starts from random weights, which reaches other, equally valid weights).")
