"""Input checking shared by every nnlab function.

Each helper either returns a clean array or raises a ValueError whose text says which function complained,
what it expected and what it got. Float arrays keep their dtype; integer and boolean arrays become float64.
"""
from __future__ import annotations

import numpy as np


def as_float_array(x, func: str, name: str) -> np.ndarray:
    """Return ``x`` as a float ndarray (integers → float64, floats keep their dtype); never a view to mutate."""
    arr = np.asarray(x)
    if arr.dtype == object:
        raise ValueError(f"{func}: {name} must be numeric, got an array of Python objects")
    if not np.issubdtype(arr.dtype, np.floating):
        if not (np.issubdtype(arr.dtype, np.integer) or arr.dtype == bool):
            raise ValueError(f"{func}: {name} must be numeric, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    return arr


def as_matrix(x, func: str, name: str, hint: str, as_float=as_float_array) -> np.ndarray:
    """A 2-D float array; ``hint`` names the expected layout, e.g. ``"(n_in, m) — one column per example"``.

    ``as_float`` makes the float array (``nnlab.jax`` passes its own, so both backends share these checks)."""
    arr = as_float(x, func, name)
    if arr.ndim != 2:
        raise ValueError(f"{func}: {name} must be 2-D {hint}, got shape {arr.shape}"
                         + ("; use .reshape(-1, 1) for a single column" if arr.ndim == 1 else ""))
    return arr


def check_params(w, b, func: str, as_float=as_float_array) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Validate the bootcamp's parameter lists: ``w[l]`` (n_out, n_in), ``b[l]`` (n_out, 1), layers chained."""
    if not isinstance(w, (list, tuple)) or not isinstance(b, (list, tuple)):
        raise ValueError(f"{func}: w and b must be lists of arrays (one per layer), "
                         f"got {type(w).__name__} and {type(b).__name__}")
    if len(w) != len(b) or len(w) == 0:
        raise ValueError(f"{func}: w and b must have the same, non-zero number of layers, got {len(w)} and {len(b)}")
    ws = [as_matrix(wl, func, f"w[{l}]", "(n_out, n_in)", as_float) for l, wl in enumerate(w)]
    bs = [as_matrix(bl, func, f"b[{l}]", "(n_out, 1)", as_float) for l, bl in enumerate(b)]
    for l, (wl, bl) in enumerate(zip(ws, bs)):
        if bl.shape != (wl.shape[0], 1):
            raise ValueError(f"{func}: b[{l}] has shape {bl.shape} but w[{l}] has {wl.shape[0]} output units, "
                             f"so b[{l}] must be ({wl.shape[0]}, 1)")
        if l > 0 and wl.shape[1] != ws[l - 1].shape[0]:
            raise ValueError(f"{func}: w[{l}] has shape {wl.shape} but the layer below has "
                             f"{ws[l - 1].shape[0]} units, so w[{l}] must have {ws[l - 1].shape[0]} columns")
    return ws, bs


def check_rows(X, y, w, func: str, as_float=as_float_array) -> tuple[np.ndarray, np.ndarray]:
    """Validate a data set given as rows: ``X`` (m, n_in) and ``y`` (m, n_out) for the network ``w``."""
    X = as_matrix(X, func, "X", "(m, n_in) — one row per example", as_float)
    y = as_float(y, func, "y")
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
