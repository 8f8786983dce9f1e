"""nnlab.jax side by side with PyTorch CPU and nnlab's numpy path, in one run.

The same cases as bench_layers.py (docs/benchmarks.md, 'JAX'), each checked against PyTorch first, then
timed torch / numpy / JAX interleaved after a warm-up (a round of a millisecond case is as many back-to-back
calls as fill 0.2 s, timed per call); each one's median with its spread (fastest–slowest round), and the
ratios of the medians to PyTorch's (lower is better), float32. JAX's compile time (its first call minus its
median) is reported apart and excluded from the ratios. A line before and after the table says
whether the machine was quiet (bench_layers.machine_line's rule).
The MLP epoch is ``Sequential.train_epoch`` in both backends (JAX: one ``lax.scan`` over the batches). Each case
runs in a process of its own, with the same settings.

    python benchmarks/bench_jax.py [--threads 2] [--repeats 7] [--cases mlp,conv3,conv16,pool,lstm]

On a GPU machine JAX runs there (the device is printed); PyTorch and numpy stay on the CPU.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys


def _args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--cases", default="mlp,conv3,conv16,pool,lstm")
    p.add_argument("--mlp-batches", type=int, default=469, help="batches of 128 per MLP epoch (469 = 60k)")
    p.add_argument("--row", action="store_true", help=argparse.SUPPRESS)   # one case, its row only (a child run)
    return p.parse_args()


ARGS = _args() if __name__ == "__main__" else None
if ARGS is not None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
    os.environ.setdefault("XLA_FLAGS", f"--xla_cpu_multi_thread_eigen={'true' if ARGS.threads > 1 else 'false'}")

import jax  # noqa: E402
import numpy as np  # noqa: E402

import nnlab  # noqa: E402
from bench_layers import interleaved, run_table, spread, timed  # noqa: E402
from nnlab import jax as nnj  # noqa: E402


def _first(jax_run) -> float:
    """Seconds of JAX's first call, which traces and compiles (its result waited for)."""
    return timed(jax_run, wait=jax.block_until_ready)


def case_mlp(torch, rng, batches):
    m = 128 * batches
    X = rng.random((m, 784), dtype=np.float32)
    y = rng.integers(0, 10, m)
    layers = lambda: [nnlab.Dense(512, "relu"), nnlab.Dense(512, "relu"), nnlab.Dense(10, "softmax")]  # noqa: E731
    ours = nnlab.Sequential(layers(), input_shape=(784,), seed=0).compile(nnlab.SGD(0.01))
    theirs_jax = nnj.Sequential(layers(), input_shape=(784,), seed=0).compile(nnj.SGD(0.01))
    Xj = jax.device_put(X)
    net = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                              torch.nn.ReLU(), torch.nn.Linear(512, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    tX, ty = torch.tensor(X), torch.tensor(y)

    def torch_epoch():
        for start in range(0, m, 128):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(tX[start:start + 128]), ty[start:start + 128]).backward()
            opt.step()

    rng_np, rng_jax = np.random.default_rng(0), np.random.default_rng(0)
    jax_run = lambda: theirs_jax.train_epoch(Xj, y, 128, rng_jax)  # noqa: E731
    return [torch_epoch, lambda: ours.train_epoch(X, y, 128, rng_np), jax_run], _first(jax_run)


def case_conv(torch, rng, shape, filters):
    x = rng.standard_normal(shape).astype(np.float32)
    w = (rng.standard_normal((filters, shape[1], 3, 3)) * 0.1).astype(np.float32)
    b = rng.standard_normal(filters).astype(np.float32)
    dout = rng.standard_normal((shape[0], filters, *shape[2:])).astype(np.float32)
    xj, wj, bj, dj = (jax.device_put(a) for a in (x, w, b, dout))
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tdout = torch.tensor(dout)

    def torch_run():
        tx.grad = tw.grad = tb.grad = None
        torch.nn.functional.conv2d(tx, tw, tb, padding=1).backward(tdout)
        return tx.grad

    def numpy_run():
        return nnlab.conv2d_backward(dout, nnlab.conv2d_forward(x, w, b, 1, 1)[1])

    def jax_run():
        return nnj.conv2d_backward(dj, nnj.conv2d_forward(xj, wj, bj, 1, 1)[1])

    first = _first(jax_run)
    torch_run()
    assert np.allclose(np.asarray(jax_run()[0]), tx.grad.numpy(), rtol=1e-3, atol=1e-3)
    assert np.allclose(numpy_run()[0], tx.grad.numpy(), rtol=1e-3, atol=1e-3)
    return [torch_run, numpy_run, jax_run], first


def case_pool(torch, rng):
    x = rng.standard_normal((64, 16, 32, 32)).astype(np.float32)
    dout = rng.standard_normal((64, 16, 16, 16)).astype(np.float32)
    xj, dj = jax.device_put(x), jax.device_put(dout)
    tx, tdout = torch.tensor(x, requires_grad=True), torch.tensor(dout)

    def torch_run():
        tx.grad = None
        torch.nn.functional.max_pool2d(tx, 2, 2).backward(tdout)
        return tx.grad

    numpy_run = lambda: nnlab.max_pool_backward(dout, nnlab.max_pool_forward(x)[1])  # noqa: E731
    jax_run = lambda: nnj.max_pool_backward(dj, nnj.max_pool_forward(xj)[1])       # noqa: E731
    first = _first(jax_run)
    expected = torch_run().numpy()
    assert np.array_equal(numpy_run(), expected) and np.array_equal(np.asarray(jax_run()), expected)
    return [torch_run, numpy_run, jax_run], first


