"""Offline data: digits, the IDX loader on local files (path, $NNLAB_DATA, Debian's package, a real HTTP
download from a local server, the error when nothing is found) and sunspots."""
import gzip
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import nnlab
from nnlab import datasets


def _write_idx(path: Path, array: np.ndarray, gz=True):
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C}
    header = bytes([0, 0, codes[array.dtype], array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with (gzip.open if gz else open)(path, "wb") as f:
        f.write(header + array.tobytes())


def _fake_mnist(folder: Path, rng, gz=True):
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for split, n in (("train", 6), ("test", 3)):
        images, labels = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)
        img_name, lab_name = datasets.MNIST_FILES[split]
        _write_idx(folder / (img_name + (".gz" if gz else "")), images, gz)
        _write_idx(folder / (lab_name + (".gz" if gz else "")), labels, gz)
        arrays[split] = (images, labels)
    return arrays


def test_digits_split_is_stratified_and_scaled():
    X_train, X_test, y_train, y_test = datasets.load_digits_split()
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64) and 0 <= X_train.min() and X_train.max() <= 1
    assert np.all(np.abs(np.bincount(y_test) - 45) <= 2)      # stratified: 10 classes of about 45
    assert datasets.load_digits_split(images=True)[0].shape == (1347, 1, 8, 8)


def test_digits_and_split_are_scikit_learns_without_importing_it():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = datasets.load_digits()
    digits = load_digits()
    assert np.array_equal(X, digits.data) and np.array_equal(y, digits.target)
    rng = np.random.default_rng(5)
    labels = [y, rng.integers(0, 3, 50), np.repeat([7, 1, 4], [11, 30, 9])]     # ties in the remainders too
    for target in labels:
        for test_size in (0.1, 0.25, 0.33, 0.5):
            for seed in range(4):
                ours = datasets.stratified_split(target, test_size, seed)
                theirs = train_test_split(np.arange(len(target)), test_size=test_size, stratify=target,
                                          random_state=seed)
                assert all(np.array_equal(a, b) for a, b in zip(ours, theirs)), (test_size, seed)
    code = "import sys, nnlab.datasets as d; d.load_digits_split(); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_round_trip(tmp_path, rng, gz):
    a = rng.integers(-1000, 1000, (3, 4, 5)).astype(">i4")
    _write_idx(tmp_path / "a.idx", a, gz=False) if not gz else _write_idx(tmp_path / "a.idx.gz", a)
    got = datasets.read_idx(tmp_path / ("a.idx.gz" if gz else "a.idx"))
    np.testing.assert_array_equal(got, a)
    assert got.dtype.isnative


def test_read_idx_rejects_garbage_and_truncation(tmp_path):
    (tmp_path / "bad").write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not an IDX file"):
        datasets.read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 10, 1, 2]))
    with pytest.raises(ValueError, match="truncated"):
        datasets.read_idx(tmp_path / "short")


def test_load_from_a_path_and_from_nnlab_data(tmp_path, rng, monkeypatch):
    arrays = _fake_mnist(tmp_path / "given", rng)
    X_train, y_train, X_test, y_test = datasets.load_mnist("mnist", path=tmp_path / "given", download=False)
    np.testing.assert_array_equal(X_train, arrays["train"][0])
    np.testing.assert_array_equal(y_test, arrays["test"][1])
    arrays = _fake_mnist(tmp_path / "data" / "mnist", rng, gz=False)
    monkeypatch.setenv("NNLAB_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    np.testing.assert_array_equal(datasets.load_mnist("mnist", download=False)[0], arrays["train"][0])


def test_real_download_from_a_local_server_then_cached(tmp_path, rng, monkeypatch):
    _fake_mnist(tmp_path / "served", rng)
    handler_cls = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler_cls(*a, directory=str(tmp_path / "served")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NNLAB_DATA", raising=False)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        first = datasets.load_mnist("mnist", base_url=url)
    finally:
        server.shutdown()
    assert (tmp_path / "cache" / "nnlab" / "mnist" / "train-images-idx3-ubyte.gz").exists()
    second = datasets.load_mnist("mnist", download=False)               # the server is gone: from the cache
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_nothing_found_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("NNLAB_DATA", raising=False)
    with pytest.raises(FileNotFoundError, match=r"mnist not found .*\$NNLAB_DATA/mnist"):
        datasets.load_mnist("mnist", download=False)
    with pytest.raises(FileNotFoundError, match="download from http://127.0.0.1:9/"):
        datasets.load_mnist("mnist", base_url="http://127.0.0.1:9/")
    with pytest.raises(ValueError, match="'fashion' or 'mnist'"):
        datasets.load_mnist("cifar")


def test_debian_fashion_mnist_package():
    if not datasets.DEBIAN_DIRS["fashion"].is_dir():
        message = "Debian's dataset-fashion-mnist is not installed (as root: apt-get install dataset-fashion-mnist)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    X_train, y_train, X_test, y_test = datasets.load_mnist("fashion", download=False)
    assert X_train.shape == (60000, 28, 28) and X_test.shape == (10000, 28, 28) and X_train.dtype == np.uint8
    assert np.array_equal(np.bincount(y_train), [6000] * 10) and len(datasets.FASHION_CLASSES) == 10


def test_sunspots():
    pytest.importorskip("statsmodels", reason="sunspots ship inside statsmodels (the lab extra installs it)")
    years, values = nnlab.datasets.load_sunspots()
    assert years.shape == values.shape == (309,) and years[0] == 1700 and years[-1] == 2008
    assert values[0] == 5 and values.max() > 150
