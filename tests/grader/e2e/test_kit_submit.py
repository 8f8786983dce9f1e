"""The student kit from the student's side: "From a fresh clone of the kit alone, with no instructor repository
beside it, `make lab` starts JupyterLab and `make submit` writes a zip that `nnlab-grade collect` accepts; two
sample-class students' work submitted this way grades exactly as the same work collected as plain folders."

A kit of notebooks 01 and 02 (as early in a term) is committed to a git repository and cloned into a folder of
its own, far from this repository; every student-side step runs there through the kit's own Makefile:
`make lab` (venv, install, the work/ copy, JupyterLab, asked over HTTP, then stopped) and `make submit` for two
sample-class students (ada: everything right; jun: a mistake in each notebook), ada's work all at once, jun's
one assignment at a time. A course collects the zips, another the same notebooks as plain folders
(`nnlab-grade collect`, `autograde`, `export`); both are graded, in the sandbox where bubblewrap is installed,
and must agree on every grade and every cell.

Only the download of the kit's dependencies is stood in for, so that nothing needs the network: the test
environment's installed packages are what a student's ``pip install`` would have fetched. They reach the kit's
``.venv`` through ``PYTHONPATH`` (a folder of links to this environment's ``site-packages`` that leaves out this
repository's nnlab and autograder, pip, and every ``.pth`` file, so nothing of the instructor's side is
importable), their data and settings files through ``JUPYTER_PATH``, ``JUPYTERLAB_DIR`` and the student's
Jupyter folder; the Makefile's ``PIP_ARGS`` (``--no-index --no-build-isolation --no-deps``) has its
``pip install -e .`` install the kit alone, with the setuptools already there, and fetch nothing. The venv, the
editable install of the kit, work/, JupyterLab and ``nnlab.submit`` are the kit's own.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from autograder import sample_class
from autograder.trust import sandbox
from autograder.cli import main
from autograder.commands.kit import build_kit
from tests.conftest import REPO, _free_port

pytestmark = pytest.mark.kit
ASSIGNMENTS = ["01_perceptron", "02_forward_pass"]          # the fastest two to grade
STUDENTS = ["ada", "jun"]                                   # full marks; a mistake in each notebook
PIP_ARGS = "--no-index --no-build-isolation --no-deps"      # offline: the kit alone, its dependencies are there
LAB_START = 240                                             # seconds make lab may take to install and serve
LEFT_OUT = re.compile(r"^(nnlab|autograder|__editable__|pip)\b|\.pth$|^__pycache__$")   # see the docstring


def _dependencies(folder: Path) -> Path:
    """The stand-in for what ``pip install`` downloads: links to this environment's installed packages."""
    folder.mkdir()
    paths = sysconfig.get_paths()
    for site in dict.fromkeys(Path(paths[k]) for k in ("purelib", "platlib")):
        for entry in sorted(site.iterdir()):
            if not LEFT_OUT.search(entry.name) and not (folder / entry.name).exists():
                (folder / entry.name).symlink_to(entry)
    return folder


def _student_env(home: Path, deps: Path) -> dict[str, str]:
    """A student's shell: a home of its own, nothing of this repository's environment (its venv, pip's
    configuration, nnlab's and Jupyter's variables), the stand-in for the downloaded packages, and a Jupyter
    setting of a machine without a browser."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "NNLAB_", "JUPYTER", "PYTHON", "VIRTUAL_ENV", "MPL", "GIT_"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and not Path(p).resolve().is_relative_to(Path(sys.prefix).resolve()))
    share = Path(sys.prefix) / "share" / "jupyter"          # the packages' data: JupyterLab's assets, extensions
    env.update(HOME=str(home), PYTHONPATH=str(deps), PIP_CONFIG_FILE=os.devnull, JUPYTER_PATH=str(share),
               JUPYTERLAB_DIR=str(share / "lab"), JUPYTER_PORT=str(_free_port()), GIT_CONFIG_NOSYSTEM="1")
    config = home / ".jupyter"
    config.mkdir(parents=True)
    for enabled in (Path(sys.prefix) / "etc" / "jupyter").glob("*.d"):   # the server extensions installs enable
        shutil.copytree(enabled, config / enabled.name)
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"open_browser": False}}))
    return env


def _run(argv, cwd: Path, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (argv, done.stdout[-3000:], done.stderr[-3000:])
    return done


GIT = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org", "-c", "commit.gpgsign=false",
       "-c", "init.defaultBranch=main"]


def _publish(published: Path, env: dict, assignments: list[str]) -> str:
    """Build the kit into the instructor's published repository and commit it; returns the build id."""
    report = build_kit(published, assignments=assignments)
    if not (published / ".git").exists():
        _run(GIT + ["init", "-q"], published, env)
    _run(GIT + ["add", "-A"], published, env)
    _run(GIT + ["commit", "-q", "-m", f"kit {report.build}"], published, env)
    return report.build


