"""Deadlines: when each submission was handed in, when it was due, and what the course's late policy takes off.

When it was handed in (``arrival``), in this order: the time nbgrader's exchange wrote (``timestamp.txt`` beside
the notebooks), the time an LMS download carries; then the time in the student kit's submission manifest
(``packed_utc``); then the notebook file's modification time where collection saw a meaningful one — and which
one was used is kept (``unknown`` when none: such a submission is never late). A manifest more
than a minute away from the exchange's time is flagged. Canvas marks late work ``_LATE`` without saying by how
much: such a submission is late by an unknown amount, which costs one started day and is flagged.

Due dates and extensions live in the gradebook (nbgrader's ``duedate`` and ``extension``), the late policy in the
course's ``nnlab.toml`` (none, zero, or a percentage of the assignment's maximum per started day, capped), and
each submission's penalty, in points, in nbgrader's late-submission-penalty field (``record_penalties``). All
times are UTC; nbgrader keeps them without a zone.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from autograder.course import gradebook, settings
from autograder.course.workspace import Workspace

POLICIES = ("none", "zero", "per-day")
DAY = timedelta(days=1)
TOLERANCE = timedelta(minutes=1)       # how far a kit's manifest may be from the exchange's time
TIMESTAMP = "timestamp.txt"            # nbgrader's exchange writes the submission time here


@dataclass
class Arrival:
    at: datetime | None                # naive UTC
    source: str                        # exchange | lms | manifest | file | unknown
    late_unknown: bool = False         # an LMS said late without a time
    flags: list[str] = field(default_factory=list)


def parse_when(text: str) -> datetime:
    """An ISO 8601 date and time with a UTC offset (``2026-10-05T23:59+02:00``, ``…Z``) as naive UTC."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date and time, e.g. 2026-10-05T23:59+02:00") from None
    if when.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset: say which time zone, e.g. {text.strip()}+02:00 or "
                         f"{text.strip()}Z")
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def iso(when: datetime | None) -> str:
    """A naive UTC time written with its offset: ``2026-10-05T21:59:00+00:00`` ("" for None)."""
    return "" if when is None else when.replace(tzinfo=timezone.utc, microsecond=0).isoformat()


def duration(late_by: timedelta | None) -> str:
    """``26:05:13`` (hours may pass 24); "" for None."""
    if late_by is None:
        return ""
    seconds = int(late_by.total_seconds())
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def read_time(text: str) -> datetime | None:
    """A time as nbgrader reads one (its exchange's ``2026-10-05 21:59:00.123456 UTC``, or ISO 8601) as naive UTC;
    None when it is not one."""
    from nbgrader.utils import parse_utc
    try:
        return parse_utc(text.strip()) if text.strip() else None
    except (ValueError, OverflowError):
        return None


def arrival_path(ws: Workspace, student: str, assignment: str) -> Path:
    """What collection saw of a submission's arrival (autograder/commands/collect.py's ``arrival_note``)."""
    return ws.state / "arrivals" / student / f"{assignment}.json"


def arrival(ws: Workspace, student: str, assignment: str) -> Arrival:
    """When a collected submission was handed in, and from which source (see the module docstring)."""
    folder = ws.submitted(student, assignment)
    note_file = arrival_path(ws, student, assignment)
    note = json.loads(note_file.read_text()) if note_file.exists() else {}
    manifest = ws.manifest(student, assignment) or {}
    packed = read_time(str(manifest.get("packed_utc", "")))
    stamp = read_time((folder / TIMESTAMP).read_text()) if (folder / TIMESTAMP).is_file() else None
    if stamp is not None:
        found = Arrival(stamp, "exchange")
    elif note.get("submitted_at"):
        found = Arrival(read_time(note["submitted_at"]), "lms")
    elif packed is not None:
        found = Arrival(packed, "manifest")
    elif note.get("file_time"):
        found = Arrival(read_time(note["file_time"]), "file")
    else:
        found = Arrival(None, "unknown")
    if found.source in ("exchange", "lms") and packed is not None and found.at is not None \
            and abs(found.at - packed) > TOLERANCE:
        found.flags.append(f"the kit's manifest says it was packed at {iso(packed)}, the {found.source} says it "
                           f"was handed in at {iso(found.at)}")
    if note.get("late") and found.source != "lms":
        found.late_unknown = True
        found.flags.append(f"{(note.get('lms') or 'the LMS').capitalize()} marked it late without saying by how "
                           f"much: one started day's penalty")
    return found


def due_for(due: datetime | None, extension: timedelta | None) -> datetime | None:
    return None if due is None else due + (extension or timedelta(0))


def late_by(at: datetime | None, due: datetime | None) -> timedelta | None:
    """How late (None when on time, or when either time is unknown)."""
    return at - due if at is not None and due is not None and at > due else None


def penalty_share(policy: dict, late: timedelta | None, late_unknown: bool) -> float:
    """The share of an assignment's maximum the policy takes off (0 … 1)."""
    if late is None and not late_unknown:
        return 0.0
    if policy["late_policy"] == "zero":
        return 1.0
    if policy["late_policy"] == "per-day":
        days = max(1, math.ceil(late / DAY)) if late is not None else 1
        return min(days * policy["late_per_day"], policy["late_max"]) / 100.0
    return 0.0


def record_penalties(ws: Workspace, pairs: list[tuple[str, str]] | None = None) -> int:
    """Compute the late penalties of the gradebook's submissions (``pairs``: only these) under the course's policy
    and record them in the gradebook, per notebook in proportion to its points; returns how many are late."""
    from autograder.pipeline.results import layout, load
    policy = settings.load(ws.course)
    due, handed = gradebook.deadlines(ws.db_url, pairs[0] if pairs is not None and len(pairs) == 1 else None)
    out, late_count, layouts = {}, 0, {}
    for key in (pairs if pairs is not None else list(handed)):
        if key not in handed:
            continue
        student, assignment = key
        kept = load(ws, student, assignment)
        unknown = bool(kept and kept.late_unknown)
        late = late_by(handed[key].timestamp, due_for(due.get(assignment), handed[key].extension))
        share = penalty_share(policy, late, unknown)
        late_count += late is not None or unknown
        if assignment not in layouts:
            layouts[assignment] = layout(ws, assignment)
        per_notebook: dict[str, float] = {}
        for notebook, cell in layouts[assignment]:
            per_notebook[notebook] = per_notebook.get(notebook, 0.0) + share * cell["points"]
        out[key] = per_notebook
    gradebook.set_late_penalties(ws.db_url, out)
    return late_count
