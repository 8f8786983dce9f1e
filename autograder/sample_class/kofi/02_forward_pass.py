# %% cost_function
return np.sum((predict(X, w, b) - y) ** 2) / (2 * np.shape(y)[0])
