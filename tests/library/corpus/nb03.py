"""Notebook 03: gradient_estimator and one_step_gd — realistic student answers.

``COST`` is a student's correct notebook-02 code (sigmoid, forward_pass, predict, cost_function), which their
``gradient_estimator`` calls; ``ESTIMATOR`` adds a correct ``gradient_estimator``, which ``one_step_gd`` calls."""

COST = '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

def forward_pass(inp, w, b):
    a = inp
    for l in range(len(w)):
        a = sigmoid(w[l] @ a + b[l])
    return a

def predict(X, w, b):
    return forward_pass(X.T, w, b).T

def cost_function(X, y, w, b):
    m = X.shape[0]
    return np.sum((predict(X, w, b) - y) ** 2) / m
'''


#: the same notebook-02 code with the textbook sigmoid, which keeps float32 arrays float32
COST_TEXTBOOK_SIGMOID = COST.replace('''    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))''', "    return 1 / (1 + np.exp(-z))")


def estimator(update, restore="p[idx] = old", cast="[p.astype(float) for p in w]", cast_b=None, head="",
              cost=COST):
    """A gradient_estimator in the style of notebook 03's loop, with one line changed."""
    cast_b = cast_b or cast.replace(" w]", " b]")
    return cost + f'''
def gradient_estimator(X, y, w, b, eps=1e-4):
{head}    w = {cast}
    b = {cast_b}
    base = cost_function(X, y, w, b)
    pds = []
    for params in (w, b):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                {update}
                {restore}
            grads.append(g)
        pds.append(grads)
    return pds[0], pds[1]
'''


ESTIMATOR = estimator("g[idx] = (cost_function(X, y, w, b) - base) / eps")

STEP = '''
def one_step_gd(X, y, w, b, lr):
    w_pds, b_pds = gradient_estimator(X, y, w, b)
    new_w = [w_l - lr * g for w_l, g in zip(w, w_pds)]
    new_b = [b_l - lr * g for b_l, g in zip(b, b_pds)]
    return new_w, new_b
'''

ENTRIES = [
    # ------------------------------------------------------------------------------------------ gradient_estimator
    dict(id="nb03-estimator-notebook-style", challenge="gradient_estimator", expect="passes", code=ESTIMATOR),
    dict(id="nb03-estimator-deepcopy-per-parameter", challenge="gradient_estimator", expect="passes", code=COST + '''
import copy

def gradient_estimator(X, y, w, b, eps=1e-4):
    base = cost_function(X, y, w, b)
    w_pds = []
    for l in range(len(w)):
        g = np.zeros(w[l].shape)
        for i in range(w[l].shape[0]):
            for j in range(w[l].shape[1]):
                w_new = copy.deepcopy(w)
                w_new[l][i, j] += eps
                g[i, j] = (cost_function(X, y, w_new, b) - base) / eps
        w_pds.append(g)
    b_pds = []
    for l in range(len(b)):
        g = np.zeros(b[l].shape)
        for i in range(b[l].shape[0]):
            b_new = copy.deepcopy(b)
            b_new[l][i, 0] += eps
            g[i, 0] = (cost_function(X, y, w, b_new) - base) / eps
        b_pds.append(g)
    return w_pds, b_pds
'''),
    dict(id="nb03-estimator-central-differences", challenge="gradient_estimator", expect="passes",
         notes=["central"], code=estimator(
             "up = cost_function(X, y, w, b)\n                p[idx] = old - eps\n"
             "                g[idx] = (up - cost_function(X, y, w, b)) / (2 * eps)")),
    dict(id="nb03-estimator-float64-copies", challenge="gradient_estimator", expect="passes", code=COST + '''
def gradient_estimator(X, y, w, b, eps=1e-4):
    w = [np.array(p, dtype=np.float64) for p in w]       # copies: the caller's lists stay as they are
    b = [np.array(p, dtype=np.float64) for p in b]
    base = cost_function(X, y, w, b)
    w_pds = [np.zeros_like(p) for p in w]
    b_pds = [np.zeros_like(p) for p in b]
    for params, pds in ((w, w_pds), (b, b_pds)):
        for p, pd in zip(params, pds):
            for i in range(p.shape[0]):
                for j in range(p.shape[1]):
                    keep = p[i, j]
                    p[i, j] = keep + eps
                    pd[i, j] = (cost_function(X, y, w, b) - base) / eps
                    p[i, j] = keep
    return w_pds, b_pds
