"""Grading kernels forked from a kernel template instead of started from scratch: the grader's side.

A sandboxed kernel started from scratch runs a Python launcher, bubblewrap and a new interpreter, imports
ipykernel, and then the notebook's first cell imports numpy, matplotlib and nnlab: about 0.6 CPU s before the
student's first line, every notebook. A kernel template (autograder/trust/template.py with ``KERNELS``) pays
that once per grading process: it imports ipykernel, numpy and ``matplotlib.pyplot`` (matplotlib set up for
the inline backend, which itself is imported only in the kernel), and answers each request with a fork that
becomes an ``IPKernelApp`` on the sockets of the connection file the grader sends, in a folder of its own.

Isolation is the replay template's (autograder/trust/template.py): all of a template's children live in one
sandbox, which the template clears (every process killed, ``/tmp`` and its folder emptied) whenever the task
changes; here every kernel is its own task, so each kernel starts in a sandbox that holds nothing of anyone
else's. A kernel is started ahead while the notebook before it still runs (``Spares``), so a grading process
keeps two templates and forks each new kernel from the one the running notebook's kernel does not live in
(``KernelTemplates.start``): clearing one never touches a running notebook. A shared template holds every
grading library and each kernel binds its own (autograder/trust/own_library.py); where that is not possible,
a template serves one library.

The grader watches a forked kernel through a pidfd the template sends with its answer (``ForkedKernel``: polls
it, signals through it) and stops it, with everything it started, through the template (its process group).
jupyter_client talks to it through ``ForkedProvisioner``, a ``LocalProvisioner`` that forks instead of
``Popen``. A fork that fails (its template has died, as a student's kernel may kill its own, or did not answer
in time, or had no pidfd to give) costs that kernel only: it is started from scratch and the template
replaced. After ``FAILURES`` failures in a row kernels start from scratch for the rest of the run, as they
always do where the kernel is not sandboxed or the environment sets ``NNLAB_FORK_KERNELS=0``.
"""
from __future__ import annotations

import json
import os
import select
import signal
import tempfile
import time
import uuid
from collections import deque
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner

from autograder.trust.sandbox import KERNEL_TEMPLATE, LIBRARIES, LIBRARY, argument, kernel_options
from autograder.trust.templates import ANSWER, STARTUP, NoIsolation, Template, TemplateGone


SWITCH = "NNLAB_FORK_KERNELS"   # set to 0: every kernel starts from scratch (to compare, or where forking fails)
FAILURES = 2                    # forks failed in a row before kernels start from scratch for the rest of the run


class Pending:
    """A fork request whose answer has not been read yet: then its ``answer`` and ``fds``, or its ``error``."""

    def __init__(self, patience: float):
        self.answer, self.fds, self.error = None, [], None
        self.deadline = time.monotonic() + patience

    @property
    def waiting(self) -> bool:
        return self.answer is None and self.error is None


