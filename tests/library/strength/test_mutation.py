"""The challenge checks' strength, measured by mutation testing (``tests/library/strength/mutation.py``).

The tool runs once for the module (about a minute on two cores). Per challenge: every non-equivalent mutant
of the reference answer must fail the check with the hidden cases (goal: all of them), and at least 90% must
fail it on the visible cases alone. A failure lists the surviving mutants, each with its one-line change and
the cases that expose it, so cases can be added where the checks are weak. The mutator itself is tested on
tiny functions first.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutation  # noqa: E402

from nnlab.checks import SPECS, Case, Spec  # noqa: E402

CHALLENGES = [name for name in SPECS if name not in mutation.SKIPPED]

# The mutants run in forked processes. Where an earlier test of the same session ran JAX, Python warns that a fork
# of a process with JAX's threads may deadlock; the children run numpy code only and never touch JAX.
pytestmark = pytest.mark.filterwarnings("ignore:os.fork\\(\\) was called:RuntimeWarning")


def tiny(x, y):
    return x + 2 * y


def tiny_relu(z):
    return np.where(z > 0, z, 0.0)


def returned(m: mutation.Mutant) -> str:
    import ast
    return ast.unparse(ast.parse(m.source).body[0].body[-1].value)


def test_the_mutator_makes_the_expected_mutants():
    made = mutation.mutate(tiny)
    assert {returned(m) for m in made} == {
        "x - 2 * y", "x + 2 / y",               # arithmetic
        "x", "2 * y", "x + y", "x + 2",         # a term dropped
        "x + 3 * y", "x + 0 * y", "x + 1 * y",  # constants
        "y",                                    # an earlier variable returned (x is the dropped term's)
    }
    assert len(made) == 10 and all(m.where.endswith(f"test_mutation.py:{tiny.__code__.co_firstlineno + 1}")
                                   for m in made)
    m = next(m for m in made if returned(m) == "x - 2 * y")
    assert (m.operator, m.before, m.after) == ("arithmetic", "return x + 2 * y", "return x - 2 * y")
    assert {returned(m) for m in mutation.mutate(tiny_relu)} == {
        "np.where(z >= 0, z, 0.0)", "np.where(z > 1, z, 0.0)", "np.where(z > 0, z, 1.0)", "z"}


def test_mutants_are_judged_in_copies_and_an_equivalent_one_is_recognised():
    spec = Spec(name="tiny_relu", signature="tiny_relu(z)", reference=tiny_relu,
                visible=lambda: [Case("a few values", (np.array([-1.0, 0.0, 0.5, 2.0]),))],
                random_case=lambda rng: Case("random", (rng.normal(size=5),)))
    ch = mutation.Challenge.of(spec, [tiny_relu], seeds=[(1, 3)])
    made = mutation.mutate(tiny_relu)
    built = mutation.build(made[0], ch.functions)
    assert built is not tiny_relu and globals()["tiny_relu"] is tiny_relu         # the real module is untouched
    verdicts = dict(zip(map(returned, made), mutation.run_forked(lambda m: mutation.judge(ch, m), made)))
    assert verdicts["np.where(z >= 0, z, 0.0)"] == {"status": "equivalent"}    # at 0 both give 0
    for source in ("np.where(z > 1, z, 0.0)", "np.where(z > 0, z, 1.0)", "z"):
        assert verdicts[source]["status"] == "killed by visible", (source, verdicts[source])
    assert mutation.run_forked(lambda m: mutation.judge(ch, m), [mutation.unmutated([tiny_relu])]) == [
        {"status": "equivalent"}]


def test_a_hanging_mutant_counts_as_killed():
    import time
    assert mutation.run_forked(lambda job: time.sleep(job) or {"status": "done"}, [30, 0],
                               timeout=1.0) == [{"status": "timeout"}, {"status": "done"}]


@pytest.fixture(scope="module")
def results():
    """One run of the tool over every challenge (the tests below read it)."""
    return mutation.run()


def _listing(result: dict, statuses) -> str:
    lines = []
    for m in result["mutants"]:
        if m["status"] in statuses:
            lines.append(f"#{m['id']} [{m['status']}] {m['where']}: {m['before']}  →  {m['after']}  "
                         f"(exposed by {mutation.exposure(m.get('exposed', [])) or m.get('error')})")
    return "\n".join(lines)


@pytest.mark.strength
@pytest.mark.parametrize("name", CHALLENGES)
def test_hidden_cases_kill_every_mutant(results, name):
    r = results[name]
    assert r["baseline"] == "equivalent", f"the harness judges the unmutated answer {r['baseline']}"
    assert r["errors"] == 0, _listing(r, {"error"})
    assert r["hidden_pct"] == 100.0, (
        f"{name}: {r['hidden_pct']:.1f}% of {r['non_equivalent']} non-equivalent mutants fail the check with the "
        f"hidden cases; these pass it:\n{_listing(r, {'survived'})}")


@pytest.mark.strength
@pytest.mark.parametrize("name", CHALLENGES)
def test_visible_cases_kill_nine_in_ten_mutants(results, name):
    r = results[name]
    assert r["visible_pct"] >= 90.0, (
        f"{name}: only {r['visible_pct']:.1f}% of {r['non_equivalent']} non-equivalent mutants fail the visible "
        f"cases; these pass them:\n{_listing(r, {'killed by hidden', 'survived'})}")
