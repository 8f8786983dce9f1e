"""The student kit (autograder/commands/kit.py): no answer inside, and the checks it records say what the full library
says. Two kits are built, as the term goes: every assignment open, and 01–04 closed."""
from __future__ import annotations

import dataclasses
import json
import os
import pickle
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from autograder.commands.kit import build_kit
from nnlab.answers import GRADED
from nnlab.checks import SPECS, run_check
from nnlab.checks.recorded import recorded_spec
from nnlab.checks.running import check_case
from nnlab.yours import notebook_of
from tests.grader.e2e.kit.venv import kit_python

pytestmark = pytest.mark.kit
REPO = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("kit") / "leak_probe.py"
KITS = {"all open": [], "01-04 closed": ["01_perceptron", "02_forward_pass", "03_gradient_descent", "04_backprop"]}


def _solution_cells(aid):
    nb = json.loads((REPO / "solutions" / aid / f"{aid}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def hidden_seeds(aid) -> list[int]:
    return [int(s) for cell in _solution_cells(aid) for s in re.findall(r"hidden_seed=(\d+)", cell)]


def solution_lines(aid) -> set[str]:
    """The lines of an assignment's solution regions that are the answer's own: at least 20 characters (so
    `return a` and the like do not count), and held by no release notebook and by no toolkit module (the parts
    of nnlab outside answers/ and the checks' spec modules, such as ``X = np.asarray(X, dtype=float)``)."""
    toolkit = [p for p in sorted((REPO / "nnlab").rglob("*.py"))
               if "answers" not in p.parts and not (p.parent.name == "checks" and p.name.startswith("nb"))]
    release = "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "notebooks").glob("*/*.ipynb")))
    release += "".join(json.dumps(p.read_text(encoding="utf-8")) for p in toolkit)
    lines = set()
    for cell in _solution_cells(aid):
        for region in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell, flags=re.S):
            lines |= {line.strip() for line in region.splitlines()
                      if len(line.strip()) >= 20 and json.dumps(line.strip())[1:-1] not in release}
    return lines


def _toolkit_text() -> str:
    """Every toolkit module of nnlab (outside answers/ and the checks' spec modules), as one text."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "nnlab").rglob("*.py"))
                   if "answers" not in p.parts and not (p.parent.name == "checks" and p.name.startswith("nb")))


#: lines the reference answers share with toolkit modules: loops, unpacking and set-up, no maths of an answer
#: (a copy of an answer's maths in the toolkit would add lines here, and fail the test below instead)
SHARED_WITH_TOOLKIT = frozenset({
    "for _ in range(int(epochs)):", "rng = np.random.default_rng(seed)", "if a.shape[0] != w[0].shape[1]:",
    "for wl, bl in zip(w, b):", "return g / x.shape[1]", "caches.append(cache)",
    "parts = window_slices(size, stride, Ho, Wo)", "out = x[next(parts)].copy()",
    "return out, PoolCache(x, out, size, stride)", "x, out, size, stride = cache",
    "for s in window_slices(size, stride, *out.shape[2:]):", "W, b, n_h = fuse_gates(params)",
    "n_h = W.shape[0] // 4", "W, b, n_h = fuse_gates(params, JAX)",
})


def answer_lines(aid) -> set[str]:
    """The lines of an assignment's reference answers, numpy and JAX: every function its answers modules define,
    graded or helper, without docstrings and comments, of at least 20 characters."""
    import ast
    lines = set()
    for tree_root in (REPO / "nnlab" / "answers", REPO / "nnlab" / "jax" / "answers"):
        path = tree_root / f"nb{aid}.py"
        if not path.exists():
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                text = "\n".join(ast.get_source_segment(source, stmt) for stmt in body)
                lines |= {line.strip() for line in text.splitlines()
                          if len(line.strip()) >= 20 and not line.strip().startswith("#")}
    return lines


def test_the_toolkit_shares_no_maths_with_the_answers():
    """The toolkit (which the kit holds) repeats no line of an answer but a few lines of set-up: a layer or a
    sequence function that needs an answer's maths calls the answer (Dense's, Conv2D's and MaxPool2D's passes,
    lstm_forward's and lstm_backward's steps, their JAX twins)."""
    toolkit = _toolkit_text()
    shared = {line for aid in GRADED for line in answer_lines(aid) if line in toolkit}
    assert shared <= SHARED_WITH_TOOLKIT, sorted(shared - SHARED_WITH_TOOLKIT)


@pytest.fixture(scope="module", params=list(KITS))
def kit(request, tmp_path_factory):
    closed = KITS[request.param]
    path = tmp_path_factory.mktemp("kit") / "kit"
    report = build_kit(path, closed=closed)
    return request.param, report


@pytest.fixture(scope="module")
def open_kit(tmp_path_factory):
    """A kit with every assignment open: the one where the most is missing."""
    return build_kit(tmp_path_factory.mktemp("open") / "kit")


def _kit_kernel(kit_dir: Path, home: Path, monkeypatch) -> str:
    """A Jupyter kernel whose Python is the kit's fresh environment; returns the kernel's name."""
    python = kit_python(kit_dir, home)
    spec = home / "share" / "jupyter" / "kernels" / "kit"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "kit", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(home / "share" / "jupyter"))
    monkeypatch.setenv("NNLAB_GRADING", "1")            # the demos short, as when grading
    monkeypatch.delenv("PYTHONPATH", raising=False)
    return "kit"


def _run_in_course_order(kernel: str, notebooks: dict[str, nbformat.NotebookNode], work: Path) -> dict:
    """Each notebook in ``work/<id>/<id>.ipynb``, run there in order (a later one reads the earlier ones, as a
    student's do); returns ``{id: [(cell index, ename, evalue)]}`` of every error and stderr output."""
    from nbclient import NotebookClient

    problems = {}
    for aid, nb in notebooks.items():
        folder = work / aid
        folder.mkdir(parents=True)
        NotebookClient(nb, timeout=300, kernel_name=kernel, allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
        nbformat.write(nb, folder / f"{aid}.ipynb")
        problems[aid] = [(i, o["ename"], o["evalue"]) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                         for o in c.outputs if o["output_type"] == "error"]
        problems[aid] += [(i, "stderr", o["text"]) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                          for o in c.outputs if o["output_type"] == "stream" and o["name"] == "stderr"
                          and "Kernel is running over TCP" not in o["text"]]
    return problems


def test_solution_notebooks_run_in_course_order_on_the_kit(open_kit, tmp_path, monkeypatch):
    """The solutions, hidden tests emptied as in the release, pass every visible check on the library of a kit
    with every assignment open, and run top to bottom: later cells and notebooks run on the earlier answers
    through nnlab.yours and nnlab.from_yours."""
    report = open_kit
    notebooks = {}
    for aid in report.assignments:
        nb = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", cell.source, flags=re.S)
        notebooks[aid] = nb
    problems = _run_in_course_order(_kit_kernel(report.path, tmp_path, monkeypatch), notebooks, tmp_path / "work")
    assert not any(problems.values()), {aid: found for aid, found in problems.items() if found}


def test_release_notebooks_in_the_kit_fail_only_where_an_answer_is_missing(open_kit, tmp_path, monkeypatch):
    """Each release notebook of the kit, run as handed out: every error is the stub's NotImplementedError or
    the one line (FinishFirst) that names the challenge to finish first; every visible check cell fails."""
    report = open_kit
    notebooks = {aid: nbformat.read(report.path / "notebooks" / aid / f"{aid}.ipynb", as_version=4)
                 for aid in report.assignments}
    problems = _run_in_course_order(_kit_kernel(report.path, tmp_path, monkeypatch), notebooks, tmp_path / "work")
    unexpected = {aid: [p for p in found if p[1] not in ("NotImplementedError", "FinishFirst")]
                  for aid, found in problems.items()}
    assert not any(unexpected.values()), unexpected
    finish_first = [evalue for found in problems.values() for _, ename, evalue in found if ename == "FinishFirst"]
    assert finish_first and all("\n" not in line and "finish" in line for line in finish_first)
    for aid, nb in notebooks.items():
        visible = [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id", "")
                   .endswith("_visible")]
        assert visible and {i for i, *_ in problems[aid]} >= set(visible), aid


def _passes(spec, case, value) -> bool:
    try:
        return check_case(spec, lambda *args, **kwargs: value, case).passed
    except Exception as exc:            # the check itself must survive any output
        raise AssertionError(f"check {spec.name} crashed on an output of type {type(value).__name__}") from exc


def test_no_callable_in_the_kit_passes_an_open_check(kit, tmp_path):
    name, report = kit
    open_names = [n for aid in report.open for n in GRADED[aid]]
    all_cases = {n: SPECS[n].visible() + [c for seed in hidden_seeds(notebook_of(n))
                                          for c in SPECS[n].hidden_cases(seed, 2)][:6] for n in open_names}
    cases = {n: [(c.args, c.kwargs) for c in these] for n, these in all_cases.items()}
    jitted = {n for n in open_names if SPECS[n].check_function is not None}     # the JAX checks: jit too
    (tmp_path / "cases.pkl").write_bytes(pickle.dumps((cases, jitted)))
    python = kit_python(report.path, tmp_path)
    work = tmp_path / "cwd"
    work.mkdir()
    run = subprocess.run([str(python), str(PROBE), str(tmp_path / "cases.pkl"), str(tmp_path / "out.pkl")],
                         cwd=work, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    out = pickle.loads((tmp_path / "out.pkl").read_bytes())
    assert out["kit"].startswith(str(report.path)) and not out["grader"], out["kit"]
    matches, tried = [], 0
    for (label, fn_name), outputs in out["results"].items():
        tried += 1
        if outputs is None:
            continue
        if fn_name in jitted:
            outputs, compiles = outputs
            if not compiles:                # the full check's check_function: it fails under jax.jit
                continue
        spec = dataclasses.replace(SPECS[fn_name], caller=None, check_function=None)
        if all(_passes(spec, case, value) for case, value in zip(all_cases[fn_name], outputs)):
            matches.append(f"{label} passes {fn_name}")
    print(f"\nkit '{name}': {out['callables']} callables reachable, {tried} (callable, open function) pairs whose "
          f"signature fits, {out['calls']} calls on visible and hidden cases, {len(matches)} matches; "
          f"{report.files} files, {report.size / 1024:.0f} KiB")
    assert not matches, matches


def test_no_file_of_the_kit_holds_a_hidden_seed_or_a_solution_line(kit):
    name, report = kit
    texts = {p: p.read_bytes().decode("utf-8", "replace") for p in report.path.rglob("*") if p.is_file()}
    seeds = [s for aid in GRADED for s in hidden_seeds(aid)]
    for path, text in texts.items():
        for seed in seeds:
            assert f"hidden_seed={seed}" not in text and not re.search(rf"\b{seed}\b", text), (path, seed)
    for aid in report.open:
        for line in solution_lines(aid):
            holders = [p for p, t in texts.items() if line in t]
            assert not holders, (aid, line, holders)
    assert not (report.path / "solutions").exists() and not (report.path / "autograder").exists()


def test_no_file_of_the_kit_holds_an_open_assignments_reference_answer(kit):
    """Nor the reference answers' own lines: the toolkit calls the answers (above), so while a notebook is open
    the kit has the student's functions there and no copy."""
    name, report = kit
    closed = {f"nb{aid}.py" for aid in GRADED if aid not in report.open}     # answers the kit may hold in full
    texts = {p: p.read_text(encoding="utf-8") for p in report.path.rglob("*.py")
             if not (p.parent.name == "answers" and p.name in closed)}
    for aid in report.open:
        lines = answer_lines(aid) - SHARED_WITH_TOOLKIT
        assert lines, aid
        for line in lines:
            holders = [p.relative_to(report.path) for p, t in texts.items() if line in t]
            assert not holders, (aid, line, holders)


def test_the_kit_gives_the_full_librarys_messages_for_every_named_mistake(kit):
    """Each named mistake, and the reference itself, checked by the kit's recorded spec and by the full one."""
    name, report = kit
    data = pickle.loads((report.path / "nnlab" / "checks" / "recorded.pkl").read_bytes())
    assert sorted(data) == sorted(SPECS)
    compared = 0
    for spec_name, spec in SPECS.items():
        kit_spec = recorded_spec(spec_name, data)
        for answer in [m.impl for m in spec.mistakes] + ([spec.reference] if spec.compare_to_reference else []):
            full, recorded = run_check(spec.direct(), answer).to_dict(), run_check(kit_spec.direct(), answer).to_dict()
            assert repr(full) == repr(recorded), (spec_name, full, recorded)
            compared += 1
    assert compared > 60


PLAYGROUND_PROBE = """
import json
from nnlab.pictures.widgets.playground import Playground
p = Playground(data="xor", units=4)
out = {"recorded": p.recorded is not None, "note": p.note.value, "button": p.button.description,
       "fixed": [p.controls[k].disabled for k in ("layers", "lr", "epochs")]}
out["accuracy"] = p.train()
out["status"] = p.status.value
print(json.dumps(out))
"""


def test_the_playground_replays_recorded_runs_while_backprop_is_open(open_kit, tmp_path):
    """Notebook 01's playground in a kit with 04 open: it says that live training comes with notebook 04 and
    replays the run recorded for the choices, which is the run the full library trains live."""
    from nnlab.pictures.widgets.playground import Playground

    python = kit_python(open_kit.path, tmp_path)
    run = subprocess.run([str(python), "-c", PLAYGROUND_PROBE], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.splitlines()[-1])
    assert out["recorded"] and out["button"] == "Replay" and out["fixed"] == [True, True, True], out
    assert "Live training comes with notebook 04" in out["note"] and "backprop" in out["note"], out["note"]
    assert out["status"].startswith("recorded run") and "training accuracy" in out["status"]
    live = Playground(data="xor", units=4)
    assert live.recorded is None
    assert out["accuracy"] == pytest.approx(live.train(), abs=1e-12)


def test_a_grading_library_is_compiled_where_it_is_built(tmp_path):
    """The sandbox binds a grading library read-only, so its kernels cannot write bytecode there: every module
    comes with a .pyc that Python accepts for its source (the source's mtime and size in its header)."""
    import importlib.util

    from autograder.commands.kit import grading_library

    sources = sorted((grading_library(tmp_path, "05_classifier") / "nnlab").rglob("*.py"))
    assert len(sources) > 50
    for source in sources:
        compiled = Path(importlib.util.cache_from_source(str(source)))
        assert compiled.is_file(), f"{source} has no bytecode"
        header, info = compiled.read_bytes()[:16], source.stat()
        assert header[:4] == importlib.util.MAGIC_NUMBER and int.from_bytes(header[4:8], "little") == 0
        assert int.from_bytes(header[8:12], "little") == int(info.st_mtime) & 0xFFFFFFFF
        assert int.from_bytes(header[12:16], "little") == info.st_size & 0xFFFFFFFF
