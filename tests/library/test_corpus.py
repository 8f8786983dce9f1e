"""A corpus of realistic student answers (tests/library/corpus/) against the challenge checks.

Every entry's code is executed in a fresh namespace, as a notebook would define it, and its function is checked
on the visible cases, on hidden cases (the seeds and counts of the solutions notebooks' hidden-test cells), and
through the student kit's recorded spec on the visible cases, which must say exactly what the full spec says.

- a correct answer (``expect="passes"``) passes everywhere, with the promised note where one is named;
- a wrong answer (``expect="fails"``) fails on the visible cases, and on the hidden ones unless only a visible
  edge case can reveal it (``visible_only``); every failing report names the cause (one of ``keywords``), says
  none of the ``forbid`` words, speaks of a "constant factor" only where the mistake is one (``factor``), and
  shows no absurd number (a relative error of 1e+300 from dividing by an expected 0).
"""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import math
import re
from pathlib import Path

import numpy as np
import pytest

from nnlab.checks import SPECS, check, get_spec, run_check
from nnlab.checks.recorded import record, recorded_spec

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NOTEBOOKS = ("nb01", "nb02", "nb03", "nb04", "nb05", "nb06", "nb07", "nb08")
FALLBACK_SEED = (20261122, 5)            # for a check that no hidden-test cell of the solutions calls
ABSURD_EXPONENT = 16                     # "e+16" and beyond: no value or error in this course is that large
FIELDS = {"id", "challenge", "code", "expect", "notes", "keywords", "forbid", "factor", "visible_only"}


def _load(notebook: str) -> list[dict]:
    """A corpus module's ENTRIES, loaded by path (the modules import nothing from each other)."""
    path = HERE / "corpus" / f"{notebook}.py"
    spec = importlib.util.spec_from_file_location(f"nnlab_test_corpus_{notebook}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [dict(entry, notebook=notebook) for entry in module.ENTRIES]


ENTRIES = [entry for notebook in NOTEBOOKS for entry in _load(notebook)]


@functools.cache
def hidden_seeds() -> dict[str, tuple[int, int]]:
    """check name → (hidden_seed, n) of the solutions notebooks' hidden-test cells."""
    import nbformat

    from autograder.trust.verify import source_checks

    out = {}
    for path in sorted((REPO / "solutions").glob("*/*.ipynb")):
        for calls in source_checks(nbformat.read(path, as_version=4)).values():
            for call in calls:
                if call.hidden_seed is not None:
                    out.setdefault(call.check, (call.hidden_seed, call.n))
    return out


@functools.cache
def kit_spec(name: str):
    """The student kit's spec of a check: recorded from the current full spec, as the kit build does."""
    return recorded_spec(name, {name: record(get_spec(name))})


def student_function(entry: dict):
    """Execute the entry's code in a fresh namespace (np and math, plus jax and jnp for notebook 08)."""
    namespace = {"__name__": "__student__", "np": np, "math": math}
    if entry["notebook"] == "nb08":
        jax = pytest.importorskip("jax", reason="notebook 08's corpus entries need JAX: pip install 'nnlab[jax]'")
        import jax.numpy as jnp

        jax.config.update("jax_enable_x64", True)          # as notebook 08's first cell does
        namespace.update(jax=jax, jnp=jnp)
    exec(compile(entry["code"], f"<corpus {entry['id']}>", "exec"), namespace)
    return namespace[entry["challenge"]]


def absurd_numbers(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"\d(?:\.\d+)?e\+(\d+)", text) if int(m.group(1)) >= ABSURD_EXPONENT]


def said(result) -> str:
    """What a failing report says about the answer: its blame, or each case's problems and the hints (not the
    case labels, whose words would match a keyword by chance)."""
    if result.blame:
        return result.blame
    return "\n".join([p for c in result.cases for p in c.problems] + result.hints)


