"""Comparing an answer with the reference: structure (lists, tuples, dicts, shapes) first, then values within
the spec's tolerance (widened to float32's precision for a float32 answer where the challenge allows it), with
the worst entry named and its error given relative to the expected value, or absolute where that is 0."""
from __future__ import annotations

from typing import Any

import numpy as np


def is_sequence(x) -> bool:
    return isinstance(x, (list, tuple))


def leaves(x, path="") -> list[tuple[str, Any]]:
    """Flatten nested lists/tuples/dicts into (path, leaf) pairs, e.g. ``[("[0][1]", array), ("[3]['Wf']", …)]``
    (a dict's entries in its own key order)."""
    if is_sequence(x):
        return [item for i, v in enumerate(x) for item in leaves(v, f"{path}[{i}]")]
    if isinstance(x, dict):
        return [item for k, v in x.items() for item in leaves(v, f"{path}[{k!r}]")]
    return [(path, x)]


def shape_of(x):
    """Shapes of a nested structure, for messages: ``[(3, 2), (1, 3)]``."""
    if is_sequence(x):
        return [shape_of(v) for v in x]
    if isinstance(x, dict):
        return {k: shape_of(v) for k, v in x.items()}
    return np.shape(x)


def to_array(x):
    """Accept numpy arrays, numpy/Python scalars and array-likes (JAX arrays) alike."""
    arr = np.asarray(x)
    if arr.dtype == object:
        raise TypeError(f"expected numbers, got {type(x).__name__}")
    return arr


def item_name(where: str, i: int, count: int) -> str:
    """How messages name item ``i`` of an output: by its own name where the output is named as a tuple of
    ``count`` names (item 1 of ``"(dx, dw, db)"`` is ``dw``), else by its index (``"w[1]"``)."""
    if where.startswith("(") and where.endswith(")"):
        names = [n.strip() for n in where[1:-1].split(",")]
        if len(names) == count and all(n.isidentifier() for n in names):
            return names[i]
    return f"{where}[{i}]"


def leaf_name(where: str, path: str, count: int) -> str:
    """A leaf's name in messages: ``where`` and the leaf's ``path``, its first index read by ``item_name``."""
    head, bracket, rest = path[1:].partition("]")
    if path.startswith("[") and bracket and head.isdigit():
        return item_name(where, int(head), count) + rest
    return where + path


def structure_problems(got, want, where: str) -> list[str]:
    """Problems with the *structure* of ``got`` (lengths, shapes, types); empty when it matches ``want``."""
    if is_sequence(want):
        if not is_sequence(got):
            return [f"{where} should be a {type(want).__name__} of {len(want)} items, got {type(got).__name__}"]
        if len(got) != len(want):
            return [f"{where} should have {len(want)} items, got {len(got)}"]
        return [p for i, (g, w) in enumerate(zip(got, want))
                for p in structure_problems(g, w, item_name(where, i, len(want)))]
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where} should be a dict keyed {', '.join(want)}, got {type(got).__name__}"]
        missing, extra = [k for k in want if k not in got], [k for k in got if k not in want]
        if missing or extra:
            return [f"{where} should have the keys {', '.join(map(str, want))}"
                    + (f"; missing {', '.join(map(str, missing))}" if missing else "")
                    + (f"; unexpected {', '.join(map(str, extra))}" if extra else "")]
        return [p for k, w in want.items() for p in structure_problems(got[k], w, f"{where}[{k!r}]")]
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
        return [f"{where} has shape {g.shape} but {np.shape(want)} was expected{_shape_hint(g.shape, np.shape(want))}"]
    return []


def _shape_hint(got: tuple, want: tuple) -> str:
    """Words for the two shape slips that look alike: a column ``(m, 1)`` for a 1-D ``(m,)`` and back."""
    if len(want) == 1 and got == (want[0], 1):
        return " — a column where one number per entry belongs: return a 1-D array (sum over an axis, or .ravel())"
    if len(got) == 1 and want == (got[0], 1):
        return " — a 1-D array where a column belongs: keep the second axis (keepdims=True, or .reshape(-1, 1))"
    if len(want) == 1 and len(got) == 2 and got == (want[0], want[0]):
        return (" — an (m, m) table often comes from broadcasting an (m,) array against an (m, 1) column; make "
                "both operands the same shape before subtracting")
    return ""


def magnitude(want) -> float:
    """Largest absolute entry over every leaf of a structure: the scale that ``atol_scale`` multiplies."""
    sizes = [np.max(np.abs(to_array(w).astype(float))) for _, w in leaves(want) if np.size(w)]
    finite = [s for s in sizes if np.isfinite(s)]
    return float(max(finite, default=0.0))


