"""Measured strength of the challenge checks, by mutation testing (no third-party mutation tool).

For every graded function the reference answer in ``nnlab/answers`` is mutated one small change at a time
(an operator, a constant, an index, an axis, a dropped term or statement, …) and each mutant is judged on

* every case: the spec's visible cases, the hidden cases the instructor's notebooks draw (their
  ``check(name, fn, hidden_seed=S, n=N)`` calls, read with ``autograder.trust.verify.source_checks``) and
  ``EXTRA`` more cases drawn with ``spec.random_case`` from ``default_rng(EXTRA_SEED)``. A mutant whose output
  stays within the check's tolerance on all of them (compared as the check compares: transform, structure,
  finiteness, tolerance; ``validate`` for the specs judged by it) is *equivalent* and only counted;
* every other mutant must fail ``run_check``: with the visible cases alone, and with visible + hidden.

What is mutated is what the student writes: the reference answer and the nnlab functions it calls (e.g.
``step_along``, ``conv_cache``, ``max_pool_forward``), except input conversion (``nnlab.backend``), input
checks (``raise`` and the ifs around it) and the graded functions written earlier in the course (``predict``
calls ``forward_pass``, which is judged on its own). Every mutant is compiled into copies of the module
namespaces involved (callers relinked to the copies, so a mutated helper is the one used) in a forked process,
two at a time, under a timeout: one that hangs or crashes counts as killed; nothing touches the real modules.
Before its mutants, each challenge's unmutated functions go through the same path and must come out
equivalent (``baseline``). ``logic_gate`` and ``xor_network`` return hand-set constants, so there is no
algorithm to mutate and they are skipped. The JAX specs of notebook 08 are run on their numpy answers with
``caller`` and ``check_function`` removed (no ``jax.jit``); a backward pass checked as a pair keeps its caller,
which makes each case's cache with the forward pass beside it (the reference's, in the copied namespace).

    python -m tests.library.strength.mutation [--challenge NAME] [--json FILE] [--cap N]
"""
from __future__ import annotations

import __future__
import argparse
import ast
import contextlib
import dataclasses
import importlib
import inspect
import io
import json
import multiprocessing
import multiprocessing.connection
import resource
import sys
import textwrap
import time
import warnings
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnlab.answers import GRADED
from nnlab.checks import SPECS, run_check
from nnlab.checks import comparing
from nnlab.checks.calling import snapshot
from nnlab.checks.comparing import close, conform, leaves, structure_problems, to_array
from nnlab.checks.spec import Case, Spec

REPO = Path(__file__).resolve().parents[3]
ANSWERS = REPO / "nnlab" / "answers"
EXTRA_SEED, EXTRA = 97531, 20          # extra cases: a seed no notebook uses
CAP = 250                              # mutants judged per challenge, spread over the operators (none has more)
TIMEOUT = 10.0                         # seconds per mutant
WORKERS = 2
SKIPPED = {"logic_gate": "returns a hand-set constant (w, b); no algorithm to mutate",
           "xor_network": "returns a hand-set constant network; no algorithm to mutate"}
LEFT_MODULES = ("nnlab.backend",)     # input conversion and validation: not the algorithm a student writes
ANSWER_OF = {"jax_cost": "cost_function", "jax_gradient": "backprop"}   # the numpy answer a JAX spec checks

# ------------------------------------------------------------------------------------------ the mutator

BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
               ast.Pow: ast.Mult, ast.Mod: ast.FloorDiv}
COMPARE_SWAPS = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Eq: ast.NotEq,
                 ast.NotEq: ast.Eq}
NAME_SWAPS = {"min": ["max"], "max": ["min"], "amin": ["amax"], "amax": ["amin"], "minimum": ["maximum"],
              "maximum": ["minimum"], "argmin": ["argmax"], "argmax": ["argmin"], "sum": ["mean"],
              "mean": ["sum"], "exp": ["exp2", "expm1"], "log": ["log2", "log1p"], "tanh": ["arctan"],
              "sigmoid_prime": ["sigmoid"], "sigmoid": ["sigmoid_prime"]}