class KernelTemplate(Template):
    """A kernel template. A fork request does not wait for its answer (``send_fork``): the kernel boots in the
    sandbox while the grader goes on, and the answers are read, in order, when one is needed (``collect``)."""

    def __init__(self, argv: list[str], home: Path):
        super().__init__(argv, home)
        self._queue: deque[Pending] = deque()  # the requests sent whose answers have not been read, in order
        self._broken: TemplateGone | None = None

    def send_fork(self, task: str, cwd: Path, library: str | None, connection: str,
                  arguments: list[str]) -> Pending:
        """Ask for a new kernel for ``task``, in ``cwd`` (a folder under ``home``), with the grading library
        ``library`` (a shared template's), listening where the connection file's text ``connection`` says;
        ``arguments``: the kernel's extra options (autograder/trust/template.py's ``_kernel_child``)."""
        relative = Path(cwd).resolve().relative_to(self.home.resolve())
        request = {"op": "fork", "task": task, "cwd": str(relative), "library": library,
                   "kernel": {"connection": connection, "arguments": list(arguments)}}
        with self.lock:
            if self._broken is not None:
                raise self._broken
            pending = Pending(ANSWER if self.booted else STARTUP + ANSWER)
            try:
                self.sock.send(json.dumps(request).encode())
            except OSError as exc:
                raise TemplateGone(f"the kernel template's socket failed: {exc}") from None
            self._queue.append(pending)
        return pending

    def collect(self, pending: Pending, timeout: float) -> None:
        """Read the template's answers, in order, until ``pending`` has had its own, for at most ``timeout`` s."""
        with self.lock:
            self._collect(lambda: pending.waiting, time.monotonic() + timeout)

    def _collect(self, waiting, deadline: float) -> None:
        while waiting() and self._broken is None:
            try:
                ready, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
            except (OSError, ValueError):      # the socket is closed: the template was stopped
                self._fail(TemplateGone("the kernel template was stopped"))
                return
            if not ready:
                return
            fds: list[int] = []
            try:
                answer = self._read(fds)
            except TemplateGone as exc:
                self._fail(exc)
                return
            if not self.booted:                # its first message says whether it could boot
                for fd in fds:
                    os.close(fd)
                if not answer.get("ok"):
                    error = str(answer.get("error"))[:300]
                    self._fail(NoIsolation(error) if answer.get("isolation") is False else TemplateGone(error))
                    return
                self.booted = True
                continue
            if not self._queue:                # nothing asked for it: not an answer of this protocol
                for fd in fds:
                    os.close(fd)
                continue
            head = self._queue.popleft()
            if answer.get("ok") and "pid" in answer and len(fds) == 1:
                head.answer, head.fds = answer, fds
            else:
                for fd in fds:
                    os.close(fd)
                head.error = TemplateGone(str(answer.get("error") or "no pidfd came with the kernel")[:300])

    def _fail(self, error: TemplateGone) -> None:
        """The template can answer nothing more: every request still waiting fails with ``error``."""
        self._broken = error
        while self._queue:
            self._queue.popleft().error = error

    def kill(self, pid: int) -> None:
        """Kill a kernel's process group (autograder/trust/template.py: with it, once no other kernel is left,
        everything else in the sandbox); the answers to the forks asked for before are read first."""
        try:
            with self.lock:
                self._collect(lambda: bool(self._queue), time.monotonic() + ANSWER)
                if self._broken is not None or self._queue:   # an answer still to come would be read as this one's
                    return
                self.sock.send(json.dumps({"op": "kill", "pid": pid}).encode())
                self._reply(ANSWER)
        except (OSError, TemplateGone):       # the template is gone: its sandbox goes when it is closed
            pass

    def close(self) -> None:
        with self.lock:
            self._fail(TemplateGone("the kernel template was stopped"))
        super().close()


