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
  previous one ran, in a fresh empty folder of its own, and a new spare starts as soon as one is taken (for
  the grading library of the task that comes next, none behind the last: ``Spares``); a sandboxed kernel is
  forked from a kernel template (autograder/trust/forked_kernels.py).

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
from queue import Empty

from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_hook
from nbformat.notebooknode import NotebookNode
from traitlets import Bool, Instance, Integer, default

from nbgrader.preprocessors import Execute

from autograder.trust.forked_kernels import KernelTemplates
from autograder.trust.templates import TemplateGone

DIED, HUNG, BUDGET, NOT_RUN = "KernelDied", "KernelUnresponsive", "NotebookTimeout", "CellNotRun"
TRUNCATED = "\n… output truncated"


class Spares:
    """One kernel started ahead of need, per grading process, and the kernels it is done with, stopped behind.

    A kernel is started for a key (kernel name, extra arguments: the grading library among them). ``take`` hands
    out the spare when the key matches, and starts the next one: for the key ``ahead`` makes of the taken one (the
    grader's: the grading library the next task names, or none when there is no next task), else for the same
    key. ``start_ahead`` replaces the spare with one for another key. Used kernels are stopped in a
    thread of their own (``stop_behind``): jupyter_client's shutdown waits for the process to exit, which the
    next notebook need not wait for; ``discard`` waits for them all.
    """

    def __init__(self):
        self.key, self.km, self.folder, self.kc, self.root = None, None, None, None, None
        self.client = None                         # the last notebook's client: its kernel manager class, config
        self.ahead = None                          # taken kernel's key → next spare's (None: no spare); unset: same
        self._stopping: list = []                  # futures of kernels being stopped behind
        self._reaper = None
        self.cold = 0                              # kernels ``take`` had to start itself: no spare was ready
        self.forks = KernelTemplates()             # the templates sandboxed kernels are forked from
        self.slot = self.busy = 0                  # the spare's template, and the taken kernel's

    def start(self, client, key, fork=True, wait=False):
        """``(km, folder, kc)``: a kernel for ``key`` started now, in a fresh folder, with a connected client. A
        sandboxed kernel is forked from the kernel template the taken kernel does not live in (``self.slot``:
        autograder/trust/forked_kernels.py); where that cannot even be asked for, or ``fork`` is False, it is
        started from scratch. ``wait``: for a notebook that waits for its kernel, the template's answer is
        awaited, and a fork it could not make is made again from scratch (before a client connects)."""
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="nnlab-kernels-cwd-"))
            atexit.register(self.discard)
            atexit.register(shutil.rmtree, self.root, True)
        km = client.kernel_manager_class(kernel_name=key[0], config=client.config)
        self.slot = 1 - self.busy
        folder = self.forks.start(km, key, self.slot, self.root) if fork else None
        if folder is None:
            folder = Path(tempfile.mkdtemp(dir=self.root))
            if km.transport == "ipc":  # its own socket names: two kernels started in a row would otherwise both
                km.ip = f"{km.ip}-{folder.name}"   # pick the same free ones, as neither has bound them yet
        try:
            run_sync(km.start_kernel)(extra_arguments=list(key[1]), cwd=str(folder))
        except TemplateGone:          # its template is gone: this one from scratch (the next, a new template)
            try:
                km.cleanup_connection_file()
            except OSError:
                pass
            shutil.rmtree(folder, ignore_errors=True)
            return self.start(client, key, fork=False)
        if wait and fork:
            self.forks.settle(km)
            if not run_sync(km.is_alive)():
                stop_kernel(km, folder)
                return self.start(client, key, fork=False)
        kc = km.client()
        kc.start_channels()         # connected now: by the time the kernel is taken, its IOPub subscription is in place
        return km, folder, kc

    def take(self, client, key):
        """``(km, folder, kc)``: a started kernel for ``key`` (the spare, or one started now) with a connected
        client, and a new spare started behind it."""
        self.client = client
        if self.key == key and self.km is not None:
            self.forks.settle(self.km)             # a forked spare: its template has said whether it started
        alive = self.key == key and self.km is not None and run_sync(self.km.is_alive)()
        taken = (self.km, self.folder, self.kc) if alive else None
        if taken is None:
            self._drop()
            taken = self.start(client, key, wait=True)
            self.cold += 1
        self.busy = self.slot                      # the next spare comes from the other template
        following = key if self.ahead is None else self.ahead(key)
        self.key = self.km = self.folder = self.kc = None           # the taken kernel is no spare any more
        if following is not None:
            self._start_spare(following)
        return taken

    def start_ahead(self, key, client=None) -> None:
        """Make the spare a kernel for ``key``, unless it is one already. ``client``: a ``GuardedExecute``
        configured as the notebooks' will be (autograder/pipeline/task.py's ``_start_kernel_now``), for a process
        that has not started a kernel yet; without one, nothing is started before the first notebook asks."""
        self.client = client or self.client
        if self.client is not None and self.key != key:
            self._drop()
            self._start_spare(key)

    def _start_spare(self, key) -> None:
        """Start the spare for ``key`` (there is none now). A spare is a head start, so a kernel that fails to
        start leaves no spare and raises nothing: the next notebook starts its own, or says why it cannot."""
        try:
            self.key, (self.km, self.folder, self.kc) = key, self.start(self.client, key)
        except Exception:        # nothing was assigned: the spare's fields are still the empty ones
            pass

    def stop_behind(self, km, folder=None, kc=None) -> None:
        """Stop a kernel that is done with, without waiting for it."""
        from concurrent.futures import ThreadPoolExecutor
        if kc is not None:
            kc.stop_channels()                     # in this thread, whose event loop its channels belong to
        if self._reaper is None:
            self._reaper = ThreadPoolExecutor(1, thread_name_prefix="nnlab-kernel-stop")
        self._stopping = [f for f in self._stopping if not f.done()]
        try:
            self._stopping.append(self._reaper.submit(stop_kernel, km, folder))
        except RuntimeError:                       # the interpreter is exiting: no new threads, so here and now
            stop_kernel(km, folder)

    def _drop(self) -> None:
        if self.km is not None:
            self.stop_behind(self.km, self.folder, self.kc)
        self.key = self.km = self.folder = self.kc = None

    def settle(self) -> None:
        """Wait until every kernel stopped behind has exited."""
        from concurrent.futures import wait
        wait(self._stopping)
        self._stopping = []

    def discard(self) -> None:
        """Stop the spare, and wait until every kernel stopped behind has exited (also at the process's exit,
        when no thread can be started any more: the spare is stopped in this thread)."""
        if self.km is not None:
            stop_kernel(self.km, self.folder, self.kc)
        self.key = self.km = self.folder = self.kc = None
        self.settle()
        self.forks.discard()


