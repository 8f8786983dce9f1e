"""Layers for ``Sequential``: Dense, Activation, Dropout, Conv2D, MaxPool2D, AvgPool2D, Flatten.

Layouts inside a model: dense layers work on columns ``(features, m)`` — the bootcamp's convention, with
``w (units, n_in)`` and ``b (units, 1)`` — and image layers on NCHW ``(N, C, H, W)``; ``Flatten`` turns NCHW
into columns ``(C·H·W, N)``. Every layer has

- ``build(input_shape, rng, dtype) -> output_shape`` (shapes without the batch axis) which makes its weights;
- ``forward(x, training, rng) -> (out, cache)`` and ``backward(dout, cache) -> (dx, grads)``, where ``grads``
  lists the gradients of ``params`` in order. Layers with weights also take ``need_dx=False`` (the model's
  first layer: nothing below it needs ∂x), which skips that product and returns ``dx = None``.

A layer owns the arrays it creates; ``backward`` may reuse ``dout`` (a temporary made by the layer above) as
scratch space, which saves an allocation per layer and step. Public functions elsewhere never do that.
"""
from __future__ import annotations

import numpy as np

from ..answers.nb04_backprop import layer_gradients
from ..answers.nb05_classifier import dense_backward, dense_forward, softmax
from ..answers.nb06_cnn import (conv2d_backward, conv2d_forward, conv2d_weight_grads, max_pool_backward,
                                max_pool_forward)
from ..ops.activations import ACTIVATIONS
from ..ops.dropout import dropout_forward
from ..ops.pool import avg_pool_backward, avg_pool_forward
from .initializers import glorot_uniform


class Layer:
    params: list
    param_names: tuple = ()

    def __init__(self):
        self.params = []

    def build(self, input_shape, rng, dtype):
        return tuple(input_shape)

    def count_params(self) -> int:
        return int(sum(p.size for p in self.params))

    def describe(self) -> str:
        return type(self).__name__

    def __repr__(self):
        return self.describe()


def _activate(name, z):
    """Apply an activation to ``z``, which the caller owns (ReLU works in place)."""
    if name == "relu":
        return np.maximum(z, 0, out=z)
    if name == "softmax":
        return softmax(z)
    return ACTIVATIONS[name][0](z)


def _activate_owned(name, z):
    """``(out, z_kept)``: the activation of ``z`` (which the caller owns), and ``z`` itself only where the
    backward pass needs it — linear, ReLU and softmax differentiate from their output, so ``z`` can be
    overwritten in place and is not kept."""
    if name in ("linear", "relu", "softmax"):
        return _activate(name, z), None
    return _activate(name, z.copy()), z


def _activation_backward(name, dout, z, out):
    """∂loss/∂z from ∂loss/∂out; ``dout`` is scratch."""
    if name == "linear":
        return dout
    if name == "relu":                          # relu_prime (05) in place: out > 0 exactly where z > 0
        return np.multiply(dout, out > 0, out=dout)
    if name == "softmax":                       # vector–Jacobian product: s ⊙ (dout − Σ dout ⊙ s)
        return out * (dout - np.sum(dout * out, axis=0, keepdims=True))
    return np.multiply(dout, ACTIVATIONS[name][1](z), out=dout)


def _in_dtype(arrays, dtype) -> list:
    """The arrays in the layer's dtype (a student's pass may compute in float64); no copy when they already are."""
    return [np.asarray(a, dtype=dtype) for a in arrays]


def _check_activation(activation):
    name = "linear" if activation is None else activation
    if name != "softmax" and name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; use one of {sorted(ACTIVATIONS) + ['softmax']}")
    return name


class Dense(Layer):
    """Fully connected: ``z = w @ a + b``, ``out = activation(z)``; ``a`` is ``(n_in, m)`` columns."""

    param_names = ("w", "b")

    def __init__(self, units: int, activation=None):
        super().__init__()
        self.units, self.activation = int(units), _check_activation(activation)

    def build(self, input_shape, rng, dtype):
        if len(input_shape) != 1:
            raise ValueError(f"Dense needs a flat input (features,), got {tuple(input_shape)}; add Flatten() first")
        self.params = [glorot_uniform((self.units, input_shape[0]), rng, dtype), np.zeros((self.units, 1), dtype)]
        return (self.units,)

    def forward(self, a, training, rng):
        z, dense = dense_forward(a, *self.params)       # the student kit's: your own (notebook 05)
        z = np.asarray(z, dtype=a.dtype)
        out, z_kept = _activate_owned(self.activation, z)
        return out, (a, dense, z_kept, out)

    def backward(self, dout, cache, dz=None, need_dx=True):
        """``dz``, if given, is ∂loss/∂z already (a fused softmax + cross-entropy); ``dout`` is then unused.
        Without ``need_dx`` only BP4 and BP3 are computed (``layer_gradients``), skipping the product wᵀδ."""
        a, dense, z, out = cache
        if dz is None:
            dz = _activation_backward(self.activation, dout, z, out)
        if not need_dx:
            return None, list(layer_gradients(dz, a))                               # BP4, BP3
        da, dw, db = _in_dtype(dense_backward(dz, dense), a.dtype)                  # BP2's wᵀδ; BP4, BP3
        return da, [dw, db]

    def describe(self):
        return f"Dense({self.units}" + ("" if self.activation == "linear" else f", {self.activation}") + ")"


