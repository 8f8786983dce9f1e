"""The built-in sample class: twelve synthetic students with the mistakes real students make.

Each student is a dict ``assignment -> {solution grade_id -> body}``; a body replaces the release stub
(``# YOUR CODE HERE / raise NotImplementedError()``) of that function. Anything not listed is answered with
the instructor's solution; ``TODO`` leaves the stub in place; ``MISSING`` submits no notebook at all;
``EDITS`` lists ``(old, new)`` text replacements in the student's own (ungraded) cells.

``build(dest)`` writes the class as ``dest/<student>/<assignment>/<assignment>.ipynb``, ready to collect.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import nbformat

TODO, MISSING, EDITS = "TODO", "MISSING", "EDITS"
STUB = re.compile(r"^(?P<indent>[ \t]*)# YOUR CODE HERE\n(?P=indent)raise NotImplementedError\(\)", re.M)

STUDENTS: dict[str, dict] = {
    # everything right
    "ada": {},
    # predict forgets to transpose the result back into rows (cost_function inherits the mistake);
    # softmax normalises the rows instead of the columns; writes notebook 08's cost with numpy (fails under jit);
    # keeps a (cache of its own) but transposes dw in dense_backward; max_pool_backward writes (=) where
    # overlapping windows should add up
    "ben": {"06_cnn": {"max_pool_backward": """
                x, size, stride = cache
                dx = np.zeros(x.shape)
                N, C, H_out, W_out = dout.shape
                for n in range(N):
                    for c in range(C):
                        for i in range(H_out):
                            for j in range(W_out):
                                window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                                u, v = np.unravel_index(np.argmax(window), window.shape)
                                dx[n, c, i * stride + u, j * stride + v] = dout[n, c, i, j]
                return dx"""},
            "05_classifier": {"softmax": """
                e = np.exp(z - z.max(axis=1, keepdims=True))
                return e / e.sum(axis=1, keepdims=True)""", "dense_forward": """
                return w @ a + b, {"input": a, "weights": w}""", "dense_backward": """
                a, w = cache["input"], cache["weights"]
                return w.T @ dz, a @ dz.T, dz.sum(axis=1, keepdims=True)"""},
            "08_jax": {"jax_cost": """
                a = np.asarray(X, dtype=float).T
                for w_l, b_l in zip(w, b):
                    a = 1 / (1 + np.exp(-(np.asarray(w_l) @ a + np.asarray(b_l))))
                return float(np.sum((a.T - y) ** 2) / a.shape[1])"""},
            "02_forward_pass": {"predict": "return forward_pass(np.transpose(X), w, b)"}},
    # the textbook sigmoid: overflows (RuntimeWarning) at z = -1000 but the values are right;
    # stacks [x_t; h_prev] the other way round in the RNN cell
    "chloe": {"02_forward_pass": {"sigmoid": "return 1 / (1 + np.exp(-z))"},
              "07_lstm": {"rnn_cell_forward": """
                  xh = np.vstack([x_t, h_prev])
                  h_t = np.tanh(params["Wh"] @ xh + params["bh"])
                  return h_t, (xh, h_t)"""}},
    # steps uphill in one_step_gd, flips the sign of the cost derivative in backprop, flips the kernel (the
    # textbook's convolution) in notebook 06's convolution and in its backward pass, and steps uphill again in
    # notebook 08's gd_step
    "dmitri": {
        "08_jax": {"gd_step": """
            w_grads, b_grads = jax_gradient(X, y, w, b)
            return [w_l + lr * g for w_l, g in zip(w, w_grads)], [b_l + lr * g for b_l, g in zip(b, b_grads)]"""},
        "06_cnn": {"convolution": """
            image = np.pad(np.asarray(image, dtype=float), padding)
            kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]
            kh, kw = kernel.shape
            out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
            for i in range(out.shape[0]):
                for j in range(out.shape[1]):
                    out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
            return out""", "conv2d_backward": """
            x, w, b, stride, padding = cache
            xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
            F, C, kh, kw = w.shape
            flipped = w[:, :, ::-1, ::-1]
            dxp, dw = np.zeros(xp.shape), np.zeros(w.shape)
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
                    dw += np.tensordot(dout[:, :, i, j], xp[:, :, rows, cols], axes=([0], [0]))
                    dxp[:, :, rows, cols] += np.tensordot(dout[:, :, i, j], flipped, axes=([1], [0]))
            return dxp[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]], dw, dout.sum(axis=(0, 2, 3))"""},
        "03_gradient_descent": {"one_step_gd": """
            new_w = [w_l + lr * g for w_l, g in zip(w, w_pds)]
            new_b = [b_l + lr * g for b_l, g in zip(b, b_pds)]
            return new_w, new_b"""},
        "04_backprop": {"backprop": """
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
            return w_grads, b_grads"""}},
    # eps misuse: divides the forward difference by 2·eps; h_t = o_t ⊙ C_t without the tanh;
    # momentum_update returns the velocity it was given instead of the new one
    "emma": {"05_classifier": {"momentum_update": """
                 v_new = beta * v + dw
                 return w - lr * v_new, v"""},
             "07_lstm": {"lstm_cell_forward": """
                 hx = np.concatenate([h_prev, x_t])
                 f = sigmoid(params["Wf"] @ hx + params["bf"])
                 i = sigmoid(params["Wi"] @ hx + params["bi"])
                 o = sigmoid(params["Wo"] @ hx + params["bo"])
                 c_t = f * c_prev + i * np.tanh(params["Wc"] @ hx + params["bc"])
                 return o * c_t, c_t, None"""},
             "03_gradient_descent": {"gradient_estimator": """
        w = [x.astype(float) for x in w]
        b = [x.astype(float) for x in b]
        base = cost_function(X, y, w, b)
        pds = []
        for params in (w, b):
            grads = []
            for p in params:
                g = np.zeros_like(p)
                for idx in np.ndindex(p.shape):
                    p[idx] += eps
                    g[idx] = (cost_function(X, y, w, b) - base) / (2 * eps)
                    p[idx] -= eps
                grads.append(g)
            pds.append(grads)
        return pds[0], pds[1]"""}},
    # half done: stopped after Challenge 2 and after Challenge 4 (and before notebook 05's derivative of the
    # cross-entropy and notebook 08's vmap)
    "farid": {"08_jax": {"per_example_cost": TODO},"02_forward_pass": {"forward_pass": TODO, "predict": TODO, "cost_function": TODO},
              "03_gradient_descent": {"one_step_gd": TODO},
              "04_backprop": {"sigmoid_prime": TODO, "backprop": TODO},
              "05_classifier": {name: TODO for name in ("cross_entropy_prime", "dense_forward", "dense_backward",
                                                        "sgd_epoch", "momentum_update", "rmsprop_update")}},
    # a syntax error in the perceptron cell: perceptron is never defined
    # (and left the recurrent notebook and notebook 08's gradient unsolved: gd_step, which calls it, fails too);
    # sgd_epoch sends the error back without ReLU's derivative
    "grace": {"05_classifier": {"sgd_epoch": """
                 w, b, losses = list(w), list(b), []
                 for idx in batches:
                     a, caches = X[idx].T, []
                     for l in range(len(w)):
                         z, cache = dense_forward(a, w[l], b[l])
                         caches.append(cache)
                         a = np.maximum(z, 0) if l < len(w) - 1 else z
                     losses.append(cross_entropy(z, y[idx]))
                     dz = cross_entropy_prime(z, y[idx])
                     for l in reversed(range(len(w))):
                         dz, dw, db = dense_backward(dz, caches[l])
                         w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
                 return w, b, losses"""},
              "01_perceptron": {"perceptron": "return (np.asarray(X) @ w + b > 0).astype(int"},
              "07_lstm": {name: TODO for name in ("rnn_cell_forward", "lstm_cell_forward", "lstm_cell_backward")},
              "08_jax": {"jax_gradient": TODO}},
    # an infinite training loop in an ungraded cell: that cell times out, the graded cells still count
    "hiro": {"03_gradient_descent": {EDITS: [("w, b, errors = GD(X, y, w0, b0, epoch=1000, lr=2.0, callback=live)",
                                              "errors = [1.0]\nwhile errors[-1] > 0:   # train until perfect\n"
                                              "    w, b, errors = GD(X, y, w0, b0, epoch=5, lr=2.0)")]}},
    # never handed in the backprop notebook
    "ivan": {"04_backprop": MISSING},
    # forgot the bias in forward_pass; fires at w·x + b = 0 in perceptron
    # (and in conv2d_forward too); applies ReLU inside dense_forward
    "jun": {"05_classifier": {"dense_forward": "return np.maximum(w @ a + b, 0), (a, w)",
                              "dense_backward": """
                a, w = cache
                return w.T @ dz, dz @ a.T, dz.sum(axis=1, keepdims=True)"""},
            "01_perceptron": {"perceptron": "return (np.asarray(X, dtype=float) @ w + b >= 0).astype(int)"},
            "06_cnn": {"conv2d_forward": """
                x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
                xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
                F, C, kh, kw = w.shape
                out = np.zeros((x.shape[0], F, (xp.shape[2] - kh) // stride + 1, (xp.shape[3] - kw) // stride + 1))
                for i in range(out.shape[2]):
                    for j in range(out.shape[3]):
                        window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                        out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))
                return out, None"""},
            "02_forward_pass": {"forward_pass": """
                a = np.asarray(inp, dtype=float)
                for w_l in w:
                    a = sigmoid(w_l @ a)
                return a"""}},
    # halves the cost (the ½ convention), drops the 2 in backprop's BP1, sums the cross-entropy over examples,
    # and calls jax.grad without argnums (the gradient with respect to X);
    # puts RMSprop's eps under the square root, as Keras does; returns the padded dx from conv2d_backward
    "kofi": {"06_cnn": {"conv2d_backward": """
                x, w, b, stride, padding = cache
                xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
                F, C, kh, kw = w.shape
                dxp, dw = np.zeros(xp.shape), np.zeros(w.shape)
                for i in range(dout.shape[2]):
                    for j in range(dout.shape[3]):
                        rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
                        dw += np.tensordot(dout[:, :, i, j], xp[:, :, rows, cols], axes=([0], [0]))
                        dxp[:, :, rows, cols] += np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
                return dxp, dw, dout.sum(axis=(0, 2, 3))"""},
             "08_jax": {"jax_gradient": "return jax.grad(jax_cost)(X, y, w, b)"},"02_forward_pass": {"cost_function": "return np.sum((predict(X, w, b) - y) ** 2) / (2 * np.shape(y)[0])"},
             "05_classifier": {"cross_entropy": """
                z = np.asarray(z, dtype=float)
                top = z.max(axis=0)
                return float(np.sum(top + np.log(np.exp(z - top).sum(axis=0)) - z[c, np.arange(z.shape[1])]))""",
                               "rmsprop_update": """
                s = rho * s + (1 - rho) * dw ** 2
                return w - lr * dw / np.sqrt(s + eps), s"""},
             "04_backprop": {"backprop": """
                m = X.shape[0]
                activations, zs = [X.T], []
                for w_l, b_l in zip(w, b):
                    zs.append(w_l @ activations[-1] + b_l)
                    activations.append(sigmoid(zs[-1]))
                w_grads, b_grads = [None] * len(w), [None] * len(b)
                delta = (activations[-1] - y.T) / m * sigmoid_prime(zs[-1])
                for l in range(len(w) - 1, -1, -1):
                    if l < len(w) - 1:
                        delta = (w[l + 1].T @ delta) * sigmoid_prime(zs[l])
                    b_grads[l] = delta.sum(axis=1, keepdims=True)
                    w_grads[l] = delta @ activations[l].T
                return w_grads, b_grads"""}},
    # nudges the caller's arrays in place (and never puts them back); sigmoid_prime returns σ itself;
    # relu_prime is 1 at z = 0; averages notebook 08's per-example cost over the outputs; sends C_t's gradient
    # back without what it receives through h_t
    "lena": {"07_lstm": {"lstm_cell_backward": """
                 hx, c_prev, f, i, c_tilde, o, c_t, params = cache
                 n_h = c_t.shape[0]
                 dz = {"f": dc * c_prev * f * (1 - f), "i": dc * c_tilde * i * (1 - i),
                       "c": dc * i * (1 - c_tilde ** 2), "o": dh * np.tanh(c_t) * o * (1 - o)}
                 grads, dhx = {}, np.zeros_like(hx)
                 for gate, g in dz.items():
                     grads["W" + gate], grads["b" + gate] = g @ hx.T, g.sum(axis=1, keepdims=True)
                     dhx = dhx + params["W" + gate].T @ g
                 return dhx[n_h:], dhx[:n_h], dc * f, grads"""},
             "08_jax": {"per_example_cost": """
                 def one(x, t, w, b):
                     a = x[:, None]
                     for w_l, b_l in zip(w, b):
                         a = jax.nn.sigmoid(w_l @ a + b_l)
                     return jnp.mean((a[:, 0] - t) ** 2)
                 return jax.vmap(one, in_axes=(0, 0, None, None))(jnp.asarray(X), jnp.asarray(y), w, b)"""},
             "03_gradient_descent": {"gradient_estimator": """
        base = cost_function(X, y, w, b)
        w_pds = [np.zeros_like(p) for p in w]
        b_pds = [np.zeros_like(p) for p in b]
        for params, pds in ((w, w_pds), (b, b_pds)):
            for p, g in zip(params, pds):
                for idx in np.ndindex(p.shape):
                    p[idx] += eps
                    g[idx] = (cost_function(X, y, w, b) - base) / eps
        return w_pds, b_pds"""},
             "04_backprop": {"sigmoid_prime": "return sigmoid(z)"},
             "05_classifier": {"relu_prime": "return (np.asarray(z, dtype=float) >= 0).astype(float)"}},
}


def solution_bodies(source_notebook: Path) -> dict[str, str]:
    """The instructor's answer of every solution cell: the text between the BEGIN/END SOLUTION markers."""
    nb = nbformat.read(source_notebook, as_version=4)
    bodies = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            m = re.search(r"### BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION", cell.source, re.S)
            if m:
                bodies[meta["grade_id"]] = textwrap.dedent(m.group(1))
    return bodies


