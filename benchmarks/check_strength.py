"""How strong the challenge checks are, in one run: mutation testing, then the corpus of student answers.

Mutation testing: every graded function's reference answer (and the nnlab helpers it calls) is mutated one
small change at a time; the table gives, per challenge, the mutants made, those equivalent on every case, and
the share of the others that the visible cases alone, and visible + hidden, make fail the check, followed by
each mutant the visible cases miss. The tool is ``tests/library/strength/mutation.py``;
``tests/library/strength/test_mutation.py`` asserts on the same numbers.

The corpus (``tests/library/corpus/``): each realistic answer run through its check as its test cells would; the
figures are the entries, the false failures (a correct answer fails), the false passes (a wrong one passes),
the misleading or missing hints (a failing report that names none of the entry's causes, says a forbidden
word, a constant factor that is none, or an absurd number) and the mistakes named. ``tests/library/test_corpus.py``
asserts each entry.

    python benchmarks/check_strength.py [--challenge NAME]... [--json FILE] [--cap N]

About a minute on two cores.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "strength"), str(ROOT / "tests")]

import mutation  # noqa: E402


def corpus_figures() -> None:
    import test_corpus
    figures, wrong = Counter(), []
    for entry in test_corpus.ENTRIES:
        problems, _ = test_corpus.evaluate(entry)
        figures["entries"] += 1
        figures[entry["expect"]] += 1
        kinds = {("false failure" if "a correct answer fails" in p else "false pass" if "a wrong answer passes" in p
                  else "kit differs" if "kit" in p else "misleading or missing hint") for p in problems}
        figures.update(kinds)
        if entry["expect"] == "fails" and not problems:
            figures["mistakes named"] += 1
        if problems:
            wrong.append((entry["id"], problems))
    print(f"\ncorpus: {figures['entries']} entries ({figures['passes']} correct, {figures['fails']} wrong); "
          f"false failures {figures['false failure']}, false passes {figures['false pass']}, misleading or "
          f"missing hints {figures['misleading or missing hint']}, kit reports differing {figures['kit differs']}; "
          f"mistakes named {figures['mistakes named']} of {figures['fails']}")
    for entry_id, problems in wrong:
        print(f"  {entry_id}: {'; '.join(problems)}")


def main(argv=None) -> None:
    mutation.main(argv)
    corpus_figures()


if __name__ == "__main__":
    main()
