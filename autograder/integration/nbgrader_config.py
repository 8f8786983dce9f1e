"""nbgrader settings shared by every nnlab course workspace (paths are filled in by ``nnlab-grade``).

``nnlab-grade`` loads this file, then sets the course root, source, release and gradebook paths. Running
nbgrader by hand from a course workspace uses the ``nbgrader_config.py`` that ``nnlab-grade`` writes there,
which loads this file too.
"""
c = get_config()  # noqa: F821 — provided by traitlets when nbgrader loads the file

# Release: solutions/<id>/<id>.ipynb → notebooks/<id>/<id>.ipynb; nothing else is copied beside a notebook.
c.CourseDirectory.include = ["*.ipynb"]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Release: nbgrader's steps, and the test cells' checks cut down to their names (no hidden seed or count) after its
# hidden tests are cleared (autograder/integration/preprocessors.py).
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograder.integration.preprocessors.ReleaseCheckNames",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Grading: a per-cell timeout that no correct solution comes near (each notebook runs in < 15 s), and nbgrader's
# Execute replaced by a crash-safe one (autograder/integration/execute.py): a dead or hung kernel, or a spent notebook
# budget, ends the run with the grades earned so far instead of failing the whole submission.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.OverwriteCells.add_missing_cells = True          # a deleted test cell is put back from the gradebook
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "autograder.integration.preprocessors.KeepFirstIds",        # not DeduplicateIds: see preprocessors.py
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "autograder.integration.execute.GuardedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "autograder.integration.preprocessors.SaveAutoGradesAtOnce",   # nbgrader's SaveAutoGrades, fewer queries
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback: no hidden tests, tracebacks of test cells cut to their last line, and under a test cell whose score was
# set by hand, why. Each page is one file that works offline: the exporter (autograder/integration/feedback_page.py)
# writes the maths as MathML instead of loading MathJax from a CDN, and wraps long lines of outputs and error messages.
c.GenerateFeedback.exporter_class = "autograder.integration.feedback_page.FeedbackExporter"
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograder.integration.preprocessors.TrimTestTracebacks",
    "autograder.integration.preprocessors.OverrideNotes",
]
