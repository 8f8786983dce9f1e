"""Dask as deployed: a scheduler started with ``dask scheduler`` and two workers with ``dask worker``, each a
process of its own in an empty folder of its own, the workers as an unprivileged user who cannot read the course
(as on machines that never had it). ``autograde --dask`` grades a small class there — one assignment, a correct,
a mistaken and a broken notebook — with one worker killed mid-run: every cell comes out as a local run has it.

Starting workers as another user needs root: the test skips otherwise, and fails under CI=true (CI runs as root).
Where the Python environment lies under a folder only root may enter (a Python under /root), the workers start
in a mount namespace of their own (root's bubblewrap) where that folder is replaced by an empty one with the
environment bound back, read-only: the machine's own permissions are never changed."""
from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.sample_class import build
from autograder.sample_class.students import STUDENTS
from autograder.trust import sandbox
from tests.conftest import REPO

pytestmark = pytest.mark.grader
AID = "01_perceptron"
BIN = Path(sys.executable).parent                  # the environment's scripts: dask, nnlab-grade
BROKEN, RIGHT, WRONG = "abby", "ada", "jun"        # jun fires at w·x + b = 0; abby's notebook is not JSON
DROP = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def _locked(path: Path) -> Path | None:
    """The highest folder on the way to ``path`` (itself included) that other users may not enter."""
    for folder in [*reversed(path.parents), path]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def _as_nobody() -> tuple[list[str] | None, str]:
    """The command prefix that runs a program as ``nobody`` with this Python environment, or None and why not."""
    if os.geteuid() != 0:
        return None, "the workers run as another user (nobody), which only root can start: run the tests as root"
    if shutil.which("setpriv") is None:
        return None, "setpriv is not installed (Debian's util-linux)"
    needed = sorted({str(Path(p).resolve()) for p in (sys.base_prefix, sys.prefix, REPO)})
    masks = {str(m) for p in needed if (m := _locked(Path(p))) is not None}
    if not masks:
        return DROP, ""
    if any(p in masks for p in needed) or sandbox.bwrap_path() is None:
        return None, (f"nobody cannot reach this Python environment ({', '.join(sorted(masks))} is closed to "
                      f"other users) and bubblewrap is not here to bind it into a namespace of the workers' own")
    argv = [sandbox.bwrap_path(), "--dev-bind", "/", "/", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    for mask in sorted(masks):
        argv += ["--tmpfs", mask]                   # an empty folder, open to all, in place of the closed one
    for path in needed:
        mask = next((m for m in masks if Path(path).is_relative_to(m)), None)
        if mask is not None:                        # the folders on the way there open to all, as outside
            for folder in reversed(Path(path).relative_to(mask).parents[:-1]):
                argv += ["--perms", "0755", "--dir", str(Path(mask) / folder)]
            argv += ["--ro-bind", path, path]
    return argv + ["--", *DROP], ""


@pytest.fixture(scope="module")
def nobody():
    prefix, why = _as_nobody()
    if prefix is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test Dask as deployed: {why}")
        pytest.skip(why)
    return prefix


def _class(root: Path, source: Path) -> Path:
    """The source folder ``source`` (a copy of solutions/01_perceptron) and the class, returned: a correct, a
    mistaken and a broken notebook."""
    release, folder = root / "release", root / "class"
    shutil.copytree(REPO / "solutions" / AID, source / AID)
    shutil.copytree(REPO / "notebooks" / AID, release / AID)
    build(folder, release, source, {RIGHT: STUDENTS[RIGHT], WRONG: STUDENTS[WRONG]})
    (folder / BROKEN / AID).mkdir(parents=True)
    (folder / BROKEN / AID / f"{AID}.ipynb").write_text('{"cells": [')
    return folder


def _rows(export: Path, name: str) -> list[dict]:
    """An exported CSV's rows: every column of cells.csv, grades.csv's without the dates (each course collected
    the class at its own moment)."""
    keep = ("student_id", "assignment", "score", "max_score", "status", "release", "message")
    return [r if name == "cells.csv" else {k: r[k] for k in keep} for r in csv.DictReader(open(export / name))]


def _wait(what: str, ready, deadline: float, every: float = 0.2):
    while not (value := ready()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(every)
    return value


def _start(argv, folder: Path, log: Path, env: dict | None = None) -> subprocess.Popen:
    """A process in ``folder``, in a session (and process group) of its own, its output in ``log``."""
    with open(log, "wb") as out:
        return subprocess.Popen(argv, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def test_deployed_workers_without_the_course_grade_as_a_local_run(nobody, tmp_path, capsys):
    import distributed

    import autograder.pipeline.process

    deadline = time.monotonic() + 110
    # the course and the source lie in a folder open to all, closed by their own modes alone: the workers'
    # sandbox looks for them, to hide them, and a path below a folder they may not enter fails its kernels
    base = Path(tempfile.mkdtemp(prefix="nnd-"))
    course, source, local, logs = base / "course", base / "source", tmp_path / "local", tmp_path / "logs"
    options = ["--source", str(source), "--cell-timeout", "10"] + ([] if sandbox.bwrap_path() else ["--no-sandbox"])
    processes: list[subprocess.Popen] = []
    client = None
    try:
        base.chmod(0o755)
        logs.mkdir()
        (base / "scheduler").mkdir()
        # the scheduler unpickles the tasks it is sent, so it imports the grader: preloaded, while the class is made
        processes.append(_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                 "--no-dashboard", "--preload", "autograder.pipeline.parallel",
                                 "--scheduler-file", str(base / "scheduler" / "address.json")],
                                base / "scheduler", logs / "scheduler.log",
                                dict(os.environ, TMPDIR=str(base / "scheduler"))))
        folder = _class(tmp_path, source)
        for where in (course, local):
            assert main(["--course", str(where), *options, "collect", str(folder)]) == 0
        course.chmod(0o700)
        source.chmod(0o700)
        address = _wait("the scheduler", lambda: (base / "scheduler" / "address.json").exists()
                        and json.loads((base / "scheduler" / "address.json").read_text())["address"], deadline)
        homes = {}
        for name in ("w0", "w1"):
            home = base / name
            (home / "tmp").mkdir(parents=True)
            for path in (home, home / "tmp"):
                os.chown(path, 65534, 65534)
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TMPDIR": str(home / "tmp"),
                   "LANG": "C.UTF-8"}
            worker = _start([*nobody, str(BIN / "dask"), "worker", address, "--name", name, "--nworkers", "1",
                             "--nthreads", "1", "--local-directory", str(home), "--no-dashboard"],
                            home, logs / f"{name}.log", env)
            processes.append(worker)
            homes[worker.pid] = home
        # the grader sends its tasks as the workers arrive
        grader = _start([str(BIN / "nnlab-grade"), "--course", str(course), *options, "autograde", "--dask",
                         address], tmp_path, logs / "grader.log")
        processes.append(grader)

        client = distributed.Client(address, timeout="20s")
        client.wait_for_workers(2, timeout=max(1.0, deadline - time.monotonic()))
        pids = client.run(os.getpid)
        group = {addr: os.getpgid(pid) for addr, pid in pids.items()}       # the worker's `dask worker` process
        assert set(client.run(os.getuid).values()) == {65534}
        assert set(client.run(lambda: os.access(str(course), os.R_OK)).values()) == {False}
        results = course / ".nnlab" / "results"      # the first is the broken notebook's, failed at intake
        _wait("a first result", lambda: any(results.glob(f"*/{AID}.json")), deadline)
        busy = _wait("a worker grading", lambda: [a for a, keys in client.processing().items() if keys and any(
            (homes[group[a]] / "tmp").glob("nnlab-task-*"))], deadline)    # its scratch course made: in the task
        os.killpg(group[busy[0]], signal.SIGKILL)                           # with the task it was running
        capsys.readouterr()
        assert main(["--course", str(local), *options, "autograde", "--workers", "1"]) == 0   # meanwhile, here
        summary = capsys.readouterr().out.splitlines()[0]
        assert summary == "graded 1 failed, 2 needs_manual_grade"
        assert grader.wait(timeout=max(1.0, deadline - time.monotonic())) == 0, (logs / "grader.log").read_text()
        assert f"{summary} (on the Dask cluster at {address})" in (logs / "grader.log").read_text()

        survivors = client.run(lambda: str(getattr(autograder.pipeline.process.this_process().scratch, "root", "")))
        assert list(survivors) == [a for a in pids if a != busy[0]]
        assert set(client.run(lambda: os.access(str(course), os.R_OK)).values()) == {False}
        for addr, root in survivors.items():                                # it graded in its own scratch folder
            assert root and Path(root).is_relative_to(homes[group[addr]]), (root, homes)
        export = tmp_path / "export"
        for where, to in ((course, export), (local, tmp_path / "local-export")):
            assert main(["--course", str(where), *options, "export", "--to", str(to)]) == 0
        for name in ("grades.csv", "cells.csv"):
            assert _rows(export, name) == _rows(tmp_path / "local-export", name), name
        grades = {r["student_id"]: r for r in _rows(export, "grades.csv")}
        assert grades[BROKEN]["status"] == "failed" and float(grades[RIGHT]["score"]) > float(grades[WRONG]["score"])
    finally:
        if client is not None:
            client.close()
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)
        for log in sorted(logs.glob("*.log")):          # shown when the test fails
            print(f"--- {log.name}", *log.read_text(errors="replace").splitlines()[-40:], sep="\n")