DROPPABLE_CALLS = {"abs", "sqrt", "reversed"}                   # f(x) → x
NEGATABLE_CALLS = {"exp", "tanh", "log", "sigmoid", "sigmoid_prime"}   # f(x) → f(-x)


@dataclass
class Mutant:
    """One mutant: the function it changes, the operator, where, and the whole mutated function's source."""
    module: str
    function: str
    operator: str
    where: str                  # "path/file.py:LINE"
    before: str
    after: str
    source: str
    id: int = 0


def _called_name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _num(node) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _plus(node, k):
    return ast.BinOp(node, ast.Add() if k > 0 else ast.Sub(), ast.Constant(abs(k)))


def _skipped(fn: ast.FunctionDef) -> set[int]:
    """ids of nodes never mutated: input checks (``raise`` and ifs that only raise), strings, annotations,
    the docstring."""
    skip = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise) or (isinstance(node, ast.If) and all(isinstance(s, ast.Raise) for s in node.body)):
            skip.append(node)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            skip.append(node.annotation)
        elif isinstance(node, (ast.JoinedStr, ast.Constant)) and not _num(node):
            skip.append(node)
    if fn.returns is not None:
        skip.append(fn.returns)
    if fn.body and isinstance(fn.body[0], ast.Expr) and isinstance(fn.body[0].value, ast.Constant):
        skip.append(fn.body[0])
    return {id(n) for s in skip for n in ast.walk(s)}


def _locals_before(fn: ast.FunctionDef, line: int) -> list[str]:
    """The parameters and the names assigned before ``line``, in order: candidates for a wrong ``return``."""
    names = [a.arg for a in fn.args.args]
    inner = {id(n) for c in ast.walk(fn) if isinstance(c, ast.comprehension) for n in ast.walk(c.target)}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.lineno < line and id(node) not in inner:
            names.append(node.id)
    return list(dict.fromkeys(names))


def replacements(node, fn: ast.FunctionDef):
    """``(operator, replacement node or None for "delete the statement")`` pairs for one node."""
    if isinstance(node, ast.BinOp):
        a, b = node.left, node.right
        if isinstance(node.op, ast.MatMult):
            yield "matmul", ast.BinOp(b, ast.MatMult(), a)
            yield "transpose", ast.BinOp(ast.Attribute(a, "T"), ast.MatMult(), b)
            yield "transpose", ast.BinOp(a, ast.MatMult(), ast.Attribute(b, "T"))
        elif type(node.op) in BINOP_SWAPS:
            yield "arithmetic", ast.BinOp(a, BINOP_SWAPS[type(node.op)](), b)
        yield "drop term", a
        yield "drop term", b
    elif isinstance(node, ast.AugAssign) and type(node.op) in BINOP_SWAPS:
        yield "arithmetic", ast.AugAssign(node.target, BINOP_SWAPS[type(node.op)](), node.value)
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARE_SWAPS:
                ops = list(node.ops)
                ops[i] = COMPARE_SWAPS[type(op)]()
                yield "comparison", ast.Compare(node.left, ops, node.comparators)
    elif _num(node):
        c = node.value
        for new in dict.fromkeys([c + 1, 0, 1 if c in (2, 0.5) else 2 if c == 1 else c + 1]):
            if new != c:
                yield "constant", ast.Constant(type(c)(new))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        yield "unary", node.operand
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield "transpose", node.value
    elif isinstance(node, ast.Slice):
        for part in ("lower", "upper"):
            bound = getattr(node, part)
            if bound is not None:
                yield "slice", ast.Slice(**{**vars(node), part: None})
                if not _num(bound) and not isinstance(bound, ast.UnaryOp):
                    yield "slice", ast.Slice(**{**vars(node), part: _plus(bound, 1)})
    elif isinstance(node, ast.Call):
        name, args = _called_name(node), node.args
        if name in ("range", "arange") and args:            # range(n) → range(n - 1), range(a, …) → range(a + 1, …)
            yield "range", ast.Call(node.func, [_plus(args[0], -1 if len(args) == 1 else 1), *args[1:]], node.keywords)
        if name in DROPPABLE_CALLS and len(args) == 1:
            yield "drop call", args[0]
        if name in NEGATABLE_CALLS and args:
            yield "unary", ast.Call(node.func, [ast.UnaryOp(ast.USub(), args[0]), *args[1:]], node.keywords)
        for i, kw in enumerate(node.keywords):
            if kw.arg in ("axis", "keepdims"):
                yield "axis", ast.Call(node.func, args, node.keywords[:i] + node.keywords[i + 1:])
            if kw.arg == "axis" and _num(kw.value) and kw.value.value in (0, 1):
                kws = list(node.keywords)
                kws[i] = ast.keyword("axis", ast.Constant(1 - kw.value.value))
                yield "axis", ast.Call(node.func, args, kws)
        for new in NAME_SWAPS.get(name, []):
            f = node.func
            func = ast.Attribute(f.value, new) if isinstance(f, ast.Attribute) else ast.Name(new)
            yield "function swap", ast.Call(func, args, node.keywords)
    elif isinstance(node, ast.Return) and node.value is not None:
        names = _locals_before(fn, node.lineno)
        if isinstance(node.value, ast.Tuple):
            for i, elt in enumerate(node.value.elts):
                for name in names:
                    if ast.unparse(elt) != name:
                        elts = list(node.value.elts)
                        elts[i] = ast.Name(name)
                        yield "return", ast.Return(ast.Tuple(elts))
        else:
            for name in names:
                if ast.unparse(node.value) != name:
                    yield "return", ast.Return(ast.Name(name))
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr, ast.Break, ast.Continue)):
        yield "delete statement", None


