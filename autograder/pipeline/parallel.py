"""Run grading tasks: here, in local worker processes (``--workers N``) or on a Dask cluster (``--dask``).

Every way runs the same ``run_task`` (autograder/pipeline/task.py) on self-contained tasks and hands each outcome back
to this process, which alone writes the gradebook, the autograded notebooks and the records (``finish``), in
the order outcomes arrive. Local workers are *spawned* — fresh interpreters sharing nothing with the grader —
and each, like every Dask worker, keeps its own state for all its tasks (autograder/pipeline/process.py: the
scratch course and its nbgrader API, the spare kernel). Dask workers get the task's bytes and return the
outcome's: they need this package installed, not the course's files.

A worker that dies (which breaks a local pool) or a Dask task that is lost never loses a submission: whatever
did not come back is graded in this process afterwards, so every submission ends with a record.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from autograder.pipeline.process import this_process
from autograder.pipeline.task import Outcome, Task, run_task


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                       # not Linux
        return max(1, os.cpu_count() or 1)


def _init(environ: dict):
    from autograder.quick_exit import exit_quickly
    os.environ.update(environ)
    exit_quickly()


#: one task at a time per process: a process has one scratch course and one environment (a Dask worker started
#: with more than one thread would otherwise run two tasks in them at once)
ONE_AT_A_TIME = threading.Lock()


def run_in_worker(task: Task) -> Outcome:
    """Run a task in a worker process (local or Dask), in the state that the worker's earlier tasks built."""
    with ONE_AT_A_TIME:
        return run_task(task, this_process())


def _tasks(ws, todo, done, ahead: int = 1) -> Iterator:
    """Prepare the submissions one at a time as they are needed; unreadable ones are finished here at once.
    Each task is handed out once the one ``ahead`` places after it is prepared, naming the grading library that
    one needs (``then``): the task the same process will likely run next (one process: the next task; N local
    workers, which take tasks in turn: the N-th next)."""
    from collections import deque

    from autograder.pipeline.grading import Record, prepare
    from autograder.pipeline.task import open_from
    seeds, waiting = {}, deque()
    for student, assignment in todo:
        if assignment not in seeds:
            seeds[assignment] = ws.seed_path(assignment).read_bytes()
        task = prepare(ws, student, assignment, seeds[assignment])
        if isinstance(task, Record):
            done(task)
            continue
        if len(waiting) == ahead:
            first = waiting.popleft()
            first.then = open_from(task)
            yield first
        waiting.append(task)
    yield from waiting


def grade_all(ws, todo: Iterable[tuple[str, str]], done: Callable, workers: int = 1,
              dask: str | None = None) -> None:
    """Grade ``todo`` ((student, assignment) pairs); ``done(record)`` is called in this process as each
    submission is finished."""
    from autograder.pipeline.grading import finish
    todo = list(todo)
    if dask:
        left = _on_dask(ws, todo, done, dask)
    elif workers > 1:
        left = _on_processes(ws, todo, done, workers)
    else:
        left = todo
    process = this_process()
    try:
        for task in _tasks(ws, left, done):
            done(finish(ws, task, run_task(task, process)))
    finally:
        process.spares.discard()               # the kernel started ahead for a next notebook that never came
        process.templates.discard()


def _stream(tasks: Iterable, submit: Callable, wait_first: Callable, window: int) -> Iterator:
    """Yield ``(task, future)`` as tasks finish, with at most ``window`` of them submitted and not yet done:
    a class of thousands never sits in memory, or in the scheduler, all at once."""
    tasks, flying = iter(tasks), {}
    while True:
        while len(flying) < window and (task := next(tasks, None)) is not None:
            flying[submit(task)] = task
        if not flying:
            return
        finished, _ = wait_first(list(flying))
        for future in finished:
            yield flying.pop(future), future


def _collect(ws, stream, done) -> list[tuple[str, str]]:
    """Finish every outcome that comes back; returns the submissions whose task was lost."""
    from autograder.pipeline.grading import finish
    left = []
    for task, future in stream:
        try:
            outcome = future.result()
        except Exception:                      # a broken worker process or a lost Dask task: graded here later
            left.append((task.student, task.assignment))
            continue
        done(finish(ws, task, outcome))
    return left


def _on_processes(ws, todo, done, workers: int) -> list[tuple[str, str]]:
    environ = {k: v for k, v in os.environ.items() if k.startswith(("NNLAB_", "MPL"))}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(environ,)) as pool:
        def submit(task):
            try:
                return pool.submit(run_in_worker, task)
            except BrokenProcessPool as exc:     # the pool broke earlier: this task is graded here later
                future = Future()
                future.set_exception(exc)
                return future
        wait_first = lambda fs: wait(fs, return_when=FIRST_COMPLETED)  # noqa: E731
        return _collect(ws, _stream(_tasks(ws, todo, done, ahead=workers), submit, wait_first, 2 * workers),
                        done)


def _on_dask(ws, todo, done, address: str) -> list[tuple[str, str]]:
    """Send the tasks to the Dask scheduler at ``address``; returns the submissions that did not come back."""
    from distributed import Client
    from distributed import wait as dask_wait

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        window = max(4, 2 * sum(client.nthreads().values()))
        submit = lambda task: client.submit(run_in_worker, task, pure=False,  # noqa: E731
                                            key=f"grade-{task.student}-{task.assignment}-{time.monotonic_ns()}")
        wait_first = lambda fs: dask_wait(fs, return_when="FIRST_COMPLETED")  # noqa: E731
        return _collect(ws, _stream(_tasks(ws, todo, done), submit, wait_first, window), done)
