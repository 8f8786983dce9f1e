# %% one_step_gd
# YOUR CODE HERE
raise NotImplementedError()
