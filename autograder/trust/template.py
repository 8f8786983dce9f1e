"""The replay template: a sandboxed process that has imported what replay workers need and forks one per notebook
(started and driven by autograder/trust/templates.py, never imported by the grader).

A replay worker (autograder/trust/replay.py) started from scratch spends most of its CPU before the student's
first line: the interpreter, numpy, nnlab, IPython and the notebooks' ``matplotlib.pyplot``, about 1 CPU s per
notebook. The template pays that once, then answers each request with ``os.fork()``: the child is a fresh
worker on its own pipes, already past those imports. The template itself never runs a line of a student's
code, never stubs anything (each child does, for its notebook), and holds no thread, so a fork copies a quiet
process.

A *shared* template (``--libraries NNLAB``: sandbox.py binds every grading library into its sandbox) serves
a grading process for its whole run, whichever assignment it grades: it has not imported nnlab, and each
child binds its notebook's grading library at ``NNLAB`` in namespaces of its own and gives up every
capability before anything else (autograder/trust/own_library.py), then imports nnlab from there (0.05 CPU s).
Where the kernel does not allow that, the template says so when it boots, and the grader starts one per
grading library instead (autograder/trust/templates.py), whose sandbox binds that library as a kernel's does.

Requests arrive on fd 0, a ``SOCK_SEQPACKET`` Unix socket to the grader, one JSON message each:

- ``{"op": "fork", "task": token, "cwd": folder, "library": name}`` with two file descriptors attached (the
  worker's stdin and stdout) → ``{"ok": true, "pid": pid}`` once the child has its library (``library``, the
  name of a grading library's folder, only for a shared template);
- ``{"op": "kill", "pid": pid}`` → the worker's process group is killed → ``{"ok": true}``; in a kernel
  template, where no other kernel is left, every other process of the sandbox too.

A *kernel* template (``--kernels``: autograder/trust/forked_kernels.py) has imported ipykernel, numpy and
``matplotlib.pyplot`` instead, for the inline backend; its fork requests carry no pipes but the kernel's
connection file and options (``"kernel": {"connection": text, "arguments": [...]}``), and its answer carries
a pidfd of the kernel. Its child becomes an ``IPKernelApp`` (``_kernel_child``).

Isolation between students: every child of one template lives in one sandbox, so the template clears it
whenever the task changes (``token``): it kills every process but bwrap's init and itself, and empties the
private ``/tmp`` and its own folder (which holds the workers' folders), before it forks the new task's first
worker. Those are the only places its sandbox lets a worker write (sandbox.py's ``shared``).
Nothing a student's worker started or wrote reaches the next student's. The template is not dumpable (no
ptrace, no ``/proc/PID/mem`` for its children, which have no capability to override that) and its children
close its socket at once; a child can still kill it, which costs only that student's check (the grader starts
a new template, autograder/trust/templates.py). It refuses to start outside a PID namespace of bwrap's, where
clearing would reach the user's other processes.
"""
from __future__ import annotations

import ctypes
import json
import os
import re
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

from autograder.trust import own_library

PRELOAD = ("numpy", "matplotlib.pyplot", "IPython.core.interactiveshell", "traitlets.config", "autograder.limits",
           "autograder.trust.wire")
OWN_LIBRARY = ("nnlab", "nnlab.checks", "nnlab.checks.depending", "autograder.trust.replay")  # not when shared
# a kernel template's: ipykernel and what every notebook's first cell imports, never the inline backend itself
# (importing it registers the figures' display with the running IPython shell, which only a kernel has)
KERNEL_PRELOAD = ("numpy", "matplotlib.pyplot", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
                  "ipykernel.iostream", "ipykernel.heartbeat", "IPython.core.completer", "IPython.core.pylabtools",
                  "jupyter_client.session")
KERNEL_OWN_LIBRARY = ("nnlab", "nnlab.checks")
INLINE = "module://matplotlib_inline.backend_inline"   # the backend ipykernel gives matplotlib where none is set
SHARED = "--libraries"               # argv: a shared template, whose children bind their library at the next one
KERNELS = "--kernels"                # argv: a kernel template (its children become grading kernels)
MAX_MESSAGE = 1 << 16                 # bytes of one message on the socket, either way (templates.py too)


