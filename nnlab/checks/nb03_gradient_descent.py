"""Specs for notebook 03 (the bootcamp's Challenges 4–5): gradient_estimator and one_step_gd.

A student's gradient *estimate* is compared with the exact gradient (backprop), not with deck 001's forward
difference, so any estimate accurate to about 1e-3 passes; central differences pass with a note.
"""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import cost_function
from ..answers.nb03_gradient_descent import gradient_estimator
from ..answers.nb04_backprop import backprop
from ..network.descent import step_along
from .cases import gradient_cases, gradient_random
from .outputs import central_difference_note, implied_gradient, step_taken
from .spec import Case, Mistake, Spec

#: forward differences at eps = 1e-4 stay within 1.8e-5 of the exact gradient beyond rtol on 3,000 random
#: cases; an absolute floor of eps itself leaves a 5× margin and still fails every mistake variant below
GRAD_RTOL, GRAD_ATOL_SCALE, GRAD_ATOL = 1e-3, 1e-3, 1e-4


def _scaled(grads, factor):
    return [g * factor for g in grads[0]], [g * factor for g in grads[1]]


def _not_restored(X, y, w, b, eps=1e-4):
    """Forward differences that never put the nudged parameter back."""
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


GRADIENT_ESTIMATOR = Spec(
    name="gradient_estimator",
    signature="gradient_estimator(X, y, w, b, eps=1e-4)",
    reference=lambda X, y, w, b, eps=1e-4: backprop(X, y, w, b),
    visible=gradient_cases,
    random_case=gradient_random,
    output="(w_pds, b_pds)",
    rtol=GRAD_RTOL,
    atol_scale=GRAD_ATOL_SCALE,
    atol=GRAD_ATOL,
    notes=central_difference_note,
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
    float64=("finite differences divide a tiny change in the cost by eps = 1e-4, and float32's 7 significant "
             "digits leave about 3 in that change. Compute in float64, numpy's default (no .astype(np.float32))."),
    depends=("cost_function", "predict", "forward_pass", "sigmoid"),
)

# ------------------------------------------------------------------------------------------ one_step_gd


def _gd_cases():
    return [Case(c.label + ", lr = 0.5", c.args + (0.5,)) for c in gradient_cases()]


def _gd_random(rng):
    c = gradient_random(rng)
    return Case("random", c.args + (float(rng.choice([0.01, 0.1, 1.0, 3.0])),))


def _gd_step(X, y, w, b, lr, direction=-1.0, use_lr=True):
    w_pds, b_pds = gradient_estimator(X, y, w, b)
    k = lr if use_lr else 1.0
    return ([p + direction * k * g for p, g in zip(w, w_pds)], [p + direction * k * g for p, g in zip(b, b_pds)])


ONE_STEP_GD = Spec(
    name="one_step_gd",
    signature="one_step_gd(X, y, w, b, lr)",
    reference=lambda X, y, w, b, lr: step_along(w, b, *backprop(X, y, w, b), lr),    # the exact gradient's step
    visible=_gd_cases,
    random_case=_gd_random,
    output="(new_w, new_b)",
    rtol=GRAD_RTOL,
    atol_scale=GRAD_ATOL_SCALE,
    atol=GRAD_ATOL,
    transform=implied_gradient,
    mistakes=(Mistake("uphill", "you stepped uphill: gradient descent subtracts, θ ← θ − lr·∂C/∂θ.",
                      lambda X, y, w, b, lr: _gd_step(X, y, w, b, lr, direction=+1.0)),
              Mistake("no-lr", "you subtracted the gradient without multiplying by the learning rate lr.",
                      lambda X, y, w, b, lr: _gd_step(X, y, w, b, lr, use_lr=False))),
    hints={"swapped": "return (new_w, new_b): weights first.",
           "sign": "gradient descent subtracts: θ ← θ − lr·∂C/∂θ."},
    float64=GRADIENT_ESTIMATOR.float64,
    depends=("gradient_estimator", "cost_function", "predict", "forward_pass", "sigmoid"),
    shown=step_taken,
)
