"""Specs for notebook 02 (the bootcamp's Challenges 1–3 and deck 001's helpers): nn_parameter_maker, sigmoid,
forward_pass, predict, cost_function."""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import cost_function, forward_pass, nn_parameter_maker, predict, sigmoid
from .cases import deck_network, random_network, random_rows, random_sizes
from .outputs import scalar_output
from .spec import Case, Mistake, Spec
from .validating import parameter_validate

# ------------------------------------------------------------------------------------------ nn_parameter_maker


def _param_cases():
    return [Case("deck 001: nn_parameter_maker([2, 3, 1], seed=0)", ([2, 3, 1],), {"seed": 0}),
            Case("four layers [4, 8, 5, 2], seed=7", ([4, 8, 5, 2],), {"seed": 7}),
            Case("a wide layer [300, 200, 1], seed=3 (values look standard normal)", ([300, 200, 1],), {"seed": 3})]


def _param_random(rng):
    return Case("random sizes", (random_sizes(rng, max_units=40),), {"seed": int(rng.integers(1 << 30))})


NN_PARAMETER_MAKER = Spec(
    name="nn_parameter_maker",
    signature="nn_parameter_maker(layer_sizes, seed=None)",
    reference=nn_parameter_maker,
    visible=_param_cases,
    random_case=_param_random,
    output="(w, b)",
    validate=parameter_validate,
    compare_to_reference=False,
)

# ------------------------------------------------------------------------------------------ sigmoid


def _sigmoid_cases():
    return [Case("σ(0) = 0.5", (0.0,)),
            Case("a few values [-3, -1, 0, 1, 3]", (np.array([-3.0, -1.0, 0.0, 1.0, 3.0]),)),
            Case("a 2-D array (3, 4)", (np.linspace(-6, 6, 12).reshape(3, 4),)),
            Case("large inputs ±1000 (the textbook formula overflows)", (np.array([-1000.0, -50.0, 50.0, 1000.0]),))]


def _sigmoid_random(rng):
    shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 3))))
    return Case("random", (rng.normal(0, 8, size=shape),))


SIGMOID = Spec(
    name="sigmoid",
    signature="sigmoid(z)",
    reference=sigmoid,
    visible=_sigmoid_cases,
    random_case=_sigmoid_random,
    output="σ(z)",
    rtol=1e-7,
    atol_scale=1e-15,
    mistakes=(Mistake("minus", "you computed 1 / (1 + e^z), which is σ(−z): the exponent is −z.",
                      lambda z: 1 / (1 + np.exp(np.asarray(z, float)))),
              Mistake("no-plus-one", "the denominator is 1 + e^(−z), not e^(−z).",
                      lambda z: 1 / np.exp(-np.asarray(z, float)))),
)

# ------------------------------------------------------------------------------------------ forward_pass


def _forward_cases():
    X, _, w, b = deck_network()
    w4, b4 = nn_parameter_maker([3, 5, 4, 2], seed=4)
    return [Case("deck 001 network [2, 3, 1], the 4 XOR inputs as columns (2, 4)", (X.T, w, b)),
            Case("one example as a column (2, 1)", (X[1:2].T, w, b)),
            Case("three layers [3, 5, 4, 2], 6 examples", (np.random.default_rng(5).uniform(-2, 2, (3, 6)), w4, b4))]


def _forward_random(rng):
    w, b = random_network(rng)
    X, _ = random_rows(rng, w)
    return Case("random", (X.T, w, b))


def _forward_no_bias(inp, w, b):
    a = np.asarray(inp, float)
    for wl in w:
        a = sigmoid(wl @ a)
    return a


def _forward_linear_output(inp, w, b):
    a = np.asarray(inp, float)
    for l, (wl, bl) in enumerate(zip(w, b)):
        z = wl @ a + bl
        a = sigmoid(z) if l < len(w) - 1 else z
    return a


def _forward_first_layer(inp, w, b):
    return sigmoid(w[0] @ np.asarray(inp, float) + b[0])


FORWARD_PASS = Spec(
    name="forward_pass",
    signature="forward_pass(inp, w, b)",
    reference=forward_pass,
    visible=_forward_cases,
    random_case=_forward_random,
    output="output",
    mistakes=(Mistake("missing-bias", "your output matches a network without biases: add b[l] in every layer, "
                      "z = w[l] @ a + b[l].", _forward_no_bias),
              Mistake("linear-output", "your output matches a network whose last layer has no sigmoid: apply σ "
                      "in every layer, the output layer too.", _forward_linear_output),
              Mistake("one-layer", "your output is the first layer's activation: loop over every layer, feeding "
                      "each layer's output into the next.", _forward_first_layer)),
    hints={"transposed": "forward_pass takes and returns columns: (n_in, m) in, (n_out, m) out.",
           "raised:matmul": "a matrix product's inner sizes differ: w[l] is (n_out, n_in) and a holds one column "
                            "per example, (n_in, m), so each layer computes w[l] @ a — in that order."},
    depends=("sigmoid",),
)

