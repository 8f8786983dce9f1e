"""How strong the challenge checks are, measured by mutation testing, in one run.

Every graded function's reference answer (and the nnlab helpers it calls) is mutated one small change at a
time; the table gives, per challenge, the mutants made, those equivalent on every case, and the share of the
others that the visible cases alone, and visible + hidden, make fail the check, followed by each mutant the
visible cases miss (its line before and after, and the cases that expose it). The tool and its definitions
are in ``tests/strength/mutation.py``; ``tests/strength/test_mutation.py`` asserts on the same numbers.

    python benchmarks/check_strength.py [--challenge NAME]... [--json FILE] [--cap N]

About a minute on two cores, mutants judged two at a time in forked processes.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "strength"))

import mutation  # noqa: E402


def main(argv=None) -> None:
    mutation.main(argv)


if __name__ == "__main__":
    main()
