"""The two backends side by side: every name in ``nnlab.NUMERIC_API`` exists in ``nnlab.jax`` with the same
signature and gives the same numbers (float64, 1e-9); ``jax.grad``/``jax.vjp`` are the oracle for every
hand-written numpy backward pass; the checks accept JAX arrays from students."""
import inspect

import numpy as np
import pytest

import nnlab
from nnlab.checks import SPECS, run_check
from tests.conftest import optional

jax = optional("jax", "the JAX backend: pip install 'nnlab[jax]'")
import jax.numpy as jnp  # noqa: E402

from nnlab import jax as nnj  # noqa: E402

TOL = 1e-9


def _arrays(value):
    """The arrays of a result, in order, with the backward passes' caches left out (their insides differ)."""
    if type(value).__name__.endswith("Cache"):
        return []
    if isinstance(value, dict):
        return [a for k in sorted(value) for a in _arrays(value[k])]
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _arrays(v)]
    return [] if value is None else [np.asarray(value)]


@pytest.mark.parametrize("name", nnlab.NUMERIC_API)
def test_every_name_exists_with_the_same_signature(name):
    ours, theirs = getattr(nnlab, name), getattr(nnj, name, None)
    assert theirs is not None, f"nnlab.jax has no {name}"
    if inspect.isclass(ours):
        assert inspect.signature(ours.__init__) == inspect.signature(theirs.__init__)
        assert callable(theirs().init) and callable(theirs().update)
        return
    a, b = inspect.signature(ours).parameters, inspect.signature(theirs).parameters
    assert list(a) == list(b), f"{name}: parameters {list(a)} vs {list(b)}"
    for p in a:
        if p not in ("dtype", "gradient"):              # float64 vs JAX's default float; each backend's backprop
            assert a[p].default == b[p].default, f"{name}({p}=…): default {a[p].default!r} vs {b[p].default!r}"


def _cases(rng):
    """Arguments for every function of the API (float64)."""
    w, b = nnlab.nn_parameter_maker([3, 4, 2], seed=1)
    X, y = rng.standard_normal((6, 3)), rng.random((6, 2))
    z, s, c, signs = rng.standard_normal((3, 5)), rng.standard_normal((4, 6)), rng.integers(0, 4, 6), \
        rng.choice([-1.0, 1.0], 6)
    img, ker = rng.standard_normal((6, 7)), rng.standard_normal((3, 3))
    x4, w4, b4 = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    pool_x = rng.integers(0, 3, (2, 2, 7, 6)).astype(float)             # ties everywhere
    params = nnlab.init_lstm_params(3, 4, seed=2)
    Xs, h0, c0 = rng.standard_normal((5, 3, 2)), rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    cases = {
        "nn_parameter_maker": ([3, 4, 2], 7), "count_parameters": (w, b), "xavier_init": ([3, 4, 2], 7),
        "he_init": ([3, 4, 2], 7), "init_lstm_params": (3, 4, 7), "init_rnn_params": (3, 4, 7),
        "softmax": (z,), "softmax_prime": (z,),
        "square_loss": (s, s[::-1]), "square_loss_prime": (s, s[::-1]),
        "logistic_loss": (z[:1], signs[:5]), "logistic_loss_prime": (z[:1], signs[:5]),
        "hinge_loss": (z[:1], signs[:5]), "hinge_loss_prime": (z[:1], signs[:5]),
        "cross_entropy": (s, c), "cross_entropy_prime": (s, c), "max_margin_loss": (s, c),
        "max_margin_loss_prime": (s, c), "log_softmax": (s,), "l2_penalty": (w, 0.3, 6),
        "l2_penalty_prime": (w, 0.3, 6), "regularised_cost": (nnlab.sigmoid(s), (s > 0).astype(float), w, 0.3),
        "forward_pass": (X.T, w, b), "predict": (X, w, b), "cost_function": (X, y, w, b),
        "gradient_estimator": (X, y, w, b), "central_difference_gradient": (X, y, w, b), "backprop": (X, y, w, b),
        "one_step_gd": (X, y, w, b, 0.5), "GD": (X, y, w, b, 4, 0.5), "minibatch_gd": (X, y, w, b, 3, 0.5, 4, 9),
        "convolution": (img, ker, 2, 1), "pooling": (img, 3, 2, "max"),
        "conv2d_forward": (x4, w4, b4, 2, 1), "max_pool_forward": (pool_x, 3, 2), "avg_pool_forward": (pool_x, 2, 1),
        "lstm_cell_forward": (Xs[0], h0, c0, params), "rnn_cell_forward": (Xs[0], h0, nnlab.init_rnn_params(3, 4, 2)), "lstm_forward": (Xs, h0, c0, params),
        "readout_forward": (rng.standard_normal((5, 4, 2)), rng.standard_normal((2, 4)), rng.standard_normal((2, 1))),
        "standardize": (X,),
        "dense_forward": (X.T, w[0], b[0]),
        "sgd_epoch": (X, c, *nnlab.nn_parameter_maker([3, 4, 4], seed=3), 0.3, [np.array([4, 0, 2]), np.array([1, 3, 5])]),
        "momentum_update": (s, s[::-1], s * 0.3, 0.05, 0.8), "rmsprop_update": (s, s[::-1], s * s, 0.01, 0.9, 1e-7),
    }
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "ramp", "linear"):
        cases[name] = cases[name + "_prime"] = (np.concatenate([z.ravel(), [0.0, -1.0, 1.0, 30.0, -30.0]]),)
    return cases


