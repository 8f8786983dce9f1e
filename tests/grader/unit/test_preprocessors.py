"""The feedback preprocessor that cuts test-cell tracebacks, checked on its own (fast, no kernel)."""
import nbformat
from nbconvert.exporters import NotebookExporter

from autograder.integration.preprocessors import TrimTestTracebacks


def _notebook():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="sigmoid: 1 of 3 cases failed.",
                                   traceback=["Cell In[3], line 2", "check('sigmoid', sigmoid, hidden_seed=7)"])
    test = nbformat.v4.new_code_cell("check('sigmoid', sigmoid, hidden_seed=7)", outputs=[error])
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "sigmoid_hidden", "points": 2}
    answer = nbformat.v4.new_code_cell("def sigmoid(z): ...", outputs=[nbformat.from_dict(dict(error))])
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "sigmoid"}
    return nbformat.v4.new_notebook(cells=[test, answer])


def test_registered_by_name_it_runs_and_trims_only_test_cells():
    exporter = NotebookExporter()
    exporter.register_preprocessor("autograder.integration.preprocessors.TrimTestTracebacks")  # as nbgrader registers it
    body, _ = exporter.from_notebook_node(_notebook())
    test, answer = nbformat.reads(body, as_version=4).cells
    assert test.outputs[0].traceback == ["AssertionError: sigmoid: 1 of 3 cases failed."]
    assert "hidden_seed" not in str(test.outputs)
    assert len(answer.outputs[0].traceback) == 2  # a student's own cell keeps its full traceback


def test_enabled_by_default():
    assert TrimTestTracebacks().enabled