def _slot(tree, node):
    """Where ``node`` sits in ``tree``: ``(parent, field, index or None)``."""
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is node:
                return parent, name, None
            if isinstance(value, list):
                for i, v in enumerate(value):
                    if v is node:
                        return parent, name, i
    raise ValueError("node not in tree")


def _unparse_with(tree, node, new) -> str:
    """``tree``'s source with ``new`` in ``node``'s place (None: ``pass``); the tree is left as it was."""
    parent, name, i = _slot(tree, node)
    new = ast.Pass() if new is None else new
    holder = getattr(parent, name)
    if i is None:
        setattr(parent, name, new)
    else:
        holder[i] = new
    try:
        return ast.unparse(tree)
    finally:
        if i is None:
            setattr(parent, name, node)
        else:
            holder[i] = node


def _line_change(lines: list[str], node, new) -> tuple[str, str]:
    """The original line and the mutated one (the node's text replaced, by its UTF-8 byte offsets)."""
    line = lines[node.lineno - 1]
    if new is None:
        return line.strip(), "(statement deleted)"
    if node.lineno != node.end_lineno:
        return ast.unparse(node)[:160], ast.unparse(new)[:160]
    raw = line.encode()
    after = raw[:node.col_offset].decode() + ast.unparse(new) + raw[node.end_col_offset:].decode()
    return line.strip(), after.strip()


def mutate(function) -> list[Mutant]:
    """Every distinct mutant of ``function`` (a plain function defined at a module's top level)."""
    text = textwrap.dedent(inspect.getsource(function))
    first = inspect.getsourcelines(function)[1]
    path = Path(inspect.getsourcefile(function)).resolve()
    where = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else path.name
    lines = text.splitlines()
    tree = ast.parse(text)
    fn = tree.body[0]
    skip = _skipped(fn)
    seen = {ast.unparse(tree)}
    out = []
    for node in list(ast.walk(tree)):
        if id(node) in skip or node is fn:
            continue
        for operator, new in replacements(node, fn):
            source = _unparse_with(tree, node, new)
            if source in seen:
                continue
            seen.add(source)
            try:
                compile(source, "<mutant>", "exec")
            except (SyntaxError, ValueError):
                continue                                  # a mutant that does not compile is discarded
            before, after = _line_change(lines, node, new)
            out.append(Mutant(function.__module__, function.__name__, operator, f"{where}:{first + node.lineno - 1}", before, after,
                              source))
    return out


