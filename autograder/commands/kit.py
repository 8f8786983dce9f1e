"""Building the student kit: what students receive, with no answer key inside (``nnlab-grade kit``).

The kit is a self-contained folder that the instructor publishes as its own git repository or zip:

- ``notebooks/<id>/<id>.ipynb``: the release notebooks of the listed assignments, byte for byte;
- ``nnlab/``: a student build of the library. For every *open* assignment (not in ``--closed``) the answers
  modules are generated: each graded function is a ``nnlab.yours.Yours`` placeholder (the student's own
  version), each other piece of that answer is ``Withheld``; the data types they define are kept. Every check
  is recorded (``nnlab.checks.recorded``): the visible cases' inputs, expected outputs and named mistakes'
  outputs, with no reference, no hidden case and no mistake's code. Closed assignments keep their references,
  since later notebooks build on working versions;
- ``pyproject.toml``, ``README.md``, ``Makefile`` and ``lab/`` (student-mode JupyterLab settings) for students;
- while notebook 04 or 05 is open, the playground's runs recorded for its preset choices (it cannot train live
  until the student's backprop and softmax are ready).

Nothing of ``solutions/``, the grader or the sample class is copied. Rebuilding into a folder that holds an
earlier kit replaces everything in it except ``.git``, so an instructor rebuilds as deadlines pass.

The grader uses the same student build of the library inside its sandbox (``grading_library``): a notebook
is graded with its own assignment and every later one open, so no reference of a function it checks exists
where the student's code runs; the trusted comparison runs in the grader's own process with the full library.
"""
from __future__ import annotations

import ast
import compileall
import datetime as _dt
import functools
import hashlib
import importlib
import inspect
import json
import os
import pkgutil
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KIT_MARK = Path("nnlab") / "kit.json"
ANSWER_PACKAGES = ("nnlab.answers", "nnlab.jax.answers")


@dataclass
class KitReport:
    path: Path
    assignments: list[str]
    open: list[str]
    closed: list[str]
    build: str
    files: int
    size: int


def parse_ids(text: str | None, known: list[str], what: str) -> list[str] | None:
    """``"01_perceptron,02_forward_pass"`` → ids (None for None); unknown ids are an error naming the known."""
    if text is None:
        return None
    ids = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(f"{what}: unknown assignment id(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return ids


def _home_import(name: str, value) -> str | None:
    """An import line that gives ``value`` under ``name`` from the module that defines it, if there is one."""
    if inspect.ismodule(value):
        return f"import {value.__name__}" + (f" as {name}" if name != value.__name__ else "")
    home = getattr(value, "__module__", None)
    if home and home in sys.modules and getattr(sys.modules[home], name, None) is value:
        return f"from {home} import {name}"
    for mod_name, mod in list(sys.modules.items()):         # a constant: find the module that defines it
        if mod_name.startswith("nnlab.") and name in _defined_in(mod) and getattr(mod, name, None) is value:
            return f"from {mod_name} import {name}"
    return None


@functools.lru_cache(maxsize=None)
def _defined_in(module) -> frozenset[str]:
    """The names a module's own source binds at top level (functions, classes, assignments)."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return frozenset()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return frozenset(names)


def answers_stub(module, notebook: str, graded: tuple[str, ...]) -> str:
    """The kit's version of an open assignment's answers module (numpy's or JAX's)."""
    is_jax = module.__name__.startswith("nnlab.jax.")
    imports, classes, names = [], [], []
    own = _defined_in(module)
    substitutes = getattr(module, "FROM_YOURS", {})     # pieces the kit rebuilds from the student's functions
    for name, value in vars(module).items():
        if name.startswith("__") or name in ("annotations", "FROM_YOURS"):
            continue
        if name in substitutes:
            imports.append(f"from {substitutes[name]} import {name}")
            continue
        if inspect.ismodule(value):
            imports.append(_home_import(name, value))
            continue
        defined_here = name in own
        if name in graded and (not is_jax or notebook == "08_jax"):
            names.append(f'{name} = Yours("{name}", "{notebook}")')
        elif defined_here and inspect.isclass(value):
            classes.append(inspect.getsource(value).rstrip())      # data types (a cache, a fit's result)
        elif defined_here or name in graded or not (line := _home_import(name, value)):
            names.append(f'{name} = Withheld("{name}", "{notebook}")')
        else:                                   # a toolkit name, or another answers module's (open or not)
            imports.append(line)
    backend = "nnlab.jax" if is_jax else "nnlab"
    head = [f'"""Notebook {notebook} is open, so this student kit holds none of its answers: each graded '
            f'function here is\nyours (``nnlab.yours.Yours``: the version you write, once it passes its check), '
            f'and the other parts of\nthe answer are withheld until your instructor closes the assignment. '
            f'Written by ``nnlab-grade kit``\nfor {backend}."""',
            "from __future__ import annotations", ""]
    head += sorted(set(imports)) + ["from nnlab.yours import Withheld, Yours", "", ""]
    body = ("\n\n\n".join(classes) + "\n\n\n") if classes else ""
    return "\n".join(head) + body + "\n".join(names) + "\n"


