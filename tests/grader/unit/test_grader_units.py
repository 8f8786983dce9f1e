"""Unit tests of the grader's pure functions around a cell's result: a check's report read back
(``read_report``), shortened to one line (``one_line``), a test cell's status, message and hints
(``cell_outcome``), the out-of-kernel verdict's hints (``_apply_verdicts``), why nbgrader failed
(``explain_failure``), and the class report's diagnoses (``diagnoses``, ``summarise``)."""
from __future__ import annotations

import dataclasses

import nbformat

from autograder.commands.report import diagnoses, summarise
from autograder.integration.execute import DIED, NOT_RUN
from autograder.pipeline.grading import CellResult, Record, _apply_verdicts, cell_outcome, explain_failure, one_line
from nnlab.checks.spec import CaseResult, ReportParts, Result, read_report

BIAS = "your output matches a network without biases: add b[l] in every layer, z = w[l] @ a + b[l]."
TRANSPOSE = ("your result is the transpose of the right one — check which axis holds the examples. Predict takes "
             "rows (m, n_in) and returns rows (m, n_out): transpose on the way in and on the way out.")
CASE_1 = ('✗ case "one example as a column (2, 1)": output has wrong values at index (0, 0): got 0.6326827938, '
          'expected 0.4549208133 (relative error 3.9e-01, tolerance 1e-06)')
CASE_2 = ('✗ case "three layers [3, 5, 4, 2], 6 examples": output has wrong values at index (0, 2): '
          'got 0.3618374238, expected 0.15817094 (relative error 1.3e+00, tolerance 1e-06)')
NOTE = "float32 inputs are compared with float32's tolerance."
# a forward pass that forgets the bias, as Result.report writes it
REPORT = f"forward_pass: 2 of 3 cases failed.\n  {CASE_1}\n  {CASE_2}\n  hint: {BIAS}\n  note: {NOTE}"
# what nnlab.checks.check says where predict fails and the forward_pass it calls fails too (depending.blame_text)
BLAME = ("predict relies on your forward_pass, which does not pass its own check yet: fix forward_pass first.\n"
         "  forward_pass: 1 of 3 cases failed.\n"
         f"    {CASE_1}\n"
         f"    hint: {BIAS}\n"
         "With a correct forward_pass in its place, your predict still fails:\n"
         "  predict: 1 of 2 cases failed.\n"
         '    ✗ case "three layers [3, 5, 4, 2], 6 rows": prediction has shape (2, 6) but (6, 2) was expected\n'
         f"    hint: {TRANSPOSE}")


def test_read_report_reads_a_report_back_into_its_parts():
    assert read_report(REPORT) == ReportParts("forward_pass: 2 of 3 cases failed.", [CASE_1, CASE_2], [BIAS], [NOTE])


def test_read_report_reads_what_result_report_writes():
    result = Result("sigmoid", False, 0.0, 1.0, [
        CaseResult("a 2-D array (3, 4)", False, ["σ(z) has wrong values at index (0, 0)", "σ(z) has shape (4, 3)",
                                                  "σ(z) is not finite"], ["the exponent is −z."]),
        CaseResult("large inputs", True, notes=["a numerically stable version avoids the warning."])])
    assert read_report(result.report()) == ReportParts(
        "sigmoid: 1 of 2 cases failed.",
        ['✗ case "a 2-D array (3, 4)": σ(z) has wrong values at index (0, 0)',
         '✗ case "a 2-D array (3, 4)": σ(z) has shape (4, 3)', "… and 1 more problems in this case"],
        result.hints, result.notes)


def test_read_report_reads_the_reports_a_blame_quotes_and_any_other_text():
    parts = read_report(BLAME)
    assert parts.headline.startswith("predict relies on your forward_pass")
    assert parts.hints == [BIAS, TRANSPOSE] and parts.notes == []
    assert parts.problems[:2] == ["forward_pass: 1 of 3 cases failed.", CASE_1]
    assert read_report("double(3) should be 6") == ReportParts("double(3) should be 6", [], [], [])
    assert read_report("") == ReportParts("", [], [], [])