def failing_report_problems(entry: dict, report: str, where: str, words: str | None = None) -> list[str]:
    """What is wrong with a failing report: no keyword (in ``words``, what it says about the answer), a forbidden
    word, a misleading factor, absurd numbers."""
    low = (report if words is None else words).lower()
    problems = []
    if not any(k.lower() in low for k in entry["keywords"]):
        problems.append(f"{where}: the report names none of {entry['keywords']}")
    said = [f for f in entry.get("forbid", ()) if f.lower() in low]
    if said:
        problems.append(f"{where}: the report says {said}")
    if "constant factor" in low and not entry.get("factor"):
        problems.append(f"{where}: a misleading 'constant factor' hint")
    absurd = absurd_numbers(report)
    if absurd:
        problems.append(f"{where}: absurd numbers {absurd}")
    return problems


def evaluate(entry: dict) -> tuple[list[str], dict]:
    """Check one entry as its test cells would (``check``, which blames a broken function it calls): (what
    does not meet its expectation, the reports)."""
    fn = student_function(entry)
    name = entry["challenge"]
    seed, n = hidden_seeds().get(name, FALLBACK_SEED)
    with contextlib.redirect_stdout(io.StringIO()):
        visible = check(name, fn)
        hidden = check(name, fn, hidden_seed=seed, n=n)
    reports = {"visible": visible.report(), "hidden": hidden.report()}
    problems = []
    plain = run_check(get_spec(name), fn).report()
    try:
        kit = run_check(kit_spec(name), fn)
    except Exception as exc:                 # a spec the kit cannot record: say so, and judge the rest anyway
        problems.append(f"the kit's recorded spec cannot check it ({type(exc).__name__}: {exc})")
    else:
        reports["kit"] = kit.report()
        if kit.passed != visible.passed or reports["kit"] != plain:
            problems.append("the kit's recorded spec reports differently from the full spec on the visible cases")
    if entry["expect"] == "passes":
        for where, result in (("visible", visible), ("hidden", hidden)):
            if not result.passed:
                problems.append(f"{where}: a correct answer fails")
        if entry.get("notes") and visible.passed and hidden.passed:
            notes = " ".join(visible.notes + hidden.notes).lower()
            if not any(k.lower() in notes for k in entry["notes"]):
                problems.append(f"passes without a note naming any of {entry['notes']}")
    else:
        if visible.passed:
            problems.append("visible: a wrong answer passes")
        else:
            problems += failing_report_problems(entry, reports["visible"], "visible", said(visible))
        if hidden.passed:
            if not entry.get("visible_only"):
                problems.append("hidden: a wrong answer passes")
        else:
            problems += failing_report_problems(entry, reports["hidden"], "hidden", said(hidden))
    return problems, reports


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_student_answer(entry):
    problems, reports = evaluate(entry)
    shown = "\n".join(f"--- {k} report:\n{v}" for k, v in reports.items()
                      if k != "kit" or v != reports["visible"])
    assert not problems, f"{entry['id']} (expected: {entry['expect']}):\n  " + "\n  ".join(problems) + "\n" + shown


def test_the_corpus_covers_every_challenge():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for e in ENTRIES:
        assert set(e) - {"notebook"} <= FIELDS, (e["id"], set(e) - FIELDS - {"notebook"})
        assert e["challenge"] in SPECS, e["id"]
        assert e["expect"] in ("passes", "fails"), e["id"]
        assert e["expect"] == "passes" or e.get("keywords"), f"{e['id']}: a failing entry names its cause"
    passing = [e for e in ENTRIES if e["expect"] == "passes"]
    assert len(ENTRIES) >= 150 and len(passing) >= 60, (len(ENTRIES), len(passing))
    for name in SPECS:
        kinds = {e["expect"] for e in ENTRIES if e["challenge"] == name}
        assert kinds == {"passes", "fails"}, f"{name}: the corpus needs a correct and a wrong answer ({kinds})"
    jax_entries = [e for e in ENTRIES if e["notebook"] == "nb08"]
    assert len(jax_entries) <= 15, "notebook 08's entries compile under jax.jit: keep them few"