def checks_stub(module) -> str:
    """The kit's version of a notebook's checks module: its specs, recorded."""
    from nnlab.checks.spec import Spec

    specs = [(name, value.name) for name, value in vars(module).items() if isinstance(value, Spec)]
    lhs = ", ".join(n for n, _ in specs)
    rhs = ", ".join(f'"{s}"' for _, s in specs)
    short = module.__name__.rsplit(".", 1)[1]
    return (f'"""The checks of {short}, recorded when this student kit was built '
            f'(``nnlab.checks.recorded``):\nthe visible cases with their expected outputs and named mistakes, '
            f'and no reference answer."""\n'
            f"from .recorded import recorded_specs\n\n{lhs}{',' if len(specs) == 1 else ''} = "
            f"recorded_specs({rhs})\n\n__all__ = [{', '.join(repr(n) for n, _ in specs)}]\n")


def _copy_library(dest: Path) -> None:
    def ignore(folder, names):
        return [n for n in names if n == "__pycache__" or n.endswith((".pyc", ".pkl")) or n == "kit.json"]
    shutil.copytree(REPO / "nnlab", dest / "nnlab", ignore=ignore)


def _write_library(dest: Path, open_ids: list[str]) -> None:
    import nnlab.checks
    from nnlab.answers import GRADED

    _copy_library(dest)
    for package in ANSWER_PACKAGES:
        pkg = importlib.import_module(package)
        for info in pkgutil.iter_modules(pkg.__path__):
            notebook = info.name[2:]                                  # nb02_forward_pass → 02_forward_pass
            if notebook in open_ids:
                module = importlib.import_module(f"{package}.{info.name}")
                target = dest / Path(*package.split(".")) / f"{info.name}.py"
                target.write_text(answers_stub(module, notebook, GRADED[notebook]), encoding="utf-8")
    for info in pkgutil.iter_modules(nnlab.checks.__path__):
        if info.name.startswith("nb"):
            module = importlib.import_module(f"nnlab.checks.{info.name}")
            (dest / "nnlab" / "checks" / f"{info.name}.py").write_text(checks_stub(module), encoding="utf-8")
    (dest / "nnlab" / "checks" / "recorded.pkl").write_bytes(_recording())


def first_open(assignment: str, checked: set[str]) -> str:
    """The earliest assignment a grading library leaves open for a notebook of ``assignment`` whose test cells
    check the functions ``checked``: the notebook's own, or that of the earliest function it checks. Every
    later one is open too (notebook 08's ``jax_cost`` would pass notebook 02's ``cost_function``)."""
    from nnlab.answers import GRADED
    from nnlab.yours import notebook_of

    owners = {notebook_of(name) for name in checked if any(name in names for names in GRADED.values())}
    return min(owners | ({assignment} if assignment in GRADED else set()), default=max(GRADED) + "~")


