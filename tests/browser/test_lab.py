"""Every notebook in JupyterLab in headless chromium, as a student runs it.

- solutions: Run All finishes with no error output and nothing on stderr; every figure is a loaded image;
  the widgets render, and one of them responds (a slider nudged with the keyboard, or the Train button)
  by redrawing its image;
- release notebooks: every cell is run in turn; the only errors are the challenges' NotImplementedError;
- the formgrader page of a course workspace lists the assignments.
A screenshot per notebook goes to tests/browser/artifacts/.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import Lab, screenshot
from tests.conftest import REPO

ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
WIDGET_NOTEBOOKS = {"01_perceptron", "03_gradient_descent", "05_classifier", "06_cnn", "07_lstm"}

PANEL = "window.jupyterapp.shell.currentWidget"

KERNEL_READY = """() => {
  const app = window.jupyterapp;                 // set only once JupyterLab has started: until then, wait
  const p = app && app.shell && app.shell.currentWidget;
  if (!p || !p.sessionContext || !p.content) return false;
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

RUN_ALL = "async () => await window.jupyterapp.commands.execute('notebook:run-all-cells')"

RUN_CELL = f"""async (i) => {{
  const nb = {PANEL}.content;
  nb.activeCellIndex = i;
  nb.deselectAll();
  return await window.jupyterapp.commands.execute('notebook:run-cell');
}}"""

CELLS = f"""() => {{
  const cells = {PANEL}.content.model.cells, out = [];
  for (let i = 0; i < cells.length; i++) {{
    const c = cells.get(i);
    out.push({{type: c.type, count: c.type === 'code' ? c.executionCount : null,
              outputs: c.type === 'code' ? c.outputs.toJSON() : []}});
  }}
  return out;
}}"""

WRITTEN = f"""() => {{
  const cells = {PANEL}.content.model.cells, out = [];
  for (let i = 0; i < cells.length; i++) {{
    const c = cells.get(i), text = c.sharedModel.getSource();
    if (c.type === 'markdown' && (text.startsWith('### Written question') || text === 'YOUR ANSWER HERE'))
      out.push({{question: text.startsWith('###'), editable: c.getMetadata('editable') !== false}});
  }}
  return out;
}}"""

IMAGES = """() => Array.from(document.querySelectorAll(
  '.jp-OutputArea-output.jp-RenderedImage img, .jp-OutputArea-output img.widget-image'
)).map(img => ({src: img.src.slice(0, 40), width: img.naturalWidth, widget: img.classList.contains('widget-image')}))"""


SWITCH_TO = """async (path) => {
  const app = window.jupyterapp;
  for (const w of Array.from(app.shell.widgets('main'))) {      // the last test's notebook, unsaved: no dialog
    if (w.context) w.context.model.dirty = false;
    w.close();
  }
  await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
}"""


def open_notebook(page, lab: Lab, path: str):
    """Open a notebook and wait until its kernel is really there (docs/browser-testing.md, 'Kernel race').

    The first call loads JupyterLab (a fresh workspace); later calls on the same page close the last notebook
    and open the next one inside the running app, which saves reloading it for every notebook."""
    if "/lab" not in page.url:
        page.goto(lab.url(f"/lab/tree/{path}?reset"))
    else:
        page.evaluate(SWITCH_TO, path)
    page.wait_for_function(KERNEL_READY, timeout=120_000, polling=250)
    deadline = time.time() + 60
    while not any(k["execution_state"] == "idle" and k["connections"] >= 1 for k in lab.api("/api/kernels")):
        assert time.time() < deadline, "the kernel never reported idle with a connection"
        time.sleep(0.25)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)


def outputs(cells):
    return [(i, o) for i, c in enumerate(cells) for o in c["outputs"]]


