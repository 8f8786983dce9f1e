"""Unit tests of the sample class's written answers and the teaching assistant's grades of them
(autograder/sample_class): every written cell of every notebook handed in has one grade within its points, a cell
left unanswered gets 0, ``fill`` puts a written answer in place of the release's "YOUR ANSWER HERE" and fills the
code cells as before, and every answer file parses. The release notebooks are filled, never run."""
from __future__ import annotations

import functools

import nbformat
import pytest

from autograder.sample_class import ANSWER_HERE, STUB, fill, solution_bodies
from autograder.sample_class.students import EDITS, HERE, MISSING, STUDENTS, WRITTEN_GRADES, answers, written_grades
from tests.conftest import REPO

RELEASE, SOURCE = REPO / "notebooks", REPO / "solutions"
ASSIGNMENTS = sorted(p.name for p in RELEASE.iterdir() if p.is_dir())
DELIVERED = sorted((student, aid) for student, plan in STUDENTS.items() for aid in ASSIGNMENTS
                   if plan.get(aid) != MISSING)


def release(aid: str):
    return RELEASE / aid / f"{aid}.ipynb"


@functools.cache
def solution_cells(aid: str) -> dict[str, nbformat.NotebookNode]:
    """The release notebook's solution cells (code and written) by grade id."""
    nb = nbformat.read(release(aid), as_version=4)
    return {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def written_points(aid: str) -> dict[str, float]:
    """{grade_id: points} of the release notebook's written questions (markdown solution cells)."""
    return {gid: c.metadata.nbgrader["points"] for gid, c in solution_cells(aid).items() if c.cell_type == "markdown"}


@functools.cache
def defaults(aid: str) -> dict[str, str]:
    return solution_bodies(SOURCE / aid / f"{aid}.ipynb")


def test_every_notebook_handed_in_has_one_grade_per_written_cell_and_no_other():
    assert sorted((s, aid) for s, graded in WRITTEN_GRADES.items() for aid in graded) == DELIVERED
    for student, aid in DELIVERED:
        assert set(WRITTEN_GRADES[student][aid]) == set(written_points(aid)), (student, aid)


def test_every_grade_lies_within_the_cells_points_and_has_a_comment():
    for student, aid in DELIVERED:
        for gid, (points, comment) in WRITTEN_GRADES[student][aid].items():
            assert 0 <= points <= written_points(aid)[gid], (student, gid, points)
            assert (2 * points).is_integer(), (student, gid, points)        # whole or half points
            assert comment.strip(), (student, gid)


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_filled_written_cells_hold_the_answer_and_an_unanswered_one_gets_0(student):
    for aid in ASSIGNMENTS:
        plan = STUDENTS[student].get(aid, {})
        if plan == MISSING:
            continue
        nb = fill(release(aid), plan, defaults(aid))
        written = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")]
        assert {c.metadata.nbgrader["grade_id"] for c in written} == set(written_points(aid))
        for cell in written:
            gid = cell.metadata.nbgrader["grade_id"]
            if cell.source == ANSWER_HERE:
                assert gid not in plan and WRITTEN_GRADES[student][aid][gid][0] == 0, (student, gid)
            else:
                assert cell.source == plan[gid], (student, gid)


def test_fill_puts_a_written_answer_in_and_fills_the_code_cells_as_before():
    aid = "05_classifier"
    written = list(written_points(aid))
    code = [gid for gid, c in solution_cells(aid).items() if c.cell_type == "code"]
    # backslashes and a group reference survive as typed: the answer is not a regular expression's replacement
    answer = r"The limit is $(\frac13, \frac13, \frac13)$ \1 \g<0>."
    own = {code[0]: "return 42"}
    plain = fill(release(aid), own, defaults(aid))
    with_answer = fill(release(aid), own | {written[0]: f"\n  {answer}\n"}, defaults(aid))
    before = nbformat.read(release(aid), as_version=4)
    for old, new, cell in zip(plain.cells, with_answer.cells, before.cells):
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == written[0]:
            assert (cell.source, old.source, new.source) == (ANSWER_HERE, ANSWER_HERE, answer)
        elif cell.cell_type == "markdown":
            assert old.source == new.source == cell.source
        else:
            assert old.source == new.source
            if gid in code:
                assert not STUB.search(new.source)
                assert ("return 42" in new.source) == (gid == code[0])


def test_every_answer_file_parses_and_names_only_cells_of_its_notebook():
    files = sorted(HERE.glob("*/*.txt"))
    assert {(p.parent.name, p.stem) for p in files} <= set(DELIVERED)
    for path in files:
        cells = answers(path.read_text(encoding="utf-8"))
        assert set(cells) - {EDITS} <= set(solution_cells(path.stem)), path


def test_written_grades_reads_points_as_numbers_and_the_comment(tmp_path):
    (tmp_path / "written_grades.toml").write_text('[kim."01_perceptron"]\n'
                                                  '"a" = { points = 2, comment = "Right." }\n'
                                                  '"b" = { points = 1.5, comment = "Half." }\n')
    assert written_grades(tmp_path) == {"kim": {"01_perceptron": {"a": (2.0, "Right."), "b": (1.5, "Half.")}}}
