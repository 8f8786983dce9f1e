"""What a grading process keeps from one task to the next: one ``ProcessState`` per process, passed explicitly.

A process that runs grading tasks (the grader itself, each local worker process, each Dask worker) reuses,
task after task: the scratch course the tasks are unpacked into and its nbgrader API (autograder/pipeline/
task.py), the kernel started ahead of need (``integration/execute.py``'s ``Spares``), the replay template its
out-of-kernel checks fork their workers from (autograder/trust/templates.py), the folder of its kernels'
sockets, and a clock of the seconds its cells ran, for the grader's overhead figure.

``run_task(task, process)`` and the scratch setup take the state as an argument; ``GuardedExecute``, which
nbgrader instantiates by name for every notebook, gets it through the nbgrader configuration that
``Workspace.api`` builds. ``this_process()`` makes the state where a process starts grading (``grade_all``,
a worker's first task).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.course.workspace import Workspace, kernel_socket_prefix
from autograder.integration.execute import Spares
from autograder.trust.templates import Templates


@dataclass
class Scratch:
    """The private course tasks are unpacked into, under ``root``, for the limits ``key`` of its workspace."""
    root: Path
    key: tuple
    ws: Workspace
    api: Any                                       # nbgrader's NbGraderAPI for ``ws``


class ProcessState:
    """A grading process's spare kernel, replay template, scratch course, kernel socket folder and cell clock."""

    def __init__(self):
        self.spares = Spares()
        self.templates = Templates()               # the replay template (autograder/trust/templates.py)
        self.task_count = 0                        # tasks that used it: each task's token for it
        self.scratch: Scratch | None = None
        self.cell_seconds = 0.0                    # time spent running cells in the current task
        self._sockets: str | None = None

    def kernel_socket_prefix(self) -> str:
        """The socket path prefix of every kernel this process starts, in a folder made on first use."""
        if self._sockets is None:
            self._sockets = kernel_socket_prefix()
        return self._sockets

    def __deepcopy__(self, memo) -> ProcessState:
        # traitlets deep-copies every configured value into each configurable it makes (a GuardedExecute per
        # notebook): they must all share this process's spare kernel and clock, not copies of them
        return self


# the one module-level reference: a worker process's tasks arrive as plain function calls (a process pool's,
# Dask's), with nowhere else to keep what the worker's earlier tasks built
_THIS_PROCESS: list[ProcessState] = []


def this_process() -> ProcessState:
    """This process's state, made on first use."""
    if not _THIS_PROCESS:
        _THIS_PROCESS.append(ProcessState())
    return _THIS_PROCESS[0]
