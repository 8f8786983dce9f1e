"""The JAX backend for the checks both backends share (``nnlab.backend``): they look at shapes only, so nothing
is copied off the device, and they skip the value checks on arrays traced by ``jit``.

Float arrays keep their dtype; integer and boolean inputs become JAX's default float (float32, or float64
when ``jax_enable_x64`` is on).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ..backend import Backend


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


JAX = Backend("jax", as_float, jnp.asarray, jnp.concatenate, lambda x: isinstance(x, jax.core.Tracer))


def to_jax(tree):
    """Every numpy array in a list / tuple / dict as a JAX array (numpy float64 stays float64 only under x64)."""
    if isinstance(tree, dict):
        return {k: to_jax(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(to_jax(v) for v in tree)
    return jnp.asarray(tree)