def spread(mutants: list[Mutant], cap: int) -> list[Mutant]:
    """At most ``cap`` mutants, taken round-robin over the operators in order of appearance (deterministic)."""
    groups = defaultdict(deque)
    for i, m in enumerate(mutants):
        groups[m.operator].append((i, m))
    chosen = []
    while len(chosen) < min(cap, len(mutants)):
        for g in groups.values():
            if g and len(chosen) < cap:
                chosen.append(g.popleft())
    return [m for _, m in sorted(chosen, key=lambda im: im[0])]


def build(mutant: Mutant, functions: list):
    """The first of ``functions``, with ``mutant`` compiled in: every function is compiled anew into a copy of
    its module's namespace, and each copy's references to the originals point to the new ones."""
    namespaces, new = {}, {}
    for f in functions:
        ns = namespaces.setdefault(f.__module__, dict(vars(sys.modules[f.__module__])))
        mutated = (f.__module__, f.__name__) == (mutant.module, mutant.function)
        source = mutant.source if mutated else textwrap.dedent(inspect.getsource(f))
        exec(compile(source, f"<mutant of {f.__name__}>", "exec", flags=__future__.annotations.compiler_flag,
                     dont_inherit=True), ns)
        new[id(f)] = ns[f.__name__]
    for ns in namespaces.values():
        ns.update({k: new[id(v)] for k, v in ns.items() if id(v) in new})
    return new[id(functions[0])]

# ------------------------------------------------------------------------------------------ judging


@dataclass
class Challenge:
    """A spec, the functions to mutate (the graded one first, then the helpers it calls) and the cases with
    their expected outputs, computed once before the workers fork."""
    spec: Spec
    functions: list
    visible: list[Case]
    hidden: list[Case]
    extra: list[Case]
    wants: list = field(default_factory=list)

    @property
    def cases(self) -> list[Case]:
        return self.visible + self.hidden + self.extra

    @classmethod
    def of(cls, spec: Spec, functions: list, seeds=()) -> Challenge:
        """The visible cases, the hidden ones of every ``(hidden_seed, n)`` in ``seeds``, the extra ones."""
        hidden = [dataclasses.replace(c, label=f"{c.label} (seed {seed})")
                  for seed, n in seeds for c in spec.hidden_cases(seed, n)]
        rng = np.random.default_rng(EXTRA_SEED)
        extra = [dataclasses.replace(spec.random_case(rng), label=f"extra case {i + 1}") for i in range(EXTRA)]
        ch = cls(spec, functions, spec.visible(), hidden, extra)
        ch.wants = [spec.expected(c) if spec.compare_to_reference else None for c in ch.cases]
        return ch


def _helpers(function, written: set[str]) -> list:
    """``function`` and the nnlab functions it calls, transitively: those the student writes as part of it.
    Input conversion (``nnlab.backend``) and the graded functions the student has already written are left."""
    out, todo = [function], [function]
    while todo:
        f = todo.pop()
        for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(f)))):
            g = f.__globals__.get(node.id) if isinstance(node, ast.Name) else None
            if (inspect.isfunction(g) and g.__module__.startswith("nnlab.") and g.__module__ not in LEFT_MODULES
                    and g.__name__ not in written and all(g is not h for h in out)):
                out.append(g)
                todo.append(g)
    return out


def hidden_calls() -> dict[str, list[tuple[int, int]]]:
    """spec name → the (hidden_seed, n) of every hidden check in the instructor's notebooks."""
    import nbformat
    from autograder.trust.verify import source_checks
    out = defaultdict(list)
    for path in sorted((REPO / "solutions").glob("*/*.ipynb")):
        for calls in source_checks(nbformat.read(path, 4)).values():
            for c in calls:
                if c.hidden_seed is not None:
                    out[c.check].append((c.hidden_seed, c.n))
    return out


