"""Verdicts student code cannot forge: each checked test cell is checked again outside the student's kernel.

nbgrader runs the test cells inside the student's kernel, where the student's code can rebind ``check``,
patch ``numpy.allclose`` or IPython, or call nnlab's reference. Here the trusted grader process starts a
fresh sandboxed worker (autograder/trust/replay.py; forked from a replay template where there is one,
autograder/trust/templates.py) under the same limits, with nnlab's reference versions of the graded functions
replaced by stubs, and replays the submission's code cells in order, test cells left out.
At each test cell's place it calls the student's functions with the check spec's inputs over a pipe (plain
data only) and compares the answers with the reference *in this process*, with the same ``run_check``.

Which checks a test cell runs is read from the source notebook's version of that cell (found by its
``grade_id`` in the gradebook's assignment), never from the submission: from the cell's own metadata,
``metadata["nnlab"]["checks"]`` (``CheckCall.from_entry``), so an alias of ``check`` or a name held in a variable
cannot skip the check here. Reading the cell's code is only a cross-check (``disagreements``, flagged by the
grader), and what a source cell written before the metadata existed runs. A cell scores the lower of the two
verdicts (autograder/pipeline/grading.py); test cells that run no check (plain asserts) keep the kernel's verdict.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder import limits
from autograder.integration.cells import is_test_cell
from autograder.trust.templates import TemplateGone, kill_session
from autograder.trust.wire import decode, encode

GRACE = 5.0                   # seconds a worker gets to answer after its own interrupt, before it is killed
STARTUP = 60.0                # seconds to import numpy, nnlab and IPython in the sandbox
MAX_QUESTIONS = 100_000       # reference values one call of a student's function may ask for
MAX_QUESTION_NUMBERS = 100_000   # numbers in one question's arguments (a check's cases hold a few hundred)


@dataclass(frozen=True)
class CheckCall:
    check: str                # the check's name in nnlab.checks.SPECS
    function: str             # the student's function it is called on
    hidden_seed: int | None = None
    n: int = 5

    @classmethod
    def from_entry(cls, entry: dict) -> CheckCall:
        """One check of a test cell's ``nnlab`` metadata: ``{"check", "function"}``, and ``"hidden_seed"`` and
        ``"n"`` for hidden cases."""
        return cls(entry["check"], entry["function"], entry.get("hidden_seed"), entry.get("n", 5))

    def __str__(self) -> str:
        options = "" if self.hidden_seed is None else f", hidden_seed={self.hidden_seed}, n={self.n}"
        return f'check("{self.check}", {self.function}{options})'


@dataclass
class Verdict:
    passed: bool
    message: str = ""
    hidden: bool = False          # the cell checks hidden cases (which a grading library's kernel cannot)
    hints: list[str] = field(default_factory=list)   # the failed check's hints, as data (``Result.hints``)


def check_calls(code: str) -> list[CheckCall]:
    """The literal ``check("name", fn, hidden_seed=…, n=…)`` calls in a test cell's source, in order."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name != "check" or len(node.args) < 2:
            continue
        check, fn = node.args[0], node.args[1]
        if not (isinstance(check, ast.Constant) and isinstance(check.value, str) and isinstance(fn, ast.Name)):
            continue
        options = {k.arg: k.value.value for k in node.keywords
                   if k.arg in ("hidden_seed", "n") and isinstance(k.value, ast.Constant)}
        calls.append(CheckCall(check.value, fn.id, options.get("hidden_seed"), options.get("n", 5)))
    return calls


def stamped_checks(cell) -> list[CheckCall] | None:
    """The checks a test cell's ``nnlab`` metadata says it runs; None where it says nothing."""
    entries = cell.metadata.get("nnlab", {}).get("checks")
    return None if entries is None else [CheckCall.from_entry(e) for e in entries]


def _source_tests(source_nb) -> list:
    return [c for c in source_nb.cells if c.cell_type == "code" and is_test_cell(c)]


def source_checks(source_nb) -> dict[str, list[CheckCall]]:
    """grade_id → the checks its test cell runs, from the instructor's source notebook: as the cell's metadata
    says, or, in a cell without that metadata (written before it existed), as its code reads."""
    out = {}
    for cell in _source_tests(source_nb):
        calls = stamped_checks(cell)
        calls = check_calls(cell.source) if calls is None else calls
        if calls:
            out[cell.metadata["nbgrader"]["grade_id"]] = calls
    return out


