"""Collect submissions laid out ``<student_id>/<assignment_id>/*.ipynb``, from a folder or a .zip of one, or
from a Canvas or Moodle bulk download with a roster (``autograder/commands/lms.py``).

Students' submission zips (``python -m nnlab.submit``, ``make submit``) are read wherever they arrive: given
directly, lying in the collected folder, or handed in through the LMS. Their manifest
(``<student>/submission.json``: when it was packed, which nnlab or kit, each notebook's sha256) is kept with the
submission, and a notebook that does not match it, or a zip whose student id is not the one it was collected
for (the roster's student wins), is flagged for the instructor.

Only notebooks of known assignments are copied, with nbgrader's ``timestamp.txt`` beside them when there is one
(the time nbgrader's exchange wrote: it becomes the gradebook's submission time); everything else is listed as
ignored. Zip entries with absolute paths, ``..`` components or symbolic links are rejected and listed, never
extracted.
"""
from __future__ import annotations

import json
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from nnlab.submit import MANIFEST, STUDENT_ID, sha256

from autograder.course.deadlines import TIMESTAMP, arrival_path, read_time
from autograder.course.workspace import Workspace, write_json

MAX_ID = 64            # characters of a student id (STUDENT_ID) or an error quoted from a submission's manifest


@dataclass
class Collected:
    submissions: list[tuple[str, str]] = field(default_factory=list)   # (student, assignment)
    ignored: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)      # a lone notebook given the assignment's name (flagged)
    unmatched: list[str] = field(default_factory=list)    # LMS imports: files no roster row claims


def safe_extract(archive: Path, dest: Path, report: Collected) -> None:
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            is_link = stat.S_ISLNK(info.external_attr >> 16)
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts or is_link:
                why = "a link" if is_link else "path outside the folder"
                report.rejected.append(f"{name} (unsafe zip entry: {why})")
                continue
            if info.is_dir():
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)