def _fresh_clone(root: Path, env: dict) -> Path:
    for tool in ("git", "make"):
        if shutil.which(tool) is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must run the student kit's Makefile: {tool} is not installed")
            pytest.skip(f"{tool} is not installed (the student kit's Makefile needs it)")
    build = _publish(root / "published" / "kit", env, ASSIGNMENTS)
    clone = root / "student" / "bootcamp"
    _run(["git", "clone", "-q", str(root / "published" / "kit"), str(clone)], root, env)
    assert json.loads((clone / "nnlab" / "kit.json").read_text())["build"] == build
    assert not any((d / "solutions").is_dir() or (d / "autograder").is_dir() for d in clone.parents)
    return clone


def _servers(clone: Path, env: dict) -> list[dict]:
    """``jupyter server list --json`` in the kit's venv: the JupyterLab servers this student runs."""
    out = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-m", "jupyter_server", "list", "--json"],
                         cwd=clone, env=env, capture_output=True, text=True, timeout=60)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def _get(server: dict, path: str) -> str:
    with urllib.request.urlopen(f"{server['url'].rstrip('/')}{path}?token={server['token']}", timeout=20) as r:
        return r.read().decode("utf-8")


def _group(pgid: int) -> list[str]:
    """The live processes (zombies aside) of the process group ``pgid``: their command lines."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):
            continue
    return alive


def _make_lab(clone: Path, env: dict, log: Path) -> dict:
    """``make lab`` in the fresh clone until its JupyterLab answers over HTTP; what it served; then it is
    stopped (SIGTERM to make's process group: make, its shell and the server, nothing else)."""
    start = time.perf_counter()
    runtime = Path(env["HOME"]) / ".local" / "share" / "jupyter" / "runtime"
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "lab", f"PYTHON={sys.executable}", f"PIP_ARGS={PIP_ARGS}"], cwd=clone,
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while not list(runtime.glob("jpserver-*.json")):    # what `jupyter server list` reads
            if proc.poll() is not None or time.perf_counter() - start > LAB_START:
                pytest.fail(f"make lab did not serve JupyterLab (exit {proc.poll()}):\n{log.read_text()[-4000:]}")
            time.sleep(0.25)
        servers = _servers(clone, env)
        assert len(servers) == 1, (servers, log.read_text()[-4000:])
        server = servers[0]
        served = {"server": server, "status": json.loads(_get(server, "/api/status")),
                  "page": _get(server, "/lab"), "work": json.loads(_get(server, "/api/contents/01_perceptron")),
                  "seconds": time.perf_counter() - start,
                  "copied": {aid: (clone / "work" / aid / f"{aid}.ipynb").read_bytes()
                             == (clone / "notebooks" / aid / f"{aid}.ipynb").read_bytes() for aid in ASSIGNMENTS}}
    finally:
        stopping = time.perf_counter()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        while _group(proc.pid) and time.perf_counter() - stopping < 30:
            proc.poll()
            time.sleep(0.1)
        left = _group(proc.pid)
        if left:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    served.update({"stop seconds": time.perf_counter() - stopping, "left running": left,
                   "runtime files": sorted(p.name for p in runtime.glob("jpserver-*")), "log": log.read_text()})
    return served


