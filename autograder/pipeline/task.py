"""One submission's grading as a self-contained task: bytes in, graded notebooks and grades out.

The grader (one process, the only one that writes the course's gradebook) turns each submission into a
``Task``: the assignment's source notebooks, a seed gradebook holding just that assignment, the submitted
notebooks and the limits — plain bytes and numbers, no paths into the course. ``run_task`` runs anywhere
(in the grader itself, in a local worker process, on a Dask worker on another machine): it unpacks the task
into a private scratch course, runs nbgrader's autograde there (sandboxed kernels, crash-safe execution) and
returns an ``Outcome``: the autograded notebooks and every grade cell's score, read from the scratch gradebook.
The scratch course, reused task after task, is kept in the process's state (autograder/pipeline/process.py).
The grader then copies those into the real gradebook (SQLite or PostgreSQL) with ``save_outcome``
(autograder/course/gradebook.py).
"""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder import limits
from autograder.commands.kit import grading_library
from autograder.course.gradebook import read_grades
from autograder.course.workspace import Workspace
from autograder.pipeline.process import ProcessState, Scratch
from autograder.trust.sandbox import LIBRARY, private_folder
from autograder.trust.templates import Forked


@dataclass
class Task:
    student: str
    assignment: str
    sources: dict[str, bytes]          # notebook file name → source notebook (solutions and hidden tests)
    seed: bytes                        # an SQLite gradebook with only this assignment in it
    submitted: dict[str, bytes]        # file name → submitted notebook (plus timestamp.txt when there is one)
    limits: dict = field(default_factory=dict)   # cell_timeout, notebook_timeout, sandbox, memory, processes
    hide: list[str] = field(default_factory=list)   # folders kernels must not see where they exist (the course)
    flags: list[str] = field(default_factory=list)  # what collection and intake flagged, for the record (finish)
    release: int | None = None         # the release version the student received (for the record)
    graded_with: int | None = None     # the release version of ``sources``
    course_config: str = ""            # the course's nbgrader_config.py (the instructor's settings), loaded here too
    then: str | None = None            # the grading library the task this process runs next will likely need
                                       # (``open_from``; parallel._tasks): a hint


@dataclass
class Outcome:
    student: str
    assignment: str
    success: bool
    log: str = ""
    graded: dict[str, bytes] = field(default_factory=dict)          # file name → autograded notebook
    grades: dict[str, dict[str, float | None]] = field(default_factory=dict)   # notebook → grade_id → auto score
    comments: dict[str, dict[str, str | None]] = field(default_factory=dict)   # notebook → grade_id → comment
    verdicts: dict[str, dict[str, dict]] = field(default_factory=dict)  # notebook → grade_id → out-of-kernel
    verify_error: str = ""                                            # why the out-of-kernel check could not run
    host: str = ""
    seconds: float = 0.0                                              # the task's own run time
    timing: dict[str, float] = field(default_factory=dict)           # cells, replay: seconds of each; forked:
                                                                     # replay workers forked from a template;
                                                                     # cold: kernels started when asked for


def _scratch(task: Task, process: ProcessState) -> Scratch:
    """The process's scratch course and nbgrader API for the task's limits (made once, then reused)."""
    key = (tuple(sorted(task.limits.items())), tuple(task.hide), task.course_config)
    if process.scratch is None or process.scratch.key != key:
        process.spares.discard()                   # a kernel started ahead under other limits
        if process.scratch is None:
            import atexit
            root = Path(tempfile.mkdtemp(prefix="nnlab-task-"))
            atexit.register(shutil.rmtree, root, True)
        else:
            root = process.scratch.root
        (root / "course" / "exchange").mkdir(parents=True, exist_ok=True)
        (root / "course" / "nbgrader_config.py").write_text(task.course_config)
        ws = Workspace(root / "course", root / "source", hide=task.hide,
                       db_url=f"sqlite:///{_scratch_gradebook(root)}", **task.limits)
        process.scratch = Scratch(root, key, ws, ws.api(process=process))
    return process.scratch


