"""nnlab-grade end to end on the sample class, with a real SQLite gradebook and real kernels. The expected
per-cell results are derived independently (tests/derive_expected.py runs each submission's cells through
nnlab.checks in a plain Python process) and the grader must agree with them.

The class graded here is the demo's without its duplicates: a student who made no mistake in an assignment
hands in the instructor's solution, byte for byte what ada hands in, so only ada submits those: 39 of the
demo's 95 submissions are graded here (the other 56 would repeat ada's). ``make demo`` grades the whole class."""
import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import sample_class
from autograder.cli import main
from autograder.workspace import Workspace
from tests.conftest import REPO

pytestmark = pytest.mark.grader
DERIVE = Path(__file__).with_name("derive_expected.py")
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())


def _test_plan(student: str, plan: dict) -> dict:
    """The student's own answers; the instructor's solution only for ada (and ivan's first assignment, as ivan
    has no answers of his own, only a missing notebook)."""
    own = [aid for aid in ASSIGNMENTS if plan.get(aid) and plan.get(aid) != sample_class.MISSING]
    keep = set(ASSIGNMENTS) if student == "ada" else set() if own else {ASSIGNMENTS[0]}
    return {aid: plan.get(aid) or ({} if aid in keep else sample_class.MISSING) for aid in ASSIGNMENTS}


TEST_CLASS = {student: _test_plan(student, plan) for student, plan in sample_class.STUDENTS.items()}


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """The sample class (plus one corrupt notebook) collected, autograded, with feedback and export."""
    root = tmp_path_factory.mktemp("grader")
    course, klass = root / "course", root / "class"
    sample_class.build(klass, REPO / "notebooks", REPO / "solutions", TEST_CLASS)
    (klass / "zed" / "01_perceptron").mkdir(parents=True)
    (klass / "zed" / "01_perceptron" / "01_perceptron.ipynb").write_text("{ this is not json")
    (klass / "ada" / "01_perceptron" / "notes.txt").write_text("extra file")
    args = ["--course", str(course), "--cell-timeout", "10"]
    assert main(args + ["collect", str(klass)]) == 0
    assert main(args + ["autograde", "--workers", "2"]) == 0          # the parallel path, always
    assert main(args + ["feedback"]) == 0
    assert main(args + ["export", "--to", str(root / "export")]) == 0
    read = lambda name: list(csv.DictReader(open(root / "export" / name)))  # noqa: E731
    return {"root": root, "course": course, "class": klass, "args": args,
            "grades": read("grades.csv"), "cells": read("cells.csv")}


