"""nnlab — the reference library of the neural-networks bootcamp.

Shapes follow the bootcamp: ``w[l]`` is ``(n_out, n_in)``, ``b[l]`` is ``(n_out, 1)``, activations are
columns ``(features, m)``; ``predict``, ``cost_function``, the gradients and the training loops take data
sets as rows ``X (m, n_in)``, ``y (m, n_out)``. Images are NCHW with filters ``(F, C, kh, kw)``; LSTM states
are columns ``(n_h, m)`` and sequences ``(T, n_x, m)``. ``Sequential`` takes rows like Keras.

Where things live (``docs/library.md`` has the whole map):

- ``answers/``  the challenges' reference answers, one module per notebook (``nb02_forward_pass``, …);
- ``ops/``      forward / backward pairs: activations, losses, convolution, pooling, LSTM, dropout;
- ``network/``  initialisers, threshold units, layers, ``Sequential``, optimisers, batching, training loops,
  gradient checking;
- ``data/``     toy sets, offline loaders of real data sets (``nnlab.datasets``), preprocessing;
- ``pictures/`` plots, diagrams, live training curves, widgets;
- ``checks/``   each challenge's check as data; ``jax/`` the numerical API on JAX, in the same tree.

Everything below is importable from ``nnlab`` itself, e.g. ``nnlab.sigmoid`` or ``nnlab.Sequential``.
"""
import sys as _sys

from .answers.nb01_perceptron import STEP_GATES, PerceptronFit, perceptron, perceptron_train, xor_network
from .answers.nb02_forward_pass import cost_function, forward_pass, nn_parameter_maker, predict, sigmoid
from .answers.nb03_gradient_descent import central_difference_gradient, gradient_estimator, one_step_gd
from .answers.nb04_backprop import backprop, sigmoid_prime
from .answers.nb05_classifier import (DenseCache, cross_entropy, cross_entropy_prime, dense_backward, dense_forward,
                                     log_softmax, momentum_update, relu_prime, rmsprop_update, sgd_epoch, softmax, step)
from .answers.nb06_cnn import (conv2d_backward, conv2d_forward, convolution, max_pool_backward, max_pool_forward,
                               pooling)
from .answers.nb07_lstm import lstm_cell_backward, lstm_cell_forward, rnn_cell_forward
from .data import loaders as datasets
from .data.preprocessing import Standardizer, standardize
from .data.toy import ATTEND_WEIGHTS, SIGN_GATES, attend_table, gate_targets, toy_data, truth_table, two_blobs, xor_data
from .network.batching import minibatches
from .network.gradient_check import relative_error
from .network.initializers import count_parameters, glorot_uniform, he_init, he_normal, xavier_init
from .network.layers import Activation, AvgPool2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from .network.loops import GD, minibatch_gd
from .network.optimizers import SGD, Adam, Momentum, RMSprop
from .network.sequential import History, Sequential
from .network.threshold import sign, threshold_forward
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
from .pictures import diagrams, live, plots, widgets
from .pictures.live import LivePlot

__version__ = "0.3.0"

# The public modules keep their import paths (``import nnlab.datasets``, ``from nnlab.widgets import playground``)
# though they live in data/ and pictures/. (The widgets import ipywidgets only when one is built.)
_sys.modules.update({f"{__name__}.{name}": module for name, module in
                     (("datasets", datasets), ("diagrams", diagrams), ("live", live), ("plots", plots),
                      ("widgets", widgets))})

#: nnlab's public numerical functions and optimisers: ``nnlab.jax`` implements every one of these names with
#: the same signature, shapes and return structure (the optimisers' ``init`` and pure ``update``).
NUMERIC_API = (
    # parameters and initialisation
    "nn_parameter_maker", "count_parameters", "xavier_init", "he_init", "init_lstm_params", "init_rnn_params",
    # activations and their derivatives
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime", "leaky_relu", "leaky_relu_prime",
    "ramp", "ramp_prime", "linear", "linear_prime", "softmax", "softmax_prime",
    # losses
    "square_loss", "square_loss_prime", "logistic_loss", "logistic_loss_prime", "hinge_loss", "hinge_loss_prime",
    "cross_entropy", "cross_entropy_prime", "max_margin_loss", "max_margin_loss_prime", "log_softmax",
    "l2_penalty", "l2_penalty_prime", "regularised_cost",
    # the bootcamp network, its gradients and training loops
    "forward_pass", "predict", "cost_function", "gradient_estimator", "central_difference_gradient", "backprop",
    "one_step_gd", "GD", "minibatch_gd",
    # the classifier's machinery (notebook 05)
    "dense_forward", "dense_backward", "sgd_epoch", "momentum_update", "rmsprop_update",
    # convolution and pooling
    "convolution", "pooling", "conv2d_forward", "conv2d_backward", "conv_cache", "max_pool_forward",
    "max_pool_backward", "avg_pool_forward", "avg_pool_backward",
    # recurrent cells: a plain RNN and the LSTM
    "rnn_cell_forward", "lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward", "readout_forward",
    "readout_backward",
    # training tricks and optimisers
    "dropout_forward", "dropout_backward", "standardize", "SGD", "Momentum", "RMSprop", "Adam",
)

__all__ = [
    # the numerical API (NUMERIC_API) and the rest of the toolkit
    *NUMERIC_API,
    "ACTIVATIONS", "LOSSES", "NUMERIC_API",
    # notebook 01: threshold units and logic gates
    "ATTEND_WEIGHTS", "SIGN_GATES", "STEP_GATES", "PerceptronFit", "perceptron", "perceptron_train", "sign", "step",
    "threshold_forward", "xor_network",
    # gradient checking, initialisers, batching
    "relative_error", "glorot_uniform", "he_normal", "minibatches",
    # models and layers
    "Sequential", "History", "Dense", "Activation", "Dropout", "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten",
    # data, preprocessing and pictures
    "Standardizer", "attend_table", "gate_targets", "toy_data", "truth_table", "two_blobs", "xor_data",
    "datasets", "diagrams", "live", "plots", "widgets", "LivePlot",
]

