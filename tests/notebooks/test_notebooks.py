"""The notebooks: every solution notebook passes its own tests in a real kernel; every release notebook
fails its tests only with NotImplementedError; notebooks/ is exactly what nbgrader generates."""
import filecmp
import re
import time
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.notebooks
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())


def is_written_answer(cell):
    """A written question's answer cell: markdown, graded by hand (nbgrader's grade and solution both true)."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "markdown" and bool(meta.get("grade")) and bool(meta.get("solution"))


def test_the_assignments_with_one_notebook_each():
    assert ASSIGNMENTS == ["01_perceptron", "02_forward_pass", "03_gradient_descent", "04_backprop",
                           "05_classifier", "06_cnn", "07_lstm", "08_jax"]
    for aid in ASSIGNMENTS:
        files = sorted(p.name for p in (REPO / "solutions" / aid).iterdir())
        assert files == [f"{aid}.ipynb"], "nothing may sit beside a source notebook (it would be released)"


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_every_challenge_has_visible_and_hidden_tests(aid):
    nb = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    challenges = [c for c in nb.cells if not is_written_answer(c)]      # written answers are graded by hand
    meta = [c.metadata.get("nbgrader", {}) for c in challenges]
    solutions = [m["grade_id"] for m in meta if m.get("solution")]
    tests = {m["grade_id"] for m in meta if m.get("grade") and not m.get("solution")}
    assert solutions
    for fn in solutions:
        assert {f"{fn}_visible", f"{fn}_hidden"} <= tests
    for cell in challenges:
        m = cell.metadata.get("nbgrader", {})
        if m.get("solution"):
            undecorated = "\n".join(line for line in cell.source.strip().splitlines() if not line.startswith("@"))
            assert undecorated.startswith("def "), "the def line stays outside the solution region"
        if m.get("grade") and not m.get("solution"):
            last = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("###")][-1]
            assert last.startswith("assert "), f"{m['grade_id']} must end in an assertion"


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_written_questions(aid):
    """At least two written questions per notebook, each a locked question cell followed by an answer cell that
    holds the model answer and a rubric worth the cell's points; the release keeps only nbgrader's text stub."""
    source = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    answers = [(i, cell) for i, cell in enumerate(source.cells) if is_written_answer(cell)]
    assert len(answers) >= 2, f"{aid} has {len(answers)} written questions; every notebook needs at least two"
    for i, cell in answers:
        meta = cell.metadata["nbgrader"]
        gid, points = meta.get("grade_id", ""), meta.get("points", 0)
        assert re.fullmatch(rf"{aid}_written_[a-z0-9_]+", gid), f"{gid!r}: the id must be {aid}_written_<slug>"
        assert points >= 1, f"{gid} is worth {points} points"
        assert not meta.get("locked"), f"{gid}: the student writes in the answer cell"
        assert i > 0, f"{gid} has no question before it"
        question = source.cells[i - 1]
        qmeta = question.metadata.get("nbgrader", {})
        heading = question.source.strip().splitlines()[0] if question.source.strip() else ""
        assert question.cell_type == "markdown" and qmeta.get("locked") and not qmeta.get("grade") \
            and not qmeta.get("solution"), f"{gid} must follow a locked, ungraded markdown question cell"
        assert heading.startswith("### Written question"), f"{gid}: the question starts {heading!r}"
        assert re.search(rf"\({points} points?\)$", heading), f"{gid}: {heading!r} must end in ({points} points)"
        assert "**Model answer.**" in cell.source, f"{gid} has no model answer"
        rubric = re.search(r"\*\*Rubric \((\d+) points?\)", cell.source)
        assert rubric, f"{gid} has no rubric"
        assert int(rubric.group(1)) == points, f"{gid}: the rubric is out of {rubric.group(1)}, the cell of {points}"

    release = nbformat.read(REPO / "notebooks" / aid / f"{aid}.ipynb", as_version=4)
    released = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in release.cells}
    release_text = "\n".join(c.source for c in release.cells)
    release_lines = {line.strip() for line in release_text.splitlines()}
    for _, cell in answers:
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid not in released:
            pytest.fail(f"{gid} is not in notebooks/{aid}: regenerate the release")
        assert released[gid].source == "YOUR ANSWER HERE", f"{gid}: the release must hold only nbgrader's stub"
        lines = [line.strip() for line in cell.source.splitlines() if len(line.strip()) >= 12]   # not "```", "$$"
        # no line of the answer is a line of the release, nor (40 characters or more) part of one
        leaked = [line for line in lines if line in release_lines or (len(line) >= 40 and line in release_text)]
        assert not leaked, f"{gid}: the release notebook shows the model answer: {leaked}"


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_solution_notebook_passes_all_tests(aid, tmp_path):
    from nbgrader.validator import Validator
    start = time.perf_counter()
    result = Validator().validate(str(REPO / "solutions" / aid / f"{aid}.ipynb"))
    assert not result.get("failed"), result
    assert not result.get("type_changed") and not result.get("changed")
    assert time.perf_counter() - start < 60


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_release_notebook_fails_only_with_not_implemented(aid, tmp_path, monkeypatch):
    from nbclient import NotebookClient
    monkeypatch.setenv("NNLAB_GRADING", "1")       # the demos' length does not matter here (solutions run full)
    nb = nbformat.read(REPO / "notebooks" / aid / f"{aid}.ipynb", as_version=4)
    NotebookClient(nb, timeout=60, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = {o["ename"] for c in nb.cells if c.cell_type == "code" for o in c.outputs if o["output_type"] == "error"}
    stderr = [o["text"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o["output_type"] == "stream" and o["name"] == "stderr" and "Kernel is running over TCP" not in o["text"]]
    visible = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_visible")]
    assert errors == {"NotImplementedError"}, errors
    assert all(o["ename"] == "NotImplementedError" for c in visible for o in c.outputs if o["output_type"] == "error")
    assert all(any(o["output_type"] == "error" for o in c.outputs) for c in visible)
    assert not stderr


def test_release_is_a_fresh_generation_and_leaks_nothing(tmp_path):
    from autograder.commands.release import release
    release(REPO / "solutions", tmp_path)
    for aid in ASSIGNMENTS:
        cmp = filecmp.dircmp(tmp_path / aid, REPO / "notebooks" / aid)
        assert not cmp.left_only and not cmp.right_only
        assert (tmp_path / aid / f"{aid}.ipynb").read_bytes() == (REPO / "notebooks" / aid / f"{aid}.ipynb").read_bytes()
        text = (REPO / "notebooks" / aid / f"{aid}.ipynb").read_text()
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden_seed"):
            assert marker not in text
    assert sorted(p.name for p in (REPO / "notebooks").iterdir()) == ASSIGNMENTS
