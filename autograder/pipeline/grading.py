"""Autograde submissions with nbgrader and turn each one into a result with a status and per-cell statuses.

``prepare`` checks a submission (intake) and packs it into a task (autograder/pipeline/task.py) that runs anywhere;
``finish`` stores the task's outcome: the autograded notebooks, the scores in the course gradebook (this process
is its only writer; a test cell that did not pass scores 0 there) and what the gradebook has no field for
(autograder/pipeline/results.py), after every submission. When nbgrader fails on a submission (a broken
notebook, a crash of nbgrader itself), its autograded cells score 0 in the gradebook, manual scores stay, and the
result says ``failed`` with the reason.
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import nbformat

from autograder import limits
from autograder.course.deadlines import arrival, record_penalties
from autograder.course.gradebook import zero_auto_scores
from autograder.course.workspace import Workspace, test_cells
from autograder.integration.execute import BUDGET, DIED, HUNG, NOT_RUN, cell_stop_reason
from autograder.pipeline.results import CellResult, Kept, Record, record_of, save
from nnlab.checks.spec import read_report

GUARD_STATUS = {DIED: "error", HUNG: "timeout", BUDGET: "timeout", NOT_RUN: "not_run"}
LINES = " | "                           # what joins a message's lines in one line (``one_line``)


def one_line(text: str, limit: int = limits.MESSAGE) -> str:
    """Collapse a multi-line message into one CSV-friendly line of at most ``limit`` characters.

    When it is too long, per-case lines go first (last ones first): the headline and the check's
    ``hint:`` and ``note:`` lines — the part that teaches — are kept.
    """
    text = re.sub(r"\x1b\[[0-9;]*m", "", text or "")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    head, rest = lines[:1], lines[1:]
    teach = [line for line in rest if line.startswith(("hint:", "note:"))]
    cases = [line for line in rest if not line.startswith(("hint:", "note:"))]
    dropped = False
    while cases and len(LINES.join(head + cases + teach)) > limit:
        cases.pop()
        dropped = True
    lines = head + cases + (["…"] if dropped else []) + teach
    joined = LINES.join(lines)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def cell_outcome(cell, timeout: int) -> tuple[str, str, list[str]]:
    """Status, message and the check's hints of one executed test cell, from its outputs: a failed check's
    assertion carries its report, whose hints ``read_report`` reads back."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            ename, evalue = out.get("ename", "Error"), out.get("evalue", "")
            if ename in GUARD_STATUS:                   # written by GuardedExecute: the run ended early
                return GUARD_STATUS[ename], one_line(evalue), []
            if ename in ("CellTimeoutError", "KeyboardInterrupt"):
                return "timeout", f"the cell ran past the {timeout} s limit and was interrupted", []
            if ename == "AssertionError":
                return "failed", one_line(evalue) or "the test's assertion failed", read_report(evalue).hints
            return "error", one_line(f"{ename}: {evalue}"), []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = "the cell wrote to stderr, which nbgrader scores as 0: " + out.get("text", "")
            return "error", one_line(text), []
    if cell.get("execution_count") is None:
        return "not_run", "the cell was not executed", []
    return "passed", "", []


def explain_failure(result: dict) -> str:
    """One line saying why nbgrader could not grade a submission."""
    log = (result.get("log") or "") + "\n" + (result.get("error") or "")
    patterns = [
        (r"DeadKernelError|Kernel died|kernel died", "the kernel died while running the notebook (os._exit, a crash "
                                                     "or running out of memory)"),
        (r"UnresponsiveKernelError|Kernel didn't respond", "the kernel stopped responding (a loop that ignores "
                                                           "interrupts or a long C call)"),
        (r"NotJSONError|Notebook does not appear to be JSON|Unreadable Notebook|JSONDecodeError",
         "the notebook file is not valid notebook JSON"),
        (r"UnicodeDecodeError", "the notebook file is not UTF-8 text"),
        (r"NBFormatError|ValidationError", "the notebook does not follow the notebook format"),
    ]
    for pattern, text in patterns:
        if re.search(pattern, log):
            return f"grading failed: {text}"
    # the exception itself ("SomeError: text"), not nbgrader's "[ERROR] Please see the above traceback"
    lines = [line.strip() for line in log.splitlines()
             if re.search(r"\b\w*(Error|Exception|Timeout)\b", line) and "Please see the" not in line]
    return "grading failed: " + one_line(lines[-1] if lines else log, limits.CAUSE)


