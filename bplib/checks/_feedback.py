"""Feedback on an exercise answer, one line per quantity: how an answer is read, how close counts.

Every check cell of the exercises (Examples 1, 2 and 3, the gradient check and the three-layer
network) prints a `Feedback`; `bplib.checks` and `bplib.checks._judging` decide what each `Line` says.
This module holds what those checks share and does not depend on them:

- `Line` and `Feedback`, and how they print (plain text, or Markdown in a notebook);
- `read_number`, which reads one entry of a student's answer (a number, ``...`` for not answered
  yet, or anything else, with a sentence saying why it is not a number) and never raises, and
  `read_answer`, which reads a student's dict against the keys the exercise asks (missing,
  misspelt and extra keys get a line of their own);
- `function_line`, where every check of a student's function starts: not answered yet, not a
  function, or the check's verdict (an error of the checker's own is a line, never a traceback);
- the tolerance arithmetic: half a unit in the last decimal written, and how far rounding an
  expression's inputs can move it (first-order sensitivities, added in quadrature).
"""
import dataclasses
import decimal
import difflib
import math
import numbers
import warnings
from typing import NamedTuple

import numpy as np

from . import expressions as _expr

NOT_ANSWERED = "not answered yet"
FLOOR = 1e-6  # relative: a number computed another way, even in float32, is still exact
SYMBOLS = {"correct": "✓", "not answered": "·", "wrong": "✗", "follows": "→", "coarse": "~",
           "unreadable": "?", "missing": "?", "unknown": "?"}

# the summary's counts after "n of m correct": the statuses counted, and what they are called
TALLIES = ((("wrong", "follows", "unreadable", "missing"), "to fix"),
           (("coarse",), "too coarse to check (give more decimals)"), (("not answered",), NOT_ANSWERED))


class Line(NamedTuple):
    key: str
    status: str        # a key of SYMBOLS
    message: str
    mistake: str = ""  # the name of the recognised mistake, if any
    root: str = ""     # for "follows": the earliest wrong quantities it follows from, space-separated


class Feedback:
    """Per-quantity feedback; ``print`` it. ``lines`` holds one `Line` per quantity."""

    def __init__(self, title, lines, todo="Replace each ... in answer with your number", order=None):
        self.title, self.lines, self.todo = title, list(lines), todo
        self.order = order  # for Examples 2 and 3: the update order the answer was judged in

    def status(self, key):
        return next((line.status for line in self.lines if line.key == key), None)

    @property
    def all_correct(self):
        """Every quantity asked is correct (keys the question does not ask are ignored)."""
        return all(line.status == "correct" for line in self.lines if line.status != "unknown")

    def summary(self):
        asked = [line for line in self.lines if line.status != "unknown"]
        count = lambda *s: sum(line.status in s for line in asked)
        if count("not answered") == len(asked):
            to_go = f" ({len(asked)} to go)" if len(asked) > 1 else ""
            return f"{self.title}: nothing answered yet. {self.todo}{to_go}."
        ignored = len(self.lines) - len(asked)
        ignored = f" ({ignored} key{'s' if ignored > 1 else ''} not asked, ignored)" if ignored else ""
        if len(asked) == 1:
            return f"{self.title}: {'correct' if self.all_correct else 'not yet right'}.{ignored}"
        if self.all_correct:
            return f"{self.title}: all {len(asked)} correct.{ignored}"
        parts = [f"{count('correct')} of {len(asked)} correct"]
        parts += [f"{count(*statuses)} {what}" for statuses, what in TALLIES if count(*statuses)]
        first = next((line.key for line in asked if line.status == "wrong"), None)
        start = f" Start with {first}: later numbers may follow from it." if first else ""
        return f"{self.title}: {', '.join(parts)}.{start}"

    def _printed(self, lines):
        width = max([len(line.key) for line in lines] + [4])
        body = [f"  {SYMBOLS[line.status]} {line.key:<{width}}  {line.message}" for line in lines]
        return "\n".join([self.summary()] + body)

    def __str__(self):
        return self._printed(self.lines)

    __repr__ = __str__

    def problems(self):
        """The summary and only the lines that say more than "correct" (to show a wrong answer)."""
        return self._printed([line for line in self.lines if line.message != "correct"])

    def _repr_markdown_(self):
        items = [f"- {SYMBOLS[line.status]} `{line.key}`: {line.message}" for line in self.lines]
        return "\n".join([f"**{self.summary()}**", ""] + items)


@dataclasses.dataclass(frozen=True)
class Reading:
    """One entry of a student's answer as `read_number` reads it."""
    kind: str            # "number", "ellipsis" (not answered yet) or "bad"
    number: float = None  # the number, for kind "number"
    places: int = 0      # the decimals it was written with
    why: str = ""        # for kind "bad": a sentence saying why it is not a number


def read_number(value):
    """A `Reading` of one answer entry: a number with the decimals written, ``...``, or why it is not one.

    Accepts Python and numpy numbers, Decimal and Fraction, and arrays or lists holding exactly
    one number (bplib's (1, 1) outputs). Never raises.
    """
    try:
        return _read(value)
    except Exception:
        return Reading("bad", why=f"this is {in_words(value)}, which is not a number")


