"""nnlab's own settings for a course, in ``COURSE/nnlab.toml``: the one course file nnlab-grade writes.

nbgrader's settings (a cell's timeout, the course id, the gradebook's database) belong to the course's
``nbgrader_config.py``, which is the instructor's; what nbgrader has no setting for lives here: where the source
notebooks are, the grading kernels' limits and the late policy. The file is created with the defaults the first
time a command runs on the course and rewritten only by a command that changes a setting (``late-policy``); a
command-line option overrides a setting for that run only.
"""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

FILE = "nnlab.toml"
DEFAULTS = {"source": "", "memory": "2G", "processes": 256, "notebook_timeout": 0,
            "late_policy": "none", "late_per_day": 0.0, "late_max": 100.0}
EXPLAINED = {
    "source": 'the folder of nbgrader source notebooks ("": nnlab\'s own solutions/)',
    "memory": "address space per grading kernel, e.g. 2G or 1536M",
    "processes": "processes and threads per grading kernel (at least 16)",
    "notebook_timeout": "seconds a whole notebook may run; later cells score 0 as not run (0: no budget)",
    "late_policy": 'late work: "none" (no penalty), "zero" (scores 0) or "per-day" (nnlab-grade late-policy sets it)',
    "late_per_day": "with per-day: percent of the assignment's maximum taken off per started day late",
    "late_max": "with per-day: the most percent taken off in all",
}
HEADER = ("# nnlab's settings for this course, read by every nnlab-grade command; edit them here. A command-line\n"
          "# option (e.g. --memory 4G) overrides a setting for one run. nbgrader's settings (the cell timeout, the\n"
          "# course id, the gradebook's database) are in nbgrader_config.py beside this file.\n")


class SettingsError(ValueError):
    """The settings file cannot be read or holds a value of the wrong kind."""


def render(values: dict) -> str:
    """The file's text for ``values`` (every key of DEFAULTS), each with its explanation."""
    lines = [HEADER]
    for key in DEFAULTS:
        lines.append(f"\n# {EXPLAINED[key]}\n{key} = {json.dumps(values[key], ensure_ascii=False)}\n")
    return "".join(lines)


def create(course: Path) -> bool:
    """Write the file with the defaults unless the course has one; True when written."""
    if (Path(course) / FILE).exists():
        return False
    save(course, DEFAULTS)
    return True


def load(course: Path) -> dict:
    """The course's settings (the defaults for keys the file lacks, and all of them when there is no file)."""
    path = Path(course) / FILE
    if not path.exists():
        return dict(DEFAULTS)
    try:
        found = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path} is not valid TOML: {exc}") from None
    unknown = sorted(set(found) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
    for key, value in found.items():
        kind = type(DEFAULTS[key])
        if not (type(value) is kind or kind is float and type(value) is int):
            what = {int: "a whole number", float: "a number", str: "text in quotes"}[kind]
            raise SettingsError(f"{path}: {key} must be {what}, got {value!r}")
    values = DEFAULTS | {k: float(v) if type(DEFAULTS[k]) is float else v for k, v in found.items()}
    if values["late_policy"] not in ("none", "zero", "per-day"):
        raise SettingsError(f"{path}: late_policy must be \"none\", \"zero\" or \"per-day\", "
                            f"got {values['late_policy']!r}")
    return values


def save(course: Path, values: dict) -> None:
    path = Path(course) / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(render(DEFAULTS | values), encoding="utf-8")
    tmp.replace(path)
