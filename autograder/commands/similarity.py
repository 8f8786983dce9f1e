"""Who copied whom (``nnlab-grade similarity``): the students' answers to an assignment's code challenges,
compared pairwise and each with the reference, by copydetect's fingerprints.

A student's answers are the code cells nbgrader marks as solutions in the submitted notebooks, matched by grade
id. The reference's are the source notebooks' solution cells and, for each function such a cell defines that
``nnlab.answers.GRADED`` names, nnlab's own reference function. The release's own text of those cells (the
stubs, signatures and docstrings everyone got) is ignored: its lines are taken out of each cell, and its k-grams
are copydetect's boilerplate. A cell whose answer is then one short line, or nothing, is left out: it cannot say
who copied. copydetect tokenises what is left (every name becomes V, a function defined F, a string S;
comments and white space go) and fingerprints its k-grams. Cells are compared only with the same cell of the
other submission, and the matched tokens summed over the cells: ``a→b`` is the share of A's answer tokens also
found in B's answers to the same questions. A pair is flagged when either direction reaches ``FLAG`` over at
least ``MIN_TOKENS`` matched tokens. The CSV lists every pair; the HTML page (no script, no network) shows the
pairs from ``DISPLAY`` up, flagged ones first, each cell side by side with the matched code highlighted.
docs/similarity.md says how to read them.
"""
from __future__ import annotations

import ast
import csv
import html
import importlib
import inspect
import io
import re
import textwrap
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import nbformat
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import get_token_coverage, highlight_overlap
from nbgrader.utils import is_solution

from autograder.course.workspace import Workspace
from autograder.pipeline.intake import read_problem

# Measured on tests/grader/e2e/test_similarity.py's class (notebook 02): honest students share up to 39 % of
# their tokens (np.asarray(z, dtype=float) and zip(w, b) loops are everyone's idioms), the planted pair 83 %,
# the pasted reference 100 %. A shorter k finds more of the idioms (53 % at 12, 64 % at 10), a longer one loses
# more of the planted pair's short reordered lines (77 % at 18, 68 % at 25).
NOISE = 15          # copydetect's noise threshold k: a match shorter than 15 normalised characters is noise
GUARANTEE = 15      # its guarantee threshold: every match this long is found (window = GUARANTEE - NOISE + 1)
FLAG = 0.6          # flag a pair when 60 % of one student's answer tokens are in the other's (or the reference)
MIN_TOKENS = 60     # … and they share at least this many tokens: a few short answers alike prove nothing
DISPLAY = 0.3       # the HTML page shows every pair from 30 % on (copydetect's display threshold)
ONE_LINER = 80      # an answer of one line up to this many characters is left out
REFERENCE = "reference"

_DEF = re.compile(r"^def\s+(\w+)", re.M)
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION", re.S)


@dataclass
class Answer:
    """One solution cell's answer: its code less the release's lines, fingerprinted without the boilerplate."""
    cell: str                   # "<notebook>/<grade id>"
    code: str
    fp: CodeFingerprint


@dataclass
class Pair:
    a: str
    b: str                      # a student, or REFERENCE
    a_to_b: float               # share of a's answer tokens found in b's answers to the same cells
    b_to_a: float
    tokens: int                 # a's tokens that match b's
    flagged: bool
    cells: list[tuple[str, str, str]] = field(default_factory=list)    # (cell, a's highlighted, b's highlighted)


@dataclass
class SimilarityReport:
    pairs: list[Pair] = field(default_factory=list)
    students: list[str] = field(default_factory=list)     # the students compared
    skipped: list[str] = field(default_factory=list)      # "<student>: <why>"
    csv: Path | None = None
    html: Path | None = None


def solution_cells(nb) -> dict[str, str]:
    """A notebook's solution code cells by grade id (the first of duplicated ids)."""
    cells: dict[str, str] = {}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and is_solution(cell) and gid and gid not in cells:
            cells[gid] = cell.source
    return cells


def answer_code(code: str, release: str) -> str:
    """The cell without the release's own lines (the signature, the docstring, the stub) and blank lines: what
    the student wrote. Every k-gram that would straddle the signature and the first line of an answer would
    otherwise match between any two students."""
    given = {line.strip() for line in release.splitlines()}
    return textwrap.dedent("\n".join(line for line in code.splitlines() if line.strip() and line.strip() not in given))


def too_short(answer: str) -> bool:
    """No code (the stub as released, or only comments), or one short line: the cell cannot say who copied."""
    lines = [s for s in (line.strip() for line in answer.splitlines()) if not s.startswith("#")]
    return not lines or (len(lines) == 1 and len(lines[0]) <= ONE_LINER)


def fingerprint(name: str, code: str, boilerplate: frozenset[int] = frozenset()) -> CodeFingerprint:
    """copydetect's fingerprint of ``code`` without the ``boilerplate`` k-grams. They are removed here, not by
    CodeFingerprint's boilerplate argument, which also drops every k-gram that occurs twice in the code (it
    intersects the hashes as if they were unique, and at window 1 they repeat)."""
    found = CodeFingerprint(f"{name}.py", NOISE, GUARANTEE - NOISE + 1, language="python", fp=io.StringIO(code))
    if boilerplate:
        found.hashes = found.hashes - boilerplate
        found.hash_idx = {h: at for h, at in found.hash_idx.items() if h not in boilerplate}
        found.token_coverage = get_token_coverage(found.hash_idx, found.k, len(found.filtered_code))
    return found


