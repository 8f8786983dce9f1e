# %% relu_prime
return (np.asarray(z, dtype=float) >= 0).astype(float)