async def kernel_ready(kc, timeout: float | None) -> None:
    """Wait until the kernel answers a kernel_info request on its shell channel and says on IOPub that it is
    idle after it (so IOPub is connected, and nothing of the request is left to come), as long as ``timeout``.

    A kernel still starting answers every request sent so far at once, in order: each reply counts, and the
    idle status of the latest answered one ends the wait."""
    deadline = time.monotonic() + (math.inf if timeout is None else timeout)
    sent = set()
    while True:
        sent.add(kc.kernel_info())
        replies, wait = [], 1.0
        while True:
            try:
                replies.append(await ensure_async(kc.shell_channel.get_msg(timeout=wait)))
            except Empty:
                break
            wait = 0                               # then whatever else is there already
        answered = [r for r in replies if r["msg_type"] == "kernel_info_reply"
                    and r["parent_header"].get("msg_id") in sent]
        if answered and await _idle_after(kc, answered[-1]["parent_header"]["msg_id"], time.monotonic() + 0.5):
            handle = getattr(kc, "_handle_kernel_info_reply", None)     # what wait_for_ready does with it
            if handle is not None:
                handle(answered[-1])
            return
        if not await ensure_async(kc.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")


async def _idle_after(kc, msg_id: str, until: float) -> bool:
    """True once IOPub says idle for ``msg_id``; False if it has not by ``until`` (the subscription was late)."""
    while (left := until - time.monotonic()) > 0:
        try:
            msg = await ensure_async(kc.iopub_channel.get_msg(timeout=left))
        except Empty:
            return False
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                and msg["content"].get("execution_state") == "idle":
            return True
    return False


def stop_kernel(km, folder=None, kc=None) -> None:
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

    def spare_key(self, name: str) -> tuple:
        """The key of the kernels this client starts for the kernel named ``name`` (``Spares``): the name and the
        kernel's extra arguments."""
        extra = list(self.extra_arguments)
        if not any(a.startswith("--HistoryManager.hist_file") for a in extra) and self.ipython_hist_file:
            extra.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
        return name, tuple(extra)

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = None                       # (ename, reason) once the run has ended early
        self._started = time.monotonic()
        name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name")
        adopted, self._ahead_kc = None, None
        if km is None and self.prestart and name:
            km, folder, self._ahead_kc = adopted = self.process.spares.take(self, self.spare_key(name))
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if adopted is not None:                # nbclient leaves a kernel it was handed running
                self.process.spares.stop_behind(km, folder, kc=getattr(self, "kc", None) or self._ahead_kc)

    async def async_start_new_kernel_client(self):
        """nbclient's, with the client of a kernel started ahead, connected since the kernel started: one
        kernel_info round trip tells it is ready (``kernel_ready``). nbclient's own wait, for a new client,
        ends only after 0.2 s of silence on IOPub, and takes another round when the subscription was late."""
        kc, self._ahead_kc = self._ahead_kc, None
        if kc is None:
            return await super().async_start_new_kernel_client()
        self.kc = kc
        try:
            await kernel_ready(kc, self.startup_timeout)
        except Exception as exc:
            self.log.error("Error occurred while starting new kernel client for kernel %s: %s",
                           getattr(self.km, "kernel_id", None), exc)
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)   # nbclient binds its own by name

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
