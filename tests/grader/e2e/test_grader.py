"""nnlab-grade end to end on the sample class, with a real SQLite gradebook and real kernels. The expected
per-cell results are derived independently (tests/grader/e2e/derive_expected.py runs each submission's cells through
nnlab.checks in a plain Python process) and the grader must agree with them.

The class graded here is the demo's without its duplicates: a student who made no mistake in an assignment's code
hands in the instructor's solution, as ada does, so only ada submits those: 46 of the demo's 95 submissions are
graded here (the other 49 would repeat ada's code). ``make demo`` grades the whole class."""
import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import sample_class
from autograder.cli import main
from autograder.course.workspace import Workspace
from tests.conftest import REPO

pytestmark = pytest.mark.grader
DERIVE = Path(__file__).with_name("derive_expected.py")
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())


def _test_plan(student: str, plan: dict) -> dict:
    """The student's own answers; the instructor's solution only for ada (and ivan's first assignment, as ivan
    has no answers of his own, only a missing notebook)."""
    own = [aid for aid in ASSIGNMENTS if plan.get(aid) not in (None, sample_class.MISSING)
           and any("_written_" not in key for key in plan[aid])]          # code of their own, not only prose
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
    ta_grades(course)
    assert main(args + ["feedback"]) == 0
    assert main(args + ["export", "--to", str(root / "export")]) == 0
    read = lambda name: list(csv.DictReader(open(root / "export" / name)))  # noqa: E731
    return {"root": root, "course": course, "class": klass, "args": args,
            "grades": read("grades.csv"), "cells": read("cells.csv")}


def ta_grades(course: Path, db: str | None = None) -> None:
    """The sample class's teaching assistant grades the written answers, as the demo's does."""
    from autograder.cli import _grade_written_answers
    _grade_written_answers(Workspace(course, REPO / "solutions", db_url=db))


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
    assert "dw is transposed" in cells[("ben", "05_classifier", "dense_backward_visible")]["message"]   # own cache
    assert "the v you return is the one you were given" in cells[("emma", "05_classifier", "momentum_update_visible")]["message"]
    assert "relu_prime(z)" in cells[("grace", "05_classifier", "sgd_epoch_visible")]["message"]
    assert "before any activation" in cells[("jun", "05_classifier", "dense_forward_visible")]["message"]
    assert "Keras" in cells[("kofi", "05_classifier", "rmsprop_update_visible")]["message"]
    # jun's ReLU inside dense_forward is charged once: the pair with jun's own cache and the epoch built on it pass
    assert all(cells[("jun", "05_classifier", f"{gid}_{kind}")]["status"] == "passed"
               for gid in ("dense_backward", "sgd_epoch") for kind in ("visible", "hidden"))
    assert "flipped the kernel" in cells[("dmitri", "06_cnn", "convolution_visible")]["message"]
    assert "without the bias" in cells[("jun", "06_cnn", "conv2d_forward_visible")]["message"]
    assert "squash the cell state" in cells[("emma", "07_lstm", "lstm_cell_forward_visible")]["message"]
    assert cells[("grace", "07_lstm", "lstm_cell_forward_hidden")]["message"].startswith("NotImplementedError")
    assert "fails under jax.jit" in cells[("ben", "08_jax", "jax_cost_visible")]["message"]
    assert "argnums" in cells[("kofi", "08_jax", "jax_gradient_visible")]["message"]
    assert "sum* of its squared errors" in cells[("lena", "08_jax", "per_example_cost_visible")]["message"]
    assert "stepped uphill" in cells[("dmitri", "08_jax", "gd_step_visible")]["message"]
    assert cells[("grace", "08_jax", "gd_step_visible")]["message"].startswith("NotImplementedError")


def test_every_notebook_ran_in_a_kernel_started_before_it_was_asked_for(graded):
    """No notebook waited for its kernel to start: a grading process starts its first task's kernel as the task
    begins (before nbgrader's first pass), and each kernel after that while the notebook before it runs."""
    records = [json.loads(p.read_text()) for p in (graded["course"] / ".nnlab" / "results").rglob("*.json")]
    ran = [r for r in records if "timing" in r and r["timing"].get("cells")]
    assert len(ran) > 2 * len(ASSIGNMENTS)
    assert {(r["student_id"], r["assignment"]): r["timing"]["cold"] for r in ran if r["timing"]["cold"]} == {}


def test_the_checks_workers_come_from_the_replay_template(graded):
    """Graded in the sandbox from the repository's own solutions (hidden from the sandbox with the repository), as
    the demo and an instructor grade: every checked notebook of ada's forked its replay workers from the
    template, none fell back to starting them one by one."""
    from autograder.trust import sandbox
    if sandbox.bwrap_path() is None:                   # graded without the sandbox: no template to fork from
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must grade in the sandbox: {sandbox.INSTALL_HINT}")
        pytest.skip(sandbox.INSTALL_HINT)
    records = {p.stem: json.loads(p.read_text()) for p in (graded["course"] / ".nnlab" / "results" / "ada").glob("*.json")}
    assert sorted(records) == ASSIGNMENTS
    assert {aid: r["timing"]["forked"] for aid, r in records.items() if not r["timing"]["forked"]} == {}


