"""A fresh virtual environment that holds only a student kit, for the suites that run the kit's own nnlab
(tests/grader/e2e/test_kit.py, tests/browser/test_kit_lab.py)."""
from __future__ import annotations

import sysconfig
import venv
from pathlib import Path


def kit_python(kit_dir: Path, home: Path) -> Path:
    """The Python of a new environment under ``home`` whose ``import nnlab`` is the kit's: its site-packages
    points at this environment's packages (their ``.pth`` files are not processed there, so neither this
    repository's nnlab nor autograder is importable) and at the kit folder."""
    env = home / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env)
    site = next((env / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    (site / "kit.pth").write_text(str(kit_dir) + "\n", encoding="utf-8")
    return env / "bin" / "python"
