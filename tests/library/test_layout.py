"""The library's layout (docs/library.md): each notebook's answers live once, in the module named like the
notebook; the toolkit reaches them only by importing them; the dependency table in the docs is the one the
imports give; imports point one way; ``from nnlab import *`` gives the public API and no submodules."""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import types

import nnlab
from nnlab.answers import GRADED

from tests.conftest import REPO

JAX_ONLY = {"jax_cost", "jax_gradient"}          # notebook 08's checks compare these with 02's and 04's numpy answers
JAX_HOME = {"cost_function": "08_jax"}            # on JAX, the cost is notebook 08's jax_cost behind the input checks


def _modules(package="nnlab"):
    """Every module of the package, imported (``nnlab.jax`` included; the widgets need ipywidgets)."""
    pkg = importlib.import_module(package)
    found = [pkg]
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        found.append(importlib.import_module(info.name))
    return found


def _answer_module(notebook, jax=False):
    return f"nnlab{'.jax' if jax else ''}.answers.nb{notebook}"


def test_each_graded_function_is_defined_in_its_notebooks_answers():
    for notebook, names in GRADED.items():
        for name in names:
            home = importlib.import_module(_answer_module(notebook, jax=name in JAX_ONLY))
            fn = getattr(home, name, None)
            assert callable(fn), f"{home.__name__} has no {name}"
            assert fn.__module__ == home.__name__, f"{name} is defined in {fn.__module__}, not {home.__name__}"


def test_an_answer_lives_once():
    """Wherever a module of nnlab holds a function of a graded name, it is the notebook's answer itself (or
    its JAX twin, defined in nnlab.jax.answers): the toolkit imports answers, it never copies them."""
    graded = {name: notebook for notebook, names in GRADED.items() for name in names}
    seen = 0
    for module in _modules():
        for attr, value in vars(module).items():
            if attr not in graded or not callable(value):
                continue
            seen += 1
            homes = {_answer_module(graded[attr]), _answer_module(JAX_HOME.get(attr, graded[attr]), jax=True)}
            assert getattr(value, "__module__", None) in homes, \
                f"{module.__name__}.{attr} comes from {getattr(value, '__module__', None)}, not from {sorted(homes)}"
    assert seen > 2 * len(graded)         # each answer is re-exported at least by nnlab and its toolkit table


def _import_graph():
    """Module → the nnlab modules it imports at module level (``from .x import y`` resolved to files)."""
    graph = {}
    for path in sorted((REPO / "nnlab").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        package = name if is_package else name.rpartition(".")[0]
        imports = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    is_module = (REPO / (candidate.replace(".", "/") + ".py")).exists() \
                        or (REPO / candidate.replace(".", "/")).is_dir()
                    imports.add(candidate if is_module else base)
            elif isinstance(node, ast.Import):
                imports |= {alias.name for alias in node.names}
        graph[name] = {m for m in imports if m == "nnlab" or m.startswith("nnlab.")} | \
                      {m for m in imports if m.split(".")[0] == "autograder"}
    return graph


def _closure(graph, module):
    seen, todo = set(), [module]
    while todo:
        for dep in graph.get(todo.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def _is_answer(module):
    return re.fullmatch(r"nnlab(\.jax)?\.answers\.nb\d\d_\w+", module) is not None


def _notebook(module):
    return module.rpartition(".nb")[2][:2]


def test_the_docs_dependency_table_is_the_imports():
    graph = _import_graph()
    direct, through = {}, {}
    for module in graph:
        if _is_answer(module) or ".checks" in module or module.endswith(".answers") or module in ("nnlab", "nnlab.jax"):
            continue
        if module.count(".") < 2 and module not in ("nnlab.backend",):         # the top-level packages' __init__
            continue
        short = module.removeprefix("nnlab.")
        for dep in _closure(graph, module):
            if _is_answer(dep):
                table = direct if dep in graph[module] else through
                table.setdefault(_notebook(dep), set()).add(short)
    for notebook in through:
        through[notebook] -= direct.get(notebook, set())
    text = (REPO / "docs" / "library.md").read_text(encoding="utf-8")
    section = text.split("### Which toolkit parts use them")[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if re.match(r"\| \d\d ", line)]
    rows = {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines)}
    assert sorted(rows) == sorted(k[:2] for k in GRADED)
    for notebook, (direct_cell, through_cell) in rows.items():
        listed = set(re.findall(r"`([\w.]+)`", direct_cell)), set(re.findall(r"`([\w.]+)`", through_cell))
        computed = direct.get(notebook, set()), through.get(notebook, set())
        assert listed == computed, f"notebook {notebook}: the imports give {computed} (directly, through them)"


def test_imports_point_one_way():
    graph = _import_graph()
    helpers_with_no_answer = set()
    for module, deps in graph.items():
        assert not any(d.split(".")[0] == "autograder" for d in deps), f"{module} imports the grader"
        if _is_answer(module):
            for dep in deps:
                if _is_answer(dep) or dep in ("nnlab.backend", "nnlab.jax.backend"):
                    continue
                helpers_with_no_answer.add(dep)
    assert helpers_with_no_answer, "the answers import no toolkit helper at all?"
    for helper in helpers_with_no_answer:
        hidden = sorted(d for d in _closure(graph, helper) if _is_answer(d))
        assert not hidden, f"an answer imports {helper}, which imports answers {hidden}: a cycle in the layers"
        assert not helper.startswith("nnlab.checks"), f"an answer imports the checks ({helper})"


def test_star_import_gives_the_public_api_and_no_submodules():
    namespace = {}
    exec("from nnlab import *", namespace)
    modules = sorted(k for k, v in namespace.items() if isinstance(v, types.ModuleType))
    assert modules == ["datasets", "diagrams", "live", "plots", "widgets"]
    assert set(nnlab.NUMERIC_API) <= set(namespace)
    assert len(nnlab.__all__) == len(set(nnlab.__all__))
    for name in nnlab.__all__:
        assert getattr(nnlab, name) is namespace[name]


def test_public_modules_keep_their_import_paths():
    import nnlab.datasets
    import nnlab.diagrams
    import nnlab.live
    import nnlab.plots
    import nnlab.widgets
    from nnlab.widgets import Playground
    assert nnlab.datasets.load_digits_split is importlib.import_module("nnlab.data.loaders").load_digits_split
    assert callable(nnlab.plots.plot_loss) and nnlab.live.LivePlot is nnlab.LivePlot
    assert nnlab.diagrams.network is importlib.import_module("nnlab.pictures.diagrams").network
    assert Playground is importlib.import_module("nnlab.pictures.widgets").Playground


def test_every_module_says_what_it_is_for():
    for module in _modules():
        assert inspect.getdoc(module), f"{module.__name__} has no module docstring"


def test_jax_tree_mirrors_the_numpy_tree():
    """nnlab.jax has the same sub-packages and file names as nnlab for what it implements."""
    root = REPO / "nnlab" / "jax"
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in ("answers", "ops", "network", "data") and relative.name != "__init__.py":
            assert (REPO / "nnlab" / relative).exists(), f"nnlab/jax/{relative} has no numpy twin nnlab/{relative}"