def test_broken_notebook_is_failed_with_a_reason_not_a_silent_zero(graded):
    row = next(r for r in graded["grades"] if r["student_id"] == "zed" and r["assignment"] == "01_perceptron")
    assert row["status"] == "failed" and row["score"] == "0" and "grading failed" in row["message"]
    zed_cells = [r for r in graded["cells"] if r["student_id"] == "zed" and r["assignment"] == "01_perceptron"]
    assert zed_cells and all(r["status"] == "not_run" for r in zed_cells)
    others = [r for r in graded["grades"] if r["student_id"] == "zed" and r["assignment"] != "01_perceptron"]
    assert all(r["status"] == "missing" for r in others)


def test_export_shape(graded):
    assert list(graded["grades"][0]) == ["student_id", "assignment", "score", "max_score", "status", "release",
                                         "submitted_at", "due", "late_by", "penalty", "message"]
    assert list(graded["cells"][0]) == ["student_id", "assignment", "notebook", "grade_id", "score", "max_score",
                                        "status", "message"]
    assert len(graded["grades"]) == 13 * len(ASSIGNMENTS)                         # every collected student × every assignment
    assert {r["status"] for r in graded["grades"]} == {"graded", "failed", "missing"}
    assert all(float(r["score"]) >= 0 for r in graded["grades"] + graded["cells"])


def test_feedback_never_shows_hidden_tests(graded):
    pages = sorted((graded["course"] / "feedback").rglob("*.html"))
    assert len(pages) == 13 * len(ASSIGNMENTS)
    hidden = [c.source for p in (REPO / "solutions").glob("*/*.ipynb")
              for c in nbformat.read(p, as_version=4).cells if "BEGIN HIDDEN TESTS" in c.source]
    for page in pages:
        text = page.read_text()
        assert "hidden_seed" not in text and "BEGIN HIDDEN" not in text
    assert hidden and any("failed" in p.read_text() for p in pages)


def test_class_report(graded, capsys):
    from autograder.commands.report import diagnoses, summarise
    from autograder.pipeline.results import class_records
    assert main(graded["args"] + ["report", "--to", str(graded["root"] / "report")]) == 0
    page = (graded["root"] / "report" / "report.html").read_text()
    assert "data:image/png;base64," in page and "Submissions that need a look" in page
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


def _numbers(value):
    """Every number in a nested structure of dicts, lists, tuples and arrays."""
    import numpy as np
    if isinstance(value, dict):
        return [x for v in value.values() for x in _numbers(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _numbers(v)]
    try:
        return [float(x) for x in np.ravel(np.asarray(value, dtype=float))]
    except (TypeError, ValueError):
        return []


def test_feedback_never_shows_hidden_expected_values(graded):
    """For every hidden test cell a student failed, the reference's outputs on that cell's hidden inputs (to
    10 significant digits, the way messages print numbers) appear nowhere in that student's feedback."""
    import re

    from nnlab.checks import get_spec
    hidden = {}
    for path in (REPO / "solutions").glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            found = re.search(r'check\("(\w+)",\s*\w+,\s*hidden_seed=(\d+)(?:,\s*n=(\d+))?', cell.source)
            if found and cell.metadata.get("nbgrader", {}).get("grade"):
                hidden[(path.parent.name, cell.metadata["nbgrader"]["grade_id"])] = found.groups()
    searched = 0
    for row in graded["cells"]:
        key = (row["assignment"], row["grade_id"])
        if key not in hidden or row["status"] != "failed":
            continue
        name, seed, n = hidden[key]
        spec = get_spec(name)
        page = (graded["course"] / "feedback" / row["student_id"] / row["assignment"] /
                f"{row['assignment']}.html").read_text()
        for case in spec.hidden_cases(int(seed), int(n or 5)):
            want = spec.reference(*case.args, **case.kwargs)
            for x in _numbers(spec.transform(want, case) if spec.transform else want):
                text = f"{x:.10g}"
                if len(text.strip("-0.")) >= 6:               # skip 0, 1, 0.5: they appear anywhere
                    assert text not in page, (row["student_id"], key, text)
                    searched += 1
    assert searched > 100


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


def _cells_of(export: Path, students, assignments=("02_forward_pass", "05_classifier")) -> list[dict]:
    return [r for r in csv.DictReader(open(export / "cells.csv"))
            if r["student_id"] in students and r["assignment"] in assignments]


SUBSET = ["--student", "ben", "--student", "kofi", "02_forward_pass", "05_classifier"]


def test_dask_cluster_grades_exactly_as_local_workers(graded, tmp_path, capsys):
    """A real Dask cluster (LocalCluster, worker processes with their own directories) grades two students'
    submissions, in a fresh course: every cell comes out as the local run had it, and the tasks ran in the
    workers' own scratch folders, never in the course."""
    import distributed

    import autograder.pipeline.process

    course = tmp_path / "course"
    args = ["--course", str(course), "--cell-timeout", "10"]
    assert main(args + ["collect", str(graded["class"])]) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  local_directory=str(tmp_path / "elsewhere")) as cluster, \
            distributed.Client(cluster) as client:
        assert main(args + ["autograde", "--dask", cluster.scheduler_address, *SUBSET]) == 0
        scratch = client.run(lambda: str(getattr(autograder.pipeline.process.this_process().scratch, "root", "")))
    assert f"graded 4 needs_manual_grade (on the Dask cluster at {cluster.scheduler_address})" \
        in capsys.readouterr().out
    ta_grades(course)
    roots = {Path(r) for r in scratch.values() if r}
    assert roots and all(not r.is_relative_to(course) and not r.is_relative_to(graded["course"]) for r in roots)
    assert main(args + ["export", "--to", str(tmp_path / "export")]) == 0
    students = ("ben", "kofi")
    expected = [r for r in graded["cells"] if r["student_id"] in students
                and r["assignment"] in ("02_forward_pass", "05_classifier")]
    assert _cells_of(tmp_path / "export", students) == expected


