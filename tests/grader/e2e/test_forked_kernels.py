"""Grading kernels forked from kernel templates (autograder/trust/forked_kernels.py, template.py), in the real
sandbox and through the grader's own ``GuardedExecute`` and ``Spares``: a forked kernel meets the sandbox as a
started one does, draws inline figures, finds nothing a kernel before it left, gets its own grading library
and no other, and costs a student who kills its template only that notebook; where templates fail, or
``NNLAB_FORK_KERNELS=0``, kernels start from scratch and every notebook still runs.
Needs Debian's bubblewrap (make test installs it as root); skips without it, and fails under CI=true."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import nbformat
import pytest
from traitlets.config import Config

from autograder.integration.execute import DIED, GuardedExecute
from autograder.pipeline.process import ProcessState
from autograder.trust import forked_kernels, sandbox
from tests.conftest import REPO
from tests.grader.e2e.test_sandbox import HOSTILE

pytestmark = pytest.mark.grader

PARENT = "import os\nprint('template' if 'autograder.trust.template' in open(f'/proc/{os.getppid()}/cmdline').read() " \
         "else 'started')"


@pytest.fixture()
def forking(tmp_path, monkeypatch):
    """(a grading process's state, its course folder) with the sandbox's kernelspec installed, hiding the course
    folder and the repository's solutions, as the grader's does."""
    if sandbox.bwrap_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test forked kernels in the sandbox: {sandbox.INSTALL_HINT}")
        pytest.skip(sandbox.INSTALL_HINT)
    monkeypatch.delenv(forked_kernels.SWITCH, raising=False)
    course = tmp_path / "course"
    course.mkdir()
    (course / "gradebook.db").write_text("secret")
    jupyter = sandbox.install_kernelspec(tmp_path / "state", [course, REPO / "solutions"])
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))
    process = ProcessState()
    yield process, course
    process.spares.discard()


def _run(process: ProcessState, cells: list[str], extra=(), timeout=60) -> list[dict]:
    """Run ``cells`` as one notebook the way the grader does; per cell, its stdout, stderr, error names and the
    number of its PNG images."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = process.kernel_socket_prefix()
    config.GuardedExecute.process = process
    GuardedExecute(config=config, kernel_name=sandbox.KERNEL_NAME, extra_arguments=list(extra), timeout=timeout,
                   allow_errors=True).preprocess(nb, {"metadata": {"path": os.getcwd()}})
    return [{"out": "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout").strip(),
             "stderr": [o for o in cell.outputs if o.get("name") == "stderr"],
             "errors": [o["ename"] for o in cell.outputs if o["output_type"] == "error"],
             "images": sum("image/png" in o.get("data", {}) for o in cell.outputs)} for cell in nb.cells]


def test_a_forked_kernel_meets_the_sandbox_as_a_started_one_does(forking):
    process, course = forking
    prelude = f"COURSE, SOLUTIONS = {str(course)!r}, {str(REPO / 'solutions' / '01_perceptron')!r}"
    names = [n for n in HOSTILE if n not in ("look around", "write")]
    plant = "try:\n    open(os.path.join(COURSE, 'planted.txt'), 'w').write('x')\n    print('PLANTED')\n" \
            "except OSError as exc:\n    print(type(exc).__name__)"
    look = "import os\nprint(sorted(os.listdir(COURSE)), os.path.exists(SOLUTIONS))"
    out = dict(zip(["prelude", "parent", "look", "plant", *names],
                   _run(process, [prelude, PARENT, look, plant, *(HOSTILE[n] for n in names)])))
    assert not any(cell["stderr"] or cell["errors"] for cell in out.values()), out
    assert out["parent"]["out"] == "template"                         # forked, not started
    assert out["look"]["out"] == "[] False"                           # the course is an empty folder
    assert out["plant"]["out"] == "OSError" and not (course / "planted.txt").exists()
    assert out["network"]["out"].startswith("no network:")
    assert out["unmount"]["out"] == "False [] ['0000000000000000']"
    assert out["unmount in a namespace"]["out"] == "(False, [])"
    assert out["memory bomb"]["out"] == "MemoryError"
    assert out["matplotlib"]["images"] == 1                           # inline figures, nothing on stderr
    assert out["jax"]["out"] == "6.0"
    assert out["start-up"]["out"] == "[] ['']"                        # no debugger; its folder on the path
    process.spares.settle()                                           # the kernel has been stopped, and with it
    deadline = time.time() + 15                                       # what it started in a session of its own
    while subprocess.run(["pgrep", "-f", "sleep 321"], capture_output=True).returncode == 0:
        assert time.time() < deadline, "a process outlived its forked kernel"
        time.sleep(0.2)


