"""The students' feedback page (autograder/integration/feedback_page.py): maths as MathML with no network, wrapping outputs.

Fast, no kernel and no course: the page is written by the exporter nbgrader's ``GenerateFeedback`` builds from
``autograder/integration/nbgrader_config.py`` (its template, its preprocessors), on a notebook made here that holds every
markdown cell with maths from the real notebooks. Only ``GetGrades``, which reads the gradebook, is replaced
by a stub that sets the same fields. The browser test opens the written page in headless chromium with the
network blocked; its screenshot goes to tests/browser/artifacts/feedback_page.png (git-ignored): look at it.
"""
from __future__ import annotations

import concurrent.futures
import html
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from traitlets.config import PyFileConfigLoader

from autograder.integration.config import BASE_CONFIG
from autograder.integration.feedback_page import DollarAwareInlineParser, MathMLRenderer, tex_to_mathml
from tests.conftest import REPO

ARTIFACTS = REPO / "tests" / "browser" / "artifacts"
HINT = ("  hint: your result is the transpose of the right one — check which axis holds the examples. predict "
        "takes rows (m, n_in) and returns rows (m, n_out): transpose on the way in and on the way out.")
REPORT = ('predict: 2 of 2 cases failed.\n  ✗ case "three layers [3, 5, 4, 2], 6 rows": prediction has shape '
          "(2, 6) but (6, 2) was expected\n" + HINT)
PRINTED = "cost in dollars: $x$ and $$y$$ stay as printed; " + "a long printed line that must wrap " * 8
MONEY = ("A GPU hour costs $5 on the cloud. Escaped dollars are literal: \\$3 and \\$4. In code: `echo $HOME`, "
         "and $w_1$ is maths.")
FENCED = "```bash\necho $PATH and $x$ are shell, not maths\n```"


def real_maths_cells() -> list[str]:
    """Every markdown cell of the released notebooks that has maths."""
    cells = []
    for path in sorted((REPO / "notebooks").glob("*/*.ipynb")):
        cells += [c.source for c in nbformat.read(path, as_version=4).cells
                  if c.cell_type == "markdown" and "$" in c.source]
    assert len(cells) > 20, "the released notebooks should have maths"
    return cells


def feedback_notebook():
    v4 = nbformat.v4
    cells = [v4.new_markdown_cell(s) for s in real_maths_cells()]
    cells += [v4.new_markdown_cell(MONEY), v4.new_markdown_cell(FENCED)]
    answer = v4.new_code_cell('def predict(X, w, b):\n    cost = "$5"  # $x$ in code is code\n    return X\n')
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "predict", "locked": False,
                                   "schema_version": 3}
    error = v4.new_output("error", ename="AssertionError", evalue=REPORT,
                          traceback=["Cell In[4], line 3", "check('predict', predict, hidden_seed=7)",
                                     "AssertionError: " + REPORT])
    test = v4.new_code_cell("result = check('predict', predict)\nassert result.passed, result.report()\n"
                            "### BEGIN HIDDEN TESTS\ncheck('predict', predict, hidden_seed=7)\n"
                            "### END HIDDEN TESTS", outputs=[error])
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "predict_tests", "points": 2,
                                 "locked": True, "schema_version": 3}
    printed = v4.new_code_cell("print(...)", outputs=[
        v4.new_output("stream", name="stdout", text=PRINTED + "\n"),
        v4.new_output("display_data", data={"text/markdown": "a markdown output: $z$", "text/plain": "z"})])
    nb = v4.new_notebook(cells=[*cells, answer, test, printed])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.language_info = {"name": "python"}
    return nb


class StubGrades(Preprocessor):
    """What ``GetGrades`` puts in the notebook and its resources, without a gradebook."""

    enabled = True

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                meta["score"] = 0.0
            if meta.get("solution"):
                meta["comment"] = "Transpose $X$ first: see $$\\hat y = \\sigma(W x + b).$$"
        resources["nbgrader"].update(score=0.0, max_score=2.0, late_penalty=0)
        return nb, resources


