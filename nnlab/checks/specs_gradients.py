"""Specs for Challenges 4–5 and backpropagation: gradient_estimator, one_step_gd, sigmoid_prime, backprop.

A student's gradient *estimate* is compared with the exact gradient (backprop), not with deck 001's forward
difference, so any estimate accurate to about 1e-3 passes; central differences pass with a note.
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..gradients import backprop, central_difference_gradient, gradient_estimator, relative_error
from ..params import nn_parameter_maker
from .cases import deck_network, random_network, random_rows
from .core import Case, Mistake, Spec

#: forward differences at eps = 1e-4 stay within 1.8e-5 of the exact gradient beyond rtol on 3,000 random
#: cases; an absolute floor of eps itself leaves a 5× margin and still fails every mistake variant below
GRAD_RTOL, GRAD_ATOL_SCALE, GRAD_ATOL = 1e-3, 1e-3, 1e-4


def _grad_cases():
    X, y, w, b = deck_network()
    w4, b4 = nn_parameter_maker([3, 4, 2], seed=8)
    rng = np.random.default_rng(9)
    return [Case("deck 001 network [2, 3, 1] on XOR: 13 parameters", (X, y, w, b)),
            Case("[3, 4, 2] network, 5 examples", (rng.uniform(-2, 2, (5, 3)), rng.uniform(0, 1, (5, 2)), w4, b4))]


def _grad_random(rng):
    w, b = random_network(rng, sizes=None)
    X, y = random_rows(rng, w, m=int(rng.integers(2, 7)))
    return Case("random", (X, y, w, b))


def _scaled(grads, factor):
    return [g * factor for g in grads[0]], [g * factor for g in grads[1]]


def _not_restored(X, y, w, b, eps=1e-4):
    """Forward differences that never put the nudged parameter back."""
    from ..network import cost_function
    w, b = [x.astype(float) for x in w], [x.astype(float) for x in b]
    base = cost_function(X, y, w, b)
    out = []
    for params in (w, b):
        grads = []
        for p in params:
            g = np.empty_like(p)
            for idx in np.ndindex(p.shape):
                p[idx] += eps
                g[idx] = (cost_function(X, y, w, b) - base) / eps
            grads.append(g)
        out.append(grads)
    return out[0], out[1]


def _central_note(got, case):
    try:
        err = relative_error(list(got[0]) + list(got[1]), sum(map(list, backprop(*case.args)), []))
    except Exception:
        return None
    if err < 1e-6:
        return ("your estimate agrees with the exact gradient to about 1e-7 — more accurate than deck 001's "
                "forward difference (central differences?). Full marks.")
    return None


GRADIENT_ESTIMATOR = Spec(
    name="gradient_estimator",
    signature="gradient_estimator(X, y, w, b, eps=1e-4)",
    reference=lambda X, y, w, b, eps=1e-4: backprop(X, y, w, b),
    visible=_grad_cases,
    random_case=_grad_random,
    output="(w_pds, b_pds)",
    rtol=GRAD_RTOL,
    atol_scale=GRAD_ATOL_SCALE,
    atol=GRAD_ATOL,
    notes=_central_note,
    mistakes=(Mistake("no-divide", "you did not divide the change in cost by eps: ∂C/∂θ ≈ (C(θ + eps) − C(θ)) / eps.",
                      lambda X, y, w, b, eps=1e-4: _scaled(gradient_estimator(X, y, w, b, eps), eps)),
              Mistake("divide-twice", "you divided by eps twice: ∂C/∂θ ≈ (C(θ + eps) − C(θ)) / eps.",
                      lambda X, y, w, b, eps=1e-4: _scaled(gradient_estimator(X, y, w, b, eps), 1 / eps)),
              Mistake("two-eps", "a forward difference divides by eps, not 2·eps (2·eps belongs to central "
                      "differences, which also subtract C(θ − eps)).",
                      lambda X, y, w, b, eps=1e-4: _scaled(gradient_estimator(X, y, w, b, eps), 0.5)),
              Mistake("not-restored", "after nudging a parameter, put it back before nudging the next one: "
                      "your estimates include earlier nudges.", _not_restored),
              Mistake("big-eps", "your estimate matches forward differences with eps = 1e-2: use the eps "
                      "argument (1e-4 by default) so the estimate is accurate.",
                      lambda X, y, w, b, eps=1e-4: gradient_estimator(X, y, w, b, 1e-2)),
              Mistake("huge-eps", "your estimate matches forward differences with eps = 1e-1: use the eps "
                      "argument (1e-4 by default) so the estimate is accurate.",
                      lambda X, y, w, b, eps=1e-4: gradient_estimator(X, y, w, b, 1e-1))),
    hints={"swapped": "return (w_pds, b_pds): weights first, as deck 001 does.",
           "sign": "∂C/∂θ ≈ (C(θ + eps) − C(θ)) / eps: the nudged cost comes first."},
)

# ------------------------------------------------------------------------------------------ one_step_gd


def _gd_cases():
    return [Case(c.label + ", lr = 0.5", c.args + (0.5,)) for c in _grad_cases()]


def _gd_random(rng):
    c = _grad_random(rng)
    return Case("random", c.args + (float(rng.choice([0.01, 0.1, 1.0, 3.0])),))


def _implied_gradient(out, case):
    """Turn ``(new_w, new_b)`` into the gradient the step used: (θ − θ_new) / lr."""
    _, _, w, b, lr = case.args
    try:
        new_w, new_b = out
        if len(new_w) != len(w) or len(new_b) != len(b):
            return out
        return ([(np.asarray(a, float) - np.asarray(n, float)) / lr for a, n in zip(w, new_w)],
                [(np.asarray(a, float) - np.asarray(n, float)) / lr for a, n in zip(b, new_b)])
    except (TypeError, ValueError):
        return out


def _gd_step(X, y, w, b, lr, direction=-1.0, use_lr=True):
    w_pds, b_pds = gradient_estimator(X, y, w, b)
    k = lr if use_lr else 1.0
    return ([p + direction * k * g for p, g in zip(w, w_pds)], [p + direction * k * g for p, g in zip(b, b_pds)])


ONE_STEP_GD = Spec(
    name="one_step_gd",
    signature="one_step_gd(X, y, w, b, lr)",
    reference=lambda X, y, w, b, lr: ([p - lr * g for p, g in zip(w, backprop(X, y, w, b)[0])],
                                      [p - lr * g for p, g in zip(b, backprop(X, y, w, b)[1])]),
    visible=_gd_cases,
    random_case=_gd_random,
    output="(new_w, new_b) as a step",
    rtol=GRAD_RTOL,
    atol_scale=GRAD_ATOL_SCALE,
    atol=GRAD_ATOL,
    transform=_implied_gradient,
    mistakes=(Mistake("uphill", "you stepped uphill: gradient descent subtracts, θ ← θ − lr·∂C/∂θ.",
                      lambda X, y, w, b, lr: _gd_step(X, y, w, b, lr, direction=+1.0)),
              Mistake("no-lr", "you subtracted the gradient without multiplying by the learning rate lr.",
                      lambda X, y, w, b, lr: _gd_step(X, y, w, b, lr, use_lr=False))),
    hints={"swapped": "return (new_w, new_b): weights first.",
           "sign": "gradient descent subtracts: θ ← θ − lr·∂C/∂θ."},
)

# ------------------------------------------------------------------------------------------ sigmoid_prime


def _prime_cases():
    return [Case("σ'(0) = 0.25", (0.0,)),
            Case("a few values [-3, -1, 0, 1, 3]", (np.array([-3.0, -1.0, 0.0, 1.0, 3.0]),)),
            Case("large inputs ±1000", (np.array([-1000.0, -40.0, 40.0, 1000.0]),))]


SIGMOID_PRIME = Spec(
    name="sigmoid_prime",
    signature="sigmoid_prime(z)",
    reference=sigmoid_prime,
    visible=_prime_cases,
    random_case=lambda rng: Case("random", (rng.normal(0, 6, size=(int(rng.integers(1, 5)), int(rng.integers(1, 5)))),)),
    output="σ'(z)",
    rtol=1e-7,
    atol_scale=1e-12,
    atol=1e-15,      # σ(z)·(1 − σ(z)) rounds σ'(40) ≈ 4e-18 to 0: right to float precision, full marks
    mistakes=(Mistake("sigmoid", "you returned σ(z) itself; its derivative is σ(z)·(1 − σ(z)).", sigmoid),
              Mistake("square", "σ'(z) = σ(z)·(1 − σ(z)), not σ(z)².", lambda z: sigmoid(z) ** 2),
              Mistake("one-minus", "σ'(z) = σ(z)·(1 − σ(z)), not 1 − σ(z).", lambda z: 1 - sigmoid(z))),
)

# ------------------------------------------------------------------------------------------ backprop


def _backprop_variant(X, y, w, b, scale=2.0, bp1_prime=True, prime=sigmoid_prime, bias_over_m=False):
    """Backprop with one typical slip: the factor in ∇_a C, σ' dropped in BP1, σ for σ' in BP2, mean in BP3."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    m = X.shape[0] if scale != "sum" else 1
    k = 2.0 if scale == "sum" else scale
    acts, zs = [X.T], []
    for wl, bl in zip(w, b):
        zs.append(wl @ acts[-1] + bl)
        acts.append(sigmoid(zs[-1]))
    delta = (k / m) * (acts[-1] - y.T) * (sigmoid_prime(zs[-1]) if bp1_prime else 1.0)
    dw, db = [None] * len(w), [None] * len(w)
    for l in range(len(w) - 1, -1, -1):
        if l < len(w) - 1:
            delta = (w[l + 1].T @ delta) * prime(zs[l])
        db[l] = delta.sum(axis=1, keepdims=True) / (X.shape[0] if bias_over_m else 1)
        dw[l] = delta @ acts[l].T
    return dw, db