LEAVE = """
import os, subprocess
open('/tmp/left.txt', 'w').write('x')
open('mine.txt', 'w').write('x')
subprocess.Popen(['sleep', '742'], start_new_session=True)
print(os.getcwd())
"""
LOOK = """
import os
others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid())]
print(os.path.exists('/tmp/left.txt'), os.listdir('.'), [open(f'/proc/{p}/cmdline').read() for p in others])
print(os.path.dirname(os.getcwd()), sorted(os.listdir('..')))
"""


def test_each_kernel_finds_nothing_a_kernel_before_it_left(forking):
    process, _ = forking
    first = _run(process, [PARENT, LEAVE])[1]["out"]
    looks = [_run(process, [PARENT, LOOK])[1]["out"].splitlines() for _ in range(2)]
    assert _run(process, [PARENT])[0]["out"] == "template"
    homes = [os.path.dirname(first)] + [look[1].split()[0] for look in looks]
    assert homes[0] == homes[2] != homes[1]                           # the two templates, used in turn
    for look in looks:
        assert look[0] == "False [] []"                               # no file, no process of the first one's
        assert os.path.basename(first) not in look[1]                 # and not its folder


def test_forked_kernels_draw_their_own_random_numbers(forking):
    process, _ = forking
    draw = "import random, numpy as np\nprint(np.random.rand(), random.random())"
    draws = [_run(process, [draw])[0]["out"] for _ in range(3)]
    assert len(set(draws)) == 3, draws


def test_a_kernel_that_kills_its_template_costs_only_its_own_notebook(forking):
    process, _ = forking
    killed = _run(process, [PARENT, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\n"
                                    "time.sleep(30)", "print('after')"], timeout=60)
    assert killed[1]["errors"] == [DIED] and killed[2]["errors"] == ["CellNotRun"]
    for _ in range(3):                                                # the other template, then a new one
        assert [cell["out"] for cell in _run(process, [PARENT, "print(6 * 7)"])] == ["template", "42"]
    assert process.spares.forks.why is None


def test_where_templates_fail_kernels_start_from_scratch(forking, monkeypatch):
    process, _ = forking
    forks = process.spares.forks
    build = forks._template

    def broken(km, library, root, slot):
        template, name = build(km, library, root, slot)
        if template.argv[:2] != [sys.executable, "-c"]:               # replaced by one that ends at once
            template.close()
            forks.templates[slot] = forked_kernels.KernelTemplate([sys.executable, "-c", "import sys; sys.exit(3)"],
                                                                   template.home)
        return forks.templates[slot], name

    monkeypatch.setattr(forks, "_template", broken)
    for _ in range(4):
        assert [cell["out"] for cell in _run(process, [PARENT, "print(6 * 7)"])] == ["started", "42"]
    assert forks.why and forks.failures == forked_kernels.FAILURES


def test_the_switch_turns_forking_off(forking, monkeypatch):
    process, _ = forking
    monkeypatch.setenv(forked_kernels.SWITCH, "0")
    process.spares.forks = forked_kernels.KernelTemplates()
    assert [_run(process, [PARENT])[0]["out"] for _ in range(2)] == ["started", "started"]
    assert process.spares.forks.templates == [None, None]


LIBRARY = """
import ctypes, os
import nnlab.answers.nb02_forward_pass as answers
caps = {line.split(':')[0]: int(line.split()[1], 16) for line in open('/proc/self/status') if line.startswith('Cap')}
try:
    listed = sorted(os.listdir('/run/nnlab-libraries'))
except OSError as exc:
    listed = type(exc).__name__
print(len(open(answers.__file__, 'rb').read()), listed, set(caps.values()),
      ctypes.CDLL(None, use_errno=True).umount2(b'/run/nnlab-libraries', 2) == 0)
"""


def test_each_forked_kernel_gets_its_own_grading_library_and_no_other(forking, tmp_path):
    from autograder.commands.kit import grading_library
    from autograder.trust.sandbox import LIBRARY as ARGUMENT
    process, _ = forking
    libraries = [grading_library(tmp_path / "libraries", a) for a in ("02_forward_pass", "03_gradient_descent")]
    size = {lib: (lib / "nnlab" / "answers" / "nb02_forward_pass.py").stat().st_size for lib in libraries}
    assert size[libraries[0]] < size[libraries[1]]                  # 02's answers left out where 02 is open
    for library in libraries * 2:
        parent, seen = (cell["out"] for cell in _run(process, [PARENT, LIBRARY], extra=[ARGUMENT + str(library)]))
        assert parent == "template" and process.spares.forks.shared   # one shared template for both libraries
        assert seen == f"{size[library]} [] {{0}} False"               # its own library, no other, no capability