def grading_library(root: Path, open_from: str) -> Path:
    """The folder holding ``nnlab/`` as the kit builds it with ``open_from`` and every later assignment open
    (earlier ones closed: a notebook's grading kernel gets their references); built once under ``root``."""
    from nnlab.answers import GRADED

    folder = Path(root) / f"open-from-{open_from}"
    if not (folder / KIT_MARK).is_file():
        building = folder.with_name(folder.name + f".{os.getpid()}.tmp")
        shutil.rmtree(building, ignore_errors=True)
        _write_library(building, [a for a in sorted(GRADED) if a >= open_from])
        # compiled here, because the sandbox binds the library read-only: a kernel and a replay worker would
        # otherwise compile the ~70 modules they import from source every time (0.08–0.13 CPU s against 0.04)
        compileall.compile_dir(building / "nnlab", quiet=1)
        (building / KIT_MARK).write_text(json.dumps({"grading": True, "open_from": open_from}) + "\n")
        if folder.exists() and not (folder / KIT_MARK).is_file():
            shutil.rmtree(folder, ignore_errors=True)        # left half-written by an earlier nnlab
        try:
            os.rename(building, folder)                      # a finished library is never replaced: a
        except OSError:                                      # kernel may be using it; another process
            shutil.rmtree(building, ignore_errors=True)      # sharing the folder built it meanwhile
    return folder


