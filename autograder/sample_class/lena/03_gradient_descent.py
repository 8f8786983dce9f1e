# %% gradient_estimator
base = cost_function(X, y, w, b)
w_pds = [np.zeros_like(p) for p in w]
b_pds = [np.zeros_like(p) for p in b]
for params, pds in ((w, w_pds), (b, b_pds)):
    for p, g in zip(params, pds):
        for idx in np.ndindex(p.shape):
            p[idx] += eps
            g[idx] = (cost_function(X, y, w, b) - base) / eps
return w_pds, b_pds
