"""Is a student's answer to a question about a network's numbers right?

The functions the exercises' check cells call for numeric answers (re-exported by `bplib.checks`):

- `check_example`, for the lecture's Examples 2 and 3 (exercises 2 and 3), in either update
  order (it says which one the answer follows), and `slide_table`, their printed numbers beside
  exact arithmetic;
- `reference` then `check`, for a question about any network (Example 1 with numbers in
  exercise 1, the three-layer network of exercise 5);
- `check_function` (defined in `bplib.checks._functions`), for the two functions written in
  exercise 4 (the sigmoid's derivative and the central difference), and `values_reference` then
  `check`, for its plain numbers.

An answer is a dict from quantity names to numbers, e.g. ``{"z_top": 0.755, "y_top": 0.68, ...}``
(``bplib.examples.SLIDE_QUANTITIES`` for Examples 2 and 3). The result has one line per quantity
saying *correct*, *not answered yet*, or what is wrong and why. Nothing the student types makes
it raise. How an answer is read, how close counts and how feedback prints are in
`bplib.checks._feedback`; how each number is judged (correct, following from an earlier wrong number,
too coarse, a known mistake, wrong) is in `bplib.checks._judging`; the mistakes recognised are in
`bplib.checks._mistakes`.
"""
import dataclasses
from collections.abc import Mapping

from .._validate import POSITIVE, count, declare, describe, instance_of, largest_input, matrix, one_of, real
from ..examples import Example, _decimals, _slide_rows
from ..network import Network
from . import expressions as _expr
from . import _mistakes
from ._feedback import NOT_ANSWERED, Feedback, Line, carried, half_unit, in_words, read_answer, unread
from ._judging import judge, judge_value

__all__ = ["reference", "check_example", "slide_table", "check", "values_reference"]


@dataclasses.dataclass(frozen=True)
class Reference:
    """What `check` compares an answer with: made by `reference` or `values_reference`, never by hand.

    A question about a network fills every field; a plain-number question (`values_reference`) has
    no expressions, order or slides, and may have hints and reminders of how a number is found.
    """
    title: str
    keys: list                 # the quantities asked, in the order the feedback lists them
    values: dict               # quantity -> exact value (and every given number)
    places: dict               # quantity -> the decimals it is judged to
    order: str = None          # "layerwise" or "simultaneous"; None for plain numbers
    expressions: dict = dataclasses.field(default_factory=dict)   # quantity -> Expression, in graph order
    slides: dict = dataclasses.field(default_factory=dict)        # quantity -> the slides' printed number
    given: dict = dataclasses.field(default_factory=dict)         # inputs, targets, weights, eta
    half_units: dict = dataclasses.field(default_factory=dict)    # quantity -> half a unit in its last decimal
    carry: dict = dataclasses.field(default_factory=dict)         # quantity -> what rounding its inputs can move it
    tolerance: dict = dataclasses.field(default_factory=dict)     # half_units + carry
    mistakes: dict = dataclasses.field(default_factory=dict)      # mistake name -> every value it gives
    other_expressions: dict = dataclasses.field(default_factory=dict)  # the expressions in the other order
    other_values: dict = dataclasses.field(default_factory=dict)  # and their values
    hints: dict = dataclasses.field(default_factory=dict)         # quantity -> [(wrong value, explanation)]
    how: dict = dataclasses.field(default_factory=dict)           # quantity -> how the number is found
    either: bool = False       # judged for `check_example`'s order="either": a mix of orders is named


# The exercise author's arguments are checked like the library's own (TypeError / ValueError naming
# the argument); only the student's answer is never allowed to raise.
EXAMPLE = instance_of(Example, "one of the lecture's examples (bplib.examples.example2() or example3())")
TEXT, DECIMALS = instance_of(str, "a text"), count(minimum=0)


def _keys(known):
    """None, or a list of quantity names, each one of ``known(arguments)``, the question's."""
    def check(name, keys, arguments):
        if keys is None:
            return None
        if isinstance(keys, str) or not isinstance(keys, (list, tuple)):
            raise TypeError(f"{name} must be a list of quantity names or None; received {describe(keys)}")
        if not all(isinstance(k, str) for k in keys):
            raise TypeError(f"{name} must be a list of quantity names (texts); received {describe(keys)}")
        unknown = [k for k in keys if k not in known(arguments)]
        if unknown:
            raise ValueError(f"{name} must name quantities of this question; received unknown {unknown!r:.200}")
        return list(keys)
    return check


def _mapping(of=None):
    """A dict (None: an empty one), its values instances of ``of`` where given."""
    def check(name, value, arguments):
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise TypeError(f"{name} must be a dict or None; received {describe(value)}")
        if of is not None and not all(isinstance(v, of) for v in value.values()):
            raise TypeError(f"{name} must map names to {of.__name__}; received {describe(value)}")
        return dict(value)
    return check


