"""Specs for notebook 07: a plain RNN cell's rnn_cell_forward (its h_t compared, ``(h_t, cache)`` checked);
lstm_cell_forward (its h_t and c_t are compared; that it returns ``(h_t, c_t, cache)`` is checked, the cache's
contents are the student's own business); and lstm_cell_backward, checked as a pair with the student's own
lstm_cell_forward, whose cache it takes."""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import sigmoid
from ..answers.nb07_lstm import lstm_cell_backward, lstm_cell_forward, rnn_cell_forward
from ..ops.lstm_params import init_lstm_params, init_rnn_params
from .calling import with_own_lstm_cell_forward
from .outputs import cell_states, first_output
from .spec import Case, Mistake, Spec
from .validating import h_and_cache, states_and_cache


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

# ------------------------------------------------------------------------------------------ rnn_cell_forward


def _rnn_case(rng, n_x, n_h, m, name="random"):
    params = init_rnn_params(n_x, n_h, seed=rng)
    params = {k: v + 0.5 * rng.standard_normal(v.shape) for k, v in params.items()}
    return Case(name, (rng.normal(size=(n_x, m)), rng.normal(size=(n_h, m)), params))


def _rnn_cases():
    rng = np.random.default_rng(72)
    return [_rnn_case(rng, 1, 1, 1, "one input, one unit, one example"),
            _rnn_case(rng, 3, 4, 2, "n_x = 3, n_h = 4, two examples"),
            _rnn_case(rng, 2, 5, 6, "n_x = 2, n_h = 5, six examples")]


def _rnn_random(rng):
    return _rnn_case(rng, *(int(n) for n in rng.integers(1, 6, size=3)))


def _rnn_with(x_t, h_prev, params, order="hx", act=np.tanh, bias="inside"):
    """The RNN step with the slips students make: [x; h] stacked the other way round, another squashing
    function, the bias left out (``bias=None``) or added after the tanh (``bias="outside"``)."""
    hx = np.concatenate([h_prev, x_t] if order == "hx" else [x_t, h_prev])
    z = params["Wh"] @ hx + (params["bh"] if bias == "inside" else 0)
    return act(z) + (params["bh"] if bias == "outside" else 0), None


RNN_CELL_FORWARD = Spec(
    name="rnn_cell_forward",
    signature="rnn_cell_forward(x_t, h_prev, params)",
    reference=rnn_cell_forward,
    visible=_rnn_cases,
    random_case=_rnn_random,
    output="h_t",
    transform=first_output,
    validate=h_and_cache,
    mistakes=(Mistake("no-tanh", "your h_t is the pre-activation Wh [h_prev; x_t] + bh; the cell squashes it: "
                      "h_t = tanh(…), which keeps the state between −1 and 1.",
                      lambda x_t, h_prev, params: _rnn_with(x_t, h_prev, params, act=lambda z: z)),
              Mistake("sigmoid", "you squashed with σ; the plain RNN cell uses tanh, so its state can be negative "
                      "as well as positive.",
                      lambda x_t, h_prev, params: _rnn_with(x_t, h_prev, params, act=sigmoid)),
              Mistake("x-first", "your h_t is what the stack [x_t; h_prev] gives: Wh's first n_h columns are "
                      "the weights of the previous state, so stack h_prev on top, [h_prev; x_t].",
                      lambda x_t, h_prev, params: _rnn_with(x_t, h_prev, params, order="xh")),
              Mistake("no-bias", "your h_t leaves out the bias: h_t = tanh(Wh [h_prev; x_t] + bh).",
                      lambda x_t, h_prev, params: _rnn_with(x_t, h_prev, params, bias=None)),
              Mistake("bias-outside", "your bias is added after the tanh; it belongs inside, to the pre-activation: "
                      "h_t = tanh(Wh [h_prev; x_t] + bh), so the state stays between −1 and 1.",
                      lambda x_t, h_prev, params: _rnn_with(x_t, h_prev, params, bias="outside"))),
    hints={"raised:KeyError": "params holds two entries, Wh (n_h, n_h + n_x) and bh (n_h, 1): one matrix acts on "
                              "the stacked [h_prev; x_t] (its first n_h columns meet h_prev, the others x_t), so "
                              "there are no separate weights for h and x.",
           "raised:could not be broadcast|matmul|not aligned|concatenation axis":
           "shapes that do not fit met: Wh is (n_h, n_h + n_x) and acts on the column stack [h_prev; x_t] of shape "
           "(n_h + n_x, m) (np.concatenate along axis 0, or np.vstack); bh (n_h, 1) is added to every column."},
)

