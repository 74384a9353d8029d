"""Practice without end: fresh problems in the lecture's format, graded by the exercises' checker.

- `problem` (also named `draw`): a valid problem of one of the four `KINDS` from a seed;
  its ``key()`` is the answer key, ``check(answers)`` the exercises' feedback and ``verdicts(answers)``
  one word per asked number;
- `seed_for`: a student's seed from their ID (SHA-256, stable everywhere);
- `statement`, `answer_key`: a problem as Markdown, for a notebook or a worksheet;
- `widget`: the notebook's "New problem" control (needs ipywidgets and a kernel);
- ``python -m bplib.practice``: worksheets, an answer key and a gradebook for a class
  (`bplib.practice._classroom`, which reads and writes files and is used through the command).

Inside: `_kinds` describes the four kinds (network, values drawn, numbers asked); `_values`
names the numbers of one `bplib.step`; `_problems` draws, rejects degenerate draws and grades
through `bplib.checks`; `_text` writes a problem in words; `_widget` is the notebook control;
`_classroom` makes a class's worksheets, key and gradebook.
"""
from ._kinds import KINDS, Kind, Part
from ._problems import MAX_DRAWS, Z_LIMIT, KeyEntry, Problem, draw, seed_for
from ._text import answer_key, statement

problem = draw


def widget(kind="example2"):
    """The "New problem" control of exercises/practice.ipynb (imports ipywidgets only when called)."""
    from ._widget import practice_widget
    return practice_widget(kind)


__all__ = ["KINDS", "Kind", "Part", "MAX_DRAWS", "Z_LIMIT", "KeyEntry", "Problem", "answer_key", "draw", "problem",
           "seed_for", "statement", "widget"]
