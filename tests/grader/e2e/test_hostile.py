"""Hostile submissions through the real grader: nbgrader, a SQLite gradebook, sandboxed kernels, two workers.

One small assignment (``h1``): a graded ``sigmoid`` (checked by nnlab's spec), an ungraded cell where each
hostile student puts their attack, then a graded ``double``. For every submission the test asserts the
record's status, score and message and each test cell's status: what a crash costs is the cells after it,
never the grades earned before it. Short timeouts keep the suite to about a minute.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from autograder.trust import sandbox
from autograder.cli import main
from autograder.commands.release import release

pytestmark = pytest.mark.grader
CELL_TIMEOUT = 4


def _meta(grade_id, solution=False, grade=False, points=0):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook():
    cell = nbformat.v4.new_code_cell
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# h1: a small assignment for hostile submissions"),
        cell("import numpy as np\nfrom nnlab.checks import check", metadata=_meta("setup")),
        cell("def sigmoid(z):\n    ### BEGIN SOLUTION\n    return 1 / (1 + np.exp(-z))\n    ### END SOLUTION",
             metadata=_meta("sigmoid", solution=True)),
        cell('result = check("sigmoid", sigmoid)\nassert result.passed, result.report()',
             metadata=_meta("sigmoid_visible", grade=True, points=1)),
        cell("# play here\npass"),                          # an ungraded cell: where the attacks go
        cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
             metadata=_meta("double", solution=True)),
        cell("assert double(3) == 6, 'double(3) should be 6'", metadata=_meta("double_test", grade=True, points=1)),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


SNOOP = """
import os, socket, subprocess
seen = {{}}
for name, path in [("solutions", {source!r}), ("gradebook", {course!r} + "/gradebook.db"),
                   ("others", {course!r} + "/submitted/ok"), ("repository", {repo!r} + "/solutions"),
                   ("history", {repo!r} + "/.git"), ("tests", {repo!r} + "/tests"),
                   ("sample class", {repo!r} + "/autograder/sample_class/__init__.py")]:
    seen[name] = os.path.exists(path)
import nnlab, nnlab.answers.nb02_forward_pass as answers
seen["full library"] = not os.path.exists(os.path.join(os.path.dirname(nnlab.__file__), "kit.json"))
seen["a sigmoid"] = type(answers.sigmoid).__name__ != "Yours"
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2); seen["network"] = True
except OSError:
    seen["network"] = False
try:                    # the course is an empty read-only folder in a forked kernel's sandbox, and an empty
    open({course!r} + "/planted.txt", "w").write("x")  # throwaway one in a kernel started from scratch
except OSError:
    pass
