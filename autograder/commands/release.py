"""Generate the student release (``notebooks/``) from the nbgrader source notebooks (``solutions/``)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from autograder import limits
from autograder.course.workspace import Workspace


def release(source: Path, dest: Path) -> list[str]:
    """Regenerate ``dest/<id>/`` for every assignment in ``source`` (byte for byte reproducible).

    A throwaway gradebook is used, so releasing needs no course workspace. Folders in ``dest`` whose
    assignment no longer exists in ``source`` are removed.
    """
    dest = Path(dest).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(tmp, source)
        assignments = ws.assignments()
        api = ws.api(release=dest)
        for aid in assignments:
            result = api.generate_assignment(aid, force=True, create=True)
            if not result["success"]:
                why = (result.get("error") or result.get("log") or "")[-limits.CAUSE:]
                raise RuntimeError(f"could not release {aid}: {why}")
    for stale in dest.iterdir():
        if stale.is_dir() and stale.name not in assignments:
            shutil.rmtree(stale)
    return assignments
