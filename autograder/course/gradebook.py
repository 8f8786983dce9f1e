"""The grader's own reads and writes of nbgrader gradebooks (SQLite or PostgreSQL), all through nbgrader's API.

The course gradebook is the one source of every score: the grader writes each submission's auto scores into it
(``save_outcome``: a test cell that did not pass scores 0 there, as on every page), an instructor's override
and a teaching assistant's grade of a written answer are nbgrader's manual score (``set_manual_score``, the
fields formgrader writes), and every export reads the scores back in one pass (``class_grades``).

A grading task reads its grades from its scratch gradebook (``read_grades``), which starts as a seed gradebook
holding one assignment (``copy_assignment``). A submission that could not be graded keeps its manual scores
and scores 0 for every autograded cell (``zero_auto_scores``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
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


def by_cell_name(gb, rows, notebook) -> dict:
    """A submitted notebook's grades (``rows``: nbgrader's ``Grade``) or comments (``Comment``) by their cell's
    name, in one query (nbgrader's ``.name`` of a row loads the row's cell on its own, a query per cell). Where a
    task cell has the name of a grade or solution cell (nbgrader keeps names unique per kind of cell only), the
    grade or solution cell's row is the one kept, as nbgrader's ``find_grade`` and ``find_comment`` choose it:
    the task cells' rows come first, and a later row of the same name replaces them."""
    from nbgrader.api import BaseCell
    from sqlalchemy import case
    return {name: row for row, name in gb.db.query(rows, BaseCell.name)
            .join(BaseCell, rows.cell_id == BaseCell.id).filter(rows.notebook_id == notebook.id)
            .order_by(case((BaseCell.type == "TaskCell", 0), else_=1))}


def read_grades(db_url: str, assignment: str, student: str, notebooks: Iterable[str]) -> tuple[dict, dict]:
    """Each named notebook's auto scores and auto comments by grade id, for the notebooks nbgrader graded."""
    from nbgrader.api import Comment, Grade, Gradebook
    grades, comments = {}, {}
    with Gradebook(db_url) as gb:
        for notebook, sub in _submitted(gb, assignment, student, notebooks):
            grades[notebook] = {name: _number(g.auto_score) for name, g in by_cell_name(gb, Grade, sub).items()}
            comments[notebook] = {name: c.auto_comment for name, c in by_cell_name(gb, Comment, sub).items()}
    return grades, comments


@dataclass(frozen=True)
class GradeRow:
    """One cell's grade as the gradebook holds it. ``score`` is nbgrader's: the manual score when there is one,
    else the auto score, plus any extra credit; ``comment`` is the cell's manual comment (cells that are also
    solution cells have one)."""
    score: float
    auto: float | None
    manual: float | None
    extra: float | None
    needs_manual_grade: bool
    comment: str | None = None


def class_grades(db_url: str, only: tuple[str, str] | None = None) \
        -> dict[tuple[str, str], dict[str, dict[str, GradeRow]]]:
    """Every submission's grades in one read: ``(student, assignment) → notebook → grade id → GradeRow``; with
    ``only`` (a student and an assignment), that submission's."""
    from nbgrader.api import (Assignment, Comment, Gradebook, Grade, GradeCell, Notebook, SolutionCell, Student,
                              SubmittedAssignment, SubmittedNotebook)
    patches.apply()
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        return {}

    def submitted(query, entry, cell):
        query = (query.join(SubmittedNotebook, entry.notebook_id == SubmittedNotebook.id)
                 .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                 .join(Student, SubmittedAssignment.student_id == Student.id)
                 .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                 .join(cell, entry.cell_id == cell.id)
                 .join(Notebook, cell.notebook_id == Notebook.id))
        return query if only is None else query.filter(Student.id == only[0], Assignment.name == only[1])

    with Gradebook(db_url) as gb:
        comments = {(s, a, n, c): text for s, a, n, c, text in submitted(
            gb.db.query(Student.id, Assignment.name, Notebook.name, SolutionCell.name, Comment.manual_comment)
            .select_from(Comment), Comment, SolutionCell) if text}
        out: dict = {}
        for s, a, n, c, score, auto, manual, extra, needs in submitted(
                gb.db.query(Student.id, Assignment.name, Notebook.name, GradeCell.name, Grade.score, Grade.auto_score,
                            Grade.manual_score, Grade.extra_credit, Grade.needs_manual_grade).select_from(Grade),
                Grade, GradeCell):
            out.setdefault((s, a), {}).setdefault(n, {})[c] = GradeRow(
                float(score or 0.0), _number(auto), _number(manual), _number(extra), bool(needs),
                comments.get((s, a, n, c)))
        return out