def is_submission_zip(path: Path) -> bool:
    """A zip made by ``nnlab.submit``: it holds ``<student>/submission.json``."""
    try:
        with zipfile.ZipFile(path) as zf:
            return any(PurePosixPath(n).name == MANIFEST and len(PurePosixPath(n).parts) == 2 for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def unpack_submission_zips(root: Path, into: Path, report: Collected) -> list[Path]:
    """Extract every submission zip lying directly in ``root``; returns the folders holding their contents."""
    roots = []
    for archive in sorted(p for p in root.glob("*.zip") if p.is_file() and not p.is_symlink()):
        if not is_submission_zip(archive):
            report.ignored.append(f"{archive.name} (a zip, but not one made by nnlab.submit)")
            continue
        dest = into / f"zip-{len(roots)}"
        safe_extract(archive, dest, report)
        roots.append(dest)
    return roots


def place_lms_zip(archive: Path, student: str, assignment: str, dest: Path, unpacked: Path, report: Collected) -> None:
    """A submission zip handed in through an LMS, for the roster's ``student``: its notebooks of ``assignment``
    and its manifest laid out under ``dest/<student>/`` (whatever id the zip itself carries); ``unpacked`` is
    an empty folder to extract it into."""
    if not is_submission_zip(archive):
        report.ignored.append(f"{archive.name} (a zip, but not one made by nnlab.submit)")
        return
    safe_extract(archive, unpacked, report)
    for inner in sorted(p for p in unpacked.iterdir() if p.is_dir()):
        folder = inner / assignment
        notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
        if not notebooks:
            report.ignored.append(f"{archive.name}: {inner.name}/ (no notebook of {assignment})")
            continue
        (dest / student / assignment).mkdir(parents=True, exist_ok=True)
        for nb in notebooks:
            shutil.copyfile(nb, dest / student / assignment / nb.name)
        if (inner / MANIFEST).is_file():
            shutil.copyfile(inner / MANIFEST, dest / student / MANIFEST)
        report.ignored += [f"{archive.name}: {inner.name}/{other.name} (not {assignment}, the LMS assignment)"
                           for other in sorted(inner.iterdir()) if other.is_dir() and other.name != assignment]


def manifest_flags(manifest_path: Path, student: str, assignment: str, notebooks: list[Path]):
    """``(manifest, flags)``: the manifest of a submission zip (None if unreadable), and what in it an instructor
    should look at."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed = manifest["notebooks"]
        if not isinstance(listed, dict):
            raise TypeError("notebooks is not a mapping")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, [f"the submission's manifest could not be read ({type(exc).__name__}: {str(exc)[:MAX_ID]})"]
    flags = []
    zip_id = str(manifest.get("student_id"))[:MAX_ID]
    if zip_id != student:
        flags.append(f"the submission zip carries the student id {zip_id}; it was collected for {student}")
    for nb in notebooks:
        want = listed.get(f"{assignment}/{nb.name}")
        if want is None:
            flags.append(f"{nb.name} is not in the submission's manifest")
        elif want != sha256(nb):
            flags.append(f"{nb.name} is not the notebook that was packed (its sha256 differs from the manifest's)")
    return manifest, flags


def submission_time(path: Path) -> str | None:
    """The text of an nbgrader ``timestamp.txt`` when nbgrader can read it as a time (its autograde would fail
    on one it cannot), else None."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if read_time(text) is not None else None


def arrival_note(lms: str | None, late: bool, notebooks: list[Path], from_folder: bool) -> dict:
    """What collection saw of when a submission came (autograder/course/deadlines.py): the LMS it came through and
    whether that LMS marked it late, and the notebooks' file time where it means something — files in a folder
    handed to collect, not files unpacked from a zip or laid out from an LMS download (their time is today's)."""
    mtime = max(n.stat().st_mtime for n in notebooks) if from_folder and notebooks else None
    return {"lms": lms, "late": late,
            "file_time": None if mtime is None else datetime.fromtimestamp(mtime, timezone.utc).isoformat()}


def collect(ws: Workspace, path: Path, lms: str | None = None, roster: Path | None = None,
            assignment: str | None = None) -> Collected:
    """Copy every ``<student>/<assignment>/*.ipynb`` under ``path`` into ``submitted/``, replacing earlier ones.

    With ``lms`` ("canvas" or "moodle"), ``path`` is that LMS's bulk download of ``assignment`` and ``roster``
    the CSV that maps its names and ids to student ids.
    """
    path = Path(path)
    report = Collected()
    late: set[str] = set()                 # students whose files the LMS marked late
    assignments = set(ws.assignments())
    with tempfile.TemporaryDirectory() as tmp:
        if path.is_file() and zipfile.is_zipfile(path):
            root = Path(tmp) / "download"
            safe_extract(path, root, report)
        elif path.is_dir():
            root = path
        else:
            raise FileNotFoundError(f"{path} is neither a folder nor a .zip file")
        if lms is not None:
            from autograder.commands.lms import arrange, read_roster
            laid_out = Path(tmp) / "laid-out"
            laid_out.mkdir()
            _, report.unmatched, ignored, zips, late = arrange(root, laid_out, lms, read_roster(roster, lms),
                                                              assignment)
            report.ignored += ignored
            for k, (student, archive) in enumerate(zips):
                place_lms_zip(archive, student, assignment, laid_out, Path(tmp) / f"lms-zip-{k}", report)
            roots = [laid_out]
        else:
            root.mkdir(exist_ok=True)
            roots = [root, *unpack_submission_zips(root, Path(tmp), report)]
        student_dirs = [p for r in roots for p in sorted(r.iterdir()) if not (p.suffix == ".zip" and p.is_file())]
        for student_dir in student_dirs:
            if not student_dir.is_dir() or student_dir.is_symlink():
                report.ignored.append(f"{student_dir.name} (not a student folder)")
                continue
            if not STUDENT_ID.match(student_dir.name):
                report.ignored.append(f"{student_dir.name}/ (not a valid student id)")
                continue
            manifest_path = student_dir / MANIFEST
            for item in sorted(student_dir.iterdir()):
                if item == manifest_path:
                    continue
                if not item.is_dir() or item.name not in assignments:
                    report.ignored.append(f"{student_dir.name}/{item.name} (not an assignment of this course)")
                    continue
                notebooks = [n for n in sorted(item.rglob("*")) if n.is_file() and not n.is_symlink()
                             and n.suffix == ".ipynb" and n.parent == item]
                stamp = item / TIMESTAMP
                when = submission_time(stamp) if stamp.is_file() and not stamp.is_symlink() else None
                report.ignored += [f"{student_dir.name}/{item.name}/{n.relative_to(item)} (not a submitted notebook)"
                                   for n in sorted(item.rglob("*")) if n.is_file() and n not in notebooks
                                   and ".ipynb_checkpoints" not in n.parts and (n != stamp or when is None)]
                if not notebooks:
                    continue
                dest = ws.submitted(student_dir.name, item.name)
                if dest.exists():
                    shutil.rmtree(dest)
                dest.mkdir(parents=True)
                names = {nb: nb.name for nb in notebooks}
                expected = [p.name for p in ws.source_notebooks(item.name)]
                flags = []
                if len(expected) == 1 and len(notebooks) == 1 and notebooks[0].name != expected[0]:
                    names[notebooks[0]] = expected[0]      # a lone notebook under another name: graded, flagged
                    flags.append(f"the notebook was handed in as {notebooks[0].name} and graded as {expected[0]}")
                    report.renamed.append(f"{student_dir.name}/{item.name}/{notebooks[0].name} → {expected[0]}")
                for nb, name in names.items():
                    shutil.copyfile(nb, dest / name)
                if when is not None:
                    (dest / TIMESTAMP).write_text(when)
                manifest = None
                if manifest_path.is_file():
                    manifest, manifest_problems = manifest_flags(manifest_path, student_dir.name, item.name, notebooks)
                    flags += manifest_problems
                ws.set_manifest(student_dir.name, item.name, manifest)
                ws.set_flags(student_dir.name, item.name, flags)
                write_json(arrival_path(ws, student_dir.name, item.name),
                           arrival_note(lms, student_dir.name in late, notebooks,
                                        lms is None and path.is_dir() and student_dir.parent == root))
                report.submissions.append((student_dir.name, item.name))
    return report
