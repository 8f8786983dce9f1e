"""Build nbgrader configurations for a course workspace: nnlab's defaults, then the instructor's own file.

The order is nbgrader's own: nnlab's defaults (``nbgrader_config.py`` beside this module), then the course's
``nbgrader_config.py`` (the instructor's: a course id, a cell timeout, a database set there count), then what
nnlab-grade must decide (the course root, the source and release folders, the gradebook a command was told to
use, a private exchange folder). The course's file is written once, when the course is created, and only read
afterwards.
"""
from __future__ import annotations

from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "solutions"
RELEASE = REPO / "notebooks"
BASE_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"
COURSE_CONFIG = "nbgrader_config.py"


def _load(path: Path) -> Config:
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def course_config(course: Path) -> Config:
    """The course's own settings (its ``nbgrader_config.py``); empty when it has none."""
    path = Path(course) / COURSE_CONFIG
    return _load(path) if path.is_file() else Config()


def nbgrader_config(course: Path, source: Path, release: Path | None = None, db_url: str | None = None,
                    cell_timeout: int | None = None, notebook_timeout: int | None = None) -> Config:
    """nnlab's defaults, the course's own settings over them, and this workspace's paths. All paths absolute, so
    the cwd never matters. ``db_url``, ``cell_timeout`` and ``notebook_timeout``: what a command was told (None:
    the course's setting, else nnlab's default)."""
    course, source = Path(course).resolve(), Path(source).resolve()
    cfg = _load(BASE_CONFIG)
    own = course_config(course)
    cfg.merge(own)
    cfg.CourseDirectory.root = str(course)
    cfg.CourseDirectory.source_directory = str(source)
    cfg.CourseDirectory.release_directory = str((release or course / "release").resolve())
    cfg.CourseDirectory.db_url = db_url or own.CourseDirectory.get("db_url") or f"sqlite:///{course / 'gradebook.db'}"
    cfg.Exchange.root = str(course / "exchange")       # unused by nnlab-grade's own steps; nbgrader checks it exists
    if cell_timeout is not None:
        cfg.Execute.timeout = int(cell_timeout)
    if notebook_timeout is not None:
        cfg.GuardedExecute.notebook_timeout = int(notebook_timeout)
    return cfg


TEMPLATE = '''\
# The course's nbgrader settings: yours to edit. nnlab-grade wrote this file once, when it created the course,
# and never writes it again; it reads it after its own defaults (autograder/integration/nbgrader_config.py in
# nnlab), so what you set here wins. nnlab-grade decides the course root, the release folder and the source
# folder itself; nbgrader and formgrader started from this folder read the same settings.
from autograder.integration.config import BASE_CONFIG

c = get_config()  # noqa: F821
load_subconfig(str(BASE_CONFIG))  # noqa: F821 — nnlab's defaults

c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = {source!r}
c.CourseDirectory.release_directory = "release"
# submissions arrive with 'nnlab-grade collect'; a private exchange keeps formgrader from warning
c.Exchange.root = {exchange!r}

# Examples (remove the '#' to use one):
# c.CourseDirectory.course_id = "nn101"
# c.Execute.timeout = 60                                  # seconds a cell may run (nnlab's default: 30)
# c.CourseDirectory.db_url = "postgresql://grader@db.example.org/nn101"   # instead of gradebook.db here
'''


def create_course_config(course: Path, source: Path) -> bool:
    """Write the course's ``nbgrader_config.py`` from the template unless it exists; True when written."""
    course = Path(course).resolve()
    (course / "exchange").mkdir(parents=True, exist_ok=True)
    path = course / COURSE_CONFIG
    if path.exists():
        return False
    path.write_text(TEMPLATE.format(root=str(course), source=str(Path(source).resolve()),
                                    exchange=str(course / "exchange")))
    return True
