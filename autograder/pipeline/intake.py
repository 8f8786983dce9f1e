"""Intake: look at a submitted notebook before nbgrader runs it: what makes it ungradable, and what needs a look.

``inspect_submission`` reads the student's file and compares its test cells with the release the student received
— of the recorded versions of the release (``course/releases.py``), the one whose test-cell checksums the file
carries, the latest when it carries none — so a test cell fixed in a later release is no edit of the student's:

- not UTF-8, not JSON, not notebook format 4, or not a valid notebook → an error: the submission is
  ``failed`` with that parse error, and nbgrader never runs it;
- a test cell appearing twice (copied) → flagged; nbgrader's ``DeduplicateIds`` keeps the first;
- a test cell deleted → flagged; nbgrader puts it back from the gradebook (``add_missing_cells``);
- a test cell edited or emptied, its type changed, or its nbgrader metadata changed or removed → flagged;
  nbgrader grades the source version (its ``OverwriteCells``, or a restore when the metadata is gone).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import nbformat

from autograder import limits
from autograder.course.releases import METADATA, received
from autograder.integration.cells import is_test_cell


def _tests(nb) -> list:
    return [c for c in nb.cells if is_test_cell(c)]


def read_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a format-4 notebook, or None."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"the notebook file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
                f"save it again from Jupyter")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"the notebook file is not valid notebook JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        found = data.get("nbformat") if isinstance(data, dict) else type(data).__name__
        return f"the file is not a notebook in format 4 (nbformat: {found}); open it in JupyterLab and save it again"
    try:
        nbformat.validate(nbformat.from_dict(data))
    except nbformat.ValidationError as exc:
        return f"the notebook does not follow the notebook format: {str(exc).splitlines()[0][:limits.FORMAT_ERROR]}"
    return None


def inspect_submission(path: Path, versions: list[dict], notebook: str) -> tuple[str | None, list[str], int | None]:
    """``(error, flags, version)`` for the submitted notebook ``path``, the notebook named ``notebook`` (its file
    name without ``.ipynb``) of a release whose recorded ``versions`` are given (oldest first): ``version`` is the
    id of the one it was compared with, None when none is recorded."""
    error = read_problem(path)
    if error is not None:
        return error, [], None
    nb = nbformat.read(path, as_version=4)
    version = received(nb, versions, notebook) or (versions[-1] if versions else None)
    original = version["notebooks"].get(notebook, []) if version else []
    flags = []
    ids = Counter(c.metadata["nbgrader"]["grade_id"] for c in _tests(nb) if "grade_id" in c.metadata["nbgrader"])
    for gid, n in sorted(ids.items()):
        if n > 1:
            flags.append(f"test cell {gid} appears {n} times; the first one counts")
    by_id = {}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        by_id.setdefault(gid, cell)
    sources = {c.source: c for c in nb.cells}
    for cell in original:
        meta, gid = cell["nbgrader"], cell["grade_id"]
        theirs = by_id.get(gid)
        if theirs is None:
            how = "lost its nbgrader metadata" if cell["source"] in sources else "was deleted"
            flags.append(f"test cell {gid} {how}; graded with the original put back")
            continue
        if theirs.cell_type != cell["cell_type"]:
            flags.append(f"test cell {gid} was turned into a {theirs.cell_type} cell; graded as the original")
        elif theirs.source != cell["source"]:
            flags.append(f"test cell {gid} was {'emptied' if not theirs.source.strip() else 'edited'}; "
                         f"graded with the original")
        mine = theirs.metadata.get("nbgrader", {})
        changed = sorted(k for k in METADATA if mine.get(k) != meta.get(k))
        if changed:
            flags.append(f"test cell {gid}: nbgrader metadata changed ({', '.join(changed)}); the source's counts")
    return None, flags, version["version"] if version else None
