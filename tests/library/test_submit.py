"""Handing in (nnlab/submit.py): the zip's layout, its manifest, one assignment or all, and the messages a
student gets for a malformed id or nothing to hand in — through the module and `python -m nnlab.submit`."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import zipfile

import pytest

import nnlab
from nnlab.submit import pack


@pytest.fixture
def work(tmp_path):
    for aid in ("01_perceptron", "02_forward_pass"):
        (tmp_path / "work" / aid).mkdir(parents=True)
        (tmp_path / "work" / aid / f"{aid}.ipynb").write_text(f'{{"cells": [], "name": "{aid}"}}')
    (tmp_path / "work" / "02_forward_pass" / "scratch.txt").write_text("not handed in")
    return tmp_path / "work"


def test_pack_all_assignments_with_a_manifest(work, tmp_path):
    when = dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.timezone.utc)
    out = pack("jdoe", work=work, to=tmp_path / "out", now=when)
    assert out == tmp_path / "out" / "submission-jdoe.zip"
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["jdoe/01_perceptron/01_perceptron.ipynb",
                                         "jdoe/02_forward_pass/02_forward_pass.ipynb", "jdoe/submission.json"]
        manifest = json.loads(zf.read("jdoe/submission.json"))
        packed = zf.read("jdoe/02_forward_pass/02_forward_pass.ipynb")
    assert manifest["student_id"] == "jdoe" and manifest["packed_utc"] == "2026-11-30T09:05:00+00:00"
    assert manifest["nnlab"] == {"version": nnlab.__version__, "build": None}     # not a student kit
    assert manifest["notebooks"]["02_forward_pass/02_forward_pass.ipynb"] == hashlib.sha256(packed).hexdigest()


def test_pack_one_assignment(work, tmp_path):
    out = pack("jdoe", "02_forward_pass", work=work, to=tmp_path)
    assert out.name == "submission-jdoe-02_forward_pass.zip"
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["jdoe/02_forward_pass/02_forward_pass.ipynb", "jdoe/submission.json"]


@pytest.mark.parametrize("student, assignment, message", [
    ("j doe", None, "is not a student id"),
    ("../x", None, "is not a student id"),
    ("jdoe", "../02", "is not an assignment folder name"),
    ("jdoe", "03_gradient_descent", "no notebook to hand in under"),
])
def test_bad_ids_and_nothing_to_hand_in(work, tmp_path, student, assignment, message):
    with pytest.raises(ValueError, match=message):
        pack(student, assignment, work=work, to=tmp_path)


def test_the_command_line(work, tmp_path):
    run = subprocess.run([sys.executable, "-m", "nnlab.submit", "jdoe", "01_perceptron", "--work", str(work),
                          "--to", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stdout and "submission-jdoe-01_perceptron.zip (1 notebook)" in run.stdout
    run = subprocess.run([sys.executable, "-m", "nnlab.submit", "jdoe", "--work", str(tmp_path / "nothing")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "no notebook to hand in" in run.stderr
