"""nnlab — the reference library of the neural-networks bootcamp.

Shapes follow the bootcamp: ``w[l]`` is ``(n_out, n_in)``, ``b[l]`` is ``(n_out, 1)``, activations are
columns ``(features, m)``; ``predict``, ``cost_function``, the gradients and the training loops take data
sets as rows ``X (m, n_in)``, ``y (m, n_out)``. Images are NCHW with filters ``(F, C, kh, kw)``; LSTM states
are columns ``(n_h, m)`` and sequences ``(T, n_x, m)``. ``Sequential`` takes rows like Keras.
"""
from . import datasets, live, plots
from .activations import (ACTIVATIONS, leaky_relu, leaky_relu_prime, linear, linear_prime, ramp, ramp_prime, relu,
                          relu_prime, sigmoid, sigmoid_prime, softmax, softmax_prime, tanh, tanh_prime)
from .conv import conv2d_backward, conv2d_forward, convolution
from .data import attend_table, gate_targets, toy_data, truth_table, two_blobs, xor_data
from .gradients import backprop, central_difference_gradient, gradient_estimator, relative_error
from .init import glorot_uniform, he_init, he_normal, xavier_init
from .live import LivePlot
from .layers import Activation, AvgPool2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from .losses import (LOSSES, cross_entropy, cross_entropy_prime, hinge_loss, hinge_loss_prime, l2_penalty,
                     l2_penalty_prime, log_softmax, logistic_loss, logistic_loss_prime, max_margin_loss,
                     max_margin_loss_prime, regularised_cost, square_loss, square_loss_prime)
from .lstm import (init_lstm_params, lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward,
                   readout_backward, readout_forward)
from .model import History, Sequential
from .network import cost_function, forward_pass, predict
from .optim import GD, minibatch_gd, one_step_gd
from .optimizers import SGD, Adam, Momentum, RMSprop
from .params import count_parameters, nn_parameter_maker
from .perceptron import (ATTEND_WEIGHTS, SIGN_GATES, STEP_GATES, PerceptronFit, perceptron, perceptron_train,
                         sign, step, threshold_forward, xor_network)
from .pool import avg_pool_backward, avg_pool_forward, max_pool_backward, max_pool_forward, pooling
from .training import Standardizer, dropout_backward, dropout_forward, minibatches, standardize

__version__ = "0.3.0"

#: nnlab's public numerical functions and optimisers: ``nnlab.jax`` implements every one of these names with
#: the same signature, shapes and return structure (the optimisers' ``init`` and pure ``update``).
NUMERIC_API = (
    # parameters and initialisation
    "nn_parameter_maker", "count_parameters", "xavier_init", "he_init", "init_lstm_params",
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
    # convolution and pooling
    "convolution", "pooling", "conv2d_forward", "conv2d_backward", "max_pool_forward", "max_pool_backward",
    "avg_pool_forward", "avg_pool_backward",
    # LSTM
    "lstm_cell_forward", "lstm_cell_backward", "lstm_forward", "lstm_backward", "readout_forward",
    "readout_backward",
    # training tricks and optimisers
    "dropout_forward", "dropout_backward", "standardize", "SGD", "Momentum", "RMSprop", "Adam",
)

__all__ = [name for name in dir() if not name.startswith("_")]


def __getattr__(name):
    """``nnlab.widgets`` is imported on first use: it needs ipywidgets and matplotlib (``nnlab[lab]``)."""
    if name == "widgets":
        import importlib

        return importlib.import_module(".widgets", __name__)
    raise AttributeError(f"module 'nnlab' has no attribute {name!r}")
