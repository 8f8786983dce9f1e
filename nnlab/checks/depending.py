"""One challenge calling another: the first broken function is blamed, and a mistake is charged once.

``one_step_gd`` calls the student's ``gradient_estimator``, ``predict`` their ``forward_pass`` (a spec's
``depends``). When a check fails, ``first_broken`` checks those functions first (deepest first, on their own
visible cases), so the student is told to fix the one that is really wrong. While grading, the dependent
function is judged with correct versions in their place (``with_functions`` makes a copy of it whose global
names point elsewhere), so a wrong ``gradient_estimator`` does not also cost ``one_step_gd`` its points: the
grader does that outside the student's kernel (autograder/verify.py), where the references live.
"""
from __future__ import annotations

import types


def with_functions(fn, replacements: dict):
    """A copy of the plain function ``fn`` whose global names in ``replacements`` mean other functions
    (None where ``fn`` is not a plain Python function: a lambda in a class, a builtin, a jitted object)."""
    if not isinstance(fn, types.FunctionType):
        return None
    namespace = dict(fn.__globals__)
    namespace.update(replacements)
    copy = types.FunctionType(fn.__code__, namespace, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__doc__, copy.__qualname__ = fn.__doc__, fn.__qualname__
    return copy


def global_names(code: types.CodeType) -> set[str]:
    """The global names a function's code (and the code nested in it: inner functions, comprehensions) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return names


def first_broken(spec, fn, get_spec, run_check, seen: frozenset = frozenset()):
    """``(name, result)`` of the first function ``fn`` calls that fails its own check (``result`` None when it
    is not written yet), looking deepest first; None when all of them pass or none can be found. Only the
    names ``fn``'s code uses count: a broken function it never calls is not blamed."""
    namespace = getattr(fn, "__globals__", None) or {}
    code = getattr(fn, "__code__", None)
    used = global_names(code) if isinstance(code, types.CodeType) else set()
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
        lines.append(f"With a correct {fixed} in its place, your {name} {verdict}")
    if own is not None and not own.passed:
        lines += ["  " + line for line in own.report().splitlines()]
    return "\n".join(lines)
