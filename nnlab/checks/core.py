"""The check machinery: specs are data, one runner turns a spec and a function into a plain result.

A ``Spec`` says how to call a challenge function (its cases), what the right answer is (a reference), how to
compare, and which typical mistakes to recognise. ``run_check`` calls the student's function on copies of
each case's inputs with warnings, stdout and stderr captured, compares, and explains what went wrong. It
re-raises ``NotImplementedError`` unchanged, so an unsolved challenge says so.

Hidden cases (``Case.hidden``) never show their inputs or expected values: their messages name the mistake
and the shapes only.
"""
from __future__ import annotations

import contextlib
import copy
import io
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Case:
    """One call of the function under test: ``fn(*args, **kwargs)``."""
    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    hidden: bool = False


@dataclass(frozen=True)
class Mistake:
    """A typical wrong implementation and what to tell a student whose answer matches it."""
    key: str
    message: str
    impl: Callable[..., Any]


@dataclass(frozen=True)
class Spec:
    """Everything needed to check one challenge function.

    reference: the right implementation (or a function giving what to compare against).
    visible: the worked examples and edge cases shown to students (a function returning Cases).
    random_case: ``rng -> Case``, for seeded random cases (hidden cells draw theirs from their own seed).
    rtol, atol_scale, atol: values match when |got − want| ≤ rtol·|want| + atol_scale·max|want| + atol, the max
        taken over the whole output.
    mistakes: typical wrong implementations, tried in order when a case fails.
    hints: extra text per generic diagnosis ("transposed", "sign", "factor:2", "swapped", …).
    transform: ``(output, case) -> comparable``, applied to the student's and the reference output alike.
    validate: ``(output, case, call_again) -> list of problems`` for checks a reference value cannot express;
        ``call_again()`` calls the function once more on fresh copies (None if that raised).
    notes: ``(output, case) -> note or None``, shown when a case passes (e.g. "central differences").
    check_function: ``(fn, case) -> list of problems`` for checks on the function itself rather than its output
        (e.g. that it still works under ``jax.jit``); run after the output checks passed.
    caller: ``fn -> callable`` used for every call of the student's function (e.g. compiled by ``jax.jit``
        with an eager fallback); default: ``fn`` itself.
    """
    name: str
    signature: str
    reference: Callable[..., Any]
    visible: Callable[[], list[Case]]
    random_case: Callable[[np.random.Generator], Case]
    output: str = "result"
    rtol: float = 1e-6
    atol_scale: float = 1e-12
    atol: float = 0.0
    mistakes: tuple[Mistake, ...] = ()
    hints: dict = field(default_factory=dict)
    transform: Callable[[Any, Case], Any] | None = None
    validate: Callable[[Any, Case, Callable], list[str]] | None = None
    notes: Callable[[Any, Case], str | None] | None = None
    compare_to_reference: bool = True
    check_function: Callable[[Callable, Case], list[str]] | None = None
    caller: Callable[[Callable], Callable] | None = None

    def hidden_cases(self, seed: int, n: int = 5) -> list[Case]:
        """``n`` random cases from ``default_rng(seed)``, marked hidden."""
        rng = np.random.default_rng(seed)
        out = []
        for i in range(n):
            c = self.random_case(rng)
            out.append(Case(f"hidden case {i + 1}", c.args, c.kwargs, hidden=True))
        return out


@dataclass
class CaseResult:
    label: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _unique(items) -> list[str]:
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


