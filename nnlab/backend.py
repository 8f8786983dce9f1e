"""The array backend, and the input checks both backends share.

A ``Backend`` names the few array operations that differ between numpy and JAX: how an input becomes a float
array, how arrays are joined, and whether a value is a traced placeholder (JAX under ``jit``) whose contents
cannot be looked at. ``NUMPY`` is this package's; ``nnlab.jax.backend.JAX`` is the other. The checks below
take a backend, so one set of rules and one set of messages serves both.

Each check returns clean arrays or raises a ValueError whose text says which function complained, what it
expected and what it got. Float arrays keep their dtype; integer and boolean arrays become float64 (JAX:
its default float).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def as_float_array(x, func: str, name: str) -> np.ndarray:
    """Return ``x`` as a float ndarray (integers → float64, floats keep their dtype)."""
    arr = np.asarray(x)
    if arr.dtype == object:
        raise ValueError(f"{func}: {name} must be numeric, got an array of Python objects")
    if not np.issubdtype(arr.dtype, np.floating):
        if not (np.issubdtype(arr.dtype, np.integer) or arr.dtype == bool):
            raise ValueError(f"{func}: {name} must be numeric, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    return arr


@dataclass(frozen=True)
class Backend:
    """The array operations the shared checks and helpers need from a backend."""
    name: str
    as_float: Callable            # as_float(x, func, name) → a float array of this backend
    asarray: Callable             # asarray(x) → an array of this backend, dtype kept
    concatenate: Callable         # concatenate(list_of_arrays, axis=0)
    is_traced: Callable = lambda x: False     # True for a value whose contents are unknown (inside jax.jit)


NUMPY = Backend("numpy", as_float_array, np.asarray, np.concatenate)


def scalar_or_array(out: np.ndarray, like):
    """A numpy scalar for scalar input, the array otherwise (the elementwise functions' return rule)."""
    return out[()] if np.ndim(like) == 0 else out


def as_matrix(x, func: str, name: str, hint: str, backend: Backend = NUMPY):
    """A 2-D float array; ``hint`` names the expected layout, e.g. ``"(n_in, m) — one column per example"``."""
    arr = backend.as_float(x, func, name)
    if arr.ndim != 2:
        raise ValueError(f"{func}: {name} must be 2-D {hint}, got shape {arr.shape}"
                         + ("; use .reshape(-1, 1) for a single column" if arr.ndim == 1 else ""))
    return arr


def check_params(w, b, func: str, backend: Backend = NUMPY):
    """Validate the bootcamp's parameter lists: ``w[l]`` (n_out, n_in), ``b[l]`` (n_out, 1), layers chained."""
    if not isinstance(w, (list, tuple)) or not isinstance(b, (list, tuple)):
        raise ValueError(f"{func}: w and b must be lists of arrays (one per layer), "
                         f"got {type(w).__name__} and {type(b).__name__}")
    if len(w) != len(b) or len(w) == 0:
        raise ValueError(f"{func}: w and b must have the same, non-zero number of layers, got {len(w)} and {len(b)}")
    ws = [as_matrix(wl, func, f"w[{l}]", "(n_out, n_in)", backend) for l, wl in enumerate(w)]
    bs = [as_matrix(bl, func, f"b[{l}]", "(n_out, 1)", backend) for l, bl in enumerate(b)]
    for l, (wl, bl) in enumerate(zip(ws, bs)):
        if bl.shape != (wl.shape[0], 1):
            raise ValueError(f"{func}: b[{l}] has shape {bl.shape} but w[{l}] has {wl.shape[0]} output units, "
                             f"so b[{l}] must be ({wl.shape[0]}, 1)")
        if l > 0 and wl.shape[1] != ws[l - 1].shape[0]:
            raise ValueError(f"{func}: w[{l}] has shape {wl.shape} but the layer below has "
                             f"{ws[l - 1].shape[0]} units, so w[{l}] must have {ws[l - 1].shape[0]} columns")
    return ws, bs


def check_rows(X, y, w, func: str, backend: Backend = NUMPY):
    """Validate a data set given as rows: ``X`` (m, n_in) and ``y`` (m, n_out) for the network ``w``."""
    X = as_matrix(X, func, "X", "(m, n_in) — one row per example", backend)
    y = backend.as_float(y, func, "y")
    n_out = np.shape(w[-1])[0] if len(w) else None
    if y.ndim != 2:
        raise ValueError(f"{func}: y must be 2-D (m, n_out) = ({X.shape[0]}, {n_out}), got shape {y.shape}"
                         + ("; a 1-D y would broadcast silently — use y.reshape(-1, 1)" if y.ndim == 1 else ""))
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{func}: X has {X.shape[0]} rows but y has {y.shape[0]}; both need one row per example")
    if X.shape[1] != np.shape(w[0])[1]:
        raise ValueError(f"{func}: X has {X.shape[1]} features per row but w[0] has shape {np.shape(w[0])}, "
                         f"which expects {np.shape(w[0])[1]}")
    if y.shape[1] != n_out:
        raise ValueError(f"{func}: y has shape {y.shape} but the network has {n_out} outputs, "
                         f"so y must be ({X.shape[0]}, {n_out})")
    return X, y


def check_gradient_inputs(X, y, w, b, eps, func: str, backend: Backend = NUMPY):
    """A finite-difference gradient's arguments: ``(X, y, w, b)`` checked as rows and parameter lists, and
    ``eps`` a positive number."""
    w, b = check_params(w, b, func, backend)
    X, y = check_rows(X, y, w, func, backend)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"{func}: eps must be a positive number, got {eps}")
    return X, y, w, b


def check_scores(x, func: str, backend: Backend = NUMPY):
    """A loss's scores ``x`` as a 2-D float array ``(k, m)``: one column of scores per example."""
    x = backend.as_float(x, func, "x")
    if x.ndim != 2:
        raise ValueError(f"{func}: x must be 2-D (k, m) — one column of scores per example, got shape {x.shape}")
    return x


def check_targets(c, x, func: str, signs: bool = False, backend: Backend = NUMPY):
    """A loss's targets for scores ``x (k, m)``: classes 0…k−1 ``(m,)``, or with ``signs`` labels ±1 ``(m,)``
    for one score per example, returned as a ``(1, m)`` float row. Values are checked only where they can
    be seen (not on traced JAX arrays)."""
    c, m = backend.asarray(c), x.shape[1]
    if c.shape != (m,):
        raise ValueError(f"{func}: the targets must be 1-D with one entry per example, shape ({m},), "
                         f"got shape {c.shape}")
    visible = not backend.is_traced(c)
    if signs:
        if x.shape[0] != 1:
            raise ValueError(f"{func}: x must be (1, m) — one score per example — got shape {x.shape}")
        if visible and not np.all(np.isin(np.asarray(c), (-1, 1))):
            raise ValueError(f"{func}: the targets must be −1 or +1")
        return c.astype(x.dtype)[None, :]
    integer = np.issubdtype(c.dtype, np.integer)
    if not integer or visible and c.size and (int(c.min()) < 0 or int(c.max()) >= x.shape[0]):
        raise ValueError(f"{func}: the targets must be integer classes 0…{x.shape[0] - 1}")
    return c