def conform(got, want):
    """``got`` with the nesting of ``want``: where ``want`` holds an array, ``got``'s list becomes an array."""
    if is_sequence(want):
        return [conform(g, w) for g, w in zip(got, want)]
    if isinstance(want, dict):
        return {k: conform(got[k], w) for k, w in want.items()}       # in want's key order, like its leaves
    return to_array(got)


#: the tolerance a float32 answer gets where a challenge allows float32: float32 keeps about 7 significant
#: digits (machine epsilon 1.2e-7), and a few dozen rounded operations lose one or two more
FLOAT32_RTOL, FLOAT32_ATOL_SCALE = 2e-5, 2e-6


def low_precision(got) -> bool:
    """Whether any leaf of ``got`` is a float32 (or float16) array or scalar."""
    for _, leaf in leaves(got):
        dtype = getattr(leaf, "dtype", None)
        if dtype is not None and np.dtype(dtype).kind == "f" and np.dtype(dtype).itemsize < 8:
            return True
    return False


def tolerance(spec, got) -> tuple[float, float, float]:
    """``(rtol, atol_scale, atol)`` for this answer: the spec's, widened for float32 where the spec allows it."""
    if spec.float64 is None and low_precision(got):
        return max(spec.rtol, FLOAT32_RTOL), max(spec.atol_scale, FLOAT32_ATOL_SCALE), spec.atol
    return spec.rtol, spec.atol_scale, spec.atol


def close(got, want, rtol, atol_scale, atol_floor=0.0, equal_nan=False) -> bool:
    """Every leaf of ``got`` within tolerance of ``want`` (structures must already match)."""
    atol = atol_scale * magnitude(want) + atol_floor
    for (_, g), (_, w) in zip(leaves(got), leaves(want)):
        g, w = to_array(g).astype(float), to_array(w).astype(float)
        if not np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=equal_nan):
            return False
    return True


def value_problem(got, want, where, tol, hidden, shown=None) -> str | None:
    """Describe the mismatch between two same-structure outputs, or None when they agree.

    The first wrong leaf is described in full (its worst entry); the other wrong leaves are then named, so that
    a student whose backward pass returns five arrays learns which of them are off, not only the first.
    ``tol`` is ``(rtol, atol_scale, atol)``. ``shown``: the same two outputs in the form the student wrote them
    (e.g. new weights where ``got`` holds the gradient a step implies); the message then quotes those values.
    """
    rtol, atol_scale, atol_floor = tol
    atol = atol_scale * magnitude(want) + atol_floor
    shown_leaves = None if shown is None else (leaves(shown[0]), leaves(shown[1]))
    first, others = None, []
    count = len(want) if is_sequence(want) else 0
    for i, ((path, g), (_, w)) in enumerate(zip(leaves(got), leaves(want))):
        name = leaf_name(where, path, count)
        issue = _leaf_problem(to_array(g).astype(float), to_array(w).astype(float), name, rtol, atol, hidden,
                              None if shown_leaves is None else (shown_leaves[0][i][1], shown_leaves[1][i][1]))
        if issue is None:
            continue
        if first is None:
            first = issue
        else:
            others.append(name)
    if first is None:
        return None
    if others:
        return f"{first}; also wrong: {', '.join(others)}"
    return first


def _leaf_problem(g, w, name, rtol, atol, hidden, shown) -> str | None:
    """The worst mismatch of one output array ``g`` against ``w``, in words, or None when it is within tolerance."""
    if not np.all(np.isfinite(g)) and np.all(np.isfinite(w)):
        bad = "NaN" if np.any(np.isnan(g)) else "inf"
        return f"{name} contains {bad} where finite values were expected"
    err = np.abs(g - w) - (atol + rtol * np.abs(w))
    if not np.any(err > 0):
        return None
    idx = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    at = f" at index {tuple(int(i) for i in idx)}" if idx else ""
    diff = float(np.abs(g[idx] - w[idx]))
    if abs(float(w[idx])) <= atol:          # an expected 0, or below the tolerance's absolute part
        error = f"absolute error {diff:.1e}"
    else:
        error = f"relative error {diff / abs(float(w[idx])):.1e}, tolerance {rtol:.0e}"
    if hidden:
        return f"{name} has wrong values{at} ({error})"
    if shown is not None:
        sg, sw = to_array(shown[0]).astype(float), to_array(shown[1]).astype(float)
        return f"{name} has wrong values{at}: got {sg[idx]:.10g}, expected {sw[idx]:.10g}"
    return f"{name} has wrong values{at}: got {g[idx]:.10g}, expected {w[idx]:.10g} ({error})"
