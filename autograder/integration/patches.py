"""Every change the grader makes to nbgrader's or nbclient's internals, in one place, and the versions they fit.

``apply()`` is called before nbgrader is used (``Workspace.api`` and every gradebook the workspace opens); it
checks that the installed nbgrader and nbclient are the versions in ``WRITTEN_FOR``, then makes these changes,
once per process (a second call replaces nothing):

- ``nbgrader.api.get_alembic_version`` → ``alembic_head`` (nbgrader 0.9.6): nbgrader asks a fresh
  ``alembic heads`` subprocess for the schema version on every new gradebook, 5 s each on a small machine,
  and every grading task starts from a new one; ``alembic_head`` reads it once in this process, through
  nbgrader's private ``nbgrader.dbutil._temp_alembic_ini``.
- ``nbgrader.nbgraderformat.common.jsonschema`` → ``CachedSchemas`` (nbgrader 0.9.6): nbgrader validates
  every cell's metadata twice per notebook with ``jsonschema.validate``, which checks the schema itself and
  builds a new validator on every call, a quarter of a second per notebook.
- ``nbgrader.api.create_engine`` → ``shared_engine`` (nbgrader 0.9.6, SQLAlchemy 2): nbgrader makes a new
  engine for every ``Gradebook`` it opens, about ten per graded notebook, and SQLAlchemy caches compiled
  statements per engine, so each of those gradebooks compiled every query again (half the time of a gradebook
  read). ``shared_engine`` makes one engine per database URL and process. ``Gradebook.close`` still disposes of
  its connections (``Engine.dispose`` leaves the engine usable, with a new pool). A file SQLite gradebook's
  engine pools no connection at all (``NullPool``: opening one is cheap), so a gradebook nbgrader leaves
  unclosed cannot hand a connection to a replaced file to the next one; an in-memory one keeps its own engine.
  A process keeps the engines of the last eight URLs it used.
- ``nbgrader.api.Gradebook.__init__`` → ``open_gradebook`` (nbgrader 0.9.6): nbgrader's, except that
  SQLAlchemy's ``create_all`` runs only where a table is missing. nbgrader lists the tables and then calls
  ``create_all``, which asks the database about every table again, one query each; when all are there it
  creates nothing, so skipping it changes nothing. A gradebook open (about fifteen per graded notebook) took
  0.90 ms instead of 1.63 ms (medians, a gradebook in /dev/shm).
- not a patch, the environment nbgrader expects: it runs the ``alembic`` executable from PATH (``nbgrader db
  upgrade``, and the version query above where it is not replaced), so this interpreter's ``bin/`` goes on
  PATH (``nnlab-grade`` may be called by its full path); and its harmless warnings and log lines are kept out
  of the grader's output.

Two more reach into internals, where they are needed rather than here:

- ``add_default_course(gb)`` (nbgrader 0.9.6), called on the course gradebook at every sync: nbgrader files
  assignments under the course id ``""`` but never creates that course; SQLite does not mind the dangling
  foreign key, PostgreSQL refuses the assignment. It writes through the gradebook's SQLAlchemy session
  ``gb.db``, not its API.
- ``GuardedExecute._get_timeout`` (nbclient 0.11.0; ``integration/execute.py``) overrides nbclient's private
  ``NotebookClient._get_timeout``, so that each cell may run at most for what is left of the notebook's budget.
- ``GuardedExecute.async_start_new_kernel_client`` (nbclient 0.11.0) overrides nbclient's, and binds its
  synchronous ``start_new_kernel_client`` again (nbclient binds the base class's method by name), to use the
  client of a kernel started ahead; ``kernel_ready`` then calls jupyter_client's private
  ``KernelClient._handle_kernel_info_reply`` (jupyter_client 8), as its own ``wait_for_ready`` does, with the
  reply it waited for.
- ``autograder/__init__.py`` marks the optional ``rfc3987_syntax`` absent (``sys.modules``) before jsonschema is
  imported: jsonschema compiles a grammar for its "iri" formats from it at import, about a second in every
  grading process and command, for formats no notebook schema uses.

Replaced through the configuration (``integration/nbgrader_config.py``), not patched: nbgrader's ``Execute``
by ``GuardedExecute``, its ``DeduplicateIds`` by ``KeepFirstIds`` and its ``SaveAutoGrades`` by
``SaveAutoGradesAtOnce``, which writes the same rows with fewer queries (``integration/preprocessors.py``);
``autograder/course/gradebook.py`` stores a task's grades as nbgrader's ``SaveAutoGrades`` would have,
through nbgrader's ``Gradebook`` API.
"""
from __future__ import annotations

import functools
import logging
import os
import sys
import threading
import warnings
from collections import OrderedDict
from pathlib import Path

# the versions these patches were written for and checked against: nbgrader as pinned in pyproject.toml
WRITTEN_FOR = {"nbgrader": "0.9.6", "nbclient": "0.11.0"}
INSTALL = {"nbgrader": "pip install 'nnlab[grade]'", "nbclient": "pip install 'nbclient==0.11.0'"}


