"""nnlab's layers side by side with PyTorch CPU: the cases of docs/benchmarks.md, 'Layer cases'.

Each case is first checked against PyTorch (same inputs, same weights), then timed A B A B … after a warm-up (a
round of a millisecond case is as many back-to-back calls as fill 0.2 s, timed per call); the table gives
each contender's median with its spread (fastest–slowest round) and the ratio of the medians
nnlab / PyTorch (lower is better). float32 throughout.

    python benchmarks/bench_layers.py [--threads 2] [--repeats 7] [--cases mlp,conv3,conv16,pool,lstm]

Thread counts are fixed before numpy and torch load (OPENBLAS/OMP/MKL_NUM_THREADS, torch.set_num_threads).
Each case runs in a process of its own, started with the same settings (and the same CPU affinity).
A line before and after the table says whether the machine was quiet (``machine_line``): timings from a
busy machine are not comparable with each other, and a wide spread says the same.
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time


def _args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--cases", default="mlp,conv3,conv16,pool,lstm")
    p.add_argument("--mlp-batches", type=int, default=469, help="batches of 128 per MLP 'epoch' (469 = 60k)")
    p.add_argument("--row", action="store_true", help=argparse.SUPPRESS)   # one case, its row only (a child run)
    return p.parse_args()


ARGS = _args() if __name__ == "__main__" else None
if ARGS is not None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402

import nnlab  # noqa: E402


ROUND_SECONDS = 0.2        # a round repeats a faster call until it lasts this long: not one call's noise
SETTLE_LIMIT = 0.5         # the longest wait, in seconds, for the last round's idle threads to stop spinning


def timed(fn, calls=1, wait=None) -> float:
    """Seconds per call of ``fn``, over ``calls`` back-to-back calls; ``wait`` is called on each result first
    where a call returns before its work is done (JAX: ``jax.block_until_ready``)."""
    start = time.perf_counter()
    for _ in range(calls):
        result = fn()
        if wait is not None:
            wait(result)
    return (time.perf_counter() - start) / calls


def settle(window=0.01, quiet=3, limit=SETTLE_LIMIT) -> float:
    """Wait, busy, until no thread of this process but the caller's has used the CPU for ``quiet`` windows of
    ``window`` seconds in a row; returns the seconds waited.

    A thread pool spins for a while after its last task before it sleeps: numpy's OpenBLAS about 0.1 s, the
    OpenMP pool PyTorch and MKL run on about 0.01 s (measured with ``getrusage`` across a sleep). A contender
    timed right after the other would share its cores with that spinning. The wait is a busy loop, not a
    sleep: on this virtual machine a core left idle for 0.15 s ran the next round up to 1.7× slower. The other
    threads' CPU is the process's less the caller's, so other processes' load does not count; one quiet window
    is not enough, because on a busy machine the scheduler can leave a spinning thread off its core for one."""
    start, calm = time.perf_counter(), 0
    while calm < quiet and time.perf_counter() - start < limit:
        cpu, own, t0 = time.process_time(), time.thread_time(), time.perf_counter()
        while time.perf_counter() - t0 < window:
            pass
        others = (time.process_time() - cpu) - (time.thread_time() - own)   # the other threads' CPU seconds
        calm = calm + 1 if others < 0.3 * (time.perf_counter() - t0) else 0
    return time.perf_counter() - start


def interleaved(fns, repeats, wait=None):
    """Each function's seconds per call in ``repeats`` interleaved rounds (A B A B …, or A B C …) after a warm-up
    round: one list of times per function. A round of a fast function is as many back-to-back calls as last at
    least ``ROUND_SECONDS`` (one call for anything slower). Before each round the other contenders' thread
    pools are let go quiet (``settle``), so that each is timed as it runs alone."""
    for f in fns:                                   # warm-up (and JIT/allocator settling)
        timed(f, wait=wait)
    calls = [max(1, math.ceil(ROUND_SECONDS / max(timed(f, wait=wait), 1e-6))) for f in fns]
    times = [[] for _ in fns]
    for _ in range(repeats):
        for t, f, n in zip(times, fns, calls):
            settle()
            t.append(timed(f, n, wait))
    return times


def spread(times, digits=1, unit="ms") -> str:
    """``median (fastest–slowest)`` of ``times`` (seconds) in milliseconds, followed by ``unit``; — for none."""
    if not times:
        return "—"
    ms = [t * 1e3 for t in times]
    return f"{statistics.median(ms):.{digits}f} ({min(ms):.{digits}f}–{max(ms):.{digits}f}){unit}"


def load_1min():
    """The 1-minute load average (/proc/loadavg), or None where there is none."""
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_name():
    """The processor's model name (/proc/cpuinfo), or the platform's name for it where there is none. Ratios
    depend on it: the sessions' machines have been Intel Xeons and AMD EPYCs, and MKL, inside PyTorch, is
    tuned for the former."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform
    return platform.processor() or platform.machine()


