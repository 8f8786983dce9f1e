"""Your own functions: how nnlab uses what you wrote wherever a challenge is still open.

In the student kit, the graded functions of an open assignment are not in nnlab. Each of their names
(``nnlab.sigmoid``, ``from nnlab import predict``, the activation tables, the layers that use them) holds a
``Yours`` placeholder, which calls *your* function:

- in the notebook where you write it, once it has passed its check cell (``check("sigmoid", sigmoid)``
  remembers a function that passes);
- in a later notebook, your definition from the earlier notebook's answer cells, read from
  ``../<assignment>/<assignment>.ipynb`` beside the notebook you are in, once it passes the same check;
- until then it raises ``FinishFirst``, whose one line names the challenge to finish first.

Once your instructor closes an assignment (its deadline has passed), the kit holds nnlab's reference for it
instead, so later notebooks build on a working version. Parts of nnlab that are pieces of an open answer but
not a function you write (e.g. notebook 01's gate weights) are ``Withheld`` until the assignment closes, or
rebuilt from your functions where the toolkit needs them (``nnlab.from_yours``). The instructor's full library
has no placeholders at all.

The grader's sandbox imports this build too (autograder/commands/kit.py, ``grading_library``), with a ``kit.json``
that says so: there no earlier notebook is read, and a placeholder that is not yet the student's function
says that the reference is not available while grading.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import io
import json
from pathlib import Path

from .answers import GRADED

_MINE: dict = {}                    # name → the student's function that passed its visible check in this kernel
_EARLIER: dict = {}                 # notebook path → (mtime, namespace or the reason it could not be read)


class FinishFirst(RuntimeError):
    """Raised where nnlab needs a function of yours that is not ready yet; the message says which."""

    def _render_traceback_(self):          # IPython shows these lines instead of a traceback
        return [f"{type(self).__name__}: {self}"]


@functools.cache
def grading() -> bool:
    """Whether this is the build the grader's sandbox imports (no earlier notebook to read there)."""
    try:
        return bool(json.loads((Path(__file__).with_name("kit.json")).read_text(encoding="utf-8")).get("grading"))
    except (OSError, ValueError):
        return False


def notebook_of(name: str) -> str:
    """The assignment whose graded function ``name`` is, e.g. ``"02_forward_pass"`` for ``predict``."""
    for notebook, names in GRADED.items():
        if name in names:
            return notebook
    raise KeyError(f"{name!r} is not a graded function")


def remember(name: str, fn) -> None:
    """Use ``fn`` as your ``name`` from now on in this kernel (``check`` calls this when it passes)."""
    if any(name in names for names in GRADED.values()):
        _MINE[name] = fn


def forget() -> None:
    """Forget every remembered function and every earlier notebook read (a fresh kernel's state)."""
    _MINE.clear()
    _EARLIER.clear()


def current_notebook(cwd: Path | None = None) -> str | None:
    """The assignment this kernel runs in, from its folder's name (``work/03_gradient_descent`` → ``03_…``)."""
    name = (cwd or Path.cwd()).name
    return name if name in GRADED else None


def notebook_path(notebook: str, cwd: Path | None = None) -> Path:
    """Where your copy of an assignment's notebook is: beside the current assignment's folder, or below."""
    cwd = cwd or Path.cwd()
    candidates = [cwd.parent / notebook / f"{notebook}.ipynb", cwd / notebook / f"{notebook}.ipynb",
                  cwd / "work" / notebook / f"{notebook}.ipynb"]
    return next((p for p in candidates if p.is_file()), candidates[0])


