"""nbgrader's ``Execute`` preprocessor, made crash-safe: a dead or hung kernel ends the run, not the grading.

Plain nbgrader throws a whole submission away when its kernel dies (``os._exit``, a segfault, the memory
cap) or stops answering (a loop that ignores interrupts, a long C call): no grades, no feedback, and the
gradebook keeps an earlier run's grades. ``GuardedExecute`` instead

- marks the cell where it happened with an error output saying what happened, and every later code cell
  with a ``CellNotRun`` error (so nbgrader scores them 0, and the student's feedback says why), then lets
  nbgrader save the grades earned before it;
- enforces a wall-clock budget for the whole notebook (``notebook_timeout``): each cell may run at most for
  what is left of it, and when it is spent the remaining cells are marked not run;
- keeps at most ``max_output_chars`` characters of output per cell (100 MB of prints would otherwise be
  held in memory and written into the graded notebook and its feedback); errors are always kept, and the
  first stderr output too (nbgrader scores a cell that wrote to stderr 0);
- starts kernels ahead of need (``prestart``): each notebook runs in a kernel that was started while the
  previous one ran, in a fresh empty folder of its own, and a new spare starts as soon as one is taken.

``cell_stop_reason`` reads those markers back from a graded notebook.

The spare kernel and the clock of cell seconds belong to the grading process: ``process``, which
``Workspace.api`` sets in the configuration (autograder/pipeline/process.py); where none is set (nbgrader run
by hand from a course workspace), every notebook uses the process's own. ``_get_timeout`` overrides nbclient's
private method (autograder/integration/patches.py lists it).
"""
from __future__ import annotations

import atexit
import math
import shutil
import tempfile
import time
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from traitlets import Bool, Instance, Integer, default

from nbgrader.preprocessors import Execute

DIED, HUNG, BUDGET, NOT_RUN = "KernelDied", "KernelUnresponsive", "NotebookTimeout", "CellNotRun"
TRUNCATED = "\n… output truncated"


class Spares:
    """One kernel started ahead of need, per grading process."""

    def __init__(self):
        self.key, self.km, self.folder, self.root = None, None, None, None

    def start(self, client, key):
        from jupyter_core.utils import run_sync
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="nnlab-kernels-cwd-"))
            atexit.register(self.discard)
            atexit.register(shutil.rmtree, self.root, True)
        folder = Path(tempfile.mkdtemp(dir=self.root))
        km = client.kernel_manager_class(kernel_name=key[0], config=client.config)
        if km.transport == "ipc":     # its own socket names: two kernels started in a row would otherwise both
            km.ip = f"{km.ip}-{folder.name}"   # pick the same free ones, as neither has bound them yet
        run_sync(km.start_kernel)(extra_arguments=list(key[1]), cwd=str(folder))
        return km, folder

    def take(self, client, key):
        """A started kernel for ``key`` (the spare, or one started now), and a new spare started behind it."""
        from jupyter_core.utils import run_sync
        alive = self.key == key and self.km is not None and run_sync(self.km.is_alive)()
        km, folder = (self.km, self.folder) if alive else (None, None)
        if km is None:
            self.discard()
            km, folder = self.start(client, key)
        self.key, self.km, self.folder = key, *self.start(client, key)
        return km, folder

    def discard(self) -> None:
        if self.km is not None:
            stop_kernel(self.km, self.folder)
        self.key = self.km = self.folder = None