BACKWARD = {"conv2d_backward": "conv2d_forward", "max_pool_backward": "max_pool_forward",
            "avg_pool_backward": "avg_pool_forward", "lstm_cell_backward": "lstm_cell_forward",
            "lstm_backward": "lstm_forward", "readout_backward": "readout_forward", "dense_backward": "dense_forward"}


def test_same_numbers_in_both_backends():
    rng = np.random.default_rng(5)
    cases = _cases(rng)
    compared = set()
    for name, args in cases.items():
        ours, theirs = getattr(nnlab, name)(*args), getattr(nnj, name)(*args)
        a, b = _arrays(ours), _arrays(theirs)
        assert len(a) == len(b) and a, name
        for x, y in zip(a, b):
            assert x.shape == y.shape, name
            np.testing.assert_allclose(y, x, rtol=TOL, atol=TOL, err_msg=name)
        compared.add(name)
        back = next((k for k, v in BACKWARD.items() if v == name), None)
        if back:                                         # the matching backward pass, on both caches
            outs = ours if isinstance(ours, tuple) else (ours,)
            douts = [rng.standard_normal(np.shape(o)) for o in outs if not type(o).__name__.endswith("Cache")]
            if name == "lstm_cell_forward":
                douts = douts[:2]
            elif name in ("lstm_forward",):
                douts = douts[:1]
            else:
                douts = douts[:1]
            mine = getattr(nnlab, back)(*douts, ours[-1])
            jaxs = getattr(nnj, back)(*douts, theirs[-1])
            for x, y in zip(_arrays(mine), _arrays(jaxs)):
                np.testing.assert_allclose(y, x, rtol=TOL, atol=TOL, err_msg=back)
            compared.add(back)
    mask_out, mask = nnlab.dropout_forward(np.ones((3, 4)), 0.5, np.random.default_rng(0))
    np.testing.assert_array_equal(nnj.dropout_backward(np.ones((3, 4)), mask), nnlab.dropout_backward(np.ones((3, 4)), mask))
    x4, w4, b4 = (np.asarray(a) for a in cases["conv2d_forward"][:3])    # a cache built without the forward pass
    d = rng.standard_normal(nnlab.conv2d_forward(x4, w4, b4, 2, 1)[0].shape)
    for x, y in zip(nnlab.conv2d_backward(d, nnlab.conv_cache(x4, w4, b4, 2, 1)),
                    nnj.conv2d_backward(d, nnj.conv_cache(x4, w4, b4, 2, 1))):
        np.testing.assert_allclose(y, x, rtol=TOL, atol=TOL, err_msg="conv_cache")
    compared.add("conv_cache")
    compared |= {"dropout_forward", "dropout_backward", "SGD", "Momentum", "RMSprop", "Adam"}   # tested elsewhere
    assert compared == set(nnlab.NUMERIC_API), set(nnlab.NUMERIC_API) - compared


