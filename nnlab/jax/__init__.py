"""nnlab on JAX: every function in ``nnlab.NUMERIC_API`` written in jax.numpy, with the numpy version's
signature, shapes and return structure — compiled with ``jit``, run on a GPU when JAX sees one.

    from nnlab import jax as nnj
    w, b = nnj.nn_parameter_maker([2, 3, 1], seed=0)     # the same numbers as nnlab.nn_parameter_maker
    w_grads, b_grads = nnj.backprop_autodiff(X, y, w, b)   # the gradient through jax.grad

Parameters are plain pytrees (lists and dicts of arrays); nothing is changed in place. Random parameters are
drawn with numpy and converted, so one ``seed`` gives the same starting point in both backends. Arrays keep
their float dtype; nnlab never switches on ``jax_enable_x64`` (do it yourself for float64 checks, before
making any array).
"""
try:
    import jax as _jax  # noqa: F401
except ImportError as exc:                                  # pragma: no cover - exercised without JAX only
    raise ImportError("nnlab.jax needs JAX, which is not installed. Install it with "
                      "pip install 'nnlab[jax]' (or: pip install jax) — the CPU build is enough.") from exc

from .activations import (ACTIVATIONS, leaky_relu, leaky_relu_prime, linear, linear_prime, ramp, ramp_prime, relu, relu_prime,
                          sigmoid, sigmoid_prime, softmax, softmax_prime, tanh, tanh_prime)
from .conv import conv2d_backward, conv2d_forward, convolution
from .device import describe_devices, gpu_available
from .gradients import backprop, backprop_autodiff, central_difference_gradient, gradient_estimator
from .losses import (LOSSES, cross_entropy, cross_entropy_prime, hinge_loss, hinge_loss_prime, l2_penalty, l2_penalty_prime,
                     log_softmax, logistic_loss, logistic_loss_prime, max_margin_loss, max_margin_loss_prime,
                     regularised_cost, square_loss, square_loss_prime)
from .lstm import (init_lstm_params, lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward,
                   readout_backward, readout_forward)
from .model import Sequential
from .network import cost_function, forward_pass, predict
from .optim import GD, minibatch_gd, one_step_gd
from .optimizers import SGD, Adam, Momentum, RMSprop
from .params import count_parameters, he_init, nn_parameter_maker, xavier_init
from .pool import avg_pool_backward, avg_pool_forward, max_pool_backward, max_pool_forward, pooling
from .training import dropout_backward, dropout_forward, standardize

__all__ = [name for name in dir() if not name.startswith("_")]
