"""The out-of-kernel check's parts on their own: the wire format, reading checks from test cells, and the
replay worker (without the sandbox; the hostile suite runs it inside) against forged and honest code."""
from __future__ import annotations

import sys

import nbformat
import numpy as np
import pytest

from autograder.trust.verify import CheckCall, check_calls, verify_notebook
from autograder.trust.wire import Opaque, decode, encode

pytestmark = pytest.mark.grader


def test_wire_round_trip_keeps_types_dtypes_and_values():
    value = {"a": (np.arange(6, dtype=np.float32).reshape(2, 3), 3, 2.5, None, True, "s"),
             "b": [np.float64(0.1), np.int64(7), np.array(1.5)], 4: {"nested": [[]]}}
    back = decode(encode(value))
    assert back.keys() == value.keys()
    arr, *rest = back["a"]
    assert arr.dtype == np.float32 and arr.shape == (2, 3) and np.array_equal(arr, value["a"][0])
    assert rest == [3, 2.5, None, True, "s"] and type(rest[0]) is int and type(rest[1]) is float
    assert type(back["b"][0]) is np.float64 and back["b"][0] == 0.1
    assert type(back["b"][1]) is np.int64 and back["b"][2].shape == ()
    assert back[4] == {"nested": [[]]}


def test_wire_sends_objects_as_opaque_and_refuses_anything_but_data():
    assert decode(encode(object())) == Opaque("object")
    assert decode(encode(np.array(["x"], dtype=object))) == Opaque("array of object")
    for bad in ({"pickle": "gASV"}, {"array": {"dtype": "object", "shape": [1], "data": ""}}, [1, 2],
                {"array": {"dtype": "float64", "shape": [10 ** 9, 10 ** 9], "data": ""}}, {"a": 1, "b": 2}):
        with pytest.raises(ValueError):
            decode(bad)


def test_check_calls_are_read_from_the_cell_source():
    code = ('# Hidden tests\nresult = check("sigmoid", sigmoid, hidden_seed=2102, n=6)\n'
            'assert result.passed, result.report()\nother = nnlab.checks.check("predict", my_predict)')
    assert check_calls(code) == [CheckCall("sigmoid", "sigmoid", 2102, 6), CheckCall("predict", "my_predict")]
    assert check_calls("assert double(3) == 6") == [] and check_calls("def broken(:") == []


def _notebooks(sigmoid_code: str, extra_cells=()):
    test = lambda gid, src: nbformat.v4.new_code_cell(src, metadata={  # noqa: E731
        "nbgrader": {"grade": True, "grade_id": gid, "locked": True, "points": 1, "solution": False}})
    source = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom nnlab.checks import check"),
        nbformat.v4.new_code_cell("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))",
                                  metadata={"nbgrader": {"grade": False, "grade_id": "sig", "solution": True}}),
        test("visible", 'result = check("sigmoid", sigmoid)\nassert result.passed, result.report()'),
        *extra_cells,
        test("hidden", 'result = check("sigmoid", sigmoid, hidden_seed=5, n=3)\nassert result.passed'),
        test("plain", "assert sigmoid(0) == 0.5"),
    ])
    submitted = nbformat.reads(nbformat.writes(source), as_version=4)
    submitted.cells[1].source = sigmoid_code
    # what a student wrote into a test cell never matters: the source's version of each test cell counts
    submitted.cells[2].source = "assert True"
    return submitted, source


def _verify(tmp_path, sigmoid_code, extra_cells=(), timeout=5):
    submitted, source = _notebooks(sigmoid_code, extra_cells)
    verdicts = verify_notebook(submitted, source, [sys.executable, "-m", "autograder.trust.replay"], tmp_path / "w",
                               cell_timeout=timeout)
    return {gid: (v.passed, v.message) for gid, v in verdicts.items()}


def test_an_honest_sigmoid_passes_both_checks_and_plain_asserts_are_left_to_the_kernel(tmp_path):
    verdicts = _verify(tmp_path, "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))")
    assert verdicts == {"visible": (True, ""), "hidden": (True, "")}


def test_forgeries_and_the_reference_fail_outside_the_kernel(tmp_path):
    forged = ("def sigmoid(z):\n    return z\nimport numpy\nnumpy.allclose = lambda *a, **k: True\n"
              "check = lambda *a, **k: type('R', (), {'passed': True})()")
    verdicts = _verify(tmp_path, forged)
    assert not verdicts["visible"][0] and "wrong values" in verdicts["visible"][1]
    assert not verdicts["hidden"][0] and "hidden case" in verdicts["hidden"][1]
    for borrowed in ("from nnlab import sigmoid", "import nnlab\nsigmoid = nnlab.ops.activations.sigmoid",
                     "import nnlab.checks\nsigmoid = nnlab.checks.get_spec('sigmoid').reference",
                     "import importlib, nnlab.answers.nb02_forward_pass as a\nsigmoid = importlib.reload(a).sigmoid",
                     "import importlib, nnlab.answers.nb02_forward_pass as a\nimportlib.reload(a)\n"
                     "def sigmoid(z):\n    return a.sigmoid(z)"):
        verdicts = _verify(tmp_path, borrowed)
        assert not verdicts["visible"][0], borrowed
        assert "the reference is not available while grading" in verdicts["visible"][1], borrowed


