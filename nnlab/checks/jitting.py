"""Checks that a JAX answer works under ``jax.jit``: ``compiled`` is the Spec ``caller`` that calls the student's
function compiled (with an eager fallback), ``traceable`` the Spec ``check_function`` that says why it cannot
be compiled. JAX is imported only when such a check runs; no reference answer is involved."""
from __future__ import annotations

import weakref

from .calling import call_captured, snapshot
from .spec import Case


_TRACED = weakref.WeakKeyDictionary()          # function → problems found under jit (checked once per function)
_JITTED = weakref.WeakKeyDictionary()          # function → its jax.jit version


def _remember(table, fn, value) -> None:
    try:
        table[fn] = value
    except TypeError:                          # not weak-referenceable: nothing is cached for it
        pass


def compiled(fn):
    """What the checks call instead of ``fn``: ``fn`` compiled by ``jax.jit``, or ``fn`` itself where it cannot
    be traced (``traceable`` then says why).

    Called eagerly, JAX compiles every operation separately for every new input shape — about 40 compilations
    of ~70 ms for one gradient — while ``jit`` compiles the whole function once per shape. That is what keeps a
    JAX check cell at a fraction of a second.
    """
    def call(*args, **kwargs):
        import jax

        jitted = _JITTED.get(fn) if _weakrefable(fn) else None
        if jitted is None:
            jitted = jax.jit(fn)
            _remember(_JITTED, fn, jitted)
        try:
            value = jax.block_until_ready(jitted(*args, **kwargs))
        except NotImplementedError:
            raise
        except Exception:                      # not traceable (numpy inside, float() of a tracer, …) or a bug
            return fn(*args, **kwargs)
        _remember(_TRACED, fn, [])
        return value
    return call


def _weakrefable(fn) -> bool:
    try:
        weakref.ref(fn)
        return True
    except TypeError:
        return False


def traceable(fn, case: Case) -> list[str]:
    """Problems if ``fn`` fails when compiled by ``jax.jit`` on the case's inputs. Compiling is slow, so each
    function is compiled once, on the first case that reaches this check (``compiled`` records a success)."""
    try:
        return list(_TRACED[fn])
    except (KeyError, TypeError):
        pass
    problems = _trace(fn, case)
    _remember(_TRACED, fn, problems)
    return problems


def _trace(fn, case: Case) -> list[str]:
    import jax

    call = call_captured(lambda *a, **k: jax.block_until_ready(jax.jit(fn)(*a, **k)), snapshot(case.args),
                         snapshot(case.kwargs))
    if call.error is None:
        return []
    text = str(call.error).strip()
    first = f": {text.splitlines()[0][:160]}" if text else ""
    return [f"it gives the right values but fails under jax.jit ({type(call.error).__name__}{first}). Inside "
            f"jit every array is a tracer: use jax.numpy (jnp.sum, jnp.exp, …) instead of numpy, and no float() "
            f"or if on array values."]


def gradient_of_cost(fn, case: Case) -> list[str]:
    """``jax_gradient``'s check on the function itself: it compiles under ``jax.jit`` (``traceable``) and it
    differentiates the student's ``jax_cost``, which is what the challenge teaches. Notebook 04's hand-written
    backprop (in the kit once 04 is closed) gives the same numbers and is not an answer here."""
    problems = traceable(fn, case)
    if problems or _uses(fn, "jax_cost"):
        return problems
    return ["it gives the gradient without calling your jax_cost: this challenge asks for it by automatic "
            "differentiation, jax.grad of your jax_cost with respect to w and b."]


def _uses(fn, name: str) -> bool:
    """Whether ``fn`` wraps (``jax.grad``, ``jax.jit``) or calls, itself or through its helpers, ``name``."""
    from .depending import names_used
    seen = set()
    while fn is not None and id(fn) not in seen:
        seen.add(id(fn))
        if getattr(fn, "__name__", None) == name and fn is not None and len(seen) > 1:
            return True
        namespace = getattr(fn, "__globals__", None)
        if namespace is not None and name in names_used(fn, namespace):
            return True
        fn = getattr(fn, "__wrapped__", None)
    return False