def in_sandbox() -> bool:
    """Whether this process runs in a PID namespace whose init is bwrap (so clearing reaches only it)."""
    try:
        return Path("/proc/1/comm").read_text().strip() == "bwrap" and os.getpid() != 1
    except OSError:
        return False


def main() -> None:
    control = socket.socket(fileno=os.dup(0))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    if not in_sandbox():
        control.send(json.dumps({"ok": False, "error": "a replay template runs only in the grading sandbox"}).encode())
        return
    nnlab = Path(sys.argv[sys.argv.index(SHARED) + 1]) if SHARED in sys.argv else None
    kernels = KERNELS in sys.argv
    if kernels:
        sys.modules["debugpy"] = None          # as autograder/trust/kernel.py: no debugger in a grading kernel
        if not os.environ.get("MPLBACKEND"):  # what ipykernel sets, set before matplotlib reads it
            os.environ["MPLBACKEND"] = INLINE
    else:
        os.environ.setdefault("MPLBACKEND", "Agg")
    preload, own = (KERNEL_PRELOAD, KERNEL_OWN_LIBRARY) if kernels else (PRELOAD, OWN_LIBRARY)
    for module in preload + (() if nnlab else own):
        __import__(module)
    ctypes.CDLL(None, use_errno=True).prctl(own_library.PR_SET_DUMPABLE, 0, 0, 0, 0)
    home = Path.cwd()
    points, modes = mounts(), kept_modes(home)
    if nnlab is not None:
        why = _probe(nnlab)
        if why:
            control.send(json.dumps({"ok": False, "isolation": False, "error": why}).encode())
            return
    control.send(json.dumps({"ok": True, "ready": True}).encode())
    task = None
    children: set[int] = set()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, MAX_MESSAGE, 2)
        except OSError:
            return
        if not message:                        # the grader closed its end: done
            return
        _reap(children)
        sent = []                              # the descriptors sent with the answer: a kernel's pidfd
        try:
            request = json.loads(message)
            if request.get("op") == "fork":
                if len(fds) != (0 if kernels else 2):
                    raise ValueError("a fork request carries the worker's two pipes (a kernel's, none)")
                if request.get("task") != task:
                    _clear(home, points, modes)
                    children.clear()
                    task = request.get("task")
                library = request.get("library") if nnlab else None
                if nnlab and not isinstance(library, str):
                    raise ValueError("a shared template's fork request names the grading library")
                kernel = request.get("kernel") if kernels else None
                if kernels and not isinstance(kernel, dict):
                    raise ValueError("a kernel template's fork request carries the kernel's connection file")
                told, tell = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(told)
                    if kernels:
                        _kernel_child(control, home, str(request.get("cwd", "")), tell, library, nnlab, kernel)
                    _child(control, fds, home, str(request.get("cwd", "")), tell, library, nnlab)
                os.close(tell)
                children.add(pid)
                why = _heard(told)
                answer = {"ok": True, "pid": pid} if not why else {"ok": False, "error": why}
                if not why and kernels:
                    try:                       # the grader watches its kernel through this (polls, signals)
                        fds.append(os.pidfd_open(pid))
                        sent = fds[-1:]
                    except OSError as exc:
                        why, answer = str(exc), {"ok": False, "error": f"no pidfd for the kernel: {exc}"}
                if why:
                    _kill_group(pid, True)
                    children.discard(pid)
            elif request.get("op") == "kill":
                pid = int(request.get("pid", 0))
                if pid > 1:                    # the worker's group, also where the worker itself has ended
                    _kill_group(pid, pid in children)
                    children.discard(pid)
                _reap(children)
                if kernels and not children:   # a kernel's end is its task's: what it left in new sessions too
                    _kill_others()
                answer = {"ok": True}
            else:
                answer = {"ok": False, "error": f"unknown request {request.get('op')!r}"}
        except Exception as exc:
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        try:
            socket.send_fds(control, [json.dumps(answer).encode()], sent)
        except OSError:
            return
        finally:
            for fd in fds:
                os.close(fd)