def set_manual_score(db_url: str, assignment: str, student: str, grade_id: str, points: float | None,
                     comment: str | None = None) -> tuple[str, float, bool]:
    """Set (``points``) or clear (None) a cell's manual score as formgrader does, and its manual comment when
    the cell has a comment; returns ``(notebook, the cell's max score, whether it has a comment)``. Raises
    ``LookupError`` for a submission or cell the gradebook does not have, ``ValueError`` for points out of range."""
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        done = _set_manual(gb, assignment, student, grade_id, points, comment)
        gb.db.commit()
        return done


def set_manual_scores(db_url: str, scores: Iterable[tuple[str, str, str, float | None, str | None]]) -> int:
    """``set_manual_score`` for many ``(assignment, student, grade_id, points, comment)`` at once, in one
    gradebook session and one commit (a teaching assistant's whole batch); returns how many were set."""
    from nbgrader.api import Gradebook
    count = 0
    with Gradebook(db_url) as gb:
        for assignment, student, grade_id, points, comment in scores:
            _set_manual(gb, assignment, student, grade_id, points, comment)
            count += 1
        gb.db.commit()
    return count


def _set_manual(gb, assignment: str, student: str, grade_id: str, points: float | None,
                comment: str | None) -> tuple[str, float, bool]:
    from nbgrader.api import MissingEntry
    try:
        submission = gb.find_submission(assignment, student)
    except MissingEntry:
        raise LookupError(f"the gradebook has no submission of {assignment} by {student} (collect and autograde "
                          f"it first)") from None
    found = [(nb, g) for nb in submission.notebooks for g in nb.grades if g.name == grade_id]
    if not found:
        known = sorted(g.name for nb in submission.notebooks for g in nb.grades)
        raise LookupError(f"{assignment} has no graded cell {grade_id}; its cells: {', '.join(known)}")
    nb, grade = found[0]
    top = float(grade.max_score)
    if points is not None and not 0 <= points <= top:
        raise ValueError(f"{grade_id} is worth 0 to {top:g} points, not {points:g}")
    grade.manual_score = points
    grade.needs_manual_grade = points is None and grade.auto_score is None    # formgrader's rule
    commented = False
    try:
        note = gb.find_comment(grade_id, nb.name, assignment, student)
        commented = True
        if comment is not None or points is None:
            note.manual_comment = comment
    except MissingEntry:
        pass
    return nb.name, top, commented


