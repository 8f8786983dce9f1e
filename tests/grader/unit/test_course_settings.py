"""The course's settings: its nbgrader_config.py is the instructor's (written once, then only read, after nnlab's
defaults), and nnlab's own settings live in nnlab.toml, under the command line's options."""
import shutil

import pytest

from autograder.cli import main
from autograder.course import settings
from autograder.course.workspace import Workspace
from autograder.integration.config import nbgrader_config
from tests.conftest import REPO

pytestmark = pytest.mark.grader              # each test syncs a course: nbgrader generates its assignment


@pytest.fixture
def main_one(tmp_path):
    """``main`` on a course whose source is one assignment (a sync generates only that one)."""
    source = tmp_path / "source"
    shutil.copytree(REPO / "solutions" / "01_perceptron", source / "01_perceptron")
    return lambda args: main(["--source", str(source), *args])

INSTRUCTOR = '\nc.CourseDirectory.course_id = "nn101"\nc.Execute.timeout = 7\nc.LimitOutput.max_lines = 123\n'


def test_the_course_config_is_written_once_and_read_after_the_defaults(tmp_path, main_one):
    course = tmp_path / "course"
    assert main_one(["--course", str(course), "export", "--to", str(tmp_path / "out")]) == 0
    config = course / "nbgrader_config.py"
    assert "yours to edit" in config.read_text()
    config.write_text(config.read_text() + INSTRUCTOR)
    edited = config.read_text()
    assert main_one(["--course", str(course), "export", "--to", str(tmp_path / "out")]) == 0
    assert config.read_text() == edited                                   # never written again
    cfg = Workspace(course, REPO / "solutions").config()
    assert cfg.CourseDirectory.course_id == "nn101" and cfg.Execute.timeout == 7 and cfg.LimitOutput.max_lines == 123
    assert cfg.Autograde.sanitize_preprocessors                            # nnlab's defaults are still there
    assert cfg.CourseDirectory.root == str(course.resolve())                # nnlab decides the paths
    assert Workspace(course, REPO / "solutions", cell_timeout=3).config().Execute.timeout == 3   # --cell-timeout
    assert Workspace(course, REPO / "solutions").limits()["cell_timeout"] is None   # a task loads the file itself


def test_the_instructors_database_is_used_unless_a_command_names_one(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.db_url = "
                                                f"'sqlite:///{tmp_path / 'elsewhere.db'}'\n")
    assert Workspace(course, REPO / "solutions").db_url == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert Workspace(course, REPO / "solutions", db_url="sqlite:///x.db").db_url == "sqlite:///x.db"
    assert nbgrader_config(course, REPO / "solutions").CourseDirectory.db_url.endswith("elsewhere.db")


def test_nnlab_settings_are_created_once_read_and_overridden_by_options(tmp_path, capsys, main_one):
    course = tmp_path / "course"
    assert main_one(["--course", str(course), "export", "--to", str(tmp_path / "out")]) == 0
    assert settings.load(course) == settings.DEFAULTS
    text = (course / settings.FILE).read_text().replace('memory = "2G"', 'memory = "3G"')
    (course / settings.FILE).write_text(text)
    assert settings.load(course)["memory"] == "3G"
    assert main_one(["--course", str(course), "export", "--to", str(tmp_path / "out")]) == 0
    assert (course / settings.FILE).read_text() == text                   # read, not rewritten
    (course / settings.FILE).write_text(text.replace('"3G"', '"lots"'))
    assert main_one(["--course", str(course), "export", "--to", str(tmp_path / "out")]) == 1
    assert "lots" in capsys.readouterr().err                              # a bad size is named
    assert main_one(["--course", str(course), "--memory", "1G", "export", "--to", str(tmp_path / "out")]) == 0


@pytest.mark.parametrize("text, says", [
    ("memory = ", "is not valid TOML"),
    ("colour = 'blue'\n", "unknown setting(s) colour"),
    ("processes = '256'\n", "processes must be a whole number, got '256'"),
])
def test_a_malformed_settings_file_is_one_clear_line(tmp_path, capsys, text, says, main_one):
    course = tmp_path / "course"
    course.mkdir()
    (course / settings.FILE).write_text(text)
    assert main_one(["--course", str(course), "export", "--to", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0] and str(course / settings.FILE) in err[0]
