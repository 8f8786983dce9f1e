"""One challenge calling another: the first broken function is blamed, and a mistake is charged once.

``one_step_gd`` calls the student's ``gradient_estimator``, ``predict`` their ``forward_pass`` (a spec's
``depends``). When a check fails, ``first_broken`` checks those functions first (deepest first, on their own
visible cases), so the student is told to fix the one that is really wrong. While grading, the dependent
function is judged with correct versions in their place (``with_functions`` makes a copy of it whose global
names point elsewhere during the call), so a wrong ``gradient_estimator`` does not also cost ``one_step_gd`` its
points: the grader does that outside the student's kernel (autograder/trust/verify.py), where the references live.
"""
from __future__ import annotations

import functools
import types


def with_functions(fn, replacements: dict):
    """``fn`` called with the global names in ``replacements`` meaning other functions, for the length of each
    call (None where ``fn`` is not a plain Python function: a builtin, a jitted object, …).

    The names are set in ``fn``'s own globals and put back when the call returns, so the student's helper
    functions that share those globals (a ``backprop`` whose helper calls ``sigmoid_prime``) see them too."""
    if not isinstance(fn, types.FunctionType):
        return None
    namespace = fn.__globals__

    @functools.wraps(fn)
    def call(*args, **kwargs):
        saved = {name: namespace[name] for name in replacements if name in namespace}
        namespace.update(replacements)
        try:
            return fn(*args, **kwargs)
        finally:
            for name in replacements:
                if name in saved:
                    namespace[name] = saved[name]
                else:
                    namespace.pop(name, None)
    return call


def global_names(code: types.CodeType) -> set[str]:
    """The global names a function's code (and the code nested in it: inner functions, comprehensions) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return names


def names_used(fn, namespace: dict, skip: frozenset = frozenset()) -> set[str]:
    """The global names ``fn`` uses, itself or through the student's other functions that share its globals
    (helpers), except through the challenges' own functions (``skip``, checked on their own)."""
    seen, todo, used = set(), [fn], set()
    while todo:
        f = todo.pop()
        code = getattr(f, "__code__", None)
        if not isinstance(code, types.CodeType) or id(f) in seen:
            continue
        seen.add(id(f))
        names = global_names(code)
        used |= names
        todo += [namespace[n] for n in names - skip if isinstance(namespace.get(n), types.FunctionType)
                 and namespace[n].__globals__ is namespace]
    return used


def first_broken(spec, fn, get_spec, run_check, seen: frozenset = frozenset()):
    """``(name, result)`` of the first function ``fn`` calls that fails its own check (``result`` None when it
    is not written yet), looking deepest first; None when all of them pass or none can be found. Only the
    names ``fn``'s code uses count: a broken function it never calls is not blamed."""
    namespace = getattr(fn, "__globals__", None) or {}
    used = names_used(fn, namespace, frozenset(spec.depends)) | {spec.pair}
    for name in spec.depends:
        dep = namespace.get(name) if name in used else None
        if not callable(dep) or dep is fn or name in seen:
            continue
        try:
            dep_spec = get_spec(name)
        except KeyError:
            continue
        deeper = first_broken(dep_spec, dep, get_spec, run_check, seen | {spec.name})
        if deeper is not None:
            return deeper
        try:
            result = run_check(dep_spec, dep)
        except NotImplementedError:
            return name, None
        except Exception:                     # a placeholder that cannot run here: nothing to say about it
            continue
        if not result.passed:
            return name, result
    return None


def used_dependencies(spec, fn) -> list[str]:
    """The challenges' functions among ``spec.depends`` that ``fn`` uses (itself or through its helpers)."""
    namespace = getattr(fn, "__globals__", None) or {}
    used = names_used(fn, namespace, frozenset(spec.depends)) | {spec.pair}
    return [name for name in spec.depends if name in used]


def in_place(names) -> str:
    """"its place" for one stand-in, "their places" for several."""
    return "their places" if len(names) > 1 else "its place"


def blame_text(name: str, dep: str, dep_result, own=None, direct=()) -> str:
    """What the student reads when ``name`` failed and ``dep``, which it calls (perhaps through another of
    the student's functions), fails its own check.

    ``own``: the check of ``name`` with correct versions of the functions it calls directly (``direct``) in
    their place, where the library has them."""
    lines = [f"{name} relies on your {dep}, which does not pass its own check yet: fix {dep} first."]
    if dep_result is None:
        lines.append(f"  ({dep} is not written yet: its cell still raises NotImplementedError.)")
    else:
        lines += ["  " + line for line in dep_result.report().splitlines()]
    if own is None:
        lines.append(f"Then run this cell again: {name} is checked once {dep} passes.")
    else:
        fixed = " and ".join(direct) or dep
        verdict = "passes every case." if own.passed else "still fails:"
        lines.append(f"With a correct {fixed} in {in_place(direct)}, your {name} {verdict}")
    if own is not None and not own.passed:
        lines += ["  " + line for line in own.report().splitlines()]
    return "\n".join(lines)
