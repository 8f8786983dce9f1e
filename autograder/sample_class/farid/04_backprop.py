# %% sigmoid_prime
# YOUR CODE HERE
raise NotImplementedError()


# %% backprop
# YOUR CODE HERE
raise NotImplementedError()