class VersionMismatch(RuntimeError):
    """nbgrader or nbclient is not the version the patches were written for."""


def check_versions() -> None:
    """Raise ``VersionMismatch`` naming the installed and the expected version when they differ."""
    import nbclient
    import nbgrader
    for module in (nbgrader, nbclient):
        name, expected = module.__name__, WRITTEN_FOR[module.__name__]
        if module.__version__ != expected:
            raise VersionMismatch(f"nnlab's grader was written for {name} {expected}, but {name} "
                                  f"{module.__version__} is installed: install {name}=={expected} ({INSTALL[name]})")


def apply() -> None:
    """Check the versions, then make nbgrader work however the grader was started, faster and quietly."""
    check_versions()
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    # set on every call: whoever resets the warning filters in between (pytest does, per test) gets them back;
    # an identical filter replaces the one already there
    warnings.filterwarnings("ignore", module="sqlalchemy")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    for name in ("traitlets", "nbgrader", "NbGraderAPI"):
        logging.getLogger(name).setLevel(logging.ERROR)
    import nbgrader.api
    import nbgrader.nbgraderformat.common
    if nbgrader.api.get_alembic_version is not alembic_head:
        nbgrader.api.get_alembic_version = alembic_head
        nbgrader.nbgraderformat.common.jsonschema = CachedSchemas()
        nbgrader.api.create_engine = shared_engine
        nbgrader.api.Gradebook.__init__ = open_gradebook


_ENGINES: OrderedDict = OrderedDict()     # (URL, options) → engine, the most recently used last
_ENGINES_KEPT = 8                         # a grading process uses two or three URLs at a time
_ENGINES_LOCK = threading.Lock()


def _in_memory(url) -> bool:
    """Whether an SQLite URL names an in-memory database (``sqlite://``, ``:memory:``, ``file::memory:?…``,
    ``?mode=memory``), which lives only as long as a connection to it."""
    return url.database in (None, "") or ":memory:" in url.database or url.query.get("mode") == "memory"


def shared_engine(url, **options):
    """SQLAlchemy's ``create_engine`` for nbgrader's gradebooks: one engine per URL and options in this process,
    the last ``_ENGINES_KEPT`` of them kept (an in-memory SQLite database, which lives in its engine's
    connection, gets a new one each time)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if _in_memory(parsed):
            return create_engine(url, **options)
        options.setdefault("poolclass", NullPool)
    key = (parsed.render_as_string(hide_password=False), tuple(sorted(options.items(), key=repr)))
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = create_engine(url, **options)
            while len(_ENGINES) > _ENGINES_KEPT:       # a gradebook still open keeps its own reference
                _ENGINES.popitem(last=False)
        _ENGINES.move_to_end(key)
    return engine


def open_gradebook(self, db_url: str, course_id: str = "default_course", authenticator=None) -> None:
    """nbgrader 0.9.6's ``Gradebook.__init__`` (connect; create the tables and stamp the schema's version in a
    new database; make sure the course exists), with ``create_all`` only where a table is missing. The module's
    own names are used, so that the patches above apply."""
    from nbgrader import api
    self.engine = api.create_engine(db_url, echo=False, future=True)
    self.db = api.scoped_session(api.sessionmaker(autoflush=True, bind=self.engine, future=True))
    tables = set(api.inspect(self.engine).get_table_names())
    if not tables.issuperset(api.Base.metadata.tables):
        api.Base.metadata.create_all(bind=self.engine)
    if not tables:
        self.db.execute(api.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"))
        self.db.execute(api.text(f"INSERT INTO alembic_version (version_num) VALUES ('{api.get_alembic_version()}');"))
        self.db.commit()
    self.check_course(course_id=course_id)
    self.course_id = course_id
    self.authenticator = authenticator


@functools.cache
def alembic_head() -> str:
    """The gradebook schema's version that nbgrader stamps into a new gradebook, read in this process."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import _temp_alembic_ini
    with _temp_alembic_ini("sqlite:////tmp/gradebook.db") as ini:
        return ScriptDirectory.from_config(Config(ini)).get_current_head()


class CachedSchemas:
    """``jsonschema.validate`` for nbgrader's cell-metadata checks, with one validator per schema."""

    def __init__(self):
        self._validators: dict[int, tuple] = {}

    def validate(self, instance, schema) -> None:
        import jsonschema
        entry = self._validators.get(id(schema))
        if entry is None or entry[0] is not schema:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = self._validators[id(schema)] = (schema, cls(schema))
        error = jsonschema.exceptions.best_match(entry[1].iter_errors(instance))
        if error is not None:
            raise error


def add_default_course(gb) -> None:
    """Create the course ``""`` that nbgrader files assignments under, when the gradebook lacks it."""
    from nbgrader.api import Course
    if gb.db.get(Course, "") is None:
        gb.db.add(Course(id=""))
        gb.db.commit()
