# %% jax_cost
a = np.asarray(X, dtype=float).T
for w_l, b_l in zip(w, b):
    a = 1 / (1 + np.exp(-(np.asarray(w_l) @ a + np.asarray(b_l))))
return float(np.sum((a.T - y) ** 2) / a.shape[1])
