"""Notebook 04: sigmoid_prime and backprop — realistic student answers.

``backprop`` calls the student's own ``sigmoid`` (notebook 02) and ``sigmoid_prime`` (this notebook's first
challenge), defined in the same code string; ``PRIME`` is a correct pair."""

SIGMOID = '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''

PRIME = SIGMOID + '''
def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)
'''


def backprop(bp1="(2 / m) * (activations[-1] - y.T) * sigmoid_prime(zs[-1])",
             bp2="(w[l + 1].T @ delta) * sigmoid_prime(zs[l])",
             bp3="delta.sum(axis=1, keepdims=True)",
             bp4="delta @ activations[l].T", prime=PRIME):
    """The notebook's backprop with one of BP1–BP4 written differently."""
    return prime + f'''
def backprop(X, y, w, b):
    m = X.shape[0]
    activations, zs = [X.T], []
    for w_l, b_l in zip(w, b):
        zs.append(w_l @ activations[-1] + b_l)
        activations.append(sigmoid(zs[-1]))
    w_grads, b_grads = [None] * len(w), [None] * len(b)
    delta = {bp1}
    for l in range(len(w) - 1, -1, -1):
        if l < len(w) - 1:
            delta = {bp2}
        b_grads[l] = {bp3}
        w_grads[l] = {bp4}
    return w_grads, b_grads
'''


