"""nbconvert preprocessors the grader adds to nbgrader's pipelines."""
import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader import utils as nbgrader_utils
from nbgrader.api import Comment, Grade, Gradebook, MissingEntry
from nbgrader.preprocessors import SaveAutoGrades
from traitlets import Bool, Dict

from autograder.integration.cells import is_test_cell


class TrimTestTracebacks(Preprocessor):
    """In test cells, keep only the last line of each traceback (``AssertionError: <the check's report>``).

    A full traceback quotes the lines around the failing one, which in a hidden-test cell are hidden tests.
    nbconvert skips a registered preprocessor unless it is enabled, so this one is enabled by default.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_test_cell(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources


class KeepFirstIds(Preprocessor):
    """In place of nbgrader's ``DeduplicateIds``: when a student copied a graded or locked cell, the *first*
    cell with that id keeps its nbgrader metadata and later copies lose it (become ordinary cells).

    nbgrader's own keeps the last copy, and leaves an empty ``nbgrader`` dict behind that makes
    ``OverwriteCells.add_missing_cells`` fail with ``KeyError: 'grade_id'`` (nbgrader 0.9.6).
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        seen = set()
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            gid = meta.get("grade_id")
            if gid is None or not (meta.get("grade") or meta.get("solution") or meta.get("locked")):
                continue
            if gid in seen:
                self.log.warning("cell %s appears more than once: the first copy counts", gid)
                del cell.metadata["nbgrader"]
            else:
                seen.add(gid)
        return nb, resources


class ReleaseCheckNames(Preprocessor):
    """In the release, a test cell's ``nnlab`` metadata names its checks and nothing more.

    A source test cell says which checks it runs in ``metadata["nnlab"]["checks"]`` (autograder/trust/verify.py),
    a hidden one with its seed and count, from which the hidden cases can be drawn. nbgrader's release keeps
    cell metadata it does not know, so each check is cut down to its ``check`` and ``function`` names here.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        nnlab = cell.metadata.get("nnlab", {})
        if "checks" in nnlab:
            nnlab["checks"] = [{key: entry[key] for key in ("check", "function") if key in entry}
                               for entry in nnlab["checks"]]
        return cell, resources


class OverrideNotes(Preprocessor):
    """Feedback: under each test cell whose score an instructor set by hand, why (``notes``: grade id → text).

    nbgrader's feedback shows the manual score but has nowhere to say why for a test cell (only a solution cell
    has a comment); the grader sets ``notes`` for each student's page (autograder/commands/export.py).
    """

    enabled = Bool(True).tag(config=True)
    notes = Dict(help="grade id → what the student's page says under that test cell").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and gid in self.notes and is_test_cell(cell):
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=f"{self.notes[gid]}\n"))
        return cell, resources


class SaveAutoGradesAtOnce(SaveAutoGrades):
    """nbgrader's ``SaveAutoGrades`` (each grade cell's auto score, each answer cell's "No response." comment,
    into the gradebook), reading the submitted notebook's grades and comments in one query each and committing
    once. nbgrader's finds every cell's row with a query of its own, seven tables joined, and commits after each:
    the scores and comments written are the same. A cell whose row is not among them is looked up as nbgrader
    looks it up (whose ``MissingEntry`` then says what is missing)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.student_id, self.db_url = info["student"], info["db_url"]
        self.gradebook, self._rows = Gradebook(self.db_url), None
        with self.gradebook:
            nb, resources = Preprocessor.preprocess(self, nb, resources)      # each cell: _add_score, _add_comment
            self.gradebook.db.commit()
        self._rows = None
        return nb, resources

    def _row(self, kind: int, grade_id: str):
        """The submitted notebook's ``Grade`` (kind 0) or ``Comment`` (kind 1) row of the cell ``grade_id``."""
        gb = self.gradebook
        if self._rows is None:                     # the notebook's first graded cell: read them all
            from autograder.course.gradebook import by_cell_name
            try:
                notebook = gb.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
                self._rows = (by_cell_name(gb, Grade, notebook), by_cell_name(gb, Comment, notebook))
            except MissingEntry:
                self._rows = ({}, {})
        row = self._rows[kind].get(grade_id)
        if row is None:
            find = gb.find_grade if kind == 0 else gb.find_comment
            row = find(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        return row

    def _add_score(self, cell, resources):
        grade = self._row(0, cell.metadata["nbgrader"]["grade_id"])
        grade.auto_score, _ = nbgrader_utils.determine_grade(cell, self.log)
        # a manual score already there, or no auto score: the cell needs a grader's look (nbgrader's rule)
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None

    def _add_comment(self, cell, resources):
        comment = self._row(1, cell.metadata["nbgrader"]["grade_id"])
        unchanged = cell.metadata.nbgrader.get("checksum", None) == nbgrader_utils.compute_checksum(cell)
        comment.auto_comment = "No response." if unchanged and not nbgrader_utils.is_task(cell) else None
