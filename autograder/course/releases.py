"""Release versions: every release of an assignment's test cells, recorded so that intake compares a submission
with the release its student received rather than with today's.

``Workspace.sync`` regenerates ``release/<assignment>/`` whenever the source changes, so a typo fixed in a test
cell mid-assignment would otherwise read as "edited" in every submission made from the earlier release. Like
nbgrader, each version keeps its test cells' checksums (``nbgrader.utils.compute_checksum``, the ``checksum``
nbgrader writes into the release's cell metadata, which students rarely touch), so a submission names the
version it came from; each cell also keeps what intake quotes when a submission differs from it. One JSON file
per assignment, ``<state>/releases/<assignment>.json``::

    {"versions": [{"version": 1, "recorded": "2025-01-31T09:00:00+00:00",
                   "notebooks": {"01_x": [{"grade_id", "checksum", "cell_type", "source",
                                           "nbgrader": {"grade", "solution", "points", "locked"}}]}}]}
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbgrader.utils import compute_checksum

from autograder.integration.cells import is_test_cell

METADATA = ("grade", "solution", "points", "locked")   # the nbgrader metadata a submission must leave alone


def path(state: Path, assignment: str) -> Path:
    return Path(state) / "releases" / f"{assignment}.json"


def release_cells(nb) -> list[dict]:
    """What a version keeps of a release notebook: its test cells, in notebook order."""
    out = []
    for cell in nb.cells:
        if is_test_cell(cell):
            meta = cell.metadata["nbgrader"]
            out.append({"grade_id": meta["grade_id"], "checksum": compute_checksum(cell), "cell_type": cell.cell_type,
                        "source": cell.source, "nbgrader": {k: meta[k] for k in METADATA if k in meta}})
    return out


def versions(state: Path, assignment: str) -> list[dict]:
    """The recorded versions of ``assignment``, oldest first ([] when none is)."""
    file = path(state, assignment)
    if not file.exists():
        return []
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        _check(data)
    except (ValueError, TypeError, KeyError) as exc:
        # RuntimeError: the CLI prints it as one line; the file holds history a re-release cannot rebuild
        raise RuntimeError(f"the release record {file} cannot be read ({type(exc).__name__}: {exc}); restore it, "
                           f"or remove it to start again from the current release") from None
    return data["versions"]


def _check(data) -> None:
    """Raise unless ``data`` has the shape the module docstring shows, down to each cell's fields."""
    if not isinstance(data, dict) or not isinstance(data["versions"], list):
        raise TypeError("not a mapping holding a list of versions")
    for version in data["versions"]:
        if not isinstance(version["version"], int) or not isinstance(version["recorded"], str):
            raise TypeError("a version's id is not a number or its time is not text")
        if not isinstance(version["notebooks"], dict):
            raise TypeError(f"version {version['version']}: notebooks is not a mapping")
        for cells in version["notebooks"].values():
            for cell in cells:
                if not all(isinstance(cell[k], str) for k in ("grade_id", "checksum", "cell_type", "source")):
                    raise TypeError(f"version {version['version']}: a test cell's fields are not text")
                if not isinstance(cell["nbgrader"], dict):
                    raise TypeError(f"version {version['version']}: a test cell's nbgrader metadata is not a mapping")


def record(state: Path, assignment: str, release_dir: Path) -> dict:
    """Record the release in ``release_dir`` as a new version of ``assignment`` when its test cells differ from
    the latest recorded version's (or none is recorded); return the latest version."""
    release_dir = Path(release_dir)
    if not release_dir.is_dir():
        raise FileNotFoundError(f"no release of {assignment} to record: {release_dir} does not exist")
    notebooks = {p.stem: release_cells(nbformat.read(p, as_version=4)) for p in sorted(release_dir.glob("*.ipynb"))}
    known = versions(state, assignment)
    if known and known[-1]["notebooks"] == notebooks:
        return known[-1]
    latest = {"version": known[-1]["version"] + 1 if known else 1,
              "recorded": datetime.now(timezone.utc).isoformat(timespec="seconds"), "notebooks": notebooks}
    from autograder.course.workspace import write_json    # here: the workspace imports this module
    write_json(path(state, assignment), {"versions": [*known, latest]})
    return latest


def received(nb, versions: list[dict], notebook: str) -> dict | None:
    """The version the submitted notebook ``nb`` came from (``notebook``: its name in the release, nbgrader's: the
    file name without ``.ipynb``): the one whose checksums match the most of its test cells' ``checksum``
    metadata, the latest on a tie; None when none matches any (the checksums removed, or a release from before
    recording began)."""
    checksums = (c.metadata["nbgrader"].get("checksum") for c in nb.cells if is_test_cell(c))
    marks = {m for m in checksums if isinstance(m, str)}       # a student may have typed anything there
    best, most = None, 0
    for version in versions:
        matches = len(marks & {c["checksum"] for c in version["notebooks"].get(notebook, [])})
        if matches and matches >= most:
            best, most = version, matches
    return best