def shut_down_kernels(lab):
    """Every kernel of this server, so the next notebook starts alone on the machine."""
    for k in lab.api("/api/kernels"):
        request = urllib.request.Request(lab.url(f"/api/kernels/{k['id']}"), method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def poke_widget(page):
    """Make one widget respond: press Train where there is one, else nudge the first slider with the keyboard.

    Returns a description of what was done; fails unless a widget image was redrawn."""
    before = [i["src"] for i in page.evaluate(IMAGES) if i["widget"]]
    train = page.locator(".jp-OutputArea-output button.jupyter-button", has_text="Train")
    if train.count():
        train.first.scroll_into_view_if_needed()
        train.first.click()
        page.wait_for_function("() => Array.from(document.querySelectorAll('.widget-html-content'))"
                               ".some(e => /epoch (\\d+)\\/\\1: training accuracy/.test(e.textContent))",
                               timeout=120_000)
        what = "pressed Train; the status reports the final epoch's training accuracy"
    else:
        slider = page.locator(".jp-OutputArea-output .widget-slider").first
        slider.scroll_into_view_if_needed()
        readout = slider.locator(".widget-readout")
        old = readout.inner_text()
        slider.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("([el, old]) => el.innerText !== old", arg=[readout.element_handle(), old],
                               timeout=30_000)
        what = f"slider readout {old} → {readout.inner_text()}"
    page.wait_for_function(
        """(before) => Array.from(document.querySelectorAll('.jp-OutputArea-output img.widget-image'))
             .some((img, k) => img.naturalWidth > 0 && img.src.slice(0, 40) !== before[k])""",
        arg=before, timeout=120_000)
    page.locator(".jp-OutputArea-output img.widget-image").first.scroll_into_view_if_needed()   # for the screenshot
    return what


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_solution_notebook_runs_in_jupyterlab(aid, lab, lab_page):
    page = lab_page
    open_notebook(page, lab, f"solutions/{aid}/{aid}.ipynb")
    start = time.perf_counter()
    ok = page.evaluate(RUN_ALL)
    cells = page.evaluate(CELLS)
    seconds = time.perf_counter() - start
    errors = [(i, o["ename"], o["evalue"][:200]) for i, o in outputs(cells) if o["output_type"] == "error"]
    stderr = [(i, o["text"][:200]) for i, o in outputs(cells) if o.get("name") == "stderr"]
    assert ok and not errors, errors
    assert not stderr, stderr
    assert all(c["count"] for c in cells if c["type"] == "code"), "a code cell was not run"
    images = page.evaluate(IMAGES)
    assert images and all(i["width"] > 0 for i in images), images
    widgets = [o for _, o in outputs(cells) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    if aid in WIDGET_NOTEBOOKS:
        assert page.locator(".jp-OutputArea-output .widget-image").count() >= 1, "no widget image rendered"
        print(f"{aid}: {poke_widget(page)}")
    screenshot(page, f"solution-{aid}")
    print(f"{aid}: ran in {seconds:.1f} s, {len(images)} images, {len(widgets)} widget outputs")
    shut_down_kernels(lab)


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_release_notebook_fails_only_where_students_write_code(aid, lab, lab_page):
    page = lab_page
    open_notebook(page, lab, f"notebooks/{aid}/{aid}.ipynb")
    cells = page.evaluate(CELLS)
    for i, cell in enumerate(cells):
        if cell["type"] == "code":
            page.evaluate(RUN_CELL, i)
    cells = page.evaluate(CELLS)
    assert all(c["count"] for c in cells if c["type"] == "code"), "a code cell was not run"
    errors = {o["ename"] for _, o in outputs(cells) if o["output_type"] == "error"}
    assert errors == {"NotImplementedError"}, errors
    stderr = [(i, o["text"][:200]) for i, o in outputs(cells) if o.get("name") == "stderr"]
    assert not stderr, stderr
    # the written questions: each a read-only question followed by an answer cell the student can edit
    written = page.evaluate(WRITTEN)
    assert len(written) >= 4 and written == [{"question": True, "editable": False},
                                             {"question": False, "editable": True}] * (len(written) // 2), written
    screenshot(page, f"release-{aid}")
    shut_down_kernels(lab)


def test_formgrader_lists_the_assignments(browser, page, tmp_path):
    course = tmp_path / "course"
    grader = Path(sys.executable).parent / "nnlab-grade"
    subprocess.run([str(grader), "--course", str(course), "export", "--to", str(course / "export")],
                   check=True, cwd=REPO, capture_output=True)
    server = Lab(course, tmp_path / "home", cwd=course)
    try:
        page.goto(server.url("/formgrader"))
        for aid in ASSIGNMENTS:
            page.locator("table a", has_text=aid).wait_for(timeout=60_000)
        screenshot(page, "formgrader")
    finally:
        server.stop()


def menu_items(page, menu: str) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).click()
    items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    page.keyboard.press("Escape")
    return [i for i in items if i.strip()]


def nbgrader_tools(page) -> tuple[list[str], list[str]]:
    """The Nbgrader menu's items and the tab labels, once the notebook's Validate button is there."""
    page.locator(".jp-Toolbar", has_text="Validate").first.wait_for(timeout=30_000)   # students keep it
    return menu_items(page, "Nbgrader"), page.locator(".lm-TabBar-tabLabel").all_inner_texts()


def assert_student_mode(items: list[str], tabs: list[str]):
    """What `make lab` leaves students of nbgrader (docs/browser-testing.md, 'Student mode')."""
    assert items == ["Assignment List"], f"the Nbgrader menu of student mode holds only Assignment List: {items}"
    assert "Create Assignment" not in tabs, f"student mode has no Create Assignment panel: {tabs}"


@pytest.mark.parametrize("mode", ["student", "instructor"])
def test_make_lab_hides_the_instructor_tools_from_students(mode, browser, page, tmp_path):
    shutil.copytree(REPO / "notebooks", tmp_path / "root")
    server = Lab(tmp_path / "root", tmp_path / "home", student=mode == "student")
    try:
        open_notebook(page, server, "01_perceptron/01_perceptron.ipynb")
        items, tabs = nbgrader_tools(page)
        screenshot(page, f"lab-{mode}")
        if mode == "student":
            assert_student_mode(items, tabs)
        else:
            assert {"Formgrader", "Course List"} <= set(items), items
            assert "Create Assignment" in tabs, tabs
    finally:
        server.stop()


ERROR_TEXT = f"""(i) => {{
  const cell = {PANEL}.content.widgets[i];
  const out = cell.node.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  return out ? out.innerText : null;
}}"""


def test_a_failing_check_shows_its_report_first(lab, lab_page):
    """A student's wrong sigmoid: the test cell shows the check's report as its first lines, with no traceback
    above it, and the hint is there; a plain failing assert keeps its usual traceback."""
    import nbformat
    cells = ["import numpy as np\nfrom nnlab.checks import check",
             "def sigmoid(z):\n    return 1 / (1 + np.exp(z))",
             'result = check("sigmoid", sigmoid)\nassert result.passed, result.report()',
             "assert sigmoid(0) == 1, 'a plain assert'"]
    (lab.root / "student").mkdir(exist_ok=True)
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells], metadata=kernel),
                   lab.root / "student" / "wrong_sigmoid.ipynb")
    page = lab_page
    open_notebook(page, lab, "student/wrong_sigmoid.ipynb")
    for i in range(len(cells)):
        page.evaluate(RUN_CELL, i)
    shown = page.evaluate(ERROR_TEXT, 2)
    assert shown and shown.startswith("AssertionError: sigmoid: 3 of 4 cases failed."), shown
    assert "Traceback" not in shown and "Cell In" not in shown and "hint: you computed 1 / (1 + e^z)" in shown
    plain = page.evaluate(ERROR_TEXT, 3)
    assert plain and "Traceback" in plain and "a plain assert" in plain, plain
    screenshot(page, "failing-check-report")
    shut_down_kernels(lab)
