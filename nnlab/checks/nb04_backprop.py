"""Specs for notebook 04: sigmoid_prime and backprop, each compared with the reference and its typical slips
recognised (the factor 2 or m in ∇_a C, σ' dropped from BP1, σ for σ' in BP2, a mean in BP3)."""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import sigmoid
from ..answers.nb04_backprop import backprop, sigmoid_prime
from .cases import gradient_cases, gradient_random
from .spec import Case, Mistake, Spec

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
    visible=gradient_cases,
    random_case=gradient_random,
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
           "transposed": "BP4: ∂C/∂w[l] = δ_l @ a_{l−1}ᵀ has w[l]'s shape (n_out, n_in).",
           "raised:matmul|could not be broadcast": "a matrix product's inner sizes differ: BP2 sends δ back "
                                                   "through the next layer's weights, w[l + 1]ᵀ @ δ_{l+1}, and "
                                                   "BP4 is δ_l @ a_{l−1}ᵀ."},
    depends=("sigmoid", "sigmoid_prime", "forward_pass"),
)
