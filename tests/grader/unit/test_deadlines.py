"""Deadlines: parsing times, how late, what the policy takes off, and where a submission's time comes from."""
import json
import os
from datetime import datetime, timedelta, timezone

import pytest

from autograder.commands.collect import arrival_note
from autograder.course.deadlines import (TIMESTAMP, arrival, arrival_path, duration, iso, late_by, parse_when,
                                         penalty_share)
from autograder.course.workspace import Workspace, write_json

DUE = datetime(2026, 10, 5, 21, 59)
PER_DAY = {"late_policy": "per-day", "late_per_day": 10.0, "late_max": 25.0}


def test_times_need_an_offset_and_are_kept_in_utc():
    assert parse_when("2026-10-05T23:59+02:00") == DUE
    assert parse_when("2026-10-05T21:59Z") == DUE
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_when("2026-10-05T23:59")
    with pytest.raises(ValueError, match="not an ISO 8601"):
        parse_when("next friday")
    assert iso(DUE) == "2026-10-05T21:59:00+00:00" and iso(None) == ""
    assert duration(timedelta(days=1, hours=2, minutes=5, seconds=13)) == "26:05:13"


@pytest.mark.parametrize("late, unknown, policy, share", [
    (None, False, PER_DAY, 0.0),                                 # on time
    (timedelta(seconds=1), False, PER_DAY, 0.10),                # a started day
    (timedelta(hours=24), False, PER_DAY, 0.10),                 # exactly one day
    (timedelta(hours=24, seconds=1), False, PER_DAY, 0.20),
    (timedelta(days=9), False, PER_DAY, 0.25),                   # capped
    (None, True, PER_DAY, 0.10),                                 # late by an unknown amount: one day
    (timedelta(hours=2), False, {"late_policy": "zero"}, 1.0),
    (timedelta(hours=2), False, {"late_policy": "none"}, 0.0),
])
def test_the_late_policy(late, unknown, policy, share):
    assert penalty_share(policy, late, unknown) == pytest.approx(share)


def test_late_by_is_none_when_on_time_or_unknown():
    assert late_by(DUE + timedelta(hours=2), DUE) == timedelta(hours=2)
    assert late_by(DUE, DUE) is None and late_by(None, DUE) is None and late_by(DUE, None) is None


def _submission(tmp_path, student="amy", assignment="01_perceptron"):
    ws = Workspace(tmp_path / "course", tmp_path / "source")
    folder = ws.submitted(student, assignment)
    folder.mkdir(parents=True)
    (folder / f"{assignment}.ipynb").write_text("{}")
    return ws, folder


def test_the_exchange_time_comes_first_and_a_distant_manifest_is_flagged(tmp_path):
    ws, folder = _submission(tmp_path)
    (folder / TIMESTAMP).write_text("2026-10-05 23:00:00.000000 UTC")
    ws.set_manifest("amy", "01_perceptron", {"packed_utc": "2026-10-05T21:00:00+00:00"})
    found = arrival(ws, "amy", "01_perceptron")
    assert (found.at, found.source) == (datetime(2026, 10, 5, 23), "exchange")
    assert found.flags and "packed at 2026-10-05T21:00:00+00:00" in found.flags[0]
    ws.set_manifest("amy", "01_perceptron", {"packed_utc": "2026-10-05T23:00:30+00:00"})    # within a minute
    assert arrival(ws, "amy", "01_perceptron").flags == []


def test_then_the_manifest_then_the_file_time_then_unknown(tmp_path):
    ws, folder = _submission(tmp_path)
    assert arrival(ws, "amy", "01_perceptron").source == "unknown"      # nothing said when: never late
    stamp = DUE.replace(tzinfo=timezone.utc).timestamp()
    os.utime(folder / "01_perceptron.ipynb", (stamp, stamp))
    write_json(arrival_path(ws, "amy", "01_perceptron"),
               arrival_note(None, False, [folder / "01_perceptron.ipynb"], from_folder=True))
    assert (arrival(ws, "amy", "01_perceptron").at, arrival(ws, "amy", "01_perceptron").source) == (DUE, "file")
    ws.set_manifest("amy", "01_perceptron", {"packed_utc": "2026-10-04T10:00:00+00:00"})
    assert arrival(ws, "amy", "01_perceptron").source == "manifest"
    note = arrival_note("canvas", False, [folder / "01_perceptron.ipynb"], from_folder=False)
    assert note["file_time"] is None                                    # an LMS download's file time is today's


