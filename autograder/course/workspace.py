"""A course workspace: submitted/, autograded/, feedback/, gradebook.db and nnlab's own grading records.

Every command starts with ``Workspace.sync()``, which (re)generates the assignments from the source folder
into ``release/`` inside the workspace — and so into the gradebook — whenever the source has changed, and
records each new release (autograder/course/releases.py). The course's ``nbgrader_config.py`` is the
instructor's: sync writes it only when the course has none (autograder/integration/config.py).
"""
from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from autograder import limits
from autograder.course import gradebook, releases, settings
from autograder.integration import patches
from autograder.integration.cells import is_test_cell
from autograder.integration.config import COURSE_CONFIG, course_config, create_course_config, nbgrader_config

if TYPE_CHECKING:
    from autograder.pipeline.process import ProcessState


def kernel_socket_prefix() -> str:
    """An absolute path for kernel sockets in a new private folder (docs/nbgrader-facts.md, 'Kernel sockets');
    a grading process makes one and keeps it (autograder/pipeline/process.py).

    Kernels talk to the grader over IPC (Unix sockets) in a private directory rather than TCP on 127.0.0.1:
    no port races between parallel workers, nothing reachable from the network, and no "running over TCP
    without encryption" warning on every kernel start. The directory is removed when the process exits.
    """
    folder = tempfile.mkdtemp(prefix="nnlab-kernels-")
    atexit.register(shutil.rmtree, folder, True)
    return os.path.join(folder, "kernel")


