# %% forward_pass
a = np.asarray(inp, dtype=float)
for w_l in w:
    a = sigmoid(w_l @ a)
return a
