"""The grading sandbox: every kernel the grader starts runs inside bubblewrap.

nbgrader starts kernels from a kernelspec; ``install_kernelspec`` writes one (``nnlab-sandbox``) whose argv
is this module's launcher. The launcher runs in the kernel's own folder (a fresh empty one: see ``prestart`` in
autograder/integration/execute.py), sets the memory cap, and execs ``bwrap`` around ``python -m
autograder.trust.kernel`` (ipykernel without its debugger):

- no network (``--unshare-all`` leaves only ``lo``); the kernel talks to the grader over IPC sockets;
- the whole system and the Python environment read-only; a private ``/tmp``; only the kernel's own folder
  writable; the course workspace (gradebook, other students, submissions) and the solutions hidden under
  empty tmpfs mounts;
- no capabilities (``--cap-drop ALL``: run by root, bwrap would otherwise leave them all in the sandbox's user
  namespace, enough to unmount what hides the course);
- a PID namespace that dies with the grader: no process outlives its kernel;
- ``RLIMIT_AS`` (``--memory``, 2 GiB by default: JAX needs 1.5–2 GiB of address space), so a memory bomb is
  a ``MemoryError`` in the cell, not a machine in swap;
- a process cap (``--processes``, 256 by default; threads count): as root, each kernel gets its own ``pids``
  cgroup (``RLIMIT_NPROC`` is not enforced for uid 0); as another user, ``RLIMIT_NPROC`` allows that many
  more tasks than the user already runs. A fork bomb then meets ``BlockingIOError``, not the machine's limit;
- matplotlib's font cache, built once per machine and matplotlib version (``_font_cache``), is copied into
  the private ``/tmp`` so start-up stays fast and nothing is printed to stderr (nbgrader scores a cell that
  writes there 0).
The grader mostly forks its kernels from a kernel template instead (autograder/trust/forked_kernels.py), which
this launcher starts with ``KERNEL_TEMPLATE`` in the same sandbox, in the form a replay template's takes
(``_bwrap_prefix``'s ``shared``); the kernelspec's own command line is what a kernel started from scratch runs.
The recipe and its pitfalls (IPC transport, connection file bound alone, ``interrupt_mode: message``,
``JPY_PARENT_PID=1``, fonts) are in docs/nbgrader-facts.md, 'Kernel sockets' and 'Sandboxed kernels'.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KERNEL_NAME = "nnlab-sandbox"
DEFAULT_MEMORY = 2 * 1024 ** 3
DEFAULT_PROCESSES = 256                        # tasks (processes and threads) per kernel; JAX's pools use ~40
PIDS_CGROUP = Path("/sys/fs/cgroup/pids")      # cgroup v1's pids controller
RUN_ENV = "NNLAB_CGROUP_RUN"                  # names the grading run a kernel's pids cgroup belongs to
REPLAY = "--replay"                            # the launcher's argument for a replay worker (trust/verify.py)
TEMPLATE = "--replay-template"                 # … and for a replay template, which forks them (trust/template.py)
KERNEL_TEMPLATE = "--kernel-template"          # … and for a kernel template, which forks kernels (same module)
LIBRARY = "--library="                         # the launcher's argument naming a grading library (commands/kit.py)
LIBRARIES = "--libraries="                     # … naming the folder of them all, for a shared replay template
INSTALL_HINT = ("bubblewrap is not installed: as root, apt-get install bubblewrap (make test and make demo do "
                "it), or grade without a sandbox with --no-sandbox (only for submissions you trust)")


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def parse_size(text) -> int:
    """``"2G"``, ``"512M"``, ``"1.5GiB"`` or a number of bytes → bytes."""
    s = str(text).strip().upper().removesuffix("IB").removesuffix("B")
    factor = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}.get(s[-1:], 1)
    try:
        value = float(s[:-1] if factor > 1 else s) * factor
    except ValueError:
        raise ValueError(f"not a memory size: {text!r} (use e.g. 2G or 512M)") from None
    if value < 256 * 1024 ** 2:
        raise ValueError(f"--memory {text} is too small for a Python kernel (at least 256M)")
    return int(value)


def private_folder() -> Path | None:
    """A folder that this user's grading processes on this machine share, for what is built once per machine
    (grading libraries, matplotlib's font list); None where the one in the temporary folder is not safely this
    user's alone."""
    import stat
    import tempfile
    shared = Path(tempfile.gettempdir()) / f"nnlab-grading-libraries-{os.getuid()}"
    try:
        shared.mkdir(mode=0o700, exist_ok=True)
        info = shared.lstat()
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077:
            return shared
    except OSError:
        pass
    return None


def _font_cache(state: Path) -> Path:
    """matplotlib's font list, built outside any sandbox: once per machine and matplotlib version where there is
    a ``private_folder`` (every grading process, every scratch course of a worker, would otherwise build its own,
    0.4–0.7 s each), else once per workspace. It is built in a folder of its own and renamed into place, so a
    process never binds a list another one is still writing."""
    from importlib.metadata import version
    shared = private_folder()
    folder = shared / f"fonts-matplotlib-{version('matplotlib')}" if shared else state / "mplcache"
    if not any(folder.glob("fontlist-*.json")):
        import tempfile
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=folder.name + "-", dir=folder.parent))
        try:
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=True,
                           env=dict(os.environ, MPLCONFIGDIR=str(building)), capture_output=True)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        try:
            if folder.is_dir():
                folder.rmdir()                 # an empty one, left where a build failed: nothing was bound
            building.rename(folder)
        except OSError:                        # another process's list got there first: it is as good
            shutil.rmtree(building, ignore_errors=True)
    return folder


