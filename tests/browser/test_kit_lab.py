"""The student kit in JupyterLab in headless chromium, as a student uses it after `make lab`.

A kit with every assignment open is built (autograder/commands/kit.py) and its lab started the way the kit's Makefile
does: on the student's copy ``work/`` (made by ``make work``), with ``JUPYTER_CONFIG_PATH`` at the kit's ``lab/``
settings, and with a kernel whose Python holds only the kit (a fresh virtual environment, as tests/grader/e2e/test_kit.py
makes one; registered as ``python3``, the kernel the notebooks ask for). In notebook 02:

- the lab is in student mode, and the kernel imports the kit's nnlab (``nnlab/kit.json`` beside it);
- a cell that uses ``nnlab.sigmoid`` before the challenge is done shows the one line ``FinishFirst: …`` that
  names it, and no traceback; once a correct sigmoid is typed into its answer cell and its visible check cell
  passes, the same cell runs on the student's function.
Screenshots: tests/browser/artifacts/kit-*.png.
"""
from __future__ import annotations

import json
import subprocess

import pytest

from autograder.commands.kit import build_kit
from tests.browser.conftest import Lab, screenshot
from tests.browser.test_lab import CELLS, PANEL, RUN_CELL, assert_student_mode, nbgrader_tools, open_notebook
from tests.grader.e2e.kit.venv import kit_python

pytestmark = pytest.mark.kit                    # it builds a kit and a fresh virtual environment, too
NOTEBOOK = "02_forward_pass/02_forward_pass.ipynb"
ANSWER, CHECK = "sigmoid", "sigmoid_visible"      # nbgrader grade ids of the answer cell and its visible check
SIGMOID = """def sigmoid(z):
    \"\"\"Elementwise 1 / (1 + exp(-z)) for a number or an array, without overflow.\"\"\"
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))"""
KIT_PROBE = """import json, pathlib, importlib.util
print("nnlab:", nnlab.__file__)
print("kit build:", json.loads((pathlib.Path(nnlab.__file__).parent / "kit.json").read_text())["build"])
print("autograder importable:", importlib.util.find_spec("autograder") is not None)"""
USES_NNLAB = """from nnlab import sigmoid as nnlab_sigmoid
print(nnlab_sigmoid(np.array([-1000.0, 0.0, 1000.0])))
print("nnlab runs your sigmoid:", nnlab_sigmoid.resolve() is sigmoid)"""

GRADE_IDS = f"""() => {{
  const cells = {PANEL}.content.model.cells, out = [];
  for (let i = 0; i < cells.length; i++) out.push(((cells.get(i).getMetadata('nbgrader') || {{}}).grade_id) || null);
  return out;
}}"""

SHOW_CELL = f"""async (i) => {{      // cell i active and in view (docs/browser-testing.md, 'Windowing')
  const nb = {PANEL}.content;
  nb.activeCellIndex = i;
  nb.deselectAll();
  await nb.scrollToItem(i, 'center');
}}"""

APPEND_CELL = f"""async () => {{
  const nb = {PANEL}.content;
  nb.activeCellIndex = nb.widgets.length - 1;
  await window.jupyterapp.commands.execute('notebook:insert-cell-below');
  return nb.activeCellIndex;
}}"""

SOURCE = f"(i) => {PANEL}.content.model.cells.get(i).sharedModel.getSource()"
OUTPUT_TEXT = f"(i) => {PANEL}.content.widgets[i].outputArea.node.innerText"


@pytest.fixture(scope="module")
def kit_lab(browser, tmp_path_factory):
    """JupyterLab as the kit's `make lab` starts it, with the kit's own Python as the notebooks' kernel."""
    home = tmp_path_factory.mktemp("kithome")
    report = build_kit(tmp_path_factory.mktemp("kit") / "kit")
    subprocess.run(["make", "-s", "work"], cwd=report.path, check=True, capture_output=True)   # the student's copy
    python = kit_python(report.path, home)
    spec = home / "share" / "jupyter" / "kernels" / "python3"     # JUPYTER_PATH comes before the server's python3
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python", "env": {"PYTHONPATH": ""}}))
    server = Lab(report.path / "work", home, cwd=report.path / "work", config_path=report.path / "lab",
                 extra_env={"JUPYTER_PATH": str(home / "share" / "jupyter")})
    yield report, server
    server.stop()


