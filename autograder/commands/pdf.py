"""Review copies on paper: one PDF per student of an assignment (``nnlab-grade pdf``), for an instructor or TA
who reads a class's work on paper or a tablet.

A student's autograded notebook (the submitted one while it is not graded, or changed since) becomes one HTML
page by the feedback pages' exporter (``integration/feedback_page.py``: maths as MathML, so no MathJax and no
network), under a short header naming the student, the assignment and when it was printed. Debian's chromium
prints the pages through Playwright's ``page.pdf()``, one browser for the class and one page per student: no
LaTeX, and no browser download (never ``playwright install``). The page runs no script and loads nothing, as a
notebook's HTML outputs are the student's. ``only_manual`` keeps the cells graded by hand (the written answers),
each under its question. docs/pdf-for-review.md says how to use it.
"""
from __future__ import annotations

import html
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbgrader.utils import is_grade, is_solution
from traitlets import default

from autograder import limits
from autograder.course.workspace import Workspace
from autograder.integration.feedback_page import HEAD_TEMPLATE, FeedbackExporter
from autograder.pipeline.intake import read_problem
from autograder.pipeline.results import needs_grading

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# no sandbox (it needs user namespaces, which a container or root lacks) and nothing chromium would fetch itself
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
INSTALL_CHROMIUM = "as root: apt-get install chromium"

