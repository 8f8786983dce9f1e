"""The sample students' answers, read from the data files beside this module.

``roster.toml`` names the students and the notebooks each never handed in. ``<student>/<assignment>.txt`` holds
a student's own code for one notebook in the percent cell format (``# %% title``, as Jupytext and editors
write cells): under ``# %% <grade_id>``, the body the student typed in place of that solution cell's stub
(the stub itself where the student left it); under ``# %% in place of: <line>``, what the student wrote
instead of that line of an ungraded cell; under ``# %% <grade_id>`` of a written question, the student's
markdown answer. The files are data, not modules (hence ``.txt``): many are not valid Python on their own (bare
``return`` statements, a deliberate syntax error, markdown), so no tool should compile or lint them as code.
``written_grades.toml`` holds the teaching assistant's grades of the written answers.

Each student's plan is a dict ``assignment -> {grade_id -> body}`` (``EDITS`` -> ``[(line, replacement)]``
for the ungraded cells), or ``MISSING`` for a notebook not handed in.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

MISSING, EDITS = "MISSING", "EDITS"
HERE = Path(__file__).parent
CELL = re.compile(r"^# %% (.+)\n", re.M)
EDIT = "in place of: "


def answers(text: str) -> dict:
    """One answer file's cells: ``{grade_id: body}``, and the ungraded cells' edits under ``EDITS``."""
    head, *cells = CELL.split(text)
    if head.strip():
        raise ValueError(f"text before the first '# %%' cell: {head.strip()[:60]!r}")
    found: dict = {}
    for title, body in zip(cells[::2], cells[1::2]):
        if title.startswith(EDIT):
            found.setdefault(EDITS, []).append((title.removeprefix(EDIT), body.strip("\n")))
        else:
            found[title] = body.strip("\n")
    return found


def load(folder: Path = HERE) -> dict[str, dict]:
    """Every student's plan, from ``folder``'s roster and answer files."""
    roster = tomllib.loads((folder / "roster.toml").read_text(encoding="utf-8"))
    return {student: {path.stem: answers(path.read_text(encoding="utf-8"))
                      for path in sorted((folder / student).glob("*.txt"))} | dict.fromkeys(missing, MISSING)
            for student, missing in roster.items()}


def written_grades(folder: Path = HERE) -> dict[str, dict[str, dict[str, tuple[float, str]]]]:
    """The teaching assistant's grades, from ``folder``'s ``written_grades.toml``:
    ``{student: {assignment: {grade_id: (points, comment)}}}``."""
    table = tomllib.loads((folder / "written_grades.toml").read_text(encoding="utf-8"))
    return {student: {aid: {gid: (float(grade["points"]), grade["comment"]) for gid, grade in cells.items()}
                      for aid, cells in assignments.items()}
            for student, assignments in table.items()}


STUDENTS = load()
WRITTEN_GRADES = written_grades()
