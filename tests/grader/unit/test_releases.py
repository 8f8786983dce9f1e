"""Unit tests of release versions (autograder/course/releases.py): each release of an assignment's test cells is
recorded once, a submission is recognised by the checksums it carries, and intake compares it with that version."""
from __future__ import annotations

from datetime import datetime, timedelta

import nbformat
import pytest
from nbgrader.utils import compute_checksum

from autograder.course import releases
from autograder.pipeline.intake import inspect_submission

TYPO = 'assert f() is None, "f shuold return None"'
FIXED = 'assert f() is None, "f should return None"'


def _release(folder, visible: str) -> list:
    """Write a release notebook as nbgrader's generate_assignment leaves it — an answer cell and two locked test
    cells, each carrying its checksum — into ``folder``; return its cells."""
    answer = nbformat.v4.new_code_cell("def f(): pass", metadata={"nbgrader": {
        "grade": False, "solution": True, "locked": False, "grade_id": "f", "schema_version": 3}})
    cells = [answer] + [nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": gid, "points": points, "schema_version": 3}})
        for gid, source, points in (("f_visible", visible, 1), ("f_hidden", "assert True", 2))]
    for cell in cells:
        cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / "nb.ipynb")
    return cells


def _submit(path, cells):
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.from_dict(c) for c in cells]), path)
    return path


@pytest.fixture
def two_releases(tmp_path):
    """The state folder after a release with a typo in a test cell, then the release that fixed it; and the
    first release's cells, as its students received them."""
    state, release = tmp_path / ".nnlab", tmp_path / "release" / "a"
    first = _release(release, TYPO)
    releases.record(state, "a", release)
    _release(release, FIXED)
    releases.record(state, "a", release)
    return state, first


def test_recording_an_unchanged_release_makes_no_new_version(tmp_path):
    state, release = tmp_path / ".nnlab", tmp_path / "release" / "a"
    cells = _release(release, TYPO)
    first = releases.record(state, "a", release)
    assert releases.record(state, "a", release) == first
    assert releases.versions(state, "a") == [first]
    assert first["version"] == 1 and datetime.fromisoformat(first["recorded"]).utcoffset() == timedelta(0)
    visible = first["notebooks"]["nb"][0]
    assert visible == {"grade_id": "f_visible", "checksum": cells[1].metadata["nbgrader"]["checksum"],
                       "cell_type": "code", "source": TYPO,
                       "nbgrader": {"grade": True, "solution": False, "points": 1, "locked": True}}
    assert [c["grade_id"] for c in first["notebooks"]["nb"]] == ["f_visible", "f_hidden"]


def test_no_version_is_recorded_before_the_first_release(tmp_path):
    assert releases.versions(tmp_path / ".nnlab", "a") == []


def test_a_typo_fixed_in_a_test_cell_makes_version_2(two_releases):
    state, _ = two_releases
    first, second = releases.versions(state, "a")
    assert (first["version"], second["version"]) == (1, 2)
    assert [c["source"] for c in second["notebooks"]["nb"]] == [FIXED, "assert True"]


def test_a_submission_of_version_1_is_recognised_and_not_flagged(tmp_path, two_releases):
    state, first = two_releases
    submitted = _submit(tmp_path / "submitted.ipynb", first)
    versions = releases.versions(state, "a")
    assert releases.received(nbformat.read(submitted, as_version=4), versions, "nb") == versions[0]
    assert inspect_submission(submitted, versions, "nb") == (None, [], 1)


def test_a_test_cell_edited_in_version_1_is_flagged_against_version_1(tmp_path, two_releases):
    state, first = two_releases
    first[2].source = "pass"                                        # the checksum metadata stays the release's
    submitted = _submit(tmp_path / "submitted.ipynb", first)
    assert inspect_submission(submitted, releases.versions(state, "a"), "nb") == (
        None, ["test cell f_hidden was edited; graded with the original"], 1)


def test_a_submission_without_checksums_is_compared_with_the_latest_version(tmp_path, two_releases):
    state, first = two_releases
    for cell in first:
        del cell.metadata["nbgrader"]["checksum"]
    submitted = _submit(tmp_path / "submitted.ipynb", first)
    versions = releases.versions(state, "a")
    assert releases.received(nbformat.read(submitted, as_version=4), versions, "nb") is None
    assert inspect_submission(submitted, versions, "nb") == (
        None, ["test cell f_visible was edited; graded with the original"], 2)


def test_a_submission_with_nothing_recorded_is_compared_with_nothing(tmp_path):
    submitted = _submit(tmp_path / "submitted.ipynb", _release(tmp_path / "release" / "a", TYPO))
    assert inspect_submission(submitted, [], "nb") == (None, [], None)


@pytest.mark.parametrize("text, cause", [
    ("{", "JSONDecodeError: "),
    ("[]", "TypeError: not a mapping holding a list of versions"),
    ('{"versions": [{"version": 1, "recorded": "2025-01-31T09:00:00+00:00"}]}', "KeyError: 'notebooks'"),
    ('{"versions": [{"version": 1, "recorded": "2025-01-31T09:00:00+00:00", "notebooks": {"nb": '
     '[{"grade_id": "f_visible", "checksum": null, "cell_type": "code", "source": "", "nbgrader": {}}]}}]}',
     "TypeError: version 1: a test cell's fields are not text"),
])
def test_a_malformed_releases_file_is_a_clear_error(tmp_path, text, cause):
    state, release = tmp_path / ".nnlab", tmp_path / "release" / "a"
    _release(release, TYPO)
    file = state / "releases" / "a.json"
    file.parent.mkdir(parents=True)
    file.write_text(text)
    with pytest.raises(RuntimeError) as error:
        releases.versions(state, "a")
    assert str(error.value).startswith(f"the release record {file} cannot be read ({cause}")
    assert str(error.value).endswith("; restore it, or remove it to start again from the current release")
    with pytest.raises(RuntimeError):                               # recording never writes over it
        releases.record(state, "a", release)
    assert file.read_text() == text