@contextlib.contextmanager
def _timed(timings: dict, step: str):
    """The wall-clock and CPU seconds of a step (CPU: this process's and its waited-for children's)."""
    def cpu() -> float:
        return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                   for f in ("ru_utime", "ru_stime"))
    wall, used = time.perf_counter(), cpu()
    yield
    timings[step] = (time.perf_counter() - wall, cpu() - used)


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory):
    """The kit cloned, `make lab` run and stopped, two students' work handed in with `make submit`."""
    root = tmp_path_factory.mktemp("kit-submit")
    timings = {}
    with _timed(timings, "build, commit, clone the kit"):
        env = _student_env(root / "home", _dependencies(root / "site-packages"))
        clone = _fresh_clone(root, env)
    with _timed(timings, "make lab, then stop it"):
        lab = _make_lab(clone, env, root / "make-lab.log")
    timings["(make lab until JupyterLab answered)"] = (lab["seconds"], None)

    klass = root / "class"                    # the two students' notebooks, made from the kit's release notebooks
    written = sample_class.build(klass, clone / "notebooks", REPO / "solutions",
                                 {s: sample_class.STUDENTS[s] for s in STUDENTS})
    assert written == [(s, a) for s in STUDENTS for a in ASSIGNMENTS]
    zips = {}
    with _timed(timings, "make submit, 3 times"):
        for student, goals in (("ada", [None]), ("jun", ASSIGNMENTS)):
            for aid in ASSIGNMENTS:                              # the student's work, saved in their copy
                shutil.copyfile(klass / student / aid / f"{aid}.ipynb", clone / "work" / aid / f"{aid}.ipynb")
            for goal in goals:
                done = _run(["make", "submit", f"STUDENT={student}"] + ([f"ASSIGNMENT={goal}"] if goal else []),
                            clone, env)
                name = f"submission-{student}-{goal}.zip" if goal else f"submission-{student}.zip"
                assert f"wrote {name} ({1 if goal else len(ASSIGNMENTS)} notebook" in done.stdout, done.stdout
                zips[(student, goal)] = clone / name
    return {"root": root, "clone": clone, "kit": json.loads((clone / "nnlab" / "kit.json").read_text()),
            "env": env, "lab": lab, "class": klass, "zips": zips, "timings": timings}


def _course(course: Path, source: Path, handed_in: list[Path], sandboxed: bool) -> dict:
    """``nnlab-grade collect`` each of ``handed_in`` into a new course, then autograde and export (the command
    line's main, in this process); what collect printed, and the rows of grades.csv and cells.csv."""
    args = ["--course", str(course), "--source", str(source), "--cell-timeout", "10"]
    args += [] if sandboxed else ["--no-sandbox"]

    def grader(*rest) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(args + list(rest)) == 0, (rest, out.getvalue())
        return out.getvalue()

    collected = [grader("collect", str(path)) for path in handed_in]
    grader("autograde")
    grader("export", "--to", str(course / "export"))
    read = lambda name: list(csv.DictReader(open(course / "export" / name)))  # noqa: E731
    return {"collected": collected, "grades": read("grades.csv"), "cells": read("cells.csv"), "course": course}


@pytest.fixture(scope="module")
def graded(handed_in):
    """Two courses of the two assignments: one collects the zips `make submit` wrote (ada's given directly,
    jun's two lying in a folder, as they were handed in), the other the same notebooks as plain folders. In
    the sandbox where bubblewrap is installed; else, as the demo decides for the sample class (trusted code),
    without it, except under CI=true."""
    root, zips, timings = handed_in["root"], handed_in["zips"], handed_in["timings"]
    sandboxed = sandbox.bwrap_path() is not None
    if not sandboxed and os.environ.get("CI") == "true":
        pytest.fail(f"CI must grade in the sandbox: {sandbox.INSTALL_HINT}")
    source = root / "source"
    for aid in ASSIGNMENTS:
        shutil.copytree(REPO / "solutions" / aid, source / aid)
    folder = root / "handed-in"
    folder.mkdir()
    for aid in ASSIGNMENTS:
        shutil.copyfile(zips[("jun", aid)], folder / zips[("jun", aid)].name)
    with _timed(timings, "collect, autograde, export the zips"):
        by_zip = _course(root / "course-zips", source, [zips[("ada", None)], folder], sandboxed)
    with _timed(timings, "the same, the folders"):
        by_folder = _course(root / "course-folders", source, [handed_in["class"]], sandboxed)
    for out in by_zip["collected"]:
        assert "collected 2 submissions from 1 students" in out and "ignored" not in out, out
    assert "collected 4 submissions from 2 students" in by_folder["collected"][0], by_folder["collected"]
    return {"zips": by_zip, "folders": by_folder}