# ------------------------------------------------------------------------------------------ predict


def _predict_cases():
    X, _, w, b = deck_network()
    w4, b4 = nn_parameter_maker([3, 5, 4, 2], seed=4)
    return [Case("deck 001 network [2, 3, 1], the 4 XOR rows (4, 2)", (X, w, b)),
            Case("three layers [3, 5, 4, 2], 6 rows", (np.random.default_rng(5).uniform(-2, 2, (6, 3)), w4, b4))]


def _predict_random(rng):
    w, b = random_network(rng)
    X, _ = random_rows(rng, w)
    return Case("random", (X, w, b))


PREDICT = Spec(
    name="predict",
    signature="predict(X, w, b)",
    reference=predict,
    visible=_predict_cases,
    random_case=_predict_random,
    output="prediction",
    mistakes=(Mistake("missing-bias", "your predictions ignore the biases — does your forward_pass add b[l]?",
                      lambda X, w, b: _forward_no_bias(np.asarray(X, float).T, w, b).T),),
    hints={"transposed": "predict takes rows (m, n_in) and returns rows (m, n_out): transpose on the way in "
                         "and on the way out.",
           "raised:matmul": "predict takes rows (m, n_in) while forward_pass takes columns: transpose X on the way "
                            "in (and the result on the way out)."},
    depends=("forward_pass", "sigmoid"),
)

# ------------------------------------------------------------------------------------------ cost_function


def _cost_cases():
    X, y, w, b = deck_network()
    w4, b4 = nn_parameter_maker([3, 5, 4, 2], seed=4)
    rng = np.random.default_rng(6)
    w3, b3 = nn_parameter_maker([2, 4, 3], seed=5)
    return [Case("deck 001 network on XOR (4 examples)", (X, y, w, b)),
            Case("two outputs, 6 examples", (rng.uniform(-2, 2, (6, 3)), rng.uniform(0, 1, (6, 2)), w4, b4)),
            Case("three outputs, 5 examples", (rng.uniform(-2, 2, (5, 2)), rng.uniform(0, 1, (5, 3)), w3, b3))]


def _cost_random(rng):
    w, b = random_network(rng)
    X, y = random_rows(rng, w, m=int(rng.integers(3, 9)))
    return Case("random", (X, y, w, b))


def _cost_half(X, y, w, b):
    return cost_function(X, y, w, b) / 2


def _cost_all_entries(X, y, w, b):
    return np.mean((predict(X, w, b) - np.asarray(y, float)) ** 2)


def _cost_rmse(X, y, w, b):
    return np.sqrt(cost_function(X, y, w, b))


def _cost_abs(X, y, w, b):
    return np.sum(np.abs(predict(X, w, b) - np.asarray(y, float))) / np.shape(X)[0]


def _cost_sum(X, y, w, b):
    return cost_function(X, y, w, b) * np.shape(X)[0]


def _cost_over_outputs(X, y, w, b):
    return np.sum((predict(X, w, b) - np.asarray(y, float)) ** 2) / np.shape(y)[1]


def _cost_broadcast(X, y, w, b):
    """ŷ flattened to (m,) minus y as an (m, 1) column: numpy broadcasts them to an (m, m) table."""
    y = np.asarray(y, float)
    if y.shape[1] != 1:
        raise ValueError("only a one-output network gives this slip")
    return np.sum((predict(X, w, b).ravel() - y) ** 2) / np.shape(X)[0]


COST_FUNCTION = Spec(
    name="cost_function",
    signature="cost_function(X, y, w, b)",
    reference=cost_function,
    visible=_cost_cases,
    random_case=_cost_random,
    output="cost",
    transform=scalar_output,
    mistakes=(Mistake("half", "your cost is half of deck 001's: the bootcamp's cost is Σ(ŷ − y)² / m, with no ½.",
                      _cost_half),
              Mistake("mean-all", "you divided by the number of entries m·n_out (np.mean); divide the sum by m, "
                      "the number of examples.", _cost_all_entries),
              Mistake("rmse", "you took a square root: the cost is the mean squared error, not its root.", _cost_rmse),
              Mistake("abs", "you summed |ŷ − y|; the cost squares the errors: Σ(ŷ − y)² / m.", _cost_abs),
              Mistake("no-m", "your cost is the sum over the examples: divide it by m = X.shape[0], the number "
                      "of examples.", _cost_sum),
              Mistake("over-outputs", "you divided by y.shape[1], the number of outputs; divide by m = X.shape[0], "
                      "the number of examples.", _cost_over_outputs),
              Mistake("broadcast", "your sum runs over an (m, m) table: a 1-D (m,) array minus an (m, 1) column "
                      "broadcasts to every pair of examples. Keep ŷ and y the same shape, (m, n_out), before "
                      "subtracting.", _cost_broadcast)),
    hints={"factor": "the cost is Σ(ŷ − y)² / m, with m = X.shape[0] the number of examples."},
    depends=("predict", "forward_pass", "sigmoid"),
)
