# %% cross_entropy_prime
# YOUR CODE HERE
raise NotImplementedError()


# %% dense_forward
# YOUR CODE HERE
raise NotImplementedError()


# %% dense_backward
# YOUR CODE HERE
raise NotImplementedError()


# %% sgd_epoch
# YOUR CODE HERE
raise NotImplementedError()


# %% momentum_update
# YOUR CODE HERE
raise NotImplementedError()


# %% rmsprop_update
# YOUR CODE HERE
raise NotImplementedError()