# ------------------------------------------------------------------------------------------ lstm_cell_backward


def _lstm_pair(dh, dc, x_t, h_prev, c_prev, params):
    """What the check compares with: the reference backward step on the reference forward step's cache."""
    return lstm_cell_backward(dh, dc, lstm_cell_forward(x_t, h_prev, c_prev, params)[2])


def _with_gradients(rng, case):
    n_h, m = np.shape(case.args[1])
    return Case(case.label, (rng.normal(size=(n_h, m)), rng.normal(size=(n_h, m)), *case.args))


def _lstm_pair_cases():
    rng = np.random.default_rng(73)
    return [_with_gradients(rng, c) for c in _cases()]


def _lstm_pair_random(rng):
    return _with_gradients(rng, _random(rng))


def _lstm_backward_with(dh, dc, x_t, h_prev, c_prev, params, through_h=True, into_c_prev="f", gate_slip=None,
                        stack="hx", mean=False, over_m=False, swapped=False):
    """The backward step written gate by gate, with the slips students make: C_t's gradient without the path
    through h_t, ∂L/∂C_{t−1} without the forget gate, a gate's derivative slip, [x; h] split the wrong way round,
    bias gradients averaged instead of summed, every parameter's gradient divided by m, dx and dh_prev returned
    in each other's places."""
    dh, dc, x_t, h_prev, c_prev = (np.asarray(a, float) for a in (dh, dc, x_t, h_prev, c_prev))
    hx = np.concatenate([h_prev, x_t])
    z = {g: params[f"W{g}"] @ hx + params[f"b{g}"] for g in "fico"}
    f, i, o, g = sigmoid(z["f"]), sigmoid(z["i"]), sigmoid(z["o"]), np.tanh(z["c"])
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    tanh_prime = 1 if gate_slip == "tanh-prime-of-c-missing" else 1 - tanh_c ** 2
    dC = dc + dh * o * tanh_prime if through_h else dc
    dz = {"o": dh * tanh_c * o * (1 - o), "f": dC * c_prev * f * (1 - f), "i": dC * g * i * (1 - i),
          "c": dC * i * (1 - g ** 2)}
    if gate_slip == "candidate-sigmoid":
        dz["c"] = dC * i * g * (1 - g)
    elif gate_slip == "forget-new-cell":
        dz["f"] = dC * c_t * f * (1 - f)
    elif gate_slip == "sigmoid-of-gates":
        dz.update(o=dh * tanh_c * sigmoid(o) * (1 - sigmoid(o)), f=dC * c_prev * sigmoid(f) * (1 - sigmoid(f)),
                  i=dC * g * sigmoid(i) * (1 - sigmoid(i)))
    dhx = sum(params[f"W{k}"].T @ dz[k] for k in "fico")
    n_h = h_prev.shape[0]
    dh_prev, dx = (dhx[:n_h], dhx[n_h:]) if stack == "hx" else (dhx[-n_h:], dhx[:-n_h])
    reduce = (lambda a: a.mean(axis=1, keepdims=True)) if mean else (lambda a: a.sum(axis=1, keepdims=True))
    grads = {}
    for k in "fico":
        grads[f"W{k}"], grads[f"b{k}"] = dz[k] @ hx.T, reduce(dz[k])
    if over_m:
        grads = {k: v / hx.shape[1] for k, v in grads.items()}
    dc_prev = {"f": dC * f, "none": dC, "c": dc * f}[into_c_prev]
    return (dh_prev, dx, dc_prev, grads) if swapped else (dx, dh_prev, dc_prev, grads)


def _slip(**kind):
    return lambda *args: _lstm_backward_with(*args, **kind)


