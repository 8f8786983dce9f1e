"""Spec for notebook 07: lstm_cell_forward (its h_t and c_t are compared; that it returns ``(h_t, c_t, cache)``
is checked, the cache's contents are the student's own business)."""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import sigmoid
from ..answers.nb07_lstm import lstm_cell_forward
from ..ops.lstm_params import init_lstm_params
from .outputs import cell_states
from .spec import Case, Mistake, Spec
from .validating import states_and_cache


def _case(rng, n_x, n_h, m, name="random"):
    params = init_lstm_params(n_x, n_h, seed=rng)
    params = {k: v + 0.5 * rng.standard_normal(v.shape) for k, v in params.items()}
    return Case(name, (rng.normal(size=(n_x, m)), rng.normal(size=(n_h, m)), rng.normal(size=(n_h, m)), params))


def _cases():
    rng = np.random.default_rng(71)
    return [_case(rng, 1, 1, 1, "one input, one unit, one example"),
            _case(rng, 3, 4, 2, "n_x = 3, n_h = 4, two examples"),
            _case(rng, 2, 5, 6, "n_x = 2, n_h = 5, six examples")]


def _random(rng):
    return _case(rng, *(int(n) for n in rng.integers(1, 6, size=3)))


def _gates(x_t, h_prev, params, order="hx"):
    hx = np.concatenate([h_prev, x_t] if order == "hx" else [x_t, h_prev])
    return {g: params[f"W{g}"] @ hx + params[f"b{g}"] for g in "fico"}


def _cell(z, c_prev):
    c = sigmoid(z["f"]) * c_prev + sigmoid(z["i"]) * np.tanh(z["c"])
    return sigmoid(z["o"]) * np.tanh(c), c, None


def _old_cell(x_t, h_prev, c_prev, params):
    z = _gates(x_t, h_prev, params)
    c = sigmoid(z["f"]) * c_prev + sigmoid(z["i"]) * np.tanh(z["c"])
    return sigmoid(z["o"]) * np.tanh(c_prev), c, None


def _x_first(x_t, h_prev, c_prev, params):
    """[x_t; h_prev] stacked the other way round (the weights' columns then meet the wrong inputs)."""
    return _cell(_gates(x_t, h_prev, params, order="xh"), c_prev)


def _swapped_gates(first, second):
    def cell(x_t, h_prev, c_prev, params):
        z = _gates(x_t, h_prev, params)
        z[first], z[second] = z[second], z[first]
        return _cell(z, c_prev)
    return cell


GATE = {"f": "forget gate", "i": "input gate", "o": "output gate", "c": "candidate"}


def _no_tanh_on_c(x_t, h_prev, c_prev, params):
    z = _gates(x_t, h_prev, params)
    c = sigmoid(z["f"]) * c_prev + sigmoid(z["i"]) * np.tanh(z["c"])
    return sigmoid(z["o"]) * c, c, None


def _no_input_gate(x_t, h_prev, c_prev, params):
    z = _gates(x_t, h_prev, params)
    c = sigmoid(z["f"]) * c_prev + np.tanh(z["c"])
    return sigmoid(z["o"]) * np.tanh(c), c, None


def _sigmoid_candidate(x_t, h_prev, c_prev, params):
    z = _gates(x_t, h_prev, params)
    c = sigmoid(z["f"]) * c_prev + sigmoid(z["i"]) * sigmoid(z["c"])
    return sigmoid(z["o"]) * np.tanh(c), c, None


LSTM_CELL_FORWARD = Spec(
    name="lstm_cell_forward",
    signature="lstm_cell_forward(x_t, h_prev, c_prev, params)",
    reference=lstm_cell_forward,
    visible=_cases,
    random_case=_random,
    output="(h_t, c_t)",
    transform=cell_states,
    mistakes=(Mistake("no-tanh", "your h_t is o_t ⊙ C_t; squash the cell state first: h_t = o_t ⊙ tanh(C_t).",
                      _no_tanh_on_c),
              Mistake("no-input-gate", "your cell state adds the candidate C̃_t without the input gate: "
                      "C_t = f_t ⊙ C_{t−1} + i_t ⊙ C̃_t.", _no_input_gate),
              Mistake("sigmoid-candidate", "your candidate C̃_t uses σ; it uses tanh, so it can push the cell "
                      "state down as well as up.", _sigmoid_candidate),
              Mistake("old-cell", "your h_t squashes the previous cell state C_{t−1}; it uses the new one: "
                      "h_t = o_t ⊙ tanh(C_t), with C_t computed first.", _old_cell),
              Mistake("x-first", "you stacked [x_t; h_prev]; the weights act on [h_prev; x_t] (h_prev on top), as "
                      "the notebook's concatenation order says.", _x_first),
              *(Mistake(f"gates-{a}{b}", f"the {GATE[a]} and the {GATE[b]} have traded places: each gate uses "
                        f"its own weights (W{a}, b{a} for the {GATE[a]}) — check which gate multiplies what.",
                        _swapped_gates(a, b)) for a, b in ("fi", "fo", "io", "ic", "fc", "oc"))),
    hints={"swapped": "return h_t first, then c_t (then the cache)."},
    validate=states_and_cache,
)
