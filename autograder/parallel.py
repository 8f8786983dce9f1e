"""Run grading tasks: here, in local worker processes (``--workers N``) or on a Dask cluster (``--dask``).

Every way runs the same ``run_task`` (autograder/task.py) on self-contained tasks and hands each outcome back
to this process, which alone writes the gradebook, the autograded notebooks and the records (``finish``), in
the order outcomes arrive. Local workers are *spawned* — fresh interpreters sharing nothing with the grader —
and each keeps one scratch course and nbgrader API for all its tasks. Dask workers get the task's bytes and
return the outcome's: they need this package installed, not the course's files.

A worker that dies (which breaks a local pool) or a Dask task that is lost never loses a submission: whatever
did not come back is graded in this process afterwards, so every submission ends with a record.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                       # not Linux
        return max(1, os.cpu_count() or 1)


def _init(environ: dict):
    os.environ.update(environ)


def _tasks(ws, todo, done):
    """Prepare every submission: yields (task, start time); unreadable ones are finished here at once."""
    from .grading import Record, prepare
    seeds = {}
    for student, assignment in todo:
        if assignment not in seeds:
            seeds[assignment] = ws.seed_path(assignment).read_bytes()
        task = prepare(ws, student, assignment, seeds[assignment])
        if isinstance(task, Record):
            done(task)
        else:
            yield task


def grade_all(ws, todo: Iterable[tuple[str, str]], done: Callable, workers: int = 1, dask: str | None = None,
              ) -> None:
    """Grade ``todo`` ((student, assignment) pairs); ``done(record)`` is called in this process as each
    submission is finished."""
    from .grading import finish
    from .task import run_task
    todo = list(todo)
    left = []
    if dask:
        left = _on_dask(ws, todo, done, dask)
    elif workers > 1:
        environ = {k: v for k, v in os.environ.items() if k.startswith(("NNLAB_", "MPL"))}
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(environ,)) as pool:
            futures = {}
            for task in _tasks(ws, todo, done):
                futures[pool.submit(run_task, task)] = task
            for future in as_completed(futures):
                task = futures[future]
                try:
                    outcome = future.result()
                except Exception:                   # a broken worker process: grade it here afterwards
                    left.append((task.student, task.assignment))
                    continue
                done(finish(ws, task, outcome))
    else:
        left = todo
    for task in _tasks(ws, left, done):
        done(finish(ws, task, run_task(task)))


def _on_dask(ws, todo, done, address: str) -> list[tuple[str, str]]:
    """Send every task to the Dask scheduler at ``address``; returns the submissions that did not come back."""
    from distributed import Client, as_completed as dask_completed

    from .grading import finish
    from .task import run_task
    left = []
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        futures = {}
        for task in _tasks(ws, todo, done):
            future = client.submit(run_task, task, pure=False, key=f"grade-{task.student}-{task.assignment}-"
                                                                   f"{time.monotonic_ns()}")
            futures[future] = task
        for future in dask_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except Exception:                       # a worker lost or the task failed: grade it here afterwards
                left.append((task.student, task.assignment))
                continue
            done(finish(ws, task, outcome))
    return left
