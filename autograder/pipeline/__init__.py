"""Grading one submission after another: intake (is the notebook readable, were its tests tampered with?), the
self-contained task nbgrader runs, the record each outcome becomes, running tasks in parallel, and the state
one grading process keeps from task to task (``process``)."""
