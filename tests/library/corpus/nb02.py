"""Notebook 02: nn_parameter_maker, sigmoid, forward_pass, predict, cost_function — realistic student answers.

The later challenges call the student's own earlier functions, defined in the same code string as they are in
the notebook; ``SIGMOID``, ``FORWARD`` and ``PREDICT`` are a student's correct earlier answers."""

SIGMOID = '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''

FORWARD = SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp
    for l in range(len(w)):
        a = sigmoid(w[l] @ a + b[l])
    return a
'''

PREDICT = FORWARD + '''
def predict(X, w, b):
    return forward_pass(X.T, w, b).T
'''

ENTRIES = [
    # ------------------------------------------------------------------------------------------ nn_parameter_maker
    dict(id="nb02-params-range-loop", challenge="nn_parameter_maker", expect="passes", code='''
def nn_parameter_maker(layer_sizes, seed=None):
    rng = np.random.default_rng(seed)
    w = []
    b = []
    for l in range(1, len(layer_sizes)):
        w.append(rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])))
        b.append(rng.standard_normal((layer_sizes[l], 1)))
    return w, b
'''),
    dict(id="nb02-params-rng-normal-weights-first", challenge="nn_parameter_maker", expect="passes", code='''
def nn_parameter_maker(layer_sizes, seed=None):
    rng = np.random.default_rng(seed)
    w = [rng.normal(0, 1, size=(n_out, n_in)) for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]
    b = [rng.normal(0, 1, size=(n_out, 1)) for n_out in layer_sizes[1:]]
    return w, b
'''),
    dict(id="nb02-params-legacy-global-seed", challenge="nn_parameter_maker", expect="passes", code='''
def nn_parameter_maker(layer_sizes, seed=None):
    np.random.seed(seed)
    w, b = [], []
    for i in range(len(layer_sizes) - 1):
        w.append(np.random.randn(layer_sizes[i + 1], layer_sizes[i]))
        b.append(np.random.randn(layer_sizes[i + 1], 1))
    return w, b
'''),
    dict(id="nb02-params-transposed", challenge="nn_parameter_maker", expect="fails",
         keywords=["(n_out, n_in)", "shape"], code='''
def nn_parameter_maker(layer_sizes, seed=None):
    rng = np.random.default_rng(seed)
    w, b = [], []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        w.append(rng.standard_normal((n_in, n_out)))
        b.append(rng.standard_normal((n_out, 1)))
    return w, b
'''),
    dict(id="nb02-params-bias-vector", challenge="nn_parameter_maker", expect="fails",
         keywords=["column", "reshape", "(n_out, 1)"], code='''
def nn_parameter_maker(layer_sizes, seed=None):
    rng = np.random.default_rng(seed)
    w, b = [], []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        w.append(rng.standard_normal((n_out, n_in)))
        b.append(rng.standard_normal(n_out))
    return w, b
'''),
    dict(id="nb02-params-uniform", challenge="nn_parameter_maker", expect="fails",
         keywords=["standard_normal", "standard normal", "uniform"], code='''
def nn_parameter_maker(layer_sizes, seed=None):
    rng = np.random.default_rng(seed)
    w, b = [], []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        w.append(rng.random((n_out, n_in)))
        b.append(rng.random((n_out, 1)))
    return w, b
'''),
    dict(id="nb02-params-seed-ignored", challenge="nn_parameter_maker", expect="fails", keywords=["seed"], code='''
def nn_parameter_maker(layer_sizes, seed=None):
    rng = np.random.default_rng()
    w, b = [], []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        w.append(rng.standard_normal((n_out, n_in)))
        b.append(rng.standard_normal((n_out, 1)))
    return w, b
'''),

    # ------------------------------------------------------------------------------------------ sigmoid
    dict(id="nb02-sigmoid-naive-overflow", challenge="sigmoid", expect="passes", notes=["warn", "stable"], code='''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
'''),
    dict(id="nb02-sigmoid-where-both-branches", challenge="sigmoid", expect="passes", code='''
def sigmoid(z):
    z = np.array(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
'''),
    dict(id="nb02-sigmoid-tanh-identity", challenge="sigmoid", expect="passes", code='''
def sigmoid(z):
    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))
'''),
    dict(id="nb02-sigmoid-math-vectorize", challenge="sigmoid", expect="passes", code='''
def _sigmoid_scalar(t):
    if t >= 0:
        return 1 / (1 + math.exp(-t))
    e = math.exp(t)
    return e / (1 + e)

def sigmoid(z):
    return np.vectorize(_sigmoid_scalar, otypes=[float])(z)