def challenge(name: str, calls: dict) -> Challenge:
    """The challenge of one spec: its numpy answer and helpers, with the hidden cases of ``calls``."""
    assert EXTRA_SEED not in {s for cs in calls.values() for s, _ in cs}
    full = SPECS[name]                  # numpy, no jax.jit; a backward pass keeps the caller that makes its cache
    spec = dataclasses.replace(full, caller=full.caller if full.pair else None, check_function=None)
    answer = ANSWER_OF.get(name, name)
    modules = [importlib.import_module(f"nnlab.answers.{p.stem}") for p in sorted(ANSWERS.glob("nb0*.py"))]
    function = next(f for f in (getattr(m, answer, None) for m in modules)
                    if inspect.isfunction(f) and f.__module__.startswith("nnlab.answers."))
    order = [g for names in GRADED.values() for g in names]
    written = set(order[:order.index(name)]) - {answer}
    return Challenge.of(spec, _helpers(function, written), calls.get(name, []))


def unmutated(functions: list) -> Mutant:
    """The first function as it is: the baseline, which must come out equivalent."""
    f = functions[0]
    return Mutant(f.__module__, f.__name__, "none", "", "", "", textwrap.dedent(inspect.getsource(f)))


def _quiet_call(fn, case: Case):
    with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        return fn(*snapshot(case.args), **snapshot(case.kwargs))


def tolerance(spec: Spec, got) -> tuple[float, float, float]:
    """``(rtol, atol_scale, atol)`` as the check takes them (``comparing.tolerance`` where it has one)."""
    if hasattr(comparing, "tolerance"):
        return comparing.tolerance(spec, got)
    return spec.rtol, spec.atol_scale, spec.atol


def outside(spec: Spec, fn, case: Case, want) -> bool:
    """Whether ``fn``'s output on ``case`` falls outside the check's tolerance (or fails its ``validate``)."""
    try:
        got = _quiet_call(fn, case)
        if spec.validate is not None and spec.validate(got, case, lambda: _quiet_call(fn, case)):
            return True
        if not spec.compare_to_reference:
            return False
        got = spec.transform(got, case) if spec.transform is not None else got
        if structure_problems(got, want, "output"):
            return True
        got = conform(got, want)
        for (_, g), (_, w) in zip(leaves(got), leaves(want)):
            if np.all(np.isfinite(to_array(w).astype(float))) and not np.all(np.isfinite(to_array(g).astype(float))):
                return True
        return not close(got, want, *tolerance(spec, got))
    except Exception:
        return True


def _fails(spec, fn, cases) -> bool:
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return not run_check(spec, fn, cases).passed
    except Exception:                                   # NotImplementedError or anything run_check lets through
        return True


def judge(ch: Challenge, mutant: Mutant) -> dict:
    """``equivalent``, or which case sets kill the mutant and the cases that expose it (all of them for a mutant
    the visible cases miss; the visible ones otherwise). Runs in a forked worker."""
    fn = build(mutant, ch.functions)
    call = ch.spec.caller(fn) if ch.spec.caller is not None else fn     # a backward pass: after its forward
    judged = list(zip(ch.cases, ch.wants))
    n = len(ch.visible)
    exposed = [c.label for c, want in judged[:n] if outside(ch.spec, call, c, want)]
    if exposed and _fails(ch.spec, fn, ch.visible):
        return {"status": "killed by visible", "exposed": exposed}
    exposed += [c.label for c, want in judged[n:] if outside(ch.spec, call, c, want)]
    if not exposed:
        return {"status": "equivalent"}
    visible = _fails(ch.spec, fn, ch.visible)
    hidden = visible or _fails(ch.spec, fn, ch.hidden)
    return {"status": "killed by visible" if visible else "killed by hidden" if hidden else "survived",
            "exposed": exposed}


