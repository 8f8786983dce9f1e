"""A corpus of realistic student answers to the 35 graded challenges, one data module per notebook.

Each module holds ``ENTRIES``, a list of dicts:

- ``id``: unique, e.g. ``"nb02-cost-half"``;
- ``challenge``: the check's name (``nnlab.checks.SPECS``);
- ``code``: source defining the function as a student would in the notebook, together with the student's own
  earlier functions it calls (``predict`` calling their ``forward_pass``, ``backprop`` their ``sigmoid_prime``…);
- ``expect``: ``"passes"`` or ``"fails"``;
- for ``"passes"``, optionally ``notes``: words one of which must appear in the notes of the passing report;
- for ``"fails"``: ``keywords`` (one of them must appear, case-insensitive, in every failing report: they name
  the cause), optionally ``forbid`` (words that must not appear), ``factor`` (True where the mistake really is
  a uniform constant factor, so a "constant factor" hint is fair) and ``visible_only`` (True where random hidden
  inputs cannot reveal the mistake, e.g. ``>=`` at exactly w·x + b = 0).

``tests/library/test_corpus.py`` runs every entry through the checks (visible and hidden cases, and the student kit's
recorded spec on the visible cases).
"""