def prepare(ws: Workspace, student: str, assignment: str, seed: bytes | None = None):
    """A grading ``Task`` for one submission, or its final ``Record`` when it cannot be graded at all
    (an unreadable notebook fails with the parse error; nbgrader never runs it)."""
    from autograder.pipeline.task import Task
    start = time.perf_counter()
    problem, flags, release = _intake(ws, student, assignment)
    if problem is not None:
        zero_auto_scores(ws.db_url, assignment, student)
        came = arrival(ws, student, assignment)
        save(ws, Kept(graded=False, failure=f"grading failed: {problem}", flags=flags + came.flags, release=release,
                      submitted_from=came.source, late_unknown=came.late_unknown,
                      graded_with=ws.release_version(assignment), seconds=round(time.perf_counter() - start, 3),
                      **_base(ws, student, assignment)))
        return record_of(ws, student, assignment)
    folder = ws.submitted(student, assignment)
    submitted = {p.name: p.read_bytes() for p in sorted(folder.glob("*.ipynb"))}
    if (folder / "timestamp.txt").is_file():
        submitted["timestamp.txt"] = (folder / "timestamp.txt").read_bytes()
    return Task(student, assignment, sources={p.name: p.read_bytes() for p in ws.source_notebooks(assignment)},
                seed=seed if seed is not None else ws.seed_path(assignment).read_bytes(), submitted=submitted,
                limits=ws.limits(), hide=[str(ws.course), str(ws.source)], flags=flags, release=release,
                course_config=ws.course_config_text(), graded_with=ws.release_version(assignment))


def finish(ws: Workspace, task, outcome) -> Record:
    """Store a task's outcome — the only place grades reach the course gradebook — and return its record."""
    from autograder.course.gradebook import save_outcome
    student, assignment = task.student, task.assignment
    came = arrival(ws, student, assignment)
    kept = Kept(graded=outcome.success, flags=list(task.flags) + came.flags, release=task.release,
                submitted_from=came.source, late_unknown=came.late_unknown, **_base(ws, student, assignment))
    graded_dir = ws.autograded(student, assignment)
    shutil.rmtree(graded_dir, ignore_errors=True)
    if not outcome.success:
        zero_auto_scores(ws.db_url, assignment, student)
        kept.failure = explain_failure({"log": outcome.log})
        kept.log_tail = outcome.log[-limits.LOG_TAIL:]
    else:
        graded_dir.mkdir(parents=True, exist_ok=True)
        for name, data in outcome.graded.items():
            (graded_dir / Path(name).name).write_bytes(data)
        cells = _graded_cells(ws, student, assignment, outcome.grades, _timeout(ws))
        kept.flags += _apply_verdicts(cells, outcome.verdicts, graded_dir) + _disagreements(task.sources)
        if getattr(outcome, "verify_error", ""):
            kept.flags.append(f"the out-of-kernel check could not run ({outcome.verify_error}); the kernel's "
                              f"verdicts stand unchecked")
        for c in cells:                       # what the gradebook keeps: a cell that did not pass scores 0
            if c.notebook in outcome.grades and c.grade_id in outcome.grades[c.notebook]:
                outcome.grades[c.notebook][c.grade_id] = c.score
            kept.cell(c.notebook, c.grade_id, c.status, c.message, c.hints or [])
        save_outcome(ws.db_url, outcome, came.at)
        kept.stopped = next((reason for nb_path in ws.source_notebooks(assignment)
                             if (graded_dir / nb_path.name).exists()
                             and (reason := cell_stop_reason(nbformat.read(graded_dir / nb_path.name, as_version=4)))),
                            "")
    kept.graded_with = task.graded_with
    kept.seconds, kept.timing = round(outcome.seconds, 3), dict(outcome.timing)
    save(ws, kept)
    record_penalties(ws, [(student, assignment)])
    return record_of(ws, student, assignment)