def fill(release_notebook: Path, answers: dict, defaults: dict) -> nbformat.NotebookNode:
    """A student's copy of a release notebook: stubs replaced by ``answers`` (falling back to ``defaults``)."""
    nb = nbformat.read(release_notebook, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if meta.get("solution") and gid:
            body = answers.get(gid, defaults.get(gid))
            if body is not None and body != TODO:
                body = textwrap.dedent(body).strip("\n")
                cell.source = STUB.sub(lambda m: textwrap.indent(body, m.group("indent")), cell.source, count=1)
        elif cell.cell_type == "code" and not meta.get("locked"):
            for old, new in answers.get(EDITS, []):
                cell.source = cell.source.replace(old, new)
    return nb


def build(dest: Path, release: Path, source: Path, students: dict | None = None) -> list[tuple[str, str]]:
    """Write the sample class under ``dest``; returns the (student, assignment) pairs written."""
    students = STUDENTS if students is None else students
    dest = Path(dest)
    written = []
    for assignment_dir in sorted(p for p in Path(release).iterdir() if p.is_dir()):
        aid = assignment_dir.name
        for nb_path in sorted(assignment_dir.glob("*.ipynb")):
            defaults = solution_bodies(Path(source) / aid / nb_path.name)
            for student, plan in students.items():
                answers = plan.get(aid, {})
                if answers == MISSING:
                    continue
                out = dest / student / aid / nb_path.name
                out.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(fill(nb_path, answers, defaults), out)
                written.append((student, aid))
    return sorted(set(written))
