"""Replay workers forked from a template: the grader's side of autograder/trust/template.py.

A grading process keeps one ``Template`` (in ``Templates``, part of its ``ProcessState``): a sandboxed process,
started with the same limits and grading library as the replay workers it replaces, that has imported what
they need. ``Templates.forker`` gives a task a function that asks it for a worker; ``Forked`` is that worker's
process as ``verify.Worker`` sees it: two pipes, a pid in the sandbox, killed through the template.

Where the kernel lets a template's children have namespaces of their own, the template is shared: one serves
the grading process's whole run, every assignment, and each worker binds its own grading library
(autograder/trust/own_library.py). Elsewhere (``NoIsolation``, found when a shared template boots) a template
serves one grading library: a task that needs another one gets a new template, and the old one is stopped.
A template that died or stopped answering (a student's worker may kill it) is replaced once; if that fails
too, the task's workers start on their own as without a template (``TemplateGone``).
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import threading
from pathlib import Path

from autograder.trust.sandbox import KERNEL_TEMPLATE
from autograder.trust.template import MAX_MESSAGE

STARTUP = 60.0           # seconds to import numpy, nnlab, IPython and matplotlib in the sandbox
ANSWER = 10.0            # seconds a booted template has to answer a request


class TemplateGone(Exception):
    """The template cannot fork a worker; the message says why."""


class NoIsolation(TemplateGone):
    """A shared template cannot give its children a grading library of their own on this machine."""


class Template:
    """One template process: ``argv`` starts it (sandbox.replay_argv with ``template=True``); its workers'
    folders are under ``home``, which its sandbox makes writable."""

    def __init__(self, argv: list[str], home: Path):
        self.argv, self.home = argv, Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)             # where an earlier template's worker closed it (``chmod 000``)
        self.booted = False
        self.lock = threading.Lock()           # one request and its answer at a time (kernels are stopped behind)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ, NNLAB_HEADLESS="1", NNLAB_GRADING="1")
        self.name = "kernel template" if KERNEL_TEMPLATE in argv else "replay template"
        if KERNEL_TEMPLATE not in argv:        # a kernel's matplotlib draws inline, as ipykernel sets it up
            env["MPLBACKEND"] = "Agg"
        try:
            self.proc = subprocess.Popen(argv, cwd=self.home, stdin=theirs.fileno(), stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True, env=env)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours

    def _reply(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            raise TemplateGone(f"the {self.name} did not answer within {timeout:g} s")
        answer = self._read()
        if not answer.get("ok"):
            raise (NoIsolation if answer.get("isolation") is False else TemplateGone)(str(answer.get("error"))[:300])
        return answer

    def _read(self, fds: list | None = None) -> dict:
        """The template's next message (there is one to read); the descriptors that came with it go into ``fds``
        (closed when not asked for). Raises ``TemplateGone`` where the template has ended or sent no answer."""
        try:
            data, came, _, _ = socket.recv_fds(self.sock, MAX_MESSAGE, 1)
        except OSError as exc:
            raise TemplateGone(f"the {self.name}'s socket failed: {exc}") from None
        for fd in came:
            fds.append(fd) if fds is not None else os.close(fd)
        if not data:
            raise TemplateGone(f"the {self.name} ended")
        try:
            answer = json.loads(data)
        except ValueError:
            raise TemplateGone(f"the {self.name} sent something that is not an answer") from None
        return answer

    def ready(self) -> None:
        with self.lock:
            if not self.booted:
                self._reply(STARTUP)
                self.booted = True

    def fork(self, task: str, cwd: Path, library: str | None = None) -> Forked:
        """A new replay worker for ``task`` (the template clears its sandbox when the task changes), working in
        ``cwd`` (a folder under ``home``), with the grading library named ``library`` (a shared template's)."""
        self.ready()
        relative = Path(cwd).resolve().relative_to(self.home.resolve())
        worker_in, to_worker = os.pipe()
        from_worker, worker_out = os.pipe()
        try:
            request = {"op": "fork", "task": task, "cwd": str(relative), "library": library}
            with self.lock:
                socket.send_fds(self.sock, [json.dumps(request).encode()], [worker_in, worker_out])
                answer = self._reply(ANSWER)
        except BaseException as exc:
            os.close(to_worker)
            os.close(from_worker)
            if isinstance(exc, OSError):
                raise TemplateGone(f"the replay template's socket failed: {exc}") from None
            raise
        finally:
            os.close(worker_in)
            os.close(worker_out)
        return Forked(self, int(answer["pid"]), os.fdopen(to_worker, "wb"), os.fdopen(from_worker, "rb"))

    def kill(self, pid: int) -> None:
        """Kill a worker's process group (what it started in a new session dies when the task changes)."""
        try:
            with self.lock:
                self.sock.send(json.dumps({"op": "kill", "pid": pid}).encode())
                self._reply(ANSWER)
        except (OSError, TemplateGone):       # the template is gone: its sandbox goes when it is closed
            pass

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        """Stop the template and everything in its sandbox (bwrap's init takes them all with it)."""
        kill_session(self.proc)
        self.sock.close()


def kill_session(proc: subprocess.Popen) -> None:
    """Kill a process started in a session of its own, and its process group, and wait for it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


class Forked:
    """A worker forked by a template, with the part of ``subprocess.Popen``'s interface ``verify.Worker`` uses."""

    def __init__(self, template: Template, pid: int, stdin, stdout):
        self.template, self.pid, self.stdin, self.stdout = template, pid, stdin, stdout
        self.returncode = None

    def poll(self):
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            self.template.kill(self.pid)
            self.returncode = -signal.SIGKILL
            for pipe in (self.stdin, self.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass

    def wait(self):
        return self.returncode


class Templates:
    """A grading process's replay template: a shared one, or one for a grading library at a time."""

    def __init__(self):
        self.template: Template | None = None
        self.shared = True                     # False once a shared template found no namespaces for its children

    def choose(self, own: list[str], shared: tuple[list[str], str] | None) -> tuple[list[str], str | None]:
        """The template to use and the library name its fork requests carry: ``shared`` (its argv, the library's
        name) unless shared ones cannot work here, else ``own``, the argv of a template for the task's grading
        library, and no name."""
        return shared if shared is not None and self.shared else (own, None)

    def prepare(self, argv: list[str], home: Path) -> None:
        """Have a template for ``argv`` booting (the old one stopped if it was for another library, or dead)."""
        if self.template is not None and (self.template.argv != argv or Path(self.template.home) != Path(home)
                                          or not self.template.alive()):
            self.discard()
        if self.template is None:
            self.template = Template(argv, home)

    def forker(self, argv: list[str], home: Path, task: str, shared: tuple[list[str], str] | None = None):
        """``fork(cwd) -> Forked`` for one task's workers: from this process's template (``argv``, or with
        ``shared`` a shared one: see ``choose``), replaced once where it fails (raises ``TemplateGone`` when the
        new one fails too)."""
        def fork(cwd: Path) -> Forked:
            why, tries = "", 2
            while tries:
                use, library = self.choose(argv, shared)
                try:
                    self.prepare(use, home)
                    return self.template.fork(task, cwd, library)
                except NoIsolation as exc:     # for the rest of the run: a template per library
                    why, self.shared = str(exc), False
                    self.discard()
                except (TemplateGone, OSError) as exc:
                    why, tries = str(exc), tries - 1
                    self.discard()
            raise TemplateGone(why)
        return fork

    def discard(self) -> None:
        if self.template is not None:
            self.template.close()
            self.template = None