def export_feedback(path: Path) -> str:
    """The page nbgrader's GenerateFeedback writes for ``path``, built as ``BaseConverter.start`` builds it."""
    cfg = PyFileConfigLoader(BASE_CONFIG.name, path=str(BASE_CONFIG.parent)).load_config()
    converter = GenerateFeedback(coursedir=CourseDirectory(config=cfg), config=cfg)
    exporter = converter.exporter_class(parent=converter, config=converter.config)
    for pp in converter.preprocessors:
        exporter.register_preprocessor(StubGrades() if pp == "nbgrader.preprocessors.GetGrades" else pp)
    resources = {"nbgrader": {"notebook": path.stem, "assignment": "02_forward_pass", "student": "ada"},
                 "unique_key": path.stem}
    page, _ = exporter.from_filename(str(path), resources=resources)
    return page


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("feedback")
    nbformat.write(feedback_notebook(), folder / "02_forward_pass.ipynb")
    out = folder / "02_forward_pass.html"
    out.write_text(export_feedback(folder / "02_forward_pass.ipynb"), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def soup(page):
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def markdown_text(soup) -> str:
    """The text of the markdown cells, without their maths and their code."""
    parts = []
    for div in soup.select("div.text_cell_render"):
        div = BeautifulSoup(str(div), "html.parser")
        for tag in div.find_all(["math", "code", "pre"]):
            tag.decompose()
        parts.append(div.get_text())
    return "\n".join(parts)


def test_the_exporter_is_nbgraders_feedback_pipeline_with_ours():
    cfg = PyFileConfigLoader(BASE_CONFIG.name, path=str(BASE_CONFIG.parent)).load_config()
    converter = GenerateFeedback(coursedir=CourseDirectory(config=cfg), config=cfg)
    assert converter.exporter_class.__name__ == "FeedbackExporter"
    exporter = converter.exporter_class(parent=converter, config=converter.config)
    assert exporter.template_name == "feedback"  # nbgrader's template, with nbgrader's scores and panels
    assert {"nbgrader.preprocessors.ClearHiddenTests", "autograder.integration.preprocessors.TrimTestTracebacks"} <= set(
        converter.preprocessors)


def test_maths_of_the_notebooks_is_mathml(soup):
    maths = soup.find_all("math")
    assert len(maths) > 150  # the released notebooks hold about 200 pieces of maths
    assert soup.select('math[display="block"]') and soup.select('math[display="inline"]')
    assert not soup.select("code.tex-fallback"), "latex2mathml could not read some maths of the notebooks"
    text = markdown_text(soup)
    assert "$$" not in text
    assert not re.search(r"\\(frac|sum|sigma|partial|odot|left|text|mathbb|begin)\b", text), "raw TeX left"
    # what the notebooks use comes out as MathML structure
    for tag in ("mfrac", "msub", "msup", "munderover", "mtable", "mtext"):
        assert soup.find(tag), tag
    symbols = "".join(m.get_text() for m in maths)
    for ch in "σ∂∑⊙∇𝟙·←":  # \sigma \partial \sum \odot \nabla \mathbb{1} \cdot \leftarrow
        assert ch in symbols, ch
    assert not soup.select("math [mathvariant]:not([mathvariant=normal])"), "Chromium ignores these: use Unicode"


def test_no_mathjax_and_no_script(page):
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    assert not re.search(r"mathjax[^\s\"']*\.js|cdnjs|cdn\.jsdelivr|https?://[^\"' ]*mathjax", html, re.I)
    assert "text/x-mathjax-config" not in html


def test_dollars_that_are_not_maths_stay_text(soup):
    text = markdown_text(soup)
    assert "A GPU hour costs $5 on the cloud." in text
    assert "Escaped dollars are literal: $3 and $4." in text
    assert "echo $HOME" in [c.get_text() for c in soup.select("div.text_cell_render code")]
    fenced = [p.get_text() for p in soup.select("div.text_cell_render pre")]
    assert any("echo $PATH and $x$ are shell, not maths" in p for p in fenced), fenced


def test_code_and_outputs_are_not_touched(soup):
    outputs = soup.select("div.output_subarea")
    printed = [o for o in outputs if "cost in dollars" in o.get_text()]
    assert printed and not printed[0].find("math")
    assert "$x$ and $$y$$ stay as printed" in printed[0].get_text()
    markdown_out = [o for o in outputs if "a markdown output" in o.get_text()]
    assert markdown_out and not markdown_out[0].find("math") and "$z$" in markdown_out[0].get_text()
    code = "\n".join(d.get_text() for d in soup.select("div.input_area"))
    assert 'cost = "$5"  # $x$ in code is code' in code


def test_grader_comments_get_mathml_too(soup):
    footer = soup.select("div.panel-footer")
    assert footer and footer[0].find("math") and "$" not in footer[0].get_text()


def test_hidden_tests_stay_hidden_and_tracebacks_trimmed(page, soup):
    html = page.read_text(encoding="utf-8")
    assert "hidden_seed" not in html and "BEGIN HIDDEN TESTS" not in html
    error = soup.select("div.output_error pre")
    assert len(error) == 1
    assert error[0].get_text().strip().startswith("AssertionError: predict: 2 of 2 cases failed.")
    assert "transpose on the way in and on the way out." in error[0].get_text()


def test_outputs_and_errors_wrap(soup):
    css = "\n".join(s.get_text() for s in soup.find_all("style"))
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", css)
    wrapping = [sel for sel, body in rules if re.search(r"white-space:\s*pre-wrap", body)
                and re.search(r"overflow-wrap:\s*anywhere|word-wrap:\s*break-word", body)]
    assert any("output" in sel and "pre" in sel for sel in wrapping), "output <pre> must wrap"


def test_without_latex2mathml_the_page_is_as_nbconvert_writes_it(tmp_path, monkeypatch):
    """A [lab]-only install (formgrader from make lab-instructor) lacks latex2mathml: no failure, TeX + MathJax."""
    import autograder.integration.feedback_page

    monkeypatch.setattr(autograder.integration.feedback_page, "latex2mathml", None)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("$$\\sigma(z)$$ and $x$")])
    nbformat.write(nb, tmp_path / "n.ipynb")
    soup = BeautifulSoup(export_feedback(tmp_path / "n.ipynb"), "html.parser")
    assert not soup.find("math") and "$$\\sigma(z)$$" in soup.select("div.text_cell_render")[0].get_text()
    assert any("mathjax" in (s.get("src") or "") for s in soup.find_all("script"))
    assert "pre-wrap" in "".join(s.get_text() for s in soup.find_all("style"))