def _read(value):
    if value is Ellipsis:
        return Reading("ellipsis")
    if value is None:
        return Reading("bad", why="this is None; write a number (if a function gave it, did it forget to return?)")
    if isinstance(value, (bool, np.bool_)):
        return Reading("bad", why=f"this is {value}, a truth value; write a number")
    if isinstance(value, (str, bytes)):
        return Reading("bad", why=f"this is the text {value!r:.30}; write the number itself, without quotes")
    if isinstance(value, (np.ndarray, list, tuple)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value)
            if array.dtype.kind not in "fiu":
                array = array.astype(float)
        if array.size != 1:
            return Reading("bad", why=f"this has shape {array.shape}; write one number (for example y[0, 0])")
        value = array.reshape(-1)[0]  # a numpy scalar, read at the precision of its array
    if isinstance(value, decimal.Decimal):
        number, places = float(value), max(0, -value.as_tuple().exponent) if value.is_finite() else 0
    elif isinstance(value, numbers.Real):  # numpy's numbers too
        number, places = float(value), 0
        # float32 and float16 are read at the digits of their own precision: np.float32(0.6903) is
        # 0.6903, not 0.6902999877929688; wider ones as the float they are used as
        if isinstance(value, np.floating) and value.dtype.itemsize < 8:
            places = _places_of_text(np.format_float_positional(value, unique=True, trim="-"))
        elif not isinstance(value, numbers.Integral):
            places = _places_of_text(repr(number))
    elif isinstance(value, numbers.Complex):
        return Reading("bad", why=f"this is the complex number {value}; write a real number")
    else:
        return Reading("bad", why=f"this is {in_words(value)}; write a number")
    if math.isnan(number):
        return Reading("bad", why="this is NaN (not a number): something in its calculation went wrong, such as 0/0")
    if math.isinf(number):
        return Reading("bad", why="this is infinite: something in its calculation overflowed or divided by zero")
    return Reading("number", number, places)


def unread(key, reading):
    """The `Line` for a `Reading` that is no number: not answered yet (``...``), or unreadable, saying why."""
    if reading.kind == "ellipsis":
        return Line(key, "not answered", NOT_ANSWERED)
    return Line(key, "unreadable", reading.why)


def read_answer(answer, keys, known=()):
    """A student's dict read against the ``keys`` the exercise asks, never against the dict's own keys.

    Returns ``{key: Reading}`` for the asked keys it has, ``{key: Line}`` for those it lacks (naming
    a key of the dict that looks like a misspelling of it), and a `Line` for each key of the dict
    that is not asked: a quantity of the question not asked here (in ``known``), a misspelling (with
    the closest asked key), or anything else. Never raises for a mapping.
    """
    extra = [k for k in answer if k not in keys]
    closest = {k: next(iter(difflib.get_close_matches(k, keys, n=1)), None) for k in extra
               if isinstance(k, str) and k not in known}
    readings, missing = {key: read_number(answer[key]) for key in keys if key in answer}, {}
    for key in (key for key in keys if key not in answer):
        typo = next((k for k, c in closest.items() if c == key), None)
        missing[key] = Line(key, "missing", f"missing: is your \"{typo[:30]}\" meant to be it? Name it \"{key}\""
                            if typo else f"missing: add \"{key}\": ... to your answer")
    return readings, missing, [_unknown(k, known, closest.get(k)) for k in extra]


def _unknown(key, known, close):
    if not isinstance(key, str):
        return Line(repr(key)[:30], "unknown", "quantity names are text, like \"z_top\"; this key was ignored")
    if key in known:
        return Line(key, "unknown", "not asked in this question; ignored")
    hint = f"; did you mean \"{close}\"?" if close else "; ignored"
    return Line(key[:30], "unknown", f"not a quantity of this question{hint}")


def function_line(key, fn, parameters, judge):
    """The `Line` on a student's function ``fn`` (``def key(parameters)``): not answered yet (``...``),
    not a function, or what ``judge(fn)`` says; an error in the checker is a line too, never a traceback."""
    try:
        if fn is Ellipsis:
            return Line(key, "not answered", NOT_ANSWERED)
        if not callable(fn):
            return Line(key, "unreadable", f"{key} should be a function (def {key}({parameters}): ...); it is "
                                           f"{in_words(fn)}")
        return judge(fn)
    except Exception as error:  # a bug of ours must not look like the student's
        return Line(key, "unreadable", f"could not check it ({type(error).__name__})")


def in_words(value):
    """What a student's value is, in a few plain words for feedback ("the text 'abc'", "a list");
    the library's argument errors use ``_validate.describe`` instead."""
    if value is None or value is Ellipsis or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    return f"a {type(value).__name__}"


def _places_of_text(text):
    exponent = decimal.Decimal(text).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# How close counts: half a unit in the last decimal, and what rounding an expression's inputs does
def half_unit(decimals):
    return 0.5 * 10.0 ** -decimals


def quadrature(terms):
    """Independent rounding errors add in quadrature: sqrt(sum of squares)."""
    return math.sqrt(sum(t * t for t in terms))


def slope(f, x):
    """The size of a derivative by a central difference: |f(h) - f(-h)| / 2h, where ``f`` takes the
    change to the number ``x`` (the rules are smooth)."""
    h = 1e-6 * max(1.0, abs(x))
    return abs(f(h) - f(-h)) / (2 * h)


def carried(e, values, room):
    """How far rounding the inputs d of expression ``e``, each by ``room(d)``, can move its value: the
    terms |de/dd| * room(d), at ``values``, added in quadrature."""
    rule = _expr.EVALUATORS[e.kind]
    return quadrature(slope(lambda h: rule({**values, d: values[d] + h}, e), values[d]) * room(d)
                      for d in _expr.dependencies(e))
