"""Derive a submission's per-cell results without nbgrader or kernels: exec its cells in this process, with
each test cell replaced by the source notebook's version (hidden tests included), as nbgrader would.

Usage: python derive_expected.py STUDENT.ipynb SOURCE.ipynb  → prints {grade_id: status} as JSON.
"""
import contextlib
import io
import json
import os
import signal
import sys

import nbformat

os.environ.update(MPLBACKEND="Agg", NNLAB_GRADING="1", NNLAB_HEADLESS="1")


class CellTimeout(BaseException):
    pass


def main(student_path, source_path, timeout=20):
    source = nbformat.read(source_path, as_version=4)
    tests = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
             if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(CellTimeout()))
    namespace, results = {"__name__": "__main__"}, {}
    for cell in nbformat.read(student_path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        code = tests.get(gid, cell.source)
        err = io.StringIO()
        signal.alarm(timeout)
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, "<cell>", "exec"), namespace)
            status = "error" if err.getvalue() else "passed"
        except CellTimeout:
            status = "timeout"
        except AssertionError:
            status = "failed"
        except BaseException:
            status = "error"
        finally:
            signal.alarm(0)
        if gid in tests:
            results[gid] = status
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
