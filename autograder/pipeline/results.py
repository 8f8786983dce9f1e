"""A submission's result: what grading keeps that the gradebook has no field for, joined with the gradebook's scores.

The gradebook holds every score (autograder/course/gradebook.py). Grading keeps the rest in
``course/.nnlab/results/<student>/<assignment>.json`` (a ``Kept``): whether nbgrader could grade the submission
and why not, each test cell's status (passed, failed, error, timeout, not_run, missing), its message and the
check's hints, the flags, the release the student received, and timings — keyed by notebook and grade id, the
gradebook's own keys. An instructor's reason for an override is kept beside it (``overrides.json``) where the
cell has no nbgrader comment to hold it.

``Record`` is what every export, the class report and the feedback read: the two joined (``class_records``).
A cell's status there adds four the gradebook decides: ``overridden`` (a test cell with a manual score),
``needs_manual_grade`` and ``manually_graded`` (a written answer without and with one) and ``not_answered`` (a
written answer left as released, which nbgrader itself scores 0). A submission's status
is ``missing``, ``failed``, ``needs_manual_grade`` (a written answer not graded yet: its score so far),
``flagged`` (graded; something needs a look) or ``graded``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from nbgrader.utils import is_grade, is_solution

from autograder.course import gradebook
from autograder.course.deadlines import due_for, duration, iso, late_by
from autograder.course.gradebook import GradeRow, Handed
from autograder.course.workspace import Workspace, write_json

FORMAT = 2                               # the Kept format; a result file of another format is graded again
GRADED = ("graded", "flagged", "needs_manual_grade")     # a submission nbgrader graded: it has scores to show
TO_GRADE = "a written answer: grade it in formgrader or with nnlab-grade override"
UNANSWERED = "not answered: the cell is as it was released, which nbgrader scores 0 without a manual grade"


@dataclass
class CellResult:
    notebook: str
    grade_id: str
    score: float
    max_score: float
    status: str
    message: str = ""
    # the failed check's hints, as data (the message quotes them); None where only the message has them
    hints: list[str] | None = field(default_factory=list)


@dataclass
class Record:
    student_id: str
    assignment: str
    status: str                       # graded | flagged | needs_manual_grade | failed | missing
    message: str
    score: float = 0.0
    max_score: float = 0.0
    cells: list[CellResult] = field(default_factory=list)
    release: int | None = None        # the release version the student's notebooks came from
    submitted_at: str = ""            # ISO 8601 UTC (autograder/course/deadlines.py), and where that time came from
    submitted_from: str = ""
    due: str = ""                     # the student's due date, extension included
    late_by: str = ""                 # hours:minutes:seconds, "unknown" (an LMS said late, not by how much), or ""
    penalty: float = 0.0              # points the late policy took off: ``score`` is after it
    seconds: float = 0.0
    log_tail: str = ""                # the end of nbgrader's log when grading failed (for the instructor)
    timing: dict = field(default_factory=dict)   # seconds in the notebook's cells and in the out-of-kernel check,
                                                 # and how many of the check's workers were forked from a template

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Record":
        data = dict(data)
        data["cells"] = [CellResult(**{"hints": None} | c) for c in data.get("cells", [])]
        return cls(**data)


@dataclass
class Kept:
    """What grading keeps of one submission (see the module docstring); no score."""
    student_id: str
    assignment: str
    graded: bool                      # False: nbgrader could not grade it (``failure`` says why)
    failure: str = ""
    cells: dict[str, dict[str, dict]] = field(default_factory=dict)   # notebook → grade id → status, message, hints
    flags: list[str] = field(default_factory=list)
    stopped: str = ""                 # why the run ended early, when it did
    release: int | None = None        # the release version the student received (autograder/course/releases.py)
    graded_with: int | None = None    # the release version whose tests graded it
    submitted_from: str = ""          # where the submission time in the gradebook came from (exchange, lms, …)
    late_unknown: bool = False        # an LMS marked it late without a time
    submission_hash: str = ""
    source_hash: str = ""
    seconds: float = 0.0
    timing: dict = field(default_factory=dict)
    log_tail: str = ""
    format: int = FORMAT

    def cell(self, notebook: str, grade_id: str, status: str, message: str = "", hints=()) -> None:
        self.cells.setdefault(notebook, {})[grade_id] = {"status": status, "message": message,
                                                         "hints": list(hints)}


def save(ws: Workspace, kept: Kept) -> None:
    write_json(ws.record_path(kept.student_id, kept.assignment), asdict(kept))


def load(ws: Workspace, student: str, assignment: str) -> Kept | None:
    """The kept result, or None when there is none (or one an earlier nnlab wrote: grading it again makes it)."""
    path = ws.record_path(student, assignment)
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return Kept(**data) if data.get("format") == FORMAT else None


def needs_grading(ws: Workspace, student: str, assignment: str) -> bool:
    kept = load(ws, student, assignment)
    return (kept is None or kept.submission_hash != ws.submission_hash(student, assignment)
            or kept.source_hash != ws.source_hash(assignment))


# ------------------------------------------------------------------------------------------------ overrides
def overrides_path(ws: Workspace, student: str, assignment: str) -> Path:
    return ws.state / "overrides" / student / f"{assignment}.json"


def override_reasons(ws: Workspace, student: str, assignment: str) -> dict[str, str]:
    """grade id → the instructor's reason, for overridden cells that have no nbgrader comment."""
    path = overrides_path(ws, student, assignment)
    return json.loads(path.read_text()) if path.exists() else {}


