"""The student kit's own files: ``pyproject.toml``, ``Makefile`` and ``README.md`` (autograder/commands/kit.py)."""
from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def kit_dependencies() -> list[str]:
    """What the notebooks need, from the repository's own pyproject: nnlab's dependencies and its ``lab`` and
    ``jax`` extras (plots, widgets, nbgrader's Validate button, the real data sets of 05–07, JAX)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    deps = project["dependencies"] + extras["lab"] + extras["jax"]
    return [d for d in dict.fromkeys(deps) if not d.startswith("nnlab[")]


def pyproject(version: str) -> str:
    deps = ",\n    ".join(f'"{d}"' for d in kit_dependencies())
    return f'''[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "nnlab"
version = "{version}"
description = "The neural-networks bootcamp: challenge notebooks and the nnlab library (student kit)"
readme = "README.md"
requires-python = ">=3.11"
license = "MIT"
dependencies = [
    {deps},
]

[tool.setuptools]
package-dir = {{ "" = "." }}

[tool.setuptools.packages.find]
include = ["nnlab*"]

[tool.setuptools.package-data]
nnlab = ["kit.json", "checks/recorded.pkl", "pictures/widgets/playground_runs.pkl.xz"]
'''


def makefile() -> str:
    return '''# The bootcamp, student kit: `make lab` to work, `make submit STUDENT=<id>` to hand in.
PYTHON ?= python3
# more options for pip's install, e.g. PIP_ARGS="--no-index --find-links DIR" to install offline from wheels in DIR
PIP_ARGS ?=
VENV   := .venv
BIN    := $(VENV)/bin
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: help lab submit work

help:
\t@echo "make lab                                   install, then open your copy of the notebooks (work/)"
\t@echo "make submit STUDENT=<id> [ASSIGNMENT=<id>]  zip work/ into submission-<id>[-<assignment>].zip"

$(VENV)/.installed: pyproject.toml
\t$(PYTHON) -m venv $(VENV)
\t$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIP_ARGS) -e . 2>&1 \\
\t  | grep -v "^WARNING: Location" || true
\t@$(BIN)/python -c "import nnlab" && touch $@

# your copy: notebooks/ stays as released, work/ is yours (an existing notebook is never overwritten, a new
# one from a newer kit is copied)
work:
\t@mkdir -p work
\t@for d in notebooks/*/; do id=$$(basename $$d); \\
\t  for nb in $$d*.ipynb; do [ -e work/$$id/$$(basename $$nb) ] || { mkdir -p work/$$id; cp $$nb work/$$id/; }; done; done

# JupyterLab through the venv's python (-P: the files in work/ are not on the server's import path)
lab: $(VENV)/.installed work
\tcd work && JUPYTER_CONFIG_PATH=$(CURDIR)/lab ../$(BIN)/python -P -m jupyterlab $(ROOT_FLAG)

submit: $(VENV)/.installed work
\t@[ -n "$(STUDENT)" ] || { echo "usage: make submit STUDENT=<your id> [ASSIGNMENT=<assignment id>]"; exit 2; }
\t@$(BIN)/python -m nnlab.submit $(STUDENT) $(ASSIGNMENT)
'''


def readme(open_ids: list[str], closed: list[str]) -> str:
    rows = "\n".join(f"| `{a}` | {'closed: nnlab holds its reference' if a in closed else 'open: your own code'} |"
                     for a in sorted(open_ids + closed))
    return f'''# Neural-networks bootcamp: student kit

You build the machinery of neural networks yourself, one notebook at a time: the perceptron, the forward pass,
gradient descent, backpropagation, a deep classifier, convolution, an LSTM cell, and the same on JAX. Each
challenge has a check cell that tells you what is wrong without giving the answer away.

## Start

With Python 3.11 or newer and `make`:

    make lab                                  # installs into .venv, copies the notebooks to work/, opens JupyterLab

Without `make` (e.g. on Windows):

    python -m venv .venv
    .venv/bin/python -m pip install -e .      # Windows: .venv\\Scripts\\python -m pip install -e .
    # copy each notebooks/<id>/ folder to work/<id>/ (keep the folder names), then:
    cd work
    ../.venv/bin/jupyter lab                  # Windows: ..\\.venv\\Scripts\\jupyter lab

Work in `work/`: `notebooks/` stays as released, and `make lab` never overwrites a notebook you already have.
Keep each notebook in its own folder, named like the assignment (`work/03_gradient_descent/…`): later
notebooks read your earlier ones from there (see below).

## Handing in

    make submit STUDENT=<your id>                          # every assignment → submission-<id>.zip
    make submit STUDENT=<your id> ASSIGNMENT=02_forward_pass   # one assignment → submission-<id>-02_forward_pass.zip

Without `make`: `.venv/bin/python -m nnlab.submit <your id> [<assignment id>]`. Upload the zip where your
instructor says (Canvas, Moodle, …). It holds your notebooks and a manifest (when you packed it, this kit's
version and build, and a checksum of each notebook), so your instructor can tell that what arrived is what you
packed.

## Your functions in later cells and notebooks

This kit holds no answer to an open challenge. Wherever nnlab needs the function of an open assignment — a
later cell that trains with your activation, a widget, a later notebook that builds on an earlier one — it
uses **yours**:

- in the notebook where you write a function, once it passes its check cell;
- in a later notebook, your definition from the earlier notebook's answer cells
  (`work/<assignment>/<assignment>.ipynb`), once it passes the same check;
- until then the cell stops with one line, `FinishFirst: …`, naming the challenge to finish first.

`from nnlab import predict` is that mechanism, the same in every notebook. When your instructor closes an
assignment (its deadline has passed), they publish a new build of this kit in which nnlab holds the reference
for it, so later notebooks build on a working version; `git pull` (or a fresh download) brings it.

| assignment | in this build |
|---|---|
{rows}

## On a JupyterHub

If your course runs a JupyterHub, your instructor can give you an nbgitpuller link to this kit's repository,
of the form

    https://<hub>/hub/user-redirect/git-pull?repo=<kit repository URL>&branch=main&urlpath=lab/tree/<kit folder>/notebooks

Opening it clones the kit into your hub home (or merges a new build into it without touching your own
changes). The hub's Python needs the packages in `pyproject.toml` (`pip install -e <kit folder>` in a hub
terminal installs them and nnlab), and the notebooks work from `notebooks/` or from a `work/` copy alike.
'''
