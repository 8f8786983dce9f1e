"""Optimisers in JAX: SGD, momentum, RMSprop and Adam as pure updates on pytrees of parameters.

The same classes, hyperparameters and update rules as nnlab.network.optimizers (momentum and RMSprop step with
notebook 05's ``momentum_update`` and ``rmsprop_update``). ``init(params)`` makes the state
(slots shaped like the parameters and the step count ``t``); ``update(params, grads, state)`` returns
``(new_params, new_state)`` and can run inside ``jit``. There is no in-place ``step``: JAX arrays never change.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ...network.optimizers import optimizer_from
from ..answers.nb05_classifier import momentum_update, rmsprop_update


class Optimizer:
    _slots: tuple[str, ...] = ()

    def init(self, params) -> dict:
        """Fresh state: zeros like ``params`` for every slot, and t = 0."""
        return {"t": jnp.zeros((), jnp.int32), **{s: jax.tree.map(jnp.zeros_like, params) for s in self._slots}}

    def update(self, params, grads, state):
        """One step, pure: ``(new_params, new_state)``; ``params`` and ``grads`` are pytrees of one structure."""
        if len(jax.tree.leaves(params)) != len(jax.tree.leaves(grads)):
            raise ValueError(f"{type(self).__name__}.update: {len(jax.tree.leaves(params))} parameters but "
                             f"{len(jax.tree.leaves(grads))} gradients")
        t = state["t"] + 1
        leaves, treedef = jax.tree.flatten(params)
        g_leaves = treedef.flatten_up_to(grads)
        slot_leaves = {s: treedef.flatten_up_to(state[s]) for s in self._slots}
        new_p, new_slots = [], {s: [] for s in self._slots}
        for k, (p, g) in enumerate(zip(leaves, g_leaves)):
            if jnp.shape(p) != jnp.shape(g):
                raise ValueError(f"{type(self).__name__}.update: gradient {k} has shape {jnp.shape(g)}, "
                                 f"its parameter {jnp.shape(p)}")
            p2, slots = self._apply(p, jnp.asarray(g, p.dtype), {s: slot_leaves[s][k] for s in self._slots}, t)
            new_p.append(p2)
            for s in self._slots:
                new_slots[s].append(slots[s])
        new_state = {"t": t, **{s: treedef.unflatten(v) for s, v in new_slots.items()}}
        return treedef.unflatten(new_p), new_state

    def __repr__(self):
        return f"{type(self).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in vars(self).items()) + ")"


class SGD(Optimizer):
    """θ ← θ − lr·g."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def _apply(self, p, g, s, t):
        return p - self.lr * g, {}


class Momentum(Optimizer):
    """v ← β·v + g; θ ← θ − lr·v."""

    _slots = ("velocity",)

    def __init__(self, lr=0.01, beta=0.9):
        self.lr, self.beta = lr, beta

    def _apply(self, p, g, s, t):
        p, v = momentum_update(p, g, s["velocity"], self.lr, self.beta)
        return p, {"velocity": v}


class RMSprop(Optimizer):
    """s ← ρ·s + (1 − ρ)·g²; θ ← θ − lr·g / (√s + eps)."""

    _slots = ("square_avg",)

    def __init__(self, lr=0.001, rho=0.9, eps=1e-7):
        self.lr, self.rho, self.eps = lr, rho, eps

    def _apply(self, p, g, s, t):
        p, sq = rmsprop_update(p, g, s["square_avg"], self.lr, self.rho, self.eps)
        return p, {"square_avg": sq}


class Adam(Optimizer):
    """m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − lr·m̂ / (√v̂ + eps) with bias-corrected m̂, v̂."""

    _slots = ("m", "v")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps

    def _apply(self, p, g, s, t):
        m = self.beta1 * s["m"] + (1 - self.beta1) * g
        v = self.beta2 * s["v"] + (1 - self.beta2) * g * g
        tf = t.astype(p.dtype)
        m_hat = m / (1 - self.beta1 ** tf)
        v_hat = v / (1 - self.beta2 ** tf)
        return p - self.lr * m_hat / (jnp.sqrt(v_hat) + self.eps), {"m": m, "v": v}


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSprop, "adam": Adam}


def get_optimizer(opt) -> Optimizer:
    """An optimiser from an instance or a name (``"sgd"``, ``"momentum"``, ``"rmsprop"``, ``"adam"``)."""
    return optimizer_from(opt, Optimizer, OPTIMIZERS, "an nnlab.jax optimiser instance")