def _scratch_gradebook(root: Path) -> Path:
    """Where the scratch course's gradebook lives: in memory (/dev/shm) where there is one. nbgrader commits
    every grade it saves, and on a disk each commit waits for the disk (a second or more per class of notebooks
    here); the scratch gradebook is thrown away after each task, so it needs no disk."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        import atexit
        folder = Path(tempfile.mkdtemp(prefix="nnlab-gradebook-", dir=shm))
        atexit.register(shutil.rmtree, folder, True)
        return folder / "gradebook.db"
    return root / "course" / "gradebook.db"


def run_task(task: Task, process: ProcessState) -> Outcome:
    """Autograde one submission in the process's scratch course; never raises for a bad submission."""
    import socket
    start = time.perf_counter()
    os.environ.setdefault("NNLAB_HEADLESS", "1")
    os.environ["NNLAB_GRADING"] = "1"
    scratch = _scratch(task, process)
    ws, api = scratch.ws, scratch.api
    for folder in (ws.source, ws.course / "submitted", ws.course / "autograded"):
        shutil.rmtree(folder, ignore_errors=True)
    (ws.source / task.assignment).mkdir(parents=True)
    for name, data in task.sources.items():
        (ws.source / task.assignment / name).write_bytes(data)
    submitted = ws.submitted(task.student, task.assignment)
    submitted.mkdir(parents=True)
    for name, data in task.submitted.items():
        (submitted / Path(name).name).write_bytes(data)
    Path(ws.db_url.removeprefix("sqlite:///")).write_bytes(task.seed)
    process.cell_seconds, cold = 0.0, process.spares.cold
    # the student build of nnlab that the sandboxed kernels and replay workers import (commands/kit.py)
    library = grading_library(library_root(scratch.root), open_from(task)) if ws.sandbox else None
    api.config.Execute.extra_arguments = [f"--library={library}"] if library else []
    following = _plan_spares(process, library, task)
    _start_kernel_now(api, process, task)
    workers = _start_replay_workers(ws, task, library, scratch.root, process)   # they boot while nbgrader runs
    try:
        result = api.autograde(task.assignment, task.student, force=True, create=True)
    except BaseException:
        for worker in workers.values():
            worker.close()
        raise
    if following is not None and process.spares.key is not None:   # where no kernel was taken, the spare is
        process.spares.start_ahead(_with_library(process.spares.key, following))   # still this task's: replaced
    outcome = Outcome(task.student, task.assignment, bool(result["success"]), host=socket.gethostname(),
                      log=((result.get("log") or "") + "\n" + (result.get("error") or "")).strip()[-limits.TASK_LOG:])
    graded = ws.autograded(task.student, task.assignment)
    outcome.graded = {p.name: p.read_bytes() for p in sorted(graded.glob("*.ipynb"))}
    if outcome.success:
        outcome.grades, outcome.comments = read_grades(ws.db_url, task.assignment, task.student,
                                                       [Path(name).stem for name in task.sources])
    cells_done = time.perf_counter()
    replay_workers = list(workers.values())
    try:
        _verify(ws, task, outcome, workers, library, scratch.root)
    except Exception as exc:                       # a bug of ours: keep the kernel's grades, and say so
        outcome.verify_error = f"{type(exc).__name__}: {exc}"[:limits.CAUSE]
        if library is not None:                    # but no hidden case was checked anywhere: those cells fail
            _fail_unchecked_hidden(task, outcome)
    outcome.timing = {"cells": round(process.cell_seconds, 3),
                      "replay": round(time.perf_counter() - cells_done, 3),
                      "forked": sum(isinstance(w.proc, Forked) for w in replay_workers),
                      "cold": process.spares.cold - cold}
    outcome.seconds = time.perf_counter() - start
    return outcome


