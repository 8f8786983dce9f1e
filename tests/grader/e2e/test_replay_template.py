"""Replay workers forked from a template (autograder/trust/template.py and templates.py), in the real sandbox:
the same verdicts as workers started on their own, nothing of one task's workers left for the next task's,
no way from a worker into its template, each worker of a shared template its own grading library and no way
to another (autograder/trust/own_library.py), a template per library where workers cannot have namespaces of
their own, and a template that dies or cannot start replaced or done without.
Needs Debian's bubblewrap (make test installs it as root); skips without it, and fails under CI=true."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from autograder.trust import sandbox
from autograder.trust.templates import Templates, TemplateGone
from autograder.trust.verify import Worker, WorkerGone, verify_notebook
from tests.conftest import REPO
from tests.grader.e2e.test_verify import _notebooks

pytestmark = pytest.mark.grader
SETUP = {"functions": ["sigmoid"], "checks": ["sigmoid"], "modules": ["nnlab.checks"]}
RIGHT, WRONG = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))", "def sigmoid(z):\n    return z"


@pytest.fixture()
def sandboxed(tmp_path):
    """(a fresh ``Templates``, the template's argv, a worker's argv, the workers' folder) for a workspace state
    under ``tmp_path`` whose kernelspec hides a course folder and the repository's solutions, as the grader's
    does where the source assignments are the repository's own."""
    if sandbox.bwrap_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test replay templates in the sandbox: {sandbox.INSTALL_HINT}")
        pytest.skip(sandbox.INSTALL_HINT)
    state, course = tmp_path / "state", tmp_path / "course"
    course.mkdir()
    sandbox.install_kernelspec(state, [course, REPO / "solutions"])   # hidden from the sandbox
    templates = Templates()
    yield (templates, sandbox.replay_argv(state, None, template=True), sandbox.replay_argv(state, None),
           tmp_path / "replay")
    templates.discard()


def _said(worker: Worker, code: str):
    """What ``code`` leaves in ``seen``, run in the worker (it comes back as the message of a SystemExit)."""
    reply = worker.request({"op": "run", "code": code + "\nraise SystemExit(repr(seen))"})
    assert not reply["ok"] and reply["error"].startswith("SystemExit: "), reply
    return eval(reply["error"].removeprefix("SystemExit: "))


def test_forked_workers_give_the_verdicts_of_started_ones(sandboxed):
    templates, template, plain, home = sandboxed
    for code, expected in ((RIGHT, True), (WRONG, False)):
        submitted, source = _notebooks(code)
        verdicts = {}
        for way in ("forked", "started"):
            fork = templates.forker(template, home, f"task-{way}-{expected}") if way == "forked" else None
            worker = Worker(plain, home / "nb", SETUP, 5, fork=fork)
            found = verify_notebook(submitted, source, plain, home / "nb", 5, worker=worker)
            verdicts[way] = {gid: (v.passed, v.message) for gid, v in found.items()}
            assert type(worker.proc).__name__ == ("Forked" if way == "forked" else "Popen")
        assert verdicts["forked"] == verdicts["started"]
        assert {passed for passed, _ in verdicts["forked"].values()} == {expected}


LEAVE = """
import os, subprocess
open('/tmp/left.txt', 'w').write('x')
open('mine.txt', 'w').write('x')
os.makedirs('../other', exist_ok=True); open('../other/left.txt', 'w').write('x')
subprocess.Popen(['sleep', '741'], start_new_session=True)
for locked in ('/tmp/locked', '../locked'):            # folders nobody may open, not even their owner
    os.makedirs(locked + '/inner'); open(locked + '/inner/left.txt', 'w').write('x')
    os.chmod(locked + '/inner', 0); os.chmod(locked, 0)
written = []
for elsewhere in ('/dev/shm', '/run', '/dev', os.path.join(os.getcwd(), '..', '..', 'course')):
    try:
        open(os.path.join(elsewhere, 'left.txt'), 'w').write('x'); written.append(elsewhere)
    except OSError:                                    # read-only in a template's sandbox
        pass
seen = written
"""
LOOK = """
import os
others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid())]
seen = (os.path.exists('/tmp/left.txt'), os.path.exists('mine.txt'), os.path.exists('../other/left.txt'),
        sorted(open(f'/proc/{p}/cmdline').read().replace('\\0', ' ').strip() for p in others),
        os.path.exists('/tmp/locked') and os.path.exists('../locked'))
"""
# closes the way to the workers' folders: the folder they are all in, and the first folder on the way in /tmp
BLOCK = """
import os
os.chmod('..', 0)
os.chmod('/tmp/' + os.getcwd().split('/')[2], 0)
seen = 'blocked'
"""


def test_a_new_task_finds_nothing_an_earlier_tasks_workers_left(sandboxed):
    templates, template, plain, home = sandboxed
    first = Worker(plain, home / "nb", SETUP, 5, fork=templates.forker(template, home, "ada/1"))
    assert _said(first, LEAVE) == []                  # only /tmp and the workers' folders can be written
    first.close()
    template_of_the_class = templates.template
    # the same task's next worker shares the sandbox: what the test looks for is there to be found
    same = Worker(plain, home / "nb2", SETUP, 5, fork=templates.forker(template, home, "ada/1"))
    assert _said(same, LOOK) == (True, False, True, ["sleep 741"], True)
    assert _said(same, BLOCK) == "blocked"
    same.close()
    # the next task's does not, and works in its folder as if nothing had happened
    later = Worker(plain, home / "nb", SETUP, 5, fork=templates.forker(template, home, "ben/2"))
    assert _said(later, LOOK) == (False, False, False, [], False)
    assert templates.template is template_of_the_class   # the same template, which cleared what was left
    later.close()


REACH = """
import os
try:
    open(f'/proc/{os.getppid()}/mem', 'rb')
    memory = 'opened'
except PermissionError:
    memory = 'refused'
kinds = set()
for fd in os.listdir('/proc/self/fd'):
    try:
        kinds.add(os.readlink(f'/proc/self/fd/{fd}').split(':')[0])
    except OSError:                                    # listdir's own, closed by now
        pass
seen = (memory, sorted(kinds))
"""


def test_a_worker_cannot_reach_into_its_template(sandboxed):
    templates, template, plain, home = sandboxed
    worker = Worker(plain, home / "nb", SETUP, 5, fork=templates.forker(template, home, "ada/1"))
    memory, fds = _said(worker, REACH)
    worker.close()
    assert memory == "refused"                         # the template is not dumpable, the worker has no capability
    assert fds == ["/dev/null", "pipe"]                # its own pipes: not the template's socket


def test_a_killed_template_is_replaced_for_the_next_task(sandboxed):
    templates, template, plain, home = sandboxed
    worker = Worker(plain, home / "nb", SETUP, 5, fork=templates.forker(template, home, "ada/1"))
    # the template is the first process of its sandbox, which ends with it: the worker answers if it is quicker
    # than that (if not, only this student's check is lost)
    try:
        assert _said(worker, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nseen = 'killed'") == "killed"
    except WorkerGone:
        pass
    worker.close()
    dead = templates.template
    submitted, source = _notebooks(RIGHT)
    later = Worker(plain, home / "nb", SETUP, 5, fork=templates.forker(template, home, "ben/2"))
    verdicts = verify_notebook(submitted, source, plain, home / "nb", 5, worker=later)
    assert type(later.proc).__name__ == "Forked" and templates.template is not dead
    assert all(v.passed for v in verdicts.values()) and verdicts


def test_workers_start_on_their_own_where_no_template_starts(sandboxed):
    templates, _, plain, home = sandboxed
    broken = [sys.executable, "-c", "import sys; sys.exit(3)"]
    fork = templates.forker(broken, home, "ada/1")
    with pytest.raises(TemplateGone, match="ended"):
        fork(home / "nb")
    submitted, source = _notebooks(RIGHT)
    worker = Worker(plain, home / "nb", SETUP, 5, fork=fork)
    verdicts = verify_notebook(submitted, source, plain, home / "nb", 5, worker=worker)
    assert type(worker.proc).__name__ == "Popen" and verdicts and all(v.passed for v in verdicts.values())


def test_a_template_refuses_to_run_outside_the_sandbox(tmp_path):
    # there, clearing a task's processes would reach every process of the user
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with ours, theirs:
        proc = subprocess.run([sys.executable, "-m", "autograder.trust.template"], stdin=theirs.fileno(),
                              cwd=tmp_path, timeout=60, capture_output=True)
        answer = json.loads(ours.recv(1 << 16))
    assert proc.returncode == 0
    assert answer == {"ok": False, "error": "a replay template runs only in the grading sandbox"}


ISOLATED = """
import ctypes, os
import nnlab.answers.nb02_forward_pass as answers
libc = ctypes.CDLL(None, use_errno=True)
def listing(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError as exc:
        return type(exc).__name__
caps = {line.split(':')[0]: int(line.split()[1], 16) for line in open('/proc/self/status') if line.startswith('Cap')}
unmounted = libc.umount2(b'/run/nnlab-libraries', 2) == 0
nested = libc.unshare(0x10000000 | 0x00020000) == 0          # a user namespace of its own, to unmount from there
if nested:
    unmounted = unmounted or libc.umount2(b'/run/nnlab-libraries', 2) == 0
seen = (len(open(answers.__file__, 'rb').read()), listing('/run/nnlab-libraries'), caps, unmounted,
        listing('/proc/1/root/run/nnlab-libraries'), listing(f'/proc/{os.getppid()}/root/run/nnlab-libraries'))
"""


@pytest.fixture()
def two_libraries(sandboxed):
    """The folder of every grading library, with those for notebooks 02 (open) and 03 built in it."""
    from autograder.commands.kit import grading_library
    root = sandboxed[3].parent / "libraries"
    return root, [grading_library(root, a) for a in ("02_forward_pass", "03_gradient_descent")]


def test_a_shared_template_gives_each_worker_its_own_library_and_no_other(sandboxed, two_libraries):
    templates, _, _, home = sandboxed
    root, libraries = two_libraries
    state = home.parent / "state"
    shared = sandbox.replay_argv(state, template=True, libraries=str(root))
    size = {lib.name: (lib / "nnlab" / "answers" / "nb02_forward_pass.py").stat().st_size for lib in libraries}
    assert size[libraries[0].name] < size[libraries[1].name]      # 02's answers left out where 02 is open
    first = None
    for k, library in enumerate(libraries * 2):
        own = sandbox.replay_argv(state, str(library), template=True)
        worker = Worker(sandbox.replay_argv(state, str(library)), home / "nb", SETUP, 5,
                        fork=templates.forker(own, home, f"student{k}/{k}", (shared, library.name)))
        length, listed, caps, unmounted, through_init, through_template = _said(worker, ISOLATED)
        worker.close()
        assert type(worker.proc).__name__ == "Forked" and templates.shared
        first = first or templates.template
        assert templates.template is first                    # one template for both libraries
        assert length == size[library.name]                   # its own library where nnlab is imported from
        assert listed == [] and not unmounted                 # and no other
        assert set(caps.values()) == {0}, caps                # not even in the bounding set
        assert through_init == through_template == "PermissionError"


def test_where_workers_cannot_have_namespaces_a_template_per_library_serves(sandboxed, two_libraries):
    templates, _, plain, home = sandboxed
    root, libraries = two_libraries
    state = home.parent / "state"
    refusing = [sys.executable, "-c", "import json, socket; socket.socket(fileno=0).send(json.dumps("
                "{'ok': False, 'isolation': False, 'error': 'no user namespaces here'}).encode())"]
    templates_used = []
    for k, library in enumerate(libraries):
        own = sandbox.replay_argv(state, str(library), template=True)
        worker = Worker(sandbox.replay_argv(state, str(library)), home / "nb", SETUP, 5,
                        fork=templates.forker(own, home, f"student{k}/{k}", (refusing, library.name)))
        length = _said(worker, "import nnlab.answers.nb02_forward_pass as a\nseen = len(open(a.__file__, 'rb').read())")
        worker.close()
        assert type(worker.proc).__name__ == "Forked" and not templates.shared
        assert templates.template.argv == own and length == (library / "nnlab/answers/nb02_forward_pass.py").stat().st_size
        templates_used.append(templates.template)
    assert templates_used[0] is not templates_used[1]         # a new one for the other library
