"""Diagnosing a wrong answer from the evidence of every failing case of one run.

A named mistake (``Mistake``) is given when its implementation reproduces the student's output on every failing
case it can be computed on; where two fit equally, both are offered as alternatives, never as two findings.
Then, in order, the first that applies: an explanation read from the output itself (``Spec.explain``), when
every failing case agrees; one generic relation (swapped pair, results in another order, transpose, permuted
axes, sign, constant factor), only when the whole output of every failing case fits it with the same factor,
from at least two numbers, the factor not ≈ 1; a size formula when every failure is an array of the wrong
size. Facts come with them or last: a float32 answer where float64 is needed, NaN after an overflow warning, a
warning. Calls that raised are read by their errors (``_from_errors``), and ``only_when`` states which keyword
argument separates failing from passing cases when nothing else was said. A wrong hint costs a student more
than none, so anything less than a fit everywhere says nothing.
"""
from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .comparing import close, conform, is_sequence, leaves, low_precision, structure_problems, to_array
from .spec import NO_OUTPUT, Case, Spec

GENERIC_HINTS = {
    "transposed": "your result is the transpose of the right one — check which axis holds the examples.",
    "axes": "your result holds the right numbers with its axes in another order — check the order the docstring "
            "gives.",
    "sign": "your result has the right size but the wrong sign everywhere — check the direction of a subtraction.",
    "swapped": "the two results come back in the wrong order — return them in the order the docstring gives.",
    "order": "your results are right but come back in another order — return them in the order the docstring "
             "gives.",
    "factor": "your result is off by a constant factor of {factor} in every case — look for a missing or extra "
              "{what}.",
    "nan": "your result contains NaN or inf, and numpy warned while it ran ({warning}).",
    "warned": "numpy warned while your code ran ({warning}).",
    "float64": "your result is float32: {why}",
    "scalar-only": "your code converts an array to a single Python number (math.exp, float(), …), which works "
                   "for one number only; numpy's functions (np.exp, …) work on whole arrays.",
    "transposed-shapes": "two arrays of transposed shapes, {a} and {b}, met in one operation: one of them "
                         "needs a transpose (which axis holds the examples?).",
    "only-when": "only the cases where {key} ≠ {default} fail, and every case with {key} = {default} passes: look "
                 "at how your code uses {key}.",
    "mutated": "the function changed its argument {arg} in place; work on copies so the caller's data stay intact.",
}


@dataclass
class Evidence:
    """One failing case as the diagnosis sees it: the transformed outputs, the tolerance used, the warnings;
    or, for a call that raised, the error's text (``got`` and ``want`` are then None)."""
    case: Case
    got: Any
    want: Any
    tol: tuple
    warnings: list
    error: str | None = None


def diagnose(spec: Spec, evidence: list[Evidence]) -> list[str]:
    """At most one diagnosis for a run's failing cases (plus facts when nothing else fits). Cases whose call
    raised are read by their errors; the rest by their values."""
    raised = [e for e in evidence if e.error is not None]
    evidence = [e for e in evidence if e.error is None]
    return _from_errors(spec, raised) + (_from_values(spec, evidence) if evidence else [])


def _from_errors(spec: Spec, raised: list[Evidence]) -> list[str]:
    """A hint read from the errors, when every call that raised gave the same kind of error."""
    if not raised:
        return []
    for key, hint in spec.hints.items():          # a spec's own: "raised:<words in the error>|<other words>"
        if key.startswith("raised:") and all(any(words in e.error for words in key[len("raised:"):].split("|"))
                                             for e in raised):
            return [hint]
    if all("only 0-dimensional arrays" in e.error or "only length-1 arrays" in e.error for e in raised):
        return [GENERIC_HINTS["scalar-only"]]
    shapes = [re.search(r"broadcast together with shapes \((\d+),(\d+)\) \((\d+),(\d+)\)", e.error) for e in raised]
    if all(m and m.group(1, 2) == m.group(4, 3) and m.group(1) != m.group(2) for m in shapes):
        a, b = shapes[0].group(1, 2), shapes[0].group(3, 4)
        return [GENERIC_HINTS["transposed-shapes"].format(a=f"({a[0]}, {a[1]})", b=f"({b[0]}, {b[1]})")]
    return []


