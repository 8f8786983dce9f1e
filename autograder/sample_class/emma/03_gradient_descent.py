# %% gradient_estimator
w = [x.astype(float) for x in w]
b = [x.astype(float) for x in b]
base = cost_function(X, y, w, b)
pds = []
for params in (w, b):
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            p[idx] += eps
            g[idx] = (cost_function(X, y, w, b) - base) / (2 * eps)
            p[idx] -= eps
        grads.append(g)
    pds.append(grads)
return pds[0], pds[1]
