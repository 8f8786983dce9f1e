"""Grade submissions in several processes on one machine (``autograde --workers N``).

Work is split by student: each task grades one student's submissions one after another, so no two processes
ever touch the same student's folders or gradebook rows (several writers on one SQLite gradebook are fine for
disjoint students). Workers are *spawned* — fresh interpreters that share no database connection or kernel
with the parent — and each builds its own nbgrader API once.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

_WORKSPACE = None
_API = None


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                       # not Linux
        return max(1, os.cpu_count() or 1)


def _init(settings: dict, environ: dict):
    global _WORKSPACE, _API
    os.environ.update(environ)
    from .workspace import Workspace
    _WORKSPACE = Workspace(**settings)
    _API = _WORKSPACE.api()


def _grade_student(student: str, assignments: list[str]):
    from .grading import grade_submission
    return [grade_submission(_WORKSPACE, _API, student, a) for a in assignments]


def grade_in_parallel(ws, todo: Iterable[tuple[str, str]], workers: int, done: Callable) -> None:
    """Grade ``todo`` ((student, assignment) pairs) with ``workers`` processes; ``done(records)`` is called in
    this process as each student finishes. If a worker process dies (which breaks the whole pool), every
    student not yet finished is graded here, one by one, so every submission still ends with a record."""
    by_student: dict[str, list[str]] = {}
    for student, assignment in todo:
        by_student.setdefault(student, []).append(assignment)
    # the biggest groups first, so the last task to start is a short one
    order = sorted(by_student, key=lambda s: -len(by_student[s]))
    environ = {k: v for k, v in os.environ.items() if k.startswith(("NNLAB_", "MPL"))}
    context = multiprocessing.get_context("spawn")
    leftovers = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init,
                             initargs=(ws.settings(), environ)) as pool:
        futures = {pool.submit(_grade_student, s, by_student[s]): s for s in order}
        for future in as_completed(futures):
            try:
                done(future.result())
            except Exception:                       # a broken worker process: grade that student here
                leftovers.append(futures[future])
    if leftovers:
        from .grading import grade_submission
        api = ws.api()
        for student in leftovers:
            done([grade_submission(ws, api, student, a) for a in by_student[student]])