@pytest.fixture(scope="module")
def kit_page(browser, kit_lab):
    """Notebook 02 of the kit open in the lab, its setup cell run."""
    _, server = kit_lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_notebook(page, server, NOTEBOOK)
    run(page, cell_of(page, "setup"))
    yield page
    context.close()


def cell_of(page, grade_id: str) -> int:
    """The index of the cell with this nbgrader grade id."""
    return page.evaluate(GRADE_IDS).index(grade_id)


def run(page, i: int) -> list[dict]:
    """Run cell i; its outputs, from the notebook model."""
    page.evaluate(SHOW_CELL, i)
    page.evaluate(RUN_CELL, i)
    return page.evaluate(CELLS)[i]["outputs"]


def type_into(page, i: int, text: str):
    """Replace cell i's code with ``text`` through its editor, as a student pasting an answer."""
    page.evaluate(SHOW_CELL, i)
    editor = page.locator(".jp-Notebook .jp-Cell.jp-mod-active .jp-InputArea-editor .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")
    assert page.evaluate(SOURCE, i) == text, f"cell {i} does not hold what was typed: {page.evaluate(SOURCE, i)!r}"


def new_cell(page, text: str) -> int:
    """A new code cell at the end of the notebook holding ``text``; its index."""
    i = page.evaluate(APPEND_CELL)
    type_into(page, i, text)
    return i


def text(outputs: list[dict]) -> str:
    return "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")


def errors(outputs: list[dict]) -> list[dict]:
    return [o for o in outputs if o["output_type"] == "error"]


def test_kit_lab_is_in_student_mode_with_the_kits_nnlab(kit_lab, kit_page):
    report, _ = kit_lab
    page = kit_page
    assert_student_mode(*nbgrader_tools(page))
    outputs = run(page, new_cell(page, KIT_PROBE))
    screenshot(page, "kit-nnlab")
    assert not errors(outputs), errors(outputs)
    printed = text(outputs)
    assert f"nnlab: {report.path / 'nnlab' / '__init__.py'}\n" in printed, f"not the kit's nnlab: {printed}"
    assert f"kit build: {report.build}\n" in printed, f"not this kit's nnlab/kit.json: {printed}"
    assert "autograder importable: False" in printed, f"the kit's kernel sees the repository: {printed}"


def test_kit_nnlab_runs_the_students_sigmoid_once_it_passes_its_check(kit_page):
    page = kit_page
    uses = new_cell(page, USES_NNLAB)
    before = run(page, uses)
    shown = page.evaluate(OUTPUT_TEXT, uses).strip()
    screenshot(page, "kit-finish-first")
    assert [o["ename"] for o in errors(before)] == ["FinishFirst"], before
    lines = errors(before)[0]["traceback"]
    assert len(lines) == 1 and "\n" not in lines[0], f"FinishFirst comes with a traceback: {lines}"
    assert shown.startswith("FinishFirst: ") and "\n" not in shown, f"the output area shows more than a line: {shown!r}"
    assert "sigmoid" in shown and "02_forward_pass" in shown, f"it does not name the challenge: {shown!r}"

    answer, check = cell_of(page, ANSWER), cell_of(page, CHECK)
    type_into(page, answer, SIGMOID)
    assert not errors(run(page, answer)), "defining the typed sigmoid failed"
    checked = run(page, check)
    screenshot(page, "kit-check-passes")
    assert not errors(checked), f"the visible check of a correct sigmoid fails: {errors(checked)}"

    after = run(page, uses)
    screenshot(page, "kit-yours")
    assert not errors(after), errors(after)
    assert text(after) == "[0.  0.5 1. ]\nnnlab runs your sigmoid: True\n", text(after)
    assert page.evaluate(OUTPUT_TEXT, uses).strip() == text(after).strip()