@pytest.mark.parametrize("opt", ["SGD", "Momentum", "RMSprop", "Adam"])
def test_optimisers_step_for_step(rng, opt):
    params = [rng.standard_normal((3, 2)), rng.standard_normal((3, 1))]
    ours, theirs = getattr(nnlab, opt)(0.05), getattr(nnj, opt)(0.05)
    p1, s1 = params, ours.init(params)
    p2, s2 = params, theirs.init(params)
    step = jax.jit(theirs.update)
    for _ in range(5):
        g = [rng.standard_normal(p.shape) for p in params]
        p1, s1 = ours.update(p1, g, s1)
        p2, s2 = step(p2, g, s2)
    for x, y in zip(p1, p2):
        np.testing.assert_allclose(y, x, rtol=1e-12)


# --- jax.grad / jax.vjp as the oracle for numpy's hand-written backward passes --------------------------
def _vjp(f, args, dout):
    out, pullback = jax.vjp(f, *[jnp.asarray(a) for a in args])
    return pullback(jnp.asarray(dout, out.dtype))


def test_backprop_against_jax_grad(rng):
    for sizes in ([2, 3, 1], [4, 6, 5, 2], [5, 4, 4, 4, 3]):
        w, b = nnlab.nn_parameter_maker(sizes, seed=rng)
        X, y = rng.uniform(-2, 2, (7, sizes[0])), rng.random((7, sizes[-1]))
        assert nnlab.relative_error(nnlab.backprop(X, y, w, b), nnj.backprop_autodiff(X, y, w, b)) < TOL
        assert nnlab.relative_error(nnj.backprop(X, y, w, b), nnj.backprop_autodiff(X, y, w, b)) < TOL


def test_conv_and_pool_backward_against_vjp(rng):
    x, w, b = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    out, cache = nnlab.conv2d_forward(x, w, b, stride=2, padding=1)
    d = rng.standard_normal(out.shape)
    oracle = _vjp(lambda x, w, b: nnj.conv2d_forward(x, w, b, 2, 1)[0], (x, w, b), d)
    for mine, theirs in zip(nnlab.conv2d_backward(d, cache), oracle):
        np.testing.assert_allclose(mine, theirs, rtol=TOL, atol=TOL)
    x = rng.standard_normal((2, 2, 7, 6))                                 # distinct values: max is differentiable
    for mode in ("max", "avg"):
        fwd, bwd = getattr(nnlab, f"{mode}_pool_forward"), getattr(nnlab, f"{mode}_pool_backward")
        out, cache = fwd(x, 3, 2)
        d = rng.standard_normal(out.shape)
        reference = (lambda x: jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 1, 3, 3), (1, 1, 2, 2), "VALID")) \
            if mode == "max" else (lambda x: jax.lax.reduce_window(x, 0.0, jax.lax.add, (1, 1, 3, 3), (1, 1, 2, 2),
                                                                   "VALID") / 9)
        np.testing.assert_allclose(bwd(d, cache), _vjp(reference, (x,), d)[0], rtol=TOL, atol=TOL)


def _lstm_reference(X, h0, c0, params):
    """Deck 000's equations written out directly in jax.numpy, one step at a time."""
    h, c, hs = h0, c0, []
    for t in range(X.shape[0]):
        hx = jnp.concatenate([h, X[t]])
        f = jax.nn.sigmoid(params["Wf"] @ hx + params["bf"])
        i = jax.nn.sigmoid(params["Wi"] @ hx + params["bi"])
        g = jnp.tanh(params["Wc"] @ hx + params["bc"])
        o = jax.nn.sigmoid(params["Wo"] @ hx + params["bo"])
        c = f * c + i * g
        h = o * jnp.tanh(c)
        hs.append(h)
    return jnp.stack(hs), c


