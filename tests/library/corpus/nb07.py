"""Notebook 07: rnn_cell_forward, lstm_cell_forward and lstm_cell_backward — realistic student answers (states
are columns; the RNN's ``params`` holds Wh, bh and the LSTM's Wf, bf, Wi, bi, Wc, bc, Wo, bo, all acting on the
stacked ``[h_prev; x_t]``).

lstm_cell_backward is checked with the student's own lstm_cell_forward, whose cache it takes, so its entries
define both: ``CELL_WITH_PARAMS`` is ``CELL`` keeping ``params`` in its cache too, which ``CELL_BACKWARD`` takes
apart."""

SIGMOID = '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''

CELL = SIGMOID + '''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    hx = np.concatenate([h_prev, x_t])
    f = sigmoid(params["Wf"] @ hx + params["bf"])
    i = sigmoid(params["Wi"] @ hx + params["bi"])
    c_tilde = np.tanh(params["Wc"] @ hx + params["bc"])
    o = sigmoid(params["Wo"] @ hx + params["bo"])
    c_t = f * c_prev + i * c_tilde
    h_t = o * np.tanh(c_t)
    return h_t, c_t, (hx, c_prev, f, i, c_tilde, o, c_t)
'''

RNN = '''
def rnn_cell_forward(x_t, h_prev, params):
    hx = np.concatenate([h_prev, x_t], axis=0)
    h_t = np.tanh(params["Wh"] @ hx + params["bh"])
    return h_t, (hx, h_t, params)
'''

CELL_WITH_PARAMS = CELL.replace("return h_t, c_t, (hx, c_prev, f, i, c_tilde, o, c_t)",
                                "return h_t, c_t, (hx, c_prev, f, i, c_tilde, o, c_t, params)")

CELL_BACKWARD = CELL_WITH_PARAMS + '''
def lstm_cell_backward(dh, dc, cache):
    hx, c_prev, f, i, c_tilde, o, c_t, params = cache
    tanh_c = np.tanh(c_t)
    dc_total = dc + dh * o * (1 - tanh_c ** 2)
    dzf = dc_total * c_prev * f * (1 - f)
    dzi = dc_total * c_tilde * i * (1 - i)
    dzc = dc_total * i * (1 - c_tilde ** 2)
    dzo = dh * tanh_c * o * (1 - o)
    grads = {"Wf": dzf @ hx.T, "bf": dzf.sum(axis=1, keepdims=True),
             "Wi": dzi @ hx.T, "bi": dzi.sum(axis=1, keepdims=True),
             "Wc": dzc @ hx.T, "bc": dzc.sum(axis=1, keepdims=True),
             "Wo": dzo @ hx.T, "bo": dzo.sum(axis=1, keepdims=True)}
    dhx = params["Wf"].T @ dzf + params["Wi"].T @ dzi + params["Wc"].T @ dzc + params["Wo"].T @ dzo
    n_h = dh.shape[0]
    dh_prev, dx = dhx[:n_h], dhx[n_h:]
    dc_prev = dc_total * f
    return dx, dh_prev, dc_prev, grads
'''

