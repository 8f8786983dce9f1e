"""Comparing an answer with the reference: structure (lists, tuples, dicts, shapes) first, then values within
the spec's tolerance, with the worst entry and its relative error named."""
from __future__ import annotations

from typing import Any

import numpy as np


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
