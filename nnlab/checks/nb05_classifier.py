"""Specs for notebook 05: relu_prime, softmax, cross_entropy and cross_entropy_prime (columns, integer labels);
the dense layer's forward and backward pass (the backward checked as a pair with the student's own forward);
one epoch of mini-batch SGD; the momentum and RMSprop updates."""
from __future__ import annotations

import numpy as np

from ..answers.nb02_forward_pass import sigmoid
from ..answers.nb04_backprop import sigmoid_prime
from ..answers.nb05_classifier import (cross_entropy, cross_entropy_prime, dense_backward, dense_forward,
                                       momentum_update, relu_prime, rmsprop_update, sgd_epoch, softmax)
from .calling import with_own_dense_forward
from .cases import random_network, random_sizes
from .outputs import epoch_record, first_output, scalar_output
from .spec import Case, Mistake, Spec
from .validating import z_and_cache


def _relu_prime_cases():
    return [Case("a few values [-2, -0.5, 0, 0.5, 2] (the derivative at 0 is taken as 0)",
                 (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
            Case("a 2-D array (3, 4)", (np.linspace(-3, 3, 12).reshape(3, 4),))]


def _relu_prime_random(rng):
    z = rng.normal(0, 2, size=(int(rng.integers(1, 6)), int(rng.integers(1, 6))))
    z.flat[0] = 0.0                                           # always test the kink
    return Case("random", (z,))


RELU_PRIME = Spec(
    name="relu_prime",
    signature="relu_prime(z)",
    reference=relu_prime,
    visible=_relu_prime_cases,
    random_case=_relu_prime_random,
    output="ReLU'(z)",
    mistakes=(Mistake("relu-itself", "you returned max(0, z), the ReLU itself; its derivative is 1 where z > 0 "
                      "and 0 elsewhere.", lambda z: np.maximum(np.asarray(z, float), 0)),
              Mistake("ge", "at z = 0 your derivative is 1; take it as 0 there (use z > 0, not z >= 0), as "
                      "PyTorch and Keras do.", lambda z: (np.asarray(z, float) >= 0).astype(float))),
)


def _logits(rng, k=None, m=None):
    k = int(rng.integers(2, 7)) if k is None else k
    m = int(rng.integers(1, 7)) if m is None else m
    return rng.normal(0, 3, size=(k, m))


def _global_max(z):
    e = np.exp(np.asarray(z, float) - np.max(z))
    with np.errstate(all="ignore"):
        return e / e.sum(axis=0, keepdims=True)


def _softmax_random(rng):
    """Logits whose columns sit at very different heights: softmax ignores that, a shortcut may not."""
    z = _logits(rng)
    return Case("random", (z + rng.uniform(-900, 900, size=(1, z.shape[1])),))


def _softmax_cases():
    return [Case("one column [1, 2, 3]", (np.array([[1.0], [2.0], [3.0]]),)),
            Case("three classes, four examples (3, 4)", (np.random.default_rng(51).normal(0, 2, (3, 4)),)),
            Case("huge scores ±1000 (exp overflows unless you subtract the column maximum)",
                 (np.array([[1000.0, -1000.0], [999.0, 0.0], [0.0, 1000.0]]),)),
            Case("one column far below the other (each column needs its own maximum)",
                 (np.array([[1000.0, -1000.0], [998.0, -999.0], [999.0, -1001.0]]),))]


SOFTMAX = Spec(
    name="softmax",
    signature="softmax(z)",
    reference=softmax,
    visible=_softmax_cases,
    random_case=_softmax_random,
    output="probabilities",
    mistakes=(Mistake("rows", "your probabilities sum to 1 along each row; each *column* is one example, so "
                      "normalise down the columns: sum(axis=0, keepdims=True).",
                      lambda z: np.exp(z - np.max(z, axis=1, keepdims=True))
                      / np.exp(z - np.max(z, axis=1, keepdims=True)).sum(axis=1, keepdims=True)),
              Mistake("whole-array", "you normalised by the sum over the whole array; normalise each column "
                      "(one example) on its own.", lambda z: np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum()),
              Mistake("global-max", "you subtracted the maximum of the whole array; subtract each column's own "
                      "maximum (max over axis=0, keepdims=True). With the global one, a column far below it "
                      "underflows to 0 / 0.", _global_max)),
    hints={"nan": "subtract each column's maximum before np.exp — softmax does not change, and nothing overflows."},
)


def _labels(rng, k, m):
    return rng.integers(0, k, size=m)


def _ce_cases():
    rng = np.random.default_rng(52)
    return [Case("two examples, three classes: z = 0 gives log 3", (np.zeros((3, 2)), np.array([0, 2]))),
            Case("four classes, five examples", (rng.normal(0, 2, (4, 5)), np.array([0, 3, 1, 1, 2]))),
            Case("confident and right, confident and wrong (scores ±500)",
                 (np.array([[500.0, -500.0], [-500.0, 500.0]]), np.array([0, 0]))),
            Case("scores near ±1000, one column far below the other (exp overflows unless each column's "
                 "maximum is subtracted)", (np.array([[1000.0, -1000.0], [998.0, -1003.0], [990.0, -999.0]]),
                                             np.array([1, 2])))]


def _ce_random(rng):
    z = _softmax_random(rng).args[0]
    return Case("random", (z, _labels(rng, *z.shape)))


def _ce_rows(z, c):
    """-log p indexed by the labels alone: whole rows, one per example, averaged."""
    z = np.asarray(z, float)
    log_p = z - z.max(axis=0) - np.log(np.exp(z - z.max(axis=0)).sum(axis=0))
    return float(-np.mean(log_p[np.asarray(c)]))


def _ce_sum(z, c):
    return cross_entropy(z, c) * np.shape(z)[1]


def _ce_probabilities(z, c):
    p = softmax(z)
    return float(-np.mean(p[c, np.arange(p.shape[1])]))


CROSS_ENTROPY = Spec(
    name="cross_entropy",
    signature="cross_entropy(z, c)",
    reference=cross_entropy,
    visible=_ce_cases,
    random_case=_ce_random,
    output="loss",
    transform=scalar_output,
    mistakes=(Mistake("sum", "your loss is the sum over the examples; take the mean (divide by m = z.shape[1]).",
                      _ce_sum),
              Mistake("no-log", "you averaged −p_c without the logarithm; the loss is the mean of −log p_c.",
                      _ce_probabilities),
              Mistake("rows", "you indexed the log-probabilities with the labels alone, which picks whole rows; "
                      "take one entry per example: row c[j] of column j (pair the labels with np.arange(m)).",
                      _ce_rows)),
    hints={"nan": "compute log-softmax as z − max − log Σ exp(z − max); log(softmax(z)) gives −inf for a "
                  "confident mistake.", "factor": "the loss is the mean over the m examples of −log p_c."},
    depends=("softmax",),
)


def _ce_prime_no_m(z, c):
    return cross_entropy_prime(z, c) * np.shape(z)[1]


def _ce_prime_no_onehot(z, c):
    return softmax(z) / np.shape(z)[1]


CROSS_ENTROPY_PRIME = Spec(
    name="cross_entropy_prime",
    signature="cross_entropy_prime(z, c)",
    reference=cross_entropy_prime,
    visible=_ce_cases,
    random_case=_ce_random,
    output="gradient",
    mistakes=(Mistake("no-m", "your gradient is m times too large: the loss is a mean, so divide "
                      "softmax(z) − onehot(c) by m.", _ce_prime_no_m),
              Mistake("no-onehot", "you returned softmax(z) / m; subtract 1 at each example's true class "
                      "(softmax − onehot).", _ce_prime_no_onehot)),
    depends=("softmax",),
)


# ------------------------------------------------------------------------------------------ the dense layer


def _dense_cases():
    rng = np.random.default_rng(53)
    return [Case("one example: a (3, 1) into 2 units", (rng.normal(size=(3, 1)), rng.normal(size=(2, 3)),
                                                        rng.normal(size=(2, 1)))),
            Case("a batch: a (4, 5) into 3 units", (rng.normal(size=(4, 5)), rng.normal(size=(3, 4)),
                                                     rng.normal(size=(3, 1)))),
            Case("one unit with one input, four examples", (rng.normal(size=(1, 4)), rng.normal(size=(1, 1)),
                                                            rng.normal(size=(1, 1))))]


def _dense_random(rng):
    n_in, n_out, m = (int(n) for n in rng.integers(1, 7, size=3))
    return Case("random", (rng.normal(size=(n_in, m)), rng.normal(size=(n_out, n_in)), rng.normal(size=(n_out, 1))))


DENSE_FORWARD = Spec(
    name="dense_forward",
    signature="dense_forward(a, w, b)",
    reference=dense_forward,
    visible=_dense_cases,
    random_case=_dense_random,
    output="z",
    transform=first_output,
    validate=z_and_cache,
    mistakes=(Mistake("no-bias", "your z has no bias: z = w @ a + b, with b (n_out, 1) added to every column.",
                      lambda a, w, b: (np.asarray(w, float) @ np.asarray(a, float), None)),
              Mistake("activated", "you applied an activation; dense_forward returns z, before any activation "
                      "(the network applies ReLU or softmax to it afterwards).",
                      lambda a, w, b: (np.maximum(dense_forward(a, w, b)[0], 0), None)),
              Mistake("sigmoid", "you applied the sigmoid; dense_forward returns z, before any activation.",
                      lambda a, w, b: (sigmoid(dense_forward(a, w, b)[0]), None))),
    hints={"transposed": "z is (n_out, m), one column per example: z = w @ a + b.",
           "raised:matmul|not aligned": "a matrix product met sizes that do not fit: w is (n_out, n_in) and a is "
                                        "(n_in, m), and z must come out (n_out, m); look at the order of the two "
                                        "factors and at any transpose.",
           "raised:could not be broadcast": "an entry-by-entry operation (*, +) met arrays whose shapes do not fit: "
                                            "w (n_out, n_in) and a (n_in, m) combine by a matrix product, which "
                                            "gives (n_out, m), and b (n_out, 1) is added to every column."},
)


def _backward_pair(dz, a, w, b):
    """What the check compares with, from a case's ``(dz, a, w, b)``: the reference backward pass on the
    reference forward pass's cache."""
    return dense_backward(dz, dense_forward(a, w, b)[1])


def _pair_cases():
    rng = np.random.default_rng(54)
    return [Case(f"{c.label}, dz {np.shape(c.args[1])[0], np.shape(c.args[0])[1]}",
                 (rng.normal(size=(np.shape(c.args[1])[0], np.shape(c.args[0])[1])), *c.args))
            for c in _dense_cases()]


def _pair_random(rng):
    a, w, b = _dense_random(rng).args
    return Case("random", (rng.normal(size=(w.shape[0], a.shape[1])), a, w, b))


def _dense_backward_with(dz, a, w, b, da=None, dw=None, db=None):
    good = _backward_pair(dz, a, w, b)
    return tuple(good[i] if f is None else f(np.asarray(dz, float), np.asarray(a, float), np.asarray(w, float))
                 for i, f in enumerate((da, dw, db)))


_ORDER = ("you return da, dw and db in another order; return them as (da, dw, db): the gradient for the layer "
          "below first, then the weights' and the bias'.")


def _reordered(order):
    """The right three gradients in another ``order`` (a permutation of 0, 1, 2 = da, dw, db)."""
    return lambda dz, a, w, b: tuple(_backward_pair(dz, a, w, b)[i] for i in order)


DENSE_BACKWARD = Spec(
    name="dense_backward",
    signature="dense_backward(dz, cache)",
    reference=_backward_pair,
    answer=dense_backward,
    visible=_pair_cases,
    random_case=_pair_random,
    output="(da, dw, db)",
    caller=with_own_dense_forward,
    pair="dense_forward",
    mistakes=(Mistake("dw-transposed", "your dw is transposed: it must have w's shape (n_out, n_in), the "
                      "error times the transpose of the layer's input.",
                      lambda dz, a, w, b: _dense_backward_with(dz, a, w, b, dw=lambda g, x, _: x @ g.T)),
              Mistake("db-not-summed", "your db has one column per example; db adds up the examples' "
                      "contributions: the sum of dz over its columns, shape (n_out, 1).",
                      lambda dz, a, w, b: _dense_backward_with(dz, a, w, b, db=lambda g, x, _: g)),
              Mistake("db-mean", "your db is the mean of dz over the examples; it is their sum (any 1/m of a "
                      "mean cost is already inside dz).",
                      lambda dz, a, w, b: _dense_backward_with(dz, a, w, b,
                                                               db=lambda g, x, _: g.mean(axis=1, keepdims=True))),
              Mistake("over-m", "your dw and db are divided by m; dense_backward only sums over the examples, "
                      "because the 1/m of a mean cost is already inside dz (cross_entropy_prime divides by m).",
                      lambda dz, a, w, b: _dense_backward_with(
                          dz, a, w, b, dw=lambda g, x, _: g @ x.T / x.shape[1],
                          db=lambda g, x, _: g.sum(axis=1, keepdims=True) / x.shape[1])),
              Mistake("no-da", "your da is dz itself; the layer below receives the error carried back through the "
                      "weights (BP2's bracket), shape (n_in, m) like a.",
                      lambda dz, a, w, b: _dense_backward_with(dz, a, w, b, da=lambda g, x, _: g)),
              Mistake("dw-over-m", "your dw is divided by m; dense_backward only sums over the examples, because "
                      "the 1/m of a mean cost is already inside dz.",
                      lambda dz, a, w, b: _dense_backward_with(dz, a, w, b, dw=lambda g, x, _: g @ x.T / x.shape[1])),
              Mistake("relu-inside", "your da is multiplied by a ReLU derivative of the layer's input; the dense "
                      "layer has no activation of its own: the layer below applies relu_prime to da itself.",
                      lambda dz, a, w, b: _dense_backward_with(dz, a, w, b, da=lambda g, x, v: (v.T @ g) * (x > 0))),
              *(Mistake(f"order-{''.join('abc'[i] for i in order)}", _ORDER, _reordered(order))
                for order in ((0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)))),
    hints={"raised:which makes the cache": "your dense_forward raised on these inputs, so there was no cache to "
                                           "pass on: make dense_forward pass its own check first.",
           "raised:matmul|not aligned": "a matrix product met inner sizes that do not fit: dz is (n_out, m), a "
                                        "is (n_in, m) and w is (n_out, n_in); da must come out (n_in, m) like a, "
                                        "and dw (n_out, n_in) like w. If those are right, check that "
                                        "dense_backward takes the cache apart in the order dense_forward built it.",
           "raised:values to unpack": "a value was unpacked into the wrong number of names: if it is the cache, "
                                      "dense_backward must take it apart into the same items, in the same order, "
                                      "as your dense_forward puts it together."},
    depends=("dense_forward",),
    substitute=False,
)

# ------------------------------------------------------------------------------------------ sgd_epoch


def _epoch_case(rng, sizes, m, batch_sizes, label):
    w, b = random_network(rng, sizes)
    X, y = rng.normal(size=(m, sizes[0])), rng.integers(0, sizes[-1], size=m)
    order = rng.permutation(m)
    batches = np.split(order, np.cumsum(batch_sizes)[:-1])
    return Case(label, (X, y, w, b, 0.1, batches))


def _epoch_cases():
    rng = np.random.default_rng(55)
    return [_epoch_case(rng, [2, 3, 2], 6, [3, 3], "a [2, 3, 2] network, 6 examples in two batches of 3"),
            _epoch_case(rng, [4, 5, 4, 3], 10, [4, 4, 2], "a [4, 5, 4, 3] network (two hidden layers), batches of "
                                                         "4, 4 and 2 in a shuffled order"),
            _epoch_case(rng, [3, 4, 3], 7, [7], "one batch of all 7 examples (one step of full-batch descent)")]


def _epoch_random(rng):
    sizes = random_sizes(rng, max_layers=3, max_units=5)
    sizes[-1] = max(sizes[-1], 2)
    sizes = sizes if len(sizes) > 2 else [sizes[0], int(rng.integers(1, 6)), sizes[-1]]
    m = int(rng.integers(4, 13))
    cuts = np.sort(rng.choice(np.arange(1, m), size=int(rng.integers(1, min(4, m))), replace=False))
    return _epoch_case(rng, sizes, m, np.diff(np.concatenate([[0], cuts, [m]])), "random")


def _epoch_variant(X, y, w, b, lr, batches, hidden="relu", prime=True, grad_scale=None, early=False,
                   output_relu=False, whole=False, loss_sum=False, loss_after=False, one_step=False):
    """sgd_epoch with one typical slip (see the mistakes below)."""
    X, y = np.asarray(X, float), np.asarray(y)
    w, b, losses = [np.asarray(x, float) for x in w], [np.asarray(x, float) for x in b], []
    act = (lambda z: np.maximum(z, 0)) if hidden == "relu" else sigmoid
    act_prime = relu_prime if hidden == "relu" else sigmoid_prime

    def forward(idx):
        a, acts, zs = X[idx].T, [X[idx].T], []
        for l in range(len(w)):
            zs.append(w[l] @ a + b[l])
            a = act(zs[-1]) if l < len(w) - 1 or output_relu else zs[-1]
            acts.append(a)
        return a, acts, zs
    for idx in ([np.arange(len(X))] if one_step else batches):
        idx = np.arange(len(X)) if whole else np.asarray(idx)
        a, acts, zs = forward(idx)
        m = len(idx)
        if not loss_after:
            losses.append(cross_entropy(a, y[idx]) * (m if loss_sum else 1))
        dz = cross_entropy_prime(a, y[idx]) * (1 if grad_scale is None else grad_scale(m))
        if output_relu:
            dz = dz * relu_prime(zs[-1])
        for l in range(len(w) - 1, -1, -1):
            dw, db = dz @ acts[l].T, dz.sum(axis=1, keepdims=True)
            old = w[l]
            w[l], b[l] = w[l] - lr * dw, b[l] - lr * db
            if l > 0:
                dz = ((w[l] if early else old).T @ dz) * (act_prime(zs[l - 1]) if prime else 1.0)
        if loss_after:
            losses.append(cross_entropy(forward(idx)[0], y[idx]))
    return w, b, losses


SGD_EPOCH = Spec(
    name="sgd_epoch",
    signature="sgd_epoch(X, y, w, b, lr, batches)",
    reference=sgd_epoch,
    visible=_epoch_cases,
    random_case=_epoch_random,
    output="(w, b, losses)",
    transform=epoch_record,
    mistakes=(Mistake("no-relu-prime", "on the way back, multiply by relu_prime(z) of each hidden layer: a unit "
                      "that was off (z ≤ 0) passes no gradient back.",
                      lambda *args: _epoch_variant(*args, prime=False)),
              Mistake("updated-early", "you sent the error back through weights you had already updated; use "
                      "the forward pass's weights (the cache's), then step.",
                      lambda *args: _epoch_variant(*args, early=True)),
              Mistake("no-m", "your steps are m times too large: each batch's loss is its mean, so its gradient "
                      "(cross_entropy_prime) is divided by the batch's size.",
                      lambda *args: _epoch_variant(*args, grad_scale=lambda m: m)),
              Mistake("extra-m", "your steps are m times too small: cross_entropy_prime already divides by the "
                      "batch's size (the loss is the batch's mean), so nothing more divides by m.",
                      lambda *args: _epoch_variant(*args, grad_scale=lambda m: 1 / m)),
              Mistake("m-of-all", "you divided by the size of the whole data set; each batch's loss is the mean "
                      "over that batch, so divide by the batch's size.",
                      lambda X, y, w, b, lr, batches: _epoch_variant(X, y, w, b, lr, batches,
                                                                     grad_scale=lambda m: m / len(X))),
              Mistake("relu-on-logits", "the last layer gives the logits: no ReLU there (softmax is inside the "
                      "cross-entropy).", lambda *args: _epoch_variant(*args, output_relu=True)),
              Mistake("sigmoid-hidden", "the hidden layers use ReLU here, not notebook 04's sigmoid.",
                      lambda *args: _epoch_variant(*args, hidden="sigmoid")),
              Mistake("whole-data", "every step used the whole data set; take one step per index array of "
                      "batches, on X[idx] and y[idx] only.", lambda *args: _epoch_variant(*args, whole=True)),
              Mistake("loss-sum", "your losses are sums over each batch; record the batch's mean loss, "
                      "cross_entropy(z, y[idx]).", lambda *args: _epoch_variant(*args, loss_sum=True)),
              Mistake("loss-after", "your weights are right, but each loss is measured after the batch's step; "
                      "record the loss before its step, from the forward pass that the gradient comes from.",
                      lambda *args: _epoch_variant(*args, loss_after=True)),
              Mistake("uphill", "you stepped along the gradient, uphill; step against it: "
                      "θ ← θ − lr·∂loss/∂θ.", lambda *args: _epoch_variant(*args, grad_scale=lambda m: -1.0)),
              Mistake("one-step", "you took a single step on the whole data set; take one step per index array "
                      "of batches, in order, each on X[idx] and y[idx] only.",
                      lambda *args: _epoch_variant(*args, one_step=True))),
    hints={"raised:matmul|not aligned": "a matrix product met sizes that do not fit. Inside the network the "
                                        "examples are columns (a batch enters as X[idx].T, (n_in, m)), w[l] is "
                                        "(n_out, n_in), and each gradient has the shape of what it is the "
                                        "gradient of (dw like w, da like a)."},
    depends=("dense_forward", "dense_backward", "relu_prime", "softmax", "cross_entropy", "cross_entropy_prime"),
)

# ------------------------------------------------------------------------------------------ the update rules


def _update_cases(state_of):
    rng = np.random.default_rng(56)
    w, g = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    return [Case("the first step, from a zero state", (w, g, np.zeros((2, 3)), 0.1, 0.9)),
            Case("a state carried from earlier steps", (w, g, state_of(rng, (2, 3)), 0.1, 0.9)),
            Case("a column of weights (4, 1), lr 0.5, decay 0.5", (rng.normal(size=(4, 1)), rng.normal(size=(4, 1)),
                                                                  state_of(rng, (4, 1)), 0.5, 0.5))]


def _update_random(rng, state_of):
    shape = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 3))))
    return Case("random", (rng.normal(size=shape), rng.normal(size=shape), state_of(rng, shape),
                           float(rng.uniform(0.001, 0.5)), float(rng.uniform(0.5, 0.99))))