def run_cgroups(run: str | None = None) -> Path:
    """The folder of one grading run's kernel cgroups (``run``, else the one ``RUN_ENV`` names, else a shared
    one): a grader cleans up its own run's and never mistakes another run's kernels, which may be running, or
    have ended a moment ago, for its own."""
    return PIDS_CGROUP / "nnlab" / (run or os.environ.get(RUN_ENV) or "shared")


def process_cap() -> tuple[str, str]:
    """How kernels' processes are capped here: ``("cgroup", folder)``, ``("rlimit", "")`` or ``("none", why)``."""
    if os.geteuid() != 0:
        return "rlimit", ""
    if (PIDS_CGROUP / "cgroup.procs").exists() and os.access(PIDS_CGROUP, os.W_OK):
        return "cgroup", str(run_cgroups())
    return "none", ("running as root without a writable cgroup-v1 pids controller (/sys/fs/cgroup/pids), "
                    "so nothing caps a kernel's processes but the PID namespace")


def remove_empty_cgroups(run: str | None = None, wait: float = 2.0) -> None:
    """Remove the pids cgroups of this run's kernels that have exited (a non-empty one refuses, and stays) and
    the run's folder once it is empty; also the shared folder's (kernels started without a run: on a Dask worker
    of this machine). A kernel just stopped may take a moment to leave its group (bwrap is gone, the processes
    inside die after it): a group that refuses is tried again for up to ``wait`` seconds in all."""
    deadline = time.monotonic() + wait
    for folder in dict.fromkeys((run_cgroups(run), run_cgroups("shared"))):
        for group in folder.glob("kernel-*") if folder.is_dir() else ():
            while True:
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.05)
        if folder.name != "shared":
            try:
                folder.rmdir()
            except OSError:
                pass


def install_kernelspec(state: Path, hidden: list[Path], memory: int = DEFAULT_MEMORY,
                       processes: int = DEFAULT_PROCESSES) -> Path:
    """Write the ``nnlab-sandbox`` kernelspec under ``state/jupyter/kernels``; returns the ``jupyter`` folder
    to put on ``JUPYTER_PATH``. ``hidden``: folders the kernel must not see (course, solutions)."""
    cap, where = process_cap()
    settings = {"memory": int(memory), "hidden": [str(Path(h).resolve()) for h in hidden],
                "fonts": str(_font_cache(Path(state)).resolve()), "processes": int(processes),
                "process_cap": cap, "pids_cgroup": where if cap == "cgroup" else None}
    folder = Path(state) / "jupyter" / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    kernelspec = {"argv": [sys.executable, "-m", "autograder.trust.sandbox", json.dumps(settings), "{connection_file}"],
                  "display_name": "Python 3 (nnlab grading sandbox)", "language": "python",
                  "interrupt_mode": "message", "metadata": {"debugger": False}}
    text = json.dumps(kernelspec, indent=1)
    if not (folder / "kernel.json").exists() or (folder / "kernel.json").read_text() != text:
        (folder / "kernel.json").write_text(text)
    return Path(state) / "jupyter"


def bwrap_argv(settings: dict, connection_file: str, cwd: str, library: str | None = None,
               options: list[str] = ()) -> tuple[list[str], dict[int, Path]]:
    """The bwrap command line for one kernel, and the files to hand in through file descriptors. ``options``:
    the kernel's own (``--Class.trait=value``, such as nbclient's in-memory IPython history)."""
    socket_dir = str(Path(json.loads(Path(connection_file).read_text())["ip"]).parent)
    argv, files = _bwrap_prefix(settings, cwd, ["--bind", socket_dir, socket_dir,
                                                "--ro-bind", connection_file, connection_file], library)
    return argv + [sys.executable, "-m", "autograder.trust.kernel", "-f", connection_file, *options], files