LSTM_CELL_BACKWARD = Spec(
    name="lstm_cell_backward",
    signature="lstm_cell_backward(dh, dc, cache)",
    reference=_lstm_pair,
    answer=lstm_cell_backward,
    visible=_lstm_pair_cases,
    random_case=_lstm_pair_random,
    output="(dx, dh_prev, dc_prev, grads)",
    caller=with_own_lstm_cell_forward,
    pair="lstm_cell_forward",
    mistakes=(Mistake("no-path-through-h", "C_t reaches the loss twice: directly (dc) and through h_t = o_t ⊙ "
                      "tanh(C_t). Your gradients use dc alone; the whole gradient of C_t is dc + dh ⊙ o_t ⊙ "
                      "(1 − tanh²(C_t)), and the forget gate, input gate, candidate and ∂L/∂C_{t−1} all need it.",
                      _slip(through_h=False)),
              Mistake("c-prev-no-forget", "your dc_prev is C_t's gradient itself; C_{t−1} enters C_t through "
                      "f_t ⊙ C_{t−1}, so its gradient is C_t's (whole) gradient times f_t.", _slip(into_c_prev="none")),
              Mistake("c-prev-direct-only", "your dc_prev is dc ⊙ f_t: it leaves out what C_t receives through h_t. "
                      "Multiply f_t by C_t's whole gradient, dc + dh ⊙ o_t ⊙ (1 − tanh²(C_t)).",
                      _slip(into_c_prev="c")),
              Mistake("candidate-sigmoid-prime", "your candidate's gradient uses σ's derivative C̃(1 − C̃); C̃_t = "
                      "tanh(…), whose derivative is 1 − C̃_t².", _slip(gate_slip="candidate-sigmoid")),
              Mistake("no-tanh-prime", "on the path from h_t to C_t you left out tanh's derivative: h_t = o_t ⊙ "
                      "tanh(C_t), so ∂h_t/∂C_t = o_t ⊙ (1 − tanh²(C_t)).", _slip(gate_slip="tanh-prime-of-c-missing")),
              Mistake("x-first", "you split d[h_{t−1}; x_t] as if x_t were on top; the forward pass stacked h_{t−1} "
                      "first, so its first n_h rows are dh_prev and the rest dx.", _slip(stack="xh")),
              Mistake("b-mean", "your bias gradients are means over the m examples; like the weights', they are "
                      "sums (each example adds its share).", _slip(mean=True)),
              Mistake("over-m", "your parameters' gradients are divided by the number of examples m: dh and "
                      "dc are already the loss's gradients (any averaging over the batch happened in the loss), "
                      "so each W and b gradient is a plain sum over the m columns.", _slip(over_m=True)),
              Mistake("forget-new-cell", "your forget gate's gradient uses C_t; f_t multiplies the previous cell "
                      "state, so ∂C_t/∂f_t = C_{t−1}.", _slip(gate_slip="forget-new-cell")),
              Mistake("sigmoid-of-gates", "your gates' derivatives apply σ once more to gates that are already σ's "
                      "outputs: with f_t = σ(z), σ'(z) = f_t ⊙ (1 − f_t), read off the gate itself (and likewise "
                      "for i_t and o_t).", _slip(gate_slip="sigmoid-of-gates")),
              Mistake("dx-dh-swapped", "dx and dh_prev come back in each other's places: return (dx, dh_prev, "
                      "dc_prev, grads), dx first.", _slip(swapped=True))),
    hints={"raised:which makes the cache": "your lstm_cell_forward raised on these inputs, so there was no cache "
                                           "to pass on: make lstm_cell_forward pass its own check first.",
           "raised:values to unpack": "a value was unpacked into the wrong number of names: if it is the cache, "
                                      "lstm_cell_backward must take it apart into the same items, in the same "
                                      "order, as your lstm_cell_forward puts it together.",
           "raised:NameError: name '": "lstm_cell_backward used a name it does not define (a variable of your "
                                       "notebook, perhaps): it is called with dh, dc and the cache alone, so "
                                       "anything else it needs (the weights, say) must travel in the cache your "
                                       "lstm_cell_forward returns.",
           "shape": "dx is (n_x, m), dh_prev and dc_prev (n_h, m), and each grads entry has its parameter's "
                    "shape: W (n_h, n_h + n_x), b (n_h, 1)."},
    depends=("lstm_cell_forward",),
    substitute=False,
)