def test_unreachable_dask_scheduler_is_one_clear_line_and_grades_nothing(graded, tmp_path, capsys):
    args = ["--course", str(tmp_path / "course")]
    assert main(args + ["collect", str(graded["class"])]) == 0
    capsys.readouterr()
    assert main(args + ["autograde", "--dask", "tcp://127.0.0.1:9", "--student", "ben", "02_forward_pass"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("nnlab-grade: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert not (tmp_path / "course" / ".nnlab" / "results").exists()


def test_postgresql_gradebook(graded, postgres, tmp_path, capsys):
    """--db puts the gradebook on a real PostgreSQL server: grades, export and feedback come out as with
    SQLite, no gradebook.db is made, and a regrade writes over the old grades in place."""
    import psycopg

    url = postgres("gradebook")
    course = tmp_path / "course"
    args = ["--course", str(course), "--cell-timeout", "10", "--db", url]
    assert main(args + ["collect", str(graded["class"])]) == 0
    assert main(args + ["autograde", "--workers", "2", *SUBSET]) == 0
    assert main(args + ["autograde", "--workers", "1", "--force", "--student", "ben", "02_forward_pass"]) == 0
    ta_grades(course, url)
    assert main(args + ["export", "--to", str(tmp_path / "export")]) == 0
    assert main(args + ["feedback"]) == 0
    assert not (course / "gradebook.db").exists()
    students = ("ben", "kofi")
    expected = [r for r in graded["cells"] if r["student_id"] in students
                and r["assignment"] in ("02_forward_pass", "05_classifier")]
    assert _cells_of(tmp_path / "export", students) == expected
    assert (course / "feedback" / "ben" / "02_forward_pass" / "02_forward_pass.html").exists()
    with psycopg.connect(url) as db:
        rows = db.execute("select s.student_id, a.name, count(*), sum(coalesce(g.manual_score, g.auto_score, 0)) "
                          "from grade g "
                          "join submitted_notebook n on g.notebook_id = n.id "
                          "join submitted_assignment s on n.assignment_id = s.id "
                          "join assignment a on s.assignment_id = a.id group by 1, 2 order by 1, 2").fetchall()
    by_key = {(r["student_id"], r["assignment"]): float(r["score"]) for r in graded["grades"]}
    assert [(s, a) for s, a, _, _ in rows] == sorted(k for k in by_key if k[0] in students
                                                      and k[1] in ("02_forward_pass", "05_classifier"))
    assert all(abs(float(total) - by_key[(s, a)]) < 1e-9 for s, a, _, total in rows)


def test_unreachable_database_is_one_clear_line(tmp_path, capsys):
    assert main(["--course", str(tmp_path / "c"), "--db", "postgresql://nobody@127.0.0.1:9/none", "export",
                 "--to", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nnlab-grade: the gradebook postgresql://nobody@127.0.0.1:9/none cannot be used")
    assert len(err.strip().splitlines()) == 1


def test_the_demo_starts_afresh_and_never_into_someone_elses_course(tmp_path, capsys):
    """A course folder an earlier demo made is replaced (nbgrader would refuse a changed release over its old
    submissions); a folder the demo did not make is refused before anything is written into it."""
    from autograder.cli import DEMO_MARKER, _fresh_demo_course, main
    course = tmp_path / "demo-course"
    _fresh_demo_course(course)
    (course / "gradebook.db").write_text("an earlier demo's")
    _fresh_demo_course(course)
    assert sorted(p.name for p in course.iterdir()) == [DEMO_MARKER]
    mine = tmp_path / "my-course"
    mine.mkdir()
    (mine / "gradebook.db").write_text("a real course's")
    assert main(["--course", str(mine), "--no-sandbox", "demo"]) == 1
    assert "was not made by the demo" in capsys.readouterr().err
    assert sorted(p.name for p in mine.iterdir()) == ["gradebook.db"]
