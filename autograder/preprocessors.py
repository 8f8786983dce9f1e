"""nbconvert preprocessors the grader adds to nbgrader's pipelines."""
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


class TrimTestTracebacks(Preprocessor):
    """In test cells, keep only the last line of each traceback (``AssertionError: <the check's report>``).

    A full traceback quotes the lines around the failing one, which in a hidden-test cell are hidden tests.
    nbconvert skips a registered preprocessor unless it is enabled, so this one is enabled by default.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources
