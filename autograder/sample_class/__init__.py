"""The built-in sample class: twelve synthetic students with the mistakes real students make.

- ada gets everything right.
- ben's predict forgets to transpose the result back into rows (cost_function inherits the mistake); his softmax
  normalises the rows instead of the columns; he writes notebook 08's cost with numpy (it fails under jit);
  dense_forward keeps a cache of his own but dense_backward transposes dw; max_pool_backward writes (=) where
  overlapping windows should add up.
- chloe writes the textbook sigmoid, which overflows (a RuntimeWarning) at z = -1000 with the right values, and
  stacks [x_t; h_prev] the other way round in the RNN cell.
- dmitri steps uphill in one_step_gd, flips the sign of the cost derivative in backprop, flips the kernel (the
  textbook's convolution) in notebook 06's convolution and in its backward pass, and steps uphill again in
  notebook 08's gd_step.
- emma divides the forward difference by 2·eps in gradient_estimator, computes h_t = o_t ⊙ C_t without the tanh,
  and returns the velocity momentum_update was given instead of the new one.
- farid is half done: he stopped after Challenge 2 and after Challenge 4, left notebook 04 unsolved, stopped
  before notebook 05's derivative of the cross-entropy and skipped notebook 08's vmap.
- grace makes a syntax error in the perceptron cell (perceptron is never defined), leaves the recurrent notebook
  and notebook 08's gradient unsolved (gd_step, which calls it, fails too), and sends the error back without
  ReLU's derivative in sgd_epoch.
- hiro puts an infinite training loop in an ungraded cell: that cell times out, the graded cells still count.
- ivan never hands in the backprop notebook.
- jun forgets the bias in forward_pass and in conv2d_forward, fires at w·x + b = 0 in perceptron, and applies
  ReLU inside dense_forward.
- kofi halves the cost (the ½ convention), drops the 2 in backprop's BP1, sums the cross-entropy over examples,
  calls jax.grad without argnums (the gradient with respect to X), puts RMSprop's eps under the square root (as
  Keras does) and returns the padded dx from conv2d_backward.
- lena nudges the caller's arrays in place (and never puts them back) in gradient_estimator; her sigmoid_prime
  returns σ itself; relu_prime is 1 at z = 0; she averages notebook 08's per-example cost over the outputs and
  sends C_t's gradient back without what it receives through h_t.

The students' answers are data (``students.py`` reads them): a student's code replaces the release stubs
(``# YOUR CODE HERE / raise NotImplementedError()``) of the functions that student answered; every other
function gets the instructor's solution. ``build(dest)`` writes the class as
``dest/<student>/<assignment>/<assignment>.ipynb``, ready to collect.

Every student also answers the written questions (the manually graded markdown cells) in their own words, as
strong or as shaky as their code: ada answers all of them well, farid leaves several blank (the release's
"YOUR ANSWER HERE" stays). A teaching assistant graded the answers by each question's rubric:
``written_grades.toml`` holds the points and a comment for every written cell of every notebook handed in
(``students.WRITTEN_GRADES``), for the grades that formgrader would otherwise record by hand.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import nbformat

from autograder.sample_class.students import EDITS, MISSING, STUDENTS

STUB = re.compile(r"^(?P<indent>[ \t]*)# YOUR CODE HERE\n(?P=indent)raise NotImplementedError\(\)", re.M)
ANSWER_HERE = "YOUR ANSWER HERE"


def solution_bodies(source_notebook: Path) -> dict[str, str]:
    """The instructor's answer of every solution cell: the text between the BEGIN/END SOLUTION markers."""
    nb = nbformat.read(source_notebook, as_version=4)
    bodies = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            m = re.search(r"### BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION", cell.source, re.S)
            if m:
                bodies[meta["grade_id"]] = textwrap.dedent(m.group(1))
    return bodies


def fill(release_notebook: Path, answers: dict, defaults: dict) -> nbformat.NotebookNode:
    """A student's copy of a release notebook: code stubs replaced by ``answers`` (falling back to ``defaults``),
    the written questions' "YOUR ANSWER HERE" by the student's own markdown answer where there is one."""
    nb = nbformat.read(release_notebook, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if meta.get("solution") and gid and cell.cell_type == "markdown":
            # no instructor's fallback here: a written question the student left blank stays blank (and gets 0)
            if gid in answers:
                cell.source = cell.source.replace(ANSWER_HERE, textwrap.dedent(answers[gid]).strip("\n"), 1)
        elif meta.get("solution") and gid:
            body = answers.get(gid, defaults.get(gid))
            if body is not None:
                body = textwrap.dedent(body).strip("\n")
                cell.source = STUB.sub(lambda m: textwrap.indent(body, m.group("indent")), cell.source, count=1)
        elif cell.cell_type == "code" and not meta.get("locked"):
            for old, new in answers.get(EDITS, []):
                cell.source = cell.source.replace(old, new)
    return nb


def build(dest: Path, release: Path, source: Path, students: dict | None = None) -> list[tuple[str, str]]:
    """Write the sample class under ``dest``; returns the (student, assignment) pairs written."""
    students = STUDENTS if students is None else students
    dest = Path(dest)
    written = []
    for assignment_dir in sorted(p for p in Path(release).iterdir() if p.is_dir()):
        aid = assignment_dir.name
        for nb_path in sorted(assignment_dir.glob("*.ipynb")):
            defaults = solution_bodies(Path(source) / aid / nb_path.name)
            for student, plan in students.items():
                answers = plan.get(aid, {})
                if answers == MISSING:
                    continue
                out = dest / student / aid / nb_path.name
                out.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(fill(nb_path, answers, defaults), out)
                written.append((student, aid))
    return sorted(set(written))
