# %% predict
return forward_pass(np.transpose(X), w, b)
