"""The benchmarks' wait between rounds (benchmarks/bench_layers.py, ``settle``): it returns at once when no other
thread of the process uses the CPU, and waits while one does, as a thread pool spinning after its last task does.
And the machine line's account of numpy's BLAS (``blas_kernels``)."""
from __future__ import annotations

import hashlib
import os
import sys
import threading
import time

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_layers  # noqa: E402

CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def test_settle_returns_at_once_when_nothing_else_runs():
    waited = min(bench_layers.settle() for _ in range(3))
    assert waited < 0.1


def _spin_calls(seconds):
    """How many PBKDF2 iterations take about ``seconds`` here: a call that holds a core without the GIL, as a
    BLAS or OpenMP thread pool spinning after its last task does."""
    start = time.perf_counter()
    hashlib.pbkdf2_hmac("sha256", b"pool", b"spin", 20_000)
    return max(20_000, int(20_000 * seconds / (time.perf_counter() - start)))


def _settle_beside_a_spinning_thread(iterations):
    """(seconds ``settle`` waited, seconds the spinning thread ran), with the thread started just before."""
    spun, started = [], threading.Event()

    def spin():
        started.set()
        t0 = time.perf_counter()
        hashlib.pbkdf2_hmac("sha256", b"pool", b"spin", iterations)   # releases the GIL while it runs
        spun.append(time.perf_counter() - t0)

    thread = threading.Thread(target=spin)
    thread.start()
    started.wait()
    waited = bench_layers.settle(limit=5.0)
    thread.join()
    return waited, spun[0]


@pytest.mark.skipif(CPUS < 2, reason="a spinning thread needs a second CPU to run beside the waiting one")
def test_settle_waits_for_a_spinning_thread_and_no_longer():
    # On a busy machine other processes can keep the spinning thread off its core for all of ``settle``'s quiet
    # windows, and then it rightly sees this process quiet and returns early (CI once saw 0.21 s of a 0.48 s spin,
    # with one window). So it gets three tries to show that it waits; in every try it must stop once the thread
    # is done.
    iterations, runs = _spin_calls(0.3), []
    for _ in range(3):
        waited, spun = _settle_beside_a_spinning_thread(iterations)
        runs.append((round(waited, 3), round(spun, 3)))
        assert waited < spun + 1.0, runs                # it stopped waiting once the thread was done
        if waited >= 0.5 * spun:                        # it saw the thread spin and waited for it
            break
    else:
        pytest.fail(f"settle returned early beside a spinning thread in three tries (waited, spun): {runs}")


def test_the_machine_line_names_numpys_blas_kernels_and_who_chose_them(monkeypatch):
    """The kernels threadpoolctl reports for numpy's BLAS, and OPENBLAS_CORETYPE where the environment sets it
    (read from os.environ only: numpy's BLAS has long loaded, so setting it here changes nothing else)."""
    from threadpoolctl import threadpool_info
    blas = [i for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"]]
    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)
    line = bench_layers.machine_line(2, 0.1)
    assert "numpy's" in line and "OPENBLAS_CORETYPE" not in line
    if blas and blas[0].get("architecture"):
        assert f"runs its {blas[0]['architecture']} kernels" in line
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Zen")
    assert "as OPENBLAS_CORETYPE=Zen in the environment says" in bench_layers.machine_line(2, 0.1)