def _poison_uninitialised_memory() -> None:
    """In a worker: ``np.empty`` and ``np.empty_like`` fill float arrays with NaN, so a mutant that leaves part
    of an uninitialised result unwritten (e.g. a fast path taken where it does not cover every entry) is judged
    by what it computed, not by whatever the memory held (tiny denormals, often within tolerance)."""
    def poisoned(make):
        def make_poisoned(*args, **kwargs):
            out = make(*args, **kwargs)
            if out.dtype.kind in "fc":
                out.fill(np.nan)
            return out
        return make_poisoned
    np.empty, np.empty_like = poisoned(np.empty), poisoned(np.empty_like)


def _child(work, job, conn) -> None:
    _poison_uninitialised_memory()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:                  # cap memory: 2 GiB above what the fork inherits
        size = int(f.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (size + (2 << 30), hard))
    try:
        conn.send(work(job))
    except BaseException as exc:                          # noqa: BLE001 — a harness error is reported, not hidden
        conn.send({"status": "error", "error": f"{type(exc).__name__}: {exc}"})


def run_forked(work, jobs: list, workers=WORKERS, timeout=TIMEOUT) -> list[dict]:
    """``work(job)`` for every job, each in its own forked process, ``workers`` at a time; a process that
    outlives ``timeout`` is killed (``timeout``), one that dies without answering is ``crashed``."""
    ctx = multiprocessing.get_context("fork")
    results, pending, running = [None] * len(jobs), deque(enumerate(jobs)), {}
    while pending or running:
        while pending and len(running) < workers:
            i, job = pending.popleft()
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(work, job, send), daemon=True)
            proc.start()
            send.close()
            running[receive] = (i, proc, time.monotonic())
        for conn in multiprocessing.connection.wait(list(running), timeout=0.05):
            i, proc, _ = running.pop(conn)
            try:
                results[i] = conn.recv()
            except EOFError:
                results[i] = {"status": "crashed"}
            proc.join()
            conn.close()
        for conn, (i, proc, start) in list(running.items()):
            if time.monotonic() - start > timeout:
                proc.kill()
                proc.join()
                conn.close()
                del running[conn]
                results[i] = {"status": "timeout"}
    return results

# ------------------------------------------------------------------------------------------ running, reporting

KILLED = {"killed by visible", "timeout", "crashed"}


def run(names=None, cap=CAP) -> dict:
    """Mutate and judge every challenge in ``names`` (default: all but the skipped); plain-data results."""
    names = [n for n in SPECS if n not in SKIPPED] if names is None else names
    calls, out = hidden_calls(), {}
    for name in names:
        ch = challenge(name, calls)
        made = [m for f in ch.functions for m in mutate(f)]
        tested = spread(made, cap)
        for i, m in enumerate(tested):
            m.id = i + 1
        baseline, *verdicts = run_forked(lambda m: judge(ch, m), [unmutated(ch.functions), *tested])
        mutants = [{k: v for k, v in dataclasses.asdict(m).items() if k != "source"} | v
                   for m, v in zip(tested, verdicts)]
        out[name] = {"made": len(made), "tested": len(tested), "functions": [f.__name__ for f in ch.functions],
                     "cases": {"visible": len(ch.visible), "hidden": len(ch.hidden), "extra": len(ch.extra)},
                     "baseline": baseline["status"], "extra_cases": {c.label: describe(c) for c in ch.extra},
                     "mutants": mutants, **summary(mutants)}
    return out


def summary(mutants: list[dict]) -> dict:
    statuses = [m["status"] for m in mutants]
    non_eq = [s for s in statuses if s != "equivalent"]
    by_visible = sum(s in KILLED for s in non_eq)
    by_hidden = by_visible + statuses.count("killed by hidden")
    pct = lambda k: 100.0 * k / len(non_eq) if non_eq else 100.0          # noqa: E731
    return {"equivalent": statuses.count("equivalent"), "non_equivalent": len(non_eq),
            "visible_pct": pct(by_visible), "hidden_pct": pct(by_hidden),
            "timeouts": statuses.count("timeout") + statuses.count("crashed"), "errors": statuses.count("error")}