@functools.cache
def library_digest() -> str:
    """A digest of everything a grading library is made from (the nnlab package and this module): libraries
    built from the same digest are the same, whichever process built them."""
    digest = hashlib.sha256()
    files = sorted(p for p in (REPO / "nnlab").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files + [Path(__file__)]:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def _recording() -> bytes:
    """The checks' recorded reference runs (``nnlab.checks.recorded``), the same in every grading library."""
    import nnlab.checks
    from nnlab.checks.recorded import recording
    return recording(nnlab.checks.SPECS)


PLAYGROUND_RUNS = Path(__file__).resolve().parent / "playground_runs.pkl.xz"   # committed: recording takes a minute
PLAYGROUND_SOURCES = ("nnlab/backend.py", "nnlab/answers", "nnlab/ops", "nnlab/network", "nnlab/data/toy.py",
                      "nnlab/pictures/widgets/playground.py")


def playground_digest() -> str:
    """A digest of the code a playground run depends on: the recorded runs are current while it is unchanged."""
    digest = hashlib.sha256()
    for source in PLAYGROUND_SOURCES:
        for path in sorted((REPO / source).rglob("*.py")) if (REPO / source).is_dir() else [REPO / source]:
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def recorded_digest(path: Path = PLAYGROUND_RUNS) -> str | None:
    """The digest the runs in ``path`` were recorded under (None: no such file)."""
    import lzma
    import pickle
    return pickle.loads(lzma.decompress(path.read_bytes()))["digest"] if path.is_file() else None


def record_playground(path: Path = PLAYGROUND_RUNS, digest: str | None = None) -> bool:
    """Record the playground's runs into ``path`` unless they are current there (``digest``: the code's, if
    already known); True if it recorded. ``nnlab-grade release`` calls this, so the committed runs follow the
    code (a test says when they do not)."""
    import lzma
    import pickle

    from nnlab.pictures.widgets.playground import record_runs
    digest = digest or playground_digest()
    if recorded_digest(path) == digest:
        return False
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(lzma.compress(pickle.dumps({"digest": digest, "runs": record_runs()}, protocol=4)))
    os.replace(partial, path)
    return True


def _playground_runs(dest: Path) -> None:
    """Notebook 01's playground trains with notebooks 04's and 05's answers: while either is open, the kit holds
    the runs recorded for its preset choices (nnlab/pictures/widgets/playground.py). They are committed
    (``PLAYGROUND_RUNS``); where the code has changed since, they are recorded afresh (about a minute) and kept
    in ~/.cache/nnlab (or $XDG_CACHE_HOME/nnlab) for the next build."""
    from nnlab.pictures.widgets.playground import RECORDING

    source, digest = PLAYGROUND_RUNS, playground_digest()
    if recorded_digest(source) != digest:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nnlab"
        cache.mkdir(parents=True, exist_ok=True)
        source = cache / f"playground-{digest}.pkl.xz"
        record_playground(source, digest)
    shutil.copyfile(source, dest / RECORDING.relative_to(REPO))


def _clear(dest: Path) -> None:
    """Make ``dest`` ready: a new or empty folder, or an earlier kit (everything but .git goes)."""
    if not dest.exists():
        dest.mkdir(parents=True)
        return
    entries = [p for p in dest.iterdir() if p.name != ".git"]
    if entries and not (dest / KIT_MARK).is_file():
        raise FileExistsError(f"{dest} is not empty and holds no earlier kit ({KIT_MARK} is missing): "
                              "choose a new folder")
    for p in entries:
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()


def _digest(dest: Path) -> tuple[str, int, int]:
    h, files, size = hashlib.sha256(), 0, 0
    for p in sorted(dest.rglob("*")):
        if p.is_file() and ".git" not in p.relative_to(dest).parts and p != dest / KIT_MARK:
            data = p.read_bytes()
            h.update(str(p.relative_to(dest)).encode() + b"\0" + data)
            files, size = files + 1, size + len(data)
    return h.hexdigest()[:12], files, size


def build_kit(dest, assignments: list[str] | None = None, closed: list[str] | None = None) -> KitReport:
    """Build the student kit into ``dest``; ``assignments`` (default all) ship, ``closed`` keep references."""
    from nnlab import __version__
    from nnlab.answers import GRADED

    known = sorted(GRADED)
    assignments = sorted(assignments) if assignments is not None else known
    closed = sorted(closed or [])
    open_ids = [a for a in known if a not in closed]
    dest = Path(dest).resolve()
    if dest == REPO or any(dest == REPO / d or REPO / d in dest.parents for d in ("nnlab", "notebooks", "solutions")):
        raise ValueError(f"refusing to build a kit into {dest}, a part of the instructor's repository")
    if not (REPO / "notebooks").is_dir():
        raise ValueError("no release notebooks: a kit is built from a checkout of the course repository (its "
                         "notebooks/ folder, made by nnlab-grade release); a non-editable install has none")
    _clear(dest)
    _write_library(dest, open_ids)
    if {"04_backprop", "05_classifier"} & set(open_ids):
        _playground_runs(dest)
    for aid in assignments:
        (dest / "notebooks" / aid).mkdir(parents=True, exist_ok=True)
        for nb in sorted((REPO / "notebooks" / aid).glob("*.ipynb")):
            shutil.copyfile(nb, dest / "notebooks" / aid / nb.name)
    shutil.copytree(REPO / "autograder" / "lab" / "student", dest / "lab")
    from autograder.commands.kit_files import makefile, pyproject, readme
    (dest / "pyproject.toml").write_text(pyproject(__version__), encoding="utf-8")
    (dest / "Makefile").write_text(makefile(), encoding="utf-8")
    (dest / "README.md").write_text(readme(open_ids, closed), encoding="utf-8")
    (dest / ".gitignore").write_text(".venv/\n__pycache__/\n.ipynb_checkpoints/\nsubmission-*.zip\n", encoding="utf-8")
    build, files, size = _digest(dest)
    (dest / KIT_MARK).write_text(json.dumps({
        "version": __version__, "build": build, "built_utc": _dt.datetime.now(_dt.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ"), "assignments": assignments, "open": open_ids, "closed": closed}, indent=1) + "\n",
        encoding="utf-8")
    return KitReport(dest, assignments, open_ids, closed, build, files + 1, size)