ENTRIES = [
    dict(id="nb07-lstm-notebook-style", challenge="lstm_cell_forward", expect="passes", code=CELL),
    dict(id="nb07-lstm-fused-gates", challenge="lstm_cell_forward", expect="passes", code=SIGMOID + '''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    n_h = h_prev.shape[0]
    W = np.vstack([params["Wf"], params["Wi"], params["Wc"], params["Wo"]])
    b = np.vstack([params["bf"], params["bi"], params["bc"], params["bo"]])
    z = W @ np.vstack([h_prev, x_t]) + b
    f, i, g, o = np.split(z, 4, axis=0)
    f, i, g, o = sigmoid(f), sigmoid(i), np.tanh(g), sigmoid(o)
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t, {"z": z, "c_prev": c_prev, "n_h": n_h}
'''),
    dict(id="nb07-lstm-split-weights", challenge="lstm_cell_forward", expect="passes", code=SIGMOID + '''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    n_h = h_prev.shape[0]
    def gate(name):
        W = params["W" + name]
        return W[:, :n_h] @ h_prev + W[:, n_h:] @ x_t + params["b" + name]
    forget = sigmoid(gate("f"))
    update = sigmoid(gate("i"))
    candidate = np.tanh(gate("c"))
    output = sigmoid(gate("o"))
    c_next = forget * c_prev + update * candidate
    h_next = output * np.tanh(c_next)
    cache = (h_prev, x_t, c_prev, forget, update, candidate, output, c_next)
    return h_next, c_next, cache
'''),
    dict(id="nb07-lstm-naive-sigmoid-list-cache", challenge="lstm_cell_forward", expect="passes", code='''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def lstm_cell_forward(x_t, h_prev, c_prev, params):
    concat = np.concatenate((h_prev, x_t), axis=0)
    ft = sigmoid(np.dot(params["Wf"], concat) + params["bf"])
    it = sigmoid(np.dot(params["Wi"], concat) + params["bi"])
    cct = np.tanh(np.dot(params["Wc"], concat) + params["bc"])
    ot = sigmoid(np.dot(params["Wo"], concat) + params["bo"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    return h_next, c_next, [concat, ft, it, cct, ot]
'''),
    dict(id="nb07-lstm-no-tanh-on-c", challenge="lstm_cell_forward", expect="fails", keywords=["tanh"],
         code=CELL.replace("h_t = o * np.tanh(c_t)", "h_t = o * c_t")),
    dict(id="nb07-lstm-no-input-gate", challenge="lstm_cell_forward", expect="fails", keywords=["input gate"],
         code=CELL.replace("c_t = f * c_prev + i * c_tilde", "c_t = f * c_prev + c_tilde")),
    dict(id="nb07-lstm-sigmoid-candidate", challenge="lstm_cell_forward", expect="fails",
         keywords=["candidate"], code=CELL.replace(
             'c_tilde = np.tanh(params["Wc"] @ hx + params["bc"])', 'c_tilde = sigmoid(params["Wc"] @ hx + params["bc"])')),
    dict(id="nb07-lstm-x-before-h", challenge="lstm_cell_forward", expect="fails",
         keywords=["order", "stack", "concatenat"],
         code=CELL.replace("np.concatenate([h_prev, x_t])", "np.concatenate([x_t, h_prev])")),
    dict(id="nb07-lstm-forget-input-swapped", challenge="lstm_cell_forward", expect="fails",
         keywords=["gate"], forbid=["without the input gate"],
         code=CELL.replace("c_t = f * c_prev + i * c_tilde", "c_t = i * c_prev + f * c_tilde")),
    dict(id="nb07-lstm-no-cache", challenge="lstm_cell_forward", expect="fails", keywords=["cache"],
         code=CELL.replace("return h_t, c_t, (hx, c_prev, f, i, c_tilde, o, c_t)", "return h_t, c_t")),
    dict(id="nb07-lstm-c-before-h", challenge="lstm_cell_forward", expect="fails",
         keywords=["order", "h_t first"], code=CELL.replace(
             "return h_t, c_t, (hx, c_prev, f, i, c_tilde, o, c_t)", "return c_t, h_t, (hx, c_prev, f, i, c_tilde, o, c_t)")),
    dict(id="nb07-lstm-output-uses-old-cell", challenge="lstm_cell_forward", expect="fails",
         keywords=["C_{t−1}", "c_prev", "new cell state", "updated"],
         code=CELL.replace("h_t = o * np.tanh(c_t)", "h_t = o * np.tanh(c_prev)")),

    # ------------------------------------------------------------------------------------------ rnn_cell_forward
    dict(id="nb07-rnn-concatenate", challenge="rnn_cell_forward", expect="passes", code=RNN),
    dict(id="nb07-rnn-split-weights-dict-cache", challenge="rnn_cell_forward", expect="passes", code='''
def rnn_cell_forward(x_t, h_prev, params):
    n_h = h_prev.shape[0]
    Wh, bh = params["Wh"], params["bh"]
    z = np.dot(Wh[:, :n_h], h_prev) + np.dot(Wh[:, n_h:], x_t) + bh
    h_t = np.tanh(z)
    return h_t, {"x_t": x_t, "h_prev": h_prev, "z": z, "h_t": h_t}
'''),
    dict(id="nb07-rnn-example-by-example", challenge="rnn_cell_forward", expect="passes", code='''
def rnn_cell_forward(x_t, h_prev, params):
    m = x_t.shape[1]
    h_t = np.zeros((h_prev.shape[0], m))
    for j in range(m):                             # one example (column) at a time
        hx = np.concatenate([h_prev[:, j], x_t[:, j]])
        h_t[:, j] = np.tanh(params["Wh"] @ hx + params["bh"][:, 0])
    return h_t, [x_t, h_prev, h_t]
'''),
    dict(id="nb07-rnn-tanh-from-sigmoid", challenge="rnn_cell_forward", expect="passes", code='''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def rnn_cell_forward(x_t, h_prev, params):
    z = params["Wh"] @ np.vstack((h_prev, x_t)) + params["bh"]
    h_t = 2 * sigmoid(2 * z) - 1                    # tanh(z) = 2σ(2z) − 1
    return h_t, (z, h_prev, x_t)
'''),
    dict(id="nb07-rnn-no-tanh", challenge="rnn_cell_forward", expect="fails", keywords=["squashes"],
         code=RNN.replace('h_t = np.tanh(params["Wh"] @ hx + params["bh"])', 'h_t = params["Wh"] @ hx + params["bh"]')),
    dict(id="nb07-rnn-sigmoid", challenge="rnn_cell_forward", expect="fails", keywords=["σ"],
         code=RNN.replace("np.tanh(", "1 / (1 + np.exp(-(").replace('+ params["bh"])', '+ params["bh"])))')),
    dict(id="nb07-rnn-x-first", challenge="rnn_cell_forward", expect="fails", keywords=["h_prev on top"],
         code=RNN.replace("np.concatenate([h_prev, x_t], axis=0)", "np.concatenate([x_t, h_prev], axis=0)")),
    dict(id="nb07-rnn-no-bias", challenge="rnn_cell_forward", expect="fails", keywords=["bias"],
         code=RNN.replace(' + params["bh"]', "")),
    dict(id="nb07-rnn-flat-bias", challenge="rnn_cell_forward", expect="fails", keywords=["every column"],
         code=RNN.replace('params["bh"])', 'params["bh"].ravel())')),
    dict(id="nb07-rnn-elementwise", challenge="rnn_cell_forward", expect="fails", keywords=["column stack"],
         code=RNN.replace('params["Wh"] @ hx', 'params["Wh"] * hx')),
    dict(id="nb07-rnn-separate-weights", challenge="rnn_cell_forward", expect="fails", keywords=["no separate weights"],
         code='''
def rnn_cell_forward(x_t, h_prev, params):
    h_t = np.tanh(params["Waa"] @ h_prev + params["Wax"] @ x_t + params["ba"])
    return h_t, (h_t, h_prev, x_t, params)
'''),
    dict(id="nb07-rnn-bias-after-tanh", challenge="rnn_cell_forward", expect="fails", keywords=["after the tanh"],
         code=RNN.replace('np.tanh(params["Wh"] @ hx + params["bh"])', 'np.tanh(params["Wh"] @ hx) + params["bh"]')),
    dict(id="nb07-rnn-concatenate-along-columns", challenge="rnn_cell_forward", expect="fails", keywords=["axis 0"],
         code=RNN.replace("axis=0", "axis=1")),
    dict(id="nb07-rnn-no-cache", challenge="rnn_cell_forward", expect="fails", keywords=["cache"],
         code=RNN.replace("return h_t, (hx, h_t, params)", "return h_t")),
    dict(id="nb07-rnn-returns-new-and-old-state", challenge="rnn_cell_forward", expect="fails",
         keywords=["cache"], code=RNN.replace("return h_t, (hx, h_t, params)", "return h_t, h_prev, (hx, params)")),

    # ------------------------------------------------------------------------------------------ lstm_cell_backward
    dict(id="nb07-lstm-backward-gate-by-gate", challenge="lstm_cell_backward", expect="passes", code=CELL_BACKWARD),
    dict(id="nb07-lstm-backward-fused-dict-cache", challenge="lstm_cell_backward", expect="passes", code=SIGMOID + '''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    n_h = h_prev.shape[0]
    W = np.vstack([params["Wf"], params["Wi"], params["Wc"], params["Wo"]])
    b = np.vstack([params["bf"], params["bi"], params["bc"], params["bo"]])
    hx = np.vstack([h_prev, x_t])
    f, i, g, o = np.split(W @ hx + b, 4, axis=0)
    f, i, g, o = sigmoid(f), sigmoid(i), np.tanh(g), sigmoid(o)
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    cache = {"hx": hx, "W": W, "gates": (f, i, g, o), "c_prev": c_prev, "c_t": c_t, "n_h": n_h}
    return h_t, c_t, cache


def lstm_cell_backward(dh, dc, cache):
    f, i, g, o = cache["gates"]
    n_h, tc = cache["n_h"], np.tanh(cache["c_t"])
    dC = dc + dh * o * (1 - tc * tc)
    dz = np.vstack([dC * cache["c_prev"] * f * (1 - f), dC * g * i * (1 - i), dC * i * (1 - g * g),
                    dh * tc * o * (1 - o)])
    dhx = cache["W"].T @ dz
    dW, db = dz @ cache["hx"].T, dz.sum(axis=1, keepdims=True)
    grads = {}
    for k, name in enumerate("fico"):
        grads["W" + name] = dW[k * n_h:(k + 1) * n_h]
        grads["b" + name] = db[k * n_h:(k + 1) * n_h]
    return dhx[n_h:], dhx[:n_h], dC * f, grads
'''),
    dict(id="nb07-lstm-backward-split-weights-einsum", challenge="lstm_cell_backward", expect="passes",
         code=SIGMOID + '''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    n_h = h_prev.shape[0]
    def gate(name):
        W = params["W" + name]
        return W[:, :n_h] @ h_prev + W[:, n_h:] @ x_t + params["b" + name]
    ft, it, ot = sigmoid(gate("f")), sigmoid(gate("i")), sigmoid(gate("o"))
    cct = np.tanh(gate("c"))
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    return h_next, c_next, (h_next, c_next, h_prev, c_prev, ft, it, cct, ot, x_t, params)


def lstm_cell_backward(dh, dc, cache):
    h_next, c_next, h_prev, c_prev, ft, it, cct, ot, x_t, params = cache
    n_h = h_prev.shape[0]
    dot = dh * np.tanh(c_next) * ot * (1 - ot)
    dC = dc + ot * (1 - np.tanh(c_next) ** 2) * dh
    dcct = dC * it * (1 - cct ** 2)
    dit = dC * cct * it * (1 - it)
    dft = dC * c_prev * ft * (1 - ft)
    grads, dh_prev, dx = {}, 0, 0
    for name, d in (("o", dot), ("c", dcct), ("i", dit), ("f", dft)):      # any order will do
        W = params["W" + name]
        grads["W" + name] = np.hstack([np.einsum("am,bm->ab", d, h_prev), np.einsum("am,bm->ab", d, x_t)])
        grads["b" + name] = np.sum(d, axis=1, keepdims=True)
        dh_prev = dh_prev + W[:, :n_h].T @ d
        dx = dx + W[:, n_h:].T @ d
    return dx, dh_prev, dC * ft, grads
'''),
    dict(id="nb07-lstm-backward-sigmoid-prime-helper", challenge="lstm_cell_backward", expect="passes",
         code='''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_cell_forward(x_t, h_prev, c_prev, params):
    concat = np.concatenate((h_prev, x_t), axis=0)
    zs = {g: np.dot(params["W" + g], concat) + params["b" + g] for g in "fico"}
    ft, it, ot = sigmoid(zs["f"]), sigmoid(zs["i"]), sigmoid(zs["o"])
    cct = np.tanh(zs["c"])
    c_next = ft * c_prev + it * cct
    h_next = ot * np.tanh(c_next)
    return h_next, c_next, [zs, c_prev, c_next, concat, params]


def lstm_cell_backward(dh, dc, cache):
    zs, c_prev, c_next, concat, params = cache
    def sigmoid_prime(z):
        return sigmoid(z) * (1 - sigmoid(z))
    def tanh_prime(z):
        return 1 - np.tanh(z) ** 2
    dC = dc + dh * sigmoid(zs["o"]) * tanh_prime(c_next)
    dz = {"o": dh * np.tanh(c_next) * sigmoid_prime(zs["o"]),
          "c": dC * sigmoid(zs["i"]) * tanh_prime(zs["c"]),
          "i": dC * np.tanh(zs["c"]) * sigmoid_prime(zs["i"]),
          "f": dC * c_prev * sigmoid_prime(zs["f"])}
    grads = {}
    for g in "fico":
        grads["W" + g] = np.dot(dz[g], concat.T)
        grads["b" + g] = np.sum(dz[g], axis=1).reshape(-1, 1)
    dconcat = sum(np.dot(params["W" + g].T, dz[g]) for g in "fico")
    n_h = c_prev.shape[0]
    return dconcat[n_h:], dconcat[:n_h], dC * sigmoid(zs["f"]), grads
'''),
    dict(id="nb07-lstm-backward-no-path-through-h", challenge="lstm_cell_backward", expect="fails",
         keywords=["through h_t"], code=CELL_BACKWARD.replace(
             "dc_total = dc + dh * o * (1 - tanh_c ** 2)", "dc_total = dc")),
    dict(id="nb07-lstm-backward-c-prev-no-forget", challenge="lstm_cell_backward", expect="fails",
         keywords=["times f_t"], code=CELL_BACKWARD.replace("dc_prev = dc_total * f", "dc_prev = dc_total")),
    dict(id="nb07-lstm-backward-c-prev-direct-only", challenge="lstm_cell_backward", expect="fails",
         keywords=["whole gradient"], code=CELL_BACKWARD.replace("dc_prev = dc_total * f", "dc_prev = dc * f")),
    dict(id="nb07-lstm-backward-candidate-sigmoid-prime", challenge="lstm_cell_backward", expect="fails",
         keywords=["1 − C̃_t²"], code=CELL_BACKWARD.replace(
             "dzc = dc_total * i * (1 - c_tilde ** 2)", "dzc = dc_total * i * c_tilde * (1 - c_tilde)")),
    dict(id="nb07-lstm-backward-no-tanh-prime", challenge="lstm_cell_backward", expect="fails",
         keywords=["tanh's derivative"], code=CELL_BACKWARD.replace(
             "dc_total = dc + dh * o * (1 - tanh_c ** 2)", "dc_total = dc + dh * o")),
    dict(id="nb07-lstm-backward-x-on-top", challenge="lstm_cell_backward", expect="fails", keywords=["x_t were on top"],
         code=CELL_BACKWARD.replace("dh_prev, dx = dhx[:n_h], dhx[n_h:]", "dx, dh_prev = dhx[:-n_h], dhx[-n_h:]")),
    dict(id="nb07-lstm-backward-over-m", challenge="lstm_cell_backward", expect="fails",
         keywords=["divided by the number of examples m"], code=CELL_BACKWARD.replace(
             "    return dx, dh_prev, dc_prev, grads",
             "    m = dh.shape[1]\n    grads = {k: v / m for k, v in grads.items()}\n    return dx, dh_prev, dc_prev, grads")),
    dict(id="nb07-lstm-backward-dx-dh-swapped", challenge="lstm_cell_backward", expect="fails",
         keywords=["dx first"], code=CELL_BACKWARD.replace("return dx, dh_prev, dc_prev, grads",
                                                          "return dh_prev, dx, dc_prev, grads")),
    dict(id="nb07-lstm-backward-b-mean", challenge="lstm_cell_backward", expect="fails", keywords=["sums"],
         code=CELL_BACKWARD.replace(".sum(axis=1, keepdims=True)", ".mean(axis=1, keepdims=True)")),
    dict(id="nb07-lstm-backward-b-flat", challenge="lstm_cell_backward", expect="fails", keywords=["keepdims"],
         code=CELL_BACKWARD.replace(".sum(axis=1, keepdims=True)", ".sum(axis=1)")),
    dict(id="nb07-lstm-backward-grads-missing-key", challenge="lstm_cell_backward", expect="fails",
         keywords=["missing bo"], code=CELL_BACKWARD.replace(
             '"Wo": dzo @ hx.T, "bo": dzo.sum(axis=1, keepdims=True)}', '"Wo": dzo @ hx.T}')),
    dict(id="nb07-lstm-backward-coursera-keys", challenge="lstm_cell_backward", expect="fails",
         keywords=["unexpected"], code=CELL_BACKWARD.replace('''
    grads = {"Wf": dzf @ hx.T, "bf": dzf.sum(axis=1, keepdims=True),
             "Wi": dzi @ hx.T, "bi": dzi.sum(axis=1, keepdims=True),
             "Wc": dzc @ hx.T, "bc": dzc.sum(axis=1, keepdims=True),
             "Wo": dzo @ hx.T, "bo": dzo.sum(axis=1, keepdims=True)}''', '''
    grads = {"dWf": dzf @ hx.T, "dbf": dzf.sum(axis=1, keepdims=True),
             "dWi": dzi @ hx.T, "dbi": dzi.sum(axis=1, keepdims=True),
             "dWc": dzc @ hx.T, "dbc": dzc.sum(axis=1, keepdims=True),
             "dWo": dzo @ hx.T, "dbo": dzo.sum(axis=1, keepdims=True)}''')),
    dict(id="nb07-lstm-backward-forget-uses-new-cell", challenge="lstm_cell_backward", expect="fails",
         keywords=["C_{t−1}"], code=CELL_BACKWARD.replace("dzf = dc_total * c_prev * f * (1 - f)",
                                                         "dzf = dc_total * c_t * f * (1 - f)")),
    dict(id="nb07-lstm-backward-sigmoid-of-gate", challenge="lstm_cell_backward", expect="fails",
         keywords=["already"], code=CELL_BACKWARD.replace("o * (1 - o)", "sigmoid(o) * (1 - sigmoid(o))").replace(
             "f * (1 - f)", "sigmoid(f) * (1 - sigmoid(f))").replace("i * (1 - i)", "sigmoid(i) * (1 - sigmoid(i))")),
    dict(id="nb07-lstm-backward-weights-from-notebook", challenge="lstm_cell_backward", expect="fails",
         keywords=["must travel in the cache"], code=CELL + '''
def lstm_cell_backward(dh, dc, cache):
    hx, c_prev, f, i, c_tilde, o, c_t = cache
    tanh_c = np.tanh(c_t)
    dc_total = dc + dh * o * (1 - tanh_c ** 2)
    dz = {"f": dc_total * c_prev * f * (1 - f), "i": dc_total * c_tilde * i * (1 - i),
          "c": dc_total * i * (1 - c_tilde ** 2), "o": dh * tanh_c * o * (1 - o)}
    grads = {}
    for g in "fico":
        grads["W" + g], grads["b" + g] = dz[g] @ hx.T, dz[g].sum(axis=1, keepdims=True)
    dhx = sum(params["W" + g].T @ dz[g] for g in "fico")       # the params of the cell above
    n_h = dh.shape[0]
    return dhx[n_h:], dhx[:n_h], dc_total * f, grads
'''),
    dict(id="nb07-lstm-backward-cache-unpacked-short", challenge="lstm_cell_backward", expect="fails",
         keywords=["unpack"], code=CELL_BACKWARD.replace(
             "hx, c_prev, f, i, c_tilde, o, c_t, params = cache", "hx, c_prev, f, i, c_tilde, o, params = cache")),
    dict(id="nb07-lstm-backward-forward-raises", challenge="lstm_cell_backward", expect="fails",
         keywords=["lstm_cell_forward"], code=CELL_BACKWARD.replace(
             "hx = np.concatenate([h_prev, x_t])", "hx = np.concatenate([h_prev, x_t], axis=1)")),
]