# nbconvert's lab page without its scripts (require.js, widgets and mermaid from a CDN), with the header first,
# each written answer (a cell whose metadata has "nnlab_written_answer": review_notebook marks them) set off from
# its question, and code wrapped as well as outputs: paper has no scrollbar
REVIEW_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
header.nnlab-review { font-family: sans-serif; border-bottom: 2px solid #444; margin-bottom: 1em; padding: 0.3em 0; }
header.nnlab-review h1 { font-size: 1.3em; margin: 0 0 0.2em 0; }
header.nnlab-review p { margin: 0; color: #333; }
.jp-Cell { break-inside: avoid; }
div.nnlab-answer { border-left: 4px solid #1e88e5; background: #f4f8fd; margin: 0.3em 0; }
div.nnlab-answer::before { content: "written answer"; display: block; padding: 0.2em 0.6em; font: 0.8em sans-serif;
                           color: #1e88e5; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.review_header }}
{%- endblock body_header -%}
{%- block any_cell scoped -%}
{%- if cell.metadata.get("nnlab_written_answer") -%}
<div class="nnlab-answer">{{ super() }}</div>
{%- else -%}
{{ super() }}
{%- endif -%}
{%- endblock any_cell -%}
"""


class ReviewExporter(FeedbackExporter):
    """The feedback pages' exporter (MathML maths, wrapped outputs) on nbconvert's lab page, made for printing:
    no script, and ``resources["review_header"]`` (HTML) written at the top."""

    @default("extra_loaders")
    def _extra_loaders_default(self):
        return [DictLoader({"mathjax.html.j2": HEAD_TEMPLATE, "review.html.j2": REVIEW_TEMPLATE})]

    @default("template_name")
    def _template_name_default(self):
        return "lab"

    @default("template_file")
    def _template_file_default(self):
        return "review.html.j2"


@dataclass
class PdfReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)       # "<student>: <why>"


class PrinterMissing(RuntimeError):
    """chromium or Playwright is not installed, or chromium does not start."""


def printer_problem() -> str | None:
    """What printing needs and this machine lacks, with how to install it, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "printing PDFs needs Python Playwright, which is not installed: pip install 'nnlab[grade]'"
    if not os.path.exists(CHROMIUM):
        return f"printing PDFs needs Debian's chromium, which is not installed ({INSTALL_CHROMIUM})"
    return None


def is_written_answer(cell) -> bool:
    """A cell graded by hand: nbgrader's manually graded answer (graded, and holding the student's solution)."""
    return bool(is_grade(cell)) and bool(is_solution(cell))


def written_answers(cells: list) -> list:
    """The written answers, each after its question: the nearest read-only markdown cell above it (the cell
    just before it in the released notebook; a cell the student inserted in between is passed over)."""
    kept = []
    for i, cell in enumerate(cells):
        if not is_written_answer(cell):
            continue
        for above in reversed(cells[:i]):
            if is_written_answer(above):
                break
            if above.cell_type == "markdown" and above.metadata.get("nbgrader", {}).get("locked"):
                kept.append(above)
                break
        kept.append(cell)
    return kept


class Unreadable(ValueError):
    """A notebook file of the student's that cannot be read (the intake's reason)."""


def review_notebook(paths: list[Path], only_manual: bool):
    """The student's notebooks of an assignment as one notebook (only the written answers with their questions,
    with ``only_manual``), each written answer marked for the page; raises Unreadable."""
    merged = None
    for path in paths:
        problem = read_problem(path)
        if problem is not None:
            raise Unreadable(f"{path.name}: {problem}")
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if is_written_answer(cell):
                cell.metadata["nnlab_written_answer"] = True
        cells = written_answers(nb.cells) if only_manual else list(nb.cells)
        if only_manual and not cells:
            cells = [nbformat.v4.new_markdown_cell("*No written answers in this notebook.*")]
        if len(paths) > 1:                      # say where each notebook of the assignment starts
            cells.insert(0, nbformat.v4.new_markdown_cell(f"## {path.name}"))
        nb.cells = cells
        if merged is None:
            merged = nb
        else:
            merged.cells += cells
    return merged


def review_source(ws: Workspace, student: str, assignment: str) -> tuple[list[Path], str]:
    """The notebooks to print and what they are: the autograded ones, unless the submission is not graded or
    has changed since."""
    graded = sorted(ws.autograded(student, assignment).glob("*.ipynb"))
    if graded and not needs_grading(ws, student, assignment):
        return graded, "autograded notebook"
    return sorted(ws.submitted(student, assignment).glob("*.ipynb")), "submitted notebook (not autograded yet)"


def review_header(student: str, assignment: str, printed: str, what: str, only_manual: bool) -> str:
    kind = "written answers only, from the " + what if only_manual else what
    return (f'<header class="nnlab-review"><h1>{html.escape(student)} — {html.escape(assignment)}</h1>'
            f"<p>student: <b>{html.escape(student)}</b> · assignment: <b>{html.escape(assignment)}</b> · "
            f"printed {html.escape(printed)} · {html.escape(kind)}</p></header>")


def review_html(nb, header: str) -> str:
    body, _ = ReviewExporter().from_notebook_node(nb, resources={"review_header": header})
    return body


def _footer(student: str, assignment: str) -> str:
    return (f'<div style="font-size:8px; width:100%; text-align:center; font-family:sans-serif;">'
            f'{html.escape(student)} · {html.escape(assignment)} · page <span class="pageNumber"></span> of '
            f'<span class="totalPages"></span></div>')


def write_pdfs(ws: Workspace, assignment: str, dest: Path, only_manual: bool = False,
               printed: str | None = None) -> PdfReport:
    """``dest/<student>.pdf`` for every collected student with a readable submission of ``assignment``; an
    earlier PDF is replaced, and removed for a student skipped now (it would show work that is not theirs any
    more). Raises PrinterMissing when chromium or Playwright is missing or chromium does not start."""
    problem = printer_problem()
    if problem:
        raise PrinterMissing(problem)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    printed = printed or datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    # Playwright's sync API refuses to run in a thread with a running asyncio loop (a Jupyter kernel, or a caller
    # that drives a browser itself): the printing gets a thread of its own
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(_print_all, ws, assignment, dest, only_manual, printed).result()


def _print_all(ws: Workspace, assignment: str, dest: Path, only_manual: bool, printed: str) -> PdfReport:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
    report = PdfReport()
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise PrinterMissing(f"chromium ({CHROMIUM}) did not start: {_first_line(exc)}") from None
        # the page shows the student's outputs, which may hold HTML: nothing in it runs and nothing is fetched
        context = browser.new_context(java_script_enabled=False)
        context.route("**/*", lambda route: route.abort())
        try:
            for student in ws.students():
                target = dest / f"{student}.pdf"
                why = _print_one(ws, context, student, assignment, target, only_manual, printed)
                if why is None:
                    report.written.append(target)
                else:
                    target.unlink(missing_ok=True)
                    report.skipped.append(f"{student}: {why}")
        finally:
            context.close()
            browser.close()
    return report


def _print_one(ws: Workspace, context, student: str, assignment: str, target: Path, only_manual: bool,
               printed: str) -> str | None:
    """Print one student's PDF to ``target``; why not, or None."""
    if not ws.has_submission(student, assignment):
        return f"no submission of {assignment}"
    paths, what = review_source(ws, student, assignment)
    try:
        nb = review_notebook(paths, only_manual)
        page_html = review_html(nb, review_header(student, assignment, printed, what, only_manual))
    except Unreadable as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 — nbconvert can fail in many ways: one student's, not the class's
        return f"could not be converted to HTML ({type(exc).__name__}: {_first_line(exc)})"
    tmp = target.with_name(f".{target.name}.tmp")      # a PDF cut short never takes the place of a good one
    try:
        page = context.new_page()
        page.set_content(page_html, wait_until="load")
        page.pdf(path=str(tmp), format="A4", print_background=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=_footer(student, assignment),
                 margin={"top": "12mm", "bottom": "14mm", "left": "10mm", "right": "10mm"})
        page.close()
        os.replace(tmp, target)
    except Exception as exc:  # noqa: BLE001 — Playwright's errors: this student's page, not the whole class
        tmp.unlink(missing_ok=True)
        return f"chromium could not print it ({_first_line(exc)})"
    return None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:limits.CAUSE]
