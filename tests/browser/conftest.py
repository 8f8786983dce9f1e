"""JupyterLab in a real headless browser: a lab server on a temporary copy of the notebooks, and Debian's
chromium driven by Python Playwright (recipe and pitfalls: docs/browser-testing.md).

The suite skips, saying what is missing, where chromium or Playwright are absent — and fails under CI=true,
where .ci/run installs both. Screenshots go to tests/browser/artifacts/ (git-ignored): look at them.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.commands.pdf import CHROMIUM, CHROMIUM_ARGS as PRINTING_ARGS
from tests.conftest import REPO

ARTIFACTS = REPO / "tests" / "browser" / "artifacts"
STUDENT_CONFIG = REPO / "autograder" / "lab" / "student"
CHROMIUM_ARGS = PRINTING_ARGS + ["--disable-quic"]      # the flags nnlab-grade pdf launches chromium with


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install 'nnlab[test]')"
    if not os.path.exists(CHROMIUM):
        return "chromium is not installed (as root: apt-get install chromium fonts-dejavu-core; make test does it)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser suite: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running ``jupyter lab`` server: ``url(path)`` gives an authenticated URL, ``api(path)`` GETs JSON.

    ``student=True`` starts it the way ``make lab`` does (nbgrader's instructor plugins switched off);
    ``config_path`` names another student-mode settings folder, e.g. a kit's ``lab/``; ``extra_env`` adds to
    the server's environment (``JUPYTER_PATH`` is where kernel specs are looked for first)."""

    def __init__(self, root: Path, home: Path, cwd: Path | None = None, student: bool = False,
                 config_path: Path | None = None, extra_env: dict[str, str] | None = None):
        self.root, self.port, self.token = root, _free_port(), secrets.token_hex(16)
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
                   MPLCONFIGDIR=str(home / "mpl"), NNLAB_GRADING="1", **(extra_env or {}))
        env.pop("NNLAB_HEADLESS", None)                     # the browser is where widgets are live
        if student or config_path:                          # what `make lab` does
            env["JUPYTER_CONFIG_PATH"] = str(config_path or STUDENT_CONFIG)
        labconfig = home / "config" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        (labconfig / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        self.log = open(home / "lab.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip", "127.0.0.1", f"--port={self.port}",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
             "--LabApp.expose_app_in_browser=True", "--allow-root"],
            env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 90
        while True:
            try:
                self.api("/api/status")
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"jupyter lab did not start: {(home / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{sep}token={self.token}"

    def api(self, path: str):
        with urllib.request.urlopen(self.url(path), timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)        # this server and its kernels, nothing else
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="session")
def lab(browser, tmp_path_factory):
    """JupyterLab serving copies of solutions/ and notebooks/ (NNLAB_GRADING=1 keeps the demos short)."""
    root = tmp_path_factory.mktemp("labroot")
    shutil.copytree(REPO / "solutions", root / "solutions")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    server = Lab(root, tmp_path_factory.mktemp("labhome"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab_page(browser, lab):
    """One JupyterLab page for all the notebook tests (each test opens its notebook in it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
