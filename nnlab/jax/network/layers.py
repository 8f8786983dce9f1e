"""How each of ``nnlab``'s layers applies itself on JAX, for ``nnlab.jax.Sequential``.

The layer objects are numpy's (``nnlab.network.layers``): they describe the architecture and draw the initial
weights. ``apply(layer, p, x, training, key)`` is that layer's forward pass in jax.numpy, one function per
layer class (``functools.singledispatch`` picks it by the layer's class; a new layer registers its own).
Inside the compiled model dense activations are rows ``(m, features)``: ``a @ wᵀ + bᵀ`` is the same number as
``(w @ aᵀ + b)ᵀ``, and XLA compiles the row form about 15% faster on the CPU. Images stay NCHW; ``Flatten``
turns them into rows ``(N, C·H·W)``.
"""
from __future__ import annotations

from functools import singledispatch

import jax
import jax.numpy as jnp

from ...network.layers import Activation, AvgPool2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from ..answers.nb02_forward_pass import sigmoid_of
from ..ops.conv import conv_nchw
from ..ops.pool import pool_compiled

#: activations by name for the compiled model, on rows (softmax across each row): the model differentiates
#: them with ``jax.grad``, so only the forward functions are needed, in their row form
ROW_ACTIVATIONS = {"linear": lambda z: z, "relu": jax.nn.relu, "sigmoid": sigmoid_of, "tanh": jnp.tanh,
                   "leaky_relu": lambda z: jnp.where(z > 0, z, 0.01 * z), "ramp": lambda z: jnp.clip(z, -1, 1),
                   "softmax": lambda z: jax.nn.softmax(z, axis=-1)}


@singledispatch
def apply(layer, p, x, training, key):
    """The layer's output for ``x``; ``p`` its parameters, ``key`` a JAX PRNG key (dropout) or None."""
    raise TypeError(f"nnlab.jax.Sequential does not know the layer {layer!r}")


def dense_logits(p, x):
    """``x @ wᵀ + bᵀ`` for rows ``x (m, n_in)``: the dense layer before its activation, ``(m, units)``."""
    return x @ p[0].T + p[1].T


@apply.register
def _(layer: Dense, p, x, training, key):
    return ROW_ACTIVATIONS[layer.activation](dense_logits(p, x))


@apply.register
def _(layer: Conv2D, p, x, training, key):
    return ROW_ACTIVATIONS[layer.activation](conv_nchw(x, p[0], p[1], layer.stride, layer.padding))


@apply.register
def _(layer: Activation, p, x, training, key):
    return ROW_ACTIVATIONS[layer.activation](x)


@apply.register
def _(layer: Dropout, p, x, training, key):
    if not training or layer.rate == 0:
        return x
    keep = jax.random.uniform(key, x.shape, x.dtype) >= layer.rate
    return jnp.where(keep, x / (1 - layer.rate), 0).astype(x.dtype)


@apply.register
def _(layer: MaxPool2D, p, x, training, key):
    return pool_compiled(x, layer.size, layer.stride, "max")


@apply.register
def _(layer: AvgPool2D, p, x, training, key):
    return pool_compiled(x, layer.size, layer.stride, "avg")


@apply.register
def _(layer: Flatten, p, x, training, key):
    return x.reshape(x.shape[0], -1)
