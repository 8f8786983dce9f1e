# %% lstm_cell_backward
hx, c_prev, f, i, c_tilde, o, c_t, params = cache
n_h = c_t.shape[0]
dz = {"f": dc * c_prev * f * (1 - f), "i": dc * c_tilde * i * (1 - i),
      "c": dc * i * (1 - c_tilde ** 2), "o": dh * np.tanh(c_t) * o * (1 - o)}
grads, dhx = {}, np.zeros_like(hx)
for gate, g in dz.items():
    grads["W" + gate], grads["b" + gate] = g @ hx.T, g.sum(axis=1, keepdims=True)
    dhx = dhx + params["W" + gate].T @ g
return dhx[n_h:], dhx[:n_h], dc * f, grads
