"""Collect submissions laid out ``<student_id>/<assignment_id>/*.ipynb``, from a folder or a .zip of one, or
from a Canvas or Moodle bulk download with a roster (``autograder/lms.py``).

Only notebooks of known assignments are copied; everything else is listed as ignored. Zip entries with
absolute paths, ``..`` components or symbolic links are rejected and listed, never extracted.
"""
from __future__ import annotations

import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .workspace import Workspace

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


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
                report.rejected.append(f"{name} (unsafe zip entry: {'a link' if is_link else 'path outside the folder'})")
                continue
            if info.is_dir():
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)


def collect(ws: Workspace, path: Path, lms: str | None = None, roster: Path | None = None,
            assignment: str | None = None) -> Collected:
    """Copy every ``<student>/<assignment>/*.ipynb`` under ``path`` into ``submitted/``, replacing earlier ones.

    With ``lms`` ("canvas" or "moodle"), ``path`` is that LMS's bulk download of ``assignment`` and ``roster``
    the CSV that maps its names and ids to student ids.
    """
    path = Path(path)
    report = Collected()
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
            from .lms import arrange, read_roster
            laid_out = Path(tmp) / "laid-out"
            laid_out.mkdir()
            _, report.unmatched, ignored = arrange(root, laid_out, lms, read_roster(roster, lms), assignment)
            report.ignored += ignored
            root = laid_out
        root.mkdir(exist_ok=True)
        for student_dir in sorted(p for p in root.iterdir()):
            if not student_dir.is_dir() or student_dir.is_symlink():
                report.ignored.append(f"{student_dir.name} (not a student folder)")
                continue
            if not STUDENT_ID.match(student_dir.name):
                report.ignored.append(f"{student_dir.name}/ (not a valid student id)")
                continue
            for item in sorted(student_dir.iterdir()):
                if not item.is_dir() or item.name not in assignments:
                    report.ignored.append(f"{student_dir.name}/{item.name} (not an assignment of this course)")
                    continue
                notebooks = [n for n in sorted(item.rglob("*")) if n.is_file() and not n.is_symlink()
                             and n.suffix == ".ipynb" and n.parent == item]
                report.ignored += [f"{student_dir.name}/{item.name}/{n.relative_to(item)} (not a submitted notebook)"
                                   for n in sorted(item.rglob("*")) if n.is_file() and n not in notebooks
                                   and ".ipynb_checkpoints" not in n.parts]
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
                ws.set_flags(student_dir.name, item.name, flags)
                report.submissions.append((student_dir.name, item.name))
    return report