def argument(extra, prefix: str) -> str | None:
    """The value of the launcher's argument ``prefix`` (``LIBRARY`` or ``LIBRARIES``) among ``extra``, or None."""
    return next((a[len(prefix):] for a in extra if a.startswith(prefix)), None)


def kernel_options(extra) -> list[str]:
    """The kernel's own options among a kernel's extra arguments: ``--Class.trait=value``, not the launcher's."""
    return [a for a in extra if a.startswith("--") and "." in a.split("=", 1)[0]
            and not a.startswith((LIBRARY, LIBRARIES))]


def _bwrap_prefix(settings: dict, cwd: str, binds: list[str], library: str | None = None,
                 shared: bool = False, libraries: str | None = None) -> tuple[list[str], dict[int, Path]]:
    """bwrap up to its ``--``: the sandbox itself, the extra ``binds``, the environment, ``cwd`` writable.
    ``library``: a grading library's folder (autograder/commands/kit.py), whose ``nnlab`` replaces the full one.
    ``shared``: a sandbox that one student's processes after another use (a replay template's): only ``/tmp``
    and ``cwd`` are writable there, the two places the template empties between students; ``/dev``, ``/run``
    and the empty folders that hide the course are made read-only. ``libraries``: the folder of every grading
    library, bound read-only at ``own_library.LIBRARIES`` for a shared template that serves them all, with an
    empty folder where ``nnlab`` is imported from (each child binds its own there: autograder/trust/own_library.py)."""
    # --cap-drop ALL: run by root, bwrap otherwise leaves every capability in the sandbox's user namespace,
    # enough to unmount the empty folders that hide the course and read what is under them
    argv = [bwrap_path() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/run"]
    for folder in sorted({sys.prefix, sys.base_prefix, str(REPO)}):   # an environment or clone under /tmp
        if Path(folder).resolve().is_relative_to("/tmp") and not ((library or libraries) and folder == str(REPO)):
            argv += ["--ro-bind", folder, folder]
    for folder in settings["hidden"]:          # empty; the kernel's own folder is bound back in below
        if os.path.exists(folder):             # False, not PermissionError, where this user cannot reach it
            argv += ["--tmpfs", folder]
    if library:
        argv += library_binds(library)
    elif libraries:
        from autograder.trust.own_library import LIBRARIES
        argv += repo_hidden() + ["--tmpfs", str(nnlab_folder()), "--ro-bind", libraries, str(LIBRARIES)]
    argv += ["--bind", cwd, cwd, *binds, "--dir", "/tmp/mpl"]
    if shared:
        pairs = list(zip(argv[:-1], argv[1:]))
        for k, (flag, folder) in enumerate(pairs):
            # a hidden folder in the repository is gone from view once the repository is hidden, and bwrap
            # cannot remount what it cannot find: the repository's own tmpfs is remounted instead
            covered = any(f == "--tmpfs" and later != folder and Path(folder).is_relative_to(later)
                          for f, later in pairs[k + 1:])
            if (flag, folder) == ("--dev", "/dev") or flag == "--tmpfs" and folder != "/tmp" and not covered:
                argv += ["--remount-ro", folder]
    files = {}
    for k, font_list in enumerate(sorted(Path(settings["fonts"]).glob("fontlist-*.json"))):
        files[10 + k] = font_list
        argv += ["--file", str(10 + k), f"/tmp/mpl/{font_list.name}"]
    argv += ["--setenv", "JPY_PARENT_PID", "1", "--setenv", "MPLCONFIGDIR", "/tmp/mpl",
             "--setenv", "TMPDIR", "/tmp", "--setenv", "HOME", "/tmp", "--setenv", "OPENBLAS_NUM_THREADS", "1",
             # glibc reserves 64 MiB of address space per malloc arena, up to 8 per core: under RLIMIT_AS that,
             # not the data, is what made XLA's compiler run out ("Unable to allocate section memory")
             "--setenv", "MALLOC_ARENA_MAX", "2",
             "--setenv", "NNLAB_HEADLESS", "1", "--setenv", "NNLAB_GRADING", "1",
             "--chdir", cwd, "--"]
    return argv, files


def library_binds(library: str) -> list[str]:
    """The mounts that give a sandbox the student build of nnlab in ``library`` instead of the full one:
    ``repo_hidden``, and the student build of ``nnlab`` where the full one was, so that ``import nnlab`` (an
    editable install or not) finds it unchanged."""
    return repo_hidden() + ["--ro-bind", str(Path(library) / "nnlab"), str(nnlab_folder())]


def nnlab_folder() -> Path:
    """The folder ``import nnlab`` imports the full library from."""
    import importlib.util
    return Path(importlib.util.find_spec("nnlab").submodule_search_locations[0])


def repo_hidden() -> list[str]:
    """The instructor's repository (its solutions, tests, git history: the full library in every form) hidden
    under an empty tmpfs, with only what a kernel needs bound back, read-only: the Python environment if it
    lives there, and the grader's package without its sample class."""
    argv = []
    if (REPO / ".git").exists() or (REPO / "solutions").exists():
        argv += ["--tmpfs", str(REPO)]
        for folder in sorted({sys.prefix, sys.base_prefix}):
            if Path(folder).resolve().is_relative_to(REPO):
                argv += ["--ro-bind", folder, folder]
        argv += ["--ro-bind", str(REPO / "autograder"), str(REPO / "autograder")]
        if (REPO / "autograder" / "sample_class").exists():
            argv += ["--tmpfs", str(REPO / "autograder" / "sample_class")]
    return argv


def replay_argv(state: Path, library: str | None = None, template: bool = False,
                libraries: str | None = None) -> list[str]:
    """The command that starts a replay worker (autograder/trust/replay.py) in the same sandbox, with the same
    limits and grading library, as this workspace's grading kernels (the kernelspec must be installed);
    ``template``: a replay template instead, which forks such workers (autograder/trust/template.py), for
    ``library``, or with ``libraries`` (the folder of every grading library) a shared one, for each of them."""
    kernelspec = json.loads((Path(state) / "jupyter" / "kernels" / KERNEL_NAME / "kernel.json").read_text())
    kind = TEMPLATE if template else REPLAY
    if template and libraries:
        return kernelspec["argv"][:4] + [kind, LIBRARIES + str(libraries)]
    return kernelspec["argv"][:4] + [kind] + ([LIBRARY + str(library)] if library else [])


def _user_tasks() -> int:
    """Processes and threads this user runs now (what RLIMIT_NPROC counts)."""
    uid, count = os.getuid(), 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1"))
    return count


def cap_processes(settings: dict) -> None:
    """Put this process (and so everything the kernel starts) under the process cap."""
    processes = settings.get("processes") or DEFAULT_PROCESSES
    if settings.get("process_cap") == "cgroup":
        group = Path(settings["pids_cgroup"]) / f"kernel-{os.getpid()}"
        group.mkdir(parents=True, exist_ok=True)
        (group / "pids.max").write_text(str(processes))
        (group / "cgroup.procs").write_text(str(os.getpid()))
    elif settings.get("process_cap") == "rlimit":
        hard = resource.getrlimit(resource.RLIMIT_NPROC)[1]
        limit = _user_tasks() + processes
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_NPROC, (limit, hard))


