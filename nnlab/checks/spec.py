"""A check as data: ``Case`` (one call), ``Mistake`` (a typical wrong answer, recognised by computing it),
``Spec`` (a challenge's cases, reference, comparison and diagnostics) and the plain results of a run
(``CaseResult``, ``Result``), whose report's text ``read_report`` reads back (the grader does, from a failed
test cell's assertion)."""
from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from .calling import snapshot

#: what ``Spec.mistake_output`` gives where a typical mistake's implementation raised on the case
NO_OUTPUT = object()
#: how a report's hint and note lines begin (after their indent)
HINT, NOTE = "hint:", "note:"


@dataclass(frozen=True)
class Case:
    """One call of the function under test: ``fn(*args, **kwargs)``."""
    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    hidden: bool = False


@dataclass(frozen=True)
class Mistake:
    """A typical wrong implementation and what to tell a student whose answer matches it."""
    key: str
    message: str
    impl: Callable[..., Any]


@dataclass(frozen=True)
class Spec:
    """Everything needed to check one challenge function.

    reference: the right implementation (or a function giving what to compare against).
    visible: the worked examples and edge cases shown to students (a function returning Cases).
    random_case: ``rng -> Case``, for seeded random cases (hidden cells draw theirs from their own seed).
    rtol, atol_scale, atol: values match when |got − want| ≤ rtol·|want| + atol_scale·max|want| + atol, the max
        taken over the whole output.
    mistakes: typical wrong implementations, tried in order when a case fails.
    hints: extra text per generic diagnosis ("transposed", "sign", "factor:2", "swapped", …).
    transform: ``(output, case) -> comparable``, applied to the student's and the reference output alike.
    validate: ``(output, case, call_again) -> list of problems`` for checks a reference value cannot express;
        ``call_again()`` calls the function once more on fresh copies (None if that raised).
    notes: ``(output, case, expected) -> note or None``, shown when a case passes (e.g. "central
        differences"); ``expected`` is the transformed reference output (None where nothing is compared).
    check_function: ``(fn, case) -> list of problems`` for checks on the function itself rather than its output
        (e.g. that it still works under ``jax.jit``); run after the output checks passed.
    caller: ``fn -> callable`` used for every call of the student's function (e.g. compiled by ``jax.jit``
        with an eager fallback); default: ``fn`` itself.
    recording: the visible cases' expected outputs and named mistakes' outputs, recorded when the student kit
        was built (``nnlab.checks.recorded``); the kit's specs have one instead of a reference.
    float64: why the challenge needs float64, in words; None where a float32 answer is judged with float32's
        tolerance (``comparing.tolerance``).
    depends: the other challenges' functions this one calls in the student's notebook (``one_step_gd`` calls
        ``gradient_estimator``): a failure first checks those, and the grader judges this function with
        correct ones in their place where ``substitute`` allows (not under ``jax.jit``, whose tracers cannot
        leave the process).
    explain: ``(output, case, expected) -> message, None or ...``, read from a wrong output itself where no
        named mistake can compute it (perceptron weights from a random start); given when every failing case
        agrees (``...``: this case has no opinion, e.g. data the rule never separates).
    pair: for a backward pass, the forward pass whose cache it takes (``dense_backward`` ← ``dense_forward``):
        each case's arguments are the backward's incoming gradient followed by the forward's inputs, and the
        ``caller`` builds the cache with the student's own forward pass, so the cache's layout is theirs. The
        forward pass counts as a function this one calls (``depends``) and is never substituted.
    answer: the reference answer with the challenge's own signature, where ``reference`` is something else (a
        pair's reference takes a case's arguments); what stands in for the student's function where another
        challenge that calls it is judged with references (``stand_in``).
    shown: ``(transformed output, case) -> output as written``, the inverse of ``transform`` where one exists
        (``one_step_gd``'s new weights from the gradient its step implies): messages quote those values.
    """
    name: str
    signature: str
    reference: Callable[..., Any]
    visible: Callable[[], list[Case]]
    random_case: Callable[[np.random.Generator], Case]
    output: str = "result"
    rtol: float = 1e-6
    atol_scale: float = 1e-12
    atol: float = 0.0
    mistakes: tuple[Mistake, ...] = ()
    hints: dict = field(default_factory=dict)
    transform: Callable[[Any, Case], Any] | None = None
    validate: Callable[[Any, Case, Callable], list[str]] | None = None
    notes: Callable[[Any, Case], str | None] | None = None
    compare_to_reference: bool = True
    check_function: Callable[[Callable, Case], list[str]] | None = None
    caller: Callable[[Callable], Callable] | None = None
    recording: Any = None
    float64: str | None = None
    depends: tuple[str, ...] = ()
    substitute: bool = True
    explain: Callable[[Any, Case, Any], str | None] | None = None
    shown: Callable[[Any, Case], Any] | None = None
    pair: str | None = None
    answer: Callable[..., Any] | None = None

    def expected(self, case: Case):
        """What the case's output should be, after the transform: the reference's, or the recorded one."""
        if self.recording is not None:
            return self.recording.expected_output(self.name, case)
        want = self.reference(*snapshot(case.args), **snapshot(case.kwargs))
        return self.transform(want, case) if self.transform is not None else want

    def mistake_output(self, mistake: Mistake, case: Case):
        """A typical mistake's output on the case, after the transform (``NO_OUTPUT`` if its code raised)."""
        if self.recording is not None:
            return self.recording.mistake_output(self.name, mistake.key, case)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                wrong = mistake.impl(*snapshot(case.args), **snapshot(case.kwargs))
        except Exception:
            return NO_OUTPUT
        return self.transform(wrong, case) if self.transform is not None else wrong

    def stand_in(self) -> Callable[..., Any]:
        """The reference as another challenge's function calls it: ``answer`` where there is one."""
        return self.reference if self.answer is None else self.answer

    def direct(self) -> Spec:
        """This spec for a function of each case's arguments as they stand (the reference, a named mistake):
        without a pair's caller, which first makes a cache with the student's forward pass."""
        return replace(self, caller=None) if self.pair else self

    def hidden_cases(self, seed: int, n: int = 5) -> list[Case]:
        """``n`` random cases from ``default_rng(seed)``, marked hidden."""
        rng = np.random.default_rng(seed)
        out = []
        for i in range(n):
            c = self.random_case(rng)
            out.append(Case(f"hidden case {i + 1}", c.args, c.kwargs, hidden=True))
        return out


