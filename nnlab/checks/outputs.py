"""Bringing an answer's output into comparable form (a Spec's ``transform``), and the notes shown on a correct
one (a Spec's ``notes``). The transform is applied to the student's output and to the reference's alike; none
of these functions calls a reference answer, so the student kit keeps them as they are."""
from __future__ import annotations

import numpy as np

from ..network.gradient_check import relative_error
from .comparing import is_sequence


def scalar_output(out, case):
    """A Spec transform for functions that return one number: a Python float, a numpy scalar or a 0-d array
    all compare as a 0-d float array (anything else is left for the shape check to report)."""
    try:
        scalar = np.ndim(out) == 0
    except ValueError:                      # a ragged list: not a number
        return out
    if not scalar:
        return out
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError):         # a string, None, …: the structure check reports it
        return out


def training_record(out, case):
    """``perceptron_train``'s ``(w, b, mistakes)`` with the mistakes as a list, whatever sequence held them."""
    return (out[0], out[1], list(out[2])) if is_sequence(out) and len(out) == 3 else out


def implied_gradient(out, case):
    """Turn ``(new_w, new_b)`` into the gradient the step used: (θ − θ_new) / lr."""
    _, _, w, b, lr = case.args
    try:
        new_w, new_b = out
        if len(new_w) != len(w) or len(new_b) != len(b):
            return out
        return ([(np.asarray(a, float) - np.asarray(n, float)) / lr for a, n in zip(w, new_w)],
                [(np.asarray(a, float) - np.asarray(n, float)) / lr for a, n in zip(b, new_b)])
    except (TypeError, ValueError):
        return out


def step_taken(gradient, case):
    """The inverse of ``implied_gradient``: the new ``(w, b)`` that a step along ``gradient`` gives."""
    _, _, w, b, lr = case.args
    return ([np.asarray(a, float) - lr * np.asarray(g, float) for a, g in zip(w, gradient[0])],
            [np.asarray(a, float) - lr * np.asarray(g, float) for a, g in zip(b, gradient[1])])


def first_output(out, case):
    """For functions returning ``(out, cache)`` like ``conv2d_forward``: compare ``out`` only."""
    return out[0] if is_sequence(out) and len(out) == 2 else out


def epoch_record(out, case):
    """``sgd_epoch``'s ``(w, b, losses)`` with the losses as a list of numbers, whatever sequence held them."""
    if not (is_sequence(out) and len(out) == 3 and (is_sequence(out[2]) or np.ndim(out[2]) == 1)):
        return out
    try:
        return (out[0], out[1], [np.asarray(x, dtype=float) for x in out[2]])
    except (TypeError, ValueError):
        return out


def cell_states(out, case):
    """lstm_cell_forward returns (h_t, c_t, cache): compare the two states."""
    return list(out[:2]) if is_sequence(out) and len(out) >= 2 else out


def central_difference_note(got, case, want):
    """A note for an estimate far more accurate than forward differences allow (``want`` is the exact gradient)."""
    try:
        err = relative_error(list(got[0]) + list(got[1]), list(want[0]) + list(want[1]))
    except Exception:
        return None
    if err < 1e-6:
        return ("your estimate agrees with the exact gradient to about 1e-7 — more accurate than deck 001's "
                "forward difference (central differences?). Full marks.")
    return None