def stop_kernel(km, folder=None, kc=None) -> None:
    from jupyter_core.utils import run_sync
    try:
        if kc is not None:
            kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:
        pass
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GuardedExecute(Execute):
    notebook_timeout = Integer(
        None, allow_none=True,
        help="Seconds the whole notebook may run (None: no budget beyond the per-cell timeout).",
    ).tag(config=True)

    max_output_chars = Integer(
        100_000, help="Characters of output kept per cell; the rest is replaced by one truncation line.",
    ).tag(config=True)

    prestart = Bool(
        True, help="Run each notebook in a kernel started while the previous notebook ran.",
    ).tag(config=True)

    process = Instance(
        "autograder.pipeline.process.ProcessState",
        help="The grading process's state: its spare kernel and cell clock (default: this process's own).",
    ).tag(config=True)

    @default("process")
    def _this_process(self):
        from autograder.pipeline.process import this_process
        return this_process()

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = None                       # (ename, reason) once the run has ended early
        self._started = time.monotonic()
        name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name")
        adopted = None
        if km is None and self.prestart and name:
            extra = list(self.extra_arguments)
            if not any(a.startswith("--HistoryManager.hist_file") for a in extra) and self.ipython_hist_file:
                extra.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
            km, folder = adopted = self.process.spares.take(self, (name, tuple(extra)))
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if adopted is not None:                # nbclient leaves a kernel it was handed running
                stop_kernel(*adopted, kc=getattr(self, "kc", None))

    # ------------------------------------------------------------------------------------------ cells
    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._stopped is None and self._budget_left() is not None and self._budget_left() <= 0:
            self._stopped = (BUDGET, f"the notebook used up its {self.notebook_timeout} s budget")
        if self._stopped is not None:
            cell.outputs = [_error(NOT_RUN, f"not run: {self._stopped[1]}")]
            cell.execution_count = None
            return cell, resources
        self._cell_chars = 0
        self._budget_limited = self._budget_left() is not None and self._budget_left() < (self.timeout or math.inf)
        began = time.perf_counter()
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            reason = "the kernel died while this cell ran (os._exit, a crash, or the memory cap)"
            self._stop(cell, DIED, reason, f"the kernel died in an earlier cell (cell {index + 1})")
        except CellTimeoutError:
            if self._budget_limited:
                reason = f"the notebook used up its {self.notebook_timeout} s budget in this cell"
                self._stop(cell, BUDGET, reason, f"the notebook used up its {self.notebook_timeout} s budget")
            else:
                reason = (f"the cell ran past the {self.timeout} s limit and did not stop when interrupted (a loop "
                          f"that ignores interrupts, or a long C call); the kernel was stopped")
                self._stop(cell, HUNG, reason, f"the kernel was stopped in an earlier cell (cell {index + 1})")
        finally:
            self.process.cell_seconds += time.perf_counter() - began
        return cell, resources

    def _stop(self, cell, ename: str, reason: str, later: str) -> None:
        self.log.warning("%s", reason)
        cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"]
        cell.outputs.append(_error(ename, reason))
        self._stopped = (ename, later)

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        cell = kwargs["cell"]
        if self._budget_limited and any(o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            timeouts = ("CellTimeoutError", "KeyboardInterrupt")
            cell.outputs = [o for o in cell.outputs if o.get("ename") not in timeouts]
            cell.outputs.append(_error(BUDGET, f"the notebook used up its {self.notebook_timeout} s budget "
                                               f"in this cell"))
            self._stopped = (BUDGET, f"the notebook used up its {self.notebook_timeout} s budget")

    # ------------------------------------------------------------------------------------------ time
    def _budget_left(self) -> float | None:
        if not self.notebook_timeout:
            return None
        return self.notebook_timeout - (time.monotonic() - self._started)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        left = self._budget_left()
        if left is None:
            return timeout
        left = max(1, math.ceil(left))
        return left if timeout is None else min(timeout, left)

    # ------------------------------------------------------------------------------------------ output
    def output(self, outs, msg, display_id, cell_index):
        kind = msg["msg_type"]
        if kind not in ("stream", "display_data", "execute_result", "update_display_data") or \
                self.max_output_chars is None or self.max_output_chars < 0:
            return super().output(outs, msg, display_id, cell_index)
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        used = getattr(self, "_cell_chars", 0)
        self._cell_chars = used + size
        if used + size <= self.max_output_chars:
            return super().output(outs, msg, display_id, cell_index)
        stderr = kind == "stream" and content.get("name") == "stderr"
        if stderr and not any(o.get("name") == "stderr" for o in outs):
            keep = max(200, self.max_output_chars - used)
            msg = dict(msg, content=dict(content, text=content["text"][:keep] + "\n… (stderr truncated)\n"))
            return super().output(outs, msg, display_id, cell_index)
        if not any(o.get("text", "").startswith(TRUNCATED) for o in outs):
            outs.append(NotebookNode(output_type="stream", name="stdout",
                                     text=f"{TRUNCATED}: this cell printed more than {self.max_output_chars:,} "
                                          f"characters\n"))
        return None


def cell_stop_reason(nb) -> str | None:
    """Why a graded notebook's run ended early (the first marker's text), or None."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") in (DIED, HUNG, BUDGET):
                return out.get("evalue")
    return None