subprocess.Popen(["sleep", "987"], start_new_session=True)
print("SEEN", sorted(k for k, v in seen.items() if v))
"""

# student → (cell to replace, its new source)
ATTACKS = {
    "ok": {},
    "loop": {"play": "while True:\n    pass"},
    "sigint": {"play": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"},
    "c_call": {"play": "import ctypes, signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\n"
                       "ctypes.CDLL(None).sleep(600)            # a long C call that nothing interrupts"},
    "os_exit": {"play": "import os\nos._exit(3)"},
    "segfault": {"play": "import ctypes\nctypes.string_at(0)"},
    "sys_exit": {"play": "import sys\nsys.exit(0)"},
    "exit": {"play": "exit()"},
    "memory": {"play": "big = np.ones(4 * 1024 ** 3 // 8)"},
    "output": {"play": "print('x' * 100_000_000)\nfor _ in range(20000):\n    print('spam line')"},
    "finalizers": {"play": "import atexit\natexit.register(lambda: 1 / 0)\nclass Bomb:\n"
                           "    def __del__(self):\n        raise RuntimeError('boom')\nb = Bomb()\ndel b"},
    "slow_fn": {"double": "def double(x):\n    while True:\n        pass"},
    "stderr": {"sigmoid": "import warnings\ndef sigmoid(z):\n    warnings.warn('chatty but right')\n"
                          "    return 1 / (1 + np.exp(-z))"},
    "edit_test": {"sigmoid": "def sigmoid(z):\n    return z", "sigmoid_visible": "assert True"},
}
WRONG = "def sigmoid(z):\n    return z\n"
FORGERS = {    # a wrong sigmoid that tries to pass in the kernel by forging the check
    "forge_check": {"sigmoid": WRONG + "class Passed:\n    passed = True\n    def report(self):\n        return ''\n"
                                       "check = lambda *args, **kwargs: Passed()"},
    "forge_allclose": {"sigmoid": WRONG + "import nnlab.checks.comparing as core\nnp.allclose = lambda *a, **k: True\n"
                                          "core.np.abs = lambda x: np.zeros(np.shape(x))"},
    "forge_builtins": {"sigmoid": WRONG + "import builtins\nclass Passed:\n    passed = True\n"
                                          "builtins.check = lambda *args, **kwargs: Passed()\ndel check"},
    "forge_run_cell": {"sigmoid": WRONG + "ip = get_ipython()\nreal = ip.run_cell_async\n"
                                          "async def run_cell_async(raw_cell, *args, **kwargs):\n"
                                          "    if 'check(' in raw_cell:\n        raw_cell = 'pass'\n"
                                          "    return await real(raw_cell, *args, **kwargs)\n"
                                          "ip.run_cell_async = run_cell_async"},
    "forge_traceback": {"sigmoid": WRONG + "get_ipython().showtraceback = lambda *args, **kwargs: None"},
}
BORROWERS = {  # a sigmoid that calls nnlab's: the sandbox imports the kit's build, which has none to find
    "reference": {"sigmoid": "def sigmoid(z):\n    from nnlab import sigmoid as reference\n    return reference(z)"},
    # reloads every nnlab module while it is being checked, to get a fresh reference past any stub
    "reload": {"sigmoid": "import importlib, sys\ndef sigmoid(z):\n"
                          "    for name in sorted(n for n in sys.modules if n.startswith('nnlab')):\n"
                          "        try:\n            importlib.reload(sys.modules[name])\n"
                          "        except Exception:\n            pass\n"
                          "    from nnlab.answers.nb02_forward_pass import sigmoid as found\n    return found(z)"},
}
ATTACKS.update(FORGERS)
ATTACKS.update(BORROWERS)
FORKS = {      # only where a process cap holds them (else they would take the machine down)
    "fork_bomb": {"play": "import os, time\nme = os.getpid()\nwhile True:\n    try:\n        os.fork()\n"
                          "    except BlockingIOError:\n        if os.getpid() != me:\n"
                          "            time.sleep(3600)        # a bomb's child waits to die with the sandbox\n"
                          "        break\nprint('the fork bomb hit the process cap')"},
    "process_flood": {"play": "import subprocess\nprocs = []\ntry:\n    while True:\n"
                              "        procs.append(subprocess.Popen(['sleep', '654']))\n"
                              "except OSError as error:\n    print('stopped after', len(procs), 'processes:', "
                              "type(error).__name__)"},
}



def _cell(nb, gid):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def _duplicate(nb):
    nb.cells.append(nbformat.from_dict(json.loads(json.dumps(_cell(nb, "double_test")))))


def _retype(nb):
    i = nb.cells.index(_cell(nb, "double_test"))
    nb.cells[i] = nbformat.v4.new_markdown_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)


def _set_points(nb):
    _cell(nb, "double_test").metadata["nbgrader"]["points"] = 100


def _strip_metadata(nb):
    del _cell(nb, "double_test").metadata["nbgrader"]


# bad input: student → (cell changes, what is done to the notebook afterwards)
MANGLED = {
    "dup_test": ({}, _duplicate),
    "deleted_test": ({"sigmoid": "def sigmoid(z):\n    return z"},
                     lambda nb: nb.cells.remove(_cell(nb, "sigmoid_visible"))),
    "emptied_test": ({"sigmoid": "def sigmoid(z):\n    return z", "sigmoid_visible": ""}, None),
    "retyped": ({"double": "def double(x):\n    return x"}, _retype),
    "points": ({}, _set_points),
    "no_meta": ({"double": "def double(x):\n    return x"}, _strip_metadata),
}
RAW = {    # student → the bytes of their file
    "latin1": '{"cells": [], "metadata": {"author": "Jos\xe9"}, "nbformat": 4, "nbformat_minor": 5}'.encode("latin-1"),
    "nbformat3": b'{"worksheets": [], "metadata": {}, "nbformat": 3, "nbformat_minor": 0}',
}

# student → (status, score, {grade_id: status}, text the record's message contains)
EXPECTED = {
    "ok": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "loop": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "sigint": ("graded", 1, {"sigmoid_visible": "passed", "double_test": "not_run"},
               "did not stop when interrupted"),
    "c_call": ("graded", 1, {"sigmoid_visible": "passed", "double_test": "not_run"},
               "did not stop when interrupted"),
    "os_exit": ("graded", 1, {"sigmoid_visible": "passed", "double_test": "not_run"}, "the kernel died"),
    "segfault": ("graded", 1, {"sigmoid_visible": "passed", "double_test": "not_run"}, "the kernel died"),
    "sys_exit": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    # exit() in a kernel only asks the front end to close the notebook, which a grader does not do
    "exit": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "memory": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "output": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "finalizers": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "slow_fn": ("graded", 1, {"sigmoid_visible": "passed", "double_test": "timeout"}, "1/2 points"),
    "stderr": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "edit_test": ("flagged", 1, {"sigmoid_visible": "failed", "double_test": "passed"},
                  "flagged: test cell sigmoid_visible was edited; graded with the original"),
    "snoop": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "budget": ("graded", 1, {"sigmoid_visible": "passed", "double_test": "not_run"}, "budget"),
    # the bomb's children hold every slot under the cap until the kernel stops; the kernel goes on with the
    # threads it has (its IPython history is kept in memory, as nbclient asks: no thread for it), and the grader
    # and the other students do not notice
    "fork_bomb": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "process_flood": ("graded", 2, {"sigmoid_visible": "passed", "double_test": "passed"}, "2/2 points"),
    "dup_test": ("flagged", 2, {"sigmoid_visible": "passed", "double_test": "passed"},
                 "flagged: test cell double_test appears 2 times; the first one counts"),
    "deleted_test": ("flagged", 1, {"sigmoid_visible": "failed", "double_test": "passed"},
                     "flagged: test cell sigmoid_visible was deleted; graded with the original put back"),
    "emptied_test": ("flagged", 1, {"sigmoid_visible": "failed", "double_test": "passed"},
                     "flagged: test cell sigmoid_visible was emptied; graded with the original"),
    "retyped": ("flagged", 1, {"sigmoid_visible": "passed", "double_test": "failed"},
                "flagged: test cell double_test was turned into a markdown cell; graded as the original"),
    "points": ("flagged", 2, {"sigmoid_visible": "passed", "double_test": "passed"},
               "flagged: test cell double_test: nbgrader metadata changed (points); the source's counts"),
    "no_meta": ("flagged", 1, {"sigmoid_visible": "passed", "double_test": "failed"},
                "flagged: test cell double_test lost its nbgrader metadata; graded with the original put back"),
    "renamed": ("flagged", 2, {"sigmoid_visible": "passed", "double_test": "passed"},
                "flagged: the notebook was handed in as mine.ipynb and graded as h1.ipynb"),
    "latin1": ("failed", 0, {"sigmoid_visible": "not_run", "double_test": "not_run"},
               "grading failed: the notebook file is not UTF-8 text (byte 0xe9"),
    "nbformat3": ("failed", 0, {"sigmoid_visible": "not_run", "double_test": "not_run"},
                  "grading failed: the file is not a notebook in format 4 (nbformat: 3)"),
    "corrupt": ("failed", 0, {"sigmoid_visible": "not_run", "double_test": "not_run"}, "not valid notebook JSON"),
    # out-of-kernel verdicts: a wrong or borrowed sigmoid scores 0 whatever the kernel said; where the forgery
    # fooled the kernel, the submission is flagged
    **{student: ("flagged", 1, {"sigmoid_visible": "failed", "double_test": "passed"},
                 "flagged: test cell sigmoid_visible passed in the notebook's kernel but failed the out-of-kernel "
                 "check") for student in FORGERS},
    # ipykernel calls neither the shell's run_cell_async nor its showtraceback through the instance: these two
    # fool nobody, and the cell fails in the kernel already
    "forge_run_cell": ("graded", 1, {"sigmoid_visible": "failed", "double_test": "passed"}, "1/2 points"),
    "forge_traceback": ("graded", 1, {"sigmoid_visible": "failed", "double_test": "passed"}, "1/2 points"),
    **{student: ("graded", 1, {"sigmoid_visible": "failed", "double_test": "passed"}, "1/2 points")
       for student in BORROWERS},
}


def submission(released, changes: dict):
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        gid = "play" if cell.source.startswith("# play here") else cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in changes:
            cell.source = changes[gid]
        elif cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = {"sigmoid": "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))",
                           "double": "def double(x):\n    return 2 * x"}[gid]
    return nb


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    if sandbox.bwrap_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the hostile suite in the sandbox: {sandbox.INSTALL_HINT}")
        pytest.skip(sandbox.INSTALL_HINT)
    root = tmp_path_factory.mktemp("hostile")
    source, course, klass = root / "source", root / "course", root / "class"
    (source / "h1").mkdir(parents=True)
    nbformat.write(source_notebook(), source / "h1" / "h1.ipynb")
    release(source, root / "release")
    released = root / "release" / "h1" / "h1.ipynb"
    forks = FORKS if sandbox.process_cap()[0] != "none" else {}
    attacks = dict(ATTACKS, **forks, budget={"play": "import time\ntime.sleep(60)"},
                   snoop={"play": SNOOP.format(source=str(source / "h1" / "h1.ipynb"), course=str(course),
                                               repo=str(sandbox.REPO))})
    for student, changes in attacks.items():
        (klass / student / "h1").mkdir(parents=True)
        nbformat.write(submission(released, changes), klass / student / "h1" / "h1.ipynb")
    for student, (changes, mangle) in MANGLED.items():
        nb = submission(released, changes)
        if mangle is not None:
            mangle(nb)
        (klass / student / "h1").mkdir(parents=True)
        (klass / student / "h1" / "h1.ipynb").write_text(json.dumps(nb, indent=1))
    for student, data in RAW.items():
        (klass / student / "h1").mkdir(parents=True)
        (klass / student / "h1" / "h1.ipynb").write_bytes(data)
    (klass / "renamed" / "h1").mkdir(parents=True)
    nbformat.write(submission(released, {}), klass / "renamed" / "h1" / "mine.ipynb")
    (klass / "corrupt" / "h1").mkdir(parents=True)
    (klass / "corrupt" / "h1" / "h1.ipynb").write_text('{"cells": [')
    args = ["--course", str(course), "--source", str(source), "--cell-timeout", str(CELL_TIMEOUT)]
    assert main(args + ["collect", str(klass)]) == 0
    start = time.perf_counter()
    others = [f"--student={s}" for s in sorted(set(attacks) | set(MANGLED) | set(RAW) | {"corrupt", "renamed"})
              if s != "budget"]
    assert main(args + ["autograde", "--workers", "2", *others]) == 0
    # the budget student: a 6 s budget for the whole notebook, spent by a sleep the 30 s cell timeout allows
    budget = ["--course", str(course), "--source", str(source), "--cell-timeout", "30", "--notebook-timeout", "6"]
    assert main(budget + ["autograde", "--student", "budget"]) == 0
    seconds = time.perf_counter() - start
    assert main(args + ["feedback"]) == 0
    assert main(args + ["export", "--to", str(root / "export")]) == 0
    read = lambda name: list(csv.DictReader(open(root / "export" / name)))  # noqa: E731
    return {"root": root, "course": course, "source": source, "seconds": seconds,
            "grades": {r["student_id"]: r for r in read("grades.csv")},
            "cells": {(r["student_id"], r["grade_id"]): r for r in read("cells.csv")}}


@pytest.mark.parametrize("student", sorted(EXPECTED))
# the hostile notebooks are built from copies of cells, ids included; nbformat renumbers them with a warning
@pytest.mark.filterwarnings("ignore::nbformat.warnings.DuplicateCellId")
def test_each_hostile_submission_gets_its_grade_status_and_message(hostile, student):
    if student in FORKS:
        needs_process_cap()
    status, score, cells, text = EXPECTED[student]
    row = hostile["grades"][student]
    assert (row["status"], float(row["score"])) == (status, score), row
    assert text in row["message"], row
    for gid, cell_status in cells.items():
        cell = hostile["cells"][(student, gid)]
        assert cell["status"] == cell_status, cell
        assert float(cell["score"]) == (1.0 if cell_status == "passed" else 0.0), cell


def test_crash_messages_name_the_cause_for_the_cells_not_run(hostile):
    for student in ("sigint", "c_call", "os_exit", "segfault", "budget"):
        message = hostile["cells"][(student, "double_test")]["message"]
        assert message.startswith("not run:"), message
    assert "kernel died" in hostile["cells"][("os_exit", "double_test")]["message"]
    assert "budget" in hostile["cells"][("budget", "double_test")]["message"]
    assert "ran past the 4 s limit" in hostile["cells"][("slow_fn", "double_test")]["message"]


def test_the_sandbox_held(hostile):
    graded = nbformat.read(hostile["course"] / "autograded" / "snoop" / "h1" / "h1.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in graded.cells for o in c.get("outputs", []))
    assert "SEEN []" in printed, printed    # no solutions, gradebook, classmates, repository, reference, network
    assert not (hostile["course"] / "planted.txt").exists()
    assert subprocess.run(["pgrep", "-f", "sleep 987"], capture_output=True).returncode == 1   # no daemon left


def needs_process_cap():
    cap, why = sandbox.process_cap()
    if cap == "none":
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test the process cap: {why}")
        pytest.skip(f"no process cap here: {why}")


def test_the_process_cap_held(hostile):
    needs_process_cap()
    printed = lambda student: "".join(  # noqa: E731
        o.get("text", "") for c in nbformat.read(hostile["course"] / "autograded" / student / "h1" / "h1.ipynb",
                                                 as_version=4).cells for o in c.get("outputs", []))
    assert "the fork bomb hit the process cap" in printed("fork_bomb")
    graded = nbformat.read(hostile["course"] / "autograded" / "fork_bomb" / "h1" / "h1.ipynb", as_version=4)
    assert [o.get("output_type") for o in graded.cells[5].outputs] == []     # def double ran, at the cap
    flood = printed("process_flood")
    assert "processes: BlockingIOError" in flood
    assert 50 < int(flood.split("stopped after ")[1].split()[0]) < sandbox.DEFAULT_PROCESSES
    for leftover in ("sleep 654", "sleep 3600"):                      # all gone with their sandboxes
        assert subprocess.run(["pgrep", "-f", leftover], capture_output=True).returncode == 1, leftover
    run = sandbox.run_cgroups(f"run-{os.getpid()}")                  # this test's grading runs (in-process)
    empty = [g for g in run.glob("kernel-*") if not (g / "tasks").read_text().strip()]
    assert not empty                                                   # and their cgroups removed


def test_huge_output_is_truncated(hostile):
    path = hostile["course"] / "autograded" / "output" / "h1" / "h1.ipynb"
    assert path.stat().st_size < 1_000_000
    text = path.read_text()
    assert "output truncated: this cell printed more than 100,000 characters" in text


def test_feedback_for_every_submission_says_what_happened(hostile):
    pages = {p.parent.parent.name: p.read_text() for p in (hostile["course"] / "feedback").rglob("*.html")}
    assert set(pages) == set(hostile["grades"])        # failed gradings get a page saying what happened
    assert "not valid notebook JSON" in pages["corrupt"]
    assert "the kernel died" in pages["os_exit"]
    assert "did not stop when interrupted" in pages["sigint"]


def test_records_say_how_long_each_took(hostile):
    records = [json.loads(p.read_text()) for p in (hostile["course"] / ".nnlab" / "results").rglob("*.json")]
    assert len(records) == len(hostile["grades"])
    assert all(r["seconds"] > 0 for r in records)
    # the out-of-kernel check's workers came from the replay template (trust/templates.py), not its fallback
    forked = {r["student_id"]: r["timing"].get("forked") for r in records}
    assert forked["ok"] == forked["forge_check"] == forked["forge_allclose"] == 1, forked
    print(f"hostile suite: {len(records)} submissions graded in {hostile['seconds']:.0f} s")


def test_a_killed_grader_resumes_without_regrading_or_losing_anyone(hostile, tmp_path):
    """SIGKILL the grader after two students are done; the next run grades only the rest, and the records,
    gradebook and export end up as one uninterrupted run's."""
    course = tmp_path / "course"
    klass = tmp_path / "class"
    for k in range(6):
        (klass / f"s{k}" / "h1").mkdir(parents=True)
        shutil.copy(hostile["course"] / "submitted" / "ok" / "h1" / "h1.ipynb", klass / f"s{k}" / "h1")
    args = ["--course", str(course), "--source", str(hostile["source"]), "--cell-timeout", str(CELL_TIMEOUT)]
    assert main(args + ["collect", str(klass)]) == 0
    grader = subprocess.Popen([sys.executable, "-m", "autograder.cli", *args, "autograde", "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    results = course / ".nnlab" / "results"
    deadline = time.time() + 120
    while len(list(results.rglob("*.json"))) < 2:
        assert grader.poll() is None and time.time() < deadline, "the grader ended before it could be killed"
        time.sleep(0.1)
    os.killpg(grader.pid, signal.SIGKILL)
    grader.wait()
    finished = {p: p.read_bytes() for p in results.rglob("*.json")}
    assert 2 <= len(finished) < 6
    assert main(args + ["autograde", "--workers", "1"]) == 0
    for path, data in finished.items():
        assert path.read_bytes() == data, f"{path.parent.name} was graded again"
    assert main(args + ["export", "--to", str(tmp_path / "export")]) == 0
    rows = list(csv.DictReader(open(tmp_path / "export" / "grades.csv")))
    assert sorted(r["student_id"] for r in rows) == [f"s{k}" for k in range(6)]
    assert all((r["status"], r["score"]) == ("graded", "2") for r in rows), rows


@pytest.mark.parametrize("student", sorted(BORROWERS))
def test_a_function_that_calls_the_reference_scores_zero_saying_so(hostile, student):
    """The sandbox imports the student kit's build of nnlab with h1's checked function (sigmoid) open: no
    reference of it exists there, however the student's code looks for one (reloading every module too)."""
    cell = hostile["cells"][(student, "sigmoid_visible")]
    assert "the reference is not available while grading" in cell["message"], cell