def _start_kernel_now(api, process: ProcessState, task: Task) -> None:
    """Start the task's first kernel now, where no spare kernel is ready for it: a process's first task, or one
    whose grading library the hint before it did not foresee. nbgrader asks for the kernel only after its first
    pass over the notebooks and its gradebook's set-up, 0.1–0.2 s later, and a kernel takes 0.5–1 s to start.
    The kernel is the configured one (always, in the sandbox), else the one the source notebooks name: nbgrader
    gives each submitted notebook its source's kernelspec before running it."""
    import json

    from autograder.integration.execute import GuardedExecute
    try:                                   # only a head start: nbgrader says what is wrong, if anything, later
        client = GuardedExecute(config=api.config, process=process)
        name = client.kernel_name or json.loads(task.sources[min(task.sources)])["metadata"]["kernelspec"]["name"]
    except Exception:
        return
    if client.prestart and name:
        process.spares.start_ahead(client.spare_key(name), client)


def _plan_spares(process: ProcessState, library: Path | None, task: Task) -> Path | None:
    """Tell the process's spare kernels what comes next; returns the next task's grading library (None: unknown).

    ``Spares.ahead`` maps the key of each kernel this task takes to the key of the kernel to start behind it: the
    same key while the task has notebooks left, then the key with the grading library of the next task
    (``then``), or no kernel where no next task is known. Without a grading library, always the same key."""
    if library is None:
        process.spares.ahead = None
        return None
    following = None
    if task.then is not None:
        try:
            following = grading_library(library.parent, task.then)
        except Exception:          # only a hint: the next notebook starts its own kernel, and says why if it fails
            following = None
    left = len({name for name in task.submitted if name in task.sources})

    def ahead(key):
        nonlocal left
        left -= 1
        if left > 0:
            return key
        return None if following is None else _with_library(key, following)
    process.spares.ahead = ahead
    return following


def _with_library(key: tuple, library: Path) -> tuple:
    """A spare kernel's key (kernel name, extra arguments) with the grading library ``library``."""
    return key[0], tuple(LIBRARY + str(library) if a.startswith(LIBRARY) else a for a in key[1])


def library_root(root: Path) -> Path:
    """Where grading libraries are built: a folder this user's grading processes on this machine share
    (``sandbox.private_folder``), one per version of the library's sources (``library_digest``), so that each is
    built once per machine rather than once per process (a third of a second each); the scratch course's own
    folder where there is no such folder."""
    from autograder.commands.kit import library_digest
    shared = private_folder()
    return shared / library_digest() if shared is not None else root / "library"


def open_from(task: Task) -> str:
    """The first assignment open in the task's grading library: the assignment of every function its test cells
    check (and each later one) is open, earlier ones closed."""
    return _open_from(task.assignment, tuple(task.sources.values()))


@functools.lru_cache(maxsize=64)
def _open_from(assignment: str, sources: tuple[bytes, ...]) -> str:
    import nbformat

    from autograder.commands.kit import first_open
    from autograder.trust.verify import source_checks
    checked = set()
    for data in sources:
        try:
            checked |= {c.check for calls in source_checks(nbformat.reads(data.decode(), as_version=4)).values()
                        for c in calls}
        except Exception:                       # not a notebook: nbgrader says so when it grades it
            continue
    return first_open(assignment, checked)


def _start_replay_workers(ws: Workspace, task: Task, library: Path | None, root: Path,
                          process: ProcessState) -> dict:
    """A replay worker per notebook that has checked test cells (autograder/trust/verify.py). In the sandbox they
    are forked, when the check needs them, from the process's replay template: a shared one, which the first
    task boots and every later one uses, or one for the task's grading library, which boots while nbgrader
    runs the notebooks (autograder/trust/templates.py); without it each starts here, and boots meanwhile."""
    import nbformat

    from autograder.trust.verify import Worker, replay_argv, worker_setup
    fork = None
    if ws.sandbox:
        own = replay_argv(ws, library, template=True)
        shared = None if library is None else (replay_argv(ws, template=True, libraries=library.parent), library.name)
        try:
            process.templates.prepare(process.templates.choose(own, shared)[0], root / "replay")
            process.task_count += 1
            fork = process.templates.forker(own, root / "replay", f"{task.student}/{process.task_count}", shared)
        except OSError:                         # each worker starts on its own, and says why if it cannot
            process.templates.discard()
    workers = {}
    for name, data in task.submitted.items():
        if name not in task.sources:
            continue
        try:
            setup = worker_setup(nbformat.reads(data.decode(), as_version=4),
                                 nbformat.reads(task.sources[name].decode(), as_version=4))
        except Exception:                       # unreadable: intake failed it already, or nbgrader will
            continue
        if setup is not None:
            folder = root / "replay" / Path(name).stem
            shutil.rmtree(folder, ignore_errors=True)
            try:
                workers[name] = Worker(replay_argv(ws, library), folder, setup,
                                       ws.cell_timeout or ws.config().Execute.timeout, fork=fork)
            except OSError:                     # verify_notebook tries again and says why in the cells
                continue
    return workers


