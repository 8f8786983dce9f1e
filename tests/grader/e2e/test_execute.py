"""GuardedExecute on its own, with real (unsandboxed) kernels: kernels started ahead of need, and which kernel the
grader has started ahead for the next notebook."""
import os
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from autograder.integration.execute import GuardedExecute
from autograder.pipeline.process import ProcessState

pytestmark = pytest.mark.grader

PROCESS = ProcessState()          # given to every GuardedExecute as Workspace.api gives it: in the configuration
SPARES = PROCESS.spares


def _run(code: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    GuardedExecute(config=Config({"GuardedExecute": {"process": PROCESS}}), timeout=60).preprocess(
        nb, {"metadata": {"path": os.getcwd()}})
    return "".join(o.get("text", "") for o in nb.cells[0].outputs)


def test_each_notebook_runs_in_the_kernel_started_while_the_previous_one_ran():
    from jupyter_core.utils import run_sync
    SPARES.discard()
    try:
        first = int(_run("import os\nprint(os.getpid())"))
        spare = SPARES.km
        assert spare is not None and run_sync(spare.is_alive)()           # started behind the first notebook
        spare_pid = spare.provisioner.process.pid
        second = int(_run("import os, time\nprint(os.getpid())"))
        assert second == spare_pid != first                                 # the second ran in that spare
        assert SPARES.km is not spare and run_sync(SPARES.km.is_alive)()    # and the next one is waiting
        SPARES.settle()
        assert not run_sync(spare.is_alive)()                               # a used kernel is shut down
        cwd = _run("import os\nprint(os.getcwd(), os.listdir('.'))")
        assert "nnlab-kernels-cwd-" in cwd and cwd.strip().endswith("[]")  # a fresh, empty folder each time
    finally:
        SPARES.discard()
    assert SPARES.km is None


def test_the_spare_is_started_again_for_the_next_tasks_arguments():
    from jupyter_core.utils import run_sync
    SPARES.discard()
    try:
        _run("pass")
        spare, key = SPARES.km, SPARES.key
        SPARES.start_ahead(key)                                             # the same arguments: kept
        assert SPARES.km is spare
        other = (key[0], key[1] + ("--HistoryManager.enabled=False",))
        SPARES.start_ahead(other)                                           # another task's: replaced
        assert SPARES.key == other and SPARES.km is not spare and run_sync(SPARES.km.is_alive)()
        SPARES.settle()
        assert not run_sync(spare.is_alive)()
    finally:
        SPARES.discard()


def test_the_kernel_started_behind_is_the_one_the_grader_says_comes_next():
    from jupyter_core.utils import run_sync
    SPARES.discard()
    taken = []
    try:
        SPARES.ahead = lambda key: taken.append(key) or (key[0], key[1] + ("--HistoryManager.enabled=False",))
        _run("pass")
        assert SPARES.key == (taken[0][0], taken[0][1] + ("--HistoryManager.enabled=False",))
        assert run_sync(SPARES.km.is_alive)()
        SPARES.ahead = lambda key: None                                    # no next task: nothing is started
        _run("pass")
        assert SPARES.km is None and SPARES.key is None
        SPARES.ahead = None
        _run("pass")
        spare = SPARES.km
        SPARES.ahead = lambda key: None            # the spare taken, and none behind it: it is no spare any more
        _run("pass")
        assert SPARES.km is None and SPARES.key is None
        SPARES.settle()
        assert not run_sync(spare.is_alive)()                              # and it was shut down once used
    finally:
        SPARES.ahead = None
        SPARES.discard()


def test_a_tasks_notebooks_keep_its_kernel_key_and_the_last_one_starts_the_next_tasks(monkeypatch, tmp_path):
    from autograder.pipeline import task as task_module
    from autograder.pipeline.task import Task, _plan_spares
    from autograder.trust.sandbox import LIBRARY
    monkeypatch.setattr(task_module, "grading_library", lambda root, first: Path(root) / first)
    process = ProcessState()
    work = Task("ada", "08_jax", sources={"a.ipynb": b"", "b.ipynb": b""}, seed=b"",
                submitted={"a.ipynb": b"", "b.ipynb": b"", "timestamp.txt": b""}, then="09_more")
    following = _plan_spares(process, tmp_path / "08_jax", work)
    assert following == tmp_path / "09_more"
    key = ("nnlab-sandbox", ("--x", LIBRARY + str(tmp_path / "08_jax")))
    assert process.spares.ahead(key) == key                                 # the task's second notebook
    assert process.spares.ahead(key) == ("nnlab-sandbox", ("--x", LIBRARY + str(tmp_path / "09_more")))
    work.then = None                                                        # the last task: no kernel ahead
    assert _plan_spares(process, tmp_path / "08_jax", work) is None
    assert [process.spares.ahead(key), process.spares.ahead(key)] == [key, None]
    assert _plan_spares(process, None, work) is None and process.spares.ahead is None   # no library: same key


def test_each_task_names_the_library_of_the_task_its_process_will_run_next(monkeypatch):
    from autograder.pipeline import grading, parallel, task as task_module
    from autograder.pipeline.task import Task

    class Course:
        def seed_path(self, assignment):
            return Path(__file__)
    monkeypatch.setattr(grading, "prepare", lambda ws, student, assignment, seed: Task(student, assignment, {}, b"",
                                                                                          {}))
    monkeypatch.setattr(task_module, "open_from", lambda task: task.assignment)
    todo = [("ada", "01"), ("ben", "01"), ("ada", "02"), ("ben", "02"), ("ada", "03")]
    one = [(t.student, t.assignment, t.then) for t in parallel._tasks(Course(), todo, print)]
    assert one == [("ada", "01", "01"), ("ben", "01", "02"), ("ada", "02", "02"), ("ben", "02", "03"),
                   ("ada", "03", None)]
    two = [t.then for t in parallel._tasks(Course(), todo, print, ahead=2)]
    assert two == ["02", "02", "03", None, None]


def test_a_kernel_still_starting_is_ready_after_one_wait_and_then_runs_code():
    """Requests sent before the kernel listens are all answered at once when it does: the wait must not fall
    behind them (each reply counts), and the kernel must then run a cell."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from autograder.integration.execute import kernel_ready, stop_kernel
    km = AsyncKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)()
    kc = km.client()
    kc.start_channels()                                                     # at once, as a spare's client is
    try:
        run_sync(kernel_ready)(kc, 60)
        reply = run_sync(kc.execute_interactive)("print(6 * 7)", timeout=60, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok"
    finally:
        stop_kernel(km, kc=kc)
