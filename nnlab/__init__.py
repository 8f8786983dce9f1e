"""nnlab — the reference library of the neural-networks bootcamp.

Shapes follow the bootcamp: ``w[l]`` is ``(n_out, n_in)``, ``b[l]`` is ``(n_out, 1)``, activations are
columns ``(features, m)``; ``predict``, ``cost_function``, the gradients and the training loops take data
sets as rows ``X (m, n_in)``, ``y (m, n_out)``.
"""
from . import plots
from .activations import sigmoid, sigmoid_prime
from .data import attend_table, gate_targets, truth_table, two_blobs, xor_data
from .gradients import backprop, central_difference_gradient, gradient_estimator, relative_error
from .network import cost_function, forward_pass, predict
from .optim import GD, minibatch_gd, one_step_gd
from .params import count_parameters, nn_parameter_maker
from .perceptron import (ATTEND_WEIGHTS, SIGN_GATES, STEP_GATES, PerceptronFit, perceptron, perceptron_train,
                         sign, step, threshold_forward, xor_network)

__version__ = "0.1.0"

__all__ = [
    "ATTEND_WEIGHTS", "GD", "plots", "PerceptronFit", "SIGN_GATES", "STEP_GATES", "attend_table", "backprop",
    "central_difference_gradient", "cost_function", "count_parameters", "forward_pass", "gate_targets",
    "gradient_estimator", "minibatch_gd", "nn_parameter_maker", "one_step_gd", "perceptron", "perceptron_train",
    "predict", "relative_error", "sigmoid", "sigmoid_prime", "sign", "step", "threshold_forward", "truth_table",
    "two_blobs", "xor_data", "xor_network",
]
