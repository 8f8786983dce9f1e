"""nnlab's grader (``nnlab-grade``): nbgrader, made safe and informative for a class of bootcamp notebooks.

A submission's way. ``collect`` (``commands/collect.py``, with ``commands/lms.py`` for Canvas and Moodle
downloads) copies each student's notebooks into the course workspace (``course/workspace.py``), keeping the
kit's manifest and flagging what does not match it. ``autograde`` (``pipeline/parallel.py``) walks the class:
for each submission, ``pipeline/grading.py`` runs the intake (``pipeline/intake.py``: a notebook that cannot
be read fails here; tampered test cells are flagged) and packs a self-contained task (``pipeline/task.py``).
The task runs anywhere — in the grader, in a local worker process or on a Dask worker: nbgrader's autograde in
a scratch course, every kernel inside the sandbox (``trust/sandbox.py``), executed by the crash-safe
``integration/execute.py``; then the out-of-kernel check (``trust/verify.py``) replays the student's code in a
second sandboxed process (``trust/replay.py``, speaking plain data through ``trust/wire.py``) and judges each
checked function again with the full checks, which the sandbox cannot see. Back in the grader, the only
process that writes the gradebook, ``finish`` stores the scores there (the lower of the kernel's and the
outside verdict per cell) and, in ``pipeline/results.py``, what the gradebook has no field for (statuses,
hints, flags, the release the student received: ``course/releases.py``). Every reader joins the two:
``export`` (``commands/export.py``) writes ``grades.csv`` and ``cells.csv``, ``feedback`` the students' pages
(``integration/feedback_page.py``), ``report`` the instructor's class report (``commands/report.py``) and ``pdf``
the review PDFs (``commands/pdf.py``); ``override`` and formgrader write manual scores. The course's own
``nbgrader_config.py`` is read after nnlab's defaults (``integration/config.py``), nnlab's settings are in
``nnlab.toml`` (``course/settings.py``). Due dates, extensions, the late policy and when each submission came
are ``course/deadlines.py``'s; nbgrader's exchange is ``commands/exchange.py``'s (collect, return feedback),
the LMSs' import files ``commands/lms_export.py``'s, and ``similarity`` (``commands/similarity.py``) compares
the students' code. Every patch of nbgrader's or nbclient's
internals is in ``integration/patches.py``, behind a version check; every gradebook read and write in
``course/gradebook.py``; what a grading process keeps between tasks in one ``ProcessState``
(``pipeline/process.py``). docs/architecture.md tells the same story with the trust boundary drawn in.
"""

import sys as _sys

# jsonschema, imported with nbformat by every grading process and command, compiles a grammar for the "iri"
# string formats at import when the optional rfc3987_syntax is installed: about a second, for formats that
# nothing here validates (nbformat's and nbgrader's schemas use none). Marked absent before anything imports
# jsonschema, it skips them (autograder/integration/patches.py lists this).
_sys.modules.setdefault("rfc3987_syntax", None)
