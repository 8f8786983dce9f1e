"""Input checking for ``nnlab.jax``: the numpy backend's checks and messages (``nnlab._validate``) with JAX
arrays — they look at shapes only, so nothing is copied off the device.

Float arrays keep their dtype; integer and boolean inputs become JAX's default float (float32, or float64
when ``jax_enable_x64`` is on).
"""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .. import _validate


def as_float(x, func: str, name: str):
    """``x`` as a float JAX array."""
    try:
        arr = jnp.asarray(x)
    except TypeError:
        raise ValueError(f"{func}: {name} must be numeric, got {np.asarray(x).dtype} values") from None
    if not jnp.issubdtype(arr.dtype, jnp.floating):
        if not (jnp.issubdtype(arr.dtype, jnp.integer) or arr.dtype == bool):
            raise ValueError(f"{func}: {name} must be numeric, got dtype {arr.dtype}")
        arr = arr.astype(jnp.result_type(float))
    return arr


def as_matrix(x, func: str, name: str, hint: str):
    return _validate.as_matrix(x, func, name, hint, as_float)


def check_params(w, b, func: str):
    """The bootcamp's parameter lists, checked as in numpy: ``w[l]`` (n_out, n_in), ``b[l]`` (n_out, 1)."""
    return _validate.check_params(w, b, func, as_float)


def check_rows(X, y, w, func: str):
    """A data set as rows for the network ``w``: ``X (m, n_in)``, ``y (m, n_out)``."""
    return _validate.check_rows(X, y, w, func, as_float)


def to_jax(tree):
    """Every numpy array in a list / tuple / dict as a JAX array (numpy float64 stays float64 only under x64)."""
    if isinstance(tree, dict):
        return {k: to_jax(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(to_jax(v) for v in tree)
    return jnp.asarray(tree)