def blas_kernels() -> str:
    """Which BLAS numpy runs, and which of its kernels (``threadpoolctl``), and whether the environment chose
    them. numpy's OpenBLAS picks its kernels for the processor when it loads, unless ``OPENBLAS_CORETYPE``
    names others: some machines set it (to the older Haswell kernels, on processors where older OpenBLAS
    builds went wrong), and numpy's float32 products then run at about 60 % of their speed on an AVX-512
    processor (docs/benchmarks.md §4)."""
    try:
        from threadpoolctl import threadpool_info
        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    except Exception:                  # no threadpoolctl, or one that works differently
        return "numpy's BLAS unknown (no threadpoolctl)"
    mine = [i for i in blas if "numpy" in i.get("filepath", "")] or blas
    if not mine:
        return "numpy's BLAS unknown"
    info = mine[0]
    text = f"numpy's {info.get('internal_api', 'BLAS')} {info.get('version') or ''}".rstrip()
    if info.get("architecture"):
        text += f" runs its {info['architecture']} kernels"
    if os.environ.get("OPENBLAS_CORETYPE"):
        text += f", as OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} in the environment says"
    return text


def machine_line(threads, before, after=None) -> str:
    """Whether the machine was quiet, by one rule: the 1-minute load was at most 0.5 before the run (nothing
    else busy) and at most 0.5 + the benchmark's own threads after it. The line before the run names the
    processor and numpy's BLAS kernels too."""
    cpus = f"{os.cpu_count()} CPUs"
    rule = f"rule: quiet if load ≤ 0.5 before and ≤ {threads + 0.5:g} (0.5 + {threads} threads) after"
    where = f"{cpus} ({cpu_name()}; {blas_kernels()})"
    if before is None:
        return f"machine: no /proc/loadavg on {where} — quietness unknown"
    if after is None:
        verdict = "quiet so far" if before <= 0.5 else "busy"
        return f"machine: load {before:.2f} on {where} before — {verdict} ({rule})"
    verdict = "quiet" if before <= 0.5 and after <= threads + 0.5 else "busy: compare these timings with care"
    return f"machine: load {before:.2f} on {cpus} before, {after:.2f} after — {verdict} ({rule})"


def case_conv(torch, rng, shape, filters, repeats):
    x = rng.standard_normal(shape).astype(np.float32)
    w = (rng.standard_normal((filters, shape[1], 3, 3)) * 0.1).astype(np.float32)
    b = rng.standard_normal(filters).astype(np.float32)
    out, cache = nnlab.conv2d_forward(x, w, b, stride=1, padding=1)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tdout = torch.tensor(dout)

    def ours():
        o, c = nnlab.conv2d_forward(x, w, b, stride=1, padding=1)
        return nnlab.conv2d_backward(dout, c)

    def theirs():
        tx.grad = tw.grad = tb.grad = None
        torch.nn.functional.conv2d(tx, tw, tb, padding=1).backward(tdout)

    theirs()
    dx, dw, db = ours()
    assert np.allclose(dx, tx.grad.numpy(), rtol=1e-3, atol=1e-3) and np.allclose(dw, tw.grad.numpy(), rtol=1e-3, atol=1e-2)
    return interleaved([ours, theirs], repeats)


def case_pool(torch, rng, repeats):
    x = rng.standard_normal((64, 16, 32, 32)).astype(np.float32)
    out, cache = nnlab.max_pool_forward(x)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    tx, tdout = torch.tensor(x, requires_grad=True), torch.tensor(dout)

    def ours():
        o, c = nnlab.max_pool_forward(x)
        return nnlab.max_pool_backward(dout, c)

    def theirs():
        tx.grad = None
        torch.nn.functional.max_pool2d(tx, 2, 2).backward(tdout)

    theirs()
    assert np.array_equal(ours(), tx.grad.numpy())
    return interleaved([ours, theirs], repeats)


def case_lstm(torch, rng, repeats, T=50, m=64, n_x=128, n_h=256):
    params = nnlab.init_lstm_params(n_x, n_h, seed=0, dtype=np.float32)
    X = rng.standard_normal((T, n_x, m)).astype(np.float32)
    h0 = np.zeros((n_h, m), np.float32)
    dH = rng.standard_normal((T, n_h, m)).astype(np.float32)
    lstm = torch.nn.LSTM(n_x, n_h)
    with torch.no_grad():
        order = "ifco"
        lstm.weight_ih_l0.copy_(torch.tensor(np.concatenate([params[f"W{g}"][:, n_h:] for g in order])))
        lstm.weight_hh_l0.copy_(torch.tensor(np.concatenate([params[f"W{g}"][:, :n_h] for g in order])))
        lstm.bias_ih_l0.copy_(torch.tensor(np.concatenate([params[f"b{g}"][:, 0] for g in order])))
        lstm.bias_hh_l0.zero_()
    tX = torch.tensor(X.transpose(0, 2, 1).copy(), requires_grad=True)
    tdH = torch.tensor(dH.transpose(0, 2, 1).copy())

    def ours():
        H, C, cache = nnlab.lstm_forward(X, h0, h0, params)
        return H, nnlab.lstm_backward(dH, cache)

    def theirs():
        tX.grad = None
        lstm.zero_grad()
        out, _ = lstm(tX)
        out.backward(tdH)
        return out

    H, (dX, *_rest) = ours()
    out = theirs()
    assert np.allclose(H, out.detach().numpy().transpose(0, 2, 1), atol=1e-4)
    assert np.allclose(dX, tX.grad.numpy().transpose(0, 2, 1), rtol=1e-3, atol=1e-3)
    return interleaved([ours, theirs], repeats)


