"""The challenges' reference answers, one module per notebook, named like the notebook.

Each notebook's graded functions are written here once, together, and nowhere else: the toolkit imports them
where it needs them, and ``docs/library.md`` lists which toolkit part uses which notebook's answers (later
answers build on earlier ones, as the course does). ``GRADED`` maps each notebook to the names of its graded
functions, in the order the notebook asks for them.
"""
GRADED = {
    "01_perceptron": ("perceptron", "logic_gate", "perceptron_train", "xor_network"),
    "02_forward_pass": ("nn_parameter_maker", "sigmoid", "forward_pass", "predict", "cost_function"),
    "03_gradient_descent": ("gradient_estimator", "one_step_gd"),
    "04_backprop": ("sigmoid_prime", "backprop"),
    "05_classifier": ("relu_prime", "softmax", "cross_entropy", "cross_entropy_prime", "dense_forward",
                      "dense_backward", "sgd_epoch", "momentum_update", "rmsprop_update"),
    "06_cnn": ("convolution", "pooling", "conv2d_forward", "max_pool_forward", "conv2d_backward",
               "max_pool_backward"),
    "07_lstm": ("rnn_cell_forward", "lstm_cell_forward", "lstm_cell_backward"),
    "08_jax": ("jax_cost", "jax_gradient", "per_example_cost", "gd_step"),
}
