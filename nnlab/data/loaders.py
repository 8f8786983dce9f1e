"""Real data sets that work offline: scikit-learn's digits, MNIST / Fashion-MNIST from IDX files, sunspots.

- ``load_digits_split`` — 1,797 8×8 handwritten digits (the CSV inside scikit-learn; scikit-learn is not
  imported); the graded cells use only this.
- ``load_mnist("fashion")`` / ``load_mnist("mnist")`` — 70,000 28×28 images. Looked for, in order: the ``path``
  argument; the folder in ``$NNLAB_DATA/<name>``; Debian's ``dataset-fashion-mnist`` package
  (``/usr/share/datasets/fashion-mnist``); the download cache ``~/.cache/nnlab/<name>``; then downloaded from
  the data set's mirror if ``download=True``. Otherwise a ``FileNotFoundError`` says how to get it.
- ``load_sunspots`` — yearly sunspot numbers 1700–2008 (the CSV inside statsmodels; statsmodels is not imported).
"""
from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
from pathlib import Path

import numpy as np

MNIST_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
               "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
MIRRORS = {"fashion": "https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
           "mnist": "https://ossci-datasets.s3.amazonaws.com/mnist/"}
DEBIAN_DIRS = {"fashion": Path("/usr/share/datasets/fashion-mnist")}
FOLDERS = {"fashion": "fashion-mnist", "mnist": "mnist"}
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                   "Ankle boot")
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_digits():
    """scikit-learn's 1,797 handwritten digits: ``(X (1797, 64) floats 0–16, y (1797,) ints 0–9)``.

    Read from the CSV that ships inside scikit-learn, without importing scikit-learn (that import alone takes
    about 2 s, which every notebook start and every graded submission would pay).
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the digits ship with scikit-learn: pip install scikit-learn")
    data = np.loadtxt(Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz", delimiter=",")
    return data[:, :-1], data[:, -1].astype(int)


def _approximate_mode(counts, n_draws, rng):
    """How many of ``n_draws`` to take from each class: the proportional share, floored, with the remaining
    draws given to the largest remainders (ties broken by ``rng``)."""
    continuous = counts / counts.sum() * n_draws
    floored = np.floor(continuous)
    need = int(n_draws - floored.sum())
    if need > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add = min(len(inds), need)
            floored[rng.choice(inds, size=add, replace=False)] += 1
            need -= add
            if need == 0:
                break
    return floored.astype(int)


def stratified_split(y, test_size=0.25, random_state=0):
    """``(train_indices, test_indices)`` with each class in the same proportion on both sides.

    The same indices as scikit-learn's ``train_test_split(..., stratify=y, random_state=random_state)``
    (its StratifiedShuffleSplit: the same draws from ``RandomState(random_state)``, in the same order), so
    results match the Keras-and-scikit-learn examples; ``tests/library/test_datasets.py`` checks it against
    scikit-learn.
    """
    y = np.asarray(y)
    n_test = int(np.ceil(test_size * len(y)))
    n_train = len(y) - n_test
    classes, y_indices, counts = np.unique(y, return_inverse=True, return_counts=True)
    by_class = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(counts)[:-1])
    rng = np.random.RandomState(random_state)
    n_i = _approximate_mode(counts, n_train, rng)
    t_i = _approximate_mode(counts - n_i, n_test, rng)
    train, test = [], []
    for i in range(len(classes)):
        members = by_class[i].take(rng.permutation(counts[i]), mode="clip")
        train.extend(members[:n_i[i]])
        test.extend(members[n_i[i]:n_i[i] + t_i[i]])
    return rng.permutation(train), rng.permutation(test)


def load_digits_split(test_size=0.25, random_state=0, images=False):
    """The digits, scaled to [0, 1] and split with the classes stratified (``stratified_split``).

    Returns ``(X_train, X_test, y_train, y_test)``: rows ``(m, 64)`` float64, or NCHW ``(m, 1, 8, 8)`` with
    ``images=True``; labels ``(m,)`` integers 0–9.
    """
    X, y = load_digits()
    X = X / 16.0
    train, test = stratified_split(y, test_size, random_state)
    parts = [X[train], X[test], y[train], y[test]]
    if images:
        parts[0], parts[1] = parts[0].reshape(-1, 1, 8, 8), parts[1].reshape(-1, 1, 8, 8)
    return tuple(parts)


def read_idx(path) -> np.ndarray:
    """Read one IDX file (gzipped or not): a big-endian header — two zero bytes, a type code, the number of
    dimensions, each dimension as a 4-byte integer — followed by the data."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise ValueError(f"read_idx: {path} is not an IDX file")
    ndim = data[3]
    dims = tuple(int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(ndim))
    dtype = np.dtype(_IDX_TYPES[data[2]])
    body = np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        raise ValueError(f"read_idx: {path} is truncated: the header says {dims}, found {body.size} values")
    return body.reshape(dims).astype(dtype.newbyteorder("="), copy=False)


