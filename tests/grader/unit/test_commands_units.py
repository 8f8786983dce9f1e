"""Unit tests of the grader commands' pure parts: extracting a submitted zip safely, and the class's grade
table that ``autograde`` and ``make demo`` print. (End to end, tests/grader/e2e/test_grader.py and tests/grader/e2e/test_lms.py.)"""
from __future__ import annotations

import stat
import zipfile

from autograder.commands.collect import Collected, safe_extract
from autograder.commands.export import grade_table
from autograder.pipeline.grading import CellResult, Record


def _zip(path, entries):
    """A zip of ``(name, data)`` entries; ``data=None`` writes a symbolic link to /etc/passwd."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            if data is None:
                info = zipfile.ZipInfo(name)
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(info, "/etc/passwd")
            else:
                zf.writestr(name, data)
    return path


def test_safe_extract_keeps_the_folder_and_rejects_every_escape(tmp_path):
    archive = _zip(tmp_path / "class.zip", [
        ("ada/02_forward_pass/02_forward_pass.ipynb", b"{}"),
        ("ada/", b""),                                  # a folder entry: nothing to write
        ("../outside.ipynb", b"x"),
        ("ada/../../escape.ipynb", b"x"),
        ("/etc/cron.d/evil", b"x"),
        ("C:/Windows/evil.ipynb", b"x"),
        ("\\absolute\\evil.ipynb", b"x"),
        ("ada/link.ipynb", None),
    ])
    dest, report = tmp_path / "out", Collected()
    dest.mkdir()
    safe_extract(archive, dest, report)
    written = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert written == ["ada/02_forward_pass/02_forward_pass.ipynb"]
    assert (dest / "ada/02_forward_pass/02_forward_pass.ipynb").read_bytes() == b"{}"
    assert report.rejected == [
        "../outside.ipynb (unsafe zip entry: path outside the folder)",
        "ada/../../escape.ipynb (unsafe zip entry: path outside the folder)",
        "/etc/cron.d/evil (unsafe zip entry: path outside the folder)",
        "C:/Windows/evil.ipynb (unsafe zip entry: path outside the folder)",
        "\\absolute\\evil.ipynb (unsafe zip entry: path outside the folder)",
        "ada/link.ipynb (unsafe zip entry: a link)",
    ]
    assert not (tmp_path / "outside.ipynb").exists() and not (tmp_path / "escape.ipynb").exists()


def test_safe_extract_reads_backslash_paths_as_folders(tmp_path):
    archive = _zip(tmp_path / "windows.zip", [("ben\\01_perceptron\\01_perceptron.ipynb", b"{}")])
    dest, report = tmp_path / "out", Collected()
    dest.mkdir()
    safe_extract(archive, dest, report)
    assert (dest / "ben" / "01_perceptron" / "01_perceptron.ipynb").read_bytes() == b"{}" and not report.rejected


def _record(student, assignment, status, score=0.0, max_score=0.0):
    cells = [CellResult(assignment, f"{assignment}_visible", score, max_score, "passed")] if max_score else []
    return Record(student, assignment, status, "", score, max_score, cells)


def test_grade_table_lists_scores_statuses_and_totals():
    records = [_record("ada", "01_perceptron", "graded", 6, 6), _record("ada", "02_forward_pass", "flagged", 7.5, 12),
               _record("bo", "01_perceptron", "failed", 0, 6), _record("bo", "02_forward_pass", "missing")]
    assert grade_table(records).splitlines() == [
        "student  01_perceptron  02_forward_pass      total",
        "-" * 50,
        "ada                6/6           7.5/12   13.5/18",
        "bo              failed          missing      0/6",
    ]


def test_grade_table_widens_for_long_student_ids():
    table = grade_table([_record("a_very_long_student_id", "08_jax", "graded", 1, 2)])
    head, rule, row = table.splitlines()
    assert head == "student" + " " * 20 + "08_jax      total" and rule == "-" * len(head)
    assert row == "a_very_long_student_id        1/2      1/2"
