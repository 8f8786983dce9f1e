"""Calling the student's function: once per case, on copies of the inputs, with warnings, stdout and stderr
captured (nbgrader gives zero to a graded cell that writes to stderr), and exact comparison of values to
detect an argument changed in place."""
from __future__ import annotations

import contextlib
import copy
import inspect
import io
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Call:
    """What happened when the student's function was called once."""
    value: Any = None
    error: BaseException | None = None
    warnings: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""


def call_captured(fn, args, kwargs) -> Call:
    """Call ``fn`` with warnings, stdout and stderr captured; NotImplementedError propagates unchanged."""
    out, err = io.StringIO(), io.StringIO()
    call = Call()
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        warnings.simplefilter("always")
        try:
            call.value = fn(*args, **kwargs)
        except NotImplementedError:
            raise
        except Exception as exc:  # a student's bug is a result, not a crash of the check
            call.error = exc
    call.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
    call.stdout, call.stderr = out.getvalue(), err.getvalue()
    return call


def snapshot(value):
    """Deep copy of arguments, to call with and to detect in-place changes."""
    return copy.deepcopy(value)


def same_value(a, b) -> bool:
    """Exact equality of nested lists/tuples/dicts of arrays and scalars (NaN equals NaN)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except TypeError:
        return a == b


def with_own_forward(fn, forward: str, upstream: int = 1):
    """A backward pass checked as a pair with the student's own forward pass (a Spec's ``pair``): the returned
    function takes ``(*gradients, *forward_args)`` — the ``upstream`` gradients arriving from above, then the
    forward pass's arguments — runs ``forward(*forward_args)`` (the function of that name beside ``fn``, in the
    student's namespace) for its cache, its last output, and returns ``fn(*gradients, cache)``. So the cache is
    laid out as the student's forward pass lays it out, whatever that is."""
    namespace = getattr(inspect.unwrap(fn), "__globals__", {})

    def backward_after_own_forward(*args, **forward_kwargs):
        gradients, forward_args = args[:upstream], args[upstream:]
        own = namespace.get(forward)
        if not callable(own):
            raise NameError(f"{forward} is not defined in your notebook: run its cell first (its cache is what "
                            "this function takes)")
        try:
            out = own(*forward_args, **forward_kwargs)
        except NotImplementedError:
            raise NotImplementedError(f"{forward} is not written yet; this function takes its cache") from None
        except Exception as exc:
            raise RuntimeError(f"your {forward}, which makes the cache, raised {type(exc).__name__}: {exc}") from None
        if not (isinstance(out, (tuple, list)) and len(out) >= 2):
            raise RuntimeError(f"your {forward} did not return its output and a cache, so there is no cache to "
                               "pass on")
        return fn(*gradients, out[-1])
    return backward_after_own_forward


def with_own_dense_forward(fn):
    """``dense_backward``'s caller: ``(dz, a, w, b)`` → ``fn(dz, cache)``, the cache from your dense_forward."""
    return with_own_forward(fn, "dense_forward")


def with_own_conv2d_forward(fn):
    """``conv2d_backward``'s caller: ``(dout, x, w, b, stride=, padding=)`` → ``fn(dout, cache)``, the cache from
    your conv2d_forward."""
    return with_own_forward(fn, "conv2d_forward")


def with_own_max_pool_forward(fn):
    """``max_pool_backward``'s caller: ``(dout, x, size=, stride=)`` → ``fn(dout, cache)``, the cache from your
    max_pool_forward."""
    return with_own_forward(fn, "max_pool_forward")


def with_own_lstm_cell_forward(fn):
    """``lstm_cell_backward``'s caller: ``(dh, dc, x_t, h_prev, c_prev, params)`` → ``fn(dh, dc, cache)``, the
    cache from your lstm_cell_forward."""
    return with_own_forward(fn, "lstm_cell_forward", upstream=2)