def keep_override_reason(ws: Workspace, student: str, assignment: str, grade_id: str, reason: str | None) -> None:
    reasons = override_reasons(ws, student, assignment)
    if reason is None:
        reasons.pop(grade_id, None)
    else:
        reasons[grade_id] = reason
    write_json(overrides_path(ws, student, assignment), reasons)


# ------------------------------------------------------------------------------------------------ joining
def grade_cells(notebook_path: Path) -> list[dict]:
    """Every graded cell of a source notebook, in notebook order: ``{"grade_id", "points", "manual"}``; a manual
    one (a written answer) holds a solution and is graded by hand."""
    nb = nbformat.read(notebook_path, as_version=4)
    return [{"grade_id": c.metadata["nbgrader"]["grade_id"], "points": float(c.metadata["nbgrader"].get("points", 0)),
             "manual": bool(is_solution(c))} for c in nb.cells if is_grade(c)]


def layout(ws: Workspace, assignment: str) -> list[tuple[str, dict]]:
    """``(notebook, graded cell)`` for every graded cell of an assignment's source notebooks."""
    return [(nb_path.stem, cell) for nb_path in ws.source_notebooks(assignment) for cell in grade_cells(nb_path)]


def _cell(notebook: str, cell: dict, kept: Kept | None, row: GradeRow | None, reason: str | None,
          submitted: bool) -> CellResult:
    gid, points = cell["grade_id"], cell["points"]
    score = row.score if row is not None else 0.0
    if kept is None:                                          # missing, or collected and not graded yet
        status = "missing" if not submitted else "not_run"
        return CellResult(notebook, gid, score, points, status, "no submission was collected" if not submitted
                          else "collected but not graded yet: run nnlab-grade autograde")
    if cell["manual"]:
        if row is not None and row.manual is not None:
            return CellResult(notebook, gid, score, points, "manually_graded", row.comment or "")
        if not kept.graded:
            return CellResult(notebook, gid, score, points, "not_run", f"not graded: {kept.failure}")
        if row is None:
            return CellResult(notebook, gid, score, points, "missing", f"{notebook}.ipynb was not submitted")
        if row.auto is not None:            # nbgrader scored it itself: the answer cell is as it was released
            return CellResult(notebook, gid, score, points, "not_answered", UNANSWERED)
        return CellResult(notebook, gid, score, points, "needs_manual_grade", TO_GRADE)
    found = kept.cells.get(notebook, {}).get(gid)
    if found is None:
        status, message, hints = ("not_run", f"not run: {kept.failure}", []) if not kept.graded else (
            "missing", f"{notebook}.ipynb was not submitted", [])
    else:
        status, message, hints = found["status"], found["message"], found["hints"]
    if row is not None and row.manual is not None:
        why = row.comment or reason or "set in formgrader"
        was = f"the grader gave {row.auto:g} ({status}{': ' + message if message else ''})" \
            if row.auto is not None else f"the grader gave no score ({status})"
        return CellResult(notebook, gid, score, points, "overridden", f"overridden: {why}; {was}", hints)
    return CellResult(notebook, gid, score, points, status, message, hints)


