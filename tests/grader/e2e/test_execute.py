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
        assert not run_sync(spare.is_alive)()                               # a used kernel is shut down
        cwd = _run("import os\nprint(os.getcwd(), os.listdir('.'))")
        assert "nnlab-kernels-cwd-" in cwd and cwd.strip().endswith("[]")  # a fresh, empty folder each time
    finally:
        SPARES.discard()
    assert SPARES.km is None