@dataclass
class Result:
    """Plain-data outcome of a check: JSON-serialisable through ``to_dict``."""
    name: str
    passed: bool
    score: float
    max_score: float
    cases: list[CaseResult]

    @property
    def messages(self) -> list[str]:
        return [f'case "{c.label}": {p}' for c in self.cases for p in c.problems]

    @property
    def hints(self) -> list[str]:
        return _unique(h for c in self.cases for h in c.hints)

    @property
    def notes(self) -> list[str]:
        return _unique(n for c in self.cases for n in c.notes)

    def report(self, per_case: int = 2) -> str:
        """Failures (at most ``per_case`` lines per case), then each hint and note once."""
        failed = [c for c in self.cases if not c.passed]
        if not failed:
            lines = [f"{self.name}: all {len(self.cases)} cases passed."]
        else:
            lines = [f"{self.name}: {len(failed)} of {len(self.cases)} cases failed."]
            for c in failed:
                lines += [f'  ✗ case "{c.label}": {p}' for p in c.problems[:per_case]]
                if len(c.problems) > per_case:
                    lines.append(f"    … and {len(c.problems) - per_case} more problems in this case")
        lines += [f"  hint: {h}" for h in self.hints] + [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return asdict(self) | {"messages": self.messages, "hints": self.hints, "notes": self.notes}


# ---------------------------------------------------------------------------------------------- calling


@dataclass
class Call:
    """What happened when the student's function was called once."""
    value: Any = None
    error: BaseException | None = None
    warnings: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""


def call_captured(fn, args, kwargs) -> Call:
    """Call ``fn`` with warnings, stdout and stderr captured; NotImplementedError propagates unchanged."""
    out, err = io.StringIO(), io.StringIO()
    call = Call()
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        warnings.simplefilter("always")
        try:
            call.value = fn(*args, **kwargs)
        except NotImplementedError:
            raise
        except Exception as exc:  # a student's bug is a result, not a crash of the check
            call.error = exc
    call.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
    call.stdout, call.stderr = out.getvalue(), err.getvalue()
    return call


def snapshot(value):
    """Deep copy of arguments, to call with and to detect in-place changes."""
    return copy.deepcopy(value)


def same_value(a, b) -> bool:
    """Exact equality of nested lists/tuples/dicts of arrays and scalars (NaN equals NaN)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except TypeError:
        return a == b


# ---------------------------------------------------------------------------------------------- comparing


def is_sequence(x) -> bool:
    return isinstance(x, (list, tuple))


def leaves(x, path="") -> list[tuple[str, Any]]:
    """Flatten nested lists/tuples into (path, leaf) pairs, e.g. ``[("[0][1]", array), …]``."""
    if is_sequence(x):
        return [item for i, v in enumerate(x) for item in leaves(v, f"{path}[{i}]")]
    return [(path, x)]


def shape_of(x):
    """Shapes of a nested structure, for messages: ``[(3, 2), (1, 3)]``."""
    if is_sequence(x):
        return [shape_of(v) for v in x]
    return np.shape(x)


def to_array(x):
    """Accept numpy arrays, numpy/Python scalars and array-likes (JAX arrays) alike."""
    arr = np.asarray(x)
    if arr.dtype == object:
        raise TypeError(f"expected numbers, got {type(x).__name__}")
    return arr


def structure_problems(got, want, where: str) -> list[str]:
    """Problems with the *structure* of ``got`` (lengths, shapes, types); empty when it matches ``want``."""
    if is_sequence(want):
        if not is_sequence(got):
            return [f"{where} should be a {type(want).__name__} of {len(want)} items, got {type(got).__name__}"]
        if len(got) != len(want):
            return [f"{where} should have {len(want)} items, got {len(got)}"]
        return [p for i, (g, w) in enumerate(zip(got, want)) for p in structure_problems(g, w, f"{where}[{i}]")]
    try:
        g = to_array(got)
    except TypeError as exc:
        return [f"{where}: {exc}"]
    except ValueError:                                  # a ragged list or tuple where one array belongs
        return [f"{where} should be one array of shape {np.shape(want)}, got a {type(got).__name__} of "
                f"{len(got)} items"]
    if g.dtype.kind not in "biuf":
        return [f"{where} should be numeric, got dtype {g.dtype}"]
    if g.shape != np.shape(want):
        return [f"{where} has shape {g.shape} but {np.shape(want)} was expected"]
    return []


def magnitude(want) -> float:
    """Largest absolute entry over every leaf of a structure: the scale that ``atol_scale`` multiplies."""
    sizes = [np.max(np.abs(to_array(w).astype(float))) for _, w in leaves(want) if np.size(w)]
    finite = [s for s in sizes if np.isfinite(s)]
    return float(max(finite, default=0.0))


def conform(got, want):
    """``got`` with the nesting of ``want``: where ``want`` holds an array, ``got``'s list becomes an array."""
    if is_sequence(want):
        return [conform(g, w) for g, w in zip(got, want)]
    return to_array(got)


def close(got, want, rtol, atol_scale, atol_floor=0.0) -> bool:
    """Every leaf of ``got`` within tolerance of ``want`` (structures must already match)."""
    atol = atol_scale * magnitude(want) + atol_floor
    for (_, g), (_, w) in zip(leaves(got), leaves(want)):
        g, w = to_array(g).astype(float), to_array(w).astype(float)
        if not np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=False):
            return False
    return True


def spec_close(got, want, spec, rtol=None) -> bool:
    """``close`` with a spec's tolerances."""
    return close(got, want, spec.rtol if rtol is None else rtol, spec.atol_scale, spec.atol)