def files_hash(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def write_json(path: Path, data) -> None:
    """Write atomically: a grader killed mid-write never leaves half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)


def test_cells(notebook_path: Path) -> list[dict]:
    """The autograded test cells of a source notebook: ``[{"grade_id", "points"}]`` in notebook order."""
    nb = nbformat.read(notebook_path, as_version=4)
    out = []
    for cell in nb.cells:
        if is_test_cell(cell):
            meta = cell.metadata["nbgrader"]
            out.append({"grade_id": meta["grade_id"], "points": float(meta.get("points", 0))})
    return out


class Workspace:
    def __init__(self, course, source, cell_timeout: int | None = None, db_url: str | None = None,
                 sandbox: bool = False, memory: int | None = None, notebook_timeout: int | None = None,
                 processes: int | None = None, hide=()):
        self.course = Path(course).resolve()
        self.source = Path(source).resolve()
        self.cell_timeout, self.notebook_timeout = cell_timeout, notebook_timeout
        self.sandbox, self.memory = sandbox, memory   # kernels in bubblewrap, with this RLIMIT_AS (bytes)
        self.processes = processes                     # … and at most this many processes and threads
        self.hide = [str(h) for h in hide]             # more folders the kernels must not see
        # the command's --db, else the instructor's setting in the course's nbgrader_config.py, else gradebook.db
        self.db_url = (db_url or course_config(self.course).CourseDirectory.get("db_url")
                       or f"sqlite:///{self.course / 'gradebook.db'}")
        self.state = self.course / ".nnlab"

    def limits(self) -> dict:
        """What a grading task needs to know besides its notebooks (see autograder/pipeline/task.py)."""
        return dict(cell_timeout=self.cell_timeout, notebook_timeout=self.notebook_timeout, sandbox=self.sandbox,
                    memory=self.memory, processes=self.processes)

    # -------------------------------------------------------------------------------- layout
    def assignments(self) -> list[str]:
        if not self.source.is_dir():
            raise FileNotFoundError(f"source folder {self.source} does not exist")
        return sorted(p.name for p in self.source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def source_notebooks(self, assignment: str) -> list[Path]:
        return sorted((self.source / assignment).glob("*.ipynb"))

    def submitted(self, student: str, assignment: str) -> Path:
        return self.course / "submitted" / student / assignment

    def autograded(self, student: str, assignment: str) -> Path:
        return self.course / "autograded" / student / assignment

    def feedback(self, student: str, assignment: str) -> Path:
        return self.course / "feedback" / student / assignment

    def record_path(self, student: str, assignment: str) -> Path:
        return self.state / "results" / student / f"{assignment}.json"

    def seed_path(self, assignment: str) -> Path:
        """A gradebook holding only this assignment: what a grading task starts from."""
        return self.state / "seeds" / f"{assignment}.db"

    def flags_path(self, student: str, assignment: str) -> Path:
        return self.state / "flags" / student / f"{assignment}.json"

    def set_flags(self, student: str, assignment: str, flags: list[str]) -> None:
        """Reasons found at collection for an instructor to look at this submission (none: no file)."""
        path = self.flags_path(student, assignment)
        if flags:
            write_json(path, flags)
        elif path.exists():
            path.unlink()

    def manifest_path(self, student: str, assignment: str) -> Path:
        return self.state / "manifests" / student / f"{assignment}.json"

    def set_manifest(self, student: str, assignment: str, manifest: dict | None) -> None:
        """Keep the manifest of the submission zip this submission came in (none: no file)."""
        path = self.manifest_path(student, assignment)
        if manifest is not None:
            write_json(path, manifest)
        elif path.exists():
            path.unlink()

    def manifest(self, student: str, assignment: str) -> dict | None:
        path = self.manifest_path(student, assignment)
        return json.loads(path.read_text()) if path.exists() else None

    def flags(self, student: str, assignment: str) -> list[str]:
        path = self.flags_path(student, assignment)
        return json.loads(path.read_text()) if path.exists() else []

    def students(self) -> list[str]:
        root = self.course / "submitted"
        return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []

    def has_submission(self, student: str, assignment: str) -> bool:
        return any(self.submitted(student, assignment).glob("*.ipynb"))

    def submission_hash(self, student: str, assignment: str) -> str:
        """The submitted notebooks' hash, with the exchange's submission time where there is one (the same work
        handed in again later is a new submission: its lateness may differ)."""
        folder = self.submitted(student, assignment)
        return files_hash([*folder.glob("*.ipynb"), *folder.glob("timestamp.txt")])

    def source_hash(self, assignment: str) -> str:
        return files_hash(self.source_notebooks(assignment))

    # -------------------------------------------------------------------------------- nbgrader
    def config(self, release: Path | None = None):
        return nbgrader_config(self.course, self.source, release, self.db_url, self.cell_timeout,
                               self.notebook_timeout)

    def api(self, release: Path | None = None, process: ProcessState | None = None):
        """nbgrader's API for this workspace. ``process``: the grading process whose kernels it starts (their
        socket folder, the spare kernel; autograder/pipeline/process.py); generating assignments and feedback
        start none."""
        from nbgrader.apps import NbGraderAPI
        patches.apply()
        config = self.config(release)
        if process is not None:
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = process.kernel_socket_prefix()
            config.GuardedExecute.process = process
            # each of nbgrader's two passes over a notebook validates it once, at its end, instead of after
            # every one of its preprocessors (two validations per notebook instead of twelve): a notebook invalid
            # at the end of a pass fails it as before, the log naming the pass's last preprocessor; intake has
            # refused every submission that was not a valid notebook to begin with (pipeline/intake.py)
            config.Exporter.optimistic_validation = True
        if self.sandbox:                                  # every kernel nbgrader starts runs in bubblewrap
            from autograder.trust import sandbox
            jupyter = sandbox.install_kernelspec(self.state, [self.course, self.source, *self.hide],
                                                 self.memory or sandbox.DEFAULT_MEMORY,
                                                 self.processes or sandbox.DEFAULT_PROCESSES)
            paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
            if str(jupyter) not in paths:
                os.environ["JUPYTER_PATH"] = os.pathsep.join([str(jupyter)] + [p for p in paths if p])
            config.Execute.kernel_name = sandbox.KERNEL_NAME
        api = NbGraderAPI(config=config)
        api.log.setLevel(logging.ERROR)
        return api

    def sync(self) -> list[str]:
        """Create the workspace and bring the gradebook's assignments, and their seed gradebooks for grading
        tasks, up to date with the source."""
        assignments = self.assignments()
        for sub in ("submitted", "autograded", "feedback", ".nnlab"):
            (self.course / sub).mkdir(parents=True, exist_ok=True)
        create_course_config(self.course, self.source)
        settings.create(self.course)
        synced_path = self.state / "source.json"
        synced = json.loads(synced_path.read_text()) if synced_path.exists() else {}
        known = gradebook.assignments(self.db_url)
        stale = [a for a in assignments if synced.get(a) != self.source_hash(a) or a not in known
                 or not self.seed_path(a).exists()]
        if stale:
            api = self.api()
            for a in stale:
                self._generate(api, a)
                seed = self.seed_path(a)
                seed.parent.mkdir(parents=True, exist_ok=True)
                tmp = seed.with_suffix(".tmp")
                tmp.unlink(missing_ok=True)
                gradebook.copy_assignment(self.db_url, f"sqlite:///{tmp}", a)
                os.replace(tmp, seed)
                synced[a] = self.source_hash(a)
            write_json(synced_path, synced)
        for a in assignments:
            if a in stale or not releases.versions(self.state, a):
                releases.record(self.state, a, self.course / "release" / a)
        return assignments

    def course_config_text(self) -> str:
        """The course's own nbgrader_config.py, for a grading task to load where the course is out of reach."""
        path = self.course / COURSE_CONFIG
        return path.read_text() if path.is_file() else ""

    def release_version(self, assignment: str) -> int | None:
        """The id of the assignment's latest recorded release (autograder/course/releases.py)."""
        recorded = releases.versions(self.state, assignment)
        return recorded[-1]["version"] if recorded else None

    def _generate(self, api, assignment: str) -> None:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"could not generate assignment {assignment} from {self.source}: "
                               f"{(result.get('error') or result.get('log') or '').strip()[-limits.CAUSE:]}")
