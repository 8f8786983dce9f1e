"""Optimisers: plain SGD, momentum, RMSprop and Adam (deck 004's hyperparameters, deck 002's RMSprop).

Each optimiser is a small object holding only its hyperparameters. Its state (velocities, running averages,
the step count) is plain data made by ``init(params)``. Two ways to take a step:

- ``update(params, grads, state) -> (new_params, new_state)`` is pure: nothing passed in changes;
- ``step(params, grads, state)`` updates ``params`` and ``state`` in place — what ``Sequential.fit`` uses on
  the arrays the model owns, since a training step then allocates nothing.

``params`` and ``grads`` are lists of arrays of matching shapes. The update rules are PyTorch's, so
``torch.optim`` serves as a test oracle (Keras differs only in where RMSprop and Adam add eps). Momentum and
RMSprop take their steps with notebook 05's ``momentum_update`` and ``rmsprop_update``; Adam, which combines
the two with a correction for their zero start, has its own fused step.
"""
from __future__ import annotations

import copy

import numpy as np

from ..answers.nb05_classifier import momentum_update, rmsprop_update


class Optimizer:
    """Shared plumbing; subclasses define ``_slots`` (state arrays per parameter) and ``_apply``."""

    _slots: tuple[str, ...] = ()

    def init(self, params) -> dict:
        """Fresh state: zeros shaped like each parameter for every slot, and the step count t = 0."""
        return {"t": 0, **{s: [np.zeros_like(p) for p in params] for s in self._slots}}

    def step(self, params, grads, state) -> None:
        """One update, in place on ``params`` and ``state``."""
        if len(params) != len(grads):
            raise ValueError(f"{type(self).__name__}.step: {len(params)} parameters but {len(grads)} gradients")
        state["t"] += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            if p.shape != np.shape(g):
                raise ValueError(f"{type(self).__name__}.step: gradient {i} has shape {np.shape(g)}, "
                                 f"its parameter {p.shape}")
            self._apply(p, np.asarray(g, dtype=p.dtype), {s: state[s][i] for s in self._slots}, state["t"])

    def update(self, params, grads, state):
        """One update, pure: returns ``(new_params, new_state)``."""
        params, state = [np.array(p, copy=True) for p in params], copy.deepcopy(state)
        self.step(params, grads, state)
        return params, state

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """θ ← θ − lr·g."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def _apply(self, p, g, s, t):
        p -= self.lr * g


class Momentum(Optimizer):
    """v ← β·v + g; θ ← θ − lr·v (a heavy ball that keeps rolling through flat stretches and ravines)."""

    _slots = ("velocity",)

    def __init__(self, lr=0.01, beta=0.9):
        self.lr, self.beta = lr, beta

    def _apply(self, p, g, s, t):
        p[...], s["velocity"][...] = momentum_update(p, g, s["velocity"], self.lr, self.beta)


class RMSprop(Optimizer):
    """s ← ρ·s + (1 − ρ)·g²; θ ← θ − lr·g / (√s + eps): each weight gets its own step size (PyTorch's form;
    tf.keras and Keras 3 divide by √(s + eps), which differs where s is not much larger than eps)."""

    _slots = ("square_avg",)

    def __init__(self, lr=0.001, rho=0.9, eps=1e-7):
        self.lr, self.rho, self.eps = lr, rho, eps

    def _apply(self, p, g, s, t):
        p[...], s["square_avg"][...] = rmsprop_update(p, g, s["square_avg"], self.lr, self.rho, self.eps)


class Adam(Optimizer):
    """Momentum and RMSprop together, with bias correction for the zero start:

    m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + eps).
    """

    _slots = ("m", "v")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps

    def _apply(self, p, g, s, t):
        m, v = s["m"], s["v"]
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        denom = np.sqrt(v / (1 - self.beta2 ** t))
        denom += self.eps
        p -= (self.lr / (1 - self.beta1 ** t)) * m / denom


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSprop, "adam": Adam}


def get_optimizer(opt) -> Optimizer:
    """An optimiser instance from an instance or a name (``"adam"`` → ``Adam()`` with its defaults)."""
    return optimizer_from(opt, Optimizer, OPTIMIZERS, "an Optimizer instance")


def optimizer_from(opt, base: type, by_name: dict, instance: str):
    """``opt`` if it is a ``base`` instance, else ``by_name[opt.lower()]()``; a ValueError naming the choices
    (``instance`` says what instance would do) otherwise. Both backends' ``get_optimizer``."""
    if isinstance(opt, base):
        return opt
    if isinstance(opt, str) and opt.lower() in by_name:
        return by_name[opt.lower()]()
    raise ValueError(f"unknown optimizer {opt!r}; use one of {sorted(by_name)} or {instance}")
