"""Collecting Canvas and Moodle bulk downloads through a roster (autograder/commands/lms.py), with a real gradebook:
names and ids mapped to student ids, late and re-submitted files, a notebook under another name graded and
flagged, and every file that cannot be matched reported."""
from __future__ import annotations

import csv
import json
import shutil
import zipfile

import pytest

from autograder.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.grader
AID = "02_forward_pass"
ROSTER = """student_id,name,canvas_user_id,moodle_participant_id
jdoe,Jane Doe,12345,181
bsmith,"Smith, Bob",23456,182
alee,Ann Lee,34567,183
mgarcia,Maria García,45678,
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("lms")
    (root / "source" / AID).mkdir(parents=True)
    shutil.copy(REPO / "solutions" / AID / f"{AID}.ipynb", root / "source" / AID)
    (root / "roster.csv").write_text(ROSTER)
    notebook = (REPO / "notebooks" / AID / f"{AID}.ipynb").read_bytes()
    return root, notebook


def run(root, lms, archive, capsys, course="course"):
    args = ["--course", str(root / course), "--source", str(root / "source")]
    code = main(args + ["collect", "--lms", lms, "--assignment", AID, "--roster", str(root / "roster.csv"),
                        str(archive)])
    return code, capsys.readouterr(), root / course


def test_canvas_download(setup, capsys):
    root, nb = setup
    archive = root / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"doejane_12345_900001_{AID}.ipynb", nb)
        zf.writestr(f"smithbob_LATE_23456_900002_{AID}-1.ipynb", nb)        # late, re-submitted
        zf.writestr("leeann_34567_900003_my work.ipynb", nb)                # a lone notebook under another name
        zf.writestr(f"garciamaria_55555_900005_{AID}.ipynb", nb)            # unknown id, known name
        zf.writestr(f"nobody_99999_900004_{AID}.ipynb", nb)
        zf.writestr("doejane_12345_900001_notes.txt", "scratch")
        zf.writestr("README.txt", "from the LMS")
        zf.writestr("../evil.ipynb", "{}")
    code, out, course = run(root, "canvas", archive, capsys)
    assert code == 0, out.err
    for student in ("jdoe", "bsmith", "alee", "mgarcia"):
        assert (course / "submitted" / student / AID / f"{AID}.ipynb").read_bytes() == nb, student
    lines = out.out.splitlines()
    assert f"unmatched: nobody_99999_900004_{AID}.ipynb (canvas id 99999, name 'nobody': not in the roster)" in lines
    assert "unmatched: README.txt (not a canvas submission file name)" in lines
    assert "ignored: doejane_12345_900001_notes.txt (not a notebook)" in lines
    assert any(line.startswith("rejected: ../evil.ipynb") for line in lines)
    assert f"renamed: alee/{AID}/my work.ipynb → {AID}.ipynb" in lines
    assert "collected 4 submissions from 4 students" in lines
    assert not (course / "submitted" / "nobody").exists() and not (root / "evil.ipynb").exists()


def test_moodle_download_in_folders_and_flat(setup, capsys):
    root, nb = setup
    archive = root / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"Jane Doe_181_assignsubmission_file_/{AID}.ipynb", nb)
        zf.writestr(f"Bob Smith_182_assignsubmission_file_/{AID}.ipynb", nb)
        zf.writestr(f"Ann Lee_183_assignsubmission_file_{AID}.ipynb", nb)             # the flat layout
        zf.writestr(f"Zed Unknown_999_assignsubmission_file_/{AID}.ipynb", nb)
    code, out, course = run(root, "moodle", archive, capsys, course="moodle-course")
    assert code == 0, out.err
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["alee", "bsmith", "jdoe"]
    assert (f"unmatched: Zed Unknown_999_assignsubmission_file_/{AID}.ipynb (moodle id 999, name 'Zed Unknown': "
            f"not in the roster)") in out.out.splitlines()


def test_roster_and_option_errors(setup, capsys, tmp_path):
    root, nb = setup
    bad = tmp_path / "bad.csv"
    bad.write_text("id,email\n1,a@b\n")
    args = ["--course", str(tmp_path / "c"), "--source", str(root / "source"), "collect"]
    zipfile.ZipFile(tmp_path / "x.zip", "w").close()
    assert main(args + ["--lms", "canvas", "--assignment", AID, "--roster", str(bad), str(tmp_path / "x.zip")]) == 1
    assert "needs the columns student_id and canvas_user_id (found: email, id)" in capsys.readouterr().err
    assert main(args + ["--lms", "canvas", str(tmp_path / "x.zip")]) == 1
    assert "--lms needs --assignment ID and --roster FILE" in capsys.readouterr().err
    assert main(args + ["--lms", "moodle", "--assignment", "99_nope", "--roster", str(bad),
                        str(tmp_path / "x.zip")]) == 1
    assert "unknown assignment 99_nope" in capsys.readouterr().err


def test_renamed_notebook_is_graded_and_flagged(setup, capsys):
    root, nb = setup
    archive = root / "one.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("leeann_34567_900003_my work.ipynb", nb)
    code, out, course = run(root, "canvas", archive, capsys, course="flag-course")
    assert code == 0
    args = ["--course", str(course), "--source", str(root / "source"), "--no-sandbox"]
    assert main(args + ["autograde"]) == 0
    assert main(args + ["export", "--to", str(course / "export")]) == 0
    row = next(csv.DictReader(open(course / "export" / "grades.csv")))
    assert row["status"] == "flagged" and row["score"] == "0"          # the release notebook: nothing solved
    assert "flagged: the notebook was handed in as my work.ipynb and graded as 02_forward_pass.ipynb" in row["message"]


def _submission_zip(tmp_path, student, nb, assignments=(AID,), zip_name=None):
    """A zip made by the student side's ``nnlab.submit`` from a work/ folder holding ``nb`` per assignment."""
    from nnlab.submit import pack

    work = tmp_path / f"work-{student}-{len(list(tmp_path.glob('work-*')))}"
    for aid in assignments:
        (work / aid).mkdir(parents=True)
        (work / aid / f"{aid}.ipynb").write_bytes(nb)
    out = pack(student, work=work, to=tmp_path / f"out-{work.name}")
    return out.rename(out.with_name(zip_name)) if zip_name else out


