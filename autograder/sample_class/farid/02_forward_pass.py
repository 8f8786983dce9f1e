# %% forward_pass
# YOUR CODE HERE
raise NotImplementedError()


# %% predict
# YOUR CODE HERE
raise NotImplementedError()


# %% cost_function
# YOUR CODE HERE
raise NotImplementedError()