class ForkedKernel:
    """A kernel forked by a template, with the part of ``subprocess.Popen``'s interface jupyter_client's
    ``LocalProvisioner`` uses: ``pid`` (in the sandbox, once known), ``poll``, ``wait``, ``send_signal``,
    ``kill``, ``terminate``. Until the template's answer is read it counts as running; a fork that failed, or
    whose answer did not come in time, counts as a kernel that ended (exit status 1), and ``done`` is told why
    (``None``: it started)."""

    stdin = stdout = stderr = None

    def __init__(self, template: KernelTemplate, pending: Pending, done):
        self.template, self.pending, self.done = template, pending, done
        self.pid = self.pidfd = self.returncode = None
        self._signal = None                    # the last signal sent: the exit status reported for it

    def resolve(self, timeout: float) -> None:
        """Read the template's answer to the fork where it has not been read, waiting for it up to ``timeout`` s."""
        pending = self.pending
        if pending is None:
            return
        self.template.collect(pending, max(0.0, min(timeout, pending.deadline - time.monotonic())))
        if pending.waiting and time.monotonic() < pending.deadline:
            return
        self.pending = None
        if pending.answer is not None:
            self.pid, self.pidfd = int(pending.answer["pid"]), pending.fds[0]
            self.done(None)
        else:
            self.returncode = 1
            self.done(pending.error or TemplateGone("the kernel template did not answer in time"))

    def _ended(self, timeout: float) -> bool:
        if self.returncode is None:
            started = time.monotonic()
            self.resolve(timeout)
            if self.pidfd is not None:
                left = max(0.0, timeout - (time.monotonic() - started))
                ready, _, _ = select.select([self.pidfd], [], [], left)
                if ready:                      # a pidfd is readable once its process has exited
                    self.returncode = -self._signal if self._signal else 0
                    os.close(self.pidfd)
                    self.pidfd = None
        return self.returncode is not None

    def poll(self):
        self._ended(0)
        return self.returncode

    def wait(self, timeout: float | None = None):
        self._ended(STARTUP + ANSWER if timeout is None else timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        self.resolve(ANSWER)
        if self.poll() is not None or self.pidfd is None:   # ended, or not known yet: its template's clear kills it
            return
        self._signal = signum
        if signum in (signal.SIGKILL, signal.SIGTERM):
            self.template.kill(self.pid)       # the kernel's process group, what it started with it
        if self.poll() is None:               # where the template could not (or need not), the kernel itself
            try:
                signal.pidfd_send_signal(self.pidfd, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching the kernel with ``fork(connection_text)`` (set by
    ``KernelTemplates.start``) instead of its command line."""

    fork = None

    async def launch_kernel(self, cmd, **kwargs):
        self.process = self.fork(Path(self.parent.connection_file).read_text())
        self.pid = self.pgid = None            # its group is in the sandbox: signals go through the template
        self.cwd = kwargs.get("cwd")
        return self.connection_info


def sandboxed(km) -> bool:
    """Whether ``km``'s kernelspec starts its kernel in the grading sandbox (autograder/trust/sandbox.py), over
    IPC (a sandbox has no network)."""
    try:
        argv = km.kernel_spec.argv
    except Exception:
        return False
    return argv[1:3] == ["-m", "autograder.trust.sandbox"] and km.transport == "ipc"


class KernelTemplates:
    """A grading process's two kernel templates, each kernel forked from the one the running notebook's kernel
    does not live in (``slot``), under the folder ``root``; or, once forking has failed ``FAILURES`` times in a
    row, or where ``SWITCH`` is 0, none (``why`` says why)."""

    def __init__(self):
        self.templates: list[KernelTemplate | None] = [None, None]
        self.shared = True                     # False once a shared template found no namespaces for its children
        self.why: str | None = f"{SWITCH}=0 is set" if os.environ.get(SWITCH) == "0" else None
        self.failures = 0                      # forks that failed since the last that worked
        self.count = 0                         # kernels asked for: each one's task token

    def start(self, km, key: tuple, slot: int, root: Path) -> Path | None:
        """Give ``km`` (not started yet) a provisioner that forks its kernel from template ``slot`` (0 or 1), for
        the spare kernel's ``key`` (autograder/integration/execute.py); returns the kernel's folder. None where
        kernels are not forked here: ``km`` is then unchanged."""
        if self.why is not None or not sandboxed(km):
            return None
        arguments = kernel_options(key[1])
        library = argument(key[1], LIBRARY)
        library = Path(library) if library is not None else None
        try:
            template, name = self._template(km, library, Path(root), slot)
            folder = Path(tempfile.mkdtemp(dir=template.home))
        except OSError as exc:                 # no template could be started: this kernel from scratch
            self._done(slot, None, TemplateGone(f"no kernel template: {exc}"))
            return None
        km.kernel_id = km.kernel_id or str(uuid.uuid4())
        km.ip = str(folder) + ".s"             # its sockets, beside its folder: where the sandbox and grader meet
        provisioner = ForkedProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)

        def fork(connection: str) -> ForkedKernel:
            self.count += 1
            try:
                pending = template.send_fork(f"kernel-{self.count}", folder, name, connection, arguments)
            except TemplateGone as exc:
                self._done(slot, template, exc)
                raise
            return ForkedKernel(template, pending, lambda error: self._done(slot, template, error))

        provisioner.fork = fork
        km.provisioner = provisioner
        return folder

    def settle(self, km) -> None:
        """Wait for the template's answer to ``km``'s fork (a spare about to be taken), where it has not come."""
        process = getattr(km.provisioner, "process", None) if isinstance(km.provisioner, ForkedProvisioner) else None
        if process is not None:
            process.resolve(STARTUP + ANSWER)

    def _done(self, slot: int, template: KernelTemplate | None, error: TemplateGone | None) -> None:
        """A fork from ``template`` worked (``error`` None) or failed: the template is then replaced."""
        if error is None:
            self.failures = 0
            return
        if isinstance(error, NoIsolation):    # for the rest of the run: templates for one library each
            self.shared = False
        else:
            self.failures += 1
            if self.failures >= FAILURES:
                self.why = str(error)
        if template is not None and self.templates[slot] is template:
            self._discard(slot)

    def _template(self, km, library: Path | None, root: Path, slot: int) -> tuple[KernelTemplate, str | None]:
        """Template ``slot`` for ``library``, booting (the old one stopped where it was for another library or
        has ended), and the library's name for a shared template's requests. Only the template asked for boots:
        the other one is first asked for by the kernel behind this one, while this one's notebook runs. (Booting
        both at once, a process's first kernel was ready 0.54 s after its notebook asked for it, against 0.36 s
        booting one: medians of four, two cores.)"""
        base = list(km.kernel_spec.argv[:4]) + [KERNEL_TEMPLATE]
        if library is not None and self.shared:
            argv, name = base + [LIBRARIES + str(library.parent)], library.name
        else:
            argv, name = base + ([LIBRARY + str(library)] if library is not None else []), None
        template = self.templates[slot]
        if template is not None and (template.argv != argv or not template.alive()):
            self._discard(slot)
        if self.templates[slot] is None:       # the other one holds the running kernel, if any: left as it is
            self.templates[slot] = KernelTemplate(argv, root / f"template-{slot}")
        return self.templates[slot], name

    def _discard(self, slot: int) -> None:
        if self.templates[slot] is not None:
            self.templates[slot].close()
            self.templates[slot] = None

    def discard(self) -> None:
        """Stop both templates and every kernel in them."""
        for slot in (0, 1):
            self._discard(slot)
