# %% jax_gradient
return jax.grad(jax_cost)(X, y, w, b)