@dataclass
class CaseResult:
    label: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def unique(items) -> list[str]:
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


class Report(str):
    """A check's report: a plain string that a notebook shows without a traceback above it (``showing``)."""


class ReportParts(NamedTuple):
    """A report read back from its text (``read_report``)."""
    headline: str
    problems: list[str]       # every other line: the failed cases' problems, what a blame says to fix first
    hints: list[str]
    notes: list[str]


def read_report(text: str) -> ReportParts:
    """The parts of a report's text, as ``Result.report`` writes it (or ``depending.blame_text``, which quotes
    other reports indented): the first line is the headline, a line beginning ``hint:`` or ``note:`` after its
    indent is a hint or a note, and every other line a problem. Any text reads: a plain assertion's message is
    a headline alone."""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    rest = lines[1:]
    return ReportParts(lines[0] if lines else "", [line for line in rest if not line.startswith((HINT, NOTE))],
                       [line.removeprefix(HINT).strip() for line in rest if line.startswith(HINT)],
                       [line.removeprefix(NOTE).strip() for line in rest if line.startswith(NOTE)])


@dataclass
class Result:
    """Plain-data outcome of a check: JSON-serialisable through ``to_dict``. ``blame``: where the failure comes
    from a function this one calls, what to fix first (``depending``); the report is then that text."""
    name: str
    passed: bool
    score: float
    max_score: float
    cases: list[CaseResult]
    blame: str = ""

    @property
    def messages(self) -> list[str]:
        return [f'case "{c.label}": {p}' for c in self.cases for p in c.problems]

    @property
    def hints(self) -> list[str]:
        return unique(h for c in self.cases for h in c.hints)

    @property
    def notes(self) -> list[str]:
        return unique(n for c in self.cases for n in c.notes)

    def report(self, per_case: int = 2) -> Report:
        """Failures (at most ``per_case`` lines per case), then each hint and note once."""
        if self.blame:
            return Report(self.blame)
        failed = [c for c in self.cases if not c.passed]
        if not failed:
            lines = [f"{self.name}: all {len(self.cases)} cases passed."]
        else:
            lines = [f"{self.name}: {len(failed)} of {len(self.cases)} cases failed."]
            for c in failed:
                lines += [f'  ✗ case "{c.label}": {p}' for p in c.problems[:per_case]]
                if len(c.problems) > per_case:
                    lines.append(f"    … and {len(c.problems) - per_case} more problems in this case")
        lines += [f"  {HINT} {h}" for h in self.hints] + [f"  {NOTE} {n}" for n in self.notes]
        return Report("\n".join(lines))

    def to_dict(self) -> dict:
        return asdict(self) | {"messages": self.messages, "hints": self.hints, "notes": self.notes}