def case_lstm(torch, rng, T=50, m=64, n_x=128, n_h=256):
    params = nnlab.init_lstm_params(n_x, n_h, seed=0, dtype=np.float32)
    jparams = {k: jax.device_put(v) for k, v in params.items()}
    X = rng.standard_normal((T, n_x, m)).astype(np.float32)
    h0 = np.zeros((n_h, m), np.float32)
    dH = rng.standard_normal((T, n_h, m)).astype(np.float32)
    Xj, h0j, dHj = jax.device_put(X), jax.device_put(h0), jax.device_put(dH)
    lstm = torch.nn.LSTM(n_x, n_h)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(np.concatenate([params[f"W{g}"][:, n_h:] for g in "ifco"])))
        lstm.weight_hh_l0.copy_(torch.tensor(np.concatenate([params[f"W{g}"][:, :n_h] for g in "ifco"])))
        lstm.bias_ih_l0.copy_(torch.tensor(np.concatenate([params[f"b{g}"][:, 0] for g in "ifco"])))
        lstm.bias_hh_l0.zero_()
    tX = torch.tensor(X.transpose(0, 2, 1).copy(), requires_grad=True)
    tdH = torch.tensor(dH.transpose(0, 2, 1).copy())

    def torch_run():
        tX.grad = None
        lstm.zero_grad()
        out, _ = lstm(tX)
        out.backward(tdH)
        return tX.grad

    numpy_run = lambda: nnlab.lstm_backward(dH, nnlab.lstm_forward(X, h0, h0, params)[2])     # noqa: E731
    jax_run = lambda: nnj.lstm_backward(dHj, nnj.lstm_forward(Xj, h0j, h0j, jparams)[2])       # noqa: E731
    first = _first(jax_run)
    expected = torch_run().numpy().transpose(0, 2, 1)
    assert np.allclose(np.asarray(jax_run()[0]), expected, rtol=1e-3, atol=1e-3)
    assert np.allclose(numpy_run()[0], expected, rtol=1e-3, atol=1e-3)
    return [torch_run, numpy_run, jax_run], first


def main():
    """The table, each case in a process of its own (as in bench_layers: one case's leftovers cannot move the
    next case's figures)."""
    if ARGS.row:
        return run_case(ARGS.cases)
    import torch
    return run_table(__file__, ARGS, [
        f"threads={ARGS.threads} repeats={ARGS.repeats} torch {torch.__version__} numpy {np.__version__}; "
        f"{_devices()}; times are median (fastest–slowest), ratios median / median",
        f"{'case':<38} {'PyTorch':>22} {'numpy':>22} {'JAX':>22} {'numpy/PT':>8} {'JAX/PT':>7} {'JAX target':>10} "
        f"{'JAX compile':>11}"])


def _devices() -> str:
    """``nnj.describe_devices()``, asked of a process of its own: this one must not start JAX's backend, which
    on a GPU takes most of the GPU's memory at once and would keep it while the cases' processes run."""
    import subprocess
    found = subprocess.run([sys.executable, "-c", "from nnlab import jax as nnj; print(nnj.describe_devices())"],
                           capture_output=True, text=True)
    return found.stdout.strip() or f"JAX's devices unknown ({(found.stderr.strip().splitlines() or ['?'])[-1]})"


def run_case(key):
    """Check and time one case in this process; print its row."""
    import torch
    torch.set_num_threads(ARGS.threads)
    rng = np.random.default_rng(0)
    cases = {
        "mlp": ("MLP 784-512-512-10 epoch (SGD, bs 128)", lambda: case_mlp(torch, rng, ARGS.mlp_batches), 0.80),
        "conv3": ("conv 3×3 p1 fwd+bwd (64,3,32,32)→16", lambda: case_conv(torch, rng, (64, 3, 32, 32), 16), None),
        "conv16": ("conv 3×3 p1 fwd+bwd (64,16,32,32)→32", lambda: case_conv(torch, rng, (64, 16, 32, 32), 32), None),
        "pool": ("max-pool 2×2 fwd+bwd (64,16,32,32)", lambda: case_pool(torch, rng), None),
        "lstm": ("LSTM T=50 bs 64 128→256 fwd+BPTT", lambda: case_lstm(torch, rng), None),
    }
    label, make, target = cases[key]
    fns, first_jax = make()                        # the first JAX call traces and compiles
    times = interleaved(fns, ARGS.repeats, wait=jax.block_until_ready)
    tt, tn, tj = (statistics.median(t) for t in times)
    compile_s = max(first_jax - tj, 0.0)
    goal = f"≤ {target:.2f}×" if target else "—"
    print(f"{label:<38} {spread(times[0]):>22} {spread(times[1]):>22} {spread(times[2]):>22} {tn / tt:>7.2f}× "
          f"{tj / tt:>6.2f}× {goal:>10} {compile_s:>10.2f}s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