'''),
    dict(id="nb03-estimator-no-divide", challenge="gradient_estimator", expect="fails", factor=True,
         keywords=["eps"], code=estimator("g[idx] = cost_function(X, y, w, b) - base")),
    dict(id="nb03-estimator-divide-twice", challenge="gradient_estimator", expect="fails", factor=True,
         keywords=["twice"], code=estimator("g[idx] = (cost_function(X, y, w, b) - base) / eps / eps")),
    dict(id="nb03-estimator-two-eps", challenge="gradient_estimator", expect="fails", factor=True,
         keywords=["2·eps", "2*eps", "2 eps", "central"],
         code=estimator("g[idx] = (cost_function(X, y, w, b) - base) / (2 * eps)")),
    dict(id="nb03-estimator-not-restored", challenge="gradient_estimator", expect="fails",
         keywords=["put it back", "restore"], forbid=["constant factor"],
         code=estimator("g[idx] = (cost_function(X, y, w, b) - base) / eps", restore="pass")),
    dict(id="nb03-estimator-big-eps-default", challenge="gradient_estimator", expect="fails", keywords=["eps"],
         forbid=["constant factor"],
         code=estimator("g[idx] = (cost_function(X, y, w, b) - base) / eps").replace("eps=1e-4", "eps=0.01")),
    dict(id="nb03-estimator-sign", challenge="gradient_estimator", expect="fails", keywords=["sign"],
         code=estimator("g[idx] = (base - cost_function(X, y, w, b)) / eps")),
    dict(id="nb03-estimator-swapped-return", challenge="gradient_estimator", expect="fails",
         keywords=["order", "weights first", "swapped"],
         code=ESTIMATOR.replace("return pds[0], pds[1]", "return pds[1], pds[0]")),
    dict(id="nb03-estimator-float32", challenge="gradient_estimator", expect="fails",
         keywords=["float32", "float64", "precision"], forbid=["constant factor"],
         code=estimator("g[idx] = (cost_function(X, y, w, b) - base) / eps",
                        cast="[p.astype(np.float32) for p in w]",
                        head="    X, y = X.astype(np.float32), y.astype(np.float32)\n",
                        cost=COST_TEXTBOOK_SIGMOID)),
    dict(id="nb03-estimator-float64-textbook-sigmoid", challenge="gradient_estimator", expect="passes",
         code=estimator("g[idx] = (cost_function(X, y, w, b) - base) / eps", cost=COST_TEXTBOOK_SIGMOID)),

    # ------------------------------------------------------------------------------------------ one_step_gd
    dict(id="nb03-gd-list-comprehension", challenge="one_step_gd", expect="passes", code=ESTIMATOR + STEP),
    dict(id="nb03-gd-append-loop", challenge="one_step_gd", expect="passes", code=ESTIMATOR + '''
def one_step_gd(X, y, w, b, lr):
    w_pds, b_pds = gradient_estimator(X, y, w, b)
    new_w, new_b = [], []
    for l in range(len(w)):
        new_w.append(w[l] - lr * w_pds[l])
        new_b.append(b[l] - lr * b_pds[l])
    return new_w, new_b
'''),
    dict(id="nb03-gd-copies-then-subtract", challenge="one_step_gd", expect="passes", code=ESTIMATOR + '''
def one_step_gd(X, y, w, b, lr):
    w_pds, b_pds = gradient_estimator(X, y, w, b)
    new_w = [p.copy() for p in w]
    new_b = [p.copy() for p in b]
    for l in range(len(w)):
        new_w[l] -= lr * w_pds[l]
        new_b[l] -= lr * b_pds[l]
    return tuple(new_w), tuple(new_b)
'''),
    dict(id="nb03-gd-with-central-estimator", challenge="one_step_gd", expect="passes", code=estimator(
        "up = cost_function(X, y, w, b)\n                p[idx] = old - eps\n"
        "                g[idx] = (up - cost_function(X, y, w, b)) / (2 * eps)") + STEP),
    dict(id="nb03-gd-uphill", challenge="one_step_gd", expect="fails", keywords=["uphill", "subtract"],
         code=ESTIMATOR + STEP.replace("w_l - lr", "w_l + lr").replace("b_l - lr", "b_l + lr")),
    dict(id="nb03-gd-no-lr", challenge="one_step_gd", expect="fails", keywords=["learning rate"],
         code=ESTIMATOR + STEP.replace("w_l - lr * g", "w_l - g").replace("b_l - lr * g", "b_l - g")),
    dict(id="nb03-gd-estimator-sign-flipped", challenge="one_step_gd", expect="fails",
         keywords=["gradient_estimator"], forbid=["uphill"],
         code=estimator("g[idx] = (base - cost_function(X, y, w, b)) / eps") + STEP),
    dict(id="nb03-gd-estimator-not-divided", challenge="one_step_gd", expect="fails", factor=True,
         keywords=["gradient_estimator"], forbid=["learning rate"],
         code=estimator("g[idx] = cost_function(X, y, w, b) - base") + STEP),
    dict(id="nb03-gd-estimator-not-restored", challenge="one_step_gd", expect="fails",
         keywords=["gradient_estimator"], forbid=["constant factor"],
         code=estimator("g[idx] = (cost_function(X, y, w, b) - base) / eps", restore="pass") + STEP),
    dict(id="nb03-gd-in-place", challenge="one_step_gd", expect="fails",
         keywords=["in place", "copies"], code=ESTIMATOR + '''
def one_step_gd(X, y, w, b, lr):
    w_pds, b_pds = gradient_estimator(X, y, w, b)
    for l in range(len(w)):
        w[l] -= lr * w_pds[l]
        b[l] -= lr * b_pds[l]
    return w, b
'''),
]
