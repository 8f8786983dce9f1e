# %% perceptron
return (np.asarray(X, dtype=float) @ w + b >= 0).astype(int)
