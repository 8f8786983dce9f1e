"""Hand in your work: your notebooks packed into one zip for your instructor's ``nnlab-grade collect``.

    python -m nnlab.submit STUDENT_ID                 # every assignment under work/ → submission-<id>.zip
    python -m nnlab.submit STUDENT_ID 02_forward_pass # one assignment → submission-<id>-02_forward_pass.zip

(``make submit STUDENT=<id> [ASSIGNMENT=<id>]`` runs the same.) The zip holds
``<id>/<assignment>/<notebook>.ipynb`` for each assignment folder of ``work/`` and a manifest,
``<id>/submission.json``: when it was packed (UTC), which nnlab it was made with (the version, and the build id
of a student kit), and the sha256 of every notebook, so the instructor can tell that what arrived is what you
packed. Handing it in through Canvas or Moodle works too: the instructor's ``collect`` finds it in their download.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

#: what a student id (and an assignment folder) may look like: it names folders on the instructor's side
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MANIFEST = "submission.json"
KIT_FILE = Path(__file__).with_name("kit.json")     # written into a student kit's nnlab when the kit is built


def kit_identity() -> dict:
    """``{"version": …, "build": …}``: nnlab's version, and the kit's build id (None outside a student kit)."""
    from . import __version__

    identity = {"version": __version__, "build": None}
    if KIT_FILE.is_file():
        try:
            kit = json.loads(KIT_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kit = {}
        identity.update({k: kit[k] for k in ("version", "build") if k in kit})
    return identity


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def pack(student: str, assignment: str | None = None, work="work", to=".", now: _dt.datetime | None = None) -> Path:
    """Write the submission zip into the folder ``to`` and return its path.

    Args: ``student`` your id; ``assignment`` one assignment folder of ``work`` (all of them if None).
    Raises ValueError with what to do when the id is malformed or there is nothing to hand in.
    """
    if not STUDENT_ID.match(student or ""):
        raise ValueError(f"submit: {student!r} is not a student id (letters, digits, '.', '_', '@' or '-', "
                         f"starting with a letter or digit)")
    work = Path(work)
    if assignment is not None and not STUDENT_ID.match(assignment):
        raise ValueError(f"submit: {assignment!r} is not an assignment folder name")
    folders = [work / assignment] if assignment else sorted(p for p in work.glob("*") if p.is_dir())
    notebooks = {f"{folder.name}/{nb.name}": nb for folder in folders if folder.is_dir()
                 for nb in sorted(folder.glob("*.ipynb"))}
    if not notebooks:
        where = work / assignment if assignment else work
        raise ValueError(f"submit: no notebook to hand in under {where}/ (your work lives in "
                         f"{work}/<assignment>/<assignment>.ipynb)")
    now = now or _dt.datetime.now(_dt.timezone.utc)
    manifest = {"student_id": student, "packed_utc": now.astimezone(_dt.timezone.utc).isoformat(timespec="seconds"),
                "nnlab": kit_identity(), "notebooks": {name: sha256(nb) for name, nb in notebooks.items()}}
    out = Path(to) / (f"submission-{student}-{assignment}.zip" if assignment else f"submission-{student}.zip")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, nb in notebooks.items():
            zf.write(nb, f"{student}/{name}")
        zf.writestr(f"{student}/{MANIFEST}", json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnlab.submit", description=__doc__.splitlines()[0])
    parser.add_argument("student", help="your student id")
    parser.add_argument("assignment", nargs="?", help="one assignment, e.g. 02_forward_pass (default: all)")
    parser.add_argument("--work", default="work", help="the folder holding your notebooks (default: work)")
    parser.add_argument("--to", default=".", help="where to write the zip (default: here)")
    args = parser.parse_args(argv)
    try:
        out = pack(args.student, args.assignment, args.work, args.to)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    with zipfile.ZipFile(out) as zf:
        count = sum(name.endswith(".ipynb") for name in zf.namelist())
    print(f"wrote {out} ({count} notebook{'s' if count != 1 else ''}) — hand it in; "
          f"your instructor runs: nnlab-grade collect {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
