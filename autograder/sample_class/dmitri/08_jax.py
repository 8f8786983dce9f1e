# %% gd_step
w_grads, b_grads = jax_gradient(X, y, w, b)
return [w_l + lr * g for w_l, g in zip(w, w_grads)], [b_l + lr * g for b_l, g in zip(b, b_grads)]
