# %% lstm_cell_forward
hx = np.concatenate([h_prev, x_t])
f = sigmoid(params["Wf"] @ hx + params["bf"])
i = sigmoid(params["Wi"] @ hx + params["bi"])
o = sigmoid(params["Wo"] @ hx + params["bo"])
c_t = f * c_prev + i * np.tanh(params["Wc"] @ hx + params["bc"])
return o * c_t, c_t, None
