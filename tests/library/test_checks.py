"""nnlab.checks: the reference passes every spec; each typical mistake gets exactly its message; hidden cases
never reveal inputs or expected values; warnings, stderr and NotImplementedError are handled as promised."""
import re
import sys

import numpy as np
import pytest

import nnlab
from nnlab.checks import SPECS, check, get_spec, run_check

REFERENCE = {
    "perceptron": nnlab.perceptron,
    "logic_gate": lambda name: nnlab.STEP_GATES[name],
    "perceptron_train": lambda X, y, lr=1.0, epochs=20: tuple(nnlab.perceptron_train(X, y, lr, epochs)),
    "xor_network": lambda: nnlab.xor_network(),
    "nn_parameter_maker": nnlab.nn_parameter_maker, "sigmoid": nnlab.sigmoid, "forward_pass": nnlab.forward_pass,
    "predict": nnlab.predict, "cost_function": nnlab.cost_function, "gradient_estimator": nnlab.gradient_estimator,
    "one_step_gd": nnlab.one_step_gd, "sigmoid_prime": nnlab.sigmoid_prime, "backprop": nnlab.backprop,
    "relu_prime": nnlab.relu_prime, "softmax": nnlab.softmax, "cross_entropy": nnlab.cross_entropy,
    "cross_entropy_prime": nnlab.cross_entropy_prime, "convolution": nnlab.convolution, "pooling": nnlab.pooling,
    "conv2d_forward": nnlab.conv2d_forward, "lstm_cell_forward": nnlab.lstm_cell_forward,
    "dense_forward": nnlab.dense_forward, "dense_backward": nnlab.dense_backward, "sgd_epoch": nnlab.sgd_epoch,
    "momentum_update": nnlab.momentum_update, "rmsprop_update": nnlab.rmsprop_update,
    "max_pool_forward": nnlab.max_pool_forward, "conv2d_backward": nnlab.conv2d_backward,
    "max_pool_backward": nnlab.max_pool_backward, "rnn_cell_forward": nnlab.rnn_cell_forward,
    "lstm_cell_backward": nnlab.lstm_cell_backward,
}


def _jax_references():
    """Notebook 08's functions written the JAX way (they must survive jax.jit)."""
    import jax
    import jax.numpy as jnp

    from nnlab import jax as nnj

    def per_example_cost(X, y, w, b):
        one = lambda x, t, w, b: jnp.sum((nnj.forward_pass(x[:, None], w, b)[:, 0] - t) ** 2)  # noqa: E731
        return jax.vmap(one, in_axes=(0, 0, None, None))(jnp.asarray(X), jnp.asarray(y), w, b)

    def gd_step(X, y, w, b, lr):
        gw, gb = nnj.backprop_autodiff(X, y, w, b)
        return [p - lr * g for p, g in zip(w, gw)], [p - lr * g for p, g in zip(b, gb)]

    notebook = {"jax": jax, "jax_cost": nnj.cost_function}         # jax_gradient differentiates the notebook's cost
    exec("def jax_gradient(X, y, w, b):\n    return jax.grad(jax_cost, argnums=(2, 3))(X, y, w, b)", notebook)
    return {"jax_cost": nnj.cost_function, "jax_gradient": notebook["jax_gradient"],
            "per_example_cost": per_example_cost, "gd_step": gd_step}


REFERENCE.update(_jax_references())
# mistakes only a visible case can show: w·x + b = 0 exactly, and a stride > 1 (seed 99 draws stride 1 only)
VISIBLE_ONLY = {("perceptron", "ge"), ("convolution", "no-stride"), ("convolution", "stride-in-size-only")}


def test_every_spec_has_a_reference_here():
    assert set(REFERENCE) == set(SPECS)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_reference_passes_visible_and_many_hidden_cases(name):
    spec = SPECS[name]
    assert run_check(spec, REFERENCE[name]).passed
    for seed in range(25 if spec.check_function is None else 5):     # jax.jit compiles every new shape
        result = run_check(spec, REFERENCE[name], spec.hidden_cases(seed, 4))
        assert result.passed, result.report()


