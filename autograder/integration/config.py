"""Build nbgrader configurations for a course workspace, a source folder and a release folder."""
from __future__ import annotations

from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "solutions"
RELEASE = REPO / "notebooks"
BASE_CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"


def nbgrader_config(course: Path, source: Path, release: Path | None = None, db_url: str | None = None,
                    cell_timeout: int | None = None, notebook_timeout: int | None = None) -> Config:
    """The base settings plus this workspace's paths. All paths absolute, so the cwd never matters."""
    cfg = PyFileConfigLoader(BASE_CONFIG.name, path=str(BASE_CONFIG.parent)).load_config()
    course, source = Path(course).resolve(), Path(source).resolve()
    cfg.CourseDirectory.root = str(course)
    cfg.CourseDirectory.source_directory = str(source)
    cfg.CourseDirectory.release_directory = str((release or course / "release").resolve())
    cfg.CourseDirectory.db_url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    cfg.Exchange.root = str(course / "exchange")        # unused by nnlab-grade; nbgrader checks it exists
    if cell_timeout is not None:
        cfg.Execute.timeout = int(cell_timeout)
    if notebook_timeout is not None:
        cfg.GuardedExecute.notebook_timeout = int(notebook_timeout)
    return cfg


def write_course_config(course: Path, source: Path) -> None:
    """Write ``course/nbgrader_config.py`` so that nbgrader and formgrader work from the workspace too."""
    text = (f"# Written by nnlab-grade: the workspace's own nbgrader settings.\n"
            f"c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(BASE_CONFIG)!r})  # noqa: F821\n"
            f"c.CourseDirectory.root = {str(Path(course).resolve())!r}\n"
            f"c.CourseDirectory.source_directory = {str(Path(source).resolve())!r}\n"
            f"c.CourseDirectory.release_directory = 'release'\n"
            f"# submissions arrive with 'nnlab-grade collect'; a private exchange keeps formgrader from warning\n"
            f"c.Exchange.root = {str(Path(course).resolve() / 'exchange')!r}\n")
    (Path(course) / "exchange").mkdir(parents=True, exist_ok=True)
    path = Path(course) / "nbgrader_config.py"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