def value_problem(got, want, where, rtol, atol_scale, atol_floor, hidden) -> str | None:
    """Describe the worst mismatch between two same-structure outputs, or None when they agree."""
    atol = atol_scale * magnitude(want) + atol_floor
    for (path, g), (_, w) in zip(leaves(got), leaves(want)):
        g, w = to_array(g).astype(float), to_array(w).astype(float)
        name = f"{where}{path}"
        if not np.all(np.isfinite(g)) and np.all(np.isfinite(w)):
            bad = "NaN" if np.any(np.isnan(g)) else "inf"
            return f"{name} contains {bad} where finite values were expected"
        err = np.abs(g - w) - (atol + rtol * np.abs(w))
        if np.any(err > 0):
            idx = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
            rel = float(np.abs(g[idx] - w[idx]) / max(np.abs(w[idx]), 1e-300))
            at = f" at index {tuple(int(i) for i in idx)}" if idx else ""
            if hidden:
                return f"{name} has wrong values{at} (relative error {rel:.1e}, tolerance {rtol:.0e})"
            return (f"{name} has wrong values{at}: got {g[idx]:.10g}, expected {w[idx]:.10g} "
                    f"(relative error {rel:.1e}, tolerance {rtol:.0e})")
    return None


# ---------------------------------------------------------------------------------------------- diagnosing


GENERIC_HINTS = {
    "transposed": "your result is the transpose of the right one — check which axis holds the examples.",
    "sign": "your result has the right size but the wrong sign everywhere — check the direction of a subtraction.",
    "swapped": "the two results come back in the wrong order — return them in the order the docstring gives.",
    "factor": "your result is off by a constant factor of {factor} — look for a missing or extra {what}.",
    "nan": "your result contains NaN or inf — an exponential probably overflowed.",
    "mutated": "the function changed its argument {arg} in place; work on copies so the caller's data stay intact.",
}


def _factor_text(ratio: float, case: Case) -> tuple[str, str]:
    m = _examples(case)
    named = {2.0: ("2", "factor of 2"), 0.5: ("½", "factor of ½"), -1.0: ("-1", "sign")}
    if m and m > 2:
        named[float(m)] = (f"m = {m}", "division by the number of examples m")
        named[1.0 / m] = (f"1/m = 1/{m}", "division by m (done twice?)")
    for value, text in named.items():
        if np.isclose(ratio, value, rtol=1e-3):
            return text
    return (f"{ratio:.3g}", "factor")


def _examples(case: Case) -> int | None:
    """The number of examples m in a case whose first argument is a data set X (m, n) given as rows."""
    first = case.args[0] if case.args else None
    if isinstance(first, np.ndarray) and first.ndim == 2:
        return first.shape[0]
    return None


def generic_diagnosis(got, want, case: Case, spec: Spec) -> list[str]:
    """Recognise transposes, flipped signs, constant factors and swapped pairs, leaf by leaf (each hint once)."""
    def hint(key, **fmt):
        text = GENERIC_HINTS[key.split(":")[0]].format(**fmt)
        extra = spec.hints.get(key) or spec.hints.get(key.split(":")[0])
        return f"{text} {extra}" if extra else text

    if is_sequence(want) and is_sequence(got) and len(want) == 2 == len(got):
        if not structure_problems([got[1], got[0]], want, "") and spec_close([got[1], got[0]], want, spec):
            return [hint("swapped")]
    found = []
    flat_g, flat_w = leaves(got), leaves(want)
    if is_sequence(got) and is_sequence(want) and len(flat_g) != len(flat_w):
        return found
    for (path, g), (_, w) in zip(flat_g, flat_w):
        try:
            g, w = to_array(g).astype(float), to_array(w).astype(float)
        except TypeError:
            continue
        if g.ndim == 2 and g.shape == w.shape[::-1] and g.shape != w.shape and spec_close(g.T, w, spec):
            found.append(hint("transposed"))
        elif g.shape == w.shape and w.size and np.all(np.isfinite(g)):
            if spec_close(g, w, spec):
                continue
            denom = float(np.sum(w * w))
            if denom > 0:
                ratio = float(np.sum(g * w) / denom)
                if ratio != 0 and spec_close(g, ratio * w, spec, rtol=max(spec.rtol, 1e-6)):
                    if np.isclose(ratio, -1.0, rtol=1e-3):
                        found.append(hint("sign"))
                    else:
                        value, what = _factor_text(ratio, case)
                        key = f"factor:{value}"
                        found.append(hint(key, factor=value, what=what))
        elif g.shape == w.shape and not np.all(np.isfinite(g)):
            found.append(hint("nan"))
    return _unique(found)