def test_make_lab_serves_jupyterlab_from_the_fresh_clone(handed_in):
    """`make lab` made the venv, installed the kit into it (editable, and only the kit: no autograder), copied
    the release notebooks to work/ and served work/ in student mode; stopped, nothing of it is left."""
    clone, lab, env = handed_in["clone"], handed_in["lab"], handed_in["env"]
    assert f"{sys.executable} -m venv .venv" in lab["log"] and f"{PIP_ARGS} -e ." in lab["log"], lab["log"][-3000:]
    assert lab["status"]["started"]
    assert Path(lab["server"]["root_dir"]).resolve() == (clone / "work").resolve()
    assert [c["name"] for c in lab["work"]["content"]] == ["01_perceptron.ipynb"]
    assert lab["copied"] == {aid: True for aid in ASSIGNMENTS}
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', lab["page"], re.S)
    assert "@jupyter/nbgrader:formgrader" in json.loads(config.group(1))["disabledExtensions"]   # the kit's lab/
    assert lab["left running"] == [], lab["log"][-3000:]
    assert lab["runtime files"] == [], lab["log"][-3000:]        # a clean shutdown: the server removed its files
    where = _run([str(clone / ".venv" / "bin" / "python"), "-c", "import importlib.util, nnlab; "
                  "print(nnlab.__file__, importlib.util.find_spec('autograder'))"], Path("/"), env)
    nnlab_file, autograder = where.stdout.split()
    assert Path(nnlab_file).resolve() == (clone / "nnlab" / "__init__.py").resolve() and autograder == "None"


def test_make_submit_zips_hold_the_work_and_a_manifest_of_the_kit(handed_in):
    kit, klass = handed_in["kit"], handed_in["class"]
    assert set(handed_in["zips"]) == {("ada", None), ("jun", "01_perceptron"), ("jun", "02_forward_pass")}
    for (student, goal), path in handed_in["zips"].items():
        aids = [goal] if goal else ASSIGNMENTS
        mine = {aid: (klass / student / aid / f"{aid}.ipynb").read_bytes() for aid in aids}
        with zipfile.ZipFile(path) as zf:
            assert sorted(zf.namelist()) == sorted([f"{student}/{a}/{a}.ipynb" for a in aids]
                                                   + [f"{student}/submission.json"])
            assert all(zf.read(f"{student}/{aid}/{aid}.ipynb") == data for aid, data in mine.items())
            manifest = json.loads(zf.read(f"{student}/submission.json"))
        assert manifest["student_id"] == student
        assert manifest["nnlab"] == {"version": kit["version"], "build": kit["build"]}      # packed by the kit
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", manifest["packed_utc"])
        assert manifest["notebooks"] == {f"{a}/{a}.ipynb": hashlib.sha256(data).hexdigest() for a, data in mine.items()}


