"""``nnlab-grade similarity``: a class of notebook 02 written here, collected (no grading needed), compared
pairwise and with the reference (autograder/commands/similarity.py). dan and eve are the planted pair (eve is
dan with every variable renamed and independent lines reordered), fay pasted the source notebook's solutions,
ada, bo and cyd wrote their own answers in their own ways (loops or vectorised, other names and order), hal
only answered the one-liner, and zed's notebook is not JSON. Exactly the planted pair and fay with the reference
are flagged."""
from __future__ import annotations

import csv
import shutil

import nbformat
import pytest

from autograder import sample_class
from autograder.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.grader
AID = "02_forward_pass"

ADA = {
    "nn_parameter_maker": """
        rng = np.random.default_rng(seed)
        weights = []
        biases = []
        for i in range(len(layer_sizes) - 1):
            weights.append(rng.standard_normal((layer_sizes[i + 1], layer_sizes[i])))
            biases.append(rng.standard_normal((layer_sizes[i + 1], 1)))
        return weights, biases
    """,
    "sigmoid": """
        z = np.asarray(z, dtype=float)
        out = np.empty_like(z)
        pos = z >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
        ez = np.exp(z[~pos])
        out[~pos] = ez / (1.0 + ez)
        return out if out.ndim else float(out)
    """,
    "forward_pass": """
        activation = np.asarray(inp, dtype=float)
        for layer in range(len(w)):
            activation = sigmoid(np.dot(w[layer], activation) + b[layer])
        return activation
    """,
    "predict": "return forward_pass(np.asarray(X).T, w, b).T",
    "cost_function": """
        errors = predict(X, w, b) - y
        return np.sum(errors ** 2) / len(X)
    """,
}
BO = {
    "nn_parameter_maker": """
        gen = np.random.default_rng(seed)
        pairs = list(zip(layer_sizes, layer_sizes[1:]))
        params = [(gen.standard_normal((n_out, n_in)), gen.standard_normal((n_out, 1))) for n_in, n_out in pairs]
        return [p[0] for p in params], [p[1] for p in params]
    """,
    "sigmoid": """
        x = np.array(z, dtype=np.float64)
        return 0.5 * (1.0 + np.tanh(0.5 * x))
    """,
    "forward_pass": """
        h = np.array(inp, dtype=np.float64)
        layer = 0
        while layer < len(w):
            h = sigmoid(w[layer] @ h + b[layer])
            layer += 1
        return h
    """,
    "predict": """
        columns = np.asarray(X, dtype=float).T
        return forward_pass(columns, w, b).T
    """,
    "cost_function": """
        m = X.shape[0]
        total = 0.0
        for i in range(m):
            diff = predict(X[i:i + 1], w, b) - y[i:i + 1]
            total += float(np.sum(diff * diff))
        return total / m
    """,
}
CYD = {
    "nn_parameter_maker": """
        r = np.random.default_rng(seed)
        w, b = [], []
        n = len(layer_sizes)
        for j in range(1, n):
            w.append(r.standard_normal(size=(layer_sizes[j], layer_sizes[j - 1])))
            b.append(r.standard_normal(size=(layer_sizes[j], 1)))
        return w, b
    """,
    "sigmoid": "return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))",
    "forward_pass": """
        out = np.asarray(inp, dtype=float)
        for weight, bias in zip(w, b):
            z = np.matmul(weight, out) + bias
            out = sigmoid(z)
        return out
    """,
    "predict": "return forward_pass(X.T, w, b).T",
    "cost_function": """
        residual = y - predict(X, w, b)
        n_examples = np.shape(X)[0]
        return float(np.sum(np.square(residual))) / n_examples
    """,
}
DAN = {
    "nn_parameter_maker": """
        generator = np.random.default_rng(seed)
        all_w = []
        all_b = []
        for k in range(len(layer_sizes) - 1):
            fan_in, fan_out = layer_sizes[k], layer_sizes[k + 1]
            all_w.append(generator.standard_normal((fan_out, fan_in)))
            all_b.append(generator.standard_normal((fan_out, 1)))
        return all_w, all_b
    """,
    "sigmoid": """
        arr = np.asarray(z, dtype=float)
        safe = np.clip(arr, -500, 500)
        result = 1.0 / (1.0 + np.exp(-safe))
        return result
    """,
    "forward_pass": """
        current = np.asarray(inp, dtype=float)
        n_layers = len(w)
        for k in range(n_layers):
            pre = w[k] @ current + b[k]
            current = sigmoid(pre)
        return current
    """,
    "predict": "return forward_pass(np.transpose(X), w, b).T",
    "cost_function": """
        predictions = predict(X, w, b)
        n_rows = X.shape[0]
        squared = (predictions - y) ** 2
        return squared.sum() / n_rows
    """,
}
# dan's answers, every variable renamed, independent lines swapped
EVE = {
    "nn_parameter_maker": """
        bias_list = []
        weight_list = []
        g = np.random.default_rng(seed)
        for idx in range(len(layer_sizes) - 1):
            n_from, n_to = layer_sizes[idx], layer_sizes[idx + 1]
            weight_list.append(g.standard_normal((n_to, n_from)))
            bias_list.append(g.standard_normal((n_to, 1)))
        return weight_list, bias_list
    """,
    "sigmoid": """
        values = np.asarray(z, dtype=float)
        clipped = np.clip(values, -500, 500)
        s = 1.0 / (1.0 + np.exp(-clipped))
        return s
    """,
    "forward_pass": """
        depth = len(w)
        act = np.asarray(inp, dtype=float)
        for i in range(depth):
            lin = w[i] @ act + b[i]
            act = sigmoid(lin)
        return act
    """,
    "predict": "return forward_pass(np.transpose(X), w, b).T",
    "cost_function": """
        count = X.shape[0]
        outputs = predict(X, w, b)
        sq = (outputs - y) ** 2
        return sq.sum() / count
    """,
}
HAL = {"predict": "return forward_pass(X.T, w, b).T"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("similarity")
    source, klass = root / "source", root / "class"
    (source / AID).mkdir(parents=True)
    shutil.copy(REPO / "solutions" / AID / f"{AID}.ipynb", source / AID)
    release = REPO / "notebooks" / AID / f"{AID}.ipynb"
    solutions = sample_class.solution_bodies(source / AID / f"{AID}.ipynb")
    for student, answers in {"ada": ADA, "bo": BO, "cyd": CYD, "dan": DAN, "eve": EVE, "fay": solutions,
                             "hal": HAL}.items():
        (klass / student / AID).mkdir(parents=True)
        nbformat.write(sample_class.fill(release, answers, {}), klass / student / AID / f"{AID}.ipynb")
    (klass / "zed" / AID).mkdir(parents=True)
    (klass / "zed" / AID / f"{AID}.ipynb").write_text("{ this is not json")
    args = ["--no-sandbox", "--course", str(root / "course"), "--source", str(source)]
    assert main(args + ["collect", str(klass)]) == 0
    return root, args


def test_the_planted_pair_and_the_pasted_reference_are_flagged_and_nobody_else(course, capsys):
    root, args = course
    capsys.readouterr()
    assert main(args + ["similarity", AID, "--to", str(root / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    flagged = sorted(line.split(":")[1].strip() for line in lines if line.startswith("flagged: "))
    assert flagged == ["dan ~ eve", "fay ~ reference"], lines
    assert "skipped: hal: no answer to compare (only the stubs as released and one-liners)" in lines
    assert any(line.startswith("skipped: zed: 02_forward_pass.ipynb: the notebook file is not valid notebook JSON")
               for line in lines), lines
    assert lines[-1].startswith("compared 6 students of 02_forward_pass pairwise and with the reference: 2 of 21 "
                                "pairs flagged, 2 students skipped; wrote "), lines

    with open(root / "out" / "similarity.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student_a", "student_b", "similarity_a_to_b", "similarity_b_to_a",
                             "tokens_overlapping", "flagged"]
    assert len(rows) == 15 + 6                        # every pair of the six, and each with the reference
    top = [max(float(r["similarity_a_to_b"]), float(r["similarity_b_to_a"])) for r in rows]
    assert top == sorted(top, reverse=True)
    assert {(r["student_a"], r["student_b"]) for r in rows if r["flagged"] == "yes"} == {("dan", "eve"),
                                                                                         ("fay", "reference")}
    pairs = {(r["student_a"], r["student_b"]): r for r in rows}
    assert float(pairs["dan", "eve"]["similarity_a_to_b"]) > 0.8 < float(pairs["dan", "eve"]["similarity_b_to_a"])
    assert float(pairs["fay", "reference"]["similarity_a_to_b"]) == 1.0
    for key, r in pairs.items():                      # the honest students stay well under the threshold
        if key not in {("dan", "eve"), ("fay", "reference")}:
            assert max(float(r["similarity_a_to_b"]), float(r["similarity_b_to_a"])) < 0.45, r

    page = (root / "out" / "similarity.html").read_text()
    assert "dan ↔ eve — flagged" in page and "fay ↔ reference — flagged" in page
    assert "<mark>" in page and "generator" in page and "weight_list" in page    # both sides, matches marked
    assert "<script" not in page and "http" not in page                          # self-contained


def test_an_unknown_assignment_is_one_clear_line(course, capsys):
    root, args = course
    capsys.readouterr()
    assert main(args + ["similarity", "99_nothing", "--to", str(root / "none")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"nnlab-grade: unknown assignment 99_nothing; known: {AID}"], err
    assert not (root / "none").exists()
