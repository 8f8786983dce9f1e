"""nnlab-grade against plain nbgrader on the sample class, in one run.

Three ways to grade the same submissions with the same per-cell timeout, each in a fresh course workspace:

- plain nbgrader: one ``nbgrader autograde ASSIGNMENT --force`` per assignment (its stock preprocessors,
  kernels unsandboxed), as an instructor would run it;
- ``nnlab-grade autograde --workers 1`` and ``--workers 2`` (sandboxed kernels, intake checks, crash-safe
  execution, records).

Each is repeated (``--repeats``, at least 5) and interleaved; the table gives median seconds with the spread
(fastest–slowest run), throughput in notebooks per minute, the ratio of the medians to plain nbgrader, and the
CPU seconds per notebook the machine spent busy during the run (``_busy_cpu``: every process the run
started — kernels, sandboxes, replay and pool workers — and, on a busy machine, more). A line after the table
gives the lower bound that CPU time sets on the many-worker run: its CPU divided by its cores. A line before
and after says whether the machine was quiet (bench_layers.machine_line's rule). The scaling rows run
``--workers 1`` and plain nbgrader pinned to one core with ``taskset``. From nnlab-grade's records it reports
where a notebook's time goes: the notebook's own cells in the kernel, the out-of-kernel check
(autograder/trust/verify.py: the replay and the trusted comparison), and the grader's overhead — everything
else, kernel start-up included. The last lines project a course of
1,000 students × 8 notebooks on a 50-worker Dask cluster from the measured seconds per notebook of one worker.

    python benchmarks/bench_grader.py [--students ada,ben,chloe] [--repeats 5] [--cpus 2] [--scaling]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import sample_class  # noqa: E402
from autograder.trust import sandbox  # noqa: E402
from autograder.commands.release import release  # noqa: E402
from bench_layers import load_1min, machine_line  # noqa: E402

CELL_TIMEOUT = 10
PLAIN_CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = {source!r}
c.CourseDirectory.release_directory = 'release'
c.CourseDirectory.include = ['*.ipynb']
c.Execute.timeout = {timeout}
c.Exchange.root = {exchange!r}
"""


def _args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", default="ada,ben,chloe,dmitri", help="sample-class students to grade")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--cpus", type=int, default=2, help="cores to use (taskset -c 0..N-1)")
    p.add_argument("--scaling", action="store_true", help="also run plain nbgrader and --workers 1 on one core")
    return p.parse_args()


def _busy_cpu() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat: user, nice, system, irq, softirq);
    None where there is no /proc/stat. The difference across a run is the run's CPU — every kernel, sandbox,
    replay and pool worker it started — plus anything else that ran meanwhile, so it means something on a quiet
    machine only. (``getrusage`` of the children cannot be used: measured, it counts the grader's own processes
    but not the sandboxed kernels and replay workers, whose CPU never reaches the grader when their sandbox is
    stopped.)"""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _cpu_since(start: float | None) -> float | None:
    """Busy CPU seconds since ``start`` (a ``_busy_cpu`` reading); None where unknown."""
    now = _busy_cpu()
    return None if start is None or now is None else now - start


def _pin(cpus: int) -> list[str]:
    return ["taskset", "-c", ",".join(map(str, range(cpus)))] if shutil.which("taskset") else []


def plain(course: Path, klass: Path, assignments: list[str], cpus: int) -> tuple[float, float | None]:
    """Plain nbgrader, one CLI call per assignment; returns seconds and CPU seconds (None: unknown here)."""
    (course / "exchange").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(
        root=str(course), source=str(REPO / "solutions"), timeout=CELL_TIMEOUT, exchange=str(course / "exchange")))
    shutil.copytree(klass, course / "submitted")
    env = dict(os.environ, NNLAB_GRADING="1", NNLAB_HEADLESS="1", PATH=f"{Path(sys.executable).parent}:"
               + os.environ["PATH"])
    for aid in assignments:
        subprocess.run(_pin(cpus) + ["nbgrader", "generate_assignment", aid, "--force"], cwd=course, env=env,
                       check=True, capture_output=True)
    start, cpu = time.perf_counter(), _busy_cpu()
    for aid in assignments:
        subprocess.run(_pin(cpus) + ["nbgrader", "autograde", aid, "--force"], cwd=course, env=env,
                       capture_output=True)       # exits 1 when a submission fails; that is a result, not an error
    return time.perf_counter() - start, _cpu_since(cpu)


SPLIT: list[dict] = []        # every --workers 1 run: wall seconds, and the sums of cells and replay seconds


def nnlab(course: Path, klass: Path, workers: int, cpus: int) -> tuple[float, float | None]:
    """nnlab-grade autograde on a fresh course (collected first, not timed); returns seconds and CPU seconds
    (None: unknown here)."""
    base = [sys.executable, "-m", "autograder.cli", "--course", str(course), "--cell-timeout", str(CELL_TIMEOUT)]
    base += [] if sandbox.bwrap_path() else ["--no-sandbox"]
    subprocess.run(base + ["collect", str(klass)], check=True, capture_output=True, cwd=REPO)
    start, cpu = time.perf_counter(), _busy_cpu()
    subprocess.run(_pin(cpus) + base + ["autograde", "--workers", str(workers)], check=True, capture_output=True,
                   cwd=REPO)
    seconds = time.perf_counter() - start
    cpu = _cpu_since(cpu)
    if workers == 1 and cpus > 1:
        records = [json.loads(p.read_text()) for p in (course / ".nnlab" / "results").rglob("*.json")]
        SPLIT.append({"n": len(records), "seconds": seconds,
                      "cells": sum(r.get("timing", {}).get("cells", 0.0) for r in records),
                      "replay": sum(r.get("timing", {}).get("replay", 0.0) for r in records)})
    return seconds, cpu


def _compile_sources() -> None:
    """Write the bytecode of the repository's own packages, as the first run of an instructor's checkout does
    (Python caches each module it imports), and as pip did for nbgrader's and every installed package: where
    Python is told to write none (``PYTHONDONTWRITEBYTECODE``, set on some machines), every grading process
    would otherwise compile the grader's modules again at start-up, which plain nbgrader never does."""
    import compileall
    for package in ("autograder", "nnlab"):
        compileall.compile_dir(REPO / package, quiet=1)