def _verify(ws: Workspace, task: Task, outcome: Outcome, workers: dict, library: Path | None, root: Path) -> None:
    """Check the test cells the kernel passed again outside the student's kernel (autograder/trust/verify.py); a cell
    the trusted check fails scores 0."""
    import nbformat

    from autograder.trust.verify import replay_argv, verify_notebook
    if not outcome.success:
        for worker in workers.values():
            worker.close()
        return
    for name in sorted(set(outcome.graded) & set(task.sources)):
        notebook, worker = Path(name).stem, workers.pop(name, None)
        scores = outcome.grades.get(notebook, {})
        graded = nbformat.reads(outcome.graded[name].decode(), as_version=4)
        verdicts = verify_notebook(graded, nbformat.reads(task.sources[name].decode(), as_version=4),
                                   replay_argv(ws, library),
                                   root / "replay" / notebook,
                                   ws.cell_timeout or ws.config().Execute.timeout, ws.notebook_timeout,
                                   wanted={gid for gid, score in scores.items() if score}, worker=worker)
        shutil.rmtree(root / "replay" / notebook, ignore_errors=True)
        # a grading library's kernel ran only the visible cases of a hidden-test cell, or left the cell to the
        # grader and said so (a function whose own dependency is broken): the verdict here is the cell's grade
        left = left_to_grader(graded) if library is not None else set()
        outcome.verdicts[notebook] = {gid: {"passed": v.passed, "message": v.message, "hints": v.hints,
                                            "deferred": library is not None and (v.hidden or gid in left)}
                                      for gid, v in verdicts.items()}
        for gid, verdict in verdicts.items():
            if not verdict.passed:
                scores[gid] = 0.0
    for worker in workers.values():                # notebooks nbgrader did not grade
        worker.close()


def left_to_grader(graded) -> set[str]:
    """The test cells of a graded notebook whose kernel left them to the grader and said so (``nnlab.checks``
    prints ``LEFT_TO_GRADER`` where a checked function relies on a broken one of the student's). A student who
    prints the words themselves gains nothing: the grader's verdict is then the cell's grade."""
    from nnlab.checks import LEFT_TO_GRADER
    cells = set()
    for cell in graded.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        text = "".join(str(o.get("text", "")) for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        if gid and cell.cell_type == "code" and LEFT_TO_GRADER in text:
            cells.add(gid)
    return cells


def _fail_unchecked_hidden(task: Task, outcome: Outcome) -> None:
    """Score 0 every hidden-test cell (the sandbox's kernel ran only its visible cases), and every cell the
    kernel left to the grader, when the check outside the kernel could not run, saying so."""
    import nbformat

    from autograder.trust.verify import has_hidden, source_checks
    for name, data in task.sources.items():
        notebook = Path(name).stem
        left = left_to_grader(nbformat.reads(outcome.graded[name].decode(), as_version=4)) \
            if name in outcome.graded else set()
        for gid, calls in source_checks(nbformat.reads(data.decode(), as_version=4)).items():
            if (has_hidden(calls) or gid in left) and gid in outcome.grades.get(notebook, {}):
                outcome.grades[notebook][gid] = 0.0
                outcome.verdicts.setdefault(notebook, {})[gid] = {
                    "passed": False, "deferred": True,
                    "message": f"its hidden cases could not be checked ({outcome.verify_error})"}
