"""A failing check cell shows the check's report first, not a traceback.

A test cell ends with ``assert result.passed, result.report()``. Python raises an ``AssertionError`` whose
message is the report itself (a ``spec.Report``), and IPython would print the cell's source lines and a
traceback above it. ``show_reports_plainly`` registers an IPython handler for ``AssertionError`` that gives
such an exception a ``_render_traceback_`` (IPython's hook for exceptions that render themselves) returning the
report, and shows it through IPython's own ``showtraceback``: the output is still an error whose ``ename`` and
``evalue`` are the assertion's, so nbgrader sees a failed cell. Any other assertion keeps IPython's usual
traceback. (IPython discards what a custom handler returns, so the handler must show the error itself.)
Outside IPython it does nothing.
"""
from __future__ import annotations

import sys

from .spec import Report


def _show(shell, etype, value, tb, tb_offset=None):
    message = value.args[0] if getattr(value, "args", None) else None
    if isinstance(message, Report):
        value._render_traceback_ = lambda: [f"{etype.__name__}: {message}"]
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def show_reports_plainly() -> None:
    """Install the handler in the running IPython shell, once (a no-op outside IPython)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "custom_exceptions", ()):      # ours already, or someone else's: keep it
        return
    shell.set_custom_exc((AssertionError,), _show)
