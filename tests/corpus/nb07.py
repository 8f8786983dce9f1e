"""Notebook 07: lstm_cell_forward — realistic student answers (states are columns; ``params`` holds
Wf, bf, Wi, bi, Wc, bc, Wo, bo acting on the stacked ``[h_prev; x_t]``)."""

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
]
