"""``nnlab-grade``: release, collect, autograde, feedback and export for an nbgrader course, in one tool.

Every command creates or syncs the course workspace (``--course``, default ``./course``) and its gradebook
from the source assignments (``--source``, default the repository's ``solutions/``, which only a source
checkout has) first. A new course gets the instructor's ``nbgrader_config.py`` and nnlab's own settings
(``nnlab.toml``: autograder/course/settings.py), each written once and read by every command; an option given on
the command line overrides a setting for that run.

Exit status: 0 when the command did its job (a submission that failed to grade is a status, not an exit
code), 1 when it could not, 2 for usage errors. Every failure prints one clear line.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from autograder.integration.config import RELEASE, SOURCE
from autograder.quick_exit import exit_quickly


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nnlab-grade", description=__doc__.split("\n\n")[0])
    p.add_argument("--course", type=Path, default=Path("course"), help="the course workspace (default ./course)")
    p.add_argument("--source", type=Path, default=None, help="the folder of source assignments (default solutions/)")
    p.add_argument("--cell-timeout", type=int, default=None,
                   help="seconds a cell may run (default: the course's nbgrader_config.py, else 30)")
    p.add_argument("--notebook-timeout", type=int, default=None,
                   help="seconds a whole notebook may run; later cells score 0 as not run (default: nnlab.toml's, "
                        "else no budget)")
    p.add_argument("--memory", default=None,
                   help="address space per grading kernel, e.g. 2G or 1536M (default: nnlab.toml's, else 2G)")
    p.add_argument("--processes", type=int, default=None,
                   help="processes and threads per grading kernel (default: nnlab.toml's, else 256)")
    p.add_argument("--db", metavar="URL", default=None,
                   help="the gradebook's database, e.g. postgresql://user@host/db (default: the course's "
                        "nbgrader_config.py, else COURSE/gradebook.db, SQLite)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run kernels without bubblewrap (only for submissions you trust)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    r = sub.add_parser("release", help="regenerate the student notebooks from the source")
    r.add_argument("--to", type=Path, default=None, help="release folder (default notebooks/)")
    k = sub.add_parser("kit", help="build the student kit: release notebooks and a library with no open answer")
    k.add_argument("--to", type=Path, required=True, help="the kit's folder (new, empty, or an earlier kit)")
    k.add_argument("--assignments", metavar="IDS", help="comma-separated assignment ids to ship (default: all)")
    k.add_argument("--closed", metavar="IDS", help="comma-separated ids whose deadline has passed: the kit keeps "
                                                   "their references")
    c = sub.add_parser("collect", help="collect <student>/<assignment>/*.ipynb from a folder or a .zip, an "
                                       "LMS bulk download (--lms) or nbgrader's exchange (--exchange)")
    c.add_argument("path", type=Path, nargs="?", help="the folder or .zip (not with --exchange)")
    c.add_argument("--exchange", metavar="ROOT", type=Path,
                   help="collect the latest submission of each student from nbgrader's exchange at ROOT "
                        "(ROOT/COURSE_ID/inbound)")
    c.add_argument("--course-id", metavar="ID", help="with --exchange: the exchange's course id (default: the "
                                                     "course's CourseDirectory.course_id)")
    c.add_argument("--lms", choices=("canvas", "moodle"), help="PATH is this LMS's bulk download of one assignment")
    c.add_argument("--assignment", help="with --lms: the assignment id the download is for")
    c.add_argument("--roster", type=Path, help="with --lms: CSV with student_id and canvas_user_id or "
                                               "moodle_participant_id columns (and optionally name)")
    a = sub.add_parser("autograde", help="grade collected submissions that are new or changed")
    a.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    a.add_argument("--student", action="append", help="grade only this student (repeatable)")
    a.add_argument("--force", action="store_true", help="grade again even if nothing changed")
    a.add_argument("--workers", type=int, default=None, help="grading processes (default: one per CPU)")
    a.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="grade on this Dask cluster (e.g. tcp://scheduler:8786) instead of local processes")
    o = sub.add_parser("override", help="set a cell's score by hand (nbgrader's manual score, as formgrader does)")
    o.add_argument("student")
    o.add_argument("assignment")
    o.add_argument("grade_id", help="the cell's grade id (cells.csv lists them)")
    o.add_argument("points", type=float, nargs="?", help="the cell's new score, 0 … its points")
    o.add_argument("--reason", help="why (required with POINTS): the cell's comment where it has one, else kept "
                                    "by nnlab; shown in cells.csv, the report and the feedback")
    o.add_argument("--clear", action="store_true", help="remove the override: the grader's score counts again")
    dd = sub.add_parser("duedate", help="set an assignment's due date (extensions keep the dates they gave)")
    dd.add_argument("assignment")
    dd.add_argument("when", help="ISO 8601 with a UTC offset, e.g. 2026-10-05T23:59+02:00, or 'none' to clear it")
    x = sub.add_parser("extension", help="give a student a later due date for an assignment")
    x.add_argument("student", nargs="?")
    x.add_argument("assignment", nargs="?")
    x.add_argument("when", nargs="?", help="the student's due date (ISO 8601 with a UTC offset), or 'none' to remove "
                                           "the extension")
    x.add_argument("--extensions", type=Path, metavar="FILE.csv",
                   help="many at once: a CSV with student_id,assignment,due columns")
    lp = sub.add_parser("late-policy", help="what late work costs (kept in the course's nnlab.toml)")
    how = lp.add_mutually_exclusive_group(required=True)
    how.add_argument("--none", action="store_true", help="no penalty")
    how.add_argument("--zero", action="store_true", help="late work scores 0")
    how.add_argument("--per-day", type=float, metavar="PCT",
                     help="PCT percent of the assignment's maximum per started day late")
    lp.add_argument("--max", type=float, metavar="PCT", default=None,
                    help="with --per-day: the most percent taken off in all (default 100)")
    f = sub.add_parser("feedback", help="write one HTML page per student and assignment")
    f.add_argument("--exchange", metavar="ROOT", type=Path,
                   help="also return the pages to the students through nbgrader's exchange at ROOT")
    f.add_argument("--course-id", metavar="ID", help="with --exchange: the exchange's course id (default: the "
                                                     "course's CourseDirectory.course_id)")
    f.add_argument("--lms", choices=("moodle",), help="also pack the pages as Moodle's 'upload multiple feedback "
                                                      "files in a zip' (with --zip, --roster and --assignment)")
    f.add_argument("--zip", type=Path, help="with --lms moodle: the zip to write")
    f.add_argument("--roster", type=Path, help="with --lms moodle: CSV with student_id and moodle_participant_id "
                                               "(and name) columns")
    f.add_argument("--assignment", help="with --lms moodle: the assignment whose pages go into the zip")
    e = sub.add_parser("export", help="write grades.csv and cells.csv, or fill an LMS's own grade file (--lms)")
    e.add_argument("--to", type=Path, required=True, help="folder for the CSV files")
    e.add_argument("--lms", choices=("canvas", "moodle"),
                   help="instead, fill this LMS's grade file for import: Canvas's gradebook export (--gradebook) or "
                        "Moodle's grading worksheet of one assignment (--worksheet, --assignment)")
    e.add_argument("--roster", type=Path, help="with --lms: CSV with student_id and canvas_user_id or "
                                               "moodle_participant_id columns")
    e.add_argument("--gradebook", type=Path,
                   help="with --lms canvas: the course's gradebook export (Grades → Export)")
    e.add_argument("--worksheet", type=Path, help="with --lms moodle: the assignment's grading worksheet")
    e.add_argument("--assignment", help="with --lms moodle: the assignment the worksheet is for")
    e.add_argument("--column", action="append", metavar="ASSIGNMENT=HEADER",
                   help="with --lms canvas: the gradebook column of an assignment whose header is not its id "
                        "(repeatable)")
    rp = sub.add_parser("report", help="write the class report (report.html: scores, pass rates, diagnostics)")
    rp.add_argument("--to", type=Path, required=True, help="folder for report.html")
    pdf = sub.add_parser("pdf", help="print one PDF per student of an assignment for review (chromium, no LaTeX)")
    pdf.add_argument("assignment", help="the assignment id")
    pdf.add_argument("--only-manual", action="store_true",
                     help="only the cells graded by hand (the written answers), each under its question")
    pdf.add_argument("--to", type=Path, required=True, help="folder for <student>.pdf (earlier ones are replaced)")
    sim = sub.add_parser("similarity", help="compare the students' code answers pairwise and with the reference "
                                            "(similarity.csv and similarity.html)")
    sim.add_argument("assignment", help="the assignment id")
    sim.add_argument("--to", type=Path, required=True, help="folder for similarity.csv and similarity.html")
    d = sub.add_parser("demo", help="grade the built-in sample class and print the grade table")
    d.add_argument("--to", type=Path, default=None, help="folder for the CSV files (default COURSE/export)")
    d.add_argument("--workers", type=int, default=None, help="grading processes (default: one per CPU)")
    return p


class Failure(Exception):
    """A command could not do its job: print the message, exit 1."""


def _checkout_defaults(args) -> None:
    """Fill in ``--source`` (and release's ``--to``) with the repository's folders, or stop when they are not
    here: a non-editable install has no solutions/ and no notebooks/ beside the package."""
    if args.command == "kit":
        return
    if args.source is None:
        if not SOURCE.is_dir():
            raise Failure("no source notebooks: nnlab's solutions/ folder is not here (a non-editable install "
                          "has none); pass --source DIR, the folder of the nbgrader source notebooks")
        args.source = SOURCE
    if args.command == "release" and args.to is None:
        if not SOURCE.is_dir():                 # not a source checkout, whose notebooks/ is the default
            raise Failure("no release folder: this is not a checkout of nnlab's repository, whose notebooks/ is "
                          "the default; pass --to DIR, the folder for the student notebooks")
        args.to = RELEASE


#: what every command sets for the kernels and workers it starts, and puts back when it returns
GRADING_ENVIRONMENT = {"NNLAB_GRADING": "1", "NNLAB_HEADLESS": "1",
                       "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def main(argv=None) -> int:
    """Run one command; the process's environment is as it was afterwards (a caller in the same process, such
    as a test, must not go on believing it is grading)."""
    args = _parser().parse_args(argv)
    exit_quickly()
    saved = {key: os.environ.get(key) for key in GRADING_ENVIRONMENT}
    os.environ["NNLAB_GRADING"] = GRADING_ENVIRONMENT["NNLAB_GRADING"]
    for key in ("NNLAB_HEADLESS", "MPLBACKEND"):
        os.environ.setdefault(key, GRADING_ENVIRONMENT[key])
    try:
        return _run(args)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _run(args) -> int:
    try:
        if args.command == "kit":
            return cmd_kit(args)
        if args.command == "release":
            _checkout_defaults(args)
            from autograder.commands.release import release
            done = release(args.source, args.to)
            print(f"released {len(done)} assignments into {args.to}: {', '.join(done)}")
            from autograder.commands.kit import PLAYGROUND_RUNS, record_playground
            if record_playground():
                print(f"recorded the playground's runs for the student kit into {PLAYGROUND_RUNS}")
            return 0
        from autograder.course import settings
        from autograder.course.workspace import Workspace
        from autograder.trust import sandbox
        if args.command == "demo":
            _fresh_demo_course(Path(args.course))
        try:
            conf = settings.load(args.course)
        except settings.SettingsError as exc:
            raise Failure(str(exc)) from None
        if args.source is None and conf["source"]:
            args.source = Path(args.course) / conf["source"]
        args.memory = args.memory or conf["memory"]
        args.processes = conf["processes"] if args.processes is None else args.processes
        if args.notebook_timeout is None and conf["notebook_timeout"]:
            args.notebook_timeout = conf["notebook_timeout"]
        try:
            memory = sandbox.parse_size(args.memory)
        except ValueError as exc:
            raise Failure(str(exc)) from None
        use_sandbox = not args.no_sandbox and args.command in ("autograde", "demo")
        if use_sandbox and sandbox.bwrap_path() is None:
            if args.command != "demo":
                raise Failure(f"refusing to run submissions unsandboxed: {sandbox.INSTALL_HINT}")
            print("demo: bubblewrap is not installed, so the built-in sample class (trusted code) is graded "
                  "without the sandbox")
            use_sandbox = False
        for flag, least in (("cell_timeout", 1), ("notebook_timeout", 1), ("processes", 16)):
            if getattr(args, flag) is not None and getattr(args, flag) < least:
                raise Failure(f"--{flag.replace('_', '-')} must be at least {least}, got {getattr(args, flag)}")
        _checkout_defaults(args)
        ws = Workspace(args.course, args.source, cell_timeout=args.cell_timeout, sandbox=use_sandbox, memory=memory,
                       notebook_timeout=args.notebook_timeout, processes=args.processes, db_url=args.db)
        if use_sandbox and sandbox.process_cap()[0] == "none":
            print(f"nnlab-grade: no process cap: {sandbox.process_cap()[1]}", file=sys.stderr)
        ws.sync()
        return COMMANDS[args.command](ws, args)
    except Failure as exc:
        print(f"nnlab-grade: {exc}", file=sys.stderr)
    except (FileNotFoundError, RuntimeError, OSError) as exc:
        print(f"nnlab-grade: {exc}", file=sys.stderr)
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError
        if not isinstance(exc, SQLAlchemyError):
            raise
        print(f"nnlab-grade: the gradebook {args.db or 'COURSE/gradebook.db'} cannot be used: "
              f"{str(exc).splitlines()[0]}", file=sys.stderr)
    return 1


def cmd_kit(args) -> int:
    from nnlab.answers import GRADED

    from autograder.commands.kit import build_kit, parse_ids
    known = sorted(GRADED)
    try:
        report = build_kit(args.to, parse_ids(args.assignments, known, "--assignments"),
                           parse_ids(args.closed, known, "--closed"))
    except (ValueError, FileExistsError) as exc:
        raise Failure(str(exc)) from None
    print(f"student kit {report.build} in {report.path}: {len(report.assignments)} notebooks, "
          f"{report.files} files, {report.size / 1024:.0f} KiB")
    print(f"  open (the students' own code): {', '.join(report.open) or 'none'}")
    print(f"  closed (references included): {', '.join(report.closed) or 'none'}")
    print("  publish the folder as its own repository or zip; rebuild it here as deadlines pass")
    return 0


def cmd_collect(ws, args) -> int:
    from autograder.commands.collect import collect
    from autograder.commands.lms import RosterError
    lms = getattr(args, "lms", None)
    if getattr(args, "exchange", None) is not None:
        if args.path is not None or lms is not None:
            raise Failure("--exchange ROOT collects from nbgrader's exchange: give no PATH and no --lms with it")
        from autograder.commands.exchange import ExchangeError, collect_exchange, course_id
        try:
            report = collect_exchange(ws, args.exchange, course_id(ws, args.course_id))
        except ExchangeError as exc:
            raise Failure(str(exc)) from None
        return _print_collected(report)
    if getattr(args, "course_id", None):
        raise Failure("--course-id goes with --exchange ROOT")
    if args.path is None:
        raise Failure("collect needs PATH (a folder or a .zip) or --exchange ROOT")
    if not args.path.exists():
        raise Failure(f"{args.path} does not exist")
    if lms is not None:
        if not args.assignment or not args.roster:
            raise Failure("--lms needs --assignment ID and --roster FILE")
        if args.assignment not in ws.assignments():
            raise Failure(f"unknown assignment {args.assignment}; known: {', '.join(ws.assignments())}")
        if not args.roster.is_file():
            raise Failure(f"roster {args.roster} does not exist")
    elif getattr(args, "assignment", None) or getattr(args, "roster", None):
        raise Failure("--assignment and --roster go with --lms canvas|moodle")
    try:
        report = collect(ws, args.path, lms, getattr(args, "roster", None), getattr(args, "assignment", None))
    except RosterError as exc:
        raise Failure(str(exc)) from None
    return _print_collected(report)


def _print_collected(report) -> int:
    for line in report.rejected:
        print(f"rejected: {line}")
    for line in report.unmatched:
        print(f"unmatched: {line}")
    for line in report.renamed:
        print(f"renamed: {line}")
    for line in report.ignored:
        print(f"ignored: {line}")
    students = sorted({s for s, _ in report.submissions})
    print(f"collected {len(report.submissions)} submissions from {len(students)} students")
    return 0


def cmd_autograde(ws, args) -> int:
    from tqdm import tqdm

    from autograder.pipeline.results import needs_grading
    known = ws.assignments()
    unknown = [a for a in args.assignments if a not in known]
    if unknown:
        raise Failure(f"unknown assignment(s) {', '.join(unknown)}; known: {', '.join(known)}")
    students = ws.students()
    if args.student:
        missing = [s for s in args.student if s not in students]
        if missing:
            raise Failure(f"no collected submissions for student(s) {', '.join(missing)}")
        students = args.student
    # assignment by assignment: a grading process starts each notebook's kernel while the one before runs, and
    # only a kernel started for the same assignment (the same grading library) can be used
    todo = [(s, a) for a in (args.assignments or known) for s in students
            if ws.has_submission(s, a) and (args.force or needs_grading(ws, s, a))]
    if not todo:
        print("nothing to grade: every collected submission is graded and unchanged (use --force to regrade)")
        return 0
    from autograder.pipeline.parallel import default_workers, grade_all
    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise Failure(f"--workers must be at least 1, got {workers}")
    dask = getattr(args, "dask", None)
    if dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise Failure("--dask needs Dask's distributed package: pip install 'nnlab[grade]'") from None
    workers = min(workers, len(todo))
    counts, received = {}, {}

    def done(record, bar):                   # the bar counts submissions; its ETA comes from their pace so far
        counts[record.status] = counts.get(record.status, 0) + 1
        received.setdefault((record.assignment, record.release), []).append(record.student_id)
        bar.update(1)
        bar.set_postfix_str(f"last {record.student_id}/{record.assignment}")

    from autograder.trust.sandbox import RUN_ENV, remove_empty_cgroups
    run = os.environ.get(RUN_ENV)
    os.environ[RUN_ENV] = f"run-{os.getpid()}"       # this run's kernel cgroups, apart from any other run's
    try:
        with tqdm(total=len(todo), desc="grading", unit="submission", file=sys.stderr, dynamic_ncols=True) as bar:
            grade_all(ws, todo, lambda record: done(record, bar), workers=workers, dask=dask)
    finally:
        if ws.sandbox:
            remove_empty_cgroups()
        if run is None:
            os.environ.pop(RUN_ENV)
        else:
            os.environ[RUN_ENV] = run
    print("graded " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
          + (f" (on the Dask cluster at {dask})" if dask else f" ({workers} workers)" if workers > 1 else ""))
    older = {key: students for key, students in received.items() if key[1] != ws.release_version(key[0])}
    if not older:
        print("  every submission was compared with its assignment's current release")
    for (assignment, version), students in sorted(older.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        which = f"release {version}" if version is not None else "no recorded release"
        print(f"  {assignment}: {len(students)} submission{'s' * (len(students) != 1)} compared with {which}, graded "
              f"with release {ws.release_version(assignment)}'s tests ({', '.join(sorted(students))})")
    return 0


def cmd_override(ws, args) -> int:
    from autograder.course.gradebook import set_manual_score
    from autograder.pipeline.results import keep_override_reason, record_of
    if args.assignment not in ws.assignments():
        raise Failure(f"unknown assignment {args.assignment}; known: {', '.join(ws.assignments())}")
    if args.clear == (args.points is not None):
        raise Failure("give either POINTS (with --reason) or --clear")
    if args.points is not None and not (args.reason or "").strip():
        raise Failure("an override needs --reason TEXT: the student's feedback and the report show it")
    reason = args.reason.strip() if args.points is not None else None
    try:
        _, top, commented = set_manual_score(ws.db_url, args.assignment, args.student, args.grade_id, args.points,
                                             reason)
    except (LookupError, ValueError) as exc:
        raise Failure(str(exc)) from None
    keep_override_reason(ws, args.student, args.assignment, args.grade_id, None if commented else reason)
    record = record_of(ws, args.student, args.assignment)
    what = "override removed" if args.clear else f"{args.points:g}/{top:g} set by hand ({reason})"
    print(f"{args.student} {args.assignment} {args.grade_id}: {what}; {args.assignment} is now "
          f"{record.score:g}/{record.max_score:g}, {record.status}")
    return 0


def cmd_feedback(ws, args) -> int:
    from autograder.commands.export import feedback
    from autograder.pipeline.results import class_records
    pages = feedback(ws, ws.api(), class_records(ws))
    print(f"wrote {len(pages)} feedback pages under {ws.course / 'feedback'}")
    if getattr(args, "exchange", None) is not None:
        _feedback_exchange(ws, args)
    if getattr(args, "lms", None) is not None:
        _feedback_moodle(ws, args)
    return 0


def cmd_export(ws, args) -> int:
    lms = getattr(args, "lms", None)
    options = {name: getattr(args, name, None) for name in ("roster", "gradebook", "worksheet", "assignment", "column")}
    if lms is None:
        if any(options.values()):
            raise Failure("--roster, --gradebook, --worksheet, --assignment and --column go with --lms canvas|moodle")
        from autograder.commands.export import export
        grades, cells = export(ws, args.to)
        print(f"wrote {grades} and {cells}")
        return 0
    needed = ("roster", "gradebook") if lms == "canvas" else ("roster", "worksheet", "assignment")
    wrong = ("worksheet", "assignment") if lms == "canvas" else ("gradebook", "column")
    if not all(options[name] for name in needed) or any(options[name] for name in wrong):
        raise Failure(f"--lms {lms} needs " + " and ".join(f"--{name}" for name in needed)
                      + " (and not " + " or ".join(f"--{name}" for name in wrong) + ")")
    for name in ("roster", "gradebook", "worksheet"):
        if options[name] is not None and not options[name].is_file():
            raise Failure(f"--{name} {options[name]} does not exist")
    known = ws.assignments()
    columns = dict(c.split("=", 1) for c in options["column"] or [] if "=" in c)
    unknown = [a for a in [options["assignment"], *columns] if a is not None and a not in known]
    if unknown or len(columns) != len(options["column"] or []):
        raise Failure(f"unknown assignment {unknown[0]}; known: {', '.join(known)}" if unknown
                      else "--column takes ASSIGNMENT=HEADER, e.g. --column 02_forward_pass='Forward pass (4711)'")
    from autograder.commands.lms import RosterError
    from autograder.commands.lms_export import LmsExportError, canvas_import, moodle_import
    from autograder.pipeline.results import class_records
    try:
        if lms == "canvas":
            path, lines = canvas_import(class_records(ws), known, args.gradebook, args.roster, columns, args.to)
        else:
            path, lines = moodle_import(class_records(ws), args.assignment, args.worksheet, args.roster, args.to)
    except (RosterError, LmsExportError) as exc:
        raise Failure(str(exc)) from None
    for line in lines:
        print(line)
    print(f"wrote {path}: import it into {lms.capitalize()} as it is (leave {lms.capitalize()}'s own late policy off "
          f"for these assignments: nnlab's scores already carry the course's)")
    return 0


def cmd_report(ws, args) -> int:
    from autograder.commands.report import write_report
    from autograder.pipeline.results import class_records
    page = write_report(class_records(ws), args.to, title=f"Class report — {ws.course.name}")
    print(f"wrote {page}")
    return 0


def cmd_pdf(ws, args) -> int:
    from autograder.commands.pdf import PrinterMissing, write_pdfs
    known = ws.assignments()
    if args.assignment not in known:
        raise Failure(f"unknown assignment {args.assignment}; known: {', '.join(known)}")
    try:
        report = write_pdfs(ws, args.assignment, args.to, args.only_manual)
    except PrinterMissing as exc:
        raise Failure(str(exc)) from None
    for line in report.skipped:
        print(f"skipped: {line}")
    print(f"wrote {len(report.written)} PDFs of {args.assignment}"
          + (" (written answers only)" if args.only_manual else "") + f" into {args.to}, {len(report.skipped)} "
          f"students skipped")
    return 0


def cmd_similarity(ws, args) -> int:
    from autograder.commands.similarity import REFERENCE, similarity
    known = ws.assignments()
    if args.assignment not in known:
        raise Failure(f"unknown assignment {args.assignment}; known: {', '.join(known)}")
    report = similarity(ws, args.assignment, args.to)
    for line in report.skipped:
        print(f"skipped: {line}")
    flagged = [p for p in report.pairs if p.flagged]
    for p in flagged:
        other = "the reference" if p.b == REFERENCE else f"{p.b}'s, {p.b_to_a:.0%} of {p.b}'s in {p.a}'s"
        print(f"flagged: {p.a} ~ {p.b}: {p.a_to_b:.0%} of {p.a}'s answer code is in {other} ({p.tokens} tokens)")
    print(f"compared {len(report.students)} students of {args.assignment} pairwise and with the reference: "
          f"{len(flagged)} of {len(report.pairs)} pairs flagged, {len(report.skipped)} students skipped; wrote "
          f"{report.csv} and {report.html}")
    return 0


def _feedback_moodle(ws, args) -> None:
    """Pack one assignment's feedback pages as Moodle's "upload multiple feedback files in a zip"."""
    if not (args.zip and args.roster and args.assignment):
        raise Failure("--lms moodle needs --zip OUT.zip, --roster FILE and --assignment ID")
    if args.assignment not in ws.assignments():
        raise Failure(f"unknown assignment {args.assignment}; known: {', '.join(ws.assignments())}")
    if not args.roster.is_file():
        raise Failure(f"roster {args.roster} does not exist")
    from autograder.commands.lms import RosterError
    from autograder.commands.lms_export import moodle_feedback_zip
    pages = {s: sorted(ws.feedback(s, args.assignment).glob("*.html")) for s in ws.students()}
    try:
        packed, lines = moodle_feedback_zip({s: p for s, p in pages.items() if p}, args.roster, args.zip)
    except RosterError as exc:
        raise Failure(str(exc)) from None
    for line in lines:
        print(line)
    print(f"wrote {args.zip}: the feedback of {packed} students for {args.assignment}, for Moodle's \"upload "
          f"multiple feedback files in a zip\"")


def _feedback_exchange(ws, args) -> None:
    """Release the feedback pages of the submissions collected from nbgrader's exchange into its feedback folder."""
    from autograder.commands.exchange import ExchangeError, course_id, release_feedback
    try:
        out = release_feedback(ws, args.exchange, course_id(ws, getattr(args, "course_id", None)))
    except ExchangeError as exc:
        raise Failure(str(exc)) from None
    for line in out.skipped:
        print(f"not released: {line}")
    print(f"released {len(out.pages)} feedback pages of {len({s for s, _, _ in out.pages})} students into "
          f"{out.folder} (nbgrader fetch_feedback)")


