"""Manual grading in formgrader, as an instructor does it, reaches grades.csv and cells.csv.

A one-student class (amy: the instructor's code and an answer to one written question) is collected and
autograded with the real ``nnlab-grade``; its export says the submission needs a manual grade. In JupyterLab's
formgrader (Manual Grading → the assignment → the notebook → the submission) the instructor types a score for the
written answer and overrides a passed visible test with 0; each score is saved through formgrader's REST API
and read back from the gradebook. The next export carries both: the written cell ``manually_graded``, the test
cell ``overridden``, and the submission ``graded`` (or ``flagged``) with the sum of its cells. Screenshots of the
submission list and of each score entered go to tests/browser/artifacts/.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from tests.browser.conftest import Lab, screenshot
from tests.conftest import REPO

AID, STUDENT = "01_perceptron", "amy"
WRITTEN = "01_perceptron_written_negated_gate"          # 2 points, the one written question amy answers
ANSWER = "Negating the unit flips the signs of w and b, and moves the threshold by a small epsilon."
OVERRIDDEN = "perceptron_visible"                        # 1 point, passed, taken back by the instructor
TYPED, OVERRIDE = 1.5, 0.0

# formgrader's page defines `formgrader`; its score boxes work once the submission's grades are loaded
GRADES_LOADED = "() => !!(window.formgrader && formgrader.grades && formgrader.grades.loaded)"


def nnlab_grade(course: Path, *argv: str):
    """The real command line, on a course whose source is the one assignment (a sync generates only that one)."""
    source = course.parent / "source"
    if not source.exists():
        shutil.copytree(REPO / "solutions" / AID, source / AID)
    grader = Path(sys.executable).parent / "nnlab-grade"
    done = subprocess.run([str(grader), "--course", str(course), "--source", str(source), "--no-sandbox", *argv],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"nnlab-grade {' '.join(argv)}: {done.stderr[-2000:]}"


def one_student_class(dest: Path) -> Path:
    """amy's submission: the release notebook with the instructor's code in every stub and one written answer."""
    from autograder.sample_class import fill, solution_bodies
    nb = fill(REPO / "notebooks" / AID / f"{AID}.ipynb", {},
              solution_bodies(REPO / "solutions" / AID / f"{AID}.ipynb"))
    answered = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN]
    assert len(answered) == 1, f"{AID} has no written cell {WRITTEN}"
    answered[0].source = ANSWER
    folder = dest / STUDENT / AID
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{AID}.ipynb")
    return dest


def exported(course: Path, dest: Path) -> tuple[dict, dict]:
    """amy's row of grades.csv and her cells.csv rows by grade id, from a fresh ``nnlab-grade export``."""
    nnlab_grade(course, "export", "--to", str(dest))
    with open(dest / "grades.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r["student_id"], r["assignment"]) == (STUDENT, AID)]
    with open(dest / "cells.csv", newline="") as f:
        cells = {r["grade_id"]: r for r in csv.DictReader(f) if (r["student_id"], r["assignment"]) == (STUDENT, AID)}
    assert len(rows) == 1, rows
    return rows[0], cells


def manual_scores(course: Path) -> dict[str, float | None]:
    """The manual scores of the two cells the instructor scored, read from the gradebook with nbgrader's API."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {gid: gb.find_grade(gid, AID, AID, STUDENT).manual_score for gid in (WRITTEN, OVERRIDDEN)}


def enter_score(page, grade_id: str, score: float):
    """Type a score into a cell's score box and Tab out of it, waiting for formgrader's PUT of that grade.

    Leaving the box is what saves it ("change"). Tab rather than formgrader's Escape shortcut: offline, the page's
    MathJax (from a CDN) never loads, its script stops before registering the shortcuts, and Escape does nothing;
    Tab moves the focus either way."""
    box = page.locator(f'input.score[id="{grade_id}"]')
    box.scroll_into_view_if_needed()
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT",
                              timeout=30_000) as saved:
        box.fill(f"{score:g}")
        box.press("Tab")
    assert saved.value.ok, f"formgrader did not save {grade_id}: HTTP {saved.value.status}"
    assert saved.value.json()["manual_score"] == score, saved.value.json()


def test_a_manual_score_in_formgrader_reaches_the_export(browser, page, tmp_path):
    course, export = tmp_path / "course", tmp_path / "export"
    nnlab_grade(course, "collect", str(one_student_class(tmp_path / "class")))
    nnlab_grade(course, "autograde", AID)
    before, before_cells = exported(course, export)
    assert before["status"] == "needs_manual_grade", f"{before['status']}: {before['message']}"
    assert before_cells[WRITTEN]["status"] == "needs_manual_grade", before_cells[WRITTEN]

    server = Lab(course, tmp_path / "home", cwd=course)
    try:
        page.goto(server.url("/formgrader"))
        page.locator("a", has_text="Manual Grading").first.click()
        page.locator("table a", has_text=AID).first.click(timeout=60_000)
        page.locator("table a", has_text=AID).first.click(timeout=60_000)       # the assignment's notebook
        screenshot(page, "formgrader-submissions")
        page.locator("table a.name-hidden", has_text="Submission #1").click(timeout=60_000)
        page.wait_for_function(GRADES_LOADED, timeout=60_000, polling=250)
        page.get_by_text(ANSWER[:40]).wait_for(timeout=30_000)                   # amy's answer is on the page
        enter_score(page, WRITTEN, TYPED)
        screenshot(page, "formgrader-written-score")
        enter_score(page, OVERRIDDEN, OVERRIDE)
        screenshot(page, "formgrader-override")
    finally:
        server.stop()
    assert manual_scores(course) == {WRITTEN: TYPED, OVERRIDDEN: OVERRIDE}

    row, cells = exported(course, export)
    written, overridden = cells[WRITTEN], cells[OVERRIDDEN]
    assert (float(written["score"]), written["status"]) == (TYPED, "manually_graded"), written
    assert (float(overridden["score"]), overridden["status"]) == (OVERRIDE, "overridden"), overridden
    assert float(row["score"]) == sum(float(c["score"]) for c in cells.values()), (row, cells)
    changed = TYPED - float(before_cells[WRITTEN]["score"]) + OVERRIDE - float(before_cells[OVERRIDDEN]["score"])
    assert float(row["score"]) == float(before["score"]) + changed, (before, row)
    assert row["status"] in ("graded", "flagged"), f"{row['status']}: {row['message']}"
