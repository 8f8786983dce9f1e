"""The gradient-descent update on the bootcamp's parameter lists: θ ← θ − lr · g for every weight and bias.

Every loop in nnlab steps with it (``one_step_gd``, ``minibatch_gd``, ``GD``, the JAX backend's ``gd_step``), as
``nnlab.SGD`` does for layers. It works on numpy and JAX arrays alike and never changes its arguments.
"""
from __future__ import annotations


def step_along(w, b, w_grads, b_grads, lr):
    """θ ← θ − lr · g for every weight and bias: new lists ``(new_w, new_b)`` shaped like ``w`` and ``b``.

    ``w[l]`` is ``(n_out, n_in)``, ``b[l]`` is ``(n_out, 1)``; ``w_grads`` and ``b_grads`` have the same shapes.
    """
    return [wl - lr * g for wl, g in zip(w, w_grads)], [bl - lr * g for bl, g in zip(b, b_grads)]