def _velocity(rng, shape):
    return rng.normal(size=shape)


def _floats(*arrays):
    return [np.asarray(x, float) for x in arrays]


def _momentum_with(w, dw, v, lr, beta, average=False, step_old=False, keep_v=False, lr_inside=False,
                   minus_lr=False, uphill=False):
    """momentum_update with one typical slip (see the mistakes below)."""
    w, dw, v = _floats(w, dw, v)
    if lr_inside or minus_lr:                       # the other textbook forms, lr inside the velocity
        new = beta * v + (-lr if minus_lr else lr) * dw
        return (w + new if minus_lr else w - new), new
    new = beta * v + ((1 - beta) if average else 1.0) * dw
    step = lr * (v if step_old else new)
    return (w + step if uphill else w - step), (v if keep_v else new)


MOMENTUM_UPDATE = Spec(
    name="momentum_update",
    signature="momentum_update(w, dw, v, lr, beta)",
    reference=momentum_update,
    visible=lambda: _update_cases(_velocity),
    random_case=lambda rng: _update_random(rng, _velocity),
    output="(w, v)",
    mistakes=(Mistake("ema", "your velocity is an average, β·v + (1 − β)·dw (Adam's first moment); momentum "
                      "adds the whole gradient: v ← β·v + dw.", lambda *args: _momentum_with(*args, average=True)),
              Mistake("old-velocity", "you stepped with the old velocity; update v first, then step with the "
                      "new one: w ← w − lr·v.", lambda *args: _momentum_with(*args, step_old=True)),
              Mistake("not-carried", "your w is right but the v you return is the one you were given; return "
                      "the new velocity, or the next step starts from the old one.",
                      lambda *args: _momentum_with(*args, keep_v=True)),
              Mistake("lr-inside", "you put lr inside the velocity (v ← β·v + lr·dw, w ← w − v), the other "
                      "textbook form; here v holds the gradients alone, as PyTorch's does: v ← β·v + dw, "
                      "w ← w − lr·v.", lambda *args: _momentum_with(*args, lr_inside=True)),
              Mistake("minus-lr", "you used the form v ← β·v − lr·dw, w ← w + v; here v holds the gradients "
                      "alone, as PyTorch's does: v ← β·v + dw, w ← w − lr·v.",
                      lambda *args: _momentum_with(*args, minus_lr=True)),
              Mistake("uphill", "your velocity is right but you stepped along it, uphill; step against it: "
                      "w ← w − lr·v.", lambda *args: _momentum_with(*args, uphill=True))),
    hints={"sign": "step against the velocity: w ← w − lr·v.",
           "swapped": "return (w, v): the new weights first."},
)


