"""Diagnosing a wrong answer: the spec's named mistakes (an answer equal to a mistake's output names it), then
generic hints given only on evidence (a transposed, negated or swapped result)."""
from __future__ import annotations

import numpy as np

from .comparing import close, is_sequence, leaves, spec_close, structure_problems, to_array
from .spec import NO_OUTPUT, Case, Spec, unique


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
    return unique(found)


def mistake_diagnosis(got, case: Case, spec: Spec) -> list[str]:
    """Messages of every typical mistake whose implementation reproduces the student's output."""
    found = []
    for mistake in spec.mistakes:
        wrong = spec.mistake_output(mistake, case)
        if wrong is NO_OUTPUT:
            continue
        if not structure_problems(got, wrong, "") and close(got, wrong, 1e-9, 1e-12):
            found.append(mistake.message)
    return found