def derived(klass: Path, aid: str, students: list[str]) -> dict:
    """{student: {grade_id: status}} for one assignment, from derive_expected.py (one process per assignment)."""
    paths = [klass / student / aid / f"{aid}.ipynb" for student in students]
    out = subprocess.run([sys.executable, str(DERIVE), str(REPO / "solutions" / aid / f"{aid}.ipynb"),
                          *map(str, paths)], capture_output=True, text=True, timeout=900, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    results = json.loads(out.stdout.strip().splitlines()[-1])
    return {student: results[str(path)] for student, path in zip(students, paths)}


def test_grader_agrees_with_independent_derivation(graded):
    from concurrent.futures import ThreadPoolExecutor

    cells = {(r["student_id"], r["assignment"], r["grade_id"]): r for r in graded["cells"]}
    pairs = [(student, aid) for student in TEST_CLASS for aid in ASSIGNMENTS]
    present = [pair for pair in pairs if (graded["class"] / pair[0] / pair[1]).exists()]
    for student, aid in set(pairs) - set(present):
        assert all(r["status"] == "missing" for k, r in cells.items() if k[:2] == (student, aid))
    by_assignment = {aid: [s for s, a in present if a == aid] for aid in ASSIGNMENTS}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:      # one derivation process per assignment
        found = pool.map(lambda aid: derived(graded["class"], aid, by_assignment[aid]), ASSIGNMENTS[::-1])
        derivations = {(student, aid): statuses for aid, per_student in zip(ASSIGNMENTS[::-1], found)
                       for student, statuses in per_student.items()}
    assert set(derivations) == set(present)
    compared = 0
    for (student, aid), statuses in derivations.items():
        for gid, status in statuses.items():
            row = cells[(student, aid, gid)]
            assert row["status"] == status, (student, aid, gid, row)
            assert float(row["score"]) == (float(row["max_score"]) if status == "passed" else 0.0)
            compared += 1
    assert compared >= 200


def test_sample_class_outcomes(graded):
    grades = {(r["student_id"], r["assignment"]): r for r in graded["grades"]}
    cells = {(r["student_id"], r["assignment"], r["grade_id"]): r for r in graded["cells"]}
    full = {a: grades[("ada", a)]["max_score"] for a in ASSIGNMENTS}
    assert all(grades[("ada", a)]["score"] == full[a] != "0" for a in ASSIGNMENTS)   # the solutions pass everything
    assert grades[("chloe", "02_forward_pass")]["score"] == full["02_forward_pass"]       # naive sigmoid: full marks
    assert cells[("ben", "02_forward_pass", "predict_visible")]["status"] == "failed"
    assert "transpose" in cells[("ben", "02_forward_pass", "predict_visible")]["message"]
    assert "uphill" in cells[("dmitri", "03_gradient_descent", "one_step_gd_visible")]["message"]
    assert "2·eps" in cells[("emma", "03_gradient_descent", "gradient_estimator_visible")]["message"]
    assert cells[("farid", "02_forward_pass", "predict_visible")]["message"].startswith("NotImplementedError")
    assert cells[("grace", "01_perceptron", "perceptron_visible")]["status"] == "error"
    assert grades[("hiro", "03_gradient_descent")]["status"] == "graded"                   # loop in an ungraded cell
    assert grades[("ivan", "04_backprop")]["status"] == "missing" and grades[("ivan", "04_backprop")]["score"] == "0"
    assert "bias" in cells[("jun", "02_forward_pass", "forward_pass_visible")]["message"]
    assert "keep the 2" in cells[("kofi", "04_backprop", "backprop_visible")]["message"]
    assert "in place" in cells[("lena", "03_gradient_descent", "gradient_estimator_visible")]["message"]
    assert "each *column* is one example" in cells[("ben", "05_classifier", "softmax_visible")]["message"]
    assert "take the mean" in cells[("kofi", "05_classifier", "cross_entropy_visible")]["message"]
    assert "z >= 0" in cells[("lena", "05_classifier", "relu_prime_visible")]["message"]
    assert cells[("farid", "05_classifier", "cross_entropy_prime_visible")]["message"].startswith("NotImplementedError")
    assert "flipped the kernel" in cells[("dmitri", "06_cnn", "convolution_visible")]["message"]
    assert "without the bias" in cells[("jun", "06_cnn", "conv2d_forward_visible")]["message"]
    assert "squash the cell state" in cells[("emma", "07_lstm", "lstm_cell_forward_visible")]["message"]
    assert cells[("grace", "07_lstm", "lstm_cell_forward_hidden")]["message"].startswith("NotImplementedError")
    assert "fails under jax.jit" in cells[("ben", "08_jax", "jax_cost_visible")]["message"]
    assert "argnums" in cells[("kofi", "08_jax", "jax_gradient_visible")]["message"]
    assert "sum* of its squared errors" in cells[("lena", "08_jax", "per_example_cost_visible")]["message"]
    assert "stepped uphill" in cells[("dmitri", "08_jax", "gd_step_visible")]["message"]
    assert cells[("grace", "08_jax", "gd_step_visible")]["message"].startswith("NotImplementedError")


def test_broken_notebook_is_failed_with_a_reason_not_a_silent_zero(graded):
    row = next(r for r in graded["grades"] if r["student_id"] == "zed" and r["assignment"] == "01_perceptron")
    assert row["status"] == "failed" and row["score"] == "0" and "grading failed" in row["message"]
    zed_cells = [r for r in graded["cells"] if r["student_id"] == "zed" and r["assignment"] == "01_perceptron"]
    assert zed_cells and all(r["status"] == "not_run" for r in zed_cells)
    others = [r for r in graded["grades"] if r["student_id"] == "zed" and r["assignment"] != "01_perceptron"]
    assert all(r["status"] == "missing" for r in others)


def test_export_shape(graded):
    assert list(graded["grades"][0]) == ["student_id", "assignment", "score", "max_score", "status", "message"]
    assert list(graded["cells"][0]) == ["student_id", "assignment", "notebook", "grade_id", "score", "max_score",
                                        "status", "message"]
    assert len(graded["grades"]) == 13 * len(ASSIGNMENTS)                         # every collected student × every assignment
    assert {r["status"] for r in graded["grades"]} == {"graded", "failed", "missing"}
    assert all(float(r["score"]) >= 0 for r in graded["grades"] + graded["cells"])


def test_feedback_never_shows_hidden_tests(graded):
    pages = sorted((graded["course"] / "feedback").rglob("*.html"))
    assert len(pages) == 13 * len(ASSIGNMENTS)
    hidden = [c.source for p in (REPO / "solutions").glob("*/*.ipynb")
              for c in __import__("nbformat").read(p, as_version=4).cells if "BEGIN HIDDEN TESTS" in c.source]
    for page in pages:
        text = page.read_text()
        assert "hidden_seed" not in text and "BEGIN HIDDEN" not in text
    assert hidden and any("failed" in p.read_text() for p in pages)


def test_class_report(graded, capsys):
    from autograder.class_report import diagnoses, summarise
    from autograder.report import class_records
    assert main(graded["args"] + ["report", "--to", str(graded["root"] / "report")]) == 0
    page = (graded["root"] / "report" / "report.html").read_text()
    assert "data:image/png;base64," in page and "Flagged and failed submissions" in page
    assert "zed" in page and "not valid notebook JSON" in page                  # the failed submission, and why
    summary = summarise(class_records(Workspace(graded["course"], REPO / "solutions")))
    passed, n = summary["challenges"][("02_forward_pass", "predict")]      # ben's predict forgets the transpose
    assert n == sum(1 for s in TEST_CLASS if TEST_CLASS[s]["02_forward_pass"] != sample_class.MISSING) > passed
    top = {(a, c, d): (k, n) for _, k, n, a, c, d in summary["diagnostics"]}
    transpose = [key for key in top if key[1] == "predict" and "transpose" in key[2]]
    assert transpose and top[transpose[0]][0] >= 1
    assert diagnoses("error", "NotImplementedError: ") == ["not attempted (NotImplementedError)"]
    assert diagnoses("failed", "x: 1 of 2 cases failed. | hint: off by a factor of 2.02") == ["off by a factor of …"]
    assert all(d in page for d in ("Pass rate per challenge", "Grading time", "Most frequent diagnostics"))


def test_regrading_is_idempotent(graded, capsys):
    before = (graded["root"] / "export" / "cells.csv").read_text()
    assert main(graded["args"] + ["autograde"]) == 0
    assert "nothing to grade" in capsys.readouterr().out
    assert main(graded["args"] + ["export", "--to", str(graded["root"] / "again")]) == 0
    assert (graded["root"] / "again" / "cells.csv").read_text() == before


def test_one_worker_grades_exactly_as_two(graded, capsys):
    """Regrade two students serially in the same course: every cell comes out as the parallel run had it."""
    before = [r for r in graded["cells"] if r["student_id"] in ("ben", "kofi")]
    assert main(graded["args"] + ["autograde", "--workers", "1", "--force", "--student", "ben", "--student", "kofi",
                                  "05_classifier", "02_forward_pass"]) == 0
    assert "graded 4 graded" in capsys.readouterr().out
    assert main(graded["args"] + ["export", "--to", str(graded["root"] / "serial")]) == 0
    after = [r for r in csv.DictReader(open(graded["root"] / "serial" / "cells.csv"))
             if r["student_id"] in ("ben", "kofi")]
    assert after == before


def test_collect_zip_rejects_unsafe_entries_and_replaces(graded, tmp_path, capsys):
    archive = tmp_path / "class.zip"
    nb = (graded["class"] / "ada" / "02_forward_pass" / "02_forward_pass.ipynb").read_bytes()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("newbie/02_forward_pass/02_forward_pass.ipynb", nb)
        zf.writestr("../evil/x.ipynb", "{}")
        zf.writestr("/abs/y.ipynb", "{}")
        zf.writestr("newbie/99_unknown/z.ipynb", "{}")
    course = tmp_path / "course"
    assert main(["--course", str(course), "collect", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "rejected: ../evil/x.ipynb" in out and "rejected: /abs/y.ipynb" in out
    assert "ignored: newbie/99_unknown" in out and "collected 1 submissions from 1 students" in out
    assert not (tmp_path / "evil").exists()
    assert (course / "submitted" / "newbie" / "02_forward_pass" / "02_forward_pass.ipynb").read_bytes() == nb


def test_cli_exit_codes(tmp_path, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["frobnicate"])
    assert usage.value.code == 2
    assert main(["--course", str(tmp_path / "c"), "collect", str(tmp_path / "nope")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["--course", str(tmp_path / "c"), "autograde", "99_nope"]) == 1