def launch(settings_json: str, connection_file: str, *extra: str) -> None:
    """The kernelspec's entry point (and a replay worker's or template's, or a kernel template's, with
    ``REPLAY``, ``TEMPLATE`` or ``KERNEL_TEMPLATE`` for the connection file): cap memory and processes, then
    become bwrap (never returns). ``extra``:
    ``--library=FOLDER``, the grading library (the grader passes it as the kernel's extra argument), or for a
    shared template ``--libraries=FOLDER``, the folder of them all; and a kernel's own options
    (``kernel_options``), passed on to it."""
    settings = json.loads(settings_json)
    library, libraries = argument(extra, LIBRARY), argument(extra, LIBRARIES)
    if connection_file in (TEMPLATE, KERNEL_TEMPLATE):
        from autograder.trust.template import KERNELS, SHARED
        argv, files = _bwrap_prefix(settings, os.getcwd(), [], library, shared=True, libraries=libraries)
        argv += [sys.executable, "-m", "autograder.trust.template"]
        if connection_file == KERNEL_TEMPLATE:
            argv += [KERNELS]
        if libraries and not library:
            argv += [SHARED, str(nnlab_folder())]           # where its children bind their library
    elif connection_file == REPLAY:
        argv, files = _bwrap_prefix(settings, os.getcwd(), [], library)
        argv += [sys.executable, "-m", "autograder.trust.replay"]
    else:
        argv, files = bwrap_argv(settings, connection_file, os.getcwd(), library, kernel_options(extra))
    cap_processes(settings)
    resource.setrlimit(resource.RLIMIT_AS, (settings["memory"], settings["memory"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for fd, path in files.items():
        source = os.open(path, os.O_RDONLY)
        os.dup2(source, fd, inheritable=True)
        os.close(source)
    os.execv(argv[0], argv)


if __name__ == "__main__":
    launch(*sys.argv[1:])
