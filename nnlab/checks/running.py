"""Running a check: one runner turns a spec and a function into a plain result.

``run_check`` calls the student's function on copies of each case's inputs with warnings, stdout and stderr
captured, compares, and explains what went wrong. It re-raises ``NotImplementedError`` unchanged, so an
unsolved challenge says so. Hidden cases (``Case.hidden``) never show their inputs or expected values: their
messages name the mistake and the shapes only.
"""
from __future__ import annotations

import numpy as np

from .calling import call_captured, same_value, snapshot
from .comparing import conform, shape_of, structure_problems, tolerance, value_problem
from .diagnosing import GENERIC_HINTS, Evidence, diagnose, only_when
from .spec import Case, CaseResult, Result, Spec


def describe(case: Case) -> str:
    """A hidden case's inputs by shape only, e.g. ``X (7, 3), w [(4, 3), (2, 4)]``."""
    parts = []
    for i, a in enumerate(case.args):
        if isinstance(a, (np.ndarray, list, tuple)):
            parts.append(f"arg {i + 1} shape {shape_of(a)}")
    return ", ".join(parts)


def check_case(spec: Spec, fn, case: Case, call_fn=None, evidence: list | None = None) -> CaseResult:
    """One case: ``fn`` is the student's function, ``call_fn`` what calls it (``spec.caller(fn)``). A failed
    comparison adds its ``Evidence`` to ``evidence``, which ``run_check`` diagnoses once for the whole run."""
    call_fn = fn if call_fn is None else call_fn
    label = f"{case.label} ({describe(case)})" if case.hidden else case.label
    result = CaseResult(label, passed=False)
    args, kwargs = snapshot(case.args), snapshot(case.kwargs)
    call = call_captured(call_fn, args, kwargs)
    if call.error is not None:
        text = str(call.error).strip().splitlines()[0][:300] if str(call.error).strip() else ""
        result.problems.append(f"{spec.name} raised {type(call.error).__name__}" + (f": {text}" if text else ""))
        if evidence is not None:
            evidence.append(Evidence(case, None, None, (), call.warnings, error=f"{type(call.error).__name__}: "
                                                                                 f"{call.error}"))
        return result
    for i, (before, after) in enumerate(zip(case.args, args)):
        if not same_value(before, after):
            params = spec.signature.split("(")[1].rstrip(")").split(",")
            # a pair's case holds the forward pass's inputs after dout: they are what the cache holds
            name = params[min(i, len(params) - 1)].strip().split("=")[0]
            result.problems.append(GENERIC_HINTS["mutated"].format(arg=name))
    got = call.value
    if spec.validate is not None:
        try:
            result.problems += spec.validate(got, case, lambda: call_captured(call_fn, snapshot(case.args),
                                                                              snapshot(case.kwargs)).value)
        except NotImplementedError:
            raise
        except Exception:                   # an output of a kind the validation cannot even read
            result.problems.append(f"{spec.name} returned a {type(got).__name__}, which is not {spec.output}")
            return result
    want = None
    if spec.compare_to_reference and not result.problems:
        want = spec.expected(case)
        try:
            _compare(spec, case, call, got, want, result, evidence if evidence is not None else [])
        except NotImplementedError:
            raise
        except Exception:                   # an object the comparison cannot read as numbers at all
            result.problems = [f"{spec.name} returned a {type(got).__name__}, which is not {spec.output}"]
    if spec.check_function is not None and not result.problems:
        result.problems += spec.check_function(fn, case)
    result.passed = not result.problems
    if result.passed:
        if call.warnings:
            result.notes.append(f"your {spec.name} gave correct values but warned ({call.warnings[0]}); "
                                "full marks — a numerically stable version avoids the warning.")
        if spec.notes is not None:
            note = spec.notes(call.value, case, want)
            if note:
                result.notes.append(note)
    if call.stderr.strip():
        result.notes.append(f"your {spec.name} wrote to stderr (captured during the check).")
    return result


def _compare(spec: Spec, case: Case, call, got, want, result: CaseResult, evidence: list) -> None:
    """Structure, then values: problems into ``result``, and the failure's evidence into ``evidence``."""
    if spec.transform is not None:
        got = spec.transform(got, case)
    tol = tolerance(spec, got)
    shape_issues = structure_problems(got, want, spec.output)
    if shape_issues:
        result.problems += shape_issues
    else:
        got = conform(got, want)
        shown = None
        if spec.shown is not None and not case.hidden:
            shown = (spec.shown(got, case), spec.shown(want, case))
        issue = value_problem(got, want, spec.output, tol, case.hidden, shown)
        if issue:
            result.problems.append(issue)
    if result.problems:
        evidence.append(Evidence(case, got, want, tol, call.warnings))


def run_check(spec: Spec, fn, cases: list[Case] | None = None, points: float = 1.0) -> Result:
    """Check ``fn`` against ``spec`` on ``cases`` (default: the visible ones) and return plain data; the
    failing cases are diagnosed together, and the diagnosis is given once."""
    if not callable(fn):
        raise TypeError(f"check {spec.name}: expected a function, got {type(fn).__name__}")
    cases = spec.visible() if cases is None else cases
    call_fn = spec.caller(fn) if spec.caller is not None else fn
    evidence: list = []
    results = [check_case(spec, fn, c, call_fn, evidence) for c in cases]
    hints = diagnose(spec, evidence) or only_when(spec, cases, [r.passed for r in results])
    if hints:
        first = next(r for r in results if not r.passed)
        first.hints += hints
    passed = all(r.passed for r in results)
    return Result(spec.name, passed, float(points) if passed else 0.0, float(points), results)
