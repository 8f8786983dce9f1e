"""Deck 002's two Keras models on Fashion-MNIST, trained with nnlab and with Keras (JAX backend) in one run.

- MLP: 784-512-512-10, ReLU, dropout 0.2 after each hidden layer, RMSprop(0.001) (eps under the square
  root, as Keras has it), batch 128, 5 epochs;
  each library trains with three seeds and the median test accuracy is reported.
- CNN: conv 32 3×3 → conv 64 3×3 → max-pool 2×2 → dropout 0.25 → dense 128 → dropout 0.5 → softmax, Adam,
  batch 128, 2 epochs (seeds from --cnn-seeds, one by default: it is slow).

Also the digits targets of issue 3 (scikit-learn's digits, train_test_split(test_size=0.25, stratify=y,
random_state=0)): MLP ≥ 97%, CNN ≥ 98%.

    python benchmarks/bench_fashion.py [--threads 2] [--skip-cnn] [--skip-mlp] [--seeds 0,1,2] [--cnn-seeds 0]
                                       [--no-keras]

Fashion-MNIST comes from nnlab.datasets.load_mnist("fashion") (Debian's dataset-fashion-mnist, $NNLAB_DATA,
or a download). Keras is optional: pip install keras jax.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

ARGS = None
if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--skip-cnn", action="store_true")
    p.add_argument("--skip-mlp", action="store_true")
    p.add_argument("--cnn-seeds", default="0", help="seeds for the (slow) CNN; the median is reported")
    p.add_argument("--no-keras", action="store_true")
    p.add_argument("--subset", type=int, default=0, help="train on the first N images only (quick runs)")
    ARGS = p.parse_args()
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("XLA_FLAGS", f"--xla_cpu_multi_thread_eigen={'true' if ARGS.threads > 1 else 'false'}")

import numpy as np  # noqa: E402

import nnlab  # noqa: E402
from nnlab import Conv2D, Dense, Dropout, Flatten, MaxPool2D, Sequential  # noqa: E402


class KerasRMSprop(nnlab.RMSprop):
    """RMSprop as Keras has it, eps under the square root: θ ← θ − lr·g / √(s + eps) (nnlab's, like PyTorch's,
    divides by √s + eps), so that the accuracy is compared with the anchor's own rule."""

    def _apply(self, p, g, s, t):
        sq = s["square_avg"]
        sq *= self.rho
        sq += (1 - self.rho) * g * g
        p -= self.lr * g / np.sqrt(sq + self.eps)


def nnlab_mlp(seed):
    return Sequential([Dense(512, "relu"), Dropout(0.2), Dense(512, "relu"), Dropout(0.2), Dense(10, "softmax")],
                      input_shape=(784,), seed=seed).compile(KerasRMSprop(0.001))


def nnlab_cnn(seed, input_shape=(1, 28, 28), dense=128):
    return Sequential([Conv2D(32, 3, activation="relu"), Conv2D(64, 3, activation="relu"), MaxPool2D(2),
                       Dropout(0.25), Flatten(), Dense(dense, "relu"), Dropout(0.5), Dense(10, "softmax")],
                      input_shape=input_shape, seed=seed).compile(nnlab.Adam(0.001))


def keras_mlp(keras, seed):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(512, activation="relu"),
                              keras.layers.Dropout(0.2), keras.layers.Dense(512, activation="relu"),
                              keras.layers.Dropout(0.2), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.RMSprop(0.001), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def keras_cnn(keras, seed):
    keras.utils.set_random_seed(seed)
    L = keras.layers
    model = keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(32, 3, activation="relu"),
                              L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2), L.Dropout(0.25), L.Flatten(),
                              L.Dense(128, activation="relu"), L.Dropout(0.5), L.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train_nnlab(model, X, y, Xt, yt, epochs, seed):
    history = model.fit(X, y, epochs=epochs, batch_size=128, seed=seed)
    return model.evaluate(Xt, yt)[1], statistics.median(history.epoch_seconds)