def case_mlp(torch, rng, repeats, batches):
    """One epoch of 784-512-512-10 (ReLU, softmax-CE, SGD, batches of 128) on synthetic data."""
    m = 128 * batches
    X = rng.random((m, 784), dtype=np.float32)
    y = rng.integers(0, 10, m)
    model = nnlab.Sequential([nnlab.Dense(512, "relu"), nnlab.Dense(512, "relu"), nnlab.Dense(10, "softmax")],
                             input_shape=(784,), seed=0).compile(nnlab.SGD(0.01))
    net = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                              torch.nn.ReLU(), torch.nn.Linear(512, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    tX, ty = torch.tensor(X), torch.tensor(y)
    step_rng = np.random.default_rng(0)

    def ours():
        for start in range(0, m, 128):
            model.train_step(X[start:start + 128], y[start:start + 128], step_rng)

    def theirs():
        for start in range(0, m, 128):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(tX[start:start + 128]), ty[start:start + 128]).backward()
            opt.step()

    return interleaved([ours, theirs], repeats)


def main():
    """The table: each case in a process of its own (``run_alone``), so that what one case leaves behind — the
    allocator's state, thread pools — cannot move the next case's figures (after the MLP case, nnlab's small
    convolution ran a third slower)."""
    if ARGS.row:
        return run_case(ARGS.cases)
    import torch
    return run_table(__file__, ARGS, [
        f"threads={ARGS.threads} repeats={ARGS.repeats} numpy {np.__version__} torch {torch.__version__}; "
        f"times are median (fastest–slowest); ratio = median / median",
        f"{'case':<38} {'nnlab':>24} {'PyTorch':>24} {'ratio':>6} {'target':>7}"])


def run_table(script, args, heading) -> int:
    """A benchmark's table: the machine line, the ``heading`` lines, one row per case of ``args.cases``, each
    from a process of its own (``run_alone``), and the machine line again. Returns 0 when every case passed its
    check and ran, else 1."""
    before = load_1min()
    print(machine_line(args.threads, before))
    print("\n".join(heading), flush=True)
    failed = False
    for key in args.cases.split(","):
        failed |= run_alone(script, args, key) != 0
    print(machine_line(args.threads, before, load_1min()))
    return int(failed)


def run_alone(script, args, key) -> int:
    """Run the case ``key`` of a benchmark ``script`` in a new process with the settings ``args`` (threads,
    repeats, MLP batches; the CPU affinity is inherited); it prints its row. Returns its exit status."""
    import subprocess
    argv = [sys.executable, script, "--threads", str(args.threads), "--repeats", str(args.repeats),
            "--mlp-batches", str(args.mlp_batches), "--cases", key, "--row"]
    return subprocess.run(argv).returncode


def run_case(key):
    """Check and time one case in this process; print its row."""
    import torch
    torch.set_num_threads(ARGS.threads)
    rng = np.random.default_rng(0)
    cases = {
        "mlp": ("MLP 784-512-512-10 epoch (SGD, bs 128)", lambda: case_mlp(torch, rng, ARGS.repeats, ARGS.mlp_batches), 0.95),
        "conv3": ("conv 3×3 p1 fwd+bwd (64,3,32,32)→16", lambda: case_conv(torch, rng, (64, 3, 32, 32), 16, ARGS.repeats), 1.2),
        "conv16": ("conv 3×3 p1 fwd+bwd (64,16,32,32)→32", lambda: case_conv(torch, rng, (64, 16, 32, 32), 32, ARGS.repeats), 1.5),
        "pool": ("max-pool 2×2 fwd+bwd (64,16,32,32)", lambda: case_pool(torch, rng, ARGS.repeats), 1.0),
        "lstm": ("LSTM T=50 bs 64 128→256 fwd+BPTT", lambda: case_lstm(torch, rng, ARGS.repeats), 1.3),
    }
    label, run, target = cases[key]
    ours, theirs = run()
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"{label:<38} {spread(ours):>24} {spread(theirs):>24} {ratio:>5.2f}× {target:>6.2f}×", flush=True)


if __name__ == "__main__":
    sys.exit(main())
