"""nbgrader's exchange end to end (autograder/commands/exchange.py): the instructor releases with nbgrader's own
``release_assignment``, two students fetch and submit with nbgrader's own commands (one of them twice), nnlab
collects from the inbound folder, grades and returns the feedback, and each student's ``fetch_feedback`` finds
their page. The gradebook's submission times are the exchange's."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.sample_class import fill, solution_bodies
from tests.conftest import REPO

pytestmark = pytest.mark.grader
AID = "01_perceptron"
CID = "nn101"
# `nbgrader`, less jsonschema's IRI grammar, which it builds at import when rfc3987_syntax is installed (seconds
# per command) and which no exchange command uses
NBGRADER = ("import sys; sys.modules['rfc3987_syntax'] = None; "
            "from nbgrader.apps.nbgraderapp import main; main()")


def nbgrader(*args: str, cwd: Path, exchange: Path, home: Path | None = None) -> str:
    """Run one of nbgrader's own commands, as the instructor (in the course folder) or a student (in their
    working folder, with a home of their own: nbgrader's submission cache lives there)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    if home is not None:
        env["HOME"] = str(home)
    done = subprocess.run([sys.executable, "-c", NBGRADER, *args, f"--Exchange.root={exchange}",
                           f"--CourseDirectory.course_id={CID}"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def inbound(exchange: Path, student: str) -> list[Path]:
    """A student's submission folders in the exchange, oldest first (the time is the name's third part)."""
    return sorted((exchange / CID / "inbound").glob(f"{student}+{AID}+*"), key=lambda p: p.name.split("+")[2])


def test_collect_grade_and_return_feedback_through_the_exchange(tmp_path, capsys):
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    source, course, exchange = tmp_path / "source", tmp_path / "course", tmp_path / "exchange"
    (source / AID).mkdir(parents=True)
    shutil.copy(REPO / "solutions" / AID / f"{AID}.ipynb", source / AID)
    args = ["--no-sandbox", "--course", str(course), "--source", str(source)]

    # a course without a course id cannot use the exchange: one line (the command still made the course)
    assert main(args + ["collect", "--exchange", str(exchange)]) == 1
    assert "no course id: set c.CourseDirectory.course_id in" in capsys.readouterr().err
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"c.CourseDirectory.course_id = {CID!r}\n")
    nbgrader("release_assignment", AID, cwd=course, exchange=exchange)

    def student(name: str, submissions: int) -> None:
        """Fetch and submit; a second submission is the solved notebook (the later one is the one graded)."""
        home, work = tmp_path / name / "home", tmp_path / name / "work"
        home.mkdir(parents=True), work.mkdir()
        nbgrader("fetch_assignment", AID, cwd=work, exchange=exchange, home=home)
        nbgrader("submit", AID, f"--student={name}", cwd=work, exchange=exchange, home=home)
        if submissions == 2:
            mine = work / AID / f"{AID}.ipynb"
            nbformat.write(fill(mine, {}, solution_bodies(source / AID / f"{AID}.ipynb")), mine)
            nbgrader("submit", AID, f"--student={name}", cwd=work, exchange=exchange, home=home)

    with ThreadPoolExecutor(2) as pool:           # the students work at the same time, as in a class
        list(pool.map(student, ("alice", "ben"), (1, 2)))
    (exchange / CID / "inbound" / "not-a-submission").mkdir()
    (exchange / CID / "inbound" / "carol+99_unknown+2026-01-05 10:00:00.000000 UTC+xyz").mkdir()
    _, second = inbound(exchange, "ben")

    assert main(args + ["collect", "--exchange", str(exchange)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("rejected: inbound/not-a-submission (not <student>+<assignment>+") for line in lines)
    assert ("ignored: inbound/carol+99_unknown+2026-01-05 10:00:00.000000 UTC+xyz (not an assignment of this "
            "course)") in lines
    assert lines[-1] == "collected 2 submissions from 2 students"
    assert (course / "submitted" / "ben" / AID / f"{AID}.ipynb").read_bytes() == \
        (second / f"{AID}.ipynb").read_bytes()
    assert not (course / "submitted" / "ben" / AID / "submission_secret.txt").exists()

    assert main(args + ["autograde", "--workers", "1"]) == 0
    assert main(args + ["feedback", "--exchange", str(exchange)]) == 0
    out = capsys.readouterr().out
    assert f"released 2 feedback pages of 2 students into {exchange / CID / 'feedback'}" in out

    # the gradebook's submission times are the exchange's; the second submission won and was graded
    assert main(args + ["export", "--to", str(tmp_path / "export")]) == 0
    with open(tmp_path / "export" / "grades.csv") as grades:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(grades)}
    assert scores["alice"] == 0 and scores["ben"] > 0, scores
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, folder in (("alice", inbound(exchange, "alice")[0]), ("ben", second)):
            stamp = (folder / "timestamp.txt").read_text()
            assert gb.find_submission(AID, student).timestamp == parse_utc(stamp), student
            assert (course / "submitted" / student / AID / "timestamp.txt").read_text() == stamp

    # each student fetches their own page, filed under the time of the submission it grades
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda name: nbgrader("fetch_feedback", AID, f"--student={name}", cwd=tmp_path / name / "work",
                                            exchange=exchange, home=tmp_path / name / "home"), ("alice", "ben")))
    for student, folder in (("alice", inbound(exchange, "alice")[0]), ("ben", second)):
        work = tmp_path / student / "work"
        stamp = (folder / "timestamp.txt").read_text()
        fetched = work / AID / "feedback" / stamp / f"{AID}.html"
        assert fetched.read_bytes() == (course / "feedback" / student / AID / f"{AID}.html").read_bytes(), student
    assert [p.name for p in (tmp_path / "ben" / "work" / AID / "feedback").iterdir()] == \
        [(second / "timestamp.txt").read_text()]          # the first submission's page: never released
