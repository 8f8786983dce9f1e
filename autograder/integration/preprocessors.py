"""nbconvert preprocessors the grader adds to nbgrader's pipelines."""
import nbformat
from nbconvert.preprocessors import Preprocessor
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