def _answer_cells(path: Path) -> list[str]:
    """The code of a notebook's answer cells (nbgrader solution cells), after the imports of its other cells
    (their top-level ``import`` and ``from … import`` statements only: nothing else of them runs)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    imports, answers = [], []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            answers.append(source)
            continue
        python = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(python)           # without IPython's magics and shell lines
        except SyntaxError:                    # a cell that is not Python: it imports nothing here
            continue
        imports += [f"try:\n    {ast.unparse(node)}\nexcept ImportError:\n    pass"      # what it needs, if here
                    for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return imports + answers


def read_earlier(notebook: str, cwd: Path | None = None) -> dict | str:
    """Your definitions from an earlier notebook's answer cells, or the reason they cannot be read."""
    path = notebook_path(notebook, cwd)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return f"your notebook {notebook} is not at {path}"
    cached = _EARLIER.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    namespace: dict = {"__name__": f"yours_{notebook}"}
    try:
        cells = _answer_cells(path)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for source in cells:
                exec(compile(source, f"<{notebook}>", "exec"), namespace)
        result: dict | str = namespace
    except NotImplementedError:
        result = namespace                     # an unfinished challenge: the others may still be there
    except Exception as exc:                   # a broken cell of the student's: say so, do not crash the caller
        result = f"running the answer cells of {path.name} raised {type(exc).__name__}: {exc}"
    _EARLIER[path] = (mtime, result)
    return result


def _passes(name: str, fn) -> str | None:
    """None if ``fn`` passes the visible check of ``name``, else why not (one line)."""
    from .checks import get_spec, run_check

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            result = run_check(get_spec(name), fn)
    except NotImplementedError:
        return "it still raises NotImplementedError"
    if result.passed:
        return None
    return result.messages[0] if result.messages else "its check fails"


class Yours:
    """The placeholder of an open assignment's graded function: calls the student's own version."""

    def __init__(self, name: str, notebook: str | None = None):
        self.__name__ = self.__qualname__ = name
        self.notebook = notebook or notebook_of(name)
        self.__doc__ = (f"Your own {name} (notebook {self.notebook} is open): nnlab calls the version you wrote "
                        "once it passes its check.")

    def resolve(self):
        """The student's function, or ``FinishFirst`` naming what to finish first."""
        name, notebook = self.__name__, self.notebook
        if name in _MINE:
            return _MINE[name]
        if grading():
            raise FinishFirst(f"the reference is not available while grading: nnlab's {name} is your own (notebook "
                              f"{notebook}), used once its check cell has passed.")
        if current_notebook() == notebook:
            raise FinishFirst(f"nnlab uses your own {name} here (notebook {notebook} is still open): finish "
                              f"{name} in notebook {notebook} and run its check cell first.")
        earlier = read_earlier(notebook)
        why = earlier if isinstance(earlier, str) else None
        fn = None if why else earlier.get(name)
        if why is None and not callable(fn):
            why = f"notebook {notebook} does not define {name}"
        if why is None:
            why = _passes(name, fn)
        if why is not None:
            raise FinishFirst(f"this cell needs your {name} from notebook {notebook}, which is not ready ({why}): "
                              f"finish {name} in notebook {notebook} first.")
        _MINE[name] = fn
        return fn

    def __call__(self, *args, **kwargs):
        return self.resolve()(*args, **kwargs)

    def __repr__(self):
        return f"<your {self.__name__} (notebook {self.notebook} is open)>"


class Withheld:
    """A part of nnlab that belongs to an open assignment's answer but is not a function the student writes:
    any use raises ``FinishFirst``, saying that it comes with the kit once the assignment is closed."""

    def __init__(self, name: str, notebook: str):
        self.__name__ = self.__qualname__ = name
        self.notebook = notebook
        self.__doc__ = f"nnlab's {name} belongs to notebook {notebook}'s answers and comes once it is closed."

    def _refuse(self, *args, **kwargs):
        raise FinishFirst(f"nnlab's {self.__name__} is part of the answers to notebook {self.notebook}, which is "
                          f"still open: it comes with the kit once your instructor closes notebook {self.notebook}.")

    __call__ = __getitem__ = __iter__ = __len__ = _refuse

    def __getattr__(self, attr):              # a table's .items(), .get(): refused; introspection's _x: absent
        if attr.startswith("_"):
            raise AttributeError(attr)
        self._refuse()

    def __repr__(self):
        return f"<nnlab's {self.__name__}, withheld while notebook {self.notebook} is open>"
