"""One grading library for one forked child of a shared replay template (autograder/trust/template.py), in user
and mount namespaces of the child's own; then no capability at all.

A shared template serves every assignment a grading process grades, so its sandbox holds every grading library
(autograder/commands/kit.py), read-only under ``LIBRARIES``, and an empty read-only folder where ``nnlab`` is
imported from. Before it runs anything of a student's, its child, forked for one notebook:

1. enters a new user namespace (where it holds every capability) and mount namespace;
2. binds its assignment's library, read-only, where ``nnlab`` is imported from;
3. covers ``LIBRARIES`` with an empty read-only tmpfs, so that no other library can be read from there;
4. gives up every capability (bounding set, ambient, effective, permitted, inheritable), locks the secure bits
   that would give a root user them back on ``execve``, and sets ``no_new_privs``.

After step 4 nothing in the child can undo step 3: unmounting needs ``CAP_SYS_ADMIN``, and no way back to a
capability is left (a new user namespace is refused too in bwrap's sandbox; had it been allowed, the kernel
locks the mounts a less privileged namespace inherits). The template's own view, where every library is
visible, cannot be reached through ``/proc/PID/root`` either: the template and bwrap's init are not dumpable,
and the child has no capability in their namespace. The tests in tests/grader/e2e/test_replay_template.py
try each of these ways.

A kernel without nested user namespaces (some distributions restrict them) fails step 1: the template finds
that out when it boots (``isolate(None)`` in a probe child) and says so, and the grader then uses a template
per grading library instead (autograder/trust/templates.py).
"""
from __future__ import annotations

import ctypes
import os
import re
from pathlib import Path

LIBRARIES = Path("/run/nnlab-libraries")   # where a shared template's sandbox binds the grading libraries
CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 4096, 16384, 1 << 18
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_SECUREBITS, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 4, 24, 28, 38, 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
# SECBIT_NOROOT and SECBIT_NO_SETUID_FIXUP set and locked, SECBIT_KEEP_CAPS locked unset
SECURE_BITS = 0b101111
LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


_libc = ctypes.CDLL(None, use_errno=True)


def _call(what: str, result: int) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def isolate(name: str | None, nnlab: Path, libraries: Path = LIBRARIES) -> None:
    """Steps 1–4 of the module docstring in this process: ``libraries / name / "nnlab"`` read-only at ``nnlab``
    (with ``name`` None, no library: a probe of whether the steps work here). Raises ``OSError`` or
    ``ValueError`` where a step fails; the process must then run nothing of a student's."""
    if name is not None and (not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name in (".", "..")):
        raise ValueError(f"not a grading library's name: {name!r}")
    uid, gid = os.getuid(), os.getgid()
    # a process that is not dumpable (a template's child) cannot write its own /proc/self/uid_map: made dumpable
    # for these steps, and not dumpable again at the end
    _call("dumpable", _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
    _call("unshare", _libc.unshare(CLONE_NEWUSER | CLONE_NEWNS))
    Path("/proc/self/setgroups").write_text("deny")
    if uid != 0:     # mapping root needs CAP_SETFCAP outside, which the sandbox dropped: a grader run as root
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")   # has workers that see themselves as the
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")        # overflow user (65534); their files are root's
    _call("private mounts", _libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None))
    if name is not None:
        source = libraries / name / "nnlab"
        if not source.is_dir():
            raise FileNotFoundError(f"no grading library {name!r} in {libraries}")
        _call("bind the library", _libc.mount(bytes(source), bytes(nnlab), None, MS_BIND, None))
        if not os.statvfs(nnlab).f_flag & os.ST_RDONLY:   # a bind keeps its source's read-only mount
            raise OSError(f"the grading library at {nnlab} is writable")
    _call("cover the libraries", _libc.mount(b"tmpfs", bytes(libraries), b"tmpfs",
                                             MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, b"size=4k,mode=0555"))
    drop_capabilities()
    _call("not dumpable", _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))


def drop_capabilities() -> None:
    """Give up every capability of this process for good (step 4); raises ``OSError`` if one is left."""
    _call("secure bits", _libc.prctl(PR_SET_SECUREBITS, SECURE_BITS, 0, 0, 0))
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break                              # EINVAL: past the last capability this kernel knows
    _call("ambient capabilities", _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0))
    _call("capset", _libc.capset(ctypes.byref(_Header(LINUX_CAPABILITY_VERSION_3, 0)), (_Data * 2)()))
    _call("no_new_privs", _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
    status = dict(line.split(":\t", 1) for line in Path("/proc/self/status").read_text().splitlines()
                  if line.startswith("Cap"))
    left = {key: value for key, value in status.items() if int(value, 16)}
    if left:
        raise OSError(f"capabilities left: {left}")
