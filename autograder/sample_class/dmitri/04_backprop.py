# %% backprop
m = X.shape[0]
activations, zs = [X.T], []
for w_l, b_l in zip(w, b):
    zs.append(w_l @ activations[-1] + b_l)
    activations.append(sigmoid(zs[-1]))
w_grads, b_grads = [None] * len(w), [None] * len(b)
delta = (2 / m) * (y.T - activations[-1]) * sigmoid_prime(zs[-1])
for l in range(len(w) - 1, -1, -1):
    if l < len(w) - 1:
        delta = (w[l + 1].T @ delta) * sigmoid_prime(zs[l])
    b_grads[l] = delta.sum(axis=1, keepdims=True)
    w_grads[l] = delta @ activations[l].T
return w_grads, b_grads