def _one_row(end):
    """x (``end`` 0) or t (-1): one row, with a number per unit of ``net``'s input or output layer."""
    return lambda name, value, arguments: matrix(name, value, rows=1, cols=arguments["net"].sizes[end])


@declare(guarded=False, net=instance_of(Network, "a bplib.Network"), x=_one_row(0), t=_one_row(-1),
         eta=POSITIVE, order=one_of("layerwise", "simultaneous"), slides=_mapping(of=str), decimals=DECIMALS,
         title=TEXT,  # structure: checked by the expressions written from it
         keys=_keys(lambda args: {e.key for e in _expr.all_expressions(args["structure"], args["order"])}))
def reference(structure, net, x, t, eta, order="layerwise", keys=None, slides=None, decimals=4, title="Your answer"):
    """Everything `check` needs for one question about ``net`` on one example ``x``, ``t``.

    ``keys`` are the quantities asked (default: every computed quantity), ``slides`` the slides'
    printed numbers (strings), ``decimals`` the precision asked where the slides give none.

    Tolerance of quantity q (``ref.tolerance``): half a unit in the last decimal the slides print for
    q (0.005 for 0.68; ``decimals`` where they print none), which is how far a correctly rounded
    answer can be from the exact value, plus how far rounding each of q's direct inputs to the
    slides' precision can move q, to first order: ``ref.carry[q]``, the terms
    ``|dq/dd| * half unit of d`` over q's inputs d, added in quadrature (independent roundings).
    A student who writes more decimals than the slides is held to half a unit of their own last
    decimal: 0.0082 claims more than 0.008. ``ref.tolerance`` is for inputs written as the slides print
    them; `check` recomputes the carry from the decimals the student wrote for each input, so
    y_top_2 computed from a z_top_2 written to four decimals has the room of four decimals, and
    a wrong z_top_2 buys it none.
    Errors from further back are not added: `check` recomputes q from the student's own
    earlier numbers, so a student who rounds as the slides do is judged on the step they did.
    The given numbers (inputs, weights, target, eta) are exact. For Example 2, delta_top may be
    0.0024 (exact 0.00241) but not 0.0027, the value the old output weight gives.
    """
    flipped = "simultaneous" if order == "layerwise" else "layerwise"
    expressions = _expr.all_expressions(structure, order)
    given = _expr.given_values(structure, net, x, t, eta)
    try:
        values = _expr.evaluate(expressions, given)
        other = {e.key: e for e in _expr.all_expressions(structure, flipped)}
        places = {e.key: _decimals(slides[e.key]) if e.key in slides else decimals for e in expressions}
        r = {e.key: half_unit(places[e.key]) for e in expressions}
        carry = {e.key: carried(e, values, lambda d: r.get(d, 0.0)) for e in expressions}
        wrong_ways = {m.name: _expr.evaluate(list(other.values()) if m.flip_order else expressions, given, m.rules)
                      for m in _mistakes.MISTAKES if _mistakes.applies(m, order)}
    except ValueError:  # a value overflowed on the way (the arithmetic is in Python floats)
        raise ValueError(f"the reference values overflowed: the numbers are too large for float arithmetic; the "
                         f"largest input is {largest_input({'x': x, 't': t, 'eta': eta, 'net': net.weights})}") from None
    return Reference(title=title, keys=keys or [e.key for e in expressions], values=values, places=places, order=order,
                     expressions={e.key: e for e in expressions}, slides=slides, given=given, half_units=r, carry=carry,
                     tolerance={k: r[k] + carry[k] for k in r}, mistakes=wrong_ways, other_expressions=other,
                     other_values=_expr.evaluate(list(other.values()), given))


ORDERS = {"layerwise": "the slides' order (output weights updated first)",
          "simultaneous": "the true gradient (old weights)"}


@declare(guarded=False, example=EXAMPLE, order=one_of("either", *ORDERS),
         keys=_keys(lambda args: set(args["example"].slides)))
def check_example(answer, example, order="either", keys=None):
    """Feedback on ``answer`` to one of the lecture's Examples 2 and 3 (``bplib.examples``).

    The hidden errors may be sent back through the updated output weights (the slides' order,
    ``"layerwise"``) or through the old ones (the true gradient, ``"simultaneous"``, chapters 7
    and 8); chapter 9 compares the two. With ``order="either"`` (the default) the whole answer is
    judged in each order and the feedback is the one of the order it matches best (more numbers
    that order accounts for: correct, following from an earlier number, too coarse, or a
    recognised slip; then more correct; on a tie, the order in which the earlier number is
    correct); its title names that order, and a hidden error in the other
    order than the rest of the answer is flagged as a mix. ``order="layerwise"`` or
    ``"simultaneous"`` accepts that order only. The result's ``order`` attribute is the order
    the answer was judged in (None where its numbers cannot tell the two apart).
    """
    asked = keys if keys is not None else list(example.slides) or None
    either, judged = order == "either", {}
    for o in ORDERS if either else [order]:
        title = f"your numbers follow {ORDERS[o]}" if either else ORDERS[o]
        ref = reference(example, example.net, example.x, example.t, example.eta, o, asked, example.slides,
                        title=f"{example.name}, {title}")
        judged[o] = check(answer, dataclasses.replace(ref, either=either))
    if either and [line.status for line in judged["layerwise"].lines] == [
            line.status for line in judged["simultaneous"].lines]:
        feedback = judged["layerwise"]
        judged_any = any(line.status in ("correct", "wrong", "follows", "coarse") for line in feedback.lines)
        feedback.title = f"{example.name}, either update order" + (
            " (your numbers do not tell the two apart yet)" if judged_any else "")
        return feedback
    best = max(judged, key=lambda o: _score(judged[o]))
    judged[best].order = best
    return judged[best]


