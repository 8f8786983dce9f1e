# %% per_example_cost
# YOUR CODE HERE
raise NotImplementedError()
