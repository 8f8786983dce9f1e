"""Specs for notebook 05: relu_prime, softmax, cross_entropy and cross_entropy_prime (columns, integer labels)."""
from __future__ import annotations

import numpy as np

from ..answers.nb05_classifier import cross_entropy, cross_entropy_prime, relu_prime, softmax
from .outputs import scalar_output
from .spec import Case, Mistake, Spec


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