def assemble(ws: Workspace, student: str, assignment: str, kept: Kept | None,
             grades: dict[str, dict[str, GradeRow]], cells_layout: list[tuple[str, dict]] | None = None,
             when: tuple[datetime | None, Handed | None] = (None, None)) -> Record:
    """The Record of one student's assignment from what grading kept and the gradebook's grades (``when``: the
    assignment's due date and the submission's times, from ``gradebook.deadlines``)."""
    submitted = ws.has_submission(student, assignment)
    kept = kept if submitted else None
    reasons = override_reasons(ws, student, assignment) if kept is not None else {}
    cells = [_cell(notebook, cell, kept, grades.get(notebook, {}).get(cell["grade_id"]),
                   reasons.get(cell["grade_id"]), submitted)
             for notebook, cell in (cells_layout if cells_layout is not None else layout(ws, assignment))]
    score, top = sum(c.score for c in cells), sum(c.max_score for c in cells)
    record = Record(student, assignment, "missing", "no submission was collected", score, top, cells)
    due, handed = when
    due = due_for(due, handed.extension if handed is not None else None)
    record.due = iso(due)
    if not submitted:
        return record
    if kept is None:
        record.status, record.message = "failed", "collected but not graded yet: run nnlab-grade autograde"
        return record
    record.release, record.seconds, record.timing, record.log_tail = \
        kept.release, kept.seconds, dict(kept.timing), kept.log_tail
    late = None
    if handed is not None:
        late = late_by(handed.timestamp, due)
        record.submitted_at, record.submitted_from = iso(handed.timestamp), kept.submitted_from
        record.penalty = round(min(handed.penalty, score), 6)
        record.score = score - record.penalty
    record.late_by = duration(late) if late is not None else "unknown" if kept.late_unknown else ""
    if not kept.graded:
        record.status, record.message = "failed", kept.failure
        return record
    counts = {status: sum(c.status == status for c in cells) for status in
              ("needs_manual_grade", "overridden")}
    bad = sum(c.status not in ("passed", "overridden", "manually_graded", "needs_manual_grade", "not_answered")
              for c in cells)
    message = f"{record.score:g}/{top:g} points"
    if record.late_by:
        message += f"; late by {'an unknown amount' if record.late_by == 'unknown' else record.late_by}" + (
            f": {score:g} − {record.penalty:g} for lateness" if record.penalty else "")
    if bad:
        message += f"; {bad} test cells not passed"
    if counts["needs_manual_grade"]:
        message += f"; {counts['needs_manual_grade']} written answers to grade"
    if counts["overridden"]:
        message += f"; {counts['overridden']} cells overridden"
    if kept.stopped:
        message += f"; the run ended early: {kept.stopped}"
    if kept.flags:
        message += "; flagged: " + "; ".join(kept.flags)
    record.message = message
    record.status = ("needs_manual_grade" if counts["needs_manual_grade"] else "flagged" if kept.flags
                     else "graded")
    return record


def record_of(ws: Workspace, student: str, assignment: str) -> Record:
    """One submission's Record, as ``class_records`` would give it."""
    grades = gradebook.class_grades(ws.db_url, (student, assignment)).get((student, assignment), {})
    due, handed = gradebook.deadlines(ws.db_url, (student, assignment))
    return assemble(ws, student, assignment, load(ws, student, assignment), grades,
                    when=(due.get(assignment), handed.get((student, assignment))))


def class_records(ws: Workspace) -> list[Record]:
    """One Record per collected student × every assignment, the missing and the ungraded included; the gradebook
    is read once."""
    grades = gradebook.class_grades(ws.db_url)
    due, handed = gradebook.deadlines(ws.db_url)
    layouts = {a: layout(ws, a) for a in ws.assignments()}
    return [assemble(ws, student, assignment, load(ws, student, assignment), grades.get((student, assignment), {}),
                     layouts[assignment], (due.get(assignment), handed.get((student, assignment))))
            for student in ws.students() for assignment in layouts]