def _child(control: socket.socket, fds: list[int], home: Path, cwd: str, tell: int, library: str | None,
           nnlab: Path | None) -> None:
    """In the forked child: become a replay worker on the two pipes, in its folder under ``home`` (never returns).
    Its first steps are ``_settle``'s."""
    try:
        _settle(control, fds, home, cwd, tell, library, nnlab, "worker")
        from autograder.trust import replay
        replay.main()
    finally:
        os._exit(0)


def _kernel_child(control: socket.socket, home: Path, cwd: str, tell: int, library: str | None,
                  nnlab: Path | None, kernel: dict) -> None:
    """In the forked child of a kernel template: become a grading kernel in its folder under ``home``, on the
    sockets that ``kernel`` names (``{"connection": the connection file's text, "arguments": the kernel's
    extra arguments}``), as ``autograder/trust/kernel.py`` would (never returns). Its first steps are
    ``_settle``'s."""
    try:
        _settle(control, [], home, cwd, tell, library, nnlab, "kernel")
        sys.path[:] = [p for p in sys.path if p != str(home)]   # the template's folder (``-m``); ipykernel adds ''
        # the connection file in the kernel's private /tmp: the template's folder holds only kernels' folders
        descriptor, connection = tempfile.mkstemp(prefix="kernel-", suffix=".json", dir="/tmp")
        with os.fdopen(descriptor, "w") as file:
            file.write(str(kernel.get("connection", "")))
        from autograder.trust.sandbox import kernel_options
        arguments = kernel_options(str(a) for a in kernel.get("arguments", []))   # the kernel's options only
        sys.argv = [sys.argv[0], "-f", connection]
        from ipykernel.kernelapp import IPKernelApp
        IPKernelApp.launch_instance(argv=["-f", connection, *arguments])
    finally:
        os._exit(0)


def _settle(control: socket.socket, fds: list[int], home: Path, cwd: str, tell: int, library: str | None,
            nnlab: Path | None, what: str) -> None:
    """A forked child's first steps: its own session, the template's socket closed, ``fds`` (a worker's two
    pipes) as its stdin and stdout; a shared template's child binds its ``library`` at ``nnlab`` and gives up
    every capability (autograder/trust/own_library.py), and tells the template on ``tell`` that it did ("ok"),
    or why not, and ends; then every other descriptor closed, its folder under ``home`` made its working
    folder, numpy's random state reseeded."""
    os.setsid()                                # its own process group: the template kills the child's, whole
    control.close()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    if nnlab is None:
        os.write(tell, b"ok")
    elif not _isolated(tell, library, nnlab, f"no grading library for the {what}"):
        os._exit(3)
    os.closerange(3, 1 << 16)                  # the template's socket, every other child's pipes, ``tell``
    folder = (home / cwd).resolve()
    if not folder.is_relative_to(home):
        os._exit(2)
    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)
    import numpy as np
    np.random.seed()                           # as a fresh process would (``random`` reseeds itself at fork)


def _isolated(tell: int, library: str | None, nnlab: Path, failing: str) -> bool:
    """``own_library.isolate`` in a forked child; says on ``tell`` that it worked ("ok"), or ``failing`` and
    why not. Whether it worked."""
    try:
        own_library.isolate(library, nnlab)
    except Exception as exc:
        os.write(tell, f"{failing}: {exc}"[:500].encode())
        return False
    os.write(tell, b"ok")
    return True


def _heard(told: int, timeout: float = 10.0) -> str:
    """What a forked child said on ``told`` (closed here): "" when it is ready, else why it is not."""
    try:
        ready, _, _ = select.select([told], [], [], timeout)
        said = os.read(told, 1024) if ready else b"it did not say within %d s whether it started" % timeout
    finally:
        os.close(told)
    return "" if said == b"ok" else said.decode(errors="replace") or "it ended as it started"


