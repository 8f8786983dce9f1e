"""The untrusted half of the out-of-kernel check: a sandboxed worker that replays a submission's code cells
and calls its functions on request (started by autograder/trust/verify.py, never imported by the grader).

It speaks JSON lines on its own stdin/stdout, which it moves off fds 0 and 1 first, so whatever the
student's code prints goes to /dev/null and cannot mix with replies. Requests:

- ``{"op": "run", "code": …}`` runs one cell in an IPython shell → ``{"ok": bool, "error": …}``;
- ``{"op": "call", "fn": name, "check": name, "args": …, "kwargs": …}`` calls the student's function (through
  the check's ``caller``, e.g. ``jax.jit``) → ``{"ok": true, "value": …}`` or ``{"ok": false, "error": …}``;
- ``{"op": "problems", …}`` (the same fields) runs the spec's ``check_function`` on the function itself (does
  it compile under ``jax.jit``?) → ``{"ok": true, "problems": [...]}``.

A ``call`` may name ``"substitute": [names]``: the other challenges' functions that the checked one calls
(``one_step_gd`` → ``gradient_estimator``, nnlab.checks.depending). For the length of the call, those names in
the student's namespace point to stand-ins that ask the trusted process, over the same pipe
(``{"op": "reference", "fn": name, "args": …}`` → ``{"op": "reference-reply", "ok": …, "value": …}``), for the
reference's answer: the checked function is judged with correct dependencies, and no reference code enters
this process. A stand-in works only during the call that made it.

Before any cell runs, nnlab's reference versions of the graded functions are replaced by stubs that raise,
in every loaded ``nnlab`` module; again after each request (a cell may have imported or reloaded modules, or
bound a reference to a name of its own). Only plain data crosses the pipe (autograder/trust/wire.py); the
comparison happens in the trusted process.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import _thread

from autograder import limits

REFERENCE_GONE = "the reference is not available while grading"


def _stub(name: str):
    def reference_not_available(*args, **kwargs):
        raise RuntimeError(f"{REFERENCE_GONE} (nnlab's {name} was called)")
    reference_not_available.__name__ = name
    reference_not_available.nnlab_stub = True
    return reference_not_available


def _stub_references(names: list[str], checks: list[str]) -> None:
    """Replace nnlab's version of every graded function (``names``) and the reference of every check
    (``checks``) by a stub, wherever a loaded nnlab module has it."""
    import nnlab.checks
    originals = set()
    for mod_name in ("nnlab", "nnlab.jax"):
        mod = sys.modules.get(mod_name)
        for name in names:
            obj = getattr(mod, name, None) if mod is not None else None
            if callable(obj) and not getattr(obj, "nnlab_stub", False):
                originals.add(id(obj))
    for check in checks:
        spec = nnlab.checks.SPECS.get(check)
        for field in ("reference", "answer"):           # a pair's spec holds the answer itself too
            value = getattr(spec, field, None) if spec is not None else None
            if value is not None and not getattr(value, "nnlab_stub", False):
                originals.add(id(value))
                object.__setattr__(spec, field, _stub(check))
    for mod_name, mod in list(sys.modules.items()):
        if not (mod_name == "nnlab" or mod_name.startswith("nnlab.")) or mod is None:
            continue
        for attr, value in list(vars(mod).items()):
            # nnlab's own function of a graded name, wherever it lives (a reloaded module's fresh copy too)
            ours = attr in names and callable(value) and str(getattr(value, "__module__", "")).startswith("nnlab")
            if (id(value) in originals or ours) and not getattr(value, "nnlab_stub", False):
                setattr(mod, attr, _stub(attr))


def _stub_namespace(namespace: dict, names: list[str]) -> None:
    """Stub nnlab's graded functions that the student's code bound to names of its own (``ref = nnlab.sigmoid``
    after reloading nnlab, say)."""
    for key, value in list(namespace.items()):
        if callable(value) and getattr(value, "__name__", "") in names \
                and str(getattr(value, "__module__", "")).startswith("nnlab"):
            namespace[key] = _stub(value.__name__)


def main() -> None:
    protocol_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.environ.setdefault("MPLBACKEND", "Agg")
    setup = json.loads(protocol_in.readline())
    names, checks = setup["functions"], setup["checks"]
    import nnlab  # noqa: F401
    for module in setup.get("modules", []):
        try:
            __import__(module)
        except Exception:
            pass
    _stub_references(names, checks)
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from autograder.trust.wire import decode, encode
    config = Config()
    config.HistoryManager.enabled = False     # no history database: nothing reads it here, and it took 0.1 s to make
    shell = InteractiveShell.instance(config=config)
    shell.showtraceback = lambda *a, **k: None
    reply = lambda data: (protocol_out.write(json.dumps(data) + "\n"), protocol_out.flush())  # noqa: E731

    def ask(data: dict) -> dict:
        """Send a question to the trusted process and wait for its answer."""
        reply(data)
        return json.loads(protocol_in.readline() or "{}")

    reply({"ok": True, "ready": True})
    for line in protocol_in:
        request = json.loads(line)
        if request.get("op") == "reference-reply":     # a late answer to a stand-in interrupted by the timer
            continue
        timer = threading.Timer(request.get("timeout", 30), _thread.interrupt_main)
        timer.start()
        try:
            if request["op"] == "run":
                result = shell.run_cell(request["code"], store_history=False, silent=True)
                error = result.error_before_exec or result.error_in_exec
                answer = {"ok": error is None, "error": None if error is None else _describe(error)}
            elif request["op"] == "problems":
                answer = _problems(shell, request, decode)
            else:
                answer = _call(shell, request, decode, encode, ask)
        except BaseException as exc:          # an interrupt between cells, or a broken request
            answer = {"ok": False, "error": _describe(exc)}
        finally:
            timer.cancel()
        _stub_references(names, checks)         # again: a cell may have imported or reloaded nnlab modules
        _stub_namespace(shell.user_ns, names)
        reply(answer)


def _call(shell, request, decode, encode, ask) -> dict:
    import nnlab.checks
    from nnlab.checks.depending import with_functions
    fn = shell.user_ns.get(request["fn"])
    if not callable(fn):
        return {"ok": False, "error": f"NameError: {request['fn']} is not defined when the test runs"}
    live = [True]
    names = [n for n in request.get("substitute") or [] if callable(shell.user_ns.get(n))]
    if names:
        fn = with_functions(fn, {n: _stand_in(n, ask, encode, decode, live) for n in names}) or fn
    spec = nnlab.checks.SPECS.get(request["check"])
    if spec is not None and spec.caller is not None:
        fn = spec.caller(fn)
    try:
        value = fn(*decode(request["args"]), **decode(request["kwargs"]))
        return {"ok": True, "value": encode(value)}
    except BaseException as exc:
        return {"ok": False, "error": _describe(exc)}
    finally:
        live[0] = False


def _stand_in(name: str, ask, encode, decode, live: list):
    """The student's ``name`` replaced by a function that asks the trusted process for the reference's value."""
    def stand_in(*args, **kwargs):
        if not live[0]:
            raise RuntimeError(f"{REFERENCE_GONE} ({name} outside the check that lent it)")
        answer = ask({"op": "reference", "fn": name, "args": encode(list(args)), "kwargs": encode(kwargs)})
        if not answer.get("ok"):
            raise RuntimeError(str(answer.get("error"))[:limits.CAUSE])
        return decode(answer["value"])
    stand_in.__name__ = name
    return stand_in


def _problems(shell, request, decode) -> dict:
    """The spec's ``check_function`` on the student's function itself (e.g. "fails under jax.jit"): what a
    check asks of the function rather than of its outputs, which only this process can try."""
    import nnlab.checks
    from nnlab.checks.spec import Case
    fn = shell.user_ns.get(request["fn"])
    spec = nnlab.checks.SPECS.get(request["check"])
    if not callable(fn) or spec is None or spec.check_function is None:
        return {"ok": True, "problems": []}
    case = Case("", tuple(decode(request["args"])), decode(request["kwargs"]))
    try:
        return {"ok": True, "problems": [str(p) for p in spec.check_function(fn, case)]}
    except BaseException as exc:
        return {"ok": False, "error": _describe(exc)}


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:limits.EXCEPTION]


if __name__ == "__main__":
    main()
