"""Gradient cost side by side: deck 001's finite differences, nnlab's backprop, and PyTorch autograd.

Sigmoid MLPs [10, h, 1] on 100 examples, float64, one gradient each. Backprop and PyTorch are interleaved
in rounds (A B A B …; ``bench_layers.interleaved``: a round of a sub-millisecond call is as many back-to-back
calls as fill 0.2 s, timed per call); finite differences are timed call by call. Each column gives the
median of the repeats with its spread (fastest–slowest), and the ratios are of medians, to PyTorch where it
is installed (``pip install torch==2.13.0``). A line before and after the table says whether the machine was
quiet (bench_layers.machine_line's rule, 2 threads).
Run: ``make bench`` or ``python benchmarks/bench_gradients.py``.
"""
from __future__ import annotations

import statistics

import numpy as np

import nnlab
from bench_layers import interleaved, load_1min, machine_line, spread, timed


def torch_gradient(torch, X, y, w, b):
    tw = [torch.tensor(x, requires_grad=True) for x in w]
    tb = [torch.tensor(x, requires_grad=True) for x in b]
    a = torch.tensor(X.T)
    for wl, bl in zip(tw, tb):
        a = torch.sigmoid(wl @ a + bl)
    (((a - torch.tensor(y.T)) ** 2).sum() / X.shape[0]).backward()
    return [t.grad for t in tw], [t.grad for t in tb]


def main(hidden=(2, 8, 32, 128, 512), repeats=7) -> None:
    try:
        import torch
        torch.set_num_threads(2)
    except ImportError:
        torch = None
        print("PyTorch not installed: its column stays empty (pip install torch==2.13.0)")
    rng = np.random.default_rng(0)
    X, y = rng.uniform(-1, 1, (100, 10)), rng.uniform(0, 1, (100, 1))
    before = load_1min()
    print(machine_line(2, before))
    print("times in ms: median (fastest–slowest); ratios of medians")
    print(f"{'params':>7} {'finite diff':>24} {'backprop':>22} {'torch':>22} {'fd/bp':>8} {'bp/torch':>9}")
    for h in hidden:
        w, b = nnlab.nn_parameter_maker([10, h, 1], seed=h)
        if torch is not None:   # correctness before timing
            assert nnlab.relative_error(nnlab.backprop(X, y, w, b), torch_gradient(torch, X, y, w, b)) < 1e-10
        fd_runs = 1 if h >= 128 else repeats
        t_fd = [timed(lambda: nnlab.gradient_estimator(X, y, w, b)) for _ in range(fd_runs)]
        fns = [lambda: nnlab.backprop(X, y, w, b)]
        if torch is not None:
            fns.append(lambda: torch_gradient(torch, X, y, w, b))
        t_bp, *t_th = interleaved(fns, repeats)
        t_th = t_th[0] if t_th else []
        fd, bp = statistics.median(t_fd), statistics.median(t_bp)
        th = statistics.median(t_th) if t_th else float("nan")
        print(f"{nnlab.count_parameters(w, b):>7} {spread(t_fd, 1, ''):>24} {spread(t_bp, 3, ''):>22} {spread(t_th, 3, ''):>22} "
              f"{fd / bp:>7.0f}x {bp / th:>8.2f}x")
    print(machine_line(2, before, load_1min()))


if __name__ == "__main__":
    main()
