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

from .. import _validate
from ..examples import Example, _slide_rows
from ..network import Network
from . import expressions as _expr
from . import _mistakes
from ._feedback import NOT_ANSWERED, Feedback, Line, half_unit, in_words, places_in, quadrature, read_answer, sensitivities
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

def _example(example):
    if not isinstance(example, Example):
        raise TypeError(f"example must be one of the lecture's examples (bplib.examples.example2() or "
                        f"example3()); received {_validate.describe(example)}")
    return example


def _text(name, value):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a text; received {_validate.describe(value)}")
    return value


def _keys(keys, known):
    if keys is None:
        return None
    if isinstance(keys, str) or not isinstance(keys, (list, tuple)):
        raise TypeError(f"keys must be a list of quantity names or None; received {_validate.describe(keys)}")
    if not all(isinstance(k, str) for k in keys):
        raise TypeError(f"keys must be a list of quantity names (texts); received {_validate.describe(keys)}")
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValueError(f"keys must name quantities of this question; received unknown {unknown!r:.200}")
    return list(keys)


def _mapping(name, value, *, of=None):
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict or None; received {_validate.describe(value)}")
    if of is not None and not all(isinstance(v, of) for v in value.values()):
        raise TypeError(f"{name} must map names to {of.__name__ if isinstance(of, type) else 'values'}; "
                        f"received {_validate.describe(value)}")
    return dict(value)


def _decimals(name, value):
    return _validate.integer(name, value, minimum=0)


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
    if not isinstance(net, Network):
        raise TypeError(f"net must be a bplib.Network; received {_validate.describe(net)}")
    x = _validate.matrix("x", x, rows=1, cols=net.sizes[0])
    t = _validate.matrix("t", t, rows=1, cols=net.sizes[-1])
    eta = _validate.real("eta", eta, positive=True)
    _validate.choice("order", order, ("layerwise", "simultaneous"))
    slides, decimals, title = _mapping("slides", slides, of=str), _decimals("decimals", decimals), _text("title", title)
    if not (isinstance(structure, (list, tuple, Example)) or hasattr(structure, "hidden")):
        raise TypeError(f"structure must be an example (bplib.examples) or a list of layers of unit names; "
                        f"received {_validate.describe(structure)}")
    flipped = "simultaneous" if order == "layerwise" else "layerwise"
    expressions = _expr.all_expressions(structure, order)
    given = _expr.given_values(structure, net, x, t, eta)
    try:
        values = _expr.evaluate(expressions, given)
        other = {e.key: e for e in _expr.all_expressions(structure, flipped)}
        places = {e.key: places_in(slides[e.key]) if e.key in slides else decimals for e in expressions}
        r, carry = {}, {}
        for e in expressions:
            r[e.key] = half_unit(places[e.key])
            s = sensitivities(e, values, _expr.EVALUATORS[e.kind])
            carry[e.key] = quadrature(s[d] * r.get(d, 0.0) for d in s)
        wrong_ways = {}
        for m in _mistakes.MISTAKES:
            if _mistakes.applies(m, order):
                graph = list(other.values()) if m.flip_order else expressions
                wrong_ways[m.name] = _expr.evaluate(graph, given, m.rules)
    except ValueError:  # a value overflowed on the way (the arithmetic is in Python floats)
        raise ValueError(f"the reference values overflowed: the numbers are too large for float arithmetic; the "
                         f"largest input is {_validate.largest_input({'x': x, 't': t, 'eta': eta, 'net': net.weights})}") from None
    keys = _keys(keys, {e.key for e in expressions}) or [e.key for e in expressions]
    return Reference(title=title, keys=keys, values=values, places=places, order=order,
                     expressions={e.key: e for e in expressions}, slides=slides, given=given, half_units=r, carry=carry,
                     tolerance={k: r[k] + carry[k] for k in r}, mistakes=wrong_ways, other_expressions=other,
                     other_values=_expr.evaluate(list(other.values()), given))


