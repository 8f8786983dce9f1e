# %% perceptron
return (np.asarray(X) @ w + b > 0).astype(int