def test_a_hang_or_crash_after_a_test_cell_keeps_that_cells_verdict(tmp_path):
    honest = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
    deaf = nbformat.v4.new_code_cell("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                                     "    pass")
    verdicts = _verify(tmp_path, honest, [deaf], timeout=1)
    assert verdicts["visible"] == (True, "")
    assert not verdicts["hidden"][0] and "did not stop when interrupted" in verdicts["hidden"][1]
    loop = nbformat.v4.new_code_cell("while True:\n    pass")          # interrupted, and the replay goes on
    assert _verify(tmp_path, honest, [loop], timeout=1) == {"visible": (True, ""), "hidden": (True, "")}
    died = _verify(tmp_path, honest, [nbformat.v4.new_code_cell("import os\nos._exit(1)")])
    assert died["visible"] == (True, "") and "the process died" in died["hidden"][1]


def _chain(predict_code: str, forward_code: str, extra: str = ""):
    """A notebook where ``predict`` calls the student's ``forward_pass`` (deck 001's pair)."""
    test = lambda gid, src: nbformat.v4.new_code_cell(src, metadata={  # noqa: E731
        "nbgrader": {"grade": True, "grade_id": gid, "locked": True, "points": 1, "solution": False}})
    answer = lambda gid, src: nbformat.v4.new_code_cell(src, metadata={  # noqa: E731
        "nbgrader": {"grade": False, "grade_id": gid, "solution": True}})
    source = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom nnlab.checks import check"),
        answer("fp", forward_code),
        test("forward", 'result = check("forward_pass", forward_pass, hidden_seed=7, n=3)\nassert result.passed'),
        answer("pr", predict_code),
        test("predict", 'result = check("predict", predict, hidden_seed=8, n=3)\nassert result.passed'),
        nbformat.v4.new_code_cell(extra),
        test("predict-again", 'result = check("predict", predict)\nassert result.passed'),
    ])
    return source


FORWARD = ("def forward_pass(inp, w, b):\n    a = inp\n    for wl, bl in zip(w, b):\n"
           "        a = 1 / (1 + np.exp(-(wl @ a + bl)))\n    return a")
NO_BIAS_FORWARD = ("def forward_pass(inp, w, b):\n    a = inp\n    for wl in w:\n"
                   "        a = 1 / (1 + np.exp(-(wl @ a)))\n    return a")
PREDICT = "def predict(X, w, b):\n    return forward_pass(np.asarray(X).T, w, b).T"


def test_a_function_is_judged_with_correct_versions_of_the_challenges_it_calls(tmp_path):
    """A mistake is charged once: a right predict on a wrong forward_pass keeps its points outside the kernel,
    and a stand-in lent for one call answers nothing once it is over."""
    def run(forward, predict, extra=""):
        nb = _chain(predict, forward, extra)
        verdicts = verify_notebook(nb, nb, [sys.executable, "-m", "autograder.trust.replay"], tmp_path / "w",
                                   cell_timeout=10)
        return {gid: (v.passed, v.message) for gid, v in verdicts.items()}
    honest = run(FORWARD, PREDICT)
    assert all(ok for ok, _ in honest.values()), honest
    charged_once = run(NO_BIAS_FORWARD, PREDICT)
    assert not charged_once["forward"][0] and "add b[l]" in charged_once["forward"][1]
    assert charged_once["predict"] == (True, "") and charged_once["predict-again"] == (True, "")
    wrong_itself = run(FORWARD, "def predict(X, w, b):\n    return forward_pass(np.asarray(X).T, w, b)")
    assert not wrong_itself["predict"][0]
    rows_forward = ("def forward_pass(inp, w, b):\n    a = inp\n    for wl, bl in zip(w, b):\n"
                    "        a = 1 / (1 + np.exp(-(a @ wl.T + bl.T)))\n    return a")
    own_first = run(rows_forward, "def predict(X, w, b):\n    return forward_pass(np.asarray(X), w, b)")
    assert not own_first["forward"][0]                     # a forward_pass of rows fails its own check, but …
    assert own_first["predict"] == (True, "")              # … a predict right with it is judged with it first
    stash = ("box = []\ndef predict(X, w, b):\n    box.insert(0, forward_pass)\n"
             "    return forward_pass(np.asarray(X).T, w, b).T")
    kept = run(NO_BIAS_FORWARD, stash, "def predict(X, w, b):\n    return box[0](np.asarray(X).T, w, b).T")
    assert kept["predict"] == (True, "")
    assert not kept["predict-again"][0] and "not available while grading" in kept["predict-again"][1]


def test_a_verdict_of_the_grader_is_written_into_the_graded_notebook(tmp_path):
    """The feedback page is made from the graded notebook: a cell the kernel passed and the grader failed shows
    the grader's reason there, and the cell's record says it too; a deferred cell raises no flag."""
    from autograder.pipeline.grading import CellResult, _apply_verdicts
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("check(...)", metadata={
        "nbgrader": {"grade": True, "grade_id": "gd", "points": 2, "solution": False}})])
    nbformat.write(nb, tmp_path / "03_gradient_descent.ipynb")
    cells = [CellResult("03_gradient_descent", "gd", 2.0, 2.0, "passed", "")]
    verdicts = {"03_gradient_descent": {"gd": {"passed": False, "deferred": True,
                                               "message": "one_step_gd: 1 of 6 cases failed.\n  hint: uphill"}}}
    assert _apply_verdicts(cells, verdicts, tmp_path) == []
    assert cells[0].score == 0 and "checked by the grader" in cells[0].message and "uphill" in cells[0].message
    out = nbformat.read(tmp_path / "03_gradient_descent.ipynb", as_version=4).cells[0].outputs[-1]
    assert out.output_type == "error" and "uphill" in out.evalue and out.evalue.startswith("checked by the grader")