@pytest.mark.parametrize("name", ["jax_cost", "jax_gradient", "per_example_cost", "gd_step"])
def test_jax_answers_of_notebook_08_pass_its_checks(name):
    """nnlab.jax's own answers to notebook 08 (pure, jit-compiled) against the numpy references."""
    pytest.importorskip("jax", reason="notebook 08's JAX answers need JAX: pip install 'nnlab[jax]'")
    from nnlab.jax.answers import nb08_jax

    spec = SPECS[name]
    assert run_check(spec, getattr(nb08_jax, name)).passed
    for seed in range(3):
        result = run_check(spec, getattr(nb08_jax, name), spec.hidden_cases(seed, 4))
        assert result.passed, result.report()


MISTAKES = [(name, m.key) for name, spec in SPECS.items() for m in spec.mistakes]


@pytest.mark.parametrize("name, key", MISTAKES, ids=[f"{n}-{k}" for n, k in MISTAKES])
def test_each_mistake_is_named(name, key):
    spec = get_spec(name)
    mistake = next(m for m in spec.mistakes if m.key == key)
    visible = run_check(spec.direct(), mistake.impl)          # a mistake takes the case's arguments as they are
    assert not visible.passed and mistake.message in visible.hints
    if (name, key) not in VISIBLE_ONLY:
        hidden = run_check(spec.direct(), mistake.impl, spec.hidden_cases(99, 5))
        assert not hidden.passed and mistake.message in hidden.hints


# ------------------------------------------------------------------------ generic diagnostics, one each


def transposed_forward(inp, w, b):
    return nnlab.forward_pass(inp, w, b).T


def swapped_gradient(X, y, w, b, eps=1e-4):
    w_pds, b_pds = nnlab.gradient_estimator(X, y, w, b, eps)
    return b_pds, w_pds


def flipped_backprop(X, y, w, b):
    gw, gb = nnlab.backprop(X, y, w, b)
    return [-g for g in gw], [-g for g in gb]


def factor_three_cost(X, y, w, b):
    return 3 * nnlab.cost_function(X, y, w, b)


def predict_times_m(X, w, b):
    return nnlab.predict(X, w, b) * np.shape(X)[0]


def mutating_estimator(X, y, w, b, eps=1e-4):
    grads = nnlab.gradient_estimator(X, y, w, b, eps)
    w[0][0, 0] += 1.0
    return grads


def overflowing_sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z) / (np.exp(z) + 1)                  # inf / inf = NaN at z = 1000


def missing_bias_forward(inp, w, b):
    a = np.asarray(inp, float)
    for wl in w:
        a = nnlab.sigmoid(wl @ a)
    return a


def transposed_weights_params(layer_sizes, seed=None):
    rng = np.random.default_rng(seed)
    return ([rng.standard_normal((i, o)) for i, o in zip(layer_sizes[:-1], layer_sizes[1:])],
            [rng.standard_normal((o, 1)) for o in layer_sizes[1:]])


def uniform_params(layer_sizes, seed=None):
    rng = np.random.default_rng(seed)
    return ([rng.random((o, i)) for i, o in zip(layer_sizes[:-1], layer_sizes[1:])],
            [rng.random((o, 1)) for o in layer_sizes[1:]])


def unseeded_params(layer_sizes, seed=None):
    return nnlab.nn_parameter_maker(layer_sizes)


