"""The patches of nbgrader's and nbclient's internals (autograder/integration/patches.py): they refuse other
versions than the ones they were written for, with one line naming both, and applying them twice is harmless."""
from __future__ import annotations

import os
import warnings

import nbclient
import nbgrader
import nbgrader.api
import nbgrader.nbgraderformat.common
import pytest

from autograder.integration import patches


def test_another_nbgrader_is_refused_naming_both_versions(monkeypatch):
    monkeypatch.setattr(nbgrader, "__version__", "0.9.7")
    with pytest.raises(patches.VersionMismatch) as refused:
        patches.apply()
    assert str(refused.value) == ("nnlab's grader was written for nbgrader 0.9.6, but nbgrader 0.9.7 is installed: "
                                  "install nbgrader==0.9.6 (pip install 'nnlab[grade]')")


def test_another_nbclient_is_refused_naming_both_versions(monkeypatch):
    monkeypatch.setattr(nbclient, "__version__", "0.10.2")
    with pytest.raises(patches.VersionMismatch) as refused:
        patches.apply()
    message = str(refused.value)
    assert message.startswith(f"nnlab's grader was written for nbclient {patches.WRITTEN_FOR['nbclient']}, but "
                              f"nbclient 0.10.2 is installed: install nbclient=={patches.WRITTEN_FOR['nbclient']}")
    assert isinstance(refused.value, RuntimeError)          # the CLI prints it as one line and exits 1


def test_the_installed_versions_are_the_ones_written_for():
    assert nbgrader.__version__ == patches.WRITTEN_FOR["nbgrader"]
    assert nbclient.__version__ == patches.WRITTEN_FOR["nbclient"]


def test_applying_twice_is_harmless():
    patches.apply()
    schemas, filters, path = nbgrader.nbgraderformat.common.jsonschema, list(warnings.filters), os.environ["PATH"]
    patches.apply()
    assert nbgrader.api.get_alembic_version is patches.alembic_head
    assert nbgrader.nbgraderformat.common.jsonschema is schemas             # the same cache, not a new one
    assert warnings.filters == filters and os.environ["PATH"] == path
    assert patches.alembic_head() == patches.alembic_head()


def test_the_default_course_is_added_once(tmp_path):
    from nbgrader.api import Course, Gradebook
    patches.apply()
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        patches.add_default_course(gb)
        patches.add_default_course(gb)
        assert gb.db.query(Course).filter(Course.id == "").count() == 1


def test_gradebooks_of_one_file_share_an_engine_and_see_the_file_replaced(tmp_path):
    """One engine per URL keeps SQLAlchemy's compiled statements between gradebooks; a file gradebook's engine
    pools no connection, so a gradebook written anew at the same path (a grading task's scratch one) is read
    afresh, even while a gradebook of the old file is still open."""
    from nbgrader.api import Gradebook
    patches.apply()
    path = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{path}") as gb:
        gb.add_student("ada")
        first = gb.engine
    before = path.read_bytes()
    with Gradebook(f"sqlite:///{path}") as gb:
        assert gb.engine is first
        gb.add_student("ben")
    left_open = Gradebook(f"sqlite:///{path}")
    assert {s.id for s in left_open.students} == {"ada", "ben"}
    path.write_bytes(before)                                     # the file replaced, as each task does
    with Gradebook(f"sqlite:///{path}") as gb:
        assert [s.id for s in gb.students] == ["ada"]
    left_open.close()
    other = tmp_path / "other.db"
    with Gradebook(f"sqlite:///{other}") as gb:
        assert gb.engine is not first and gb.students == []


def test_in_memory_gradebooks_are_each_their_own():
    from nbgrader.api import Gradebook
    patches.apply()
    with Gradebook("sqlite://") as gb:
        gb.add_student("ada")
        with Gradebook("sqlite://") as fresh:
            assert fresh.engine is not gb.engine and fresh.students == []


def test_every_form_of_an_in_memory_database_gets_its_own_engine_and_few_engines_are_kept(tmp_path):
    from sqlalchemy.engine import make_url
    for url in ("sqlite:///:memory:", "sqlite:///file::memory:?cache=shared&uri=true"):
        assert patches.shared_engine(url) is not patches.shared_engine(url)
    assert patches._in_memory(make_url("sqlite:///file:gb?mode=memory&uri=true"))
    assert not patches._in_memory(make_url(f"sqlite:///{tmp_path / 'memory.db'}"))
    first = patches.shared_engine(f"sqlite:///{tmp_path / 'first.db'}")
    assert patches.shared_engine(f"sqlite:///{tmp_path / 'first.db'}") is first
    for k in range(patches._ENGINES_KEPT):
        patches.shared_engine(f"sqlite:///{tmp_path / f'{k}.db'}")
    assert patches.shared_engine(f"sqlite:///{tmp_path / 'first.db'}") is not first     # the oldest let go
    assert len(patches._ENGINES) == patches._ENGINES_KEPT


def test_a_gradebook_opens_as_nbgraders_does_creating_only_what_is_missing(tmp_path, monkeypatch):
    """``open_gradebook``: a new database gets every table and the schema's version, a database missing a table
    gets it, and a complete one is left alone (no ``create_all``, whose queries were the open's largest part)."""
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import create_engine, inspect, text
    patches.apply()
    assert Gradebook.__init__ is patches.open_gradebook
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_student("ada")
        version = gb.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == patches.alembic_head()
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    with engine.begin() as db:
        db.execute(text("DROP TABLE comment"))
    calls = []
    real = type(Base.metadata).create_all
    monkeypatch.setattr(type(Base.metadata), "create_all", lambda self, **kw: (calls.append(kw), real(self, **kw)))
    with Gradebook(url) as gb:                          # a table missing: created, nothing else touched
        assert [s.id for s in gb.students] == ["ada"]
    assert len(calls) == 1 and "comment" in inspect(engine).get_table_names()
    with Gradebook(url, course_id="course101") as gb:   # complete: only the course is added
        assert gb.check_course("course101").id == "course101"
    assert len(calls) == 1
    with engine.begin() as db:
        assert db.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    engine.dispose()