def train_keras(model, X, y, Xt, yt, epochs):
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(X, y, epochs=1, batch_size=128, verbose=0)
        seconds.append(time.perf_counter() - start)
    return model.evaluate(Xt, yt, verbose=0)[1], statistics.median(seconds[1:] or seconds)


def digits():
    X_train, X_test, y_train, y_test = nnlab.datasets.load_digits_split()
    mlp = Sequential([Dense(128, "relu"), Dropout(0.1), Dense(64, "relu"), Dense(10, "softmax")], seed=0)
    mlp.compile(nnlab.Adam(0.001)).fit(X_train, y_train, epochs=30, batch_size=32, seed=0)
    X_train, X_test = X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8)
    cnn = Sequential([Conv2D(16, 3, padding="same", activation="relu"), Conv2D(32, 3, padding="same", activation="relu"),
                      MaxPool2D(2), Dropout(0.25), Flatten(), Dense(64, "relu"), Dropout(0.5), Dense(10, "softmax")],
                     seed=0).compile(nnlab.Adam(0.002))
    cnn.fit(X_train, y_train, epochs=15, batch_size=32, seed=0)
    return mlp.evaluate(X_test.reshape(len(X_test), -1), y_test)[1], cnn.evaluate(X_test, y_test)[1]


def main():
    mlp_acc, cnn_acc = digits()
    print(f"digits (test 450): MLP {mlp_acc:.4f} (target ≥ 0.97), CNN {cnn_acc:.4f} (target ≥ 0.98)", flush=True)
    X_train, y_train, X_test, y_test = nnlab.datasets.load_mnist("fashion")
    if ARGS.subset:
        X_train, y_train = X_train[:ARGS.subset], y_train[:ARGS.subset]
    X, Xt = (X_train / np.float32(255)).astype(np.float32), (X_test / np.float32(255)).astype(np.float32)
    y, yt = y_train.astype(np.int64), y_test.astype(np.int64)
    keras = None
    if not ARGS.no_keras:
        try:
            import keras
        except ImportError:
            print("keras is not installed (pip install keras jax): nnlab only")
    seeds = [int(s) for s in ARGS.seeds.split(",")]
    cnn_seeds = [int(s) for s in ARGS.cnn_seeds.split(",")]
    rows = []
    if not ARGS.skip_mlp:
        flat, flat_test = X.reshape(len(X), -1), Xt.reshape(len(Xt), -1)
        rows.append((f"MLP 512-512 (5 epochs, median of {len(seeds)} seeds)",
                     [train_nnlab(nnlab_mlp(s), flat, y, flat_test, yt, 5, s) for s in seeds]))
        if keras is not None:
            rows.append(("  Keras 3 on JAX, same model", [train_keras(keras_mlp(keras, s), flat, y, flat_test, yt, 5)
                                                          for s in seeds]))
    if not ARGS.skip_cnn:
        rows.append((f"CNN conv32-conv64-pool-128 (2 epochs, {len(cnn_seeds)} seeds)",
                     [train_nnlab(nnlab_cnn(s), X[:, None], y, Xt[:, None], yt, 2, s) for s in cnn_seeds]))
        if keras is not None:
            rows.append(("  Keras 3 on JAX, same model", [train_keras(keras_cnn(keras, s), X[..., None], y,
                                                                      Xt[..., None], yt, 2) for s in cnn_seeds]))
    print(f"Fashion-MNIST ({len(X)} train / {len(Xt)} test), threads={ARGS.threads}")
    print(f"{'model':<46} {'test accuracy':>14} {'s/epoch':>9}   (each seed)")
    for label, results in rows:
        acc = statistics.median(r[0] for r in results)
        sec = statistics.median(r[1] for r in results)
        each = ", ".join(f"{r[0]:.4f}" for r in results)
        print(f"{label:<46} {acc:>14.4f} {sec:>9.1f}   ({each})")


if __name__ == "__main__":
    main()
