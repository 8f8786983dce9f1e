"""The class report (``nnlab-grade report --to DIR``): one self-contained HTML page for the instructor.

It shows the score histogram, the pass rate of each challenge and of each test cell, the diagnostics the
checks gave most often ("42% of 12: forward_pass — forgot to add the bias"), how many written answers are
graded, late work with its penalties, the scores set by hand with their reasons, the submissions that need a
look (flagged, failed, written answers to grade) and how long grading took. Everything comes from the
gradebook and the grading results (autograder/pipeline/results.py), so the report can be written at any time
after ``autograde``.
"""
from __future__ import annotations

import base64
import html
import io
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from autograder import limits
from autograder.pipeline.grading import LINES
from autograder.pipeline.results import GRADED, Record
from nnlab.checks.spec import read_report

SUFFIXES = ("_visible", "_hidden")
BY_HAND = ("needs_manual_grade", "manually_graded", "not_answered", "overridden")   # a person's part, not the code's


def challenge_of(grade_id: str) -> str:
    """``forward_pass_hidden`` → ``forward_pass``: the challenge a test cell checks."""
    for suffix in SUFFIXES:
        if grade_id.endswith(suffix):
            return grade_id[: -len(suffix)]
    return grade_id


def diagnoses(status: str, message: str, hints: list[str] | None = None) -> list[str]:
    """What went wrong in a cell: the check's ``hints`` (``CellResult.hints``), else what its status and message
    say (the exception a cell raised), with numbers blanked so that equal mistakes count together. Without
    ``hints`` (a record written before cells carried them) they are read from the one-line message."""
    if status == "passed":
        return []
    if hints is None:
        hints = read_report(message.replace(LINES, "\n")).hints
    if not hints:
        exception = re.match(r"^([A-Za-z_][A-Za-z0-9_]*(?:Error|Exception|Interrupt)):", message.strip())
        if status == "error" and exception:
            hints = ["not attempted (NotImplementedError)" if exception[1] == "NotImplementedError"
                     else f"raised {exception[1]}"]
        else:
            hints = [{"timeout": "ran out of time", "not_run": "not run (the run ended earlier)",
                      "missing": "test cell missing"}.get(status, "wrong values")]
    return [re.sub(r"-?\d+\.\d+(e[+-]?\d+)?|-?\d+e[+-]?\d+", "…", h)[:limits.REPORT_HINT] for h in hints]


def summarise(records: list[Record]) -> dict:
    """The numbers the page shows, as plain data."""
    submitted = [r for r in records if r.status in GRADED]
    by_student = defaultdict(lambda: [0.0, 0.0])
    for r in records:
        by_student[r.student_id][0] += r.score
        by_student[r.student_id][1] += r.max_score
    totals = {s: (100.0 * got / top if top else 0.0) for s, (got, top) in sorted(by_student.items())}
    challenge_pass, cell_pass, found = defaultdict(list), defaultdict(list), defaultdict(set)
    written = defaultdict(lambda: [0, 0])                        # assignment → [to grade, graded]
    for r in submitted:
        per_challenge = defaultdict(list)
        for c in r.cells:
            if c.status in BY_HAND:         # a written answer, or a score an instructor set: not the code's verdict
                if c.status in ("needs_manual_grade", "manually_graded"):
                    written[r.assignment][c.status == "manually_graded"] += 1
                continue
            cell_pass[(r.assignment, c.grade_id)].append(c.status == "passed")
            per_challenge[challenge_of(c.grade_id)].append(c)
        for name, cells in per_challenge.items():
            challenge_pass[(r.assignment, name)].append(all(c.status == "passed" for c in cells))
            for c in cells:
                for d in diagnoses(c.status, c.message, c.hints):
                    found[(r.assignment, name, d)].add(r.student_id)
    handed_in = Counter(r.assignment for r in submitted)
    frequent = sorted(((len(students) / handed_in[a], len(students), handed_in[a], a, name, d)
                       for (a, name, d), students in found.items()), key=lambda t: (-t[0], t[3], t[4], t[5]))
    times = defaultdict(list)
    for r in records:
        if r.seconds:
            times[r.assignment].append(r.seconds)
    return {
        "totals": totals,
        "challenges": {k: (sum(v), len(v)) for k, v in sorted(challenge_pass.items())},
        "cells": {k: (sum(v), len(v)) for k, v in sorted(cell_pass.items())},
        "diagnostics": frequent,
        "overrides": sorted((r.student_id, r.assignment, c.grade_id, f"{c.score:g}/{c.max_score:g}",
                             c.message.removeprefix("overridden: "))
                            for r in records for c in r.cells if c.status == "overridden"),
        "written": {a: tuple(v) for a, v in sorted(written.items())},
        "late": sorted((r.assignment, r.student_id, r.submitted_at, r.due, r.late_by, f"{r.penalty:g}")
                       for r in records if r.late_by),
        "attention": sorted((r.status, r.student_id, r.assignment, r.message) for r in records
                            if r.status in ("flagged", "failed", "needs_manual_grade")),
        "times": {a: (len(v), statistics.median(v), max(v), sum(v)) for a, v in sorted(times.items())},
        "slowest": sorted(((r.seconds, r.student_id, r.assignment) for r in records if r.seconds), reverse=True)[:5],
    }