DIAGNOSTICS = [
    ("forward_pass", transposed_forward, "transpose of the right one"),
    ("forward_pass", missing_bias_forward, "add b[l] in every layer"),
    ("gradient_estimator", swapped_gradient, "come back in the wrong order"),
    ("backprop", flipped_backprop, "wrong sign everywhere"),
    ("cost_function", factor_three_cost, "constant factor of 3"),
    ("predict", predict_times_m, "division by the number of examples m"),
    ("gradient_estimator", mutating_estimator, "changed its argument w in place"),
    ("sigmoid", overflowing_sigmoid, "contains NaN"),
    ("nn_parameter_maker", transposed_weights_params, "w[l] is (n_out, n_in)"),
    ("nn_parameter_maker", uniform_params, "uniform on [0, 1)"),
    ("nn_parameter_maker", unseeded_params, "two calls with the same seed gave different values"),
]


@pytest.mark.parametrize("name, fn, text", DIAGNOSTICS, ids=[f.__name__ for _, f, _ in DIAGNOSTICS])
def test_generic_diagnostics(name, fn, text):
    result = run_check(get_spec(name), fn)
    assert not result.passed
    assert text in result.report(), result.report()


def test_naive_sigmoid_gets_full_marks_with_a_note(capsys):
    def naive(z):
        return 1 / (1 + np.exp(-z))
    result = check("sigmoid", naive)
    assert result.passed and result.score == 1.0
    assert any("overflow" in n and "full marks" in n for n in result.notes)
    assert "note:" in capsys.readouterr().out                # printed to stdout, never stderr


def test_central_differences_pass_with_a_note():
    result = run_check(get_spec("gradient_estimator"), lambda X, y, w, b, eps=1e-4:
                       nnlab.central_difference_gradient(X, y, w, b))
    assert result.passed and any("central differences" in n for n in result.notes)


def test_not_implemented_propagates_unchanged():
    def todo(z):
        raise NotImplementedError("not yet")
    with pytest.raises(NotImplementedError, match="not yet"):
        check("sigmoid", todo)


def test_student_errors_and_stderr_are_captured(capsys):
    def noisy(z):
        print("debug", file=sys.stderr)
        return nnlab.sigmoid(z)

    def broken(z):
        raise IndexError("index 3 is out of bounds")
    assert check("sigmoid", noisy).passed
    assert capsys.readouterr().err == ""
    result = run_check(get_spec("sigmoid"), broken)
    assert not result.passed and "sigmoid raised IndexError: index 3 is out of bounds" in result.report()


def test_hidden_messages_show_no_values():
    spec = get_spec("cost_function")
    cases = spec.hidden_cases(7, 3)
    result = run_check(spec, factor_three_cost, cases)
    text = result.report()
    assert not result.passed and "got " not in text and "expected " not in text
    secrets = [float(spec.reference(*c.args)) for c in cases]
    numbers = [float(x) for x in re.findall(r"\d+\.\d{3,}", text)]
    assert not any(np.isclose(n, s, rtol=1e-3) for n in numbers for s in secrets)
    assert "hidden case 1 (arg 1 shape" in text


def test_result_is_plain_data():
    import json
    result = run_check(get_spec("forward_pass"), transposed_forward)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["name"] == "forward_pass" and data["passed"] is False and data["messages"] and data["hints"]


def test_checks_accept_lists_and_python_floats():
    assert run_check(get_spec("sigmoid"), lambda z: np.asarray(nnlab.sigmoid(z)).tolist()).passed
    assert run_check(get_spec("cost_function"), lambda *a: float(nnlab.cost_function(*a))).passed


def test_unknown_check_name():
    with pytest.raises(KeyError, match="no check named 'sigmod'"):
        check("sigmod", nnlab.sigmoid)


def test_numpy_code_in_a_jax_challenge_is_told_to_use_jax_numpy():
    def jax_cost(X, y, w, b):                       # right values, but np.asarray on a tracer fails under jit
        return float(np.sum((nnlab.predict(X, w, b) - y) ** 2) / np.shape(X)[0])

    result = run_check(get_spec("jax_cost"), jax_cost)
    assert not result.passed and "fails under jax.jit" in result.report() and "jax.numpy" in result.report()
