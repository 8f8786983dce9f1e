# %% rnn_cell_forward
# YOUR CODE HERE
raise NotImplementedError()


# %% lstm_cell_forward
# YOUR CODE HERE
raise NotImplementedError()


# %% lstm_cell_backward
# YOUR CODE HERE
raise NotImplementedError()
