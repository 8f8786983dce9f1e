"""A term's logistics, scripted: release through nbgrader's exchange, three students (on time; two hours late;
late with an extension) hand in with nbgrader's own commands, a due date set and then moved, a late policy,
collection from the exchange, and grades back to Canvas and Moodle — every figure checked in grades.csv, the
class report and the LMS files."""
import csv
import shutil
from datetime import datetime, timedelta

import nbformat
import pytest

from autograder.cli import main
from autograder.sample_class import fill, solution_bodies
from tests.conftest import REPO
from tests.grader.e2e.test_exchange import AID, CID, inbound, nbgrader

pytestmark = pytest.mark.grader
DUE = datetime(2026, 10, 5, 21, 59)                  # UTC; the command is given it in Berlin's summer time
HANDED_IN = {"amy": DUE - timedelta(hours=1), "bob": DUE + timedelta(hours=2), "cara": DUE + timedelta(hours=30)}
EXTENDED = "2026-10-07T12:00:00+00:00"               # cara's own due date


def _rows(path) -> dict:
    return {r["student_id"]: r for r in csv.DictReader(open(path, encoding="utf-8-sig"))}


def test_a_term_of_deadlines_exchange_and_lms(tmp_path, capsys):
    source, course, exchange = tmp_path / "source", tmp_path / "course", tmp_path / "exchange"
    (source / AID).mkdir(parents=True)
    shutil.copy(REPO / "solutions" / AID / f"{AID}.ipynb", source / AID)
    args = ["--no-sandbox", "--course", str(course), "--source", str(source), "--cell-timeout", "20"]
    assert main(args + ["export", "--to", str(tmp_path / "e0")]) == 0           # creates the course
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"c.CourseDirectory.course_id = {CID!r}\n")
    nbgrader("release_assignment", AID, cwd=course, exchange=exchange)
    answers = solution_bodies(source / AID / f"{AID}.ipynb")
    for name in HANDED_IN:
        home, work = tmp_path / name / "home", tmp_path / name / "work"
        home.mkdir(parents=True), work.mkdir()
        nbgrader("fetch_assignment", AID, cwd=work, exchange=exchange, home=home)
        mine = work / AID / f"{AID}.ipynb"
        nbformat.write(fill(mine, answers if name != "bob" else answers | {"perceptron": "return 0"}, {}), mine)
        nbgrader("submit", AID, f"--student={name}", cwd=work, exchange=exchange, home=home)
        # when each handed in: the exchange writes the time it received the work
        (inbound(exchange, name)[-1] / "timestamp.txt").write_text(f"{HANDED_IN[name]:%Y-%m-%d %H:%M:%S.%f} UTC")

    assert main(args + ["duedate", AID, "2026-10-05T23:59+02:00"]) == 0
    assert main(args + ["extension", "cara", AID, EXTENDED]) == 0
    assert main(args + ["late-policy", "--per-day", "10", "--max", "50"]) == 0
    assert main(args + ["collect", "--exchange", str(exchange)]) == 0
    assert main(args + ["autograde", "--workers", "1"]) == 0
    capsys.readouterr()

    # on time, two hours late (one started day: 10% of 19 points), late within an extension
    assert main(args + ["export", "--to", str(tmp_path / "e1")]) == 0
    grades = _rows(tmp_path / "e1" / "grades.csv")
    got = {s: (r["score"], r["submitted_at"], r["due"], r["late_by"], r["penalty"]) for s, r in grades.items()}
    assert got == {
        "amy": ("12", "2026-10-05T20:59:00+00:00", "2026-10-05T21:59:00+00:00", "", "0"),
        "bob": ("7.1", "2026-10-05T23:59:00+00:00", "2026-10-05T21:59:00+00:00", "2:00:00", "1.9"),
        "cara": ("12", "2026-10-07T03:59:00+00:00", EXTENDED, "", "0")}
    assert "late by 2:00:00: 9 − 1.9 for lateness" in grades["bob"]["message"]
    assert main(args + ["report", "--to", str(tmp_path / "report")]) == 0
    report = (tmp_path / "report" / "report.html").read_text()
    assert "<h2>Late work</h2>" in report and "2:00:00" in report and "2026-10-05T23:59:00+00:00" in report

    # the due date moves a day later: bob is on time; cara's extension keeps the date it gave
    assert main(args + ["duedate", AID, "2026-10-06T23:59+02:00"]) == 0
    assert "0 of 3 submissions late" in capsys.readouterr().out
    assert main(args + ["export", "--to", str(tmp_path / "e2")]) == 0
    grades = _rows(tmp_path / "e2" / "grades.csv")
    assert {s: (r["score"], r["due"], r["late_by"]) for s, r in grades.items()} == {
        "amy": ("12", "2026-10-06T21:59:00+00:00", ""), "bob": ("9", "2026-10-06T21:59:00+00:00", ""),
        "cara": ("12", EXTENDED, "")}

    # back: and a stricter policy (zero) costs bob everything; an unknown time is never late
    assert main(args + ["duedate", AID, "2026-10-05T23:59+02:00"]) == 0
    assert main(args + ["late-policy", "--zero"]) == 0
    assert main(args + ["export", "--to", str(tmp_path / "e3")]) == 0
    grades = _rows(tmp_path / "e3" / "grades.csv")
    assert {s: (r["score"], r["penalty"]) for s, r in grades.items()} == \
        {"amy": ("12", "0"), "bob": ("0", "9"), "cara": ("12", "0")}           # what was taken: all 9

    # grades back into the LMSs: the instructor's own export files, every other cell kept
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,canvas_user_id,moodle_participant_id\namy,Amy Adams,101,201\n"
                      "bob,\"Brown, Bob\",102,202\ncara,Cara Chen,103,203\n")
    canvas = tmp_path / "canvas.csv"
    canvas.write_text("Student,ID,SIS User ID,SIS Login ID,Section,01_perceptron (5501),Final Score\n"
                      "    Points Possible,,,,,19,\n"
                      "\"Adams, Amy\",101,,amy,NN 101,,\n\"Brown, Bob\",102,,bob,NN 101,,\n"
                      "\"Chen, Cara\",103,,cara,NN 101,,\n\"Student, Test\",999,,,NN 101,,\n")
    assert main(args + ["export", "--lms", "canvas", "--roster", str(roster), "--gradebook", str(canvas),
                        "--to", str(tmp_path / "lms")]) == 0
    out = list(csv.reader(open(tmp_path / "lms" / "canvas_import.csv", encoding="utf-8-sig")))
    original = list(csv.reader(open(canvas)))
    assert [row[:5] + row[6:] for row in out] == [row[:5] + row[6:] for row in original]   # only the column
    assert {row[1]: row[5] for row in out[2:]} == {"101": "12", "102": "0", "103": "12", "999": ""}
    moodle = tmp_path / "worksheet.csv"
    moodle.write_text("Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
                      "Last modified (submission),Last modified (grade),Feedback comments\n"
                      + "".join(f"Participant {pid},{name},{sid}@uni.example,Submitted for grading,,19.00,Yes,"
                                f"\"Monday, 5 October 2026, 11:59 PM\",-,\n"
                                for pid, name, sid in ((201, "Amy Adams", "amy"), (202, "Bob Brown", "bob"),
                                                       (203, "Cara Chen", "cara"))))
    assert main(args + ["export", "--lms", "moodle", "--roster", str(roster), "--worksheet", str(moodle),
                        "--assignment", AID, "--to", str(tmp_path / "lms")]) == 0
    sheet = {r["Identifier"]: r for r in csv.DictReader(open(tmp_path / "lms" / f"moodle_import_{AID}.csv",
                                                            encoding="utf-8-sig"))}
    assert {k: r["Grade"] for k, r in sheet.items()} == \
        {"Participant 201": "12.00", "Participant 202": "0.00", "Participant 203": "12.00"}
    print("\nthe term's grade rows:", *(",".join(r.values()) for _, r in sorted(grades.items())), sep="\n")
