"""Notebook 05: relu_prime, softmax, cross_entropy, cross_entropy_prime, the dense layer's forward and backward
pass, sgd_epoch, momentum_update and rmsprop_update — realistic student answers.

Scores are columns ``z (k, m)``, labels integers ``c (m,)``. ``SOFTMAX`` is a student's correct softmax, which
their ``cross_entropy_prime`` calls. dense_backward is checked with the student's own dense_forward, so its
entries define both (``DENSE_FORWARD`` is a correct one whose cache is ``(a, w)``); ``HELPERS`` are a student's
correct notebook-05 functions, which their sgd_epoch may call."""

SOFTMAX = '''
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
'''

DENSE_FORWARD = '''
def dense_forward(a, w, b):
    z = w @ a + b
    return z, (a, w)
'''

HELPERS = SOFTMAX + DENSE_FORWARD + '''
def relu_prime(z):
    return (z > 0).astype(float)


def cross_entropy(z, c):
    m = z.shape[1]
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -np.mean(log_p[c, np.arange(m)])


def cross_entropy_prime(z, c):
    g = softmax(z)
    g[c, np.arange(z.shape[1])] -= 1
    return g / z.shape[1]


def dense_backward(dz, cache):
    a, w = cache
    return w.T @ dz, dz @ a.T, dz.sum(axis=1, keepdims=True)
'''

