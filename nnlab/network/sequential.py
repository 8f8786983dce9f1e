"""``Sequential``: a small Keras-like model — stack layers, ``compile``, ``fit``, ``evaluate``, ``summary``.

Like Keras it takes data as rows: ``X (m, features)`` for dense models, NCHW images ``X (m, C, H, W)`` for
convolutional ones, and integer class labels ``y (m,)`` (loss ``"cross_entropy"``) or float targets
``y (m, k)`` (loss ``"mse"``). Inside, dense layers keep the bootcamp's columns (see ``nnlab.network.layers``).

>>> model = Sequential([Dense(30, "sigmoid"), Dense(30, "sigmoid"), Dense(10, "softmax")], input_shape=(784,))
>>> model.count_params()
24790
"""
from __future__ import annotations

import time

import numpy as np

from ..answers.nb05_classifier import log_softmax
from .batching import epoch_batches
from .callbacks import train_begin, train_end
from .layers import Dense, Layer
from .optimizers import get_optimizer


class History:
    """Per-epoch metrics from ``fit`` (``history["loss"]``, ``"accuracy"``, ``"val_loss"``, ``"val_accuracy"``)."""

    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.epoch_seconds: list[float] = []

    def __getitem__(self, key):
        return self.history[key]

    def append(self, **metrics):
        for k, v in metrics.items():
            self.history.setdefault(k, []).append(float(v))

    def plot(self, axes=None):
        """Loss and (where measured) accuracy per epoch, training and validation, as deck 003 plots them."""
        import matplotlib.pyplot as plt

        keys = [k for k in ("loss", "accuracy") if k in self.history]
        if axes is None:
            _, axes = plt.subplots(1, len(keys), figsize=(4.5 * len(keys), 3.2), squeeze=False)
            axes = axes[0]
        for ax, key in zip(axes, keys):
            for prefix, label in (("", "train"), ("val_", "validation")):
                if prefix + key in self.history:
                    values = self.history[prefix + key]
                    ax.plot(np.arange(1, len(values) + 1), values, marker="o", label=label)
            ax.set_xlabel("epoch")
            ax.set_title(key)
            ax.legend()
        return axes

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4f}" for k, v in self.history.items())
        return f"History({len(self.epoch_seconds)} epochs: {last})"


