"""GuardedExecute on its own, with real (unsandboxed) kernels: kernels started ahead of need."""
import os

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