def only_when(spec: Spec, cases: list[Case], passed: list[bool]) -> list[str]:
    """The keyword argument that separates the failing cases from the passing ones, if one does: every failing
    case sets it away from its default and every passing case (two at least) leaves it there. The hint states
    that observation; it names no cause."""
    if sum(passed) < 2 or all(passed):              # two passing cases at least: one of each is no pattern
        return []
    defaults = dict(re.findall(r"(\w+)=([^,)]+)", spec.signature))
    for key, text in defaults.items():
        try:
            default = ast.literal_eval(text)            # the signature's literal default: 1, 0, "max", …
        except (ValueError, SyntaxError):
            continue
        off = [c.kwargs.get(key, default) != default for c in cases]
        if all(o != p for o, p in zip(off, passed)):
            return [GENERIC_HINTS["only-when"].format(key=key, default=text)]
    return []


def _from_values(spec: Spec, evidence: list[Evidence]) -> list[str]:
    facts = []
    if spec.float64 is not None and any(low_precision(e.got) for e in evidence):
        facts.append(GENERIC_HINTS["float64"].format(why=spec.float64))
    named = named_mistakes(spec, evidence)
    if named:
        return facts + named
    if spec.explain is not None:
        said = {spec.explain(e.got, e.case, e.want) for e in evidence} - {...}
        if len(said) == 1 and None not in said:
            return facts + [said.pop()]
    generic = generic_relation(spec, evidence)
    if generic:
        return facts + [generic]
    if "shape" in spec.hints and all(_other_size(e) for e in evidence):
        return facts + [spec.hints["shape"]]
    return facts + _warned(spec, evidence)


def _fits(got, wrong, tol) -> bool:
    try:
        return not structure_problems(got, wrong, "") and close(conform(got, wrong), wrong, *tol, equal_nan=True)
    except (TypeError, ValueError):
        return False


def named_mistakes(spec: Spec, evidence: list[Evidence]) -> list[str]:
    """The message of the typical mistake that reproduces every failing case (alternatives if several do)."""
    fits = []
    for mistake in spec.mistakes:
        matched = 0
        for e in evidence:
            wrong = spec.mistake_output(mistake, e.case)
            if wrong is NO_OUTPUT:
                continue
            if not _fits(e.got, wrong, e.tol):
                matched = -1
                break
            matched += 1
        if matched > 0 and mistake.message not in fits:
            fits.append(mistake.message)
    if len(fits) > 1:
        return ["your output fits more than one typical slip, so look at each: "
                + " ".join(f"({i}) {m}" for i, m in enumerate(fits, 1))]
    return fits


def _hint(spec: Spec, key: str, **fmt) -> str:
    text = GENERIC_HINTS[key.split(":")[0]].format(**fmt)
    extra = spec.hints.get(key) or spec.hints.get(key.split(":")[0])
    if not extra:
        return text
    return f"{text} {extra[0].upper() + extra[1:] if text.endswith('.') else extra}"


def _examples(spec: Spec, case: Case) -> int | None:
    """The number of examples m in a case whose first argument is a data set ``X (m, n)`` given as rows (the
    column-major challenges, whose first argument is ``(features, m)``, have none here)."""
    if not spec.signature.split("(", 1)[1].startswith("X"):
        return None
    first = case.args[0] if case.args else None
    if isinstance(first, np.ndarray) and first.ndim == 2:
        return first.shape[0]
    return None


