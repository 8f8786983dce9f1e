# %% cross_entropy
z = np.asarray(z, dtype=float)
top = z.max(axis=0)
return float(np.sum(top + np.log(np.exp(z - top).sum(axis=0)) - z[c, np.arange(z.shape[1])]))


# %% rmsprop_update
s = rho * s + (1 - rho) * dw ** 2
return w - lr * dw / np.sqrt(s + eps), s
