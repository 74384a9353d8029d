"""Numbers the book's prose states, recorded where the code computes them.

A chapter's Markdown writes each computed number as plain text between two HTML comments, which
every notebook renderer hides (the site, JupyterLab, Colab, GitHub, VS Code)::

    The output error, <!--ex2_delta_final:.4f-->0.0407<!--/-->, is positive ...

and a code cell above or below records the value under the same key::

    prose.record("ex2_delta_final", record.deltas[1][0, 0])

``scripts/execute_notebooks.py`` writes ``format(value, ".4f")`` between the comments after it
runs the notebook, and ``tests/test_prose_numbers.py`` runs every notebook again and fails if a
written number is not what the code computes today. So every reader sees the number, and the
number cannot drift from the code.
"""
import numbers as _numbers

from ._validate import describe

__all__ = ["record", "NUMBERS"]

NUMBERS = {}  # key -> int, float or str, for the notebook running in this kernel


def record(key, value):
    """Record ``value`` as what the prose calls ``key``: a finite real number, or a computed text.

    Integers stay integers (so a format such as ``,d`` applies); numpy scalars become Python
    numbers. Returns nothing, so a cell that records a value displays nothing for it.
    """
    if not isinstance(key, str) or not key.isidentifier():
        raise TypeError(f"key must be a name made of letters, digits and _; received {describe(key)}")
    if isinstance(value, str):
        NUMBERS[key] = value
        return
    if isinstance(value, bool) or not isinstance(value, _numbers.Real):
        raise TypeError(f"value for {key!r} must be a real number or a text; received {describe(value)}")
    value = int(value) if isinstance(value, _numbers.Integral) else float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"value for {key!r} must be finite; received {value}")
    NUMBERS[key] = value
