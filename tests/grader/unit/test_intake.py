"""Unit tests of intake (autograder/pipeline/intake.py): why a file cannot be read as a notebook, and what a
submission changed in its test cells. (End to end, with nbgrader grading the result: tests/grader/e2e/
test_hostile.py.)"""
from __future__ import annotations

import json

import nbformat
import pytest

from autograder.course import releases
from autograder.pipeline.intake import inspect_submission, read_problem


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, expected", [
    (b'{"cells": []}\xe9', "the notebook file is not UTF-8 text (byte 0xe9 at position 13); save it again "
                           "from Jupyter"),
    (b'{"cells": [', "the notebook file is not valid notebook JSON (Expecting value at line 1, column 12)"),
    (b"[1, 2]", "the file is not a notebook in format 4 (nbformat: list); open it in JupyterLab and save it "
                "again"),
    (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": []}).encode(),
     "the file is not a notebook in format 4 (nbformat: 3); open it in JupyterLab and save it again"),
])
def test_read_problem_names_what_is_wrong_with_the_file(tmp_path, data, expected):
    assert read_problem(_write(tmp_path / "nb.ipynb", data)) == expected


def test_read_problem_quotes_the_first_line_of_a_format_error(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    data = json.loads(nbformat.writes(nb))
    data["cells"][0]["cell_type"] = "python"                       # no such cell type
    problem = read_problem(_write(tmp_path / "nb.ipynb", json.dumps(data).encode()))
    assert problem.startswith("the notebook does not follow the notebook format: ") and "\n" not in problem


def test_read_problem_accepts_a_valid_notebook(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert read_problem(_write(tmp_path / "nb.ipynb", nbformat.writes(nb).encode())) is None


def _test_cell(gid, source, points=1):
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": gid, "points": points, "schema_version": 3}})


def _pair(tmp_path, cells):
    """A submission made of ``cells(release cells)``, the recorded versions of its release (two test cells and an
    answer cell) and the notebook's name in the release (nbgrader's: no .ipynb)."""
    answer = nbformat.v4.new_code_cell("def f(): pass", metadata={"nbgrader": {
        "grade": False, "solution": True, "locked": False, "grade_id": "f", "schema_version": 3}})
    original = [answer, _test_cell("f_visible", "assert f() is None"), _test_cell("f_hidden", "assert True", 2)]
    release = tmp_path / "release" / "nb.ipynb"
    release.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=original), release)
    releases.record(tmp_path / ".nnlab", "a", release.parent)
    submitted = tmp_path / "submitted.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells([nbformat.from_dict(c) for c in original])), submitted)
    return submitted, releases.versions(tmp_path / ".nnlab", "a"), release.stem


def test_an_untouched_submission_raises_no_flag(tmp_path):
    assert inspect_submission(*_pair(tmp_path, lambda cells: cells)) == (None, [], 1)


def test_every_change_to_a_test_cell_is_flagged(tmp_path):
    def tamper(cells):
        answer, visible, hidden = cells
        visible.source = "assert True"                                   # edited
        hidden.metadata["nbgrader"]["points"] = 20                       # points changed
        copy = nbformat.from_dict(visible)                               # copied (a copy gets a new cell id)
        copy.id = "pasted-copy"
        return [answer, visible, copy, hidden]
    assert inspect_submission(*_pair(tmp_path, tamper)) == (None, [
        "test cell f_visible appears 2 times; the first one counts",
        "test cell f_visible was edited; graded with the original",
        "test cell f_hidden: nbgrader metadata changed (points); the source's counts",
    ], 1)


def test_a_deleted_or_stripped_test_cell_is_flagged_as_such(tmp_path):
    def strip_and_delete(cells):
        answer, visible, hidden = cells
        visible.metadata = {}                                            # metadata removed, source kept
        return [answer, visible]                                         # hidden deleted
    assert inspect_submission(*_pair(tmp_path, strip_and_delete)) == (None, [
        "test cell f_visible lost its nbgrader metadata; graded with the original put back",
        "test cell f_hidden was deleted; graded with the original put back",
    ], 1)


def test_an_unreadable_submission_is_an_error_and_no_flag(tmp_path):
    submitted, versions, notebook = _pair(tmp_path, lambda cells: cells)
    submitted.write_bytes(b"not json")
    problem, flags, version = inspect_submission(submitted, versions, notebook)
    assert problem.startswith("the notebook file is not valid notebook JSON") and flags == [] and version is None
