"""The grader's own reads and writes of nbgrader gradebooks (SQLite or PostgreSQL), all through nbgrader's API.

The course gradebook is written by one process only, the grader: the assignments at sync, and each task's
grades as nbgrader's ``SaveAutoGrades`` would have stored them (``save_outcome``). A grading task reads its
grades from its scratch gradebook (``read_grades``), which starts as a seed gradebook holding one assignment
(``copy_assignment``). The grader reads a submission's final scores back (``scores``) for its record, and
removes the grades of a submission that could not be graded (``forget_submission``).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.integration import patches

if TYPE_CHECKING:
    from autograder.pipeline.task import Outcome


def assignments(db_url: str) -> set[str]:
    """The assignments in a gradebook (none when its SQLite file does not exist yet)."""
    from nbgrader.api import Gradebook
    patches.apply()
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        return set()
    with Gradebook(db_url) as gb:
        patches.add_default_course(gb)
        return {a.name for a in gb.assignments}


def copy_assignment(from_url: str, to_url: str, assignment: str) -> None:
    """Copy an assignment's notebooks and cells (grade, solution, task and source cells: everything autograde
    reads) from one gradebook into another; no students, no submissions."""
    from nbgrader.api import Gradebook
    with Gradebook(from_url) as src, Gradebook(to_url) as dst:
        original = src.find_assignment(assignment)
        dst.update_or_create_assignment(assignment, duedate=original.duedate)
        for nb in original.notebooks:
            dst.add_notebook(nb.name, assignment)
            for c in nb.grade_cells:
                dst.add_grade_cell(c.name, nb.name, assignment, max_score=c.max_score, cell_type=c.cell_type)
            for c in nb.solution_cells:
                dst.add_solution_cell(c.name, nb.name, assignment)
            for c in nb.task_cells:
                dst.add_task_cell(c.name, nb.name, assignment, max_score=c.max_score, cell_type=c.cell_type)
            for c in nb.source_cells:
                dst.add_source_cell(c.name, nb.name, assignment, cell_type=c.cell_type, locked=c.locked,
                                    source=c.source, checksum=c.checksum)


def _submitted(gb, assignment: str, student: str, notebooks: Iterable[str]):
    """``(notebook, submission notebook)`` for each named notebook the gradebook has a submission of."""
    from nbgrader.api import MissingEntry
    for notebook in notebooks:
        try:
            yield notebook, gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            continue


def _number(score) -> float | None:
    return None if score is None else float(score)


def read_grades(db_url: str, assignment: str, student: str, notebooks: Iterable[str]) -> tuple[dict, dict]:
    """Each named notebook's auto scores and auto comments by grade id, for the notebooks nbgrader graded."""
    from nbgrader.api import Gradebook
    grades, comments = {}, {}
    with Gradebook(db_url) as gb:
        for notebook, sub in _submitted(gb, assignment, student, notebooks):
            grades[notebook] = {g.name: _number(g.auto_score) for g in sub.grades}
            comments[notebook] = {c.name: c.auto_comment for c in sub.comments}
    return grades, comments


def scores(db_url: str, assignment: str, student: str, notebooks: Iterable[str]) -> dict[str, dict]:
    """Each named notebook's scores by grade id, as nbgrader counts them (a manual score over the auto score);
    a notebook the gradebook has no submission of is left out."""
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        return {notebook: {g.name: _number(g.score) for g in sub.grades}
                for notebook, sub in _submitted(gb, assignment, student, notebooks)}


def forget_submission(db_url: str, assignment: str, student: str) -> None:
    """Remove a submission's grades from the gradebook (none there is fine), so no earlier run's grades
    survive a submission that could not be graded this time."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url) as gb:
        try:
            gb.remove_submission(assignment, student)
        except MissingEntry:
            pass


def save_outcome(db_url: str, outcome: Outcome, timestamp: str | None = None) -> None:
    """Write an outcome's grades (autograder/pipeline/task.py) into the course gradebook, as nbgrader's
    SaveAutoGrades would have."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(outcome.student)
        extra = {"timestamp": timestamp} if timestamp else {}
        gb.update_or_create_submission(outcome.assignment, outcome.student, **extra)
        for notebook, scores in outcome.grades.items():
            for grade_id, score in scores.items():
                try:
                    grade = gb.find_grade(grade_id, notebook, outcome.assignment, outcome.student)
                except MissingEntry:                  # not a cell of the course's version of the notebook
                    continue
                grade.auto_score = score
                grade.needs_manual_grade = grade.manual_score is not None or score is None
            for grade_id, text in outcome.comments.get(notebook, {}).items():
                try:
                    gb.find_comment(grade_id, notebook, outcome.assignment, outcome.student).auto_comment = text
                except MissingEntry:
                    continue
        gb.db.commit()