ENTRIES = [
    # ------------------------------------------------------------------------------------------ sigmoid_prime
    dict(id="nb04-prime-s-times-one-minus-s", challenge="sigmoid_prime", expect="passes", code=PRIME),
    dict(id="nb04-prime-inline-naive-sigmoid", challenge="sigmoid_prime", expect="passes",
         notes=["warn", "stable"], code='''
def sigmoid_prime(z):
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)
'''),
    dict(id="nb04-prime-sigma-z-sigma-minus-z", challenge="sigmoid_prime", expect="passes", code=SIGMOID + '''
def sigmoid_prime(z):
    return sigmoid(z) * sigmoid(-np.asarray(z, dtype=float))
'''),
    dict(id="nb04-prime-cosh", challenge="sigmoid_prime", expect="passes", code='''
def sigmoid_prime(z):
    # sigma'(z) = 1 / (4 cosh^2(z / 2)); cosh overflows to inf for |z| > 1420 and 1 / inf = 0
    with np.errstate(over="ignore"):
        return 0.25 / np.cosh(np.asarray(z, dtype=float) / 2) ** 2
'''),
    dict(id="nb04-prime-exp-formula-nan", challenge="sigmoid_prime", expect="fails", visible_only=True,
         keywords=["overflow", "e^(−|z|)", "stable"], code='''
def sigmoid_prime(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2
'''),
    dict(id="nb04-prime-sigmoid-itself", challenge="sigmoid_prime", expect="fails",
         keywords=["itself", "derivative"], code=SIGMOID + '''
def sigmoid_prime(z):
    return sigmoid(z)
'''),
    dict(id="nb04-prime-squared", challenge="sigmoid_prime", expect="fails",
         keywords=["σ(z)²", "square"], code=SIGMOID + '''
def sigmoid_prime(z):
    return sigmoid(z) ** 2
'''),
    dict(id="nb04-prime-one-minus", challenge="sigmoid_prime", expect="fails",
         keywords=["1 − σ", "1 - σ", "not 1"], code=SIGMOID + '''
def sigmoid_prime(z):
    return 1 - sigmoid(z)
'''),
    dict(id="nb04-prime-sign", challenge="sigmoid_prime", expect="fails", keywords=["sign"], code=SIGMOID + '''
def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (s - 1)
'''),

    # ------------------------------------------------------------------------------------------ backprop
    dict(id="nb04-backprop-notebook-style", challenge="backprop", expect="passes", code=backprop()),
    dict(id="nb04-backprop-a-times-one-minus-a", challenge="backprop", expect="passes", code=SIGMOID + '''
def backprop(X, y, w, b):
    m = X.shape[0]
    acts = [X.T]
    for w_l, b_l in zip(w, b):
        acts.append(sigmoid(np.dot(w_l, acts[-1]) + b_l))
    L = len(w)
    w_grads, b_grads = [], []
    delta = 2 * (acts[L] - y.T) / m * acts[L] * (1 - acts[L])
    for l in reversed(range(L)):
        w_grads.insert(0, np.dot(delta, np.transpose(acts[l])))
        b_grads.insert(0, np.sum(delta, axis=1, keepdims=True))
        if l > 0:
            delta = np.dot(np.transpose(w[l]), delta) * acts[l] * (1 - acts[l])
    return w_grads, b_grads
'''),
    dict(id="nb04-backprop-mean-at-the-end", challenge="backprop", expect="passes", code=backprop(
        bp1="2 * (activations[-1] - y.T) * sigmoid_prime(zs[-1])",
        bp3="np.mean(delta, axis=1, keepdims=True)", bp4="delta @ activations[l].T / m")),
    dict(id="nb04-backprop-example-loop", challenge="backprop", expect="passes", code=PRIME + '''
def backprop(X, y, w, b):
    m = X.shape[0]
    w_grads = [np.zeros_like(w_l, dtype=float) for w_l in w]
    b_grads = [np.zeros_like(b_l, dtype=float) for b_l in b]
    for i in range(m):
        a = X[i].reshape(-1, 1)
        activations, zs = [a], []
        for w_l, b_l in zip(w, b):
            zs.append(w_l @ activations[-1] + b_l)
            activations.append(sigmoid(zs[-1]))
        delta = 2 * (activations[-1] - y[i].reshape(-1, 1)) * sigmoid_prime(zs[-1])
        for l in range(len(w) - 1, -1, -1):
            w_grads[l] += delta @ activations[l].T / m
            b_grads[l] += delta / m
            if l > 0:
                delta = (w[l].T @ delta) * sigmoid_prime(zs[l - 1])
    return w_grads, b_grads
'''),
    dict(id="nb04-backprop-tuple-return", challenge="backprop", expect="passes",
         code=backprop().replace("return w_grads, b_grads", "return tuple(w_grads), tuple(b_grads)")),
    dict(id="nb04-backprop-no-two", challenge="backprop", expect="fails", factor=True,
         keywords=["keep the 2", "factor of 2", "2(a − y)"],
         code=backprop(bp1="(1 / m) * (activations[-1] - y.T) * sigmoid_prime(zs[-1])")),
    dict(id="nb04-backprop-no-m", challenge="backprop", expect="fails", factor=True,
         keywords=["m times", "by m", "divides by m"],
         code=backprop(bp1="2 * (activations[-1] - y.T) * sigmoid_prime(zs[-1])")),
    dict(id="nb04-backprop-bp1-no-prime", challenge="backprop", expect="fails", keywords=["BP1"],
         code=backprop(bp1="(2 / m) * (activations[-1] - y.T)")),
    dict(id="nb04-backprop-bp2-sigma", challenge="backprop", expect="fails", keywords=["BP2"],
         code=backprop(bp2="(w[l + 1].T @ delta) * sigmoid(zs[l])")),
    dict(id="nb04-backprop-bp3-mean", challenge="backprop", expect="fails", keywords=["BP3", "mean"],
         code=backprop(bp3="delta.mean(axis=1, keepdims=True)")),
    dict(id="nb04-backprop-dw-transposed", challenge="backprop", expect="fails", keywords=["transpose", "BP4"],
         code=backprop(bp4="activations[l] @ delta.T")),
    dict(id="nb04-backprop-no-keepdims", challenge="backprop", expect="fails",
         keywords=["keepdims", "(n_out, 1)"], code=backprop(bp3="delta.sum(axis=1)")),
    dict(id="nb04-backprop-y-not-transposed", challenge="backprop", expect="fails",
         keywords=["y.T", "transpose", "broadcast"],
         code=backprop(bp1="(2 / m) * (activations[-1] - y) * sigmoid_prime(zs[-1])")),
    dict(id="nb04-backprop-bp2-same-layer-weights", challenge="backprop", expect="fails",
         keywords=["w[l + 1]", "w[l+1]", "BP2"], code=backprop(bp2="(w[l].T @ delta) * sigmoid_prime(zs[l])")),
    dict(id="nb04-backprop-wrong-sigmoid-prime", challenge="backprop", expect="fails",
         keywords=["sigmoid_prime"], code=backprop(prime=SIGMOID + '''
def sigmoid_prime(z):
    return sigmoid(z) * (1 - z)
''')),
    dict(id="nb04-backprop-sigmoid-prime-returns-sigmoid", challenge="backprop", expect="fails",
         keywords=["sigmoid_prime"], code=backprop(prime=SIGMOID + '''
def sigmoid_prime(z):
    return sigmoid(z)
''')),
]
