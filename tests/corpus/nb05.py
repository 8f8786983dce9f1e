"""Notebook 05: relu_prime, softmax, cross_entropy, cross_entropy_prime — realistic student answers.

Scores are columns ``z (k, m)``, labels integers ``c (m,)``. ``SOFTMAX`` is a student's correct softmax, which
their ``cross_entropy_prime`` calls."""

SOFTMAX = '''
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
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
]
