# %% sgd_epoch
w, b, losses = list(w), list(b), []
for idx in batches:
    a, caches = X[idx].T, []
    for l in range(len(w)):
        z, cache = dense_forward(a, w[l], b[l])
        caches.append(cache)
        a = np.maximum(z, 0) if l < len(w) - 1 else z
    losses.append(cross_entropy(z, y[idx]))
    dz = cross_entropy_prime(z, y[idx])
    for l in reversed(range(len(w))):
        dz, dw, db = dense_backward(dz, caches[l])
        w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
return w, b, losses