# --- the converter on its own ---------------------------------------------------------------------------

def test_tex_to_mathml_uses_unicode_where_chromium_ignores_mathvariant():
    assert "𝟙" in tex_to_mathml(r"\mathbb{1}\{x > 0\}", display=False)
    bold_theta = tex_to_mathml(r"\boldsymbol{\theta}", display=False)
    assert "𝜽" in bold_theta and "mathvariant" not in bold_theta
    assert "ℝ" in html.unescape(tex_to_mathml(r"x \in \mathbb{R}^n", display=False))
    assert 'mathvariant="normal"' in tex_to_mathml(r"\mathrm{OR}", display=False)  # MathML Core keeps this one


def test_signs_and_solidus_are_spaced_as_in_tex():
    mathml = html.unescape(tex_to_mathml(r"w = (5, -8), \; f(x) - 1, \; \partial L / \partial w", display=False))
    assert '<mo form="prefix">−</mo><mn>8</mn>' in mathml                 # unary after a comma
    assert "</mo><mo>−</mo><mn>1</mn>" in mathml                           # binary after a closing bracket
    assert '<mo lspace="0em" rspace="0em">/</mo>' in mathml


def test_aligned_is_a_table_and_every_ampersand_is_escaped():
    mathml = tex_to_mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display=True)
    assert "<mtable" in mathml and mathml.count("<mtr") == 2
    assert not re.search(r"&(?!#?\w+;)", mathml)
    assert 'display="block"' in mathml


class SpanRenderer(IPythonRenderer):
    """Collects what a markdown parser takes for maths."""

    def __init__(self):
        super().__init__(escape=False)
        self.spans = []

    def block_math(self, body):
        self.spans.append(("$$", body))
        return ""

    def inline_math(self, body):
        self.spans.append(("$", body))
        return ""

    def latex_environment(self, name, body):
        self.spans.append(("env", name, body))
        return ""


