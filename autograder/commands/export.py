"""Export grades (grades.csv, cells.csv), write feedback, and print the class's grade table.

Every score comes from the gradebook, manual scores included (autograder/pipeline/results.py).
"""
from __future__ import annotations

import csv
import html
from pathlib import Path

from autograder import limits
from autograder.course.workspace import Workspace
from autograder.pipeline.results import GRADED, Record, class_records

GRADE_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "release", "submitted_at", "due",
                 "late_by", "penalty", "message"]
CELL_COLUMNS = ["student_id", "assignment", "notebook", "grade_id", "score", "max_score", "status", "message"]


def export(ws: Workspace, dest: Path) -> tuple[Path, Path]:
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    records = class_records(ws)
    grades, cells = dest / "grades.csv", dest / "cells.csv"
    with open(grades, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(GRADE_COLUMNS)
        for r in records:
            writer.writerow([r.student_id, r.assignment, f"{r.score:g}", f"{r.max_score:g}", r.status,
                             "" if r.release is None else r.release, r.submitted_at, r.due, r.late_by,
                             f"{r.penalty:g}", r.message])
    with open(cells, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CELL_COLUMNS)
        for r in records:
            for c in r.cells:
                writer.writerow([r.student_id, r.assignment, c.notebook, c.grade_id, f"{c.score:g}",
                                 f"{c.max_score:g}", c.status, c.message])
    return grades, cells


def feedback(ws: Workspace, api, records: list[Record]) -> list[Path]:
    """nbgrader's feedback for graded submissions; a page saying what happened for failed and missing ones."""
    written = []
    for r in records:
        folder = ws.feedback(r.student_id, r.assignment)
        if r.status in GRADED:
            api.config.OverrideNotes.notes = {     # the instructor's reason, not what the grader had said
                c.grade_id: "Score set by hand: " + c.message.removeprefix("overridden: ").split("; the grader gave")[0]
                for c in r.cells if c.status == "overridden"}
            result = api.generate_feedback(r.assignment, r.student_id, force=True)
            if result["success"]:
                written += sorted(folder.glob("*.html"))
                continue
            r = Record(r.student_id, r.assignment, "failed", "feedback could not be generated: "
                       + (result.get("error") or "").strip()[-limits.FEEDBACK_ERROR:], r.score, r.max_score, r.cells)
        folder.mkdir(parents=True, exist_ok=True)
        page = folder / f"{r.assignment}.html"
        page.write_text(status_page(r))
        written.append(page)
    return written


def status_page(r: Record) -> str:
    rows = "".join(f"<tr><td>{html.escape(c.grade_id)}</td><td>{c.score:g}/{c.max_score:g}</td>"
                   f"<td>{html.escape(c.status)}</td><td>{html.escape(c.message)}</td></tr>" for c in r.cells)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(r.assignment)} — "
            f"{html.escape(r.student_id)}</title></head><body><h1>{html.escape(r.assignment)}</h1>"
            f"<p><b>Status:</b> {html.escape(r.status)} — {html.escape(r.message)}</p>"
            f"<p><b>Score:</b> {r.score:g} / {r.max_score:g}</p><table border='1'>"
            f"<tr><th>test</th><th>score</th><th>status</th><th>message</th></tr>{rows}</table></body></html>")


def grade_table(records: list[Record]) -> str:
    """Students × assignments: score/max for graded work (marked * while a written answer waits for its grade),
    the status otherwise, and each student's total."""
    students = sorted({r.student_id for r in records})
    assignments = sorted({r.assignment for r in records})
    by = {(r.student_id, r.assignment): r for r in records}
    width = max([len("student")] + [len(s) for s in students])
    cols = [max(len(a), 9) for a in assignments]
    head = f"{'student':<{width}}  " + "  ".join(f"{a:>{w}}" for a, w in zip(assignments, cols)) + "      total"
    lines = [head, "-" * len(head)]
    for s in students:
        cells, total, total_max = [], 0.0, 0.0
        for a, w in zip(assignments, cols):
            r = by[(s, a)]
            total, total_max = total + r.score, total_max + r.max_score
            text = f"{r.score:g}/{r.max_score:g}" if r.status in GRADED else r.status
            cells.append(f"{text + '*' * (r.status == 'needs_manual_grade'):>{w}}")
        lines.append(f"{s:<{width}}  " + "  ".join(cells) + f"  {total:>5g}/{total_max:g}")
    if any(r.status == "needs_manual_grade" for r in records):
        lines.append("* so far: written answers still to grade (formgrader, or nnlab-grade override)")
    return "\n".join(lines)
