"""Notebook 01: perceptron, logic_gate, perceptron_train, xor_network — realistic student answers."""

ENTRIES = [
    # ------------------------------------------------------------------------------------------ perceptron
    dict(id="nb01-perceptron-row-loop", challenge="perceptron", expect="passes", code='''
def perceptron(X, w, b):
    outputs = []
    for x in X:
        z = 0
        for j in range(len(w)):
            z += w[j] * x[j]
        z += b
        if z > 0:
            outputs.append(1)
        else:
            outputs.append(0)
    return np.array(outputs)
'''),
    dict(id="nb01-perceptron-np-where", challenge="perceptron", expect="passes", code='''
def perceptron(X, w, b):
    z = np.dot(X, w) + b
    return np.where(z > 0, 1, 0)
'''),
    dict(id="nb01-perceptron-heaviside-floats", challenge="perceptron", expect="passes", code='''
def perceptron(X, w, b):
    # heaviside(z, 0) gives 0.0 at exactly z = 0, 1.0 above
    return np.heaviside(X @ w + b, 0)
'''),
    dict(id="nb01-perceptron-list-comprehension", challenge="perceptron", expect="passes", code='''
def perceptron(X, w, b):
    return [1 if np.dot(w, x) + b > 0 else 0 for x in X]
'''),
    dict(id="nb01-perceptron-bool-times-one", challenge="perceptron", expect="passes", code='''
def perceptron(X, w, b):
    X = np.array(X, dtype=float)
    return (X @ np.array(w) + b > 0) * 1
'''),
    dict(id="nb01-perceptron-ge", challenge="perceptron", expect="fails", visible_only=True,
         keywords=["≥", ">=", "= 0"], code='''
def perceptron(X, w, b):
    z = X @ w + b
    return (z >= 0).astype(int)
'''),
    dict(id="nb01-perceptron-np-sign", challenge="perceptron", expect="fails",
         keywords=["sign", "0 and 1", "0/1"], forbid=["wrong sign everywhere"], code='''
def perceptron(X, w, b):
    return np.sign(X @ w + b)
'''),
    dict(id="nb01-perceptron-no-bias", challenge="perceptron", expect="fails", keywords=["bias"], code='''
def perceptron(X, w, b):
    z = X @ w
    return (z > 0).astype(int)
'''),
    dict(id="nb01-perceptron-inverted", challenge="perceptron", expect="fails", keywords=["invert"], code='''
def perceptron(X, w, b):
    z = X @ w + b
    return np.where(z > 0, 0, 1)
'''),
    dict(id="nb01-perceptron-no-step", challenge="perceptron", expect="fails",
         keywords=["step", "threshold", "0 and 1", "0/1"], code='''
def perceptron(X, w, b):
    # forgot the threshold: returns the weighted sum itself
    return X @ w + b
'''),

    # ------------------------------------------------------------------------------------------ logic_gate
    dict(id="nb01-gate-tight-biases", challenge="logic_gate", expect="passes", code='''
def logic_gate(name):
    # the unit fires only when w.x + b > 0, so a bias that makes the sum exactly 0 still gives 0
    gates = {"AND": (np.array([1.0, 1.0]), -1.0),
             "OR": (np.array([1.0, 1.0]), 0.0),
             "NAND": (np.array([-1.0, -1.0]), 2.0),
             "NOR": (np.array([-1.0, -1.0]), 1.0)}
    return gates[name]
'''),
    dict(id="nb01-gate-if-chain-lists", challenge="logic_gate", expect="passes", code='''
def logic_gate(name):
    if name == "AND":
        w, b = [2, 2], -3
    elif name == "OR":
        w, b = [2, 2], -1
    elif name == "NAND":
        w, b = [-2, -2], 3
    elif name == "NOR":
        w, b = [-2, -2], 1
    return w, b
'''),
    dict(id="nb01-gate-big-weights-array-bias", challenge="logic_gate", expect="passes", code='''
def logic_gate(name):
    table = {"AND": ([20, 20], -30), "OR": ([20, 20], -10), "NAND": ([-20, -20], 30), "NOR": ([-20, -20], 10)}
    w, b = table[name]
    return np.array(w, dtype=float), np.array([b], dtype=float)
'''),
    dict(id="nb01-gate-and-or-biases-swapped", challenge="logic_gate", expect="fails",
         keywords=["wrongly", "wrong"], code='''
def logic_gate(name):
    table = {"AND": ([1, 1], -0.5), "OR": ([1, 1], -1.5), "NAND": ([-1, -1], 1.5), "NOR": ([-1, -1], 0.5)}
    w, b = table[name]
    return np.array(w, dtype=float), b
'''),
    dict(id="nb01-gate-deck000-sign-weights", challenge="logic_gate", expect="fails",
         keywords=["sign", "±1", "0/1"], code='''
def logic_gate(name):
    # deck 000: OR(x1, x2) = sign(x1 + x2 + 1.5), AND(x1, x2) = sign(x1 + x2 - 1.5)
    table = {"AND": ([1, 1], -1.5), "OR": ([1, 1], 1.5), "NAND": ([-1, -1], 1.5), "NOR": ([-1, -1], -1.5)}
    w, b = table[name]
    return np.array(w, dtype=float), b
'''),
    dict(id="nb01-gate-nand-nor-not-negated", challenge="logic_gate", expect="fails",
         keywords=["wrongly", "wrong"], code='''
def logic_gate(name):
    # NAND and NOR written as AND and OR with the bias sign flipped only
    table = {"AND": ([1, 1], -1.5), "OR": ([1, 1], -0.5), "NAND": ([1, 1], 1.5), "NOR": ([1, 1], 0.5)}
    w, b = table[name]
    return np.array(w, dtype=float), b
'''),

    # ------------------------------------------------------------------------------------------ perceptron_train
    dict(id="nb01-train-index-loop", challenge="perceptron_train", expect="passes", code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.array(X, dtype=float)
    y = np.array(y).flatten()
    w = np.zeros(X.shape[1])
    b = 0
    mistakes = []
    for epoch in range(epochs):
        errors = 0
        for i in range(len(X)):
            y_hat = 1 if np.dot(w, X[i]) + b > 0 else 0
            err = y[i] - y_hat
            w = w + lr * err * X[i]
            b = b + lr * err
            if err != 0:
                errors += 1
        mistakes.append(errors)
        if errors == 0:
            break
    return w, b, mistakes
'''),
    dict(id="nb01-train-while-converged", challenge="perceptron_train", expect="passes", code='''
def perceptron(X, w, b):
    return (X @ w + b > 0).astype(int)

def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).reshape(-1)
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes = []
    converged = False
    epoch = 0
    while not converged and epoch < epochs:
        count = 0
        for x, t in zip(X, y):
            p = perceptron(x[None, :], w, b)[0]
            if p != t:
                w += lr * (t - p) * x
                b += lr * (t - p)
                count += 1
        mistakes.append(count)
        converged = count == 0
        epoch += 1
    return w, b, mistakes
'''),
    dict(id="nb01-train-returns-list", challenge="perceptron_train", expect="passes", code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.ravel(y)
    w = np.zeros(X.shape[1])
    b = 0.0
    history = []
    for _ in range(epochs):
        wrong = 0
        for x, target in zip(X, y):
            prediction = float(w @ x + b > 0)
            update = lr * (target - prediction)
            if update != 0:
                w = w + update * x
                b = b + update
                wrong += 1
        history.append(wrong)
        if wrong == 0:
            break
    return [w, b, history]
'''),
    dict(id="nb01-train-mistakes-array", challenge="perceptron_train", expect="passes", code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    t = np.asarray(y, dtype=float).reshape(-1)
    w = np.zeros(X.shape[1])
    b = np.float64(0)
    mistakes = np.zeros(0, dtype=int)
    for _ in range(epochs):
        n = 0
        for k in range(X.shape[0]):
            p = np.heaviside(X[k] @ w + b, 0)
            if p != t[k]:
                w += lr * (t[k] - p) * X[k]
                b += lr * (t[k] - p)
                n += 1
        mistakes = np.append(mistakes, n)
        if n == 0:
            break
    return w, b, mistakes
'''),
    dict(id="nb01-train-sign-flipped", challenge="perceptron_train", expect="fails",
         keywords=["towards", "away", "sign"], code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count = 0
        for x, t in zip(X, y):
            p = 1.0 if x @ w + b > 0 else 0.0
            if t != p:
                w = w - lr * (t - p) * x
                b = b - lr * (t - p)
                count += 1
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes
'''),
    dict(id="nb01-train-bias-not-updated", challenge="perceptron_train", expect="fails", keywords=["bias"], code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count = 0
        for x, t in zip(X, y):
            p = 1.0 if x @ w + b > 0 else 0.0
            if t != p:
                w = w + lr * (t - p) * x
                count += 1
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes
'''),
    dict(id="nb01-train-no-early-stop", challenge="perceptron_train", expect="fails",
         keywords=["stop", "zeros"], code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count = 0
        for x, t in zip(X, y):
            p = 1.0 if x @ w + b > 0 else 0.0
            if t != p:
                w = w + lr * (t - p) * x
                b = b + lr * (t - p)
                count += 1
        mistakes.append(count)
    return w, b, mistakes
'''),
    dict(id="nb01-train-drops-final-epoch", challenge="perceptron_train", expect="fails",
         keywords=["epoch", "last"], code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count = 0
        for x, t in zip(X, y):
            p = 1.0 if x @ w + b > 0 else 0.0
            if t != p:
                w = w + lr * (t - p) * x
                b = b + lr * (t - p)
                count += 1
        if count == 0:
            break
        mistakes.append(count)
    return w, b, mistakes
'''),
    dict(id="nb01-train-batch-update", challenge="perceptron_train", expect="fails",
         keywords=["one example at a time", "each example", "every example", "after each"], code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        p = (X @ w + b > 0).astype(float)
        err = y - p
        w = w + lr * err @ X          # all the epoch's updates at once
        b = b + lr * err.sum()
        count = int(np.count_nonzero(err))
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes
'''),
    dict(id="nb01-train-random-init", challenge="perceptron_train", expect="fails",
         keywords=["zero", "initial"], code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    # deck 004 starts from small random weights
    rng = np.random.default_rng(0)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w = rng.normal(0, 0.1, X.shape[1])
    b = rng.normal(0, 0.1)
    mistakes = []
    for _ in range(epochs):
        count = 0
        for x, t in zip(X, y):
            p = 1.0 if x @ w + b > 0 else 0.0
            if t != p:
                w = w + lr * (t - p) * x
                b = b + lr * (t - p)
                count += 1
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes
'''),
    dict(id="nb01-train-predict-ge", challenge="perceptron_train", expect="fails",
         keywords=["≥", ">=", "> 0"], code='''
def perceptron_train(X, y, lr=1.0, epochs=20):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count = 0
        for x, t in zip(X, y):
            p = 1.0 if x @ w + b >= 0 else 0.0
            if t != p:
                w = w + lr * (t - p) * x
                b = b + lr * (t - p)
                count += 1
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes
'''),

    # ------------------------------------------------------------------------------------------ xor_network
    dict(id="nb01-xor-or-nand-and", challenge="xor_network", expect="passes", code='''
def xor_network():
    # hidden: OR and NAND; output: AND of the two
    w = [np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([[1.0, 1.0]])]
    b = [np.array([[-0.5], [1.5]]), np.array([[-1.5]])]
    return w, b
'''),
    dict(id="nb01-xor-big-weights-tuple", challenge="xor_network", expect="passes", code='''
def xor_network():
    w1 = np.array([[20.0, 20.0], [-20.0, -20.0]])
    b1 = np.array([[-10.0], [30.0]])
    w2 = np.array([[20.0, 20.0]])
    b2 = np.array([[-30.0]])
    return (w1, w2), (b1, b2)
'''),
    dict(id="nb01-xor-from-logic-gates", challenge="xor_network", expect="passes", code='''
def logic_gate(name):
    table = {"AND": ([1, 1], -1.5), "OR": ([1, 1], -0.5), "NAND": ([-1, -1], 1.5), "NOR": ([-1, -1], 0.5)}
    w, b = table[name]
    return np.array(w, dtype=float), b

def xor_network():
    w_or, b_or = logic_gate("OR")
    w_nand, b_nand = logic_gate("NAND")
    w_and, b_and = logic_gate("AND")
    w = [np.vstack([w_or, w_nand]), w_and.reshape(1, 2)]
    b = [np.array([[b_or], [b_nand]]), np.array([[b_and]])]
    return w, b
'''),
    dict(id="nb01-xor-one-layer", challenge="xor_network", expect="fails",
         keywords=["linearly separable", "hidden layer"], code='''
def xor_network():
    w = [np.array([[1.0, 1.0]])]
    b = [np.array([[-0.5]])]
    return w, b
'''),
    dict(id="nb01-xor-wrong-output-gate", challenge="xor_network", expect="fails",
         keywords=["wrong"], code='''
def xor_network():
    # hidden: OR and NAND; output OR by mistake
    w = [np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([[1.0, 1.0]])]
    b = [np.array([[-0.5], [1.5]]), np.array([[-0.5]])]
    return w, b
'''),
    dict(id="nb01-xor-output-weights-column", challenge="xor_network", expect="fails",
         keywords=["shape", "(1, 2)", "transpose"], code='''
def xor_network():
    w = [np.array([[1.0, -1.0], [-1.0, 1.0]]), np.array([[1.0], [1.0]])]
    b = [np.array([[-0.5], [-0.5]]), np.array([[-0.5]])]
    return w, b
'''),
]