def _probe(nnlab: Path) -> str:
    """Why a child of this template cannot be given a library of its own here ("" where it can): a probe child
    takes every step of ``own_library.isolate`` but the binding, and ends."""
    told, tell = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            _isolated(tell, None, nnlab, "a child cannot have a grading library of its own here")
        finally:
            os._exit(0)
    os.close(tell)
    try:
        return _heard(told)
    finally:
        os.waitpid(pid, 0)


def _kill_group(pid: int, child: bool) -> None:
    """Kill process group ``pid`` (a worker's: a group's id is not reused while the group has a member), and
    collect the worker where it is still this process's ``child``."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if child:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _reap(children: set[int]) -> None:
    """Collect the template's children that have ended (orphans of theirs go to bwrap's init)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)


def _others() -> list[int]:
    """Living processes of the sandbox other than bwrap's init and this one."""
    me, living = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, me):
            try:
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in ("Z", "X"):
                living.append(int(entry))
    return living


def mounts() -> dict[Path, bool]:
    """The sandbox's mount points, each with whether it is writable."""
    found = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        point = Path(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[4]))
        found[point] = "rw" in fields[5].split(",")
    return found


def kept_modes(home: Path) -> dict[Path, int]:
    """The permissions of ``/tmp``, ``home`` and the folders on the way to it in ``/tmp``, which a worker could
    change (``chmod 000`` would close the way for the next task's workers)."""
    folders = {Path("/tmp"), home} | {f for f in home.parents if f.is_relative_to("/tmp")}
    return {folder: folder.stat().st_mode & 0o7777 for folder in folders}


def _kill_others(wait: float = 10) -> bool:
    """Kill every process of the sandbox but init and the template; whether they all died within ``wait`` s."""
    deadline = time.monotonic() + wait
    while _others() and time.monotonic() < deadline:
        try:
            os.kill(-1, signal.SIGKILL)        # every process this one may signal in its PID namespace, but init
        except ProcessLookupError:
            pass
        _reap(set())
        time.sleep(0.005)
    return not _others()


def _clear(home: Path, points: dict[Path, bool], modes: dict[Path, int]) -> None:
    """Kill every process of the sandbox but init and the template, give the folders of ``modes`` their
    permissions back, and empty ``/tmp`` and ``home``, the sandbox's only writable places (``points``: its
    mounts, from ``mounts``; sandbox.py makes the others read-only for a template)."""
    if not _kill_others():
        sys.exit("processes of an earlier task would not die")
    for folder in sorted(modes, key=lambda f: len(f.parts)):   # opened from the top down
        os.chmod(folder, modes[folder])
    if not (_empty(Path("/tmp"), points) and (home.is_relative_to("/tmp") or _empty(home, points))):
        sys.exit("files of an earlier task would not go")   # the grader starts a new template, on a fresh /tmp
    Path("/tmp/mpl").mkdir(exist_ok=True)


def _empty(folder: Path, points: dict[Path, bool]) -> bool:
    """Remove everything in ``folder`` but mount points and the way down to them, and empty the writable
    mounts; whether nothing else is left. A student's folder may have been made unreadable (``chmod 000``):
    this process owns it, and opens it up again first."""
    clean = True
    for entry in folder.iterdir():
        if entry in points or any(point.is_relative_to(entry) for point in points):
            if entry.is_dir() and not entry.is_symlink() and points.get(entry, True):
                clean = _empty(entry, points) and clean     # ``home``, or a folder on the way to a mount
            continue
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink(missing_ok=True)
        else:
            os.chmod(entry, 0o700)
            for top, folders, _ in os.walk(entry):   # each folder opened up before the walk goes into it
                for name in folders:
                    if not os.path.islink(os.path.join(top, name)):
                        os.chmod(os.path.join(top, name), 0o700)
            shutil.rmtree(entry, ignore_errors=True)
        clean = clean and not os.path.lexists(entry)
    return clean


if __name__ == "__main__":
    main()
