"""``Sequential``: deck 001's summary, gradients against finite differences and PyTorch, training on digits."""
import numpy as np
import pytest

import nnlab
from nnlab import AvgPool2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D


def test_deck_001_summary_layer_by_layer(nn):
    model = nn.Sequential([Dense(30, "sigmoid"), Dense(30, "sigmoid"), Dense(10, "softmax")], input_shape=(784,))
    assert [layer.count_params() for layer in model.layers] == [23_550, 930, 310]
    assert model.count_params() == 24_790
    text = model.summary()
    for number in ("23,550", "930", "310", "Total params: 24,790", "(None, 30)"):
        assert number in text


def test_cnn_summary_shapes(nn):
    model = nn.Sequential([Conv2D(32, 3, activation="relu"), Conv2D(64, 3, activation="relu"), MaxPool2D(2),
                        Dropout(0.25), Flatten(), Dense(128, "relu"), Dense(10, "softmax")], input_shape=(1, 28, 28))
    assert model.shapes[:3] == [(32, 26, 26), (64, 24, 24), (64, 12, 12)]
    assert model.count_params() == 320 + 18_496 + 9216 * 128 + 128 + 1290   # deck 002's Keras CNN: 1,199,882


def _check_gradients(model, X, y, eps=1e-6):
    """Central differences on up to 25 entries of every parameter, through ``get_weights``/``set_weights``."""
    loss, grads = model.gradients(X, y)
    weights = model.get_weights()
    for i, (p, g) in enumerate(zip(weights, grads)):
        for idx in list(np.ndindex(p.shape))[:25]:
            old = p[idx]
            p[idx] = old + eps
            up, _ = model.set_weights(weights).gradients(X, y)
            p[idx] = old - eps
            down, _ = model.set_weights(weights).gradients(X, y)
            p[idx] = old
            assert float(g[idx]) == pytest.approx((up - down) / (2 * eps), rel=1e-6, abs=1e-9)
    model.set_weights(weights)


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_cnn_gradients_match_finite_differences(nn, rng, l2):
    model = nn.Sequential([Conv2D(3, 3, padding=1, activation="tanh"), AvgPool2D(2), Conv2D(2, 2, activation="sigmoid"),
                        Flatten(), Dense(4, "tanh"), Dense(3, "softmax")], dtype=np.float64, seed=2)
    model.compile("sgd", l2=l2)
    _check_gradients(model, rng.standard_normal((5, 2, 6, 6)), rng.integers(0, 3, 5))


def test_mse_and_logit_outputs_match_finite_differences(nn, rng):
    X = rng.standard_normal((6, 4))
    _check_gradients(nn.Sequential([Dense(5, "leaky_relu"), Dense(2, "ramp"), Dense(2)], dtype=np.float64)
                     .compile("sgd", loss="mse"), X * 0.3, rng.standard_normal((6, 2)))
    _check_gradients(nn.Sequential([Dense(5, "tanh"), Dense(3)], dtype=np.float64).compile("sgd"), X, rng.integers(0, 3, 6))


def test_cnn_gradients_match_torch(nn, torch, rng):
    F = torch.nn.functional
    X, y = rng.standard_normal((4, 2, 8, 8)), rng.integers(0, 5, 4)
    model = nn.Sequential([Conv2D(3, 3, padding="same", activation="relu"), MaxPool2D(2), Flatten(),
                        Dense(6, "relu"), Dense(5, "softmax")], dtype=np.float64, seed=3).compile("sgd", l2=0.1)
    loss, grads = model.gradients(X, y)
    tp = [torch.tensor(p, requires_grad=True) for p in model.get_weights()]
    a = F.max_pool2d(F.relu(F.conv2d(torch.tensor(X), tp[0], tp[1], padding=1)), 2).reshape(4, -1).T
    a = F.relu(tp[2] @ a + tp[3])
    logits = tp[4] @ a + tp[5]
    tloss = F.cross_entropy(logits.T, torch.tensor(y)) + 0.1 / (2 * 4) * sum((w ** 2).sum() for w in tp[::2])
    tloss.backward()
    assert loss == pytest.approx(tloss.item(), rel=1e-12)
    for g, t in zip(grads, tp):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_mlp_reaches_97_percent_on_digits(nn):
    X_train, X_test, y_train, y_test = nnlab.datasets.load_digits_split()
    model = nn.Sequential([Dense(128, "relu"), Dropout(0.1), Dense(64, "relu"), Dense(10, "softmax")], seed=0)
    history = model.compile(nn.Adam(1e-3)).fit(X_train, y_train, epochs=30, batch_size=32,
                                                  validation_data=(X_test, y_test), seed=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["val_accuracy"]) == 30 and history["loss"][-1] < history["loss"][0]
    assert model.evaluate(X_test, y_test)[1] >= 0.97
    assert model.predict(X_test[:3]).shape == (3, 10)


def test_fit_is_reproducible_and_leaves_data_alone(nn, rng):
    X, y = rng.standard_normal((40, 3)), rng.integers(0, 2, 40)
    before = X.copy()
    runs = [nn.Sequential([Dense(4, "relu"), Dropout(0.3), Dense(2, "softmax")], seed=1).compile("adam")
            .fit(X, y, epochs=3, batch_size=8, seed=5)["loss"] for _ in range(2)]
    assert runs[0] == runs[1] and np.array_equal(X, before)


@pytest.mark.parametrize("call, message", [
    (lambda m, nn: m.fit(np.zeros((4, 3)), np.array([0, 1, 2, 9])), "integer labels 0…2"),
    (lambda m, nn: m.fit(np.zeros((4, 3)), np.zeros(4)), "integer labels"),
    (lambda m, nn: m.fit(np.zeros(4), np.zeros(4, int)), "rows"),
    (lambda m, nn: m.build((3,)).predict(np.zeros((2, 5))), r"shape \(3,\)"),
    (lambda m, nn: m.compile(loss="hinge"), "'cross_entropy' or 'mse'"),
    (lambda m, nn: nn.Sequential([Dense(2, "swish")]), "unknown activation"),
    (lambda m, nn: nn.Sequential([Dense(2)], input_shape=(1, 4, 4)), "add Flatten"),
    (lambda m, nn: m.summary(), "not built yet"),
])
def test_bad_input_is_explained(nn, call, message):
    with pytest.raises(ValueError, match=message):
        call(nn.Sequential([Dense(3, "relu"), Dense(3, "softmax")]), nn)


def test_mse_history_has_no_accuracy(nn, rng):
    X, y = rng.standard_normal((20, 3)), rng.standard_normal((20, 2))
    history = nn.Sequential([Dense(4, "tanh"), Dense(2)], seed=0).compile("adam", loss="mse").fit(
        X, y, epochs=2, batch_size=5, validation_data=(X[:5], y[:5]), seed=0)
    assert set(history.history) == {"loss", "val_loss"} and len(history.epoch_seconds) == 2
