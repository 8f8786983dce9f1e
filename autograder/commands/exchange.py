"""nbgrader's exchange, as a course on JupyterHub uses it: collect the students' submissions from its inbound
folder, and return their feedback pages through its feedback folder, where the Assignment List's "Fetch
feedback" (nbgrader's ``fetch_feedback``) finds them. docs/exchange.md describes the layout and the names.

Collecting takes, per student and assignment, the latest submission (the time in the folder's name orders them,
as nbgrader's own collect does) and hands it to ``collect`` (autograder/commands/collect.py) laid out as a
folder of ``<student>/<assignment>/``, so the intake, the flags and the report are the same as for any folder;
its ``timestamp.txt`` goes along. What feedback needs later and nnlab's course has no place for (the
submission's secret, the notebook names the student handed in) is kept in ``.nnlab/exchange/``, with the
submission's hash: feedback is released only for a submission still as it came from the exchange.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nnlab.submit import STUDENT_ID

from autograder.commands.collect import Collected, collect, submission_time
from autograder.course.deadlines import TIMESTAMP
from autograder.course.workspace import Workspace, write_json

SECRET = "submission_secret.txt"       # nbgrader's submit writes it; the feedback's file name is derived from it
NAME_FORMAT = "<student>+<assignment>+<timestamp>[+<random>], nbgrader's submission folder name"


class ExchangeError(Exception):
    """The exchange cannot be used (no course id, no such folder): one line for the instructor."""


@dataclass(frozen=True)
class Inbound:
    path: Path
    student: str
    assignment: str
    stamp: str              # the time as the folder's name writes it
    when: datetime          # the same, naive UTC: what orders a student's submissions


@dataclass
class Released:
    pages: list[tuple[str, str, str]] = field(default_factory=list)   # (student, assignment, notebook id)
    skipped: list[str] = field(default_factory=list)
    folder: Path | None = None


def course_id(ws: Workspace, given: str | None = None) -> str:
    """The exchange's course id: ``given`` (``--course-id``), else the course's ``CourseDirectory.course_id``."""
    cid = given or ws.config().CourseDirectory.get("course_id") or ""
    if not cid:
        raise ExchangeError(f"no course id: set c.CourseDirectory.course_id in {ws.course / 'nbgrader_config.py'} "
                            f"or pass --course-id ID (the id the students fetch and submit with)")
    if "/" in cid or cid in (".", ".."):
        raise ExchangeError(f"{cid!r} is not a course id (a folder name in the exchange)")
    return cid


def parse_name(path: Path) -> Inbound | None:
    """An inbound folder's name read as nbgrader's collect reads it (split from the right, so a student id may
    hold a '+'); None when it cannot be."""
    from nbgrader.utils import parse_utc
    parts = path.name.rsplit("+", 3)
    if len(parts) < 3 or not parts[0] or not parts[1]:
        return None
    try:
        when = parse_utc(parts[2])
    except (ValueError, OverflowError):
        return None
    return Inbound(path, parts[0], parts[1], parts[2], when)


def _course_folder(root: Path, cid: str) -> Path:
    folder = Path(root) / cid
    if not folder.is_dir():
        raise ExchangeError(f"{folder} does not exist: is {root} nbgrader's exchange (Exchange.root) and {cid} "
                            f"the course id?")
    return folder


def latest_submissions(inbound: Path, assignments: set[str], report: Collected) -> list[Inbound]:
    """The latest submission of each student and known assignment in ``inbound``; what else lies there is
    listed in ``report``."""
    latest: dict[tuple[str, str], Inbound] = {}
    try:
        entries = sorted(inbound.iterdir())
    except OSError as exc:
        raise ExchangeError(f"cannot list {inbound}: {exc.strerror}") from None
    for entry in entries:
        sub = parse_name(entry)
        if sub is None:
            report.rejected.append(f"inbound/{entry.name} (not {NAME_FORMAT})")
        elif not entry.is_dir() or entry.is_symlink():
            report.ignored.append(f"inbound/{entry.name} (not a submission folder)")
        elif sub.assignment not in assignments:
            report.ignored.append(f"inbound/{entry.name} (not an assignment of this course)")
        elif not STUDENT_ID.match(sub.student):
            report.ignored.append(f"inbound/{entry.name} (not a valid student id)")
        elif (old := latest.get((sub.student, sub.assignment))) is None or sub.when > old.when:
            latest[(sub.student, sub.assignment)] = sub
    return [latest[key] for key in sorted(latest)]


def _lay_out(sub: Inbound, folder: Path) -> dict:
    """Copy an inbound submission to ``folder`` without its secret, with the time nbgrader would record (its
    ``timestamp.txt``, else the folder name's); returns what its feedback will need."""
    shutil.copytree(sub.path, folder, symlinks=True, ignore=shutil.ignore_patterns(SECRET))
    stamp = folder / TIMESTAMP
    if stamp.is_symlink() or submission_time(stamp) is None:
        stamp.unlink(missing_ok=True)
        stamp.write_text(sub.stamp)
    secret = sub.path / SECRET
    try:
        text = secret.read_text(encoding="utf-8") if secret.is_file() and not secret.is_symlink() else None
    except (OSError, UnicodeDecodeError):
        text = None
    return {"inbound": sub.path.name, "secret": text,
            "notebooks": sorted(p.stem for p in folder.glob("*.ipynb") if p.is_file() and not p.is_symlink())}


def record_path(ws: Workspace, student: str, assignment: str) -> Path:
    return ws.state / "exchange" / student / f"{assignment}.json"


def collect_exchange(ws: Workspace, root: Path, cid: str) -> Collected:
    """Collect the latest submission of every student and assignment from ``root/cid/inbound`` into the course,
    through ``collect``. A submission older than the one already collected (by its ``timestamp.txt``) is left,
    as nbgrader's collect leaves it."""
    from nbgrader.utils import parse_utc
    inbound = _course_folder(root, cid) / "inbound"
    if not inbound.is_dir():
        raise ExchangeError(f"{inbound} does not exist: no student has submitted to course {cid} yet")
    report = Collected()
    kept = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sub in latest_submissions(inbound, set(ws.assignments()), report):
            have = submission_time(ws.submitted(sub.student, sub.assignment) / TIMESTAMP)
            if have is not None and parse_utc(have) > sub.when:
                report.ignored.append(f"inbound/{sub.path.name} (older than the collected submission of {have})")
                continue
            try:
                kept[(sub.student, sub.assignment)] = _lay_out(sub, Path(tmp) / sub.student / sub.assignment)
            except OSError as exc:
                report.rejected.append(f"inbound/{sub.path.name} (cannot be read: {exc.strerror or exc})")
                shutil.rmtree(Path(tmp) / sub.student / sub.assignment, ignore_errors=True)
        done = collect(ws, Path(tmp))
    for name in ("submissions", "ignored", "rejected", "renamed"):
        getattr(report, name).extend(getattr(done, name))
    for student, assignment in done.submissions:
        record = kept[(student, assignment)]
        graded = sorted(p.stem for p in ws.submitted(student, assignment).glob("*.ipynb"))
        # the lone notebook collect renamed: the student's copy (and so fetch_feedback) knows it by its own name
        pairs = (zip(record["notebooks"], graded) if len(graded) == len(record["notebooks"]) == 1
                 else ((n, n) for n in record["notebooks"] if n in graded))
        write_json(record_path(ws, student, assignment),
                   dict(record, course_id=cid, notebooks=dict(pairs),
                        submission=ws.submission_hash(student, assignment)))
    return report


def release_feedback(ws: Workspace, root: Path, cid: str) -> Released:
    """Put the feedback page of every notebook collected from the exchange into ``root/cid/feedback/`` under
    the name nbgrader's release_feedback gives it, where the student's fetch_feedback looks."""
    from nbgrader.utils import notebook_hash
    out = Released(folder=_course_folder(root, cid) / "feedback")
    if not out.folder.is_dir():
        out.folder.mkdir()
        out.folder.chmod(0o711)           # nbgrader's mode: a student reads a page whose name they know, lists none
    for path in sorted((ws.state / "exchange").glob("*/*.json")):
        student, assignment = path.parent.name, path.stem
        record = json.loads(path.read_text())
        what = f"{student}/{assignment}"
        if record["course_id"] != cid:
            out.skipped.append(f"{what} (collected from course {record['course_id']}'s exchange)")
        elif not ws.has_submission(student, assignment) \
                or ws.submission_hash(student, assignment) != record["submission"]:
            out.skipped.append(f"{what} (collected again since, not from the exchange)")
        elif not record["secret"]:
            out.skipped.append(f"{what} (its exchange folder {record['inbound']} has no readable {SECRET}, which "
                               f"names the feedback)")
        else:
            for handed_in, graded in record["notebooks"].items():
                folder = ws.feedback(student, assignment)
                # a submission that could not be graded has one status page, named after the assignment
                page = next((p for p in (folder / f"{graded}.html", folder / f"{assignment}.html") if p.is_file()),
                            None)
                if page is None:
                    out.skipped.append(f"{what}/{handed_in}.ipynb (no feedback page: autograde it first)")
                    continue
                name = notebook_hash(secret=record["secret"], notebook_id=handed_in)
                tmp = out.folder / f"{name}-tmp.html"
                shutil.copyfile(page, tmp)
                tmp.chmod(0o644)
                os.replace(tmp, out.folder / f"{name}.html")    # a student fetching now sees the whole page
                out.pages.append((student, assignment, handed_in))
    return out