DEMO_MARKER = ".nnlab-demo"      # in a course folder that the demo made: the next demo may replace it


def _fresh_demo_course(course: Path) -> None:
    """The demo grades the sample class from scratch: a course folder an earlier demo made is replaced, since
    nbgrader refuses a release whose cells changed over submissions already in the gradebook. Any other
    existing folder is refused, so that no instructor's course receives the sample class."""
    if course.exists() and any(course.iterdir()):
        if not (course / DEMO_MARKER).exists():
            raise Failure(f"{course} is not empty and was not made by the demo: give the demo a folder of its own")
        print(f"demo: replacing the earlier demo's course in {course}")
        shutil.rmtree(course)
    course.mkdir(parents=True, exist_ok=True)
    (course / DEMO_MARKER).write_text("made by nnlab-grade demo; the next demo replaces this folder\n")


def cmd_demo(ws, args) -> int:
    from autograder import sample_class
    start = time.perf_counter()
    print(f"demo: grading the built-in sample class in {ws.course}"
          + (" (each kernel in the bubblewrap sandbox)" if ws.sandbox else ""))
    with tempfile.TemporaryDirectory() as tmp:
        release_dir = Path(tmp) / "release"
        from autograder.commands.release import release
        release(ws.source, release_dir)
        sample_class.build(Path(tmp) / "class", release_dir, ws.source)
        cmd_collect(ws, argparse.Namespace(path=Path(tmp) / "class"))
    cmd_autograde(ws, argparse.Namespace(assignments=[], student=None, force=False, workers=args.workers, dask=None))
    graded = _grade_written_answers(ws)
    print(f"demo: the teaching assistant graded {graded} written answers (nbgrader's manual scores and comments, "
          f"as formgrader writes them)")
    cmd_feedback(ws, args)
    cmd_export(ws, argparse.Namespace(to=args.to or ws.course / "export"))
    cmd_report(ws, argparse.Namespace(to=args.to or ws.course / "export"))
    from autograder.commands.export import grade_table
    from autograder.pipeline.results import class_records
    print()
    print(grade_table(class_records(ws)))
    from autograder.commands.kit import build_kit
    kit = build_kit(ws.course / "kit")
    print(f"\nthe student kit (what students get: the notebooks and nnlab without the open answers) is in "
          f"{kit.path}\n  {kit.files} files, {kit.size / 1024:.0f} KiB; build your own with nnlab-grade kit --to DIR")
    print(f"\ndemo finished in {time.perf_counter() - start:.0f} s")
    return 0