def _state(course, kind, student):
    path = course / ".nnlab" / kind / student / f"{AID}.json"
    return json.loads(path.read_text()) if path.exists() else None


def test_submission_zips_given_directly_or_in_a_folder(setup, capsys, tmp_path):
    root, nb = setup
    args = ["--course", str(tmp_path / "course"), "--source", str(root / "source"), "collect"]
    assert main(args + [str(_submission_zip(tmp_path, "jdoe", nb))]) == 0
    course = tmp_path / "course"
    assert (course / "submitted" / "jdoe" / AID / f"{AID}.ipynb").read_bytes() == nb
    assert _state(course, "manifests", "jdoe")["student_id"] == "jdoe" and _state(course, "flags", "jdoe") is None
    assert "collected 1 submissions from 1 students" in capsys.readouterr().out

    folder = tmp_path / "handed-in"
    folder.mkdir()
    _submission_zip(tmp_path, "bsmith", nb).rename(folder / "submission-bsmith.zip")
    tampered = _submission_zip(tmp_path, "alee", nb)                # a notebook changed after it was packed
    with zipfile.ZipFile(tampered) as zf, zipfile.ZipFile(folder / "submission-alee.zip", "w") as out:
        for name in zf.namelist():
            out.writestr(name, zf.read(name) + (b" " if name.endswith(".ipynb") else b""))
    with zipfile.ZipFile(folder / "photos.zip", "w") as zf:
        zf.writestr("cat.jpg", b"...")
    with zipfile.ZipFile(folder / "submission-kofi.zip", "w") as zf:   # a manifest edited into nonsense
        zf.writestr(f"kofi/{AID}/{AID}.ipynb", nb)
        zf.writestr("kofi/submission.json", "{not json")
    assert main(args + [str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "ignored: photos.zip (a zip, but not one made by nnlab.submit)" in lines
    assert "collected 3 submissions from 3 students" in lines
    assert _state(course, "flags", "kofi")[0].startswith("the submission's manifest could not be read (JSONDecodeError")
    assert _state(course, "manifests", "kofi") is None
    assert _state(course, "flags", "bsmith") is None
    assert _state(course, "flags", "alee") == [
        f"{AID}.ipynb is not the notebook that was packed (its sha256 differs from the manifest's)"]


def test_submission_zips_handed_in_through_canvas(setup, capsys, tmp_path):
    root, nb = setup
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(_submission_zip(tmp_path, "jdoe", nb, (AID, "01_perceptron")),
                 "doejane_12345_900001_submission-jdoe.zip")
        zf.write(_submission_zip(tmp_path, "jd42", nb), f"smithbob_23456_900002_submission-jd42-{AID}.zip")
    code, out, course = run(root, "canvas", archive, capsys, course="zip-course")
    assert code == 0, out.err
    for student in ("jdoe", "bsmith"):                                 # the roster's student wins
        assert (course / "submitted" / student / AID / f"{AID}.ipynb").read_bytes() == nb
    assert not (course / "submitted" / "jd42").exists()
    assert _state(course, "flags", "jdoe") is None
    assert _state(course, "flags", "bsmith") == ["the submission zip carries the student id jd42; it was collected for bsmith"]
    assert _state(course, "manifests", "bsmith")["student_id"] == "jd42"
    lines = out.out.splitlines()
    assert f"ignored: doejane_12345_900001_submission-jdoe.zip: jdoe/01_perceptron (not {AID}, the LMS assignment)" \
        in lines
    assert "collected 2 submissions from 2 students" in lines