def _relation(e: Evidence):
    """``(kind, factor, numbers)`` that the whole output of one failing case fits, or None."""
    got, want, tol = e.got, e.want, e.tol
    if is_sequence(want) and is_sequence(got) and len(want) == 2 == len(got) and _fits([got[1], got[0]], want, tol):
        return "swapped", None, 2
    if is_sequence(want) and is_sequence(got) and 3 <= len(want) == len(got) <= 4 and any(
            _fits([got[i] for i in order], want, tol)
            for order in itertools.permutations(range(len(want))) if list(order) != sorted(order)):
        return "order", None, 2
    flat_g, flat_w = leaves(got), leaves(want)
    if len(flat_g) != len(flat_w):
        return None
    try:
        pairs = [(to_array(g).astype(float), to_array(w).astype(float)) for (_, g), (_, w) in zip(flat_g, flat_w)]
    except (TypeError, ValueError):
        return None
    rtol, atol_scale, atol = tol

    def right(g, w):
        return g.shape == w.shape and close(g, w, *tol)

    def transposed(g, w):
        return g.ndim == 2 == w.ndim and g.shape == w.shape[::-1] and close(g.T, w, *tol)
    if all(right(g, w) or transposed(g, w) for g, w in pairs) and not all(right(g, w) for g, w in pairs):
        return "transposed", None, 2
    if all(right(g, w) or _permuted(g, w, tol) for g, w in pairs) and not all(right(g, w) for g, w in pairs):
        return "axes", None, 2
    if any(g.shape != w.shape for g, w in pairs):
        return None
    G = np.concatenate([g.ravel() for g, _ in pairs])
    W = np.concatenate([w.ravel() for _, w in pairs])
    if not np.all(np.isfinite(G)) or not np.all(np.isfinite(W)):
        return None
    scale = float(np.max(np.abs(W), initial=0.0))
    numbers = int(np.sum(np.abs(W) > 1e-12 * scale)) if scale > 0 else 0
    if numbers == 0:
        return None
    k = float(G @ W / (W @ W))
    if k == 0 or abs(k - 1) < 1e-3 or not close(G, k * W, max(rtol, 1e-6), atol_scale, atol):
        return None
    return "factor", k, numbers


def _permuted(g, w, tol) -> bool:
    """``g`` holds ``w``'s numbers with three or more axes in another order."""
    if g.ndim < 3 or g.ndim != w.ndim or sorted(g.shape) != sorted(w.shape) or g.ndim > 5:
        return False
    return any(g.transpose(order).shape == w.shape and close(g.transpose(order), w, *tol)
               for order in itertools.permutations(range(g.ndim)) if list(order) != sorted(order))


def _factor_label(k: float, spec: Spec, case: Case) -> str:
    """A factor by name where it has one (2, ½, −1, m, 1/m), else its value to three digits."""
    m = _examples(spec, case)
    named = {2.0: "2", 0.5: "½", -1.0: "-1"}
    if m and m > 2:
        named[float(m)], named[1.0 / m] = "m", "1/m"
    for value, label in named.items():
        if np.isclose(k, value, rtol=1e-3):
            return label
    return f"{k:.3g}"


def generic_relation(spec: Spec, evidence: list[Evidence]) -> str | None:
    """One generic diagnosis that every failing case fits alike (same kind, same factor), or None."""
    found = [_relation(e) for e in evidence]
    if any(r is None for r in found) or len({r[0] for r in found}) != 1:
        return None
    kind = found[0][0]
    if kind != "factor":
        return _hint(spec, kind)
    labels = {_factor_label(r[1], spec, e.case) for r, e in zip(found, evidence)}
    if len(labels) != 1 or sum(r[2] for r in found) < 2:
        return None
    label = labels.pop()
    if label == "-1":
        return _hint(spec, "sign")
    what = {"2": "factor of 2", "½": "factor of ½", "m": "division by the number of examples m",
            "1/m": "division by m (done twice?)"}.get(label, "factor")
    value = {"m": "m (the number of examples)", "1/m": "1/m"}.get(label, label)
    return _hint(spec, f"factor:{label}", factor=value, what=what)


def _other_size(e: Evidence) -> bool:
    """An array of the right number of dimensions whose sizes differ (what a size formula explains)."""
    try:
        pairs = [(np.shape(to_array(g)), np.shape(w)) for (_, g), (_, w) in zip(leaves(e.got), leaves(e.want))]
    except (TypeError, ValueError):
        return False
    return len(leaves(e.got)) == len(leaves(e.want)) and any(len(g) == len(w) and g != w for g, w in pairs)


def _warned(spec: Spec, evidence: list[Evidence]) -> list[str]:
    for e in evidence:
        if not e.warnings:
            continue
        try:
            finite = all(np.all(np.isfinite(to_array(g).astype(float))) for _, g in leaves(e.got))
        except (TypeError, ValueError):
            finite = True
        if not finite and any(word in w for w in e.warnings for word in ("overflow", "invalid", "divide")):
            return [_hint(spec, "nan", warning=e.warnings[0])]
        return [GENERIC_HINTS["warned"].format(warning=e.warnings[0])]
    return []
