"""Test cells say what they check: each source test cell names its checks in ``metadata["nnlab"]["checks"]``,
which the out-of-kernel check reads (the cell's code is only a cross-check), and the release keeps only the
checks' names, never a hidden seed or count."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from autograder.integration.cells import is_test_cell
from autograder.integration.preprocessors import ReleaseCheckNames
from autograder.pipeline.grading import _disagreements
from autograder.trust.verify import CheckCall, check_calls, disagreements, source_checks, verify_notebook
from tests.conftest import REPO

ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
ALIASED = 'from nnlab.checks import check as judge\nresult = judge("sigmoid", sigmoid)\nassert result.passed'


def _test_cell(gid: str, source: str, checks: list[dict] | None = None):
    metadata = {"nbgrader": {"grade": True, "grade_id": gid, "locked": True, "points": 1, "solution": False}}
    if checks is not None:
        metadata["nnlab"] = {"checks": checks}
    return nbformat.v4.new_code_cell(source, metadata=metadata)


def _source(*tests):
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom nnlab.checks import check"),
        nbformat.v4.new_code_cell(SIGMOID, metadata={"nbgrader": {"grade": False, "grade_id": "sig",
                                                                  "solution": True}}),
        *tests])


def test_source_checks_reads_each_test_cells_metadata():
    source = _source(
        _test_cell("aliased", ALIASED, [{"check": "sigmoid", "function": "sigmoid"}]),
        _test_cell("hidden", 'result = check("sigmoid", sigmoid, hidden_seed=2102, n=6)\nassert result.passed',
                   [{"check": "sigmoid", "function": "sigmoid", "hidden_seed": 2102, "n": 6}]),
        _test_cell("unstamped", 'result = check("predict", my_predict)\nassert result.passed'),
        _test_cell("plain", "assert sigmoid(0) == 0.5"))
    assert source_checks(source) == {
        "aliased": [CheckCall("sigmoid", "sigmoid")],                  # the code alone would read no check
        "hidden": [CheckCall("sigmoid", "sigmoid", 2102, 6)],
        "unstamped": [CheckCall("predict", "my_predict")],            # written before the metadata: its code counts
    }


def test_metadata_and_code_that_disagree_are_flagged_and_the_metadata_counts():
    source = _source(
        _test_cell("hidden", 'result = check("sigmoid", sigmoid, hidden_seed=2101, n=6)\nassert result.passed',
                   [{"check": "sigmoid", "function": "sigmoid", "hidden_seed": 2102, "n": 6}]),
        _test_cell("aliased", ALIASED, [{"check": "sigmoid", "function": "sigmoid"}]),
        _test_cell("agreed", 'result = check("sigmoid", sigmoid)\nassert result.passed',
                   [{"check": "sigmoid", "function": "sigmoid"}]),
        _test_cell("unstamped", 'result = check("sigmoid", sigmoid)\nassert result.passed'))
    flags = [
        'test cell hidden: its metadata runs check("sigmoid", sigmoid, hidden_seed=2102, n=6) but its code reads '
        'check("sigmoid", sigmoid, hidden_seed=2101, n=6); checked as its metadata says',
        'test cell aliased: its metadata runs check("sigmoid", sigmoid) but its code reads no check; checked as '
        'its metadata says']
    assert disagreements(source) == flags
    assert source_checks(source)["hidden"] == [CheckCall("sigmoid", "sigmoid", 2102, 6)]
    # the grader flags every submission of the assignment with them (autograder/pipeline/grading.py's finish)
    assert _disagreements({"b.ipynb": nbformat.writes(source).encode(),
                           "a.ipynb": nbformat.writes(_source()).encode()}) == flags


def test_an_aliased_check_is_still_verified_outside_the_kernel(tmp_path):
    source = _source(_test_cell("aliased", ALIASED, [{"check": "sigmoid", "function": "sigmoid"}]))
    submitted = nbformat.reads(nbformat.writes(source), as_version=4)
    argv = [sys.executable, "-m", "autograder.trust.replay"]
    honest = verify_notebook(submitted, source, argv, tmp_path / "honest", cell_timeout=10)
    assert {gid: (v.passed, v.message, v.hints) for gid, v in honest.items()} == {"aliased": (True, "", [])}
    submitted.cells[1].source = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))"       # σ(−z)
    wrong = verify_notebook(submitted, source, argv, tmp_path / "wrong", cell_timeout=10)["aliased"]
    assert not wrong.passed and wrong.message.startswith("sigmoid: 3 of 4 cases failed.")
    assert wrong.hints == ["you computed 1 / (1 + e^z), which is σ(−z): the exponent is −z."]


def test_the_release_preprocessor_keeps_only_the_checks_names():
    cell = _test_cell("hidden", "### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS", [
        {"check": "sigmoid", "function": "sigmoid", "hidden_seed": 2102, "n": 6},
        {"check": "predict", "function": "my_predict"}])
    cell, _ = ReleaseCheckNames().preprocess_cell(cell, {}, 0)
    assert cell.metadata["nnlab"] == {"checks": [{"check": "sigmoid", "function": "sigmoid"},
                                                 {"check": "predict", "function": "my_predict"}]}
    plain = nbformat.v4.new_code_cell("x = 1")
    assert ReleaseCheckNames().preprocess_cell(plain, {}, 0)[0].metadata == {}


def _nnlab_metadata(path: Path) -> list[dict]:
    return [c.metadata["nnlab"] for c in nbformat.read(path, as_version=4).cells if "nnlab" in c.metadata]


def _seeds_or_counts(notebooks: list[Path]) -> list[str]:
    return [f"{path.name}: {entry}" for path in notebooks for meta in _nnlab_metadata(path)
            for entry in meta.get("checks", []) if "hidden_seed" in entry or "n" in entry]


def test_a_generated_release_names_the_checks_and_holds_no_seed_or_count(tmp_path):
    from autograder.commands.release import release
    release(REPO / "solutions", tmp_path)
    notebooks = sorted(tmp_path.glob("*/*.ipynb"))
    assert notebooks and not _seeds_or_counts(notebooks)
    assert not any("hidden_seed" in path.read_text() for path in notebooks)
    named = {(aid, call.check) for aid in ASSIGNMENTS for calls in
             source_checks(nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)).values()
             for call in calls}
    released = {(path.parent.name, entry["check"]) for path in notebooks for meta in _nnlab_metadata(path)
                for entry in meta["checks"]}
    assert released and released <= named


def test_no_release_notebook_holds_a_hidden_seed_or_count():
    assert not _seeds_or_counts(sorted((REPO / "notebooks").glob("*/*.ipynb")))


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_every_source_test_cell_that_calls_check_names_its_checks_in_its_metadata(aid):
    source = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    unstamped = [c.metadata["nbgrader"]["grade_id"] for c in source.cells
                 if is_test_cell(c) and check_calls(c.source) and "checks" not in c.metadata.get("nnlab", {})]
    assert not unstamped, "these test cells call check but do not name their checks in their metadata"
    assert not disagreements(source)
