"""Inverted dropout (deck 004), forward and backward; randomness only through an explicit ``rng``."""
from __future__ import annotations

import numpy as np

from ..backend import as_float_array


def dropout_forward(x, rate: float, rng, training: bool = True):
    """Inverted dropout: zero each entry with probability ``rate`` and scale the rest by 1 / (1 − rate).

    Scaling at training time keeps every unit's expected value, so nothing changes at test time
    (``training=False`` returns ``x`` unchanged). ``x`` any shape; ``rng`` a numpy Generator. Returns
    ``(out, mask)``, both shaped like ``x``, with ``mask`` the scale applied to each entry (0 or
    1 / (1 − rate)), which ``dropout_backward`` needs; ``mask`` is None when nothing was dropped.
    """
    x = as_float_array(x, "dropout_forward", "x")
    if not 0 <= rate < 1:
        raise ValueError(f"dropout_forward: rate must be in [0, 1), got {rate}")
    if not training or rate == 0:
        return x.copy(), None
    keep = rng.random(x.shape, dtype=np.float32 if x.dtype == np.float32 else np.float64) >= rate
    mask = keep.astype(x.dtype) * x.dtype.type(1 / (1 - rate))
    return x * mask, mask


def dropout_backward(dout, mask):
    """The gradient flows only through the kept entries, scaled like them: ``dout * mask`` (``x``'s shape)."""
    return dout.copy() if mask is None else dout * mask