def _histogram_png(totals: dict) -> str:
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 2.8))
    ax = fig.add_subplot()
    ax.hist(list(totals.values()), bins=range(0, 101, 10), color="#4878a8", edgecolor="white")
    ax.set_xlabel("total score (% of all points)")
    ax.set_ylabel("students")
    ax.set_xlim(0, 100)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode()


def _table(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _rate(passed: int, n: int) -> str:
    return f"{100 * passed / n:.0f}% ({passed}/{n})" if n else "–"


def render(records: list[Record], title: str = "Class report") -> str:
    s = summarise(records)
    mean = statistics.mean(s["totals"].values()) if s["totals"] else 0.0
    sections = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{len(s['totals'])} students, {sum(r.status in GRADED for r in records)} graded submissions; "
        f"mean total {mean:.0f}%.</p>",
        "<h2>Scores</h2>",
        f"<img alt='histogram of total scores' src='data:image/png;base64,{_histogram_png(s['totals'])}'>",
        "<h2>Most frequent diagnostics</h2>",
        _table(["share of submissions", "assignment", "challenge", "diagnostic"],
               [[f"{100 * rate:.0f}% of {n} ({k})", a, name, d]
                for rate, k, n, a, name, d in s["diagnostics"][:limits.REPORT_ROWS]]),
        "<h2>Pass rate per challenge</h2>",
        _table(["assignment", "challenge", "passed"], [[a, c, _rate(*v)] for (a, c), v in s["challenges"].items()]),
        "<h2>Pass rate per test cell</h2>",
        _table(["assignment", "test cell", "passed"], [[a, g, _rate(*v)] for (a, g), v in s["cells"].items()]),
        "<h2>Written answers</h2>",
        _table(["assignment", "graded", "still to grade"],
               [[a, done, todo] for a, (todo, done) in s["written"].items()]) if s["written"] else "<p>None.</p>",
        "<h2>Late work</h2>",
        _table(["assignment", "student", "handed in", "due", "late by", "penalty (points)"],
               [list(row) for row in s["late"]]) if s["late"] else "<p>None.</p>",
        "<h2>Scores set by hand</h2>",
        _table(["student", "assignment", "cell", "score", "why"], [list(row) for row in s["overrides"]])
        if s["overrides"] else "<p>None.</p>",
        "<h2>Submissions that need a look</h2>",
        _table(["status", "student", "assignment", "why"], [list(row) for row in s["attention"]])
        if s["attention"] else "<p>None.</p>",
        "<h2>Grading time</h2>",
        _table(["assignment", "notebooks", "median s", "max s", "total s"],
               [[a, n, f"{med:.1f}", f"{top:.1f}", f"{tot:.0f}"] for a, (n, med, top, tot) in s["times"].items()]),
        "<p>Slowest: " + ", ".join(f"{st}/{a} {sec:.1f} s" for sec, st, a in s["slowest"]) + "</p>",
    ]
    style = ("body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse;"
             "margin-bottom:1em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:90%}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>{''.join(sections)}</body></html>")


def write_report(records: list[Record], dest: Path, title: str = "Class report") -> Path:
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    page = dest / "report.html"
    page.write_text(render(records, title), encoding="utf-8")
    return page