def _square_average(rng, shape):
    return rng.uniform(0.0, 2.0, size=shape)


def _rmsprop_cases():
    cases = _update_cases(_square_average)
    rng = np.random.default_rng(57)
    extra = [Case("a gradient that has always been 0 (s = 0): eps keeps 0 / 0 away",
                  (rng.normal(size=(3,)), np.array([0.0, 0.5, -0.2]), np.zeros(3), 0.1, 0.9, 1e-7)),
             Case("small gradients and a large eps = 0.01, where the place of eps shows",
                  (rng.normal(size=(2, 2)), 0.01 * rng.normal(size=(2, 2)), np.full((2, 2), 1e-4), 0.01, 0.9, 1e-2))]
    return [Case(c.label, c.args + (1e-7,)) for c in cases] + extra


def _rmsprop_random(rng):
    case = _update_random(rng, _square_average)
    return Case("random", case.args + (float(10.0 ** rng.uniform(-8, -2)),))


def _rmsprop_with(w, dw, s, lr, rho, eps, keep_s=False, one_minus=True, root=True, eps_in_root=False,
                  use_old=False, no_eps=False, squared=True, uphill=False):
    w, dw, s = _floats(w, dw, s)
    new = rho * s + ((1 - rho) if one_minus else 1.0) * (dw * dw if squared else dw)
    under = s if use_old else new
    eps = 0.0 if no_eps else eps
    denom = np.sqrt(under + eps) if eps_in_root else (np.sqrt(under) + eps if root else under + eps)
    return w + (1 if uphill else -1) * lr * dw / denom, (s if keep_s else new)