def main() -> None:
    args = _args()
    _compile_sources()
    students = {s: sample_class.STUDENTS[s] for s in args.students.split(",")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        release(REPO / "solutions", tmp / "release")
        pairs = sample_class.build(tmp / "class", tmp / "release", REPO / "solutions", students)
        assignments = sorted({a for _, a in pairs})
        print(f"{len(pairs)} notebooks ({len(students)} students × {len(assignments)} assignments), cell timeout "
              f"{CELL_TIMEOUT} s, {args.cpus} core(s), {args.repeats} repeats; nnlab-grade "
              + ("sandboxed" if sandbox.bwrap_path() else "UNSANDBOXED (no bwrap here)"))
        before = load_1min()
        print(machine_line(args.cpus, before))
        runs = {"plain nbgrader": [], "nnlab-grade --workers 1": [], f"nnlab-grade --workers {args.cpus}": []}
        if args.cpus > 1 and args.scaling:
            runs.update({"plain nbgrader, 1 core": [], "nnlab-grade --workers 1, 1 core": []})
        for k in range(args.repeats):
            runs["plain nbgrader"].append(plain(tmp / f"plain{k}", tmp / "class", assignments, args.cpus))
            runs["nnlab-grade --workers 1"].append(nnlab(tmp / f"one{k}", tmp / "class", 1, args.cpus))
            if args.cpus > 1:
                runs[f"nnlab-grade --workers {args.cpus}"].append(
                    nnlab(tmp / f"many{k}", tmp / "class", args.cpus, args.cpus))
            if "plain nbgrader, 1 core" in runs:
                runs["plain nbgrader, 1 core"].append(plain(tmp / f"plain1c{k}", tmp / "class", assignments, 1))
                runs["nnlab-grade --workers 1, 1 core"].append(nnlab(tmp / f"one1c{k}", tmp / "class", 1, 1))
        base = statistics.median(s for s, _ in runs["plain nbgrader"])
        print(f"{'grader':<34}{'median s (fastest–slowest)':>28}{'notebooks/min':>15}{'vs plain':>10}"
              f"{'CPU s/notebook':>16}")
        for name, timed in runs.items():
            if not timed:
                continue
            seconds = [s for s, _ in timed]
            med = statistics.median(seconds)
            cpu = [c for _, c in timed if c is not None]
            print(f"{name:<34}{f'{med:.1f} ({min(seconds):.1f}–{max(seconds):.1f})':>28}"
                  f"{60 * len(pairs) / med:>15.1f}{base / med:>9.2f}×"
                  + (f"{statistics.median(cpu) / len(pairs):>16.2f}" if cpu else f"{'—':>16}"))
        many = [(s, c) for s, c in runs.get(f"nnlab-grade --workers {args.cpus}", []) if c is not None]
        if args.cpus > 1 and many:
            cpu = statistics.median(c for _, c in many)
            floor = cpu / args.cpus
            print(f"lower bound from CPU time: --workers {args.cpus} used {cpu:.1f} CPU s (median), and "
                  f"{args.cpus} cores need at least {floor:.1f} s for that much: at that CPU, at most "
                  f"{base / floor:.2f}× plain nbgrader's median however the work is shared; each run took "
                  f"{statistics.median(s / (c / args.cpus) for s, c in many):.2f}× its own CPU ÷ cores (median)")
        if SPLIT:
            def per(values) -> str:
                values = list(values)
                return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"
            print(f"per notebook (--workers 1, median and spread of {len(SPLIT)} runs): "
                  f"{per(r['seconds'] / r['n'] for r in SPLIT)} = the notebook's cells in the kernel "
                  f"{per(r['cells'] / r['n'] for r in SPLIT)} + the out-of-kernel check "
                  f"{per(r['replay'] / r['n'] for r in SPLIT)} + the grader's overhead "
                  f"{per((r['seconds'] - r['cells'] - r['replay']) / r['n'] for r in SPLIT)} (everything else: "
                  f"start-up, kernel start, nbgrader's sanitising and saving, intake, the gradebook; target ≤ 0.3 s)")
        print(machine_line(args.cpus, before, load_1min()))
        per_notebook = statistics.median(s for s, _ in runs["nnlab-grade --workers 1"]) / len(pairs)
        hours = 1000 * 8 * per_notebook / 50 / 3600
        print(f"projection: 1,000 students × 8 notebooks at {per_notebook:.1f} s per notebook and worker, on 50 "
              f"workers: {hours:.1f} h ({1000 * 8 * per_notebook / 3600:.0f} worker-hours)")


if __name__ == "__main__":
    main()