def maths_in(markdown: str, inline=None) -> list:
    renderer = SpanRenderer()
    MarkdownWithMath(renderer=renderer, inline=inline).render(markdown)
    return renderer.spans


def test_dollar_rule_reads_the_notebooks_maths_as_nbconvert_does():
    for source in real_maths_cells():
        assert maths_in(source, DollarAwareInlineParser(hard_wrap=False)) == maths_in(source), source


@pytest.mark.parametrize("markdown, maths", [
    ("between $5 and $10 a month", []),
    ("it costs $5; the rate $\\eta$ is small", [("$", "\\eta")]),
    ("a lone $5 is money", []),
    ("spaced $ x + y $ is maths, as in JupyterLab", [("$", " x + y ")]),
    ("`echo $HOME` and $w_1$", [("$", "w_1")]),
    ("\\$3 and \\$4 are escaped, $a$ and $b$ are maths", [("$", "a"), ("$", "b")]),
    ("$$\\sum_i x_i$$ and $$y$$", [("$$", "\\sum_i x_i"), ("$$", "y")]),
])
def test_dollar_rule(markdown, maths):
    assert maths_in(markdown, DollarAwareInlineParser(hard_wrap=False)) == maths


def test_unreadable_tex_is_shown_as_code():
    html = MathMLRenderer(escape=False).inline_math(r"\frac{a}{")
    assert html == '<code class="tex-fallback">$\\frac{a}{$</code>'


# --- in a browser, offline ------------------------------------------------------------------------------

def _browser_missing() -> str | None:
    if not shutil.which("chromium"):
        return "chromium is not installed (as root: apt-get install chromium fonts-dejavu-core)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install 'nnlab[test]')"
    return None


LAYOUT = """() => {
  const box = e => e.getBoundingClientRect();
  const frac = document.querySelector('math[display="block"] mfrac');
  const [num, den] = frac.children;
  const error = document.querySelector('div.output_error pre');
  const printed = [...document.querySelectorAll('div.output_subarea pre')]
    .find(p => p.textContent.includes('cost in dollars'));
  const container = box(document.querySelector('#notebook-container'));
  return {
    maths: document.querySelectorAll('math').length,
    drawn: [...document.querySelectorAll('math')].filter(m => box(m).width > 0 && box(m).height > 0).length,
    display: getComputedStyle(document.querySelector('math[display="block"]')).display,
    stacked: box(num).bottom <= box(den).top + 1
             && box(frac).height > 1.5 * parseFloat(getComputedStyle(frac).fontSize),
    errorFits: error.scrollWidth <= error.clientWidth + 1 && box(error).right <= container.right + 1,
    errorLines: Math.round(box(error).height / parseFloat(getComputedStyle(error).lineHeight)),
    printedFits: printed.scrollWidth <= printed.clientWidth + 1,
  };
}"""


@pytest.mark.browser
def test_page_renders_offline_in_chromium(page):
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the offline rendering test: {missing}")
        pytest.skip(missing)
    requests = []

    def render():
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                              "--disable-background-networking", "--disable-component-update",
                                              "--no-first-run", "--disable-sync"])
            try:
                context = browser.new_context(offline=True, viewport={"width": 1000, "height": 900})
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                              else (requests.append(route.request.url), route.abort()))
                tab = context.new_page()
                tab.goto(page.as_uri(), wait_until="load")
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(ARTIFACTS / "feedback_page.png"), full_page=True)
                return tab.evaluate(LAYOUT)
            finally:
                browser.close()

    # Playwright's sync API refuses to start where an asyncio loop runs (kernel tests earlier in a full run
    # leave one in this thread): a thread of its own has none
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        layout = pool.submit(render).result()
    assert requests == [], f"the page asked the network for {requests}"
    assert layout["maths"] > 150 and layout["drawn"] == layout["maths"], layout
    assert layout["display"] == "block math", layout  # laid out by the browser's MathML engine
    assert layout["stacked"], layout                   # a fraction's numerator sits above its denominator
    assert layout["errorFits"] and layout["printedFits"], layout
    assert layout["errorLines"] > REPORT.count("\n") + 1, layout  # the long hint wrapped onto more lines
