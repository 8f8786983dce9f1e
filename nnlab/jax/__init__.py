"""nnlab on JAX: every function in ``nnlab.NUMERIC_API`` written in jax.numpy, with the numpy version's
signature, shapes and return structure — compiled with ``jit``, run on a GPU when JAX sees one.

    from nnlab import jax as nnj
    w, b = nnj.nn_parameter_maker([2, 3, 1], seed=0)     # the same numbers as nnlab.nn_parameter_maker
    w_grads, b_grads = nnj.backprop_autodiff(X, y, w, b)   # the gradient through jax.grad

The tree mirrors ``nnlab``'s: ``answers/`` (each notebook's answers; notebook 08's ``jax_cost`` is the cost
here), ``ops/``, ``network/``, ``data/``, and ``backend.py``, the JAX side of the input checks both backends
share. Parameters are plain pytrees (lists and dicts of arrays); nothing is changed in place. Random
parameters are drawn with numpy and converted, so one ``seed`` gives the same starting point in both
backends. Arrays keep their float dtype; nnlab never switches on ``jax_enable_x64`` (do it yourself for
float64 checks, before making any array).
"""
try:
    import jax as _jax  # noqa: F401
except ImportError as exc:                                  # pragma: no cover - exercised without JAX only
    raise ImportError("nnlab.jax needs JAX, which is not installed. Install it with "
                      "pip install 'nnlab[jax]' (or: pip install jax) — the CPU build is enough.") from exc

from .answers.nb02_forward_pass import forward_pass, nn_parameter_maker, predict, sigmoid
from .answers.nb03_gradient_descent import gradient_estimator, one_step_gd
from .answers.nb04_backprop import backprop, sigmoid_prime
from .answers.nb05_classifier import (cross_entropy, cross_entropy_prime, dense_backward, dense_forward, log_softmax,
                                     momentum_update, relu_prime, rmsprop_update, sgd_epoch, softmax)
from .answers.nb06_cnn import (conv2d_backward, conv2d_forward, convolution, max_pool_backward, max_pool_forward,
                               pooling)
from .answers.nb07_lstm import lstm_cell_backward, lstm_cell_forward, rnn_cell_forward
from .answers.nb08_jax import backprop_autodiff, cost_function
from .data.preprocessing import standardize
from .device import describe_devices, gpu_available
from .network.gradient_check import central_difference_gradient
from .network.initializers import count_parameters, he_init, xavier_init
from .network.loops import GD, minibatch_gd
from .network.optimizers import SGD, Adam, Momentum, RMSprop
from .network.sequential import Sequential
from .ops.activations import (ACTIVATIONS, leaky_relu, leaky_relu_prime, linear, linear_prime, ramp, ramp_prime, relu,
                              softmax_prime, tanh, tanh_prime)
from .ops.conv import conv_cache
from .ops.dropout import dropout_backward, dropout_forward
from .ops.losses import (LOSSES, hinge_loss, hinge_loss_prime, l2_penalty, l2_penalty_prime, logistic_loss,
                         logistic_loss_prime, max_margin_loss, max_margin_loss_prime, regularised_cost, square_loss,
                         square_loss_prime)
from .ops.lstm import lstm_backward, lstm_forward, readout_backward, readout_forward
from .ops.lstm_params import init_lstm_params, init_rnn_params
from .ops.pool import avg_pool_backward, avg_pool_forward

__all__ = [
    "ACTIVATIONS", "Adam", "GD", "LOSSES", "Momentum", "RMSprop", "SGD", "Sequential", "avg_pool_backward",
    "avg_pool_forward", "backprop", "backprop_autodiff", "central_difference_gradient", "conv2d_backward",
    "conv2d_forward", "conv_cache", "convolution", "cost_function", "count_parameters", "cross_entropy",
    "cross_entropy_prime", "dense_backward", "dense_forward", "describe_devices", "dropout_backward", "dropout_forward", "forward_pass", "gpu_available",
    "gradient_estimator", "he_init", "hinge_loss", "hinge_loss_prime", "init_lstm_params", "init_rnn_params",
    "l2_penalty",
    "l2_penalty_prime", "leaky_relu", "leaky_relu_prime", "linear", "linear_prime", "log_softmax", "logistic_loss",
    "logistic_loss_prime", "lstm_backward", "lstm_cell_backward", "lstm_cell_forward", "lstm_forward",
    "max_margin_loss", "max_margin_loss_prime", "max_pool_backward", "max_pool_forward", "minibatch_gd",
    "momentum_update", "rmsprop_update", "sgd_epoch",
    "nn_parameter_maker", "one_step_gd", "pooling", "predict", "ramp", "ramp_prime", "readout_backward",
    "readout_forward", "regularised_cost", "relu", "relu_prime", "rnn_cell_forward", "sigmoid", "sigmoid_prime", "softmax",
    "softmax_prime", "square_loss", "square_loss_prime", "standardize", "tanh", "tanh_prime", "xavier_init",
]
