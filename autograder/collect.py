"""Collect submissions laid out ``<student_id>/<assignment_id>/*.ipynb``, from a folder or a .zip of one.

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


def collect(ws: Workspace, path: Path) -> Collected:
    """Copy every ``<student>/<assignment>/*.ipynb`` under ``path`` into ``submitted/``, replacing earlier ones."""
    path = Path(path)
    report = Collected()
    assignments = set(ws.assignments())
    with tempfile.TemporaryDirectory() as tmp:
        if path.is_file() and zipfile.is_zipfile(path):
            root = Path(tmp)
            safe_extract(path, root, report)
        elif path.is_dir():
            root = path
        else:
            raise FileNotFoundError(f"{path} is neither a folder nor a .zip file")
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
                for nb in notebooks:
                    shutil.copyfile(nb, dest / nb.name)
                report.submissions.append((student_dir.name, item.name))
    return report