def describe(case: Case) -> str:
    """A case's inputs in brief: argument shapes (or values, when small) and keyword arguments."""
    def one(a):
        if isinstance(a, np.ndarray):
            return f"{a.shape}"
        if isinstance(a, (list, tuple)):
            return "[" + ", ".join(one(x) for x in a) + "]" if any(isinstance(x, np.ndarray) for x in a) else repr(a)
        if isinstance(a, dict):
            return "{" + ", ".join(f"{k}: {one(v)}" for k, v in a.items()) + "}"
        return repr(a)
    return ", ".join([one(a) for a in case.args] + [f"{k}={v!r}" for k, v in case.kwargs.items()])


def survivors(result: dict) -> list[dict]:
    """The non-equivalent mutants the visible cases miss (those the hidden cases miss too say ``survived``)."""
    return [m for m in result["mutants"] if m["status"] in ("killed by hidden", "survived", "error")]


def exposure(labels: list[str]) -> str:
    """Case labels in brief: ``visible "…"; hidden 1, 3 (seed 4102); extra 2, 5``."""
    groups = defaultdict(list)
    for label in labels:
        if label.startswith("hidden case "):
            number, seed = label[len("hidden case "):].split(" (")
            groups[f"({seed}"].append(number)
        elif label.startswith("extra case "):
            groups["extra"].append(label[len("extra case "):])
        else:
            groups["visible"].append(f'"{label}"')
    return "; ".join(f"hidden {', '.join(v)} {k}" if k.startswith("(") else f"{k} {', '.join(v)}"
                     for k, v in groups.items())


def table(results: dict) -> str:
    head = (f"{'challenge':<20} {'made':>5} {'tested':>6} {'equiv':>5} {'non-eq':>6} {'visible':>8} {'vis+hid':>8} "
            f"{'hung':>4}")
    lines = [head, "-" * len(head)]
    for name, r in results.items():
        lines.append(f"{name:<20} {r['made']:>5} {r['tested']:>6} {r['equivalent']:>5} {r['non_equivalent']:>6} "
                     f"{r['visible_pct']:>7.1f}% {r['hidden_pct']:>7.1f}% {r['timeouts']:>4}"
                     + ("" if r["baseline"] == "equivalent" else f"  HARNESS: the unmutated answer is {r['baseline']}"))
    for name in SKIPPED:
        lines.append(f"{name:<20} skipped: {SKIPPED[name]}")
    for name, r in results.items():
        left = survivors(r)
        if not left:
            continue
        lines.append(f"\n{name}: {len(left)} mutant(s) survive the visible cases")
        for m in left:
            detail = f"harness error {m['error']}" if m["status"] == "error" else f"exposed by {exposure(m['exposed'])}"
            lines.append(f"  #{m['id']} [{m['status']}] {m['operator']} in {m['function']} at {m['where']}:\n"
                         f"      {m['before']}\n   →  {m['after']}\n      {detail}")
            first = next((e for e in m.get("exposed", []) if e.startswith("extra")), None)
            if m["status"] == "survived" and first:
                lines.append(f"      {first}: {r['extra_cases'][first]}")
    return "\n".join(lines)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--challenge", action="append", help="only this challenge (repeatable)")
    parser.add_argument("--json", help="also write the full results to this file")
    parser.add_argument("--cap", type=int, default=CAP, help=f"mutants per challenge (default {CAP})")
    args = parser.parse_args(argv)
    for name in args.challenge or []:
        if name not in SPECS or name in SKIPPED:
            parser.error(f"no mutable challenge {name!r}; choose from "
                         f"{', '.join(n for n in SPECS if n not in SKIPPED)}")
    start = time.perf_counter()
    results = run(args.challenge, args.cap)
    print(table(results))
    print(f"\n{sum(r['tested'] for r in results.values())} mutants judged in {time.perf_counter() - start:.1f} s "
          f"(at most {args.cap} per challenge; {EXTRA} extra cases from default_rng({EXTRA_SEED}))")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return results


if __name__ == "__main__":
    main()
