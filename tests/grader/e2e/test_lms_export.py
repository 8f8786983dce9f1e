"""Grades back into Canvas and Moodle (autograder/commands/lms_export.py) from a real gradebook: the instructor's
Canvas gradebook export and Moodle grading worksheet (hand-written in the documented formats, under lms_export/)
filled with grades.csv's scores, every other cell, row, byte-order mark and line ending kept, every student that
cannot be matched listed; and the feedback pages packed as Moodle's feedback zip."""
from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.commands.lms import Roster
from autograder.commands.lms_export import fill_canvas, moodle_folder
from autograder.pipeline.results import Record
from autograder.sample_class import fill, solution_bodies
from tests.conftest import REPO

pytestmark = pytest.mark.grader
AID = "01_perceptron"
HERE = Path(__file__).parent / "lms_export"
HEADER = "Perceptron, lab 1 (90001)"


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """amy graded for real (a written answer then graded 2.5 by hand); cara and zed enrolled with nothing handed in
    (zed is not in the roster); bob and dan, in the roster and the LMS files, never collected."""
    root = tmp_path_factory.mktemp("lms-export")
    shutil.copytree(REPO / "solutions" / AID, root / "source" / AID)
    defaults = solution_bodies(REPO / "solutions" / AID / f"{AID}.ipynb")
    (root / "class" / "amy" / AID).mkdir(parents=True)
    nbformat.write(fill(REPO / "notebooks" / AID / f"{AID}.ipynb", {}, defaults),
                   root / "class" / "amy" / AID / f"{AID}.ipynb")
    args = ["--course", str(root / "course"), "--source", str(root / "source"), "--no-sandbox"]
    assert main(args + ["collect", str(root / "class")]) == 0
    assert main(args + ["autograde", "--workers", "1"]) == 0
    assert main(args + ["override", "amy", AID, f"{AID}_written_xor_impossible", "2.5", "--reason", "half"]) == 0
    for student in ("cara", "zed"):
        (root / "course" / "submitted" / student).mkdir()
    assert main(args + ["export", "--to", str(root / "export")]) == 0
    grades = {r["student_id"]: r for r in csv.DictReader(open(root / "export" / "grades.csv"))}
    assert {s: grades[s]["status"] for s in grades} == {"amy": "graded", "cara": "missing", "zed": "missing"}
    return root, args, grades


def _unchanged_except(before: list[list[str]], after: list[list[str]], filled: dict[tuple[int, int], str]) -> None:
    assert len(after) == len(before) and [len(r) for r in after] == [len(r) for r in before]
    for i, row in enumerate(before):
        for j, cell in enumerate(row):
            assert after[i][j] == filled.get((i, j), cell), (i, j)


def test_canvas_gradebook_filled_through_the_roster(course, capsys):
    root, args, grades = course
    gradebook, roster = HERE / "canvas_gradebook.csv", HERE / "roster.csv"
    lms = ["export", "--to", str(root / "canvas"), "--lms", "canvas", "--roster", str(roster),
           "--gradebook", str(gradebook)]
    assert main(args + lms) == 0                         # the column is not named after the assignment
    lines = capsys.readouterr().out.splitlines()
    assert (f"{AID}: not written: the Canvas file has no column for it (give --column {AID}=HEADER)") in lines
    assert _rows((root / "canvas" / "canvas_import.csv").read_bytes()) == _rows(gradebook.read_bytes())

    assert main(args + lms + ["--column", f"{AID}={HEADER}"]) == 0
    lines = capsys.readouterr().out.splitlines()
    raw_in, raw_out = gradebook.read_bytes(), (root / "canvas" / "canvas_import.csv").read_bytes()
    assert raw_out.startswith(b"\xef\xbb\xbf") and b"\r" not in raw_out      # the BOM and "\n" kept
    before, after = _rows(raw_in), _rows(raw_out)
    col = before[0].index(HEADER)
    # amy matched by Canvas ID; bob and dan (matched by SIS User ID) handed nothing in: left as they were
    filled = {(3, col): grades["amy"]["score"]}
    assert grades["amy"]["score"] == "14.5"
    _unchanged_except(before, after, filled)
    changed = {i for i, _ in filled}
    assert [line for i, line in enumerate(raw_out.split(b"\n")) if i not in changed] == \
        [line for i, line in enumerate(raw_in.split(b"\n")) if i not in changed]
    assert f"{AID}: 1 scores written into column '{HEADER}'" in lines
    assert f"{AID}: 2 students had no submission: left empty" in lines
    assert "unmatched: 'Student, Test' (Canvas ID 99999) is in the Canvas file but not in the roster: row kept as " \
           "it was" in lines
    assert "unmatched: 'Max, \"Maxi\" Mustermann' (Canvas ID 77777) is in the Canvas file but not in the roster: " \
           "row kept as it was" in lines
    assert "unmatched: cara is in nnlab but not in the Canvas file (Canvas id 34567)" in lines
    assert "unmatched: zed is in nnlab but not in the Canvas file (nor in the roster)" in lines

    assert main(args + lms + ["--column", f"{AID}=Nope (1)"]) == 1
    assert "the Canvas file has no column 'Nope (1)' (nnlab never adds one" in capsys.readouterr().err
    assert main(args + ["export", "--to", str(root / "x"), "--lms", "canvas", "--roster", str(roster)]) == 1
    assert "--lms canvas needs --roster and --gradebook" in capsys.readouterr().err
    assert main(args + ["export", "--to", str(root / "x"), "--roster", str(roster)]) == 1
    assert "go with --lms canvas|moodle" in capsys.readouterr().err