BACKPROP = Spec(
    name="backprop",
    signature="backprop(X, y, w, b)",
    reference=backprop,
    visible=_grad_cases,
    random_case=_grad_random,
    output="(w_grads, b_grads)",
    mistakes=(Mistake("no-two", "your gradient is half the true one: with C = Σ(a − y)²/m, BP1 starts from "
                      "∇_a C = 2(a − y)/m — keep the 2.", lambda X, y, w, b: _backprop_variant(X, y, w, b, scale=1.0)),
              Mistake("no-m", "your gradient is m times too large: the cost divides by m, so ∇_a C = 2(a − y)/m.",
                      lambda X, y, w, b: _backprop_variant(X, y, w, b, scale="sum")),
              Mistake("bp1-prime", "BP1 multiplies by σ'(z_L): δ_L = ∇_a C ⊙ σ'(z_L).",
                      lambda X, y, w, b: _backprop_variant(X, y, w, b, bp1_prime=False)),
              Mistake("bp2-sigma", "BP2 multiplies by σ'(z_l), the derivative, not σ(z_l).",
                      lambda X, y, w, b: _backprop_variant(X, y, w, b, prime=sigmoid)),
              Mistake("bp3-mean", "BP3 sums δ over the examples (the 1/m is already inside δ): "
                      "db = δ.sum(axis=1, keepdims=True), not a mean.",
                      lambda X, y, w, b: _backprop_variant(X, y, w, b, bias_over_m=True))),
    hints={"swapped": "return (w_grads, b_grads): weights first, like gradient_estimator.",
           "sign": "∇_a C = 2(a − y)/m: prediction minus target.",
           "transposed": "BP4: ∂C/∂w[l] = δ_l @ a_{l−1}ᵀ has w[l]'s shape (n_out, n_in)."},
)
