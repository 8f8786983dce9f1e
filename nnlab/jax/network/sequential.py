"""``Sequential`` on JAX: the numpy model's layers, methods and data layout, trained by ``jax.grad`` and ``jit``.

Give it the same layer objects as ``nnlab.Sequential`` (``Dense``, ``Conv2D``, ``Dropout`` …): they describe
the architecture and draw the initial weights with numpy from ``seed``, so both backends start from the same
numbers. From then on the weights are a list of JAX arrays (``model.params``) and every step is pure: one
compiled function computes the loss, its gradient (``jax.value_and_grad``) and the optimiser update, and a
whole epoch of equal batches runs inside one ``lax.scan``.

The weights keep the bootcamp's shapes (``w (units, n_in)``, ``b (units, 1)``); each layer's forward pass on
JAX is in ``nnlab.jax.network.layers`` (dense activations are rows there, which XLA compiles faster).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ...network.batching import epoch_batches
from ...network.layers import Dropout, Layer
from ...network.sequential import Sequential as _NumpySequential
from .layers import apply, dense_logits
from .optimizers import get_optimizer


class Sequential(_NumpySequential):
    """``nnlab.Sequential``'s interface (build, summary, compile, fit, train_step, gradients, predict, evaluate)
    on JAX. ``model.params`` is a list of JAX arrays in the numpy model's order."""

    def __init__(self, layers: list[Layer], input_shape=None, seed=0, dtype=np.float32):
        self._params = None
        super().__init__(layers, input_shape=input_shape, seed=seed, dtype=dtype)
        self.optimizer = get_optimizer("rmsprop")

    def build(self, input_shape):
        super().build(input_shape)                      # numpy draws the weights from the seed
        self._params = [jnp.asarray(p, self.dtype) for layer in self.layers for p in layer.params]
        self._compiled = {}
        return self

    @property
    def params(self):
        return self._params

    def set_weights(self, weights):
        """Load values shaped like ``get_weights()`` as new JAX arrays. Returns self."""
        self._check_weights(weights)
        self._params = [jnp.asarray(w, self.dtype) for w in weights]
        return self

    def compile(self, optimizer="rmsprop", loss="cross_entropy", l2: float = 0.0):
        if loss not in ("cross_entropy", "mse"):
            raise ValueError(f"Sequential.compile: loss must be 'cross_entropy' or 'mse', got {loss!r}")
        self.optimizer, self.loss, self.l2 = get_optimizer(optimizer), loss, float(l2)
        self._opt_state, self._compiled = None, {}
        return self

    # --- the pure functions ------------------------------------------------------------------------------
    def _split(self, params):
        out, i = [], 0
        for layer in self.layers:
            n = len(layer.params)
            out.append(params[i:i + n])
            i += n
        return out

    def _apply(self, params, x, training, key, logits=False):
        """Forward pass; with ``logits`` a final softmax layer is left out (the loss fuses it)."""
        per_layer = self._split(params)
        keys = jax.random.split(key, len(self.layers)) if key is not None else [None] * len(self.layers)
        for i, (layer, p) in enumerate(zip(self.layers, per_layer)):
            if logits and i == len(self.layers) - 1 and self._fused_softmax():
                return dense_logits(p, x)
            x = apply(layer, p, x, training, keys[i])
        return x

    def _data_loss(self, params, x, y, training, key):
        m = y.shape[0]
        out = self._apply(params, x, training, key, logits=True)
        if self.loss == "mse":
            return jnp.sum((out - y) ** 2) / m
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(out, axis=-1), y[:, None], axis=-1))

    def _objective(self, params, x, y, training, key):
        loss = self._data_loss(params, x, y, training, key)
        if self.l2:
            weights = [p[0] for p in self._split(params) if p]
            loss = loss + self.l2 / (2 * y.shape[0]) * sum(jnp.sum(w * w) for w in weights)
        return loss

    def _get(self, name, make):
        if name not in self._compiled:
            self._compiled[name] = make()
        return self._compiled[name]

    def _step_fn(self):
        grad = jax.value_and_grad(self._objective)

        def step(params, state, x, y, key):
            loss, grads = grad(params, x, y, True, key)
            params, state = self.optimizer.update(params, grads, state)
            return params, state, loss
        return step

    def _epoch_fn(self):
        step = self._step_fn()

        @jax.jit
        def epoch(params, state, X, Y, batches, key):
            def body(carry, rows):
                params, state, key = carry
                key, sub = jax.random.split(key)
                params, state, loss = step(params, state, X[rows], Y[rows], sub)
                return (params, state, key), loss
            (params, state, key), losses = jax.lax.scan(body, (params, state, key), batches)
            return params, state, key, losses
        return epoch

    # --- the numpy model's methods -----------------------------------------------------------------------
    def _inputs(self, X, func):
        X = np.asarray(X) if not isinstance(X, jax.Array) else X
        if X.ndim not in (2, 4):
            raise ValueError(f"Sequential.{func}: X must be rows (m, features) or NCHW images (m, C, H, W), "
                             f"got shape {X.shape}")
        if self.input_shape is None:
            self.build(X.shape[1:])
        if tuple(X.shape[1:]) != self.input_shape:
            raise ValueError(f"Sequential.{func}: each example must have shape {self.input_shape}, "
                             f"got {tuple(X.shape[1:])}")
        return jnp.asarray(X, self.dtype)

    def _labels(self, y, m, func):
        y = np.asarray(y)
        if self.loss == "cross_entropy":
            _NumpySequential._targets(self, y, m, func)     # the numpy model's checks and messages
            return jnp.asarray(y, jnp.int32)
        return jnp.asarray(_NumpySequential._targets(self, y, m, func).T)    # (m, k) rows

    def gradients(self, X, y, training=False, seed=None):
        """``(loss, grads)`` for one batch (rows); grads in the order of ``params``; the loss includes L2."""
        X = self._inputs(X, "gradients")
        y = self._labels(y, len(X), "gradients")
        key = jax.random.key(0 if seed is None else seed)
        fn = self._get(("grad", training), lambda: jax.jit(jax.value_and_grad(
            lambda p, x, t, k: self._objective(p, x, t, training, k))))
        loss, grads = fn(self._params, X, y, key)
        return float(loss), list(grads)

    def train_step(self, X_batch, y_batch, rng):
        """One optimiser step on one batch of rows; ``rng`` (dropout) a JAX key, an int or a numpy Generator.
        Returns the batch loss."""
        X = self._inputs(X_batch, "train_step")
        y = self._labels(y_batch, len(X), "train_step")
        if isinstance(rng, np.random.Generator):
            rng = int(rng.integers(2 ** 31))
        key = jax.random.key(0 if rng is None else rng) if isinstance(rng, (int, np.integer, type(None))) else rng
        if self._opt_state is None:
            self._opt_state = self.optimizer.init(self._params)
        fn = self._get("step", lambda: jax.jit(self._step_fn()))
        self._params, self._opt_state, loss = fn(self._params, self._opt_state, X,
                                                 y, key)
        return float(loss)

    def train_epoch(self, X, y, batch_size=32, rng=None) -> float:
        """One pass over shuffled mini-batches — the equal batches in one compiled ``lax.scan``, then a step
        for the remainder. Shuffles come from ``rng`` (numpy Generator or seed) exactly as in the numpy
        model; dropout keys are drawn from it too when the model has dropout. Returns the mean batch loss."""
        rng = np.random.default_rng(rng)
        Xd = self._inputs(X, "train_epoch")
        yd = self._labels(y, len(Xd), "train_epoch")
        batches = epoch_batches(len(Xd), batch_size, rng, "Sequential.train_epoch")
        if self._opt_state is None:
            self._opt_state = self.optimizer.init(self._params)
        dropout = any(isinstance(layer, Dropout) and layer.rate for layer in self.layers)
        key = jax.random.key(int(rng.integers(2 ** 31)) if dropout else 0)
        losses = []
        if len(batches.full):
            epoch_fn = self._get("epoch", self._epoch_fn)
            self._params, self._opt_state, key, batch_losses = epoch_fn(
                self._params, self._opt_state, Xd, yd, jnp.asarray(batches.full), key)
            losses.append(batch_losses)
        if batches.rest.size:
            key, sub = jax.random.split(key)
            rest = jnp.asarray(batches.rest)
            step = self._get("step", lambda: jax.jit(self._step_fn()))
            self._params, self._opt_state, loss = step(self._params, self._opt_state, Xd[rest],
                                                       yd[rest], sub)
            losses.append(loss[None])
        return float(jnp.mean(jnp.concatenate(losses)))

    def _forward_fn(self):
        return jax.jit(lambda p, x: self._apply(p, x, False, None))

    def predict(self, X, batch_size=1024):
        """Outputs as rows ``(m, k)`` (probabilities after a softmax layer), dropout off — a numpy array."""
        X = self._inputs(X, "predict")
        fn = self._get("forward", self._forward_fn)
        outs = [np.asarray(fn(self._params, X[s:s + batch_size])) for s in range(0, len(X), batch_size)]
        return np.concatenate(outs) if outs else np.empty((0, self.shapes[-1][0]), self.dtype)

    def evaluate(self, X, y, batch_size=1024):
        """``(loss, accuracy)`` without the L2 term (accuracy NaN for mse); dropout off."""
        X = self._inputs(X, "evaluate")
        y = self._labels(y, len(X), "evaluate")
        fn = self._get("eval", lambda: jax.jit(self._eval_batch))
        total, correct = 0.0, 0
        for s in range(0, len(X), batch_size):
            rows = jnp.arange(s, min(s + batch_size, len(X)))
            loss, hits = fn(self._params, X[rows], y[rows])
            total += float(loss) * len(rows)
            correct += int(hits)
        n = max(len(X), 1)
        return total / n, (correct / n if self.loss == "cross_entropy" else float("nan"))

    def _eval_batch(self, params, x, y):
        loss = self._data_loss(params, x, y, False, None)
        if self.loss == "mse":
            return loss, 0
        return loss, jnp.sum(self._apply(params, x, False, None, logits=True).argmax(axis=-1) == y)
