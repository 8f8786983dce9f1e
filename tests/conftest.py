"""Shared fixtures. Optional oracles (PyTorch, JAX) skip with a reason — except under CI=true, where a
missing oracle is a failure, because CI installs them."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent


def optional(module: str, why: str):
    """Import an optional oracle, or skip (fail under CI=true) saying how to get it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed ({why})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run every oracle: {message}")
        pytest.skip(message)


def _enable_x64():
    """The tests compare backends in float64, so JAX gets 64-bit floats before it makes any array."""
    try:
        import jax
    except ImportError:
        return
    jax.config.update("jax_enable_x64", True)


_enable_x64()


@pytest.fixture(scope="session", params=["numpy", "jax"])
def nn(request):
    """The backend under test: ``nnlab`` itself or ``nnlab.jax`` — one test body serves both."""
    if request.param == "numpy":
        import nnlab
        return nnlab
    optional("jax", "the JAX backend's half of the tests: pip install 'nnlab[jax]'")
    return importlib.import_module("nnlab.jax")


@pytest.fixture
def rng():
    return np.random.default_rng(20261122)


def random_problem(rng, sizes, m=5):
    """A network with the given layer sizes and a data set as rows."""
    import nnlab
    w, b = nnlab.nn_parameter_maker(sizes, seed=rng)
    X = rng.uniform(-2, 2, size=(m, sizes[0]))
    y = rng.uniform(0, 1, size=(m, sizes[-1]))
    return X, y, w, b


@pytest.fixture
def torch():
    """PyTorch as an autodiff oracle (float64 throughout the tests that use it)."""
    return optional("torch", "PyTorch is the autodiff oracle: pip install torch==2.13.0")


def numeric_grad(f, x, eps=1e-6):
    """Central differences of a scalar function f() with respect to every entry of the array x (in place)."""
    g = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = f()
        x[idx] = old - eps
        g[idx] = (up - f()) / (2 * eps)
        x[idx] = old
    return g


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session: initdb in a temporary folder and started by a non-root user
    (``nobody`` when the tests run as root), on a free port of 127.0.0.1. Yields an SQLAlchemy URL template:
    ``url.format(db=NAME)`` after ``create(NAME)``. Skips (fails under CI=true) without PostgreSQL."""
    import glob
    import shutil
    import subprocess
    import tempfile
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
    if not found[-1]:
        message = "PostgreSQL is not installed (as root, apt-get install postgresql; make test does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL gradebook tests: {message}")
        pytest.skip(message)
    optional("psycopg", "the PostgreSQL driver: pip install 'nnlab[grade]'")
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="nnlab-pg-"))      # not under pytest's 0700 folder: nobody must reach it
    data, port = root / "data", _free_port()
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
        as_user = ["runuser", "-u", "nobody", "--"]
    run = lambda *argv: subprocess.run(as_user + list(argv), check=True, capture_output=True, text=True,  # noqa: E731
                                       cwd=root, timeout=120)
    run(str(bindir / "initdb"), "-D", str(data), "-U", "nnlab", "--auth=trust", "-E", "UTF8")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
        "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def create(name: str) -> str:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "nnlab", name)
        return f"postgresql://nnlab@127.0.0.1:{port}/{name}"

    try:
        yield create
    finally:
        subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, cwd=root, timeout=60)
        shutil.rmtree(root, ignore_errors=True)
