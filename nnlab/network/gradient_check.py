"""Gradient checking: the relative error between two gradients — how notebooks and tests confirm a
hand-written backward pass against central differences (``nnlab.central_difference_gradient``, which lives
with notebook 03's answers, since it is a gradient estimate too)."""
from __future__ import annotations

import numpy as np


def relative_error(a, b, floor=1e-12) -> float:
    """max |a − b| / max(|a|, |b|, floor) over every entry of two arrays or two lists of arrays."""
    if isinstance(a, (list, tuple)):
        return max((relative_error(x, y, floor) for x, y in zip(a, b)), default=0.0)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denom = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    return float(np.max(np.abs(a - b) / denom)) if a.size else 0.0