class Sequential:
    """A stack of layers trained by backpropagation.

    Args:
        layers: the layers, input side first.
        input_shape: one example's shape, ``(features,)`` or ``(C, H, W)``; taken from the data if omitted.
        seed: seeds the weights and (with ``fit``'s own seed) the dropout masks and shuffling.
        dtype: float32 by default, like the frameworks (float64 for gradient checks).
    """

    def __init__(self, layers: list[Layer], input_shape=None, seed=0, dtype=np.float32):
        self.layers = list(layers)
        self.dtype = np.dtype(dtype)
        self.seed = seed
        self.input_shape = None
        self.optimizer, self.loss, self.l2 = get_optimizer("rmsprop"), "cross_entropy", 0.0
        self._opt_state = None
        if input_shape is not None:
            self.build(input_shape)

    # --- building and describing -------------------------------------------------------------------------
    def build(self, input_shape):
        """Make every layer's weights for examples of shape ``input_shape``."""
        rng = np.random.default_rng(self.seed)
        shape = tuple(int(s) for s in input_shape)
        self.input_shape, self.shapes = shape, []
        for layer in self.layers:
            shape = layer.build(shape, rng, self.dtype)
            self.shapes.append(shape)
        self._opt_state = None
        return self

    @property
    def params(self) -> list[np.ndarray]:
        return [p for layer in self.layers for p in layer.params]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight and bias, in the order of ``params`` (as Keras' ``get_weights``)."""
        self._require_built()
        return [np.array(p, copy=True) for p in self.params]

    def set_weights(self, weights):
        """Load values shaped like ``get_weights()`` (copied in; the model keeps its own arrays). Returns self."""
        for p, w in zip(self._check_weights(weights), weights):
            p[...] = w
        return self

    def _check_weights(self, weights):
        """The current parameters, after checking that ``weights`` has their number and shapes."""
        self._require_built()
        current = self.params
        if len(weights) != len(current) or any(np.shape(w) != p.shape for w, p in zip(weights, current)):
            raise ValueError(f"Sequential.set_weights: expected {len(current)} arrays shaped "
                             f"{[p.shape for p in current]}, got {[np.shape(w) for w in weights]}")
        return current

    def count_params(self) -> int:
        self._require_built()
        return sum(layer.count_params() for layer in self.layers)

    def summary(self) -> str:
        """A Keras-style table: each layer, its output shape and its number of parameters."""
        self._require_built()
        rows = [(f"{i}: {layer.describe()}", str((None, *shape)), f"{layer.count_params():,}")
                for i, (layer, shape) in enumerate(zip(self.layers, self.shapes))]
        widths = [max(len(r[k]) for r in rows + [("Layer", "Output shape", "Param #")]) for k in range(3)]
        line = "  ".join("-" * w for w in widths)
        fmt = lambda r: f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}"  # noqa: E731
        text = [fmt(("Layer", "Output shape", "Param #")), line, *map(fmt, rows), line,
                f"Total params: {self.count_params():,}"]
        return "\n".join(text)

    def _require_built(self):
        if self.input_shape is None:
            raise ValueError("Sequential: the model is not built yet; pass input_shape=... or call fit first")

    # --- training ------------------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss="cross_entropy", l2: float = 0.0):
        """Choose the optimiser (an instance or a name), the loss (``"cross_entropy"`` with integer labels,
        or ``"mse"`` with float targets ``(m, k)``) and deck 003's L2 strength λ (weights only, not biases)."""
        if loss not in ("cross_entropy", "mse"):
            raise ValueError(f"Sequential.compile: loss must be 'cross_entropy' or 'mse', got {loss!r}")
        self.optimizer, self.loss, self.l2 = get_optimizer(optimizer), loss, float(l2)
        self._opt_state = None
        return self

    def _inputs(self, X, func):
        X = np.asarray(X)
        if X.ndim not in (2, 4):
            raise ValueError(f"Sequential.{func}: X must be rows (m, features) or NCHW images (m, C, H, W), "
                             f"got shape {X.shape}")
        if self.input_shape is None:
            self.build(X.shape[1:])
        if X.shape[1:] != self.input_shape:
            raise ValueError(f"Sequential.{func}: each example must have shape {self.input_shape}, "
                             f"got {X.shape[1:]}")
        X = X.astype(self.dtype, copy=False)
        return X.T if X.ndim == 2 else X                    # dense models work on columns

    def _targets(self, y, m, func):
        y = np.asarray(y)
        k = self.shapes[-1][0]
        if self.loss == "cross_entropy":
            if y.shape != (m,) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= k:
                raise ValueError(f"Sequential.{func}: y must be {m} integer labels 0…{k - 1}, shape ({m},); "
                                 f"got shape {y.shape}, dtype {y.dtype}")
            return y
        if y.shape != (m, k):
            raise ValueError(f"Sequential.{func}: y must be ({m}, {k}) for the mse loss, got {y.shape}")
        return y.astype(self.dtype).T

    def _forward(self, a, training, rng):
        caches = []
        for layer in self.layers:
            a, cache = layer.forward(a, training, rng)
            caches.append(cache)
        return a, caches

    def _fused_softmax(self):
        last = self.layers[-1]
        return self.loss == "cross_entropy" and isinstance(last, Dense) and last.activation == "softmax"

    def _loss_and_grad(self, out, caches, y):
        """Mean data loss, and ∂loss/∂(last output) — or ∂loss/∂z of a final softmax layer (fused).

        Notebook 05's cross-entropy and its derivative are computed here on the model's own arrays, in place,
        from the probabilities a softmax layer already made (or from 05's log-softmax of the logits): the
        answers would take logits and allocate anew at every step."""
        m = out.shape[-1]
        if self.loss == "mse":
            diff = out - y
            return float(np.sum(diff * diff) / m), diff * (2 / m), None
        cols = np.arange(m)
        if self._fused_softmax():                            # out are probabilities; grad w.r.t. the logits
            logp = np.log(np.maximum(out[y, cols], np.finfo(out.dtype).tiny))
            dz = out.copy()
            dz[y, cols] -= 1
            dz /= m
            return float(-logp.mean()), None, dz
        logp = log_softmax(out)                              # out are logits
        dout = np.exp(logp)
        dout[y, cols] -= 1
        return float(-logp[y, cols].mean()), dout / m, None

    def _backward(self, dout, dz, caches):
        """Gradients of every parameter, last layer first. Below the lowest layer with weights nothing needs
        a gradient, so that layer skips ∂x and the layers under it are not visited."""
        grads = []
        lowest = next((i for i, layer in enumerate(self.layers) if layer.params), len(self.layers))
        for i in range(len(self.layers) - 1, lowest - 1, -1):
            layer = self.layers[i]
            kwargs = {"need_dx": False} if i == lowest else {}
            if i == len(self.layers) - 1 and dz is not None:
                dout, g = layer.backward(None, caches[i], dz=dz, **kwargs)
            else:
                dout, g = layer.backward(dout, caches[i], **kwargs)
            grads[:0] = g
        return grads

    def _l2_terms(self, m):
        if not self.l2:
            return 0.0
        weights = [layer.params[0] for layer in self.layers if layer.params]
        return self.l2 / (2 * m) * sum(float(np.sum(w * w)) for w in weights)

    def gradients(self, X, y, training=False, seed=None):
        """``(loss, grads)`` for one batch: ``grads`` lists ∂loss/∂p for ``self.params`` in order
        (dropout off unless ``training``). The loss includes the L2 term."""
        a = self._inputs(X, "gradients")
        m = len(X)
        y = self._targets(y, m, "gradients")
        rng = np.random.default_rng(seed)
        out, caches = self._forward(a, training, rng)
        loss, dout, dz = self._loss_and_grad(out, caches, y)
        grads = self._backward(dout, dz, caches)
        if self.l2:
            i = 0
            for layer in self.layers:
                if layer.params:
                    grads[i] = grads[i] + (self.l2 / m) * layer.params[0]
                i += len(layer.params)
        return loss + self._l2_terms(m), grads

    def train_step(self, X_batch, y_batch, rng):
        """One optimiser step on one batch (rows); returns the batch loss."""
        loss, grads = self.gradients(X_batch, y_batch, training=True, seed=rng)
        if self._opt_state is None:
            self._opt_state = self.optimizer.init(self.params)
        self.optimizer.step(self.params, grads, self._opt_state)
        return loss

    def train_epoch(self, X, y, batch_size=32, rng=None) -> float:
        """One pass over the rows in shuffled mini-batches (shuffles and dropout from ``rng``, a numpy
        Generator or a seed); returns the mean batch loss. ``fit`` is this plus the metrics."""
        rng = np.random.default_rng(rng)
        batches = epoch_batches(len(X), batch_size, rng, "minibatches")     # the message numpy's model has given
        return float(np.mean([self.train_step(X[rows], y[rows], rng) for rows in batches.each()]))

    def fit(self, X, y, epochs=1, batch_size=32, validation_data=None, seed=None, callback=None) -> History:
        """Train for ``epochs`` passes over shuffled mini-batches.

        Args:
            X, y: training rows and labels (see the module docstring); validation_data: ``(X_val, y_val)``.
            seed: shuffling and dropout; callback: ``callback(epoch, history)`` after each epoch
                (``nnlab.LivePlot()`` plots the curves live).
        Returns: a ``History`` with loss and accuracy per epoch (and val_loss, val_accuracy).
        """
        X = X if hasattr(X, "__array__") and hasattr(X, "shape") else np.asarray(X)   # device arrays stay put
        y = np.asarray(y)
        self._inputs(X[:1], "fit")                          # builds, and checks the shape
        self._targets(y, len(X), "fit")                     # every label checked before the first step
        rng = np.random.default_rng(seed)
        history = History()
        train_begin(callback, int(epochs), "epoch")
        for epoch in range(int(epochs)):
            start = time.perf_counter()
            self.train_epoch(X, y, batch_size, rng)
            history.epoch_seconds.append(time.perf_counter() - start)
            names = ("loss", "accuracy") if self.loss == "cross_entropy" else ("loss",)   # mse: no accuracy
            metrics = dict(zip(names, self.evaluate(X, y)))
            if validation_data is not None:
                metrics.update(zip(["val_" + n for n in names], self.evaluate(*validation_data)))
            history.append(**metrics)
            if callback is not None:
                callback(epoch, history)
        train_end(callback)
        return history

    # --- using a trained model -----------------------------------------------------------------------------
    def predict(self, X, batch_size=1024) -> np.ndarray:
        """The model's outputs as rows ``(m, k)`` (probabilities after a softmax layer), dropout off."""
        X = np.asarray(X)
        outs = []
        for start in range(0, len(X), batch_size):
            out, _ = self._forward(self._inputs(X[start:start + batch_size], "predict"), False, None)
            outs.append(out.T)
        return np.concatenate(outs) if outs else np.empty((0, self.shapes[-1][0]), self.dtype)

    def evaluate(self, X, y, batch_size=1024) -> tuple[float, float]:
        """``(loss, accuracy)`` on a data set (accuracy is NaN for the mse loss); dropout off, no L2 term."""
        X, y = np.asarray(X), np.asarray(y)
        total_loss, correct = 0.0, 0
        for start in range(0, len(X), batch_size):
            a = self._inputs(X[start:start + batch_size], "evaluate")
            n = len(X[start:start + batch_size])
            yb = self._targets(y[start:start + batch_size], n, "evaluate")
            out, caches = self._forward(a, False, None)
            loss, _, _ = self._loss_and_grad(out, caches, yb)
            total_loss += loss * n
            if self.loss == "cross_entropy":
                correct += int(np.sum(out.argmax(axis=0) == yb))
        m = max(len(X), 1)
        return total_loss / m, (correct / m if self.loss == "cross_entropy" else float("nan"))