def boilerplate_hashes(release: dict[str, str]) -> frozenset[int]:
    """The boilerplate: every k-gram of the release's solution cells (as copydetect's detector takes it)."""
    return frozenset(h for code in release.values() for h in fingerprint("release", code).hashes)


def _release_cells(ws: Workspace, assignment: str) -> dict[str, str]:
    cells = {}
    for path in sorted((ws.course / "release" / assignment).glob("*.ipynb")):
        for gid, code in solution_cells(nbformat.read(path, as_version=4)).items():
            cells[f"{path.stem}/{gid}"] = code
    return cells


def reference_cells(ws: Workspace, assignment: str) -> dict[str, str]:
    """The source notebooks' answers (between BEGIN and END SOLUTION), each followed by nnlab's reference of
    every graded function its cell defines (``nnlab.answers``, without the docstring; an assignment nnlab has no
    answers module for has the notebooks' only)."""
    from nnlab.answers import GRADED
    graded = set(GRADED.get(assignment, ()))
    module = importlib.import_module(f"nnlab.answers.nb{assignment}") if graded else None
    cells = {}
    for path in ws.source_notebooks(assignment):
        for gid, code in solution_cells(nbformat.read(path, as_version=4)).items():
            body = _SOLUTION.search(code)
            parts = [textwrap.dedent(body.group(1)) if body else code]
            parts += [f"# {module.__name__}.{name}\n{_without_docstring(getattr(module, name))}"
                      for name in _DEF.findall(code) if name in graded and hasattr(module, name)]
            cells[f"{path.stem}/{gid}"] = "\n".join(parts)
    return cells


def _without_docstring(function) -> str:
    source = textwrap.dedent(inspect.getsource(function))
    first = ast.parse(source).body[0].body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines = source.splitlines()
        del lines[first.lineno - 1:first.end_lineno]
        source = "\n".join(lines)
    return source


def student_cells(ws: Workspace, student: str, assignment: str) -> tuple[dict[str, str] | None, str | None]:
    """``(cells, None)`` for a readable submission, ``(None, why)`` for a student to skip."""
    paths = sorted(ws.submitted(student, assignment).glob("*.ipynb"))
    if not paths:
        return None, f"no submission of {assignment}"
    cells = {}
    for path in paths:
        problem = read_problem(path)
        if problem is not None:
            return None, f"{path.name}: {problem}"
        for gid, code in solution_cells(nbformat.read(path, as_version=4)).items():
            cells[f"{path.stem}/{gid}"] = code
    return cells, None


def answers(cells: dict[str, str], release: dict[str, str], boilerplate: frozenset[int],
            who: str) -> dict[str, Answer]:
    """The cells worth comparing (not a one-liner, not the bare stub), fingerprinted."""
    kept = {}
    for cell, code in cells.items():
        answer = answer_code(code, release.get(cell, ""))
        if not too_short(answer):
            kept[cell] = Answer(cell, answer, fingerprint(f"{who}/{cell}", answer, boilerplate))
    return kept


def compare(a: str, b: str, mine: dict[str, Answer], theirs: dict[str, Answer], keep_cells: bool) -> Pair:
    """Cell by cell (same grade id only), summed: a copied function counts wherever it sits in the notebook,
    and an idiom shared by two different functions counts nowhere."""
    own = sum(x.fp.token_coverage for x in mine.values())
    other = sum(x.fp.token_coverage for x in theirs.values())
    matched_a = matched_b = 0.0
    cells = []
    for cell in sorted(mine.keys() & theirs.keys()):
        x, y = mine[cell], theirs[cell]
        _, (sim_a, sim_b), (slices_a, slices_b) = compare_files(x.fp, y.fp)
        matched_a += sim_a * x.fp.token_coverage
        matched_b += sim_b * y.fp.token_coverage
        if keep_cells:
            cells.append((cell, _highlight(x.code, slices_a), _highlight(y.code, slices_b)))
    a_to_b = matched_a / own if own else 0.0
    b_to_a = matched_b / other if other else 0.0
    tokens = round(matched_a)
    flagged = max(a_to_b, b_to_a) >= FLAG and tokens >= MIN_TOKENS
    return Pair(a, b, a_to_b, b_to_a, tokens, flagged, cells)


def _highlight(code: str, slices) -> str:
    if len(slices) == 0 or slices.shape[1] == 0:
        return html.escape(code)
    marked, _ = highlight_overlap(code, slices, "<mark>", "</mark>", escape_html=True)
    return marked