def _when(text: str):
    from autograder.course.deadlines import parse_when
    if text.strip().lower() == "none":
        return None
    try:
        return parse_when(text)
    except ValueError as exc:
        raise Failure(str(exc)) from None


def _penalties_now(ws, assignments) -> str:
    """Record the late penalties of these assignments' submissions; says how many are late."""
    from autograder.course.deadlines import record_penalties
    from autograder.course.gradebook import deadlines
    pairs = [key for key in deadlines(ws.db_url)[1] if key[1] in assignments]
    late = record_penalties(ws, pairs)
    return f"{late} of {len(pairs)} submissions late"


def cmd_duedate(ws, args) -> int:
    from autograder.course.deadlines import iso
    from autograder.course.gradebook import set_duedate
    if args.assignment not in ws.assignments():
        raise Failure(f"unknown assignment {args.assignment}; known: {', '.join(ws.assignments())}")
    due = _when(args.when)
    old = set_duedate(ws.db_url, args.assignment, due)
    print(f"{args.assignment} is due {iso(due) or 'at no set time'} (was {iso(old) or 'not set'}); "
          f"{_penalties_now(ws, {args.assignment})}")
    return 0


def _extension_rows(args, known: list[str]) -> list[tuple[str, str, str]]:
    """(student, assignment, when) from the command line or the --extensions CSV; every bad row is named, and
    then none is applied."""
    import csv
    if args.extensions is None:
        if not (args.student and args.assignment and args.when):
            raise Failure("give STUDENT ASSIGNMENT WHEN, or --extensions FILE.csv")
        rows = [(args.student, args.assignment, args.when)]
    else:
        if args.student or args.assignment or args.when:
            raise Failure("give either STUDENT ASSIGNMENT WHEN or --extensions FILE.csv, not both")
        try:
            with open(args.extensions, newline="", encoding="utf-8-sig") as f:
                reader = csv.DictReader(f)
                missing = {"student_id", "assignment", "due"} - set(reader.fieldnames or [])
                if missing:
                    raise Failure(f"{args.extensions} has no {', '.join(sorted(missing))} column(s); it needs "
                                  f"student_id,assignment,due")
                rows = [((r["student_id"] or "").strip(), (r["assignment"] or "").strip(), (r["due"] or "").strip())
                        for r in reader]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise Failure(f"{args.extensions} cannot be read: {exc}") from None
    bad = []
    for k, (student, assignment, when) in enumerate(rows, start=2 if args.extensions else 1):
        where = f"{args.extensions}, line {k}: " if args.extensions else ""
        if not student or assignment not in known:
            bad.append(f"{where}{'no student id' if not student else f'unknown assignment {assignment!r}'}")
        elif when.lower() != "none":
            try:
                _when(when)
            except Failure as exc:
                bad.append(f"{where}{exc}")
    if bad:
        raise Failure("no extension given: " + "; ".join(bad))
    return rows


