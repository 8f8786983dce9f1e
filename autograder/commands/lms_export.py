"""Grades back into Canvas and Moodle: the LMS's own grade file, filled in, and Moodle's feedback zip.

nnlab never writes an LMS file from scratch: the instructor downloads the LMS's grade file (Canvas's gradebook
export, Moodle's grading worksheet of one assignment), and nnlab fills in the scores (``Record.score``) of the
assignments it grades. Every other cell, row and column is kept as it was read, and so are the file's byte-order
mark, line endings and quoting, so the LMS imports it as its own. Students are matched through the roster of
``commands/lms.py`` (``read_roster``), by id only: a row or a student that cannot be matched is reported and
left alone, never guessed. A submission that is missing leaves its cell as it was. docs/lms-export.md describes
both formats.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.commands.lms import Roster, read_roster
from autograder.pipeline.results import Record

CANVAS_FILE = "canvas_import.csv"
CANVAS_ID = "ID"                                        # Canvas's user id: the roster's canvas_user_id
CANVAS_SIS = {"SIS User ID": "sis_user_id", "SIS Login ID": "sis_login_id"}   # matched where the roster has them
CANVAS_HEADER = re.compile(r"^(?P<name>.*?)\s*\((?P<id>\d+)\)$")      # "02_forward_pass (12345)"
POINTS_POSSIBLE = "Points Possible"
MOODLE_ID, MOODLE_GRADE, MOODLE_MAX, MOODLE_MODIFIED = "Identifier", "Grade", "Maximum Grade", "Last modified (grade)"
MOODLE_LOCKED = "Grade can be changed"
MOODLE_PARTICIPANT = re.compile(r"(\d+)\s*$")          # "Participant 181"
MOODLE_NUMBER = re.compile(r"^\s*\d+(?:([.,])(\d+))?\s*$")
MOODLE_FOLDER = "assignsubmission_file_"                # the download's plugin part, which the upload reads back


class LmsExportError(ValueError):
    """The LMS file or an option cannot be used: one line saying why."""


@dataclass
class Sheet:
    """A CSV file as read, with what it takes to write it back the same way."""
    rows: list[list[str]]
    bom: bool
    newline: str
    quote_all: bool
    final_newline: bool


def read_sheet(path: Path) -> Sheet:
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LmsExportError(f"{path} is not UTF-8 text (export it again from the LMS as CSV)") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not rows[0]:
        raise LmsExportError(f"{path} has no header row")
    first = text.splitlines()[0]
    quote_all = re.fullmatch(r'"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*', first) is not None
    newline = "\r\n" if "\r\n" in text else "\n"
    return Sheet(rows, raw.startswith(codecs.BOM_UTF8), newline, quote_all, text.endswith(("\n", "\r")))


def write_sheet(sheet: Sheet, path: Path) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=sheet.newline,
               quoting=csv.QUOTE_ALL if sheet.quote_all else csv.QUOTE_MINIMAL).writerows(sheet.rows)
    text = out.getvalue()
    if not sheet.final_newline:
        text = text[:-len(sheet.newline)]
    Path(path).write_bytes((codecs.BOM_UTF8 if sheet.bom else b"") + text.encode("utf-8"))


def roster_column(path: Path, column: str) -> dict[str, str]:
    """student id → the roster's optional ``column`` (a name, an SIS id), where the roster has it filled."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return {row["student_id"].strip(): (row.get(column) or "").strip() for row in csv.DictReader(f)
                if (row.get("student_id") or "").strip() and (row.get(column) or "").strip()}


def _index(header: list[str], name: str, path: Path, what: str) -> int:
    if name not in header:
        raise LmsExportError(f"{path} is not {what}: it has no {name!r} column")
    return header.index(name)


def canvas_columns(header: list[str], assignments: list[str], given: dict[str, str]) -> dict[str, int | str]:
    """Each assignment's column index, found by the name before its Canvas id in the header or given as
    ``ASSIGNMENT=HEADER``; where there is none (or more than one), why."""
    found: dict[str, int | str] = {}
    for a in assignments:
        if a in given:
            hits = [i for i, h in enumerate(header) if h.strip() == given[a].strip()]
            if not hits:
                raise LmsExportError(f"--column {a}={given[a]}: the Canvas file has no column {given[a]!r} "
                                     f"(nnlab never adds one: Canvas would make it a new assignment)")
        else:
            hits = [i for i, h in enumerate(header)
                    if (m := CANVAS_HEADER.match(h.strip())) and m["name"] == a or h.strip() == a]
        if len(hits) == 1:
            found[a] = hits[0]
        else:
            found[a] = ("no column" if not hits else f"{len(hits)} columns ({', '.join(header[i] for i in hits)})")
    return found


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _max_note(a: str, lms: str, theirs: float | None, records: list[Record]) -> list[str]:
    """A line when the LMS's maximum for ``a`` is not nnlab's: the scores written are nnlab's points."""
    ours = next((r.max_score for r in records if r.assignment == a and r.status != "missing"), None)
    if theirs is None or ours is None or abs(theirs - ours) < 1e-9:
        return []
    return [f"{a}: {lms} gives it {theirs:g} points, nnlab {ours:g}: the scores written are nnlab's points"]