RMSPROP_UPDATE = Spec(
    name="rmsprop_update",
    signature="rmsprop_update(w, dw, s, lr, rho, eps)",
    reference=rmsprop_update,
    visible=_rmsprop_cases,
    random_case=_rmsprop_random,
    output="(w, s)",
    mistakes=(Mistake("eps-in-root", "you divided by √(s + eps), as tf.keras and Keras 3 do; this challenge adds eps "
                      "after the root, √s + eps, as PyTorch does (they differ where s is not much larger than eps).",
                      lambda *args: _rmsprop_with(*args, eps_in_root=True)),
              Mistake("old-s", "you divided by the old s; update s with this gradient first, then divide by "
                      "√s + eps.", lambda *args: _rmsprop_with(*args, use_old=True)),
              Mistake("no-one-minus", "the new squared gradient enters the average with weight (1 − ρ): "
                      "s ← ρ·s + (1 − ρ)·dw².", lambda *args: _rmsprop_with(*args, one_minus=False)),
              Mistake("no-root", "divide by the root mean square, √s + eps, not by s itself.",
                      lambda *args: _rmsprop_with(*args, root=False)),
              Mistake("not-carried", "your w is right but the s you return is the one you were given; return "
                      "the new average, or the next step starts from the old one.",
                      lambda *args: _rmsprop_with(*args, keep_s=True)),
              Mistake("no-eps", "you left eps out of the denominator: where s and the gradient are 0 the step is "
                      "0 / 0, and everywhere the step is a little larger. Divide by √s + eps.",
                      lambda *args: _rmsprop_with(*args, no_eps=True)),
              Mistake("not-squared", "s averages the *squared* gradients, (1 − ρ)·dw²; with dw itself s can go "
                      "below 0, and its root is NaN.", lambda *args: _rmsprop_with(*args, squared=False)),
              Mistake("uphill", "your s is right but you stepped along the gradient, uphill; step against it: "
                      "w ← w − lr·dw / (√s + eps).", lambda *args: _rmsprop_with(*args, uphill=True))),
    hints={"nan": "NaN usually comes from 0 / 0 or from the root of a negative number: s averages squared "
                  "gradients, so it never goes below 0, and eps keeps the denominator away from 0.",
           "sign": "step against the gradient: w ← w − lr·dw / (√s + eps).",
           "swapped": "return (w, s): the new weights first."},
)