def zero_auto_scores(db_url: str, assignment: str, student: str) -> None:
    """A submission that could not be graded: every autograded cell it has in the gradebook scores 0 (an earlier
    run's grades must not survive); manual scores, the instructor's and the teaching assistant's, stay."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.auto_score is not None:
                    grade.auto_score = 0.0
        gb.db.commit()


def save_outcome(db_url: str, outcome: Outcome, timestamp: datetime | None = None) -> None:
    """Write an outcome's auto scores and comments (autograder/pipeline/task.py) into the course gradebook, as
    nbgrader's SaveAutoGrades would have, with one difference: a manual score already there (an override, a
    written answer's grade) stands without being marked for review again, since it is a decision about the cell,
    and only a manually graded cell without one needs a manual grade. ``timestamp``: when it was handed in (UTC)."""
    from nbgrader.api import Comment, Grade, Gradebook
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(outcome.student)
        extra = {"timestamp": timestamp} if timestamp else {}
        submission = gb.update_or_create_submission(outcome.assignment, outcome.student, **extra)
        notebooks = {nb.name: nb for nb in submission.notebooks}     # the submission's rows, read once
        for notebook, scores in outcome.grades.items():
            nb = notebooks.get(notebook)
            grades = by_cell_name(gb, Grade, nb) if nb is not None else {}
            for grade_id, score in scores.items():
                grade = grades.get(grade_id)
                if grade is None:                     # not a cell of the course's version of the notebook
                    continue
                grade.auto_score = score
                grade.needs_manual_grade = score is None and grade.manual_score is None
            comments = by_cell_name(gb, Comment, nb) if nb is not None else {}
            for grade_id, text in outcome.comments.get(notebook, {}).items():
                if grade_id in comments:
                    comments[grade_id].auto_comment = text
        gb.db.commit()


@dataclass(frozen=True)
class Handed:
    """What the gradebook knows of when a submission came and when it was due: nbgrader's own fields (the
    submission's timestamp, the student's extension, the notebooks' late-submission penalties), UTC."""
    timestamp: datetime | None
    extension: timedelta | None
    penalty: float


def deadlines(db_url: str, only: tuple[str, str] | None = None) \
        -> tuple[dict[str, datetime | None], dict[tuple[str, str], Handed]]:
    """Every assignment's due date (naive UTC, as nbgrader stores it) and every submission's ``Handed``; with
    ``only`` (a student and an assignment), that submission's alone (what grading one submission needs, in a
    read that does not grow with the class)."""
    from nbgrader.api import Assignment, Gradebook, Student, SubmittedAssignment
    patches.apply()
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        return {}, {}
    with Gradebook(db_url) as gb:
        due = {name: when for name, when in gb.db.query(Assignment.name, Assignment.duedate)}
        query = (gb.db.query(Student.id, Assignment.name, SubmittedAssignment.timestamp, SubmittedAssignment.extension,
                             SubmittedAssignment.late_submission_penalty)
                 .select_from(SubmittedAssignment)
                 .join(Student, SubmittedAssignment.student_id == Student.id)
                 .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id))
        if only is not None:
            query = query.filter(Student.id == only[0], Assignment.name == only[1])
        handed = {(s, a): Handed(when, extension, float(penalty or 0.0))
                  for s, a, when, extension, penalty in query}
        return due, handed


def set_duedate(db_url: str, assignment: str, due: datetime | None) -> datetime | None:
    """Set (or clear) an assignment's due date (naive UTC); every extension given keeps the date it gave (nbgrader
    keeps an extension as time added to the due date: it is adjusted, or removed when the new date is later).
    Returns the old due date."""
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        found = gb.find_assignment(assignment)
        old = found.duedate
        for submission in found.submissions:
            if submission.extension is not None and old is not None:
                until = old + submission.extension
                submission.extension = until - due if due is not None and until > due else None
        found.duedate = due
        gb.db.commit()
        return old


def set_extension(db_url: str, assignment: str, student: str, until: datetime | None) -> timedelta | None:
    """Give a student a new due date (naive UTC) for an assignment, kept as nbgrader's extension (the time added to
    the assignment's due date; None or a date not later than it removes the extension); returns the extension.
    The student's submission row is created when there is none yet. ``LookupError`` when the assignment has no
    due date."""
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        due = gb.find_assignment(assignment).duedate
        if due is None:
            raise LookupError(f"{assignment} has no due date: set one first with nnlab-grade duedate {assignment} WHEN")
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        submission.extension = until - due if until is not None and until > due else None
        gb.db.commit()
        return submission.extension


def set_late_penalties(db_url: str, penalties: dict[tuple[str, str], dict[str, float]]) -> None:
    """Record each submission's late penalty, in points per notebook, in nbgrader's late-submission-penalty field."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url) as gb:
        for (student, assignment), per_notebook in penalties.items():
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            for nb in submission.notebooks:
                nb.late_submission_penalty = per_notebook.get(nb.name, 0.0)
        gb.db.commit()