'''),
    dict(id="nb02-sigmoid-boolean-mask", challenge="sigmoid", expect="passes", code='''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out
'''),
    dict(id="nb02-sigmoid-float32", challenge="sigmoid", expect="passes", code='''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)      # saves memory
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''),
    dict(id="nb02-sigmoid-minus-z", challenge="sigmoid", expect="fails", keywords=["−z", "-z"], code='''
def sigmoid(z):
    return 1 / (1 + np.exp(z))
'''),
    dict(id="nb02-sigmoid-no-plus-one", challenge="sigmoid", expect="fails",
         keywords=["1 +", "denominator"], code='''
def sigmoid(z):
    return 1 / np.exp(-z)
'''),
    dict(id="nb02-sigmoid-math-exp-scalar-only", challenge="sigmoid", expect="fails",
         keywords=["math"], code='''
def sigmoid(z):
    return 1 / (1 + math.exp(-z))
'''),

    # ------------------------------------------------------------------------------------------ forward_pass
    dict(id="nb02-forward-zip-loop", challenge="forward_pass", expect="passes", code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = np.array(inp, dtype=float)
    for w_l, b_l in zip(w, b):
        z = np.dot(w_l, a) + b_l
        a = sigmoid(z)
    return a
'''),
    dict(id="nb02-forward-activation-list-naive-sigmoid", challenge="forward_pass", expect="passes", code='''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def forward_pass(inp, w, b):
    activations = [inp]
    for l in range(len(w)):
        activations.append(sigmoid(np.matmul(w[l], activations[-1]) + b[l]))
    return activations[-1]
'''),
    dict(id="nb02-forward-column-by-column", challenge="forward_pass", expect="passes", code=SIGMOID + '''
def forward_pass(inp, w, b):
    columns = []
    for j in range(inp.shape[1]):
        a = inp[:, j:j + 1]
        for l in range(len(w)):
            a = sigmoid(w[l] @ a + b[l])
        columns.append(a)
    return np.hstack(columns)
'''),
    dict(id="nb02-forward-rows-inside", challenge="forward_pass", expect="passes", code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp.T                                 # rows inside, columns outside
    for w_l, b_l in zip(w, b):
        a = sigmoid(a @ w_l.T + b_l.T)
    return a.T
'''),
    dict(id="nb02-forward-no-bias", challenge="forward_pass", expect="fails", keywords=["bias"], code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp
    for l in range(len(w)):
        a = sigmoid(w[l] @ a)
    return a
'''),
    dict(id="nb02-forward-linear-output", challenge="forward_pass", expect="fails",
         keywords=["last layer", "output layer"], code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp
    for l in range(len(w) - 1):
        a = sigmoid(w[l] @ a + b[l])
    return w[-1] @ a + b[-1]
'''),
    dict(id="nb02-forward-return-in-loop", challenge="forward_pass", expect="fails",
         keywords=["first layer", "every layer"], code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp
    for l in range(len(w)):
        a = sigmoid(w[l] @ a + b[l])
        return a
'''),
    dict(id="nb02-forward-a-at-w", challenge="forward_pass", expect="fails",
         keywords=["w[l] @ a", "w @ a", "order"], code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp
    for l in range(len(w)):
        a = sigmoid(a @ w[l] + b[l])
    return a
'''),
    dict(id="nb02-forward-returns-rows", challenge="forward_pass", expect="fails",
         keywords=["transpose"], code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp.T
    for w_l, b_l in zip(w, b):
        a = sigmoid(a @ w_l.T + b_l.T)
    return a
'''),
    dict(id="nb02-forward-bias-flattened", challenge="forward_pass", expect="fails",
         keywords=["bias", "broadcast"], code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp
    for w_l, b_l in zip(w, b):
        a = sigmoid(w_l @ a + b_l.flatten())
    return a
'''),

    # ------------------------------------------------------------------------------------------ predict
    dict(id="nb02-predict-transpose-both", challenge="predict", expect="passes", code=FORWARD + '''
def predict(X, w, b):
    y_hat = forward_pass(X.T, w, b)
    return y_hat.T
'''),
    dict(id="nb02-predict-np-transpose", challenge="predict", expect="passes", code=FORWARD + '''
def predict(X, w, b):
    return np.transpose(forward_pass(np.transpose(X), w, b))
'''),
    dict(id="nb02-predict-rows-directly", challenge="predict", expect="passes", code=SIGMOID + '''
def predict(X, w, b):
    a = np.asarray(X, dtype=float)
    for w_l, b_l in zip(w, b):
        a = sigmoid(a @ w_l.T + b_l.T)
    return a
'''),
    dict(id="nb02-predict-no-transpose-back", challenge="predict", expect="fails",
         keywords=["transpose"], code=FORWARD + '''
def predict(X, w, b):
    return forward_pass(X.T, w, b)
'''),
    dict(id="nb02-predict-no-transpose-in", challenge="predict", expect="fails",
         keywords=["transpose", "rows"], code=FORWARD + '''
def predict(X, w, b):
    return forward_pass(X, w, b).T
'''),
    dict(id="nb02-predict-forward-without-bias", challenge="predict", expect="fails",
         keywords=["bias"], code=SIGMOID + '''
def forward_pass(inp, w, b):
    a = inp
    for w_l in w:
        a = sigmoid(w_l @ a)
    return a

def predict(X, w, b):
    return forward_pass(X.T, w, b).T
'''),

    # ------------------------------------------------------------------------------------------ cost_function
    dict(id="nb02-cost-example-loop", challenge="cost_function", expect="passes", code=PREDICT + '''
def cost_function(X, y, w, b):
    y_pred = predict(X, w, b)
    total = 0.0
    for i in range(len(X)):
        total += np.sum((y_pred[i] - y[i]) ** 2)
    return total / len(X)
'''),
    dict(id="nb02-cost-mean-of-row-sums", challenge="cost_function", expect="passes", code=PREDICT + '''
def cost_function(X, y, w, b):
    return np.mean(np.sum((predict(X, w, b) - y) ** 2, axis=1))
'''),
    dict(id="nb02-cost-norm-squared", challenge="cost_function", expect="passes", code=PREDICT + '''
def cost_function(X, y, w, b):
    m = X.shape[0]
    return float(np.linalg.norm(predict(X, w, b) - y) ** 2 / m)
'''),
    dict(id="nb02-cost-columns", challenge="cost_function", expect="passes", code=FORWARD + '''
def cost_function(X, y, w, b):
    a = forward_pass(X.T, w, b)
    diff = a - y.T
    return np.sum(diff * diff) / X.shape[0]
'''),
    dict(id="nb02-cost-half", challenge="cost_function", expect="fails", factor=True,
         keywords=["½", "half", "1/2"], code=PREDICT + '''
def cost_function(X, y, w, b):
    m = X.shape[0]
    return 0.5 * np.sum((predict(X, w, b) - y) ** 2) / m
'''),
    dict(id="nb02-cost-np-mean-all", challenge="cost_function", expect="fails", factor=True,
         keywords=["np.mean", "entries", "n_out"], code=PREDICT + '''
def cost_function(X, y, w, b):
    return np.mean((predict(X, w, b) - y) ** 2)
'''),
    dict(id="nb02-cost-sqrt", challenge="cost_function", expect="fails", keywords=["root"], code=PREDICT + '''
def cost_function(X, y, w, b):
    return np.sqrt(np.sum((predict(X, w, b) - y) ** 2) / X.shape[0])
'''),
    dict(id="nb02-cost-abs", challenge="cost_function", expect="fails",
         keywords=["|ŷ − y|", "abs", "square"], code=PREDICT + '''
def cost_function(X, y, w, b):
    return np.sum(np.abs(predict(X, w, b) - y)) / X.shape[0]
'''),
    dict(id="nb02-cost-broadcast-flatten", challenge="cost_function", expect="fails",
         keywords=["broadcast", "shape"], forbid=["constant factor"], code=PREDICT + '''
def cost_function(X, y, w, b):
    y_pred = predict(X, w, b).flatten()
    return np.sum((y_pred - y) ** 2) / len(y)
'''),
    dict(id="nb02-cost-forward-row-vs-column-y", challenge="cost_function", expect="fails",
         keywords=["broadcast", "shape"], forbid=["constant factor"], code=FORWARD + '''
def cost_function(X, y, w, b):
    y_pred = forward_pass(X.T, w, b)[0]        # one output: take the row
    return np.sum((y_pred - y) ** 2) / X.shape[0]
'''),
    dict(id="nb02-cost-divide-by-n-out", challenge="cost_function", expect="fails", factor=True,
         keywords=["number of examples", "X.shape[0]"], code=PREDICT + '''
def cost_function(X, y, w, b):
    m = y.shape[1]
    return np.sum((predict(X, w, b) - y) ** 2) / m
'''),
    dict(id="nb02-cost-no-divide", challenge="cost_function", expect="fails", factor=True,
         keywords=["number of examples", "divide"], code=PREDICT + '''
def cost_function(X, y, w, b):
    return np.sum((predict(X, w, b) - y) ** 2)
'''),
]