def _fill(a: str, records: dict[tuple[str, str], Record], student: str, row: list[str], column: int, text) -> str:
    """Write ``student``'s score for ``a`` into ``row[column]``; return 'filled' or 'missing' (left as it was)."""
    r = records.get((student, a))
    if r is None or r.status == "missing":
        return "missing"
    row[column] = text(r.score)
    return "filled"


def _summary(a: str, counts: dict[str, int], where: str) -> list[str]:
    lines = [f"{a}: {counts.get('filled', 0)} scores written into {where}"]
    if counts.get("missing"):
        lines.append(f"{a}: {counts['missing']} students had no submission: left empty")
    return lines


def _not_in_file(records: list[Record], roster: Roster, seen: set[str], lms: str) -> list[str]:
    ids = {}
    for lms_id, student in roster.by_id.items():
        ids.setdefault(student, lms_id)
    return [f"unmatched: {s} is in nnlab but not in the {lms} file"
            + (f" ({lms} id {ids[s]})" if s in ids else " (nor in the roster)")
            for s in sorted({r.student_id for r in records} - seen)]


def fill_canvas(rows: list[list[str]], records: list[Record], assignments: list[str], roster: Roster,
                sis: dict[str, dict[str, str]], given: dict[str, str], path: Path) -> tuple[list[list[str]], list[str]]:
    """Canvas's gradebook export with each assignment's scores filled in, and the report's lines.

    ``sis``: the Canvas header ("SIS User ID", "SIS Login ID") → {that id → student id}, from the roster."""
    header, rows = rows[0], [list(row) for row in rows]
    id_col = _index(header, CANVAS_ID, path, "a Canvas gradebook export")
    sis_cols = {header.index(h): ids for h, ids in sis.items() if h in header and ids}
    columns = canvas_columns(header, assignments, given)
    by = {(r.student_id, r.assignment): r for r in records}
    counts: dict[str, dict[str, int]] = {a: {} for a in assignments}
    lines, seen, points = [], set(), {}
    for row in rows[1:]:
        cell = row[id_col].strip() if id_col < len(row) else ""
        if not cell:             # "Points Possible" and the posting-policy / read-only rows: no student's
            if row and row[0].strip() == POINTS_POSSIBLE:
                points = {a: _number(row[c]) for a, c in columns.items() if isinstance(c, int) and c < len(row)}
            continue
        student = roster.by_id.get(cell) or next(
            (ids[row[c].strip()] for c, ids in sis_cols.items() if c < len(row) and row[c].strip() in ids), None)
        if student is None:
            lines.append(f"unmatched: {row[0]!r} (Canvas ID {cell}) is in the Canvas file but not in the roster: "
                         f"row kept as it was")
            continue
        seen.add(student)
        row.extend([""] * (len(header) - len(row)))
        for a, c in columns.items():
            if isinstance(c, int):
                outcome = _fill(a, by, student, row, c, lambda score: f"{score:g}")
                counts[a][outcome] = counts[a].get(outcome, 0) + 1
    for a, c in columns.items():
        if isinstance(c, int):
            lines += _summary(a, counts[a], f"column {header[c]!r}") + _max_note(a, "Canvas", points.get(a), records)
        else:
            lines.append(f"{a}: not written: the Canvas file has {c} for it (give --column {a}=HEADER)")
    return rows, lines + _not_in_file(records, roster, seen, "Canvas")


def moodle_number(rows: list[list[str]], max_col: int | None) -> tuple[str, int]:
    """The worksheet's decimal separator and decimals, as Moodle wrote its Maximum Grade ("10.00", "10,00")."""
    for row in rows[1:]:
        m = MOODLE_NUMBER.match(row[max_col]) if max_col is not None and max_col < len(row) else None
        if m:
            return m[1] or ".", len(m[2] or "")
    return ".", 2


