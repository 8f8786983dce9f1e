"""Checks from recorded data: the student kit's specs, which hold no reference answer.

``record`` runs a full spec on its visible cases and keeps plain data: the cases, the expected output of each
(after the spec's transform) and the output of each named mistake on it. ``recorded_specs`` turns that data
back into specs whose ``recording`` replaces the reference, so the kit gives exactly the messages the full
library gives on the visible cases, named mistakes included. The checks that need no reference (a spec's
``validate``, ``transform``, ``notes``, ``check_function`` and ``caller``) are module-level functions of
answer-free modules, kept by import path. Hidden cases are the grader's: the kit has none.
"""
from __future__ import annotations

import copy
import functools
import importlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from .spec import NO_OUTPUT, Case, Mistake, Spec

RECORDING_FILE = Path(__file__).with_name("recorded.pkl")
HOOKS = ("transform", "validate", "notes", "check_function", "caller", "explain", "shown")
PLAIN = ("name", "signature", "output", "rtol", "atol_scale", "atol", "hints", "compare_to_reference",
         "float64", "depends", "substitute", "pair")


@dataclass(frozen=True)
class Recording:
    """A spec's recorded outputs: ``expected[label]`` and ``mistakes[key][label]``, both after the transform
    (a mistake whose code raised on a case has no entry for it)."""
    expected: dict
    mistakes: dict

    def expected_output(self, name: str, case: Case):
        try:
            return copy.deepcopy(self.expected[case.label])
        except KeyError:
            raise LookupError(f"check {name}: only the visible cases are recorded in the student kit; hidden "
                              "cases are checked by the grader") from None

    def mistake_output(self, name: str, key: str, case: Case):
        return copy.deepcopy(self.mistakes.get(key, {}).get(case.label, NO_OUTPUT))


def hook_path(fn) -> str:
    """``"module:name"`` of a module-level function, the only kind of hook a recording can keep."""
    module, name = getattr(fn, "__module__", None), getattr(fn, "__qualname__", "")
    if not module or not name.isidentifier() or getattr(importlib.import_module(module), name, None) is not fn:
        raise ValueError(f"{fn!r} is not a module-level function: a recorded spec cannot keep it")
    return f"{module}:{name}"


def record(spec: Spec) -> dict:
    """The plain data of ``spec`` on its visible cases (inputs, expected outputs, named mistakes' outputs)."""
    cases = spec.visible()
    labels = [c.label for c in cases]
    if len(set(labels)) != len(labels):
        raise ValueError(f"check {spec.name}: visible case labels must be unique to be recorded: {labels}")
    expected = {c.label: spec.expected(c) for c in cases} if spec.compare_to_reference else {}
    mistakes = []
    for mistake in spec.mistakes:
        outputs = {c.label: spec.mistake_output(mistake, c) for c in cases}
        mistakes.append((mistake.key, mistake.message, {k: v for k, v in outputs.items() if v is not NO_OUTPUT}))
    return {"fields": {k: getattr(spec, k) for k in PLAIN},
            "hooks": {h: hook_path(getattr(spec, h)) for h in HOOKS if getattr(spec, h) is not None},
            "cases": cases, "expected": expected, "mistakes": mistakes}


def recording(specs) -> bytes:
    """Every spec of ``specs`` (name → Spec) recorded, as the bytes of one file."""
    return pickle.dumps({name: record(spec) for name, spec in specs.items()}, protocol=4)


@functools.lru_cache(maxsize=1)
def _load() -> dict:
    return pickle.loads(RECORDING_FILE.read_bytes())


def _hook(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def _hidden_by_grader(rng):
    raise LookupError("hidden cases are drawn and checked by the grader; the student kit has none")


def _no_reference(*args, **kwargs):
    raise LookupError("the student kit holds no reference answers; its checks compare with recorded outputs")


def _recorded_only(*args, **kwargs):
    raise LookupError("the student kit keeps only this mistake's recorded outputs")


def recorded_spec(name: str, recording: dict | None = None) -> Spec:
    """The kit's spec of one challenge, from ``recording`` (a dict of ``record`` results by name, as the function
    ``recording`` pickles them; default: the recording file beside this module)."""
    data = (_load() if recording is None else recording)[name]
    cases = tuple(data["cases"])
    mistakes = tuple(Mistake(key, message, _recorded_only) for key, message, _ in data["mistakes"])
    recording = Recording(data["expected"], {key: outputs for key, _, outputs in data["mistakes"]})
    return Spec(reference=_no_reference, visible=lambda: list(cases), random_case=_hidden_by_grader,
                mistakes=mistakes, recording=recording, **data["fields"],
                **{h: _hook(p) for h, p in data["hooks"].items()})


def recorded_specs(*names: str) -> tuple[Spec, ...]:
    return tuple(recorded_spec(n) for n in names)