def mistake_diagnosis(got, case: Case, spec: Spec) -> list[str]:
    """Messages of every typical mistake whose implementation reproduces the student's output."""
    found = []
    for mistake in spec.mistakes:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                wrong = mistake.impl(*snapshot(case.args), **snapshot(case.kwargs))
        except Exception:
            continue
        if spec.transform is not None:
            wrong = spec.transform(wrong, case)
        if not structure_problems(got, wrong, "") and close(got, wrong, 1e-9, 1e-12):
            found.append(mistake.message)
    return found


# ---------------------------------------------------------------------------------------------- running


def describe(case: Case) -> str:
    """A hidden case's inputs by shape only, e.g. ``X (7, 3), w [(4, 3), (2, 4)]``."""
    parts = []
    for i, a in enumerate(case.args):
        if isinstance(a, (np.ndarray, list, tuple)):
            parts.append(f"arg {i + 1} shape {shape_of(a)}")
    return ", ".join(parts)


def check_case(spec: Spec, fn, case: Case, call_fn=None) -> CaseResult:
    """One case: ``fn`` is the student's function, ``call_fn`` what calls it (``spec.caller(fn)``)."""
    call_fn = fn if call_fn is None else call_fn
    label = f"{case.label} ({describe(case)})" if case.hidden else case.label
    result = CaseResult(label, passed=False)
    args, kwargs = snapshot(case.args), snapshot(case.kwargs)
    call = call_captured(call_fn, args, kwargs)
    if call.error is not None:
        text = str(call.error).strip().splitlines()[0][:300] if str(call.error).strip() else ""
        result.problems.append(f"{spec.name} raised {type(call.error).__name__}" + (f": {text}" if text else ""))
        return result
    for i, (before, after) in enumerate(zip(case.args, args)):
        if not same_value(before, after):
            name = spec.signature.split("(")[1].rstrip(")").split(",")[i].strip().split("=")[0]
            result.problems.append(GENERIC_HINTS["mutated"].format(arg=name))
    got = call.value
    if spec.validate is not None:
        result.problems += spec.validate(got, case, lambda: call_captured(call_fn, snapshot(case.args),
                                                                          snapshot(case.kwargs)).value)
    if spec.compare_to_reference and not result.problems:
        want = spec.reference(*snapshot(case.args), **snapshot(case.kwargs))
        if spec.transform is not None:
            got, want = spec.transform(got, case), spec.transform(want, case)
        shape_issues = structure_problems(got, want, spec.output)
        if shape_issues:
            result.problems += shape_issues
        else:
            got = conform(got, want)
            issue = value_problem(got, want, spec.output, spec.rtol, spec.atol_scale, spec.atol, case.hidden)
            if issue:
                result.problems.append(issue)
        if result.problems:
            diagnosis = mistake_diagnosis(got, case, spec) or generic_diagnosis(got, want, case, spec)
            if call.warnings and not diagnosis:
                diagnosis = [f"numpy warned while your code ran ({call.warnings[0]})."]
            result.hints += diagnosis
    if spec.check_function is not None and not result.problems:
        result.problems += spec.check_function(fn, case)
    result.passed = not result.problems
    if result.passed:
        if call.warnings:
            result.notes.append(f"your {spec.name} gave correct values but warned ({call.warnings[0]}); "
                                "full marks — a numerically stable version avoids the warning.")
        if spec.notes is not None:
            note = spec.notes(call.value, case)
            if note:
                result.notes.append(note)
    if call.stderr.strip():
        result.notes.append(f"your {spec.name} wrote to stderr (captured during the check).")
    return result


def run_check(spec: Spec, fn, cases: list[Case] | None = None, points: float = 1.0) -> Result:
    """Check ``fn`` against ``spec`` on ``cases`` (default: the visible ones) and return plain data."""
    if not callable(fn):
        raise TypeError(f"check {spec.name}: expected a function, got {type(fn).__name__}")
    cases = spec.visible() if cases is None else cases
    call_fn = spec.caller(fn) if spec.caller is not None else fn
    results = [check_case(spec, fn, c, call_fn) for c in cases]
    passed = all(r.passed for r in results)
    return Result(spec.name, passed, float(points) if passed else 0.0, float(points), results)