def test_lstm_backward_against_vjp(rng):
    params = nnlab.init_lstm_params(3, 4, seed=1)
    X, h0, c0 = rng.standard_normal((6, 3, 2)), rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    H, C, cache = nnlab.lstm_forward(X, h0, c0, params)
    dH, dc = rng.standard_normal(H.shape), rng.standard_normal(c0.shape)
    dX, dh0, dc0, grads = nnlab.lstm_backward(dH, cache, dc_last=dc)
    jparams = {k: jnp.asarray(v) for k, v in params.items()}
    _, pullback = jax.vjp(_lstm_reference, jnp.asarray(X), jnp.asarray(h0), jnp.asarray(c0), jparams)
    oX, oh0, oc0, ograds = pullback((jnp.asarray(dH), jnp.asarray(dc)))
    for mine, theirs in [(dX, oX), (dh0, oh0), (dc0, oc0)] + [(grads[k], ograds[k]) for k in params]:
        np.testing.assert_allclose(mine, theirs, rtol=TOL, atol=TOL)
    h, c, cell = nnlab.lstm_cell_forward(X[0], h0, c0, params)
    dx, dh_prev, dc_prev, g1 = nnlab.lstm_cell_backward(dH[0], dc, cell)
    _, pullback = jax.vjp(lambda x, h, c, p: _lstm_reference(x[None], h, c, p), jnp.asarray(X[0]), jnp.asarray(h0),
                          jnp.asarray(c0), jparams)
    ox, oh, oc, og = pullback((jnp.asarray(dH[:1]), jnp.asarray(dc)))
    for mine, theirs in [(dx, ox), (dh_prev, oh), (dc_prev, oc)] + [(g1[k], og[k]) for k in params]:
        np.testing.assert_allclose(mine, theirs, rtol=TOL, atol=TOL)


def test_readout_and_dropout_backward_against_vjp(rng):
    H, Wy, by = rng.standard_normal((4, 3, 2)), rng.standard_normal((2, 3)), rng.standard_normal((2, 1))
    Y, cache = nnlab.readout_forward(H, Wy, by)
    dY = rng.standard_normal(Y.shape)
    oracle = _vjp(lambda H, Wy, by: jnp.matmul(Wy, H) + by, (H, Wy, by), dY)
    for mine, theirs in zip(nnlab.readout_backward(dY, cache), oracle):
        np.testing.assert_allclose(mine, theirs, rtol=TOL, atol=TOL)
    x = rng.standard_normal((5, 6))
    out, mask = nnlab.dropout_forward(x, 0.3, np.random.default_rng(1))
    d = rng.standard_normal(x.shape)
    np.testing.assert_allclose(nnlab.dropout_backward(d, mask), _vjp(lambda x: x * mask, (x,), d)[0], rtol=TOL)


def test_nnlab_imports_without_jax_and_says_how_to_get_it():
    import subprocess
    import sys
    code = ("import sys; sys.modules['jax'] = None\n"             # make `import jax` fail, as where it is absent
            "import nnlab; assert nnlab.backprop and 'jax' not in nnlab.__dict__\n"
            "try:\n    from nnlab import jax\nexcept ImportError as e:\n    print(e)\nelse:\n    raise SystemExit(1)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "pip install 'nnlab[jax]'" in out.stdout


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "ramp", "linear"])
def test_activation_derivatives_against_grad(name):
    # away from the kinks, and from the tails where autodiff's 1 − tanh² loses the digits nnlab keeps
    z = np.array([-3.0, -1.5, -0.5, 0.25, 0.5, 1.5, 3.0])
    np.testing.assert_allclose(getattr(nnlab, name + "_prime")(z),
                               jax.vmap(jax.grad(getattr(nnj, name)))(jnp.asarray(z)), rtol=TOL, atol=1e-300)