def test_one_line_joins_the_lines_and_drops_cases_before_hints_and_notes():
    assert one_line(REPORT) == f"forward_pass: 2 of 3 cases failed. | {CASE_1} | {CASE_2} | hint: {BIAS} | note: {NOTE}"
    assert one_line(REPORT, 260) == f"forward_pass: 2 of 3 cases failed. | … | hint: {BIAS} | note: {NOTE}"
    assert one_line(REPORT, 100) == "forward_pass: 2 of 3 cases failed. | … | hint: your output matches a network " \
                                    "without biases: add b[…"
    assert one_line("\x1b[31mValueError\x1b[0m: bad\n\n  shape (2,)  ") == "ValueError: bad | shape (2,)"
    assert one_line("") == "" and one_line(None) == ""


def _executed(*outputs, count=7):
    return nbformat.v4.new_code_cell("result = check(...)", outputs=list(outputs), execution_count=count)


def _error(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def test_cell_outcome_reads_a_failed_checks_hints_from_its_assertion():
    assert cell_outcome(_executed(_error("AssertionError", REPORT)), 30) == ("failed", one_line(REPORT), [BIAS])
    assert cell_outcome(_executed(_error("AssertionError", BLAME)), 30) == ("failed", one_line(BLAME),
                                                                            [BIAS, TRANSPOSE])
    assert cell_outcome(_executed(_error("AssertionError", "")), 30) == ("failed", "the test's assertion failed", [])
    assert cell_outcome(_executed(_error("AssertionError", "double(3) should be 6")), 30) == (
        "failed", "double(3) should be 6", [])


def test_cell_outcome_of_errors_stops_and_silence():
    assert cell_outcome(_executed(_error("NotImplementedError", "")), 30) == ("error", "NotImplementedError:", [])
    assert cell_outcome(_executed(_error("ZeroDivisionError", "division by zero")), 30) == (
        "error", "ZeroDivisionError: division by zero", [])
    assert cell_outcome(_executed(_error("CellTimeoutError", "A cell timed out")), 30) == (
        "timeout", "the cell ran past the 30 s limit and was interrupted", [])
    died = "the kernel died while this cell ran (os._exit, a crash or running out of memory)"
    assert cell_outcome(_executed(_error(DIED, died)), 30) == ("error", died, [])
    assert cell_outcome(_executed(_error(NOT_RUN, "not run: the kernel died in an earlier cell"), count=None),
                        30) == ("not_run", "not run: the kernel died in an earlier cell", [])
    stderr = nbformat.v4.new_output("stream", name="stderr", text="RuntimeWarning: overflow in exp\n")
    assert cell_outcome(_executed(stderr), 30) == (
        "error", "the cell wrote to stderr, which nbgrader scores as 0: RuntimeWarning: overflow in exp", [])
    assert cell_outcome(_executed(count=None), 30) == ("not_run", "the cell was not executed", [])
    printed = nbformat.v4.new_output("stream", name="stdout", text="✓ forward_pass: all 3 visible cases passed.\n")
    assert cell_outcome(_executed(printed), 30) == ("passed", "", [])


def test_a_cell_failed_outside_the_kernel_takes_the_verdicts_hints():
    cells = [CellResult("02_forward_pass", gid, 1.0, 1.0, "passed") for gid in ("fp_visible", "fp_hidden", "sig")]
    cells.append(CellResult("02_forward_pass", "predict_visible", 0.0, 1.0, "failed", one_line(BLAME),
                            [BIAS, TRANSPOSE]))
    verdicts = {"02_forward_pass": {
        "fp_visible": {"passed": False, "message": REPORT, "deferred": False, "hints": [BIAS]},
        "fp_hidden": {"passed": False, "message": REPORT, "deferred": True},        # sent without its hints
        "sig": {"passed": True, "message": "", "deferred": False, "hints": []},
        "predict_visible": {"passed": False, "message": REPORT, "deferred": False, "hints": ["not this one"]}}}
    flags = _apply_verdicts(cells, verdicts)
    assert [(c.status, c.score, c.hints) for c in cells] == [
        ("failed", 0.0, [BIAS]), ("failed", 0.0, [BIAS]), ("passed", 1.0, []), ("failed", 0.0, [BIAS, TRANSPOSE])]
    assert cells[1].message == one_line("checked by the grader, outside the notebook: " + REPORT)
    assert flags == [f"test cell fp_visible passed in the notebook's kernel but failed the out-of-kernel check "
                     f"({one_line(REPORT, 400)})"]


def test_explain_failure_names_the_cause():
    assert explain_failure({"log": "[AutogradeApp | ERROR] DeadKernelError: Kernel died\n"}) == (
        "grading failed: the kernel died while running the notebook (os._exit, a crash or running out of memory)")
    assert explain_failure({"log": "nbformat.reader.NotJSONError: Notebook does not appear to be JSON"}) == (
        "grading failed: the notebook file is not valid notebook JSON")
    log = ("Traceback (most recent call last):\nValueError: the gradebook is locked\n"
           "[ERROR] Please see the above traceback")
    assert explain_failure({"log": log, "error": ""}) == "grading failed: ValueError: the gradebook is locked"
    assert explain_failure({"log": "nothing useful here", "error": None}) == "grading failed: nothing useful here"


def test_diagnoses_use_the_cells_hints_and_status():
    assert diagnoses("failed", one_line(REPORT), [BIAS]) == [BIAS]
    assert diagnoses("failed", "x: 1 of 2 cases failed.", ["off by a factor of 2.02", "scaled by 1e-3"]) == [
        "off by a factor of …", "scaled by …"]
    assert diagnoses("failed", "forward_pass: 3 of 3 cases failed. | ✗ case …", []) == ["wrong values"]
    assert diagnoses("error", "NotImplementedError:", []) == ["not attempted (NotImplementedError)"]
    assert diagnoses("error", "ZeroDivisionError: division by zero", []) == ["raised ZeroDivisionError"]
    assert diagnoses("error", "the cell wrote to stderr, which nbgrader scores as 0: x", []) == ["wrong values"]
    assert diagnoses("timeout", "the cell ran past the 30 s limit and was interrupted", []) == ["ran out of time"]
    assert diagnoses("not_run", "not run: the kernel died in an earlier cell", []) == [
        "not run (the run ended earlier)"]
    assert diagnoses("missing", "the test cell is missing from the submission", []) == ["test cell missing"]
    assert diagnoses("passed", "", []) == []
    assert diagnoses("failed", "", ["x" * 300]) == ["x" * 160]


def test_diagnoses_of_a_record_written_before_cells_carried_hints_read_its_message():
    assert diagnoses("failed", one_line(REPORT)) == [BIAS]
    assert diagnoses("failed", one_line(BLAME)) == [BIAS, TRANSPOSE[:160]]         # a diagnosis is cut at 160
    assert diagnoses("error", "NotImplementedError:") == ["not attempted (NotImplementedError)"]


def test_records_load_with_and_without_hints():
    cell = CellResult("02_forward_pass", "forward_pass_visible", 0.0, 1.0, "failed", one_line(REPORT), [BIAS])
    record = Record("ben", "02_forward_pass", "graded", "0/1 points", 0.0, 1.0, [cell])
    assert Record.from_dict(record.to_dict()) == record
    old = record.to_dict()
    del old["cells"][0]["hints"]
    assert Record.from_dict(old).cells[0] == dataclasses.replace(cell, hints=None)
    assert CellResult("n", "g", 1.0, 1.0, "passed").hints == []


def test_the_class_report_counts_each_students_diagnosis_once():
    def record(student, *cells):
        cells = [CellResult("02_forward_pass", *cell) for cell in cells]
        return Record(student, "02_forward_pass", "graded", "", sum(c.score for c in cells), len(cells), cells)
    ada = record("ada", ("forward_pass_visible", 1.0, 1.0, "passed"), ("predict_visible", 1.0, 1.0, "passed"))
    ben = record("ben", ("forward_pass_visible", 0.0, 1.0, "failed", one_line(REPORT), [BIAS]),
                 ("forward_pass_hidden", 0.0, 1.0, "failed", "checked by the grader, outside the notebook: …",
                  [BIAS]),
                 ("predict_visible", 0.0, 1.0, "error", "NotImplementedError:", []))
    chloe = record("chloe", ("forward_pass_visible", 0.0, 1.0, "failed", "forward_pass: 1 of 3 cases failed.", []))
    dan = record("dan", ("forward_pass_visible", 0.0, 1.0, "failed", one_line(REPORT), None))   # an older record
    missing = Record("eve", "02_forward_pass", "missing", "no submission was collected", 0.0, 2.0, [])
    assert summarise([ada, ben, chloe, dan, missing])["diagnostics"] == [
        (0.5, 2, 4, "02_forward_pass", "forward_pass", BIAS),
        (0.25, 1, 4, "02_forward_pass", "forward_pass", "wrong values"),
        (0.25, 1, 4, "02_forward_pass", "predict", "not attempted (NotImplementedError)"),
    ]