def test_zips_grade_exactly_as_plain_folders(graded, handed_in):
    by_zip, by_folder = graded["zips"], graded["folders"]
    # the same grades; only when each was handed in is read from another source: the zip's manifest, the file
    without = lambda rows: [{k: v for k, v in r.items() if k != "submitted_at"} for r in rows]  # noqa: E731
    assert without(by_zip["grades"]) == without(by_folder["grades"])
    assert by_zip["cells"] == by_folder["cells"]
    grades = {(r["student_id"], r["assignment"]): r for r in by_zip["grades"]}
    assert sorted(grades) == [(s, a) for s in STUDENTS for a in ASSIGNMENTS]
    assert all(r["status"] == "needs_manual_grade" for r in grades.values()), grades   # the written answers
    code = {}                                           # wait for a grade: the code's points
    for r in by_zip["cells"]:
        if r["status"] not in ("needs_manual_grade", "not_answered"):
            code[(r["student_id"], r["assignment"])] = code.get((r["student_id"], r["assignment"]), 0.0) \
                + float(r["max_score"])
    for aid in ASSIGNMENTS:                             # two different outcomes: ada full marks, jun fewer
        assert float(grades[("ada", aid)]["score"]) == code[("ada", aid)] > 0
        assert float(grades[("jun", aid)]["score"]) < code[("jun", aid)]
    not_passed = {(r["student_id"], r["grade_id"]) for r in by_zip["cells"]
                  if r["status"] not in ("passed", "needs_manual_grade", "not_answered")}
    assert {("jun", "perceptron_visible"), ("jun", "forward_pass_visible")} <= not_passed
    assert not any(student == "ada" for student, _ in not_passed)
    print("\ntimings (wall-clock s, CPU s):", "; ".join(f"{k} {wall:.1f}" + (f", {cpu:.1f}" if cpu is not None else "")
                                                    for k, (wall, cpu) in handed_in["timings"].items()))


def test_the_manifests_are_kept_with_the_submissions(graded, handed_in):
    kit, klass, zips = handed_in["kit"], handed_in["class"], handed_in["zips"]
    state = lambda course, kind, s, a: course / ".nnlab" / kind / s / f"{a}.json"  # noqa: E731
    for student in STUDENTS:
        for aid in ASSIGNMENTS:
            for how in ("zips", "folders"):
                course = graded[how]["course"]
                assert (course / "submitted" / student / aid / f"{aid}.ipynb").read_bytes() == \
                    (klass / student / aid / f"{aid}.ipynb").read_bytes()
                assert not state(course, "flags", student, aid).exists()       # nothing for the instructor to see
            assert not state(graded["folders"]["course"], "manifests", student, aid).exists()
            with zipfile.ZipFile(zips[(student, None if student == "ada" else aid)]) as zf:
                manifest = json.loads(zf.read(f"{student}/submission.json"))
            kept = json.loads(state(graded["zips"]["course"], "manifests", student, aid).read_text())
            assert kept == manifest and kept["nnlab"]["build"] == kit["build"]
            handed = next(r for r in graded["zips"]["grades"] if (r["student_id"], r["assignment"]) == (student, aid))
            assert handed["submitted_at"] == manifest["packed_utc"]         # when it was handed in: the manifest


def test_a_newer_kit_pulled_brings_its_new_notebook_into_work(handed_in):
    """The instructor publishes a build with notebook 03; after `git pull`, `make work` (which `make lab` and
    `make submit` run first) copies it into work/ and leaves the student's notebooks as they are. (It changes the
    clone and the published kit; no other test reads what it changes.)"""
    root, clone, env = handed_in["root"], handed_in["clone"], handed_in["env"]
    build = _publish(root / "published" / "kit", env, ASSIGNMENTS + ["03_gradient_descent"])
    _run(["git", "pull", "-q", "--ff-only"], clone, env)
    assert json.loads((clone / "nnlab" / "kit.json").read_text())["build"] == build
    mine = {aid: (clone / "work" / aid / f"{aid}.ipynb").read_bytes() for aid in ASSIGNMENTS}
    _run(["make", "work"], clone, env)
    new = "03_gradient_descent/03_gradient_descent.ipynb"
    assert (clone / "work" / new).read_bytes() == (clone / "notebooks" / new).read_bytes()
    assert {aid: (clone / "work" / aid / f"{aid}.ipynb").read_bytes() for aid in ASSIGNMENTS} == mine
    assert mine["01_perceptron"] == (handed_in["class"] / "jun" / "01_perceptron" / "01_perceptron.ipynb").read_bytes()