def fill_moodle(rows: list[list[str]], records: list[Record], assignment: str, roster: Roster,
                path: Path) -> tuple[list[list[str]], list[str]]:
    """Moodle's grading worksheet of ``assignment`` with its Grade column filled in, and the report's lines."""
    header, rows = rows[0], [list(row) for row in rows]
    what = "a Moodle grading worksheet"
    id_col, grade_col = _index(header, MOODLE_ID, path, what), _index(header, MOODLE_GRADE, path, what)
    _index(header, MOODLE_MODIFIED, path, what)        # Moodle refuses a worksheet without it
    max_col = header.index(MOODLE_MAX) if MOODLE_MAX in header else None
    locked_col = header.index(MOODLE_LOCKED) if MOODLE_LOCKED in header else None
    sep, decimals = moodle_number(rows, max_col)
    by = {(r.student_id, r.assignment): r for r in records if r.assignment == assignment}
    counts: dict[str, int] = {}
    lines, seen, maximum = [], set(), None
    for row in rows[1:]:
        cell = row[id_col].strip() if id_col < len(row) else ""
        m = MOODLE_PARTICIPANT.search(cell)
        if not m:
            continue
        student = roster.by_id.get(m[1])
        if student is None:
            lines.append(f"unmatched: {cell} is in the Moodle worksheet but not in the roster: row kept as it was")
            continue
        seen.add(student)
        row.extend([""] * (len(header) - len(row)))
        if max_col is not None and maximum is None:
            maximum = _number(row[max_col])
        if locked_col is not None and row[locked_col].strip() == "No":
            lines.append(f"{assignment}: {student}'s grade is locked in Moodle (Grade can be changed: No): left as "
                         f"it was")
            continue
        outcome = _fill(assignment, by, student, row, grade_col,
                        lambda score: f"{score:.{decimals}f}".replace(".", sep))
        counts[outcome] = counts.get(outcome, 0) + 1
    lines += _summary(assignment, counts, "the Grade column") + _max_note(assignment, "Moodle", maximum, records)
    return rows, lines + _not_in_file([r for r in records if r.assignment == assignment], roster, seen, "Moodle")


def canvas_import(records: list[Record], assignments: list[str], gradebook: Path, roster_path: Path,
                  columns: dict[str, str], dest: Path) -> tuple[Path, list[str]]:
    """Write ``dest/canvas_import.csv`` from the instructor's Canvas gradebook export."""
    roster = read_roster(roster_path, "canvas")
    sis = {h: {v: s for s, v in roster_column(roster_path, c).items()} for h, c in CANVAS_SIS.items()}
    sheet = read_sheet(gradebook)
    sheet.rows, lines = fill_canvas(sheet.rows, records, assignments, roster, sis, columns, gradebook)
    Path(dest).mkdir(parents=True, exist_ok=True)
    write_sheet(sheet, Path(dest) / CANVAS_FILE)
    return Path(dest) / CANVAS_FILE, lines


def moodle_import(records: list[Record], assignment: str, worksheet: Path, roster_path: Path,
                  dest: Path) -> tuple[Path, list[str]]:
    """Write ``dest/moodle_import_<assignment>.csv`` from the assignment's Moodle grading worksheet."""
    roster = read_roster(roster_path, "moodle")
    sheet = read_sheet(worksheet)
    sheet.rows, lines = fill_moodle(sheet.rows, records, assignment, roster, worksheet)
    Path(dest).mkdir(parents=True, exist_ok=True)
    out = Path(dest) / f"moodle_import_{assignment}.csv"
    write_sheet(sheet, out)
    return out, lines


def moodle_folder(name: str, participant: str) -> str:
    """The per-participant folder of Moodle's download, which its feedback upload reads the participant from:
    the name with underscores made spaces (the upload splits on them) and no character a file name cannot hold."""
    clean = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", name.replace("_", " ")).strip() or "Participant"
    return f"{clean}_{participant}_{MOODLE_FOLDER}"


def moodle_feedback_zip(pages: dict[str, list[Path]], roster_path: Path, dest: Path) -> tuple[int, list[str]]:
    """Pack each student's feedback pages (student → pages) as Moodle's "upload multiple feedback files in a
    zip"; return the number of students packed and a line for each student the roster has no participant for."""
    roster = read_roster(roster_path, "moodle")
    names = roster_column(roster_path, "name")
    participant: dict[str, str] = {}
    for lms_id, student in sorted(roster.by_id.items()):
        participant.setdefault(student, lms_id)
    lines, packed = [], 0
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for student, files in sorted(pages.items()):
            if student not in participant:
                lines.append(f"unmatched: {student} has feedback but no moodle_participant_id in the roster: "
                             f"not packed")
                continue
            folder = moodle_folder(names.get(student, student), participant[student])
            for page in sorted(files):
                zf.write(page, f"{folder}/{page.name}")
            packed += 1
    return packed, lines
