"""A term's grading, scripted as an instructor lives it: grade, override a cell, grade a written answer the way
formgrader does, regrade, fix a typo in a source notebook mid-assignment and regrade — with every affected figure
checked in grades.csv, cells.csv, the class report and the feedback. One gradebook holds every score."""
import csv
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.sample_class import fill, solution_bodies
from tests.conftest import REPO

pytestmark = pytest.mark.grader
AID = "01_perceptron"
WRITTEN = f"{AID}_written_xor_impossible"        # 3 points
OTHER_WRITTEN = f"{AID}_written_negated_gate"    # 2 points
BLANK = f"{AID}_written_linear_hidden"           # left as released: nbgrader scores it 0 by itself
REASON = "right idea, the output is a scalar instead of an array: the class agreed on 1 point"


def _hand_in(release: Path, folder: Path, answers: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    defaults = solution_bodies(REPO / "solutions" / AID / f"{AID}.ipynb")
    nbformat.write(fill(release / AID / f"{AID}.ipynb", answers, defaults), folder / f"{AID}.ipynb")


def _export(args, dest: Path) -> tuple[dict, dict]:
    assert main(args + ["export", "--to", str(dest)]) == 0
    grades = {r["student_id"]: r for r in csv.DictReader(open(dest / "grades.csv"))}
    cells = {(r["student_id"], r["grade_id"]): r for r in csv.DictReader(open(dest / "cells.csv"))}
    return grades, cells


def _formgrader_grades(course: Path, student: str, grade_id: str, points: float, comment: str) -> None:
    """What formgrader's grade and comment handlers do when a score and a comment are typed in (nbgrader's
    formgrader/apihandlers.py: manual_score, needs_manual_grade, manual_comment)."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade(grade_id, AID, AID, student)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gb.find_comment(grade_id, AID, AID, student).manual_comment = comment
        gb.db.commit()


def test_a_term_of_grading_keeps_one_gradebook(tmp_path, capsys):
    source, course, klass = tmp_path / "source", tmp_path / "course", tmp_path / "class"
    shutil.copytree(REPO / "solutions" / AID, source / AID)
    args = ["--course", str(course), "--source", str(source), "--no-sandbox", "--cell-timeout", "20"]
    _hand_in(REPO / "notebooks", klass / "amy" / AID, {
        WRITTEN: "Adding the conditions for (1,0) and (0,1) contradicts the one for (1,1), so no line works.",
        OTHER_WRITTEN: "It gives AND; negating w and b gives NOR, not NAND."})
    _hand_in(REPO / "notebooks", klass / "bob" / AID, {"perceptron": "return 0"})
    assert main(args + ["collect", str(klass)]) == 0
    assert main(args + ["autograde", "--workers", "1"]) == 0
    assert "every submission was compared with its assignment's current release" in capsys.readouterr().out

    # 1. graded: the written answers count in the maximum and wait for a grade
    grades, cells = _export(args, tmp_path / "e1")
    assert (grades["amy"]["score"], grades["amy"]["max_score"], grades["amy"]["status"]) == \
        ("12", "19", "needs_manual_grade")
    assert grades["amy"]["message"] == "12/19 points; 2 written answers to grade"
    assert (grades["bob"]["score"], grades["bob"]["status"], grades["bob"]["release"]) == ("9", "graded", "1")
    assert (cells[("bob", "perceptron_visible")]["score"], cells[("bob", "perceptron_visible")]["status"]) == \
        ("0", "failed")
    assert cells[("amy", WRITTEN)]["status"] == "needs_manual_grade"
    assert (cells[("amy", BLANK)]["score"], cells[("amy", BLANK)]["status"]) == ("0", "not_answered")

    # 2. an override, with its reason, in every output
    assert main(args + ["override", "bob", AID, "perceptron_visible", "1", "--reason", REASON]) == 0
    assert "01_perceptron is now 10/19, graded" in capsys.readouterr().out
    assert main(args + ["override", "bob", AID, "perceptron_visible", "5", "--reason", "x"]) == 1
    assert "worth 0 to 1 points, not 5" in capsys.readouterr().err
    grades, cells = _export(args, tmp_path / "e2")
    row = cells[("bob", "perceptron_visible")]
    assert (row["score"], row["status"]) == ("1", "overridden")
    assert row["message"].startswith(f"overridden: {REASON}; the grader gave 0 (failed: perceptron:")
    assert grades["bob"]["score"] == "10" and "1 cells overridden" in grades["bob"]["message"]

    # 3. a teaching assistant grades amy's written answers in formgrader
    _formgrader_grades(course, "amy", WRITTEN, 2.5, "The contradiction is right; say which inequalities you add.")
    _formgrader_grades(course, "amy", OTHER_WRITTEN, 2, "Correct.")
    grades, cells = _export(args, tmp_path / "e3")
    assert (grades["amy"]["score"], grades["amy"]["status"]) == ("16.5", "graded")
    assert (cells[("amy", WRITTEN)]["score"], cells[("amy", WRITTEN)]["status"], cells[("amy", WRITTEN)]["message"]) \
        == ("2.5", "manually_graded", "The contradiction is right; say which inequalities you add.")

    # 4. both survive a forced regrade, and show in the report and the feedback
    assert main(args + ["autograde", "--force", "--workers", "1"]) == 0
    assert main(args + ["report", "--to", str(tmp_path / "report")]) == 0
    assert main(args + ["feedback"]) == 0
    capsys.readouterr()
    after_force = _export(args, tmp_path / "e4")
    assert after_force == (grades, cells)
    report = (tmp_path / "report" / "report.html").read_text()
    assert REASON in report and "Scores set by hand" in report
    bob_page = (course / "feedback" / "bob" / AID / f"{AID}.html").read_text()
    assert f"Score set by hand: {REASON}" in bob_page
    amy_page = (course / "feedback" / "amy" / AID / f"{AID}.html").read_text()
    assert "say which inequalities you add" in amy_page

    # 5. a typo fixed in a test cell: a new release; nobody is flagged, everyone is regraded with the new tests
    nb = nbformat.read(source / AID / f"{AID}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "logic_gate_visible")
    cell.source += "\n# (typo fixed: the gates' table is checked row by row)"
    nbformat.write(nb, source / AID / f"{AID}.ipynb")
    assert main(args + ["release", "--to", str(tmp_path / "release")]) == 0    # the fixed student notebooks
    _hand_in(tmp_path / "release", klass / "carol" / AID, {})       # a late student gets the fixed release
    assert main(args + ["collect", str(klass)]) == 0
    assert main(args + ["autograde", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 submissions compared with release 1, graded with release 2's tests (amy, bob)" in out
    assert "carol" not in out.split("graded with release 2's tests")[1]
    grades, cells = _export(args, tmp_path / "e5")
    assert [(s, r["score"], r["status"], r["release"]) for s, r in sorted(grades.items())] == [
        ("amy", "16.5", "graded", "1"), ("bob", "10", "graded", "1"), ("carol", "12", "graded", "2")]
    assert not any("flagged" in r["message"] for r in grades.values())
    assert cells[("bob", "perceptron_visible")]["status"] == "overridden"
    print("\nthe term's grade rows:", *(",".join(r.values()) for _, r in sorted(grades.items())), sep="\n")

    # 6. the override removed: the grader's score counts again
    assert main(args + ["override", "bob", AID, "perceptron_visible", "--clear"]) == 0
    grades, cells = _export(args, tmp_path / "e6")
    assert (grades["bob"]["score"], cells[("bob", "perceptron_visible")]["status"]) == ("9", "failed")