def find_similar(ws: Workspace, assignment: str) -> SimilarityReport:
    """Every pair of the assignment's collected students, and each student with the reference."""
    release = _release_cells(ws, assignment)
    boilerplate = boilerplate_hashes(release)
    report = SimilarityReport()
    kept: dict[str, dict[str, Answer]] = {}
    for student in ws.students():
        cells, why = student_cells(ws, student, assignment)
        if cells is not None:
            kept[student] = answers(cells, release, boilerplate, student)
            if not kept[student]:
                why = "no answer to compare (only the stubs as released and one-liners)"
                del kept[student]
        if why is not None:
            report.skipped.append(f"{student}: {why}")
    report.students = sorted(kept)
    reference = answers(reference_cells(ws, assignment), release, boilerplate, REFERENCE)

    def pair(a, b, mine, theirs):
        found = compare(a, b, mine, theirs, keep_cells=False)
        if max(found.a_to_b, found.b_to_a) >= DISPLAY:        # highlighted again only where the page shows it
            found = compare(a, b, mine, theirs, keep_cells=True)
        return found

    report.pairs = [pair(a, b, kept[a], kept[b]) for a, b in combinations(report.students, 2)]
    report.pairs += [pair(s, REFERENCE, kept[s], reference) for s in report.students]
    report.pairs.sort(key=lambda p: (-max(p.a_to_b, p.b_to_a), p.a, p.b))
    return report


def write_csv(pairs: list[Pair], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["student_a", "student_b", "similarity_a_to_b", "similarity_b_to_a", "tokens_overlapping",
                      "flagged"])
        for p in pairs:
            out.writerow([p.a, p.b, f"{p.a_to_b:.3f}", f"{p.b_to_a:.3f}", p.tokens, "yes" if p.flagged else "no"])
    return path


PAGE_STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1400px; color: #222; }
table.pairs { border-collapse: collapse; } table.pairs td, table.pairs th { border: 1px solid #ccc; padding: 2px 8px; }
tr.flagged td { background: #fde8e8; }
section.pair { border-top: 2px solid #444; margin-top: 2em; }
div.cells { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { background: #f6f6f6; padding: 0.5em; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
mark { background: #f7c6c6; }
.note { color: #555; font-size: 0.9em; }
"""


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def write_html(report: SimilarityReport, assignment: str, path: Path) -> Path:
    """The page: the thresholds, every pair's numbers, then each pair from DISPLAY up side by side."""
    e = html.escape
    rows = "".join(
        f'<tr class="{"flagged" if p.flagged else ""}"><td>{e(p.a)}</td><td>{e(p.b)}</td><td>{_pct(p.a_to_b)}</td>'
        f'<td>{_pct(p.b_to_a)}</td><td>{p.tokens}</td><td>{"yes" if p.flagged else "no"}</td></tr>'
        for p in report.pairs)
    shown = sorted((p for p in report.pairs if p.cells), key=lambda p: not p.flagged)
    sections = []
    for p in shown:
        cells = "".join(f"<h4>{e(cell)}</h4><div class=\"cells\"><pre>{mine}</pre><pre>{theirs}</pre></div>"
                        for cell, mine, theirs in p.cells)
        sections.append(
            f'<section class="pair"><h3>{e(p.a)} ↔ {e(p.b)}{" — flagged" if p.flagged else ""}</h3>'
            f"<p>{_pct(p.a_to_b)} of {e(p.a)}'s answer tokens are in {e(p.b)}'s, {_pct(p.b_to_a)} of {e(p.b)}'s in "
            f"{e(p.a)}'s; {p.tokens} tokens match. Left: {e(p.a)}, right: {e(p.b)}.</p>{cells}</section>")
    skipped = "".join(f"<li>{e(s)}</li>" for s in report.skipped) or "<li>none</li>"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Similarity — {e(assignment)}</title>
<style>{PAGE_STYLE}</style></head><body>
<h1>Similarity of the answers to {e(assignment)}</h1>
<p class="note">{len(report.students)} students compared pairwise and with the {REFERENCE} (the source notebooks'
solutions and nnlab's reference functions). Compared: the solution code cells, each with the same cell of the other
submission; ignored: the release's own text of those cells and answers of one short line. Tokens are the characters
of copydetect's normalised code (names become V and F, strings S). A pair is flagged when {_pct(FLAG)} of one side's
answer tokens are in the other's and at least {MIN_TOKENS} tokens match (noise threshold {NOISE}, guarantee
threshold {GUARANTEE}); pairs from {_pct(DISPLAY)} on are shown below, matched code highlighted. Similar code is a
reason to look, not a proof.</p>
<table class="pairs"><tr><th>student a</th><th>student b</th><th>a→b</th><th>b→a</th><th>tokens</th>
<th>flagged</th></tr>{rows}</table>
<h2>Skipped</h2><ul>{skipped}</ul>
{"".join(sections)}
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


def similarity(ws: Workspace, assignment: str, dest: Path) -> SimilarityReport:
    """Compare, then write ``dest/similarity.csv`` and ``dest/similarity.html``."""
    report = find_similar(ws, assignment)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    report.csv = write_csv(report.pairs, dest / "similarity.csv")
    report.html = write_html(report, assignment, dest / "similarity.html")
    return report
