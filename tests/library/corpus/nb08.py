"""Notebook 08: jax_cost, jax_gradient, per_example_cost, gd_step — realistic student answers in jax.numpy.

The notebook switches on ``jax_enable_x64`` (so do the tests), so plain ``jnp`` code computes in float64; the
float32 entries cast on purpose, as a student used to JAX's default would. The checks run every function under
``jax.jit``. Kept few: each entry compiles."""

COST = '''
def jax_cost(X, y, w, b):
    a = jnp.asarray(X).T
    for w_l, b_l in zip(w, b):
        a = jax.nn.sigmoid(w_l @ a + b_l)
    return jnp.sum((a.T - jnp.asarray(y)) ** 2) / a.shape[1]
'''

COST32 = '''
def jax_cost(X, y, w, b):
    a = jnp.asarray(X, dtype=jnp.float32).T
    for w_l, b_l in zip(w, b):
        a = 1 / (1 + jnp.exp(-(jnp.asarray(w_l, jnp.float32) @ a + jnp.asarray(b_l, jnp.float32))))
    return jnp.mean(jnp.sum((a.T - jnp.asarray(y, jnp.float32)) ** 2, axis=1))
'''

GRADIENT = COST + '''
def jax_gradient(X, y, w, b):
    return jax.grad(jax_cost, argnums=(2, 3))(X, y, w, b)
'''

ENTRIES = [
    # ------------------------------------------------------------------------------------------ jax_cost
    dict(id="nb08-cost-jnp", challenge="jax_cost", expect="passes", code=COST),
    dict(id="nb08-cost-float32", challenge="jax_cost", expect="passes", code=COST32),
    dict(id="nb08-cost-numpy-inside", challenge="jax_cost", expect="fails", keywords=["jit"], code='''
def jax_cost(X, y, w, b):
    a = X.T
    for w_l, b_l in zip(w, b):
        a = 1 / (1 + np.exp(-(w_l @ a + b_l)))
    return np.sum((a.T - y) ** 2) / X.shape[0]
'''),

    # ------------------------------------------------------------------------------------------ jax_gradient
    dict(id="nb08-gradient-argnums", challenge="jax_gradient", expect="passes", code=GRADIENT),
    dict(id="nb08-gradient-float32", challenge="jax_gradient", expect="fails", keywords=["float64"],
         code=COST32 + '''
def jax_gradient(X, y, w, b):
    w32 = [jnp.asarray(a, jnp.float32) for a in w]            # float32 throughout, as notebook 08 trains
    b32 = [jnp.asarray(a, jnp.float32) for a in b]
    w_grads, b_grads = jax.grad(jax_cost, argnums=(2, 3))(X, y, w32, b32)
    return list(w_grads), list(b_grads)
'''),
    dict(id="nb08-gradient-wrt-X", challenge="jax_gradient", expect="fails", keywords=["argnums", "respect to X"],
         code=COST + '''
def jax_gradient(X, y, w, b):
    return jax.grad(jax_cost)(X, y, w, b)
'''),

    # ------------------------------------------------------------------------------------------ per_example_cost
    dict(id="nb08-per-example-vmap", challenge="per_example_cost", expect="passes", code='''
def per_example_cost(X, y, w, b):
    def one(x, t, w, b):
        a = x.reshape(-1, 1)
        for w_l, b_l in zip(w, b):
            a = jax.nn.sigmoid(w_l @ a + b_l)
        return jnp.sum((a.ravel() - t) ** 2)
    return jax.vmap(one, in_axes=(0, 0, None, None))(X, y, w, b)
'''),
    dict(id="nb08-per-example-batched-no-vmap", challenge="per_example_cost", expect="passes", code='''
def per_example_cost(X, y, w, b):
    a = jnp.asarray(X).T
    for w_l, b_l in zip(w, b):
        a = jax.nn.sigmoid(w_l @ a + b_l)
    return jnp.sum((a - jnp.asarray(y).T) ** 2, axis=0)
'''),
    dict(id="nb08-per-example-1d-broadcast", challenge="per_example_cost", expect="fails",
         keywords=["broadcast", "shape", "column"], code='''
def per_example_cost(X, y, w, b):
    def one(x, t, w, b):
        a = x                                    # one example, (n_in,)
        for w_l, b_l in zip(w, b):
            a = jax.nn.sigmoid(w_l @ a + b_l)    # b_l is (n_out, 1): a becomes (n_out, n_out)
        return jnp.sum((a - t) ** 2)
    return jax.vmap(one, in_axes=(0, 0, None, None))(X, y, w, b)
'''),
    dict(id="nb08-per-example-in-axes-0", challenge="per_example_cost", expect="fails", keywords=["in_axes"],
         code='''
def per_example_cost(X, y, w, b):
    def one(x, t, w, b):
        a = x[:, None]
        for w_l, b_l in zip(w, b):
            a = jax.nn.sigmoid(w_l @ a + b_l)
        return jnp.sum((a[:, 0] - t) ** 2)
    return jax.vmap(one)(X, y, w, b)
'''),

    # ------------------------------------------------------------------------------------------ gd_step
    dict(id="nb08-gd-step-jit-decorated", challenge="gd_step", expect="passes", code=GRADIENT + '''
@jax.jit
def gd_step(X, y, w, b, lr):
    w_grads, b_grads = jax_gradient(X, y, w, b)
    return [w_l - lr * g for w_l, g in zip(w, w_grads)], [b_l - lr * g for b_l, g in zip(b, b_grads)]
'''),
    dict(id="nb08-gd-step-ascent", challenge="gd_step", expect="fails", keywords=["uphill", "minus"],
         code=GRADIENT + '''
def gd_step(X, y, w, b, lr):
    w_grads, b_grads = jax_gradient(X, y, w, b)
    return [w_l + lr * g for w_l, g in zip(w, w_grads)], [b_l + lr * g for b_l, g in zip(b, b_grads)]
'''),
    dict(id="nb08-gd-step-numpy-arrays", challenge="gd_step", expect="fails", keywords=["jit"],
         code=GRADIENT + '''
def gd_step(X, y, w, b, lr):
    w_grads, b_grads = jax_gradient(X, y, w, b)
    new_w = [np.array(w_l) - lr * np.array(g) for w_l, g in zip(w, w_grads)]
    new_b = [np.array(b_l) - lr * np.array(g) for b_l, g in zip(b, b_grads)]
    return new_w, new_b
'''),
]
