"""The grader's own preprocessors checked on their own (fast, no kernel): the feedback's that cuts test-cell
tracebacks, and the autograde step that saves the scores as nbgrader's `SaveAutoGrades` does."""
import nbformat
import pytest
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


def _cell(kind, source, grade_id, **meta):
    """A code or markdown cell with nbgrader's metadata: not graded, no solution, unlocked, unless ``meta`` says."""
    made = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    made.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": False, "grade_id": grade_id,
                                 "schema_version": 3, **meta}
    return made


def _graded_notebook():
    """A source notebook of every kind of graded cell, and a student's executed copy of it."""
    source = nbformat.v4.new_notebook(cells=[
        _cell("code", "def sigmoid(z):\n    raise NotImplementedError()", "sigmoid", solution=True),
        _cell("code", "def relu(z):\n    raise NotImplementedError()", "relu", solution=True),
        _cell("code", "check('sigmoid', sigmoid)", "sigmoid_test", grade=True, locked=True, points=2),
        _cell("code", "check('relu', relu)", "relu_test", grade=True, locked=True, points=1),
        _cell("markdown", "YOUR ANSWER HERE", "why", grade=True, solution=True, points=2),
        _cell("markdown", "Plot the loss.", "plot", task=True, points=1),
    ])
    source.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    submitted = nbformat.from_dict(source)
    submitted.cells[1].source = "def relu(z):\n    return z * (z > 0)"                 # answered; sigmoid is not
    submitted.cells[2].outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="",
                                                         traceback=[])]
    submitted.cells[4].source = "Because it is smooth."
    return source, submitted


def _gradebook_with_submission(path, source, manual=None):
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import ComputeChecksums, SaveCells

    from autograder.integration import patches
    patches.apply()
    url = f"sqlite:///{path}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_student("ada")
    resources = {"nbgrader": {"db_url": url, "assignment": "a1", "notebook": "nb", "student": "ada"}}
    nb, _ = ComputeChecksums().preprocess(nbformat.from_dict(source), {})
    SaveCells().preprocess(nb, resources)
    with Gradebook(url) as gb:
        gb.add_submission("a1", "ada")
        for grade_id, score in (manual or {}).items():
            gb.find_grade(grade_id, "nb", "a1", "ada").manual_score = score
        gb.db.commit()
    return url, resources, nb


def _as_handed_in(submitted, released):
    """A copy of the student's notebook whose cells carry the release's metadata (its checksums)."""
    student = nbformat.from_dict(submitted)
    for mine, theirs in zip(student.cells, released.cells):
        mine.metadata = theirs.metadata
    return student


def _rows(url):
    from nbgrader.api import Gradebook
    with Gradebook(url) as gb:
        grades = {g.name: (g.auto_score, g.needs_manual_grade) for g in gb.find_submission_notebook(
            "nb", "a1", "ada").grades}
        comments = {c.name: c.auto_comment for c in gb.find_submission_notebook("nb", "a1", "ada").comments}
    return grades, comments


def test_scores_saved_at_once_are_nbgraders_own(tmp_path):
    """``SaveAutoGradesAtOnce`` writes what nbgrader's ``SaveAutoGrades`` writes: a failed test 0, a passed one
    its points, a written answer and a task for a grader (no auto score), an answer left as released "No
    response.", and a cell that already has a manual score marked for review again."""
    from nbgrader.preprocessors import SaveAutoGrades

    from autograder.integration.preprocessors import SaveAutoGradesAtOnce
    source, submitted = _graded_notebook()
    seen = []
    for k, kind in enumerate((SaveAutoGrades, SaveAutoGradesAtOnce)):
        url, resources, released = _gradebook_with_submission(tmp_path / f"{k}.db", source, {"relu_test": 0.5})
        kind().preprocess(_as_handed_in(submitted, released), resources)
        seen.append(_rows(url))
    assert seen[0] == seen[1]
    grades, comments = seen[1]
    assert grades == {"sigmoid_test": (0.0, False), "relu_test": (1.0, True), "why": (None, True),
                      "plot": (None, True)}
    assert comments == {"sigmoid": "No response.", "relu": None, "why": None, "plot": None}


def test_a_cell_the_gradebook_lacks_fails_as_with_nbgrader(tmp_path):
    from nbgrader.api import MissingEntry

    from autograder.integration.preprocessors import SaveAutoGradesAtOnce
    source, submitted = _graded_notebook()
    url, resources, released = _gradebook_with_submission(tmp_path / "g.db", source)
    student = _as_handed_in(submitted, released)
    student.cells[3].metadata.nbgrader["grade_id"] = "not_in_the_release"
    with pytest.raises(MissingEntry):
        SaveAutoGradesAtOnce().preprocess(student, resources)


def _typed_rows(url):
    """Every grade's auto score and every comment's auto comment, by kind of row, cell name and kind of cell."""
    from nbgrader.api import BaseCell, Comment, Grade, Gradebook
    with Gradebook(url) as gb:
        return {(kind.__name__, name, cell_kind): row.auto_score if kind is Grade else row.auto_comment
                for kind in (Grade, Comment)
                for row, name, cell_kind in gb.db.query(kind, BaseCell.name, BaseCell.type)
                .join(BaseCell, kind.cell_id == BaseCell.id)}


@pytest.mark.parametrize("layout", ["a task cell named like a test cell", "a task that is also a graded answer"])
def test_a_name_shared_by_a_task_and_a_graded_cell_is_saved_where_nbgrader_saves_it(tmp_path, layout):
    """nbgrader keeps cell names unique per kind of cell only, so a task cell can share its name with a grade or
    solution cell; ``find_grade`` and ``find_comment`` then take the grade or solution cell's row, and so must the
    rows read at once."""
    from nbgrader.api import BaseCell, Grade, Gradebook
    from nbgrader.preprocessors import SaveAutoGrades

    from autograder.course.gradebook import by_cell_name
    from autograder.integration.preprocessors import SaveAutoGradesAtOnce

    if layout == "a task cell named like a test cell":
        cells = [_cell("code", "assert True", "y", grade=True, locked=True, points=1),
                 _cell("markdown", "Plot the loss.", "y", task=True, points=1)]
    else:
        cells = [_cell("markdown", "YOUR ANSWER HERE", "x", grade=True, solution=True, task=True, points=1)]
    source = nbformat.v4.new_notebook(cells=cells)
    source.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    seen = []
    for k, kind in enumerate((SaveAutoGrades, SaveAutoGradesAtOnce)):
        url, resources, released = _gradebook_with_submission(tmp_path / f"{k}.db", source)
        kind().preprocess(nbformat.from_dict(released), resources)
        seen.append(_typed_rows(url))
    assert seen[0] == seen[1]
    assert any(cell_kind == "TaskCell" for _, _, cell_kind in seen[1])         # the names are shared
    with Gradebook(url) as gb:                                                   # and read back the same way
        kept = by_cell_name(gb, Grade, gb.find_submission_notebook("nb", "a1", "ada"))
        assert {name: gb.db.get(BaseCell, row.cell_id).type for name, row in kept.items()} == \
            {name: "GradeCell" for name in kept}
