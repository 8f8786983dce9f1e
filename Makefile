# nnlab — the two commands are `make demo` and `make test`; `make help` lists the rest.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check


.PHONY: help demo test test-fast system-deps lab lab-instructor submit work release bench clean

# Debian packages some suites use (grading sandbox, real Fashion-MNIST, the browser suite's chromium);
# installed only when running as root
DEBIAN_PACKAGES := bubblewrap dataset-fashion-mnist chromium fonts-dejavu-core fonts-dejavu-extra postgresql

help:
	@echo "make demo            install [grade] and grade the built-in sample class (prints the grade table)"
	@echo "make test            install [test] and run the whole test suite"
	@echo "make lab             install [lab] and open your own copy of the notebooks (work/) in JupyterLab"
	@echo "make lab-instructor  the same, with nbgrader's instructor tools (formgrader, create assignment)"
	@echo "make submit STUDENT=<id> [ASSIGNMENT=<id>]   zip work/ into submission-<id>[-<assignment>].zip with a manifest"
	@echo "make release         regenerate notebooks/ from solutions/ (instructors)"
	@echo "make bench           install [bench] and run the benchmarks"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true

# one stamp per extra: an install is redone only when pyproject.toml changes
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(PIP) -e ".[$*]" 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import nnlab" && touch $@

demo: $(VENV)/.installed-grade            ## installs: nnlab[grade]
	$(BIN)/nnlab-grade --course demo-course demo

test: $(VENV)/.installed-test system-deps ## installs: nnlab[test] (= lab + grade + pytest, hypothesis)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then echo "installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	else echo "note: not root, so Debian packages ($(DEBIAN_PACKAGES)) are not installed; suites needing them skip"; fi

test-fast: $(VENV)/.installed-test        ## the library and checks only, no kernels
	$(BIN)/python -m pytest -m "not notebooks and not grader and not kit and not browser and not strength" $(PYTEST_ARGS)

work:
	@mkdir -p work
	@for d in notebooks/*/; do id=$$(basename $$d); \
	  for nb in $$d*.ipynb; do [ -e work/$$id/$$(basename $$nb) ] || { mkdir -p work/$$id; cp $$nb work/$$id/; }; done; done

ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

# students: nbgrader's instructor plugins off, Validate on (autograder/lab/README.md); nothing is written to .venv
lab: $(VENV)/.installed-lab work          ## installs: nnlab[lab]
	cd work && JUPYTER_CONFIG_PATH=$(CURDIR)/autograder/lab/student ../$(BIN)/jupyter lab $(ROOT_FLAG)

lab-instructor: $(VENV)/.installed-lab    ## installs: nnlab[lab]
	$(BIN)/nnlab-grade --course course export --to course/export >/dev/null
	cd course && ../$(BIN)/jupyter lab $(ROOT_FLAG)

submit: $(VENV)/.installed-lab work        ## needs STUDENT=<id>; ASSIGNMENT=<id> hands in one assignment
	@[ -n "$(STUDENT)" ] || { echo "usage: make submit STUDENT=<your id> [ASSIGNMENT=<assignment id>]"; exit 2; }
	@$(BIN)/python -m nnlab.submit $(STUDENT) $(ASSIGNMENT)

release: $(VENV)/.installed-grade
	$(BIN)/nnlab-grade release

bench: $(VENV)/.installed-bench           ## installs: nnlab[bench] and torch==2.13.0 (CPU)
	@# PyTorch's CPU index first (never a multi-GB CUDA build); plain pip where a local mirror has the CPU wheel
	$(BIN)/python -c "import torch" 2>/dev/null || $(PIP) --retries 1 torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
	  || $(PIP) torch==2.13.0
	$(BIN)/python benchmarks/bench_gradients.py
	$(BIN)/python benchmarks/bench_layers.py --threads 2
	$$(command -v taskset >/dev/null && echo taskset -c 0) $(BIN)/python benchmarks/bench_layers.py --threads 1
	$(BIN)/python benchmarks/bench_jax.py --threads 2
	$$(command -v taskset >/dev/null && echo taskset -c 0) $(BIN)/python benchmarks/bench_jax.py --threads 1
	$(BIN)/python benchmarks/bench_fashion.py
	$(BIN)/python benchmarks/bench_grader.py --scaling

clean:
	rm -rf $(VENV) demo-course build .pytest_cache .hypothesis