def _score(feedback):
    """How well an answer fits the order it was judged in: first the numbers the order accounts for
    (correct, following from an earlier number, too coarse, or a recognised slip other than a mix of
    orders), then the correct ones, then which of them come first."""
    mixes = {m.name for m in _mistakes.MISTAKES if m.flip_order}
    explained = sum(bool(line.status in ("correct", "follows", "coarse")
                    or (line.status == "wrong" and line.mistake and line.mistake not in mixes)) for line in feedback.lines)
    correct = [line.status == "correct" for line in feedback.lines]
    return explained, sum(correct), tuple(correct)


@declare(guarded=False, example=EXAMPLE)
def slide_table(example):
    """Markdown table: each quantity as the slides print it, and exact under both update orders.

    Exact values get two more decimals than the slides print; * marks a slide number that is
    not the exact value correctly rounded, bold a true-gradient value that differs.
    """
    rows = ["| quantity | slides | exact, slides' order | exact, true gradient |", "|---|---|---|---|"]
    for row in _slide_rows(example):
        d = row.decimals + 2
        mine, true = f"{row.slides_order:.{d}f}", f"{row.true_gradient:.{d}f}"
        star = "" if row.agrees else " *"
        rows.append(f"| `{row.quantity}` | {row.printed}{star} | {mine} | {true if true == mine else f'**{true}**'} |")
    return "\n".join(rows)


@declare(guarded=False, ref=instance_of(Reference, "what bplib.checks.reference or values_reference returns"))
def check(answer, ref):
    """Feedback on ``answer`` (a dict of quantity -> number) against ``ref`` from `reference`."""
    try:
        return _check(answer, ref)
    except Exception as error:  # a last resort: feedback must never be a traceback
        return Feedback(ref.title, [Line("answer", "unreadable", f"the checker could not read this answer "
                                                                   f"({type(error).__name__}); check its format")])


def _check(answer, ref):
    if answer is Ellipsis:
        return Feedback(ref.title, [Line(k, "not answered", NOT_ANSWERED) for k in ref.keys])
    if not isinstance(answer, Mapping):
        return Feedback(ref.title, [Line("answer", "unreadable", (
            f"answer must be a dict with one entry per quantity, like {{\"{ref.keys[0]}\": ..., ...}}; "
            f"it is {in_words(answer)}"))])
    readings, lines, extra = read_answer(answer, ref.keys, known={*ref.expressions, *ref.given})
    numbers = {key: (r.number, r.places) for key, r in readings.items() if r.kind == "number"}
    lines.update({key: unread(key, r) for key, r in readings.items() if r.kind != "number"})
    for key in list(ref.expressions) + ref.keys:  # graph order: earlier quantities are judged first
        if key in numbers and key not in lines:
            judge_one = judge if key in ref.expressions else judge_value
            lines[key] = judge_one(key, *numbers[key], numbers, lines, ref)
    return Feedback(ref.title, [lines[k] for k in ref.keys] + extra)


def _exact_values(name, value, arguments):
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"{name} must be a non-empty dict from quantity names to exact numbers; "
                        f"received {describe(value)}")
    return {TEXT(f"{name}' keys", k, arguments): real(f"{name}[{k!r}]", v) for k, v in value.items()}


def _places(name, value, arguments):
    """The decimals asked of each quantity: one count for all, or a dict of them (4 where it has none)."""
    if isinstance(value, Mapping):
        return {k: DECIMALS(f"{name}[{k!r}]", value.get(k, 4), arguments) for k in arguments["values"]}
    return dict.fromkeys(arguments["values"], DECIMALS(name, value, arguments))


@declare(guarded=False, values=_exact_values, title=TEXT, decimals=_places, hints=_mapping(), how=_mapping(of=str))
def values_reference(values, title, decimals=4, hints=None, how=None):
    """A question whose answers are plain numbers (no network graph): ``values`` key -> exact.

    ``decimals`` (one int, or a dict per key) is the precision asked; ``hints`` maps a key to
    ``[(value, explanation), ...]`` for recognised wrong values; ``how`` a key to a reminder of
    how the number is found, shown when an answer is wrong for an unrecognised reason.
    """
    return Reference(title=title, keys=list(values), values=values, places=decimals, hints=hints, how=how)