class Activation(Layer):
    """An activation on its own, for any layout."""

    def __init__(self, activation):
        super().__init__()
        self.activation = _check_activation(activation)

    def forward(self, x, training, rng):
        out = _activate(self.activation, x.copy())
        return out, (x, out)

    def backward(self, dout, cache):
        x, out = cache
        return _activation_backward(self.activation, dout, x, out), []

    def describe(self):
        return f"Activation({self.activation})"


class Dropout(Layer):
    """Inverted dropout: in training, zero a fraction ``rate`` of the values and scale the rest by 1/(1 − rate)."""

    def __init__(self, rate: float):
        super().__init__()
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate}")
        self.rate = float(rate)

    def forward(self, x, training, rng):
        if not training or self.rate == 0:
            return x, None                      # unlike dropout_forward, no copy: the model owns x
        return dropout_forward(x, self.rate, rng)

    def backward(self, dout, cache):
        if cache is None:
            return dout, []
        return np.multiply(dout, cache, out=dout), []     # dropout_backward, in the model's scratch array

    def describe(self):
        return f"Dropout({self.rate:g})"


class Conv2D(Layer):
    """2-D convolution on NCHW: ``filters`` kernels of ``kernel_size × kernel_size`` over all input channels.

    ``padding`` is a number of zeros per side, ``"valid"`` (0) or ``"same"`` (keeps H and W at stride 1).
    Weights ``w (F, C, k, k)``, bias ``b (F,)``.
    """

    param_names = ("w", "b")

    def __init__(self, filters: int, kernel_size: int = 3, stride: int = 1, padding=0, activation=None):
        super().__init__()
        self.filters, self.kernel_size, self.stride = int(filters), int(kernel_size), int(stride)
        if padding == "valid":
            padding = 0
        elif padding == "same":
            if self.kernel_size % 2 == 0:
                raise ValueError("Conv2D: padding='same' needs an odd kernel_size")
            padding = self.kernel_size // 2
        self.padding = int(padding)
        self.activation = _check_activation(activation)

    def build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(f"Conv2D needs images (C, H, W), got {tuple(input_shape)}")
        C, H, W = input_shape
        k = self.kernel_size
        self.params = [glorot_uniform((self.filters, C, k, k), rng, dtype), np.zeros(self.filters, dtype)]
        return (self.filters, (H + 2 * self.padding - k) // self.stride + 1,
                (W + 2 * self.padding - k) // self.stride + 1)

    def forward(self, x, training, rng):
        z, cache = conv2d_forward(x, *self.params, stride=self.stride, padding=self.padding)
        out, z_kept = _activate_owned(self.activation, np.asarray(z, dtype=x.dtype))   # yours may give float64
        return out, (cache, z_kept, out)

    def backward(self, dout, cache, need_dx=True):
        forward, z, out = cache        # the cache of conv2d_forward goes to conv2d_backward, whoever wrote them
        dz = _activation_backward(self.activation, dout, z, out)
        if not need_dx:
            return None, _in_dtype(conv2d_weight_grads(dz, forward), out.dtype)
        dx, dw, db = _in_dtype(conv2d_backward(dz, forward), out.dtype)
        return dx, [dw, db]

    def describe(self):
        act = "" if self.activation == "linear" else f", {self.activation}"
        return f"Conv2D({self.filters}, {self.kernel_size}×{self.kernel_size}{act})"


class _Pool2D(Layer):
    _forward = _backward = None

    def __init__(self, pool_size: int = 2, strides: int | None = None):
        super().__init__()
        self.size = int(pool_size)
        self.stride = self.size if strides is None else int(strides)

    def build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(f"{type(self).__name__} needs images (C, H, W), got {tuple(input_shape)}")
        C, H, W = input_shape
        return C, (H - self.size) // self.stride + 1, (W - self.size) // self.stride + 1

    def forward(self, x, training, rng):
        out, cache = type(self)._forward(x, self.size, self.stride)
        return np.asarray(out, dtype=x.dtype), cache

    def backward(self, dout, cache):
        return np.asarray(type(self)._backward(dout, cache), dtype=dout.dtype), []

    def describe(self):
        return f"{type(self).__name__}({self.size}×{self.size})"


class MaxPool2D(_Pool2D):
    """Max pooling over ``pool_size × pool_size`` windows (stride defaults to the window size)."""
    _forward, _backward = staticmethod(max_pool_forward), staticmethod(max_pool_backward)


class AvgPool2D(_Pool2D):
    """Average pooling over ``pool_size × pool_size`` windows (stride defaults to the window size)."""
    _forward, _backward = staticmethod(avg_pool_forward), staticmethod(avg_pool_backward)


class Flatten(Layer):
    """NCHW images ``(N, C, H, W)`` → columns ``(C·H·W, N)`` for the dense layers that follow."""

    def build(self, input_shape, rng, dtype):
        return (int(np.prod(input_shape)),)

    def forward(self, x, training, rng):
        return x.reshape(x.shape[0], -1).T, x.shape

    def backward(self, dout, cache):
        return np.ascontiguousarray(dout.T).reshape(cache), []