def test_moodle_worksheet_filled_in_its_number_format(course, capsys):
    root, args, grades = course
    worksheet = HERE / "moodle_worksheet.csv"
    assert main(args + ["export", "--to", str(root / "moodle"), "--lms", "moodle", "--roster",
                        str(HERE / "roster.csv"), "--worksheet", str(worksheet), "--assignment", AID]) == 0
    lines = capsys.readouterr().out.splitlines()
    raw_in, raw_out = worksheet.read_bytes(), (root / "moodle" / f"moodle_import_{AID}.csv").read_bytes()
    assert not raw_out.startswith(b"\xef\xbb\xbf") and raw_out.count(b"\r\n") == raw_in.count(b"\r\n")
    before, after = _rows(raw_in), _rows(raw_out)
    col = before[0].index("Grade")
    as_moodle = f"{float(grades['amy']['score']):.2f}".replace(".", ",")
    assert as_moodle == "14,50"
    _unchanged_except(before, after, {(1, col): as_moodle})        # bob's "3,00" kept: nothing collected from him
    assert f"{AID}: 1 scores written into the Grade column" in lines
    assert f"{AID}: 2 students had no submission: left empty" in lines
    assert "unmatched: Participant 190 is in the Moodle worksheet but not in the roster: row kept as it was" in lines
    assert "unmatched: zed is in nnlab but not in the Moodle file (nor in the roster)" in lines


def test_moodle_feedback_zip(course, capsys):
    root, args, _ = course
    out = root / "feedback.zip"
    assert main(args + ["feedback", "--lms", "moodle", "--zip", str(out), "--roster", str(HERE / "roster.csv")]) == 1
    assert "--lms moodle needs --zip OUT.zip, --roster FILE and --assignment ID" in capsys.readouterr().err
    assert main(args + ["feedback", "--lms", "moodle", "--zip", str(out), "--roster", str(HERE / "roster.csv"),
                        "--assignment", AID]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "unmatched: zed has feedback but no moodle_participant_id in the roster: not packed" in lines
    names = sorted(zipfile.ZipFile(out).namelist())
    assert names == [f"Amy Lovelace_181_assignsubmission_file_/{AID}.html",
                     f"Cara Zhou_183_assignsubmission_file_/{AID}.html"]
    course_dir = root / "course" / "feedback"
    with zipfile.ZipFile(out) as zf:
        assert zf.read(names[0]) == (course_dir / "amy" / AID / f"{AID}.html").read_bytes()


def test_canvas_column_found_by_the_name_before_its_id():
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", f"{AID} (90001)"],
            ["    Points Possible", "", "", "", "", "20.00"], ["Doe, Jane", "7", "", "", "A", ""],
            ["O'Brien, Bob", "8", "S-0002", "bob", "A", "1"]]
    records = [Record("jdoe", AID, "graded", "", 12.25, 19.0), Record("bob", AID, "graded", "", 9.0, 19.0)]
    out, lines = fill_canvas(rows, records, [AID], Roster({"7": "jdoe"}, {}), {"SIS User ID": {"S-0002": "bob"}}, {},
                             Path("x.csv"))
    assert (out[2][5], out[3][5]) == ("12.25", "9") and (rows[2][5], rows[3][5]) == ("", "1")
    assert f"{AID}: Canvas gives it 20 points, nnlab 19: the scores written are nnlab's points" in lines
    assert moodle_folder("Ann_Lee: B/C", "7") == "Ann Lee BC_7_assignsubmission_file_"