ORDERS = {"layerwise": "the slides' order (output weights updated first)",
          "simultaneous": "the true gradient (old weights)"}


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
    example = _example(example)
    _validate.choice("order", order, ("either", *ORDERS))
    keys = _keys(keys, set(example.slides))
    asked = keys if keys is not None else list(example.slides) or None
    if order != "either":
        ref = reference(example, example.net, example.x, example.t, example.eta, order, asked, example.slides,
                        title=f"{example.name}, {ORDERS[order]}")
        feedback = check(answer, ref)
        feedback.order = order
        return feedback
    judged = {}
    for o in ORDERS:
        ref = reference(example, example.net, example.x, example.t, example.eta, o, asked, example.slides,
                        title=f"{example.name}, your numbers follow {ORDERS[o]}")
        judged[o] = check(answer, dataclasses.replace(ref, either=True))
    if [line.status for line in judged["layerwise"].lines] == [line.status for line in judged["simultaneous"].lines]:
        feedback = judged["layerwise"]
        judged_any = any(line.status in ("correct", "wrong", "follows", "coarse") for line in feedback.lines)
        feedback.title = f"{example.name}, either update order" + (
            " (your numbers do not tell the two apart yet)" if judged_any else "")
        return feedback
    best = max(ORDERS, key=lambda o: _score(judged[o]))
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


def slide_table(example):
    """Markdown table: each quantity as the slides print it, and exact under both update orders.

    Exact values get two more decimals than the slides print; * marks a slide number that is
    not the exact value correctly rounded, bold a true-gradient value that differs.
    """
    rows = ["| quantity | slides | exact, slides' order | exact, true gradient |", "|---|---|---|---|"]
    for row in _slide_rows(_example(example)):
        d = row.decimals + 2
        mine, true = f"{row.slides_order:.{d}f}", f"{row.true_gradient:.{d}f}"
        star = "" if row.agrees else " *"
        rows.append(f"| `{row.quantity}` | {row.printed}{star} | {mine} | {true if true == mine else f'**{true}**'} |")
    return "\n".join(rows)


def check(answer, ref):
    """Feedback on ``answer`` (a dict of quantity -> number) against ``ref`` from `reference`."""
    if not isinstance(ref, Reference):
        raise TypeError(f"ref must be what bplib.checks.reference or values_reference returns; received {_validate.describe(ref)}")
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
    numbers = {}
    for key, reading in readings.items():
        if reading.kind == "ellipsis":
            lines[key] = Line(key, "not answered", NOT_ANSWERED)
        elif reading.kind == "bad":
            lines[key] = Line(key, "unreadable", reading.why)
        else:
            numbers[key] = (reading.number, reading.places)
    for key in list(ref.expressions) + ref.keys:  # graph order: earlier quantities are judged first
        if key in numbers and key not in lines:
            judge_one = judge if key in ref.expressions else judge_value
            lines[key] = judge_one(key, *numbers[key], numbers, lines, ref)
    return Feedback(ref.title, [lines[k] for k in ref.keys] + extra)


def values_reference(values, title, decimals=4, hints=None, how=None):
    """A question whose answers are plain numbers (no network graph): ``values`` key -> exact.

    ``decimals`` (one int, or a dict per key) is the precision asked; ``hints`` maps a key to
    ``[(value, explanation), ...]`` for recognised wrong values; ``how`` a key to a reminder of
    how the number is found, shown when an answer is wrong for an unrecognised reason.
    """
    if not isinstance(values, Mapping) or not values:
        raise TypeError(f"values must be a non-empty dict from quantity names to exact numbers; "
                        f"received {_validate.describe(values)}")
    values = {_text("values' keys", k): _validate.real(f"values[{k!r}]", v) for k, v in values.items()}
    title = _text("title", title)
    if isinstance(decimals, Mapping):
        places = {k: _decimals(f"decimals[{k!r}]", decimals.get(k, 4)) for k in values}
    else:
        places = dict.fromkeys(values, _decimals("decimals", decimals))
    return Reference(title=title, keys=list(values), values=values, places=places, hints=_mapping("hints", hints),
                     how=_mapping("how", how, of=str))