def test_canvas_late_without_a_time_costs_a_day_and_is_flagged(tmp_path):
    ws, _ = _submission(tmp_path)
    write_json(arrival_path(ws, "amy", "01_perceptron"), {"lms": "canvas", "late": True, "file_time": None})
    found = arrival(ws, "amy", "01_perceptron")
    assert found.late_unknown and "Canvas marked it late" in found.flags[0]
    assert json.loads(arrival_path(ws, "amy", "01_perceptron").read_text())["late"] is True


def _gradebook_with_two_submissions(tmp_path) -> str:
    from nbgrader.api import Gradebook

    from autograder.integration import patches
    patches.apply()                                         # a new gradebook without nbgrader's alembic call
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db) as gb:
        gb.add_assignment("a1", duedate=DUE)
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("g1", "nb", "a1", max_score=2, cell_type="code")
        gb.add_solution_cell("s1", "nb", "a1")
        gb.add_grade_cell("s1", "nb", "a1", max_score=3, cell_type="markdown")
        gb.add_task_cell("t1", "nb", "a1", max_score=1, cell_type="markdown")     # graded and commented itself
        for student in ("amy", "bob"):
            gb.add_student(student)
            gb.add_submission("a1", student, timestamp=DUE + timedelta(hours=3 if student == "amy" else -1))
        gb.find_submission("a1", "amy").extension = timedelta(days=1)
        gb.db.commit()
    return db


def test_one_submissions_deadlines_are_its_row_of_the_whole_class(tmp_path):
    from autograder.course.gradebook import deadlines
    db = _gradebook_with_two_submissions(tmp_path)
    due, handed = deadlines(db)
    assert set(handed) == {("amy", "a1"), ("bob", "a1")} and due == {"a1": DUE}
    assert deadlines(db, ("amy", "a1")) == (due, {("amy", "a1"): handed[("amy", "a1")]})
    assert handed[("amy", "a1")].extension == timedelta(days=1)
    assert deadlines(db, ("carl", "a1")) == (due, {})


def test_an_outcome_is_saved_into_its_submissions_cells(tmp_path):
    from nbgrader.api import Gradebook

    from autograder.course.gradebook import save_outcome
    from autograder.pipeline.task import Outcome
    db = _gradebook_with_two_submissions(tmp_path)
    with Gradebook(db) as gb:                               # a written answer graded by hand before the regrade
        gb.find_grade("s1", "nb", "a1", "amy").manual_score = 2.0
        gb.db.commit()
    outcome = Outcome("amy", "a1", True)
    outcome.grades = {"nb": {"g1": 2.0, "s1": None, "gone": 1.0}, "other_nb": {"g1": 1.0}}
    outcome.comments = {"nb": {"s1": "No output.", "t1": "Task left to the grader.", "gone": "x"}}
    save_outcome(db, outcome, DUE)
    with Gradebook(db) as gb:
        code, written = gb.find_grade("g1", "nb", "a1", "amy"), gb.find_grade("s1", "nb", "a1", "amy")
        assert (code.auto_score, code.needs_manual_grade) == (2.0, False)
        assert (written.auto_score, written.manual_score, written.needs_manual_grade) == (None, 2.0, False)
        assert gb.find_comment("s1", "nb", "a1", "amy").auto_comment == "No output."
        assert gb.find_comment("t1", "nb", "a1", "amy").auto_comment == "Task left to the grader."
        assert gb.find_grade("g1", "nb", "a1", "bob").auto_score is None       # another student's cell: untouched
        assert gb.find_submission("a1", "amy").timestamp == DUE