def test_loss_derivatives_and_softmax_jacobian_against_autodiff(rng):
    s, c, signs = rng.standard_normal((4, 6)), rng.integers(0, 4, 6), rng.choice([-1.0, 1.0], 6)
    for name, args in [("square_loss", (s, s[::-1].copy())), ("cross_entropy", (s, c)), ("max_margin_loss", (s, c)),
                       ("logistic_loss", (s[:1], signs)), ("hinge_loss", (s[:1], signs))]:
        oracle = jax.grad(lambda x: getattr(nnj, name)(x, *args[1:]))(jnp.asarray(args[0]))
        np.testing.assert_allclose(getattr(nnlab, name + "_prime")(*args), oracle, rtol=TOL, atol=1e-15, err_msg=name)
    jac = jax.vmap(jax.jacfwd(lambda col: jax.nn.softmax(col)))(jnp.asarray(s.T))
    np.testing.assert_allclose(nnlab.softmax_prime(s), jac, rtol=TOL, atol=1e-15)
    w = [rng.standard_normal((3, 2)), rng.standard_normal((1, 3))]
    oracle = jax.grad(lambda ws: nnj.l2_penalty(ws, 0.7, 5))([jnp.asarray(a) for a in w])
    for mine, theirs in zip(nnlab.l2_penalty_prime(w, 0.7, 5), oracle):
        np.testing.assert_allclose(mine, theirs, rtol=TOL)


def test_sequential_backprop_against_jax_grad(rng):
    from nnlab import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D
    layers = lambda: [Conv2D(3, 3, padding=1, activation="tanh"), MaxPool2D(2), Conv2D(2, 2, activation="relu"),  # noqa
                      AvgPool2D(1), Flatten(), Dense(5, "sigmoid"), Dense(3, "softmax")]
    X, y = rng.standard_normal((4, 2, 8, 8)), rng.integers(0, 3, 4)
    ours = nnlab.Sequential(layers(), dtype=np.float64, seed=4).compile("sgd", l2=0.2)
    theirs = nnj.Sequential(layers(), dtype=np.float64, seed=4).compile("sgd", l2=0.2)
    (l1, g1), (l2, g2) = ours.gradients(X, y), theirs.gradients(X, y)
    assert l1 == pytest.approx(l2, rel=TOL)
    assert nnlab.relative_error(g1, g2) < TOL


def test_jax_sequential_trains_like_numpy(rng):
    """Without dropout the two backends take the same steps from the same seed: the same history."""
    from nnlab import Dense
    X, y = rng.standard_normal((50, 4)), rng.integers(0, 3, 50)
    runs = [backend.Sequential([Dense(8, "relu"), Dense(3, "softmax")], dtype=np.float64, seed=1)
            .compile(backend.Adam(0.01)).fit(X, y, epochs=3, batch_size=16, seed=2) for backend in (nnlab, nnj)]
    np.testing.assert_allclose(runs[1]["loss"], runs[0]["loss"], rtol=1e-10)
    model = nnj.Sequential([Dense(8, "relu"), nnlab.Dropout(0.5), Dense(3, "softmax")], dtype=np.float64, seed=1)
    for rng_like in (np.random.default_rng(0), 3, jax.random.key(4), None):     # what train_step takes as rng
        assert np.isfinite(model.train_step(X[:8], y[:8], rng_like))


@pytest.mark.parametrize("name", sorted(set(SPECS) & set(nnlab.NUMERIC_API)))
def test_checks_accept_jax_arrays(name):
    result = run_check(SPECS[name], getattr(nnj, name))
    assert result.passed, result.report()


def test_float32_stays_float32_without_x64_flip(rng):
    """nnlab.jax keeps float32 inputs float32 and never changes JAX's x64 setting itself."""
    before = jax.config.jax_enable_x64
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    out, cache = nnj.conv2d_forward(x, np.ones((2, 3, 3, 3), np.float32), np.zeros(2, np.float32))
    assert out.dtype == jnp.float32 and nnj.sigmoid(x).dtype == jnp.float32
    assert all(a.dtype == jnp.float32 for a in nnj.conv2d_backward(np.ones(out.shape, np.float32), cache))
    assert jax.config.jax_enable_x64 == before


def test_device_line_says_where_jax_runs():
    line = nnj.describe_devices()
    assert line.startswith(f"JAX {jax.__version__} on {jax.default_backend()}")
    assert ("no GPU" in line) == (not nnj.gpu_available())
