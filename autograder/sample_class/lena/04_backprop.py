# %% sigmoid_prime
return sigmoid(z)
