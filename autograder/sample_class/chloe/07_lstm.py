# %% rnn_cell_forward
xh = np.vstack([x_t, h_prev])
h_t = np.tanh(params["Wh"] @ xh + params["bh"])
return h_t, (xh, h_t)
