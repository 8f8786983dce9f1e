"""Challenge checks written once as data and used by pytest, by the notebooks' test cells and by the grader.

In a notebook::

    from nnlab.checks import check
    result = check("forward_pass", forward_pass)          # the visible cases
    assert result.passed, result.report()

Hidden-test cells pass their own seed (``check(name, fn, hidden_seed=…)``); their messages never show the
hidden inputs or expected values. The student kit (and the grader's sandbox, which imports the kit's build)
holds no hidden case: there such a cell runs the visible cases, and the grader checks the hidden ones outside
the kernel. ``run_check`` returns the same plain-data ``Result`` without printing.

A failing check whose function calls another challenge's function (``one_step_gd`` → ``gradient_estimator``)
first checks that one and names it if it is the broken one (``depending``). In a notebook, a failed
``assert result.passed, result.report()`` shows the report alone, with no traceback above it (``showing``).

The machinery is split by stage: ``spec`` (the data types), ``calling``, ``comparing``, ``diagnosing``,
``running`` and ``depending``; ``cases`` holds the seeded inputs several specs share, and each notebook's specs
are in the module named like it (``nb02_forward_pass``, …).
"""
from __future__ import annotations

import os

from .nb01_perceptron import LOGIC_GATE, PERCEPTRON, PERCEPTRON_TRAIN, XOR_NETWORK
from .nb02_forward_pass import COST_FUNCTION, FORWARD_PASS, NN_PARAMETER_MAKER, PREDICT, SIGMOID
from .nb03_gradient_descent import GRADIENT_ESTIMATOR, ONE_STEP_GD
from .nb04_backprop import BACKPROP, SIGMOID_PRIME
from .nb05_classifier import (CROSS_ENTROPY, CROSS_ENTROPY_PRIME, DENSE_BACKWARD, DENSE_FORWARD, MOMENTUM_UPDATE,
                              RELU_PRIME, RMSPROP_UPDATE, SGD_EPOCH, SOFTMAX)
from .nb06_cnn import CONV2D_BACKWARD, CONV2D_FORWARD, CONVOLUTION, MAX_POOL_BACKWARD, MAX_POOL_FORWARD, POOLING
from .nb07_lstm import LSTM_CELL_BACKWARD, LSTM_CELL_FORWARD, RNN_CELL_FORWARD
from .nb08_jax import GD_STEP, JAX_COST, JAX_GRADIENT, PER_EXAMPLE_COST
from ..yours import grading, remember
from .depending import blame_text, first_broken, in_place, used_dependencies, with_functions
from .running import run_check
from .showing import show_reports_plainly
from .spec import Case, CaseResult, Mistake, Result, Spec

#: what a kernel of the grader's sandbox prints where it leaves a test cell to the grader (autograder/pipeline/task.py)
LEFT_TO_GRADER = "checked by the grader, outside this notebook"

SPECS: dict[str, Spec] = {s.name: s for s in (
    PERCEPTRON, LOGIC_GATE, PERCEPTRON_TRAIN, XOR_NETWORK,
    NN_PARAMETER_MAKER, SIGMOID, FORWARD_PASS, PREDICT, COST_FUNCTION,
    GRADIENT_ESTIMATOR, ONE_STEP_GD, SIGMOID_PRIME, BACKPROP,
    RELU_PRIME, SOFTMAX, CROSS_ENTROPY, CROSS_ENTROPY_PRIME, DENSE_FORWARD, DENSE_BACKWARD, SGD_EPOCH,
    MOMENTUM_UPDATE, RMSPROP_UPDATE,
    CONVOLUTION, POOLING, CONV2D_FORWARD, MAX_POOL_FORWARD, CONV2D_BACKWARD, MAX_POOL_BACKWARD,
    RNN_CELL_FORWARD, LSTM_CELL_FORWARD, LSTM_CELL_BACKWARD,
    JAX_COST, JAX_GRADIENT, PER_EXAMPLE_COST, GD_STEP,
)}


def get_spec(name: str) -> Spec:
    try:
        return SPECS[name]
    except KeyError:
        raise KeyError(f"no check named {name!r}; known checks: {', '.join(sorted(SPECS))}") from None


