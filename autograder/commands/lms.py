"""Bulk downloads from Canvas and Moodle, turned into ``<student_id>/<assignment_id>/<notebook>`` folders.

An LMS names each file after the student, not after the course's student ids:

- **Canvas** ("Download Submissions"): one flat zip, each file named ``<name>_<user id>_<submission id>_<file>``
  (``<name>`` is the sortable name lower-cased with everything but letters and digits removed, e.g.
  ``doejane``; a late submission has ``_LATE`` after it, e.g. ``doejane_LATE_4711_991_02_forward_pass.ipynb``).
- **Moodle** ("Download all submissions"): ``<Full Name>_<participant id>_assignsubmission_file_`` either as a
  folder holding the student's files or as the prefix of each file's name, e.g.
  ``Jane Doe_181_assignsubmission_file_/02_forward_pass.ipynb``.

A roster (CSV) maps them to student ids: a ``student_id`` column, plus for Canvas a ``canvas_user_id`` column
and for Moodle a ``moodle_participant_id`` column; an optional ``name`` column lets a file be matched by name
when its id is not in the roster (only if exactly one roster row has that name). Every file that cannot be
matched is reported, never guessed.
"""
from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

LMS_NAMES = ("canvas", "moodle")
ID_COLUMNS = {"canvas": ("canvas_user_id", "canvas_id", "user_id"),
              "moodle": ("moodle_participant_id", "participant_id")}
CANVAS = re.compile(r"^(?P<name>[a-z0-9]*?)(?P<late>_late)?_(?P<id>\d+)_(?:\d+_)?(?P<file>.+)$", re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_[a-z]+_(?P<file>.*)$", re.IGNORECASE)


class RosterError(ValueError):
    pass


@dataclass
class Roster:
    by_id: dict[str, str]                  # LMS id → student id
    by_name: dict[str, list[str]]          # normalised name → student ids with that name

    def match(self, lms_id: str, name: str) -> str | None:
        if lms_id in self.by_id:
            return self.by_id[lms_id]
        ids = self.by_name.get(_key(name), [])
        return ids[0] if len(ids) == 1 else None


def _key(name: str) -> str:
    """A name reduced to lower-case letters and digits ("Doe, Jane" → "doejane")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _name_keys(name: str) -> set[str]:
    """The keys a roster name can appear under: as written, and surname first the way Canvas sorts it."""
    if "," in name:                                  # already "Surname, Given"
        last, first = name.split(",", 1)
        return {_key(last + first), _key(first + last)}
    words = name.split()
    return {_key(name), _key(" ".join(words[-1:] + words[:-1]))}


def read_roster(path: Path, lms: str) -> Roster:
    """Read the roster CSV for ``lms``; a missing column or a duplicated id is a ``RosterError``."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    columns = set(rows[0]) if rows else set()
    id_column = next((c for c in ID_COLUMNS[lms] if c in columns), None)
    if "student_id" not in columns or id_column is None:
        raise RosterError(f"roster {path} needs the columns student_id and {ID_COLUMNS[lms][0]} "
                          f"(found: {', '.join(sorted(columns)) or 'nothing'})")
    by_id, by_name = {}, {}
    for row in rows:
        lms_id, student = (row.get(id_column) or "").strip(), (row.get("student_id") or "").strip()
        if not student:
            continue
        if lms_id:
            if lms_id in by_id and by_id[lms_id] != student:
                raise RosterError(f"roster {path}: {id_column} {lms_id} belongs to both {by_id[lms_id]} and {student}")
            by_id[lms_id] = student
        for key in _name_keys(row.get("name") or ""):
            if key and student not in by_name.setdefault(key, []):
                by_name[key].append(student)
    return Roster(by_id, by_name)


def _entries(root: Path, lms: str):
    """(lms id, name, file name, path, marked late) for every file of the download."""
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root)
        if lms == "canvas":
            found = CANVAS.match(rel.name) if len(rel.parts) == 1 else None
            if found:
                yield found["id"], found["name"], found["file"], path, bool(found["late"])
            else:
                yield None, None, str(rel), path, False
        else:
            found = MOODLE.match(rel.parts[0])
            if found and len(rel.parts) > 1:               # "<name>_<id>_assignsubmission_file_/<file>"
                yield found["id"], found["name"], "/".join(rel.parts[1:]), path, False
            elif found and found["file"]:                  # the flat form
                yield found["id"], found["name"], found["file"], path, False
            else:
                yield None, None, str(rel), path, False


def _canvas_name(file_name: str) -> str:
    """Canvas adds ``-1``, ``-2``… to a re-submitted file's name: ``02_forward_pass-1.ipynb``."""
    return re.sub(r"-\d+(\.ipynb)$", r"\1", file_name)


def arrange(root: Path, dest: Path, lms: str, roster: Roster, assignment: str):
    """Lay the extracted download under ``root`` out as ``dest/<student_id>/<assignment>/<file>``.

    Returns ``(placed, unmatched, ignored, zips, late)``: lists of report lines, ``(student, path)`` for each zip
    file a student handed in (``collect`` opens those: they may be ``nnlab.submit``'s submission zips), and the
    students whose files the LMS marked late (Canvas's ``_LATE``, which says no time). Other
    files that are not notebooks are ignored. (``collect`` then treats the folders like any other submission:
    a lone notebook under another name is renamed and flagged there.)
    """
    placed, unmatched, ignored, zips, late = [], [], [], [], set()
    per_student: dict[str, list[tuple[str, Path]]] = {}
    for lms_id, name, file_name, path, marked_late in _entries(root, lms):
        rel = str(path.relative_to(root))
        if lms_id is None:
            unmatched.append(f"{rel} (not a {lms} submission file name)")
            continue
        student = roster.match(lms_id, name)
        if student is None:
            unmatched.append(f"{rel} ({lms} id {lms_id}, name {name!r}: not in the roster)")
            continue
        if marked_late:
            late.add(student)
        if file_name.lower().endswith(".zip"):
            zips.append((student, path))
            continue
        if not file_name.endswith(".ipynb"):
            ignored.append(f"{rel} (not a notebook)")
            continue
        per_student.setdefault(student, []).append((_canvas_name(Path(file_name).name), path))
    for student, files in sorted(per_student.items()):
        folder = dest / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, path in files:
            shutil.copyfile(path, folder / file_name)
            placed.append(f"{student}/{assignment}/{file_name}")
    return placed, unmatched, ignored, zips, late
