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

A number at rounding level (a finite-difference error, a relative error near 1e-10, a difference
that is 0 here and 7e-18 elsewhere) is never written with its digits: those depend on the
processor (numpy's SIMD code path, the BLAS kernel), not on the mathematics. ``below`` checks such
a number against a bound that holds on every machine and records the bound instead.
"""
import numbers as _numbers
import re as _re

from ._validate import declare, describe

__all__ = ["record", "below", "NUMBERS"]

NUMBERS = {}  # key -> int, float or str, for the notebook running in this kernel


def _key(name, value, arguments):
    if not isinstance(value, str) or not value.isidentifier():
        raise TypeError(f"{name} must be a name made of letters, digits and _; received {describe(value)}")
    return value


def _real(name, value, arguments, what="a real number"):
    """A real number (an integer stays one, a numpy scalar becomes a Python number), or a text where
    ``what`` allows one; the messages name the key."""
    if "text" in what and isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, _numbers.Real):
        raise TypeError(f"{name} for {arguments['key']!r} must be {what}; received {describe(value)}")
    return int(value) if isinstance(value, _numbers.Integral) else float(value)


def _recordable(name, value, arguments):
    value = _real(name, value, arguments, "a real number or a text")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} for {arguments['key']!r} must be finite; received {value}")
    return value


def _bound(name, value, arguments):
    if not 0 < _real(name, value, arguments, "a positive number below 1e300") < 1e300:
        raise ValueError(f"{name} for {arguments['key']!r} must be a positive number below 1e300; received {value!r}")
    return float(value)


@declare(key=_key, value=_recordable)
def record(key, value):
    """Record ``value`` as what the prose calls ``key``: a finite real number, or a computed text.

    Integers stay integers (so a format such as ``,d`` applies); numpy scalars become Python
    numbers. Returns nothing, so a cell that records a value displays nothing for it.
    """
    NUMBERS[key] = value


@declare(key=_key, value=_real, bound=_bound)
def below(key, value, bound):
    """Check ``value < bound`` and record the bound, as text such as ``"1e-9"``, for the prose.

    For numbers whose digits are rounding noise: the cell prints and the prose states the bound,
    which every machine reproduces, and the notebook stops with a ValueError where the value is
    not below it (the claim the bound makes no longer holds). Returns the text recorded, to print.
    """
    text = _re.sub(r"e([-+])0*(\d)", r"e\1\2", f"{bound:g}").replace("e+", "e")  # 1e-09 -> 1e-9
    if not value < bound:  # nan is not below anything
        raise ValueError(f"value for {key!r} must be below {text}, the bound the prose states; received "
                         f"{describe(value)}")
    NUMBERS[key] = text
    return text