def check(name: str, fn, hidden_seed: int | None = None, n: int = 5, points: float = 1.0) -> Result:
    """Run the check ``name`` on ``fn``: the visible cases, or ``n`` hidden ones drawn from ``hidden_seed``.

    Prints one line when everything passed (plus any notes); returns the ``Result`` either way, so a test
    cell ends with ``assert result.passed, result.report()``. NotImplementedError propagates unchanged.
    """
    spec = get_spec(name)
    show_reports_plainly()
    if hidden_seed is not None and spec.recording is not None:
        # the student kit (and so the grader's sandbox) holds no hidden case: the grader checks them outside the
        # kernel. The visible cases run only so that an unwritten stub stops here with its NotImplementedError.
        run_check(spec, fn)
        print(f"{name}: its {n} hidden cases are {LEFT_TO_GRADER}.")
        return Result(name, True, points, points, [])
    cases = None if hidden_seed is None else spec.hidden_cases(hidden_seed, n)
    try:
        result = run_check(spec, fn, cases, points=points)
        broken = None if result.passed else first_broken(spec, fn, get_spec, run_check)
    except NotImplementedError:
        # a function not written yet says so, unless the grader judges this one with correct ones in its place
        broken = first_broken(spec, fn, get_spec, run_check) if _judged_with_references(spec) else None
        if broken is None or broken[1] is not None:
            raise
        result = Result(name, False, 0.0, float(points), [])
    if broken is not None:
        result = _blame(spec, fn, cases, points, result, *broken)
        if result is None:                  # left to the grader, which checks it outside the kernel
            return Result(name, True, points, points, [])
    if result.passed:
        if hidden_seed is None:
            remember(name, fn)              # the kit's later cells use this function (nnlab.yours)
        kind = "hidden" if hidden_seed is not None else "visible"
        print(f"✓ {name}: all {len(result.cases)} {kind} cases passed.")
        for note in result.notes:
            print(f"  note: {note}")
    return result


def _judged_with_references(spec: Spec) -> bool:
    """Whether this kernel judges ``spec``'s function with references of the functions it calls: while
    grading, with the full library (NNLAB_GRADING), or in the grader's build of the kit (which leaves it to
    the grader)."""
    full = _has_references(spec)
    return spec.substitute and ((full and os.environ.get("NNLAB_GRADING") == "1") or (not full and grading()))


def _has_references(spec: Spec) -> bool:
    """Whether the library holds references of the functions ``spec``'s function calls (the full library does;
    the kit's recorded specs do not)."""
    return all(get_spec(d).recording is None for d in spec.depends)


def _blame(spec: Spec, fn, cases, points, result: Result, dep: str, dep_result) -> Result | None:
    """``fn`` failed and ``dep``, a function of the student's that it relies on, fails its own check.

    While grading (the grader's kernels and processes set NNLAB_GRADING), a mistake is charged once: ``fn`` is
    judged with nnlab's references of the functions it calls, here where the library has them, or by the
    grader outside the kernel where it does not (the kit: None, after saying so). Otherwise the student is
    told to fix ``dep`` first.
    """
    used = used_dependencies(spec, fn)
    references = _has_references(spec)
    fixed = with_functions(fn, {d: get_spec(d).stand_in() for d in spec.depends}) if references else None
    own = None if fixed is None or not spec.substitute else run_check(spec, fixed, cases, points=points)
    if spec.substitute and own is not None and os.environ.get("NNLAB_GRADING") == "1":
        return own
    if spec.substitute and not references and grading():
        print(f"{spec.name}: relies on your {dep}, which fails its own check; {spec.name} is {LEFT_TO_GRADER}, "
              f"with a correct {' and '.join(used)} in {in_place(used)}.")
        return None
    return Result(spec.name, False, 0.0, float(points), result.cases,
                  blame=blame_text(spec.name, dep, dep_result, own, used))


__all__ = ["Case", "CaseResult", "Mistake", "Result", "SPECS", "Spec", "check", "get_spec", "run_check"]