ENTRIES = [
    # ------------------------------------------------------------------------------------------ relu_prime
    dict(id="nb05-relu-prime-where", challenge="relu_prime", expect="passes", code='''
def relu_prime(z):
    return np.where(z > 0, 1.0, 0.0)
'''),
    dict(id="nb05-relu-prime-boolean", challenge="relu_prime", expect="passes", code='''
def relu_prime(z):
    return z > 0          # True/False are 1/0
'''),
    dict(id="nb05-relu-prime-heaviside", challenge="relu_prime", expect="passes", code='''
def relu_prime(z):
    return np.heaviside(z, 0.0)
'''),
    dict(id="nb05-relu-prime-astype-int", challenge="relu_prime", expect="passes", code='''
def relu_prime(z):
    return (np.asarray(z) > 0).astype(int)
'''),
    dict(id="nb05-relu-prime-mask-on-copy", challenge="relu_prime", expect="passes", code='''
def relu_prime(z):
    d = np.array(z, dtype=float)
    d[d <= 0] = 0
    d[d > 0] = 1
    return d
'''),
    dict(id="nb05-relu-prime-relu-itself", challenge="relu_prime", expect="fails",
         keywords=["ReLU itself", "max(0, z)"], code='''
def relu_prime(z):
    return np.maximum(0, z)
'''),
    dict(id="nb05-relu-prime-ge", challenge="relu_prime", expect="fails",
         keywords=["z = 0", "z > 0", ">="], code='''
def relu_prime(z):
    return (z >= 0).astype(float)
'''),
    dict(id="nb05-relu-prime-mask-in-place", challenge="relu_prime", expect="fails",
         keywords=["in place", "copies"], code='''
def relu_prime(z):
    z[z <= 0] = 0
    z[z > 0] = 1
    return z
'''),

    # ------------------------------------------------------------------------------------------ softmax
    dict(id="nb05-softmax-column-max", challenge="softmax", expect="passes", code=SOFTMAX),
    dict(id="nb05-softmax-loop-over-columns", challenge="softmax", expect="passes", code='''
def softmax(z):
    z = np.asarray(z, dtype=float)
    out = np.zeros_like(z)
    for j in range(z.shape[1]):
        col = z[:, j] - np.max(z[:, j])
        out[:, j] = np.exp(col) / np.sum(np.exp(col))
    return out
'''),
    dict(id="nb05-softmax-no-keepdims-axis0", challenge="softmax", expect="passes", code='''
def softmax(z):
    # axis=0 reductions broadcast back along the columns without keepdims
    e = np.exp(z - np.max(z, axis=0))
    return e / np.sum(e, axis=0)
'''),
    dict(id="nb05-softmax-log-sum-exp", challenge="softmax", expect="passes", code='''
def softmax(z):
    top = z.max(axis=0, keepdims=True)
    lse = top + np.log(np.sum(np.exp(z - top), axis=0, keepdims=True))
    return np.exp(z - lse)
'''),
    dict(id="nb05-softmax-transpose-rows", challenge="softmax", expect="passes", code='''
def softmax(z):
    r = np.transpose(z)                       # rows are easier for me
    e = np.exp(r - r.max(axis=1, keepdims=True))
    return np.transpose(e / e.sum(axis=1, keepdims=True))
'''),
    dict(id="nb05-softmax-rows", challenge="softmax", expect="fails", keywords=["column"], code='''
def softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
'''),
    dict(id="nb05-softmax-whole-array", challenge="softmax", expect="fails",
         keywords=["whole array", "each column"], code='''
def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)
'''),
    dict(id="nb05-softmax-no-max", challenge="softmax", expect="fails", visible_only=True,
         keywords=["maximum", "overflow"], code='''
def softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)
'''),
    dict(id="nb05-softmax-global-max", challenge="softmax", expect="fails", visible_only=True,
         keywords=["column"], code='''
def softmax(z):
    e = np.exp(z - np.max(z))                 # the largest score of all
    return e / e.sum(axis=0, keepdims=True)
'''),

    # ------------------------------------------------------------------------------------------ cross_entropy
    dict(id="nb05-ce-log-sum-exp", challenge="cross_entropy", expect="passes", code='''
def cross_entropy(z, c):
    m = z.shape[1]
    top = z.max(axis=0)
    log_sum = top + np.log(np.exp(z - top).sum(axis=0))
    return np.mean(log_sum - z[c, np.arange(m)])
'''),
    dict(id="nb05-ce-loop-math", challenge="cross_entropy", expect="passes", code='''
def cross_entropy(z, c):
    k, m = z.shape
    total = 0.0
    for i in range(m):
        col = z[:, i] - max(z[:, i])
        total += math.log(sum(math.exp(v) for v in col)) - col[c[i]]
    return total / m
'''),
    dict(id="nb05-ce-onehot-log-softmax", challenge="cross_entropy", expect="passes", code='''
def cross_entropy(z, c):
    k, m = z.shape
    onehot = np.zeros((k, m))
    onehot[c, np.arange(m)] = 1
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
    return -np.sum(onehot * log_p) / m
'''),
    dict(id="nb05-ce-sum", challenge="cross_entropy", expect="fails", factor=True, keywords=["mean"], code='''
def cross_entropy(z, c):
    top = z.max(axis=0)
    log_sum = top + np.log(np.exp(z - top).sum(axis=0))
    return np.sum(log_sum - z[c, np.arange(z.shape[1])])
'''),
    dict(id="nb05-ce-no-log", challenge="cross_entropy", expect="fails",
         keywords=["logarithm", "−log p", "-log p"], code=SOFTMAX + '''
def cross_entropy(z, c):
    p = softmax(z)
    return -np.mean(p[c, np.arange(z.shape[1])])
'''),
    dict(id="nb05-ce-log-of-softmax", challenge="cross_entropy", expect="fails", visible_only=True,
         keywords=["log-softmax", "log(softmax", "log Σ"], code=SOFTMAX + '''
def cross_entropy(z, c):
    p = softmax(z)
    return -np.mean(np.log(p[c, np.arange(z.shape[1])]))
'''),
    dict(id="nb05-ce-naive-exp", challenge="cross_entropy", expect="fails", visible_only=True,
         keywords=["overflow", "max"], code='''
def cross_entropy(z, c):
    m = z.shape[1]
    p = np.exp(z) / np.sum(np.exp(z), axis=0)
    return -np.sum(np.log(p[c, range(m)])) / m
'''),
    dict(id="nb05-ce-labels-index-rows", challenge="cross_entropy", expect="fails",
         keywords=["arange", "each example", "column"], forbid=["constant factor"], code='''
def cross_entropy(z, c):
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
    return -np.mean(log_p[c])                 # the rows of the true classes
'''),

    # ------------------------------------------------------------------------------------------ cross_entropy_prime
    dict(id="nb05-ce-prime-subtract-in-place", challenge="cross_entropy_prime", expect="passes", code=SOFTMAX + '''
def cross_entropy_prime(z, c):
    p = softmax(z)
    m = p.shape[1]
    p[c, np.arange(m)] -= 1
    return p / m
'''),
    dict(id="nb05-ce-prime-eye-onehot", challenge="cross_entropy_prime", expect="passes", code=SOFTMAX + '''
def cross_entropy_prime(z, c):
    k, m = z.shape
    onehot = np.eye(k)[:, c]
    return (softmax(z) - onehot) / m
'''),
    dict(id="nb05-ce-prime-loop", challenge="cross_entropy_prime", expect="passes", code=SOFTMAX + '''
def cross_entropy_prime(z, c):
    grad = softmax(z)
    m = z.shape[1]
    for i in range(m):
        grad[c[i], i] = grad[c[i], i] - 1
    return grad / m
'''),
    dict(id="nb05-ce-prime-no-m", challenge="cross_entropy_prime", expect="fails", factor=True,
         keywords=["m times", "by m"], code=SOFTMAX + '''
def cross_entropy_prime(z, c):
    p = softmax(z)
    p[c, np.arange(z.shape[1])] -= 1
    return p
'''),
    dict(id="nb05-ce-prime-no-onehot", challenge="cross_entropy_prime", expect="fails",
         keywords=["onehot", "one-hot", "subtract 1"], code=SOFTMAX + '''
def cross_entropy_prime(z, c):
    return softmax(z) / z.shape[1]
'''),
    dict(id="nb05-ce-prime-sign", challenge="cross_entropy_prime", expect="fails", keywords=["sign"],
         code=SOFTMAX + '''
def cross_entropy_prime(z, c):
    k, m = z.shape
    onehot = np.eye(k)[:, c]
    return (onehot - softmax(z)) / m
'''),
    dict(id="nb05-ce-prime-onehot-rows", challenge="cross_entropy_prime", expect="fails",
         keywords=["onehot", "one-hot", "transpose", "(k, m)"], code=SOFTMAX + '''
def cross_entropy_prime(z, c):
    k, m = z.shape
    onehot = np.eye(k)[c]                     # one row per example
    return (softmax(z) - onehot) / m
'''),

    # ------------------------------------------------------------------------------------------ dense_forward
    dict(id="nb05-dense-forward-at", challenge="dense_forward", expect="passes", code=DENSE_FORWARD),
    dict(id="nb05-dense-forward-dot-dict-cache", challenge="dense_forward", expect="passes", code='''
def dense_forward(a, w, b):
    z = np.dot(w, a) + b
    cache = {"a": a, "w": w, "b": b}
    return z, cache
'''),
    dict(id="nb05-dense-forward-einsum", challenge="dense_forward", expect="passes", code='''
def dense_forward(a, w, b):
    z = np.einsum("ij,jk->ik", w, a) + b
    return [z, (a, w)]                        # a list unpacks like a tuple
'''),
    dict(id="nb05-dense-forward-loop-columns", challenge="dense_forward", expect="passes", code='''
def dense_forward(a, w, b):
    n_out, m = w.shape[0], a.shape[1]
    z = np.zeros((n_out, m))
    for j in range(m):
        z[:, j] = w @ a[:, j] + b[:, 0]
    return z, (a.copy(), w.copy(), z.copy())
'''),
    dict(id="nb05-dense-forward-tile-bias", challenge="dense_forward", expect="passes", code='''
def dense_forward(a, w, b):
    m = a.shape[1]
    z = np.matmul(w, a) + np.tile(b.reshape(-1, 1), (1, m))
    return z, (a, w)
'''),
    dict(id="nb05-dense-forward-no-bias", challenge="dense_forward", expect="fails", keywords=["bias"], code='''
def dense_forward(a, w, b):
    z = w @ a
    return z, (a, w)
'''),
    dict(id="nb05-dense-forward-relu", challenge="dense_forward", expect="fails", keywords=["activation"], code='''
def dense_forward(a, w, b):
    z = w @ a + b
    return np.maximum(0, z), (a, w, z)       # the layer's output
'''),
    dict(id="nb05-dense-forward-sigmoid", challenge="dense_forward", expect="fails",
         keywords=["sigmoid", "activation"], code='''
def dense_forward(a, w, b):
    z = w @ a + b
    return 1 / (1 + np.exp(-z)), (a, w)
'''),
    dict(id="nb05-dense-forward-rows-out", challenge="dense_forward", expect="fails",
         keywords=["transpose", "column per example"], code='''
def dense_forward(a, w, b):
    z = a.T @ w.T + b.T                       # one row per example
    return z, (a, w)
'''),
    dict(id="nb05-dense-forward-w-transposed", challenge="dense_forward", expect="fails",
         keywords=["(n_out, n_in)"], code='''
def dense_forward(a, w, b):
    z = np.dot(w.T, a) + b
    return z, (a, w)
'''),
    dict(id="nb05-dense-forward-elementwise", challenge="dense_forward", expect="fails",
         keywords=["matrix product"], code='''
def dense_forward(a, w, b):
    z = w * a + b                             # each weight times its input
    return z, (a, w)
'''),
    dict(id="nb05-dense-forward-no-cache", challenge="dense_forward", expect="fails", keywords=["cache"], code='''
def dense_forward(a, w, b):
    return w @ a + b
'''),

    # ------------------------------------------------------------------------------------------ dense_backward
    dict(id="nb05-dense-backward-tuple-cache", challenge="dense_backward", expect="passes", code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    da = w.T @ dz
    dw = dz @ a.T
    db = np.sum(dz, axis=1, keepdims=True)
    return da, dw, db
'''),
    dict(id="nb05-dense-backward-relu-inside", challenge="dense_backward", expect="fails",
         keywords=["ReLU derivative", "relu_prime"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    da = (w.T @ dz) * (a > 0)          # the ReLU below
    return da, dz @ a.T, np.sum(dz, axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-dw-mean", challenge="dense_backward", expect="fails",
         keywords=["divided by m"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    m = a.shape[1]
    return w.T @ dz, dz @ a.T / m, np.sum(dz, axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-unpacked-backwards", challenge="dense_backward", expect="fails",
         keywords=["order dense_forward built it"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    w, a = cache
    return w.T @ dz, dz @ a.T, np.sum(dz, axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-dict-cache-einsum", challenge="dense_backward", expect="passes", code='''
def dense_forward(a, w, b):
    return np.dot(w, a) + b, {"a": a, "w": w, "b": b}


def dense_backward(dz, cache):
    a, w = cache["a"], cache["w"]
    da = np.einsum("ji,jk->ik", w, dz)
    dw = np.einsum("ik,jk->ij", dz, a)
    db = np.add.reduce(dz, axis=1).reshape(-1, 1)
    return [da, dw, db]
'''),
    dict(id="nb05-dense-backward-namedtuple-loop", challenge="dense_backward", expect="passes", code='''
from typing import NamedTuple


class Cache(NamedTuple):
    a: np.ndarray
    w: np.ndarray
    z: np.ndarray


def dense_forward(a, w, b):
    z = w @ a + b
    return z, Cache(a, w, z)


def dense_backward(dz, cache):
    n_out, m = dz.shape
    dw = np.zeros_like(cache.w)
    db = np.zeros((n_out, 1))
    for j in range(m):                        # one example at a time, then add up
        dw += np.outer(dz[:, j], cache.a[:, j])
        db[:, 0] += dz[:, j]
    return cache.w.T.dot(dz), dw, db
'''),
    dict(id="nb05-dense-backward-ones-column", challenge="dense_backward", expect="passes", code='''
def dense_forward(a, w, b):
    z = w @ a + b
    return z, (a, w, b, z)                    # keep everything, just in case


def dense_backward(dz, cache):
    a, w, b, z = cache
    m = a.shape[1]
    return np.transpose(w) @ dz, dz @ np.transpose(a), dz @ np.ones((m, 1))
'''),
    dict(id="nb05-dense-backward-dw-transposed", challenge="dense_backward", expect="fails",
         keywords=["transposed"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    return w.T @ dz, a @ dz.T, dz.sum(axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-db-not-summed", challenge="dense_backward", expect="fails",
         keywords=["sum of dz", "adds up"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    db = dz                                   # the bias' derivative is 1
    return w.T @ dz, dz @ a.T, db
'''),
    dict(id="nb05-dense-backward-db-flat", challenge="dense_backward", expect="fails", keywords=["keepdims"],
         code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    return w.T @ dz, dz @ a.T, dz.sum(axis=1)
'''),
    dict(id="nb05-dense-backward-db-mean", challenge="dense_backward", expect="fails", keywords=["mean"],
         code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    return w.T @ dz, dz @ a.T, np.mean(dz, axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-over-m", challenge="dense_backward", expect="fails",
         keywords=["divided by m", "1/m"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    m = a.shape[1]
    dw = 1 / m * dz @ a.T
    db = 1 / m * np.sum(dz, axis=1, keepdims=True)
    return w.T @ dz, dw, db
'''),
    dict(id="nb05-dense-backward-da-is-dz", challenge="dense_backward", expect="fails",
         keywords=["da is dz", "wᵀ @ dz"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    da = dz                                   # passed on to the layer below
    return da, dz @ a.T, dz.sum(axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-order", challenge="dense_backward", expect="fails", keywords=["order"],
         code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    dw = dz @ a.T
    db = dz.sum(axis=1, keepdims=True)
    da = w.T @ dz
    return dw, db, da
'''),
    dict(id="nb05-dense-backward-w-not-transposed", challenge="dense_backward", expect="fails",
         keywords=["inner sizes"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w = cache
    return w @ dz, dz @ a.T, dz.sum(axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-cache-unpacked-wrongly", challenge="dense_backward", expect="fails",
         keywords=["unpack"], code=DENSE_FORWARD + '''
def dense_backward(dz, cache):
    a, w, b = cache
    return w.T @ dz, dz @ a.T, dz.sum(axis=1, keepdims=True)
'''),
    dict(id="nb05-dense-backward-forward-raises", challenge="dense_backward", expect="fails",
         keywords=["fix dense_forward first"], code='''
def dense_forward(a, w, b):
    z = a.T @ w + b                           # a broken forward pass: its cache never arrives
    return z, (a, w)


def dense_backward(dz, cache):
    a, w = cache
    return w.T @ dz, dz @ a.T, dz.sum(axis=1, keepdims=True)
'''),

    # ------------------------------------------------------------------------------------------ sgd_epoch
    dict(id="nb05-sgd-epoch-with-helpers", challenge="sgd_epoch", expect="passes", code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b = list(w), list(b)                   # new lists; the arrays are replaced, never changed
    losses = []
    L = len(w)
    for idx in batches:
        a = X[idx].T
        caches, zs = [], []
        for l in range(L):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < L - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(L)):
            da, dw, db = dense_backward(dz, caches[l])
            w[l] = w[l] - lr * dw
            b[l] = b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-inline-copies", challenge="sgd_epoch", expect="passes", code='''
def sgd_epoch(X, y, w, b, lr, batches):
    w = [wl.copy() for wl in w]
    b = [bl.copy() for bl in b]
    losses = []
    for idx in batches:
        xb, yb = X[idx], y[idx]
        m = len(idx)
        acts, zs = [xb.T], []
        for l in range(len(w)):
            z = w[l] @ acts[-1] + b[l]
            zs.append(z)
            acts.append(np.maximum(0, z) if l < len(w) - 1 else z)
        s = zs[-1] - zs[-1].max(axis=0, keepdims=True)
        p = np.exp(s) / np.exp(s).sum(axis=0, keepdims=True)
        losses.append(-np.mean(np.log(p[yb, np.arange(m)])))
        delta = p.copy()
        delta[yb, np.arange(m)] -= 1
        delta /= m
        for l in range(len(w) - 1, -1, -1):
            dw = delta @ acts[l].T
            db = delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (w[l].T @ delta) * (zs[l - 1] > 0)
            w[l] -= lr * dw                   # on my own copies
            b[l] -= lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-rows-inside", challenge="sgd_epoch", expect="passes", code='''
def sgd_epoch(X, y, w, b, lr, batches):
    # I keep the examples as rows inside: h = x @ w.T + b.T
    W = [np.array(wl, dtype=float) for wl in w]
    B = [np.array(bl, dtype=float) for bl in b]
    losses = []
    for idx in batches:
        h, pre = [X[idx]], []
        for l in range(len(W)):
            s = h[-1] @ W[l].T + B[l].T
            pre.append(s)
            h.append(s if l == len(W) - 1 else np.maximum(s, 0))
        n = len(idx)
        shifted = pre[-1] - pre[-1].max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        losses.append(float(-logp[np.arange(n), y[idx]].mean()))
        g = np.exp(logp)
        g[np.arange(n), y[idx]] -= 1
        g /= n
        for l in reversed(range(len(W))):
            gw, gb = g.T @ h[l], g.sum(axis=0).reshape(-1, 1)
            if l > 0:
                g = (g @ W[l]) * (pre[l - 1] > 0)
            W[l] = W[l] - lr * gw
            B[l] = B[l] - lr * gb
    return W, B, losses
'''),
    dict(id="nb05-sgd-epoch-sorted-idx-tuples", challenge="sgd_epoch", expect="passes", code=HELPERS + '''
def forward(a, w, b):
    zs, caches = [], []
    for l in range(len(w)):
        z, cache = dense_forward(a, w[l], b[l])
        zs.append(z)
        caches.append(cache)
        a = np.maximum(z, 0) if l < len(w) - 1 else z
    return zs, caches


def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        idx = np.sort(idx)                    # the order inside a batch does not matter
        zs, caches = forward(X[idx].T, w, b)
        losses.append(cross_entropy(zs[-1], y[idx]))
        dz = cross_entropy_prime(zs[-1], y[idx])
        for l in range(len(w) - 1, -1, -1):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            dz = da * relu_prime(zs[l - 1]) if l else None
    return tuple(w), tuple(b), tuple(losses)
'''),
    dict(id="nb05-sgd-epoch-no-relu-prime", challenge="sgd_epoch", expect="fails", keywords=["relu_prime"],
         code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
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
            w[l] = w[l] - lr * dw
            b[l] = b[l] - lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-divides-twice", challenge="sgd_epoch", expect="fails",
         keywords=["m times too small", "already divides"], code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx]) / len(idx)      # the mean over the batch
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-updated-early", challenge="sgd_epoch", expect="fails",
         keywords=["already updated"], code='''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = [x.copy() for x in w], [x.copy() for x in b], []
    for idx in batches:
        m = len(idx)
        acts, zs = [X[idx].T], []
        for l in range(len(w)):
            zs.append(w[l] @ acts[-1] + b[l])
            acts.append(np.maximum(zs[-1], 0) if l < len(w) - 1 else zs[-1])
        s = zs[-1] - zs[-1].max(axis=0)
        p = np.exp(s) / np.exp(s).sum(axis=0)
        losses.append(-np.log(p[y[idx], range(m)]).mean())
        delta = p
        delta[y[idx], range(m)] -= 1
        delta = delta / m
        for l in reversed(range(len(w))):
            w[l] = w[l] - lr * delta @ acts[l].T
            b[l] = b[l] - lr * delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (w[l].T @ delta) * (zs[l - 1] > 0)
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-grad-not-over-m", challenge="sgd_epoch", expect="fails",
         keywords=["m times", "batch's size"], code='''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = [x.copy() for x in w], [x.copy() for x in b], []
    for idx in batches:
        m = len(idx)
        acts, zs = [X[idx].T], []
        for l in range(len(w)):
            zs.append(w[l] @ acts[-1] + b[l])
            acts.append(np.maximum(zs[-1], 0) if l < len(w) - 1 else zs[-1])
        s = zs[-1] - zs[-1].max(axis=0)
        p = np.exp(s) / np.exp(s).sum(axis=0)
        losses.append(-np.log(p[y[idx], range(m)]).mean())
        delta = p.copy()
        delta[y[idx], range(m)] -= 1          # softmax - onehot
        for l in reversed(range(len(w))):
            dw, db = delta @ acts[l].T, delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (w[l].T @ delta) * (zs[l - 1] > 0)
            w[l] = w[l] - lr * dw
            b[l] = b[l] - lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-m-of-all", challenge="sgd_epoch", expect="fails", keywords=["whole data set"],
         code='''
def sgd_epoch(X, y, w, b, lr, batches):
    m = X.shape[0]
    w, b, losses = [x.copy() for x in w], [x.copy() for x in b], []
    for idx in batches:
        acts, zs = [X[idx].T], []
        for l in range(len(w)):
            zs.append(w[l] @ acts[-1] + b[l])
            acts.append(np.maximum(zs[-1], 0) if l < len(w) - 1 else zs[-1])
        s = zs[-1] - zs[-1].max(axis=0)
        p = np.exp(s) / np.exp(s).sum(axis=0)
        losses.append(-np.log(p[y[idx], range(len(idx))]).mean())
        delta = p.copy()
        delta[y[idx], range(len(idx))] -= 1
        delta /= m
        for l in reversed(range(len(w))):
            dw, db = delta @ acts[l].T, delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (w[l].T @ delta) * (zs[l - 1] > 0)
            w[l] = w[l] - lr * dw
            b[l] = b[l] - lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-relu-everywhere", challenge="sgd_epoch", expect="fails", keywords=["logits"],
         code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0)              # every layer is a ReLU layer
        losses.append(cross_entropy(a, y[idx]))
        da = cross_entropy_prime(a, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(da * relu_prime(zs[l]), caches[l])
            w[l] = w[l] - lr * dw
            b[l] = b[l] - lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-sigmoid-hidden", challenge="sgd_epoch", expect="fails", keywords=["sigmoid"],
         code=HELPERS + '''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = sigmoid(z) if l < len(w) - 1 else z     # as in notebook 04
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * sigmoid(zs[l - 1]) * (1 - sigmoid(zs[l - 1]))
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-loss-after-step", challenge="sgd_epoch", expect="fails",
         keywords=["before its step", "after"], code=HELPERS + '''
def logits(a, w, b):
    for l in range(len(w)):
        a, _ = dense_forward(a, w[l], b[l])
        if l < len(w) - 1:
            a = np.maximum(a, 0)
    return a


def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
        losses.append(cross_entropy(logits(X[idx].T, w, b), y[idx]))    # how well did the step do?
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-shallow-copy-in-place", challenge="sgd_epoch", expect="fails",
         keywords=["in place"], code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b = w.copy(), b.copy()                 # copies of the lists (but not of the arrays in them)
    losses = []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
            w[l] -= lr * dw
            b[l] -= lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-callers-lists", challenge="sgd_epoch", expect="fails", keywords=["in place"],
         code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    losses = []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l] = w[l] - lr * dw             # new arrays, in the lists I was given
            b[l] = b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-shuffles-batches", challenge="sgd_epoch", expect="fails",
         keywords=["batches", "in place"], code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    rng = np.random.default_rng(0)
    rng.shuffle(batches)                      # a new order every epoch
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-loss-sum", challenge="sgd_epoch", expect="fails", keywords=["mean loss", "sums"],
         code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]) * len(idx))      # the batch's total loss
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-ignores-batches", challenge="sgd_epoch", expect="fails",
         keywords=["whole data set", "batches"], code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X.T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y))
        dz = cross_entropy_prime(z, y)
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-one-full-step", challenge="sgd_epoch", expect="fails",
         keywords=["single step", "one step per index array"], code=HELPERS + '''
def sgd_epoch(X, y, w, b, lr, batches):
    # full-batch gradient descent: all examples at once
    w, b = list(w), list(b)
    a, caches, zs = X.T, [], []
    for l in range(len(w)):
        z, cache = dense_forward(a, w[l], b[l])
        caches.append(cache)
        zs.append(z)
        a = np.maximum(z, 0) if l < len(w) - 1 else z
    loss = cross_entropy(z, y)
    dz = cross_entropy_prime(z, y)
    for l in reversed(range(len(w))):
        da, dw, db = dense_backward(dz, caches[l])
        w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
        if l > 0:
            dz = da * relu_prime(zs[l - 1])
    return w, b, [loss]
'''),
    dict(id="nb05-sgd-epoch-uphill", challenge="sgd_epoch", expect="fails", keywords=["uphill", "against it"],
         code='''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = [x.copy() for x in w], [x.copy() for x in b], []
    for idx in batches:
        m = len(idx)
        acts, zs = [X[idx].T], []
        for l in range(len(w)):
            zs.append(w[l] @ acts[-1] + b[l])
            acts.append(np.maximum(zs[-1], 0) if l < len(w) - 1 else zs[-1])
        s = zs[-1] - zs[-1].max(axis=0)
        p = np.exp(s) / np.exp(s).sum(axis=0)
        losses.append(-np.log(p[y[idx], range(m)]).mean())
        delta = p.copy()
        delta[y[idx], range(m)] -= 1
        delta /= m
        for l in reversed(range(len(w))):
            dw, db = delta @ acts[l].T, delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (w[l].T @ delta) * (zs[l - 1] > 0)
            w[l] = w[l] + lr * dw
            b[l] = b[l] + lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-rows-into-network", challenge="sgd_epoch", expect="fails",
         keywords=["X[idx].T", "columns"], code='''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = [x.copy() for x in w], [x.copy() for x in b], []
    for idx in batches:
        m = len(idx)
        acts, zs = [X[idx]], []            # the batch's examples
        for l in range(len(w)):
            zs.append(w[l] @ acts[-1] + b[l])
            acts.append(np.maximum(zs[-1], 0) if l < len(w) - 1 else zs[-1])
        s = zs[-1] - zs[-1].max(axis=0)
        p = np.exp(s) / np.exp(s).sum(axis=0)
        losses.append(-np.log(p[y[idx], range(m)]).mean())
        delta = p.copy()
        delta[y[idx], range(m)] -= 1
        delta /= m
        for l in reversed(range(len(w))):
            dw, db = delta @ acts[l].T, delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (w[l].T @ delta) * (zs[l - 1] > 0)
            w[l] = w[l] - lr * dw
            b[l] = b[l] - lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-dw-not-transposed", challenge="sgd_epoch", expect="fails",
         keywords=["shape of what it is the gradient of"], code='''
def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = [x.copy() for x in w], [x.copy() for x in b], []
    for idx in batches:
        m = len(idx)
        acts, zs = [X[idx].T], []
        for l in range(len(w)):
            zs.append(w[l] @ acts[-1] + b[l])
            acts.append(np.maximum(zs[-1], 0) if l < len(w) - 1 else zs[-1])
        s = zs[-1] - zs[-1].max(axis=0)
        p = np.exp(s) / np.exp(s).sum(axis=0)
        losses.append(-np.log(p[y[idx], range(m)]).mean())
        delta = p.copy()
        delta[y[idx], range(m)] -= 1
        delta /= m
        for l in reversed(range(len(w))):
            dw, db = delta @ acts[l], delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (w[l].T @ delta) * (zs[l - 1] > 0)
            w[l] = w[l] - lr * dw
            b[l] = b[l] - lr * db
    return w, b, losses
'''),
    dict(id="nb05-sgd-epoch-broken-relu-prime", challenge="sgd_epoch", expect="fails",
         keywords=["fix relu_prime first"], forbid=["logits", "sigmoid", "TypeError", "still fails"], code=HELPERS + '''
def relu_prime(z):                            # redefined
    return np.maximum(z, 0)


def sgd_epoch(X, y, w, b, lr, batches):
    w, b, losses = list(w), list(b), []
    for idx in batches:
        a, caches, zs = X[idx].T, [], []
        for l in range(len(w)):
            z, cache = dense_forward(a, w[l], b[l])
            caches.append(cache)
            zs.append(z)
            a = np.maximum(z, 0) if l < len(w) - 1 else z
        losses.append(cross_entropy(z, y[idx]))
        dz = cross_entropy_prime(z, y[idx])
        for l in reversed(range(len(w))):
            da, dw, db = dense_backward(dz, caches[l])
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = da * relu_prime(zs[l - 1])
    return w, b, losses
'''),

    # ------------------------------------------------------------------------------------------ momentum_update
    dict(id="nb05-momentum-plain", challenge="momentum_update", expect="passes", code='''
def momentum_update(w, dw, v, lr, beta):
    v_new = beta * v + dw
    return w - lr * v_new, v_new
'''),
    dict(id="nb05-momentum-cs231n-form", challenge="momentum_update", expect="fails",
         keywords=["v ← β·v − lr·dw", "gradients alone"], code='''
def momentum_update(w, dw, v, lr, beta):
    v = beta * v - lr * dw
    return w + v, v
'''),
    dict(id="nb05-momentum-in-place-on-copies", challenge="momentum_update", expect="passes", code='''
def momentum_update(w, dw, v, lr, beta):
    v = v.copy()
    v *= beta
    v += dw
    w = w.copy()
    w -= lr * v
    return [w, v]
'''),
    dict(id="nb05-momentum-ndindex-loop", challenge="momentum_update", expect="passes", code='''
def momentum_update(w, dw, v, lr, beta):
    new_w, new_v = np.empty_like(w, dtype=float), np.empty_like(v, dtype=float)
    for i in np.ndindex(np.shape(w)):
        new_v[i] = beta * v[i] + dw[i]
        new_w[i] = w[i] - lr * new_v[i]
    return new_w, new_v
'''),
    dict(id="nb05-momentum-float32", challenge="momentum_update", expect="passes", code='''
def momentum_update(w, dw, v, lr, beta):
    # float32, as a GPU would keep it
    w, dw, v = (np.asarray(x, dtype=np.float32) for x in (w, dw, v))
    v = np.float32(beta) * v + dw
    return w - np.float32(lr) * v, v
'''),
    dict(id="nb05-momentum-ema", challenge="momentum_update", expect="fails", keywords=["average", "whole gradient"],
         code='''
def momentum_update(w, dw, v, lr, beta):
    v = beta * v + (1 - beta) * dw            # exponential moving average of the gradients
    w = w - lr * v
    return w, v
'''),
    dict(id="nb05-momentum-old-velocity", challenge="momentum_update", expect="fails",
         keywords=["old velocity"], code='''
def momentum_update(w, dw, v, lr, beta):
    w_new = w - lr * v
    v_new = beta * v + dw
    return w_new, v_new
'''),
    dict(id="nb05-momentum-not-carried", challenge="momentum_update", expect="fails",
         keywords=["new velocity", "one you were given"], code='''
def momentum_update(w, dw, v, lr, beta):
    velocity = beta * v + dw
    return w - lr * velocity, v
'''),
    dict(id="nb05-momentum-lr-inside", challenge="momentum_update", expect="fails", keywords=["lr inside"],
         code='''
def momentum_update(w, dw, v, lr, beta):
    v = beta * v + lr * dw
    return w - v, v
'''),
    dict(id="nb05-momentum-in-place", challenge="momentum_update", expect="fails", keywords=["in place"],
         code='''
def momentum_update(w, dw, v, lr, beta):
    v *= beta
    v += dw
    w -= lr * v
    return w, v
'''),
    dict(id="nb05-momentum-swapped", challenge="momentum_update", expect="fails",
         keywords=["order", "new weights first"], code='''
def momentum_update(w, dw, v, lr, beta):
    v = beta * v + dw
    return v, w - lr * v
'''),
    dict(id="nb05-momentum-plus", challenge="momentum_update", expect="fails", keywords=["against"], code='''
def momentum_update(w, dw, v, lr, beta):
    v = beta * v + dw
    w = w + lr * v
    return w, v
'''),

    # ------------------------------------------------------------------------------------------ rmsprop_update
    dict(id="nb05-rmsprop-plain", challenge="rmsprop_update", expect="passes", code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = rho * s + (1 - rho) * dw ** 2
    w = w - lr * dw / (np.sqrt(s) + eps)
    return w, s
'''),
    dict(id="nb05-rmsprop-square-list", challenge="rmsprop_update", expect="passes", code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    new_s = rho * s + (1.0 - rho) * np.square(dw)
    step = lr * dw / (np.power(new_s, 0.5) + eps)
    return [np.subtract(w, step), new_s]
'''),
    dict(id="nb05-rmsprop-in-place-on-copies", challenge="rmsprop_update", expect="passes", code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = np.array(s, dtype=float)
    s *= rho
    s += (1 - rho) * dw * dw
    w = np.array(w, dtype=float)
    w -= lr * dw / (np.sqrt(s) + eps)
    return w, s
'''),
    dict(id="nb05-rmsprop-rms-name", challenge="rmsprop_update", expect="passes", code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s_t = rho * s + (1 - rho) * (dw * dw)
    rms = np.sqrt(s_t)
    return w - lr * (dw / (rms + eps)), s_t
'''),
    dict(id="nb05-rmsprop-eps-in-root", challenge="rmsprop_update", expect="fails", keywords=["√(s + eps)"],
         code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = rho * s + (1 - rho) * dw ** 2
    return w - lr * dw / np.sqrt(s + eps), s
'''),
    dict(id="nb05-rmsprop-no-eps", challenge="rmsprop_update", expect="fails", keywords=["eps"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = rho * s + (1 - rho) * dw ** 2
    return w - lr * dw / np.sqrt(s), s
'''),
    dict(id="nb05-rmsprop-old-s", challenge="rmsprop_update", expect="fails", keywords=["old s"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    w_new = w - lr * dw / (np.sqrt(s) + eps)
    s_new = rho * s + (1 - rho) * dw ** 2
    return w_new, s_new
'''),
    dict(id="nb05-rmsprop-no-one-minus", challenge="rmsprop_update", expect="fails", keywords=["(1 − ρ)"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = rho * s + dw ** 2
    return w - lr * dw / (np.sqrt(s) + eps), s
'''),
    dict(id="nb05-rmsprop-no-root", challenge="rmsprop_update", expect="fails", keywords=["root"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = rho * s + (1 - rho) * dw ** 2
    return w - lr * dw / (s + eps), s
'''),
    dict(id="nb05-rmsprop-not-carried", challenge="rmsprop_update", expect="fails",
         keywords=["new average", "one you were given"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    avg = rho * s + (1 - rho) * dw ** 2
    return w - lr * dw / (np.sqrt(avg) + eps), s
'''),
    dict(id="nb05-rmsprop-not-squared", challenge="rmsprop_update", expect="fails", keywords=["square"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = rho * s + (1 - rho) * dw
    return w - lr * dw / (np.sqrt(s) + eps), s
'''),
    dict(id="nb05-rmsprop-uphill", challenge="rmsprop_update", expect="fails", keywords=["against"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s = rho * s + (1 - rho) * dw ** 2
    w = w + lr * dw / (np.sqrt(s) + eps)
    return w, s
'''),
    dict(id="nb05-rmsprop-in-place", challenge="rmsprop_update", expect="fails", keywords=["in place"], code='''
def rmsprop_update(w, dw, s, lr, rho, eps):
    s *= rho
    s += (1 - rho) * dw ** 2
    w -= lr * dw / (np.sqrt(s) + eps)
    return w, s
'''),
]
