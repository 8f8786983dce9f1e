"""Specs for notebook 08 (JAX): the cost in jax.numpy, its gradient by ``jax.grad``, per-example costs by
``jax.vmap`` and a compiled gradient-descent step.

The references are the numpy library's (the hand-written ``backprop`` among them), so a student's autodiff is
checked against an independent derivation. Each spec also checks that the function can be traced by
``jax.jit``: numpy calls on traced arrays fail there, which is the first thing to learn about JAX. JAX is
imported only when such a check runs.
"""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import cost_function
from ..answers.nb04_backprop import backprop
from ..answers.nb08_jax import gd_step, per_example_cost
from ..network.descent import step_along
from .cases import deck_network, random_network, random_rows
from .comparing import FLOAT32_ATOL_SCALE, FLOAT32_RTOL
from .jitting import compiled, gradient_of_cost, traceable
from .nb02_forward_pass import COST_FUNCTION
from .outputs import scalar_output
from .spec import Case, Mistake, Spec


#: JAX computes in float32 unless told otherwise, and notebook 08 trains in float32: its costs and steps are
#: judged with float32's tolerance whatever dtype they come back in (the gradient, compared with backprop, is not)
JAX_RTOL, JAX_ATOL_SCALE = FLOAT32_RTOL, FLOAT32_ATOL_SCALE


def _network_cases():
    X, y, w, b = deck_network()
    rng = np.random.default_rng(81)
    w4, b4 = random_network(rng, [3, 5, 4, 2])
    X4, y4 = random_rows(rng, w4, m=6)
    return [Case("deck 001 network on XOR (4 examples)", (X, y, w, b)),
            Case("two outputs, 6 examples", (X4, y4, w4, b4))]


def _cost_cases():
    """The network cases and a three-output one, where a ½ and a mean over every entry differ."""
    rng = np.random.default_rng(82)
    w3, b3 = random_network(rng, [2, 4, 3])
    return _network_cases() + [Case("three outputs, 5 examples", (*random_rows(rng, w3, m=5), w3, b3))]


def _network_random(rng):
    w, b = random_network(rng)
    X, y = random_rows(rng, w, m=int(rng.integers(2, 9)))
    return Case("random", (X, y, w, b))


JAX_COST = Spec(
    name="jax_cost",
    signature="jax_cost(X, y, w, b)",
    reference=cost_function,
    visible=_cost_cases,
    random_case=_network_random,
    output="cost",
    rtol=JAX_RTOL,
    transform=scalar_output,
    check_function=traceable,
    caller=compiled,
    mistakes=COST_FUNCTION.mistakes,
    hints=COST_FUNCTION.hints,
)


def _grad_wrt_X(X, y, w, b):
    """What ``jax.grad(jax_cost)`` gives with the default argnums=0: ∂C/∂X."""
    w, b = [np.asarray(a, float) for a in w], [np.asarray(a, float) for a in b]
    X = np.asarray(X, float)
    a, zs, acts = X.T, [], [X.T]
    for wl, bl in zip(w, b):
        zs.append(wl @ a + bl)
        a = 1 / (1 + np.exp(-zs[-1]))
        acts.append(a)
    delta = 2 / X.shape[0] * (a - np.asarray(y, float).T) * a * (1 - a)
    for l in range(len(w) - 1, -1, -1):
        dx = w[l].T @ delta
        if l:
            delta = dx * acts[l] * (1 - acts[l])
    return dx.T


def _negated(X, y, w, b):
    gw, gb = backprop(X, y, w, b)
    return [-g for g in gw], [-g for g in gb]


JAX_GRADIENT = Spec(
    name="jax_gradient",
    signature="jax_gradient(X, y, w, b)",
    reference=backprop,
    visible=_network_cases,
    random_case=_network_random,
    output="(w_grads, b_grads)",
    rtol=1e-7,
    float64=("notebook 08 switches on float64 (jax_enable_x64) so that your gradient can be compared with "
             "notebook 04's backprop to 1e-7; float32 keeps about 7 significant digits. Leave the inputs' "
             "dtype as it is."),
    check_function=gradient_of_cost,
    caller=compiled,
    mistakes=(Mistake("wrt-X", "you differentiated with respect to X — jax.grad's default argnums=0. Ask for the "
                      "parameters: jax.grad(jax_cost, argnums=(2, 3)) returns (w_grads, b_grads).", _grad_wrt_X),
              Mistake("sign", "your gradient has the wrong sign: differentiate the cost itself, not its negative.",
                      _negated)),
    depends=("jax_cost",),
    substitute=False,
)


def _row_plus_column(X, y, w, b):
    """The one-example cost written for a 1-D x with column biases, summed over whatever shape comes out."""
    out = []
    for x, t in zip(np.asarray(X, float), np.asarray(y, float)):
        a = x
        for wl, bl in zip(w, b):
            a = 1 / (1 + np.exp(-(np.asarray(wl, float) @ a + np.asarray(bl, float))))
        out.append(np.sum((a - t) ** 2))
    return np.array(out)


PER_EXAMPLE_COST = Spec(
    name="per_example_cost",
    signature="per_example_cost(X, y, w, b)",
    reference=per_example_cost,
    visible=_network_cases,
    random_case=_network_random,
    output="per-example costs (m,)",
    rtol=JAX_RTOL,
    atol_scale=JAX_ATOL_SCALE,
    check_function=traceable,
    caller=compiled,
    mistakes=(Mistake("mean-outputs", "you averaged over the outputs; each example's cost is the *sum* of its "
                      "squared errors Σ_k (ŷ_k − y_k)².",
                      lambda X, y, w, b: per_example_cost(X, y, w, b) / np.shape(y)[1]),
              Mistake("batch-cost", "you returned the whole batch's cost; vmap a one-example cost over the rows "
                      "to get one number per example.",
                      lambda X, y, w, b: np.asarray(cost_function(X, y, w, b))),
              Mistake("row-plus-column", "inside vmap each example x is 1-D, (n_in,), while b[l] is a column "
                      "(n_out, 1): w @ x + b then broadcasts to an (n_out, n_out) table. Make the example a "
                      "column (x[:, None]) or the biases 1-D before adding.", _row_plus_column)),
    hints={"shape": "one number per example: shape (m,) — vmap over the rows of X and y, not over w and b "
                    "(in_axes=(0, 0, None, None)).",
           "raised:vmap got inconsistent sizes": "vmap maps every argument over its first axis unless told "
                                                 "otherwise: map over the rows of X and y only, not over w and b "
                                                 "(in_axes)."},
)


def _step_cases():
    return [Case(f"{c.label}, lr = {lr}", (*c.args, lr)) for c, lr in zip(_network_cases(), (0.5, 0.1))]


GD_STEP = Spec(
    name="gd_step",
    signature="gd_step(X, y, w, b, lr)",
    reference=gd_step,
    visible=_step_cases,
    random_case=lambda rng: Case("random", (*_network_random(rng).args, float(rng.uniform(0.05, 1.0)))),
    output="(new_w, new_b)",
    rtol=JAX_RTOL,
    atol_scale=JAX_ATOL_SCALE,
    check_function=traceable,
    caller=compiled,
    depends=("jax_gradient",),
    substitute=False,
    mistakes=(Mistake("ascent", "you stepped uphill: θ ← θ − lr·∂C/∂θ, with a minus.",
                      lambda X, y, w, b, lr: step_along(w, b, *backprop(X, y, w, b), -lr)),),
)