def cmd_extension(ws, args) -> int:
    from autograder.course.deadlines import iso
    from autograder.course.gradebook import set_extension
    rows = _extension_rows(args, ws.assignments())
    for student, assignment, when in rows:
        until = _when(when)
        try:
            extension = set_extension(ws.db_url, assignment, student, until)
        except LookupError as exc:
            raise Failure(str(exc)) from None
        print(f"{student} {assignment}: " + (f"due {iso(until)} (an extension of {extension})" if extension
                                             else "no extension: the assignment's due date counts"))
    print(_penalties_now(ws, {a for _, a, _ in rows}))
    return 0


def cmd_late_policy(ws, args) -> int:
    from autograder.course import settings
    values = settings.load(ws.course)
    if args.max is not None and args.per_day is None:
        raise Failure("--max goes with --per-day PCT")
    if args.per_day is not None:
        top = 100.0 if args.max is None else args.max
        if not (0 < args.per_day <= 100 and 0 < top <= 100):
            raise Failure(f"--per-day and --max are percentages above 0 and at most 100, got {args.per_day:g} and "
                          f"{top:g}")
        values |= {"late_policy": "per-day", "late_per_day": float(args.per_day), "late_max": float(top)}
        said = f"{args.per_day:g}% of the maximum per started day, at most {top:g}%"
    else:
        values |= {"late_policy": "zero" if args.zero else "none"}
        said = "late work scores 0" if args.zero else "no penalty for late work"
    settings.save(ws.course, values)
    print(f"late policy: {said} (in {ws.course / settings.FILE}); {_penalties_now(ws, set(ws.assignments()))}")
    return 0


def _grade_written_answers(ws) -> int:
    """The sample class's teaching assistant grades every written answer of the submissions in the gradebook
    (autograder/sample_class): the same manual score and comment a score entered in formgrader writes."""
    from autograder.course.gradebook import class_grades, set_manual_scores
    from autograder.sample_class.students import WRITTEN_GRADES
    present = class_grades(ws.db_url)
    return set_manual_scores(ws.db_url, [(assignment, student, grade_id, points, comment)
                                         for student, assignments in WRITTEN_GRADES.items()
                                         for assignment, cells in assignments.items()
                                         if (student, assignment) in present
                                         for grade_id, (points, comment) in cells.items()])


COMMANDS = {"collect": cmd_collect, "autograde": cmd_autograde, "override": cmd_override, "duedate": cmd_duedate,
            "extension": cmd_extension, "late-policy": cmd_late_policy, "feedback": cmd_feedback,
            "export": cmd_export, "report": cmd_report, "pdf": cmd_pdf, "similarity": cmd_similarity,
            "demo": cmd_demo}


if __name__ == "__main__":
    sys.exit(main())