def disagreements(source_nb) -> list[str]:
    """A flag for each test cell of the source whose metadata and code name different checks: the metadata's
    are run, but one of the two readings is stale (a check called through an alias reads as none)."""
    flags = []
    for cell in _source_tests(source_nb):
        stamped, read = stamped_checks(cell), check_calls(cell.source)
        if stamped is not None and stamped != read:
            flags.append(f"test cell {cell.metadata['nbgrader']['grade_id']}: its metadata runs {_said(stamped)} "
                         f"but its code reads {_said(read)}; checked as its metadata says")
    return flags


def _said(calls: list[CheckCall]) -> str:
    return ", ".join(map(str, calls)) or "no check"


class WorkerGone(Exception):
    """The replay worker stopped answering or died; the message says why."""


class Worker:
    """One replay worker process and its pipe."""

    def __init__(self, argv: list[str], cwd: Path, setup: dict, cell_timeout: float, fork=None):
        """Start the worker and send it its setup; it boots (imports, stubs) on its own until ``ready``.
        ``fork(cwd)``: where given, the worker is forked from a replay template (autograder/trust/templates.py)
        when it is first needed, and started with ``argv`` only where that fails."""
        self.cell_timeout = cell_timeout
        self.buffer = b""
        self.gone = ""
        self.booted = False
        self.proc = None
        self._start = (argv, cwd, setup, fork)
        if fork is None:
            self._launch()

    def _launch(self) -> None:
        argv, cwd, setup, fork = self._start
        self._start = None
        if fork is not None:
            try:
                self.proc = fork(cwd)
            except TemplateGone:
                pass
        if self.proc is None:                  # (a forked worker makes its folder itself, in its sandbox)
            cwd.mkdir(parents=True, exist_ok=True)
            self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, start_new_session=True,
                                         env=dict(os.environ, NNLAB_HEADLESS="1", NNLAB_GRADING="1",
                                                  MPLBACKEND="Agg"))
        try:
            self._send(setup)
        except WorkerGone:
            pass

    def ready(self) -> None:
        """Wait for the worker's first line (raises ``WorkerGone`` when it does not come)."""
        if self._start is not None:
            try:
                self._launch()
            except OSError as exc:
                self.gone = f"it could not start: {exc}"
        if self.gone:
            raise WorkerGone(self.gone)
        if not self.booted:
            self._receive(STARTUP, f"did not start within {STARTUP:g} s")
            self.booted = True

    def _send(self, data: dict) -> None:
        try:
            self.proc.stdin.write((json.dumps(data) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.stop("the process died")

    def _receive(self, timeout: float, late: str = "did not stop when interrupted") -> dict:
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop(late)
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    self.stop("the process died (os._exit, a crash or running out of memory)")
                self.buffer += chunk
                if len(self.buffer) > 512 * 1024 ** 2:
                    self.stop("it sent more than 512 MB")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            self.stop("it sent something that is not a reply")

    def stop(self, why: str):
        self.close()
        self.gone = why
        raise WorkerGone(why)

    def request(self, data: dict, timeout: float | None = None, answer=None) -> dict:
        """Send one request and wait for its reply. ``answer(question) -> dict`` answers the worker's
        questions on the way (a stand-in asking for a reference's value); without it a question stops it."""
        self.ready()
        timeout = self.cell_timeout if timeout is None else timeout
        self._send(dict(data, timeout=timeout))
        deadline = time.monotonic() + timeout + GRACE
        for _ in range(MAX_QUESTIONS):
            reply = self._receive(max(deadline - time.monotonic(), 0.0))
            if reply.get("op") != "reference":
                return reply
            if answer is None:
                self.stop("it asked for a reference outside a check")
            self._send(dict(answer(reply), op="reference-reply"))
        self.stop(f"it asked more than {MAX_QUESTIONS} questions in one call")

    def close(self) -> None:
        self._start = None
        if self.proc is None:
            return
        if isinstance(self.proc, subprocess.Popen):
            kill_session(self.proc)
        else:
            self.proc.kill()                   # forked from a template, which kills it


class RemoteError(Exception):
    """An exception raised in the worker, re-raised here under its name (a new class: never the real one)."""

    @staticmethod
    def named(kind: str) -> type:
        name = kind if kind.isidentifier() else "RemoteError"
        return type(name, (RemoteError,), {})


def _numbers(value, depth: int = 0) -> int:
    """How many numbers a decoded value holds (lists, tuples and dicts walked; a deep nesting counts as many)."""
    if depth > 20:
        return MAX_QUESTION_NUMBERS + 1
    if isinstance(value, (list, tuple)):
        return len(value) + sum(_numbers(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return len(value) + sum(_numbers(v, depth + 1) for v in value.values())
    return int(np.size(value)) if isinstance(value, np.ndarray) else 1


class RemoteFunction:
    """The student's function as seen from this process: each call goes over the pipe. ``substitute``: the
    other challenges' functions it calls, which the worker replaces by stand-ins answered here with nnlab's
    references (``references``: name → function)."""

    def __init__(self, worker: Worker, function: str, check: str, references: dict | None = None):
        self.worker, self.function, self.check = worker, function, check
        self.references = references or {}
        self.__name__ = function

    def __call__(self, *args, **kwargs):
        return decode(self._request("call", list(args), kwargs)["value"])

    def problems(self, case) -> list[str]:
        """The spec's ``check_function`` on the function itself, run where the function lives."""
        return [str(p) for p in self._request("problems", list(case.args), dict(case.kwargs))["problems"]]

    def _answer(self, question: dict) -> dict:
        """The reference's value for a stand-in's call, computed here (trusted) on arguments of a check's size."""
        reference = self.references.get(question.get("fn"))
        if reference is None:
            return {"ok": False, "error": f"{question.get('fn')!r} is not lent to this check"}
        try:
            args, kwargs = decode(question["args"]), decode(question["kwargs"])
            if _numbers(args) + _numbers(kwargs) > MAX_QUESTION_NUMBERS:
                return {"ok": False, "error": f"arguments larger than a check's ({MAX_QUESTION_NUMBERS} numbers)"}
            return {"ok": True, "value": encode(reference(*args, **kwargs))}
        except Exception as exc:               # the student's function passed arguments the reference rejects
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:limits.CAUSE]}

    def _request(self, op: str, args: list, kwargs: dict) -> dict:
        reply = self.worker.request({"op": op, "fn": self.function, "check": self.check, "args": encode(args),
                                     "kwargs": encode(kwargs), "substitute": sorted(self.references)},
                                    answer=self._answer)
        if not reply.get("ok"):
            kind, _, text = str(reply.get("error")).partition(": ")
            raise RemoteError.named(kind)(text[:limits.EXCEPTION])
        return reply


def worker_setup(notebook, source_nb) -> dict | None:
    """What a replay worker for this notebook must know before it starts (None: nothing to check)."""
    checks = source_checks(source_nb)
    if not checks:
        return None
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    modules = sorted({m for src in code for m in re.findall(r"\bnnlab(?:\.\w+)+", src)} | {"nnlab.checks"})
    return {"functions": sorted({c.function for calls in checks.values() for c in calls}),
            "checks": sorted({c.check for calls in checks.values() for c in calls}), "modules": modules}


def verify_notebook(graded_nb, source_nb, argv: list[str], cwd: Path, cell_timeout: float,
                    notebook_timeout: float | None = None, wanted: set[str] | None = None,
                    worker: Worker | None = None) -> dict[str, Verdict]:
    """grade_id → the out-of-kernel verdict for the test cells of ``source_nb`` that run a check.

    ``wanted``: only these cells (those the kernel passed: a verdict cannot raise a failed cell's score); the
    replay stops after the last of them, as later cells cannot change its verdicts. ``worker``: one started
    ahead for this notebook (closed here either way).
    """
    from nnlab.checks import get_spec, run_check
    checks = source_checks(source_nb)
    if wanted is not None:
        checks = {gid: calls for gid, calls in checks.items() if gid in wanted}
    if not checks:
        if worker is not None:
            worker.close()
        return {}
    tests = {c.metadata["nbgrader"]["grade_id"] for c in source_nb.cells if is_test_cell(c)}
    verdicts: dict[str, Verdict] = {}
    start = time.monotonic()
    if worker is None:
        try:
            worker = Worker(argv, cwd, worker_setup(graded_nb, source_nb), cell_timeout)
        except OSError as exc:                 # cannot even start (e.g. bwrap gone): say so in every cell
            return {gid: Verdict(False, f"could not be checked outside the kernel: {exc}", has_hidden(calls))
                    for gid, calls in checks.items()}
    try:
        worker.ready()
        for cell in graded_nb.cells:
            if len(verdicts) == len(checks):
                break
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            is_test = gid in tests                  # the source's test cells, whatever the submission's metadata says
            if cell.cell_type != "code" or (is_test and gid not in checks):
                continue
            if notebook_timeout and time.monotonic() - start > notebook_timeout:
                worker.stop(f"the notebook's {notebook_timeout:g} s budget was spent")
            if is_test:
                if gid not in verdicts:            # a duplicated test cell: the first counts
                    verdicts[gid] = _check_cell(worker, checks[gid], get_spec, run_check)
                    verdicts[gid].hidden = has_hidden(checks[gid])
            else:
                worker.request({"op": "run", "code": cell.source})
    except WorkerGone:
        pass
    finally:
        worker.close()
    for gid in checks:
        if gid not in verdicts:
            verdicts[gid] = Verdict(False, "could not be checked outside the kernel: the replay stopped before this "
                                           f"cell ({worker.gone or 'the cell is missing'})", has_hidden(checks[gid]))
    return verdicts


def has_hidden(calls: list[CheckCall]) -> bool:
    """Whether a test cell's checks draw hidden cases (which a grading library's kernel cannot)."""
    return any(call.hidden_seed is not None for call in calls)


def _check_cell(worker: Worker, calls: list[CheckCall], get_spec, run_check) -> Verdict:
    for call in calls:
        try:
            spec = get_spec(call.check)
        except KeyError as exc:                # the source names a check nnlab does not have
            return Verdict(False, f"{call.check}: {exc}")
        cases = None if call.hidden_seed is None else spec.hidden_cases(call.hidden_seed, call.n)
        try:
            result = _remote_check(worker, spec, call.function, cases, run_check)
            if not result.passed and spec.substitute and _broken_dependency(worker, spec, get_spec, run_check):
                # as in the kernel (nnlab.checks.depending), a mistake is charged once: the function is judged
                # again with nnlab's references of the challenges it calls in their place
                references = {d: get_spec(d).stand_in() for d in spec.depends}
                result = _remote_check(worker, spec, call.function, cases, run_check, references)
        except WorkerGone:
            raise
        except Exception as exc:               # NotImplementedError cannot come back as itself: it is a string
            return Verdict(False, f"{call.check}: {type(exc).__name__}: {exc}"[:limits.VERDICT])
        if not result.passed:
            return Verdict(False, result.report(), hints=result.hints)
    return Verdict(True)


def _remote_check(worker: Worker, spec, function: str, cases, run_check, references: dict | None = None):
    """``run_check`` on the student's function in the worker (``references``: stand-ins for the functions it
    calls). The function is called as-is here; the worker applies the spec's caller (e.g. jax.jit) itself, and
    runs the spec's check on the function itself (does it compile?) where the function lives."""
    remote_check = (lambda fn, case: fn.problems(case)) if spec.check_function is not None else None
    local = dataclasses.replace(spec, caller=None, check_function=remote_check)
    return run_check(local, RemoteFunction(worker, function, spec.name, references), cases)


def _broken_dependency(worker: Worker, spec, get_spec, run_check) -> bool:
    """Whether one of the challenges' functions ``spec``'s function may call fails its own visible check in the
    worker (a name the student never defined does not count)."""
    for name in spec.depends:
        try:
            if not _remote_check(worker, get_spec(name), name, None, run_check).passed:
                return True
        except WorkerGone:
            raise
        except Exception:                      # not defined, or not written yet (NotImplementedError as a string)
            continue
    return False


def replay_argv(ws, library=None, template: bool = False, libraries=None) -> list[str]:
    """How to start a replay worker for this workspace: in the grading sandbox (with the grading ``library``,
    autograder/commands/kit.py), or plainly without one; ``template``: a replay template (sandbox only), with
    ``libraries`` (the folder of every grading library) a shared one."""
    if ws.sandbox:
        from autograder.trust.sandbox import replay_argv as sandboxed
        return sandboxed(ws.state, library, template, libraries)
    if template:
        raise ValueError("replay templates run only in the grading sandbox")
    return [sys.executable, "-m", "autograder.trust.replay"]