def _apply_verdicts(cells: list[CellResult], verdicts: dict, graded_dir: Path | None = None) -> list[str]:
    """The lower of the kernel's and the out-of-kernel verdict for each cell; returns the flags this raises.
    A cell a grading library's kernel left to the grader (``deferred``: hidden cases, or a function whose own
    dependency is broken) gets its grade here, unflagged. Each such verdict is also written into the graded
    notebook's cell (``graded_dir``), so the student's feedback page says why the cell scored 0. The cell takes
    the verdict's hints."""
    flags, said = [], {}
    for cell in cells:
        verdict = verdicts.get(cell.notebook, {}).get(cell.grade_id)
        if verdict is None or verdict["passed"] or cell.status != "passed":
            continue
        said.setdefault(cell.notebook, {})[cell.grade_id] = verdict["message"]
        # a verdict sent without its hints is a check's report all the same: they are read back from it
        cell.hints = verdict["hints"] if "hints" in verdict else read_report(verdict["message"]).hints
        if verdict.get("deferred"):          # the kernel left this to the grader: this is the cell's verdict
            cell.status, cell.score = "failed", 0.0
            cell.message = one_line("checked by the grader, outside the notebook: " + verdict["message"])
            continue
        reason = one_line(verdict["message"], limits.FLAG_REASON)
        cell.status, cell.score = "failed", 0.0
        cell.message = one_line("passed in the notebook but not when checked outside it: " + verdict["message"])
        flags.append(f"test cell {cell.grade_id} passed in the notebook's kernel but failed the out-of-kernel "
                     f"check ({reason})")
    if graded_dir is not None:
        for notebook, messages in said.items():
            _write_verdicts(graded_dir / f"{notebook}.ipynb", messages)
    return flags


def _disagreements(sources: dict[str, bytes]) -> list[str]:
    """Flags for the source notebooks' test cells whose metadata and code name different checks
    (autograder/trust/verify.py)."""
    from autograder.trust.verify import disagreements
    return [flag for name in sorted(sources)
            for flag in disagreements(nbformat.reads(sources[name].decode(), as_version=4))]


def _write_verdicts(path: Path, messages: dict) -> None:
    """Append the grader's verdict to each named test cell's outputs, as an error the feedback page shows. A
    hidden case's message names no input or expected value (nnlab.checks.running); what the student's own code
    raised is quoted, as the kernel's output would have shown it."""
    if not path.is_file():
        return
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and gid in messages:
            text = f"checked by the grader, outside the notebook:\n{messages[gid]}"
            cell.outputs.append(nbformat.v4.new_output("error", ename="GraderCheck", evalue=text,
                                                       traceback=[f"GraderCheck: {text}"]))
    nbformat.write(nb, path)


def _base(ws: Workspace, student: str, assignment: str) -> dict:
    return dict(student_id=student, assignment=assignment, submission_hash=ws.submission_hash(student, assignment),
                source_hash=ws.source_hash(assignment))


def _intake(ws: Workspace, student: str, assignment: str) -> tuple[str | None, list[str], int | None]:
    """The first reason a submitted notebook cannot be read, everything flagged (at collection and here), and the
    release version the student received (autograder/course/releases.py): each notebook is compared with it."""
    from autograder.course.releases import versions
    from autograder.pipeline.intake import inspect_submission
    flags, received = list(ws.flags(student, assignment)), None
    recorded = versions(ws.state, assignment)
    for nb_path in ws.source_notebooks(assignment):
        submitted = ws.submitted(student, assignment) / nb_path.name
        if not submitted.exists():
            continue
        problem, found, version = inspect_submission(submitted, recorded, nb_path.stem)
        if problem is not None:
            return (f"{nb_path.name}: {problem}" if len(ws.source_notebooks(assignment)) > 1 else problem), flags, None
        flags += found
        received = version if received is None else received
    return None, flags, received


def _timeout(ws: Workspace) -> int:
    return int(ws.cell_timeout) if ws.cell_timeout else int(ws.config().Execute.timeout)


def _graded_cells(ws: Workspace, student: str, assignment: str, grades: dict, timeout: int) -> list[CellResult]:
    """Each test cell's status, message, hints and score from the autograded notebooks and nbgrader's auto scores
    (``grades``: notebook → grade id → score); a cell that did not pass scores 0."""
    cells = []
    for nb_path in ws.source_notebooks(assignment):
        name = nb_path.stem
        graded = ws.autograded(student, assignment) / nb_path.name
        executed = {}
        if graded.exists():
            nb = nbformat.read(graded, as_version=4)
            executed = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
        for test in test_cells(nb_path):
            gid, points = test["grade_id"], test["points"]
            if not graded.exists():
                cells.append(CellResult(name, gid, 0.0, points, "missing", f"{nb_path.name} was not submitted"))
                continue
            status, message, hints = cell_outcome(executed[gid], timeout) if gid in executed else (
                "missing", "the test cell is missing from the submission", [])
            score = grades.get(name, {}).get(gid)
            score = 0.0 if score is None or status != "passed" else score
            cells.append(CellResult(name, gid, score, points, status, message, hints))
    return cells