def _find(folder: Path):
    for split in ("train", "test"):
        for name in MNIST_FILES[split]:
            if not any((folder / (name + ext)).exists() for ext in (".gz", "")):
                return None
    return folder


def _file(folder: Path, name: str) -> Path:
    gz = folder / (name + ".gz")
    return gz if gz.exists() else folder / name


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nnlab"


def _download(kind: str, dest: Path, base_url: str) -> Path:
    import urllib.request          # here, not at the top: every kernel imports nnlab, few of them download
    tmp = dest.with_name(dest.name + ".partial")
    tmp.mkdir(parents=True, exist_ok=True)
    for split in ("train", "test"):
        for name in MNIST_FILES[split]:
            with urllib.request.urlopen(base_url + name + ".gz", timeout=60) as r, open(tmp / (name + ".gz"), "wb") as f:
                shutil.copyfileobj(r, f)
    tmp.replace(dest)
    return dest


def locate_mnist(kind="fashion", path=None, download=True, base_url=None) -> Path:
    """The folder holding the four IDX files of ``kind`` (``"fashion"`` or ``"mnist"``); see the module docs."""
    if kind not in FOLDERS:
        raise ValueError(f"load_mnist: kind must be 'fashion' or 'mnist', got {kind!r}")
    tried = []
    candidates = [Path(path)] if path is not None else []
    if os.environ.get("NNLAB_DATA"):
        candidates.append(Path(os.environ["NNLAB_DATA"]) / FOLDERS[kind])
    if kind in DEBIAN_DIRS:
        candidates.append(DEBIAN_DIRS[kind])
    candidates.append(cache_dir() / FOLDERS[kind])
    for folder in candidates:
        tried.append(str(folder))
        if folder.is_dir() and _find(folder):
            return folder
    if download:
        try:
            return _download(kind, cache_dir() / FOLDERS[kind], base_url or MIRRORS[kind])
        except OSError as e:
            tried.append(f"download from {base_url or MIRRORS[kind]} ({e})")
    hint = ("on Debian/Ubuntu: sudo apt install dataset-fashion-mnist; " if kind == "fashion" else "")
    raise FileNotFoundError(f"{FOLDERS[kind]} not found (tried: {'; '.join(tried)}). To get it: {hint}or put "
                            f"the four *-ubyte.gz files in $NNLAB_DATA/{FOLDERS[kind]}, or run once online.")


def load_mnist(kind="fashion", path=None, download=True, base_url=None):
    """MNIST or Fashion-MNIST as ``(X_train, y_train, X_test, y_test)``: images ``(m, 28, 28)`` uint8 and
    labels ``(m,)`` uint8 (60,000 train, 10,000 test). Scale and reshape as the model needs."""
    folder = locate_mnist(kind, path, download, base_url)
    out = []
    for split in ("train", "test"):
        images, labels = (read_idx(_file(folder, name)) for name in MNIST_FILES[split])
        if images.ndim != 3 or labels.shape != images.shape[:1]:
            raise ValueError(f"load_mnist: {folder} holds images {images.shape} and labels {labels.shape}")
        out += [images, labels]
    return tuple(out)


def load_sunspots():
    """Yearly mean sunspot numbers 1700–2008: ``(years (309,), values (309,))`` float64."""
    spec = importlib.util.find_spec("statsmodels")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("load_sunspots needs statsmodels' copy of the data: pip install statsmodels")
    csv = Path(spec.origin).parent / "datasets" / "sunspots" / "sunspots.csv"
    data = np.loadtxt(csv, delimiter=",", skiprows=1)
    return data[:, 0], data[:, 1]
