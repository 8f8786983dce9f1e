"""``nnlab-grade pdf``: one review PDF per student (autograder/commands/pdf.py), printed by Debian's chromium through
Playwright and read back with pypdf. The header and the student's own work are in it; ``--only-manual`` keeps the
written answers under their questions and no code; a broken notebook and a student with no submission are skipped
with their reasons; after autograding, printing again replaces the PDFs with the autograded notebooks'."""
from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import nbformat
import pytest

from autograder import sample_class
from autograder.cli import main
from autograder.commands import pdf
from tests.browser.conftest import _missing
from tests.conftest import REPO

pytestmark = pytest.mark.grader
AID = "01_perceptron"
ANSWER = "The walrus checked all four corners by hand and found the unit computes AND."
CODE = "return (X @ w + b > 0).astype(int)  # walrus code"
QUESTION = "Written question 1 · A line through two corners (2 points)"


def needs_printer() -> None:
    """Skip saying what is missing, as the browser suite does; under CI=true, which installs both, fail."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must print the review PDFs: {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """ada: her own perceptron and a written answer; zed: a notebook that is not JSON; bob: collected, but
    nothing of this assignment."""
    needs_printer()
    root = tmp_path_factory.mktemp("pdf")
    source, klass = root / "source", root / "class"
    (source / AID).mkdir(parents=True)
    shutil.copy(REPO / "solutions" / AID / f"{AID}.ipynb", source / AID)
    nb = sample_class.fill(REPO / "notebooks" / AID / f"{AID}.ipynb", {"perceptron": CODE},
                           sample_class.solution_bodies(source / AID / f"{AID}.ipynb"))
    next(c for c in nb.cells if pdf.is_written_answer(c)).source = ANSWER
    (klass / "ada" / AID).mkdir(parents=True)
    nbformat.write(nb, klass / "ada" / AID / f"{AID}.ipynb")
    (klass / "zed" / AID).mkdir(parents=True)
    (klass / "zed" / AID / f"{AID}.ipynb").write_text("{ this is not json")
    args = ["--no-sandbox", "--course", str(root / "course"), "--source", str(source), "--cell-timeout", "10"]
    assert main(args + ["collect", str(klass)]) == 0
    (root / "course" / "submitted" / "bob").mkdir()
    return root, args


def text(path: Path) -> str:
    """The PDF's text on one line: ligatures (ﬁ, ﬀ) as letters, every run of white space one space."""
    from pypdf import PdfReader
    return " ".join(unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(path).pages)).split())


def print_class(course, capsys, dest: str, *options: str) -> tuple[dict[str, str], list[str]]:
    """Run ``nnlab-grade pdf`` into ``dest``: ({student: the text of their PDF}, the lines it printed)."""
    root, args = course
    assert main(args + ["pdf", AID, "--to", str(root / dest), *options]) == 0
    lines = capsys.readouterr().out.splitlines()
    return {p.stem: text(p) for p in sorted((root / dest).glob("*.pdf"))}, lines


def test_a_pdf_per_student_with_the_header_and_their_work(course, capsys):
    pdfs, lines = print_class(course, capsys, "review")
    assert sorted(pdfs) == ["ada"]
    ada = pdfs["ada"]
    assert re.search(r"student: ada · assignment: 01_perceptron · printed \d{4}-\d\d-\d\d \d\d:\d\d", ada), ada[:300]
    assert "submitted notebook (not autograded yet)" in ada
    assert ANSWER in ada and "# walrus code" in ada and QUESTION in ada
    assert "skipped: bob: no submission of 01_perceptron" in lines
    assert any(line.startswith("skipped: zed: 01_perceptron.ipynb: the notebook file is not valid notebook JSON")
               for line in lines), lines
    assert lines[-1].startswith("wrote 1 PDFs of 01_perceptron into "), lines


def test_only_manual_keeps_the_written_answers_under_their_questions(course, capsys):
    pdfs, lines = print_class(course, capsys, "written", "--only-manual")
    ada = pdfs["ada"]
    assert "student: ada · assignment: 01_perceptron" in ada and "written answers only" in ada
    assert ada.index(QUESTION) < ada.index(ANSWER) < ada.index("Written question 2")
    assert "Written question 3" in ada
    for code in ("# walrus code", "def perceptron", "import numpy", "check("):
        assert code not in ada, code
    assert "(written answers only)" in lines[-1]


def test_after_autograding_the_pdfs_are_replaced_by_the_autograded_notebooks(course, capsys):
    root, args = course
    dest = root / "again"
    dest.mkdir()
    for student in ("ada", "zed"):
        (dest / f"{student}.pdf").write_text("an earlier PDF")
    assert main(args + ["autograde", "--workers", "1"]) == 0
    pdfs, lines = print_class(course, capsys, "again")
    assert sorted(pdfs) == ["ada"]                  # zed's earlier PDF is gone with the work it showed
    assert "· autograded notebook" in pdfs["ada"] and ANSWER in pdfs["ada"]
    assert any(line.startswith("skipped: zed: ") for line in lines), lines


def test_without_chromium_the_command_says_what_to_install(course, capsys, monkeypatch):
    root, args = course
    monkeypatch.setattr(pdf, "CHROMIUM", str(root / "no-chromium"))
    assert main(args + ["pdf", AID, "--to", str(root / "none")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "apt-get install chromium" in err[0], err
    assert not (root / "none").exists()
