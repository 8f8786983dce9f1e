"""Which cells of an nbgrader notebook are test cells: the one predicate every part of the grader uses."""
from __future__ import annotations

from nbgrader.utils import is_grade, is_solution


def is_test_cell(cell) -> bool:
    """An autograded test cell: a cell nbgrader grades that holds no solution (nbgrader's own predicates). A
    written answer is graded too, by hand, but holds the student's solution, so it is not a test cell. A
    submission may have turned a test cell into another type: callers that run cells check the type too."""
    return bool(is_grade(cell)) and not is_solution(cell)
