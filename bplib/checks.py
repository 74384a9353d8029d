"""The check cells' functions: is a student's answer to a backpropagation exercise right?

Each exercise's check cell calls one of these and prints the `Feedback` it returns:

- `check_example`, for the lecture's Examples 2 and 3 (exercises 2 and 3), and `slide_table`,
  their printed numbers beside exact arithmetic;
- `reference` then `check`, for a question about any network (Example 1 with numbers in
  exercise 1, the three-layer network of exercise 5);
- `check_function` (defined in `bplib.function_checks`), for the two functions written in
  exercise 4 (the sigmoid's derivative and the central difference), and `values_reference` then
  `check`, for its plain numbers.

An answer is a dict from quantity names to numbers, e.g. ``{"z_top": 0.755, "y_top": 0.68, ...}``
(``bplib.examples.SLIDE_QUANTITIES`` for Examples 2 and 3). The result has one line per quantity
saying *correct*, *not answered yet*, or what is wrong and why. Nothing the student types makes
it raise. How an answer is read, how close counts and how feedback prints are in
`bplib.feedback`; the mistakes recognised are in `bplib.mistakes`.

How a number is judged, in this order:

1. **correct** if within the quantity's tolerance of the exact value (see `reference`), or if it
   is the slides' printed number (with a note where the slides' number is off);
2. **follows from an earlier number**: recomputed from the student's *own* earlier numbers it
   agrees, so the mistake is upstream (correct, if those numbers were right but rounded);
3. **too coarse** if it is the exact value rounded to fewer decimals than the slides give;
4. **a known mistake** (`bplib.mistakes`) made at this step: the step is recomputed from the
   student's numbers with each mistake and compared;
5. **a known mistake carried from earlier**: the whole calculation rerun with the mistake;
6. otherwise **wrong**, with the formula it should follow.
"""
import difflib
from collections.abc import Mapping
from types import SimpleNamespace

from . import expressions as _expr
from . import mistakes as _mistakes
# Feedback, Line, read_number, NOT_ANSWERED and SYMBOLS are importable from here as before
from .feedback import NOT_ANSWERED, SYMBOLS, Feedback, Line, read_number
from .feedback import _FLOOR, _describe, _half_unit, _places, _quadrature, _sensitivities
# check_function (exercise 4's functions) lives in bplib.function_checks; importable from here as before
from .function_checks import check_function

# The re-exported names are listed so pyflakes knows they are meant; api.md documents each name
# once, in the module that defines it (its automodule for bplib.checks has :ignore-module-all:).
__all__ = [
    "reference", "check_example", "slide_table", "check", "values_reference",
    "check_function", "Feedback", "Line", "read_number", "NOT_ANSWERED", "SYMBOLS",
]


def reference(structure, net, x, t, eta, order="layerwise", keys=None, slides=None, decimals=4, title="Your answer"):
    """Everything `check` needs for one question about ``net`` on one example ``x``, ``t``.

    ``keys`` are the quantities asked (default: every computed quantity), ``slides`` the slides'
    printed numbers (strings), ``decimals`` the precision asked where the slides give none.

    Tolerance of quantity q (``ref.tol``): half a unit in the last decimal the slides print for
    q (0.005 for 0.68; ``decimals`` where they print none), which is how far a correctly rounded
    answer can be from the exact value, plus how far rounding each of q's direct inputs to the
    slides' precision can move q, to first order: ``ref.carry[q]``, the terms
    ``|dq/dd| * half unit of d`` over q's inputs d, added in quadrature (independent roundings).
    A student who writes more decimals than the slides is held to half a unit of their own last
    decimal (plus the same carry): 0.0082 claims more than 0.008.
    Errors from further back are not added: `check` recomputes q from the student's own
    earlier numbers, so a student who rounds as the slides do is judged on the step they did.
    The given numbers (inputs, weights, target, eta) are exact. For Example 2, delta_top may be
    0.0024 (exact 0.00241) but not 0.0027, the value the old output weight gives.
    """
    flipped = "simultaneous" if order == "layerwise" else "layerwise"
    expressions = _expr.all_expressions(structure, order)
    given = _expr.given_values(structure, net, x, t, eta)
    values = _expr.evaluate(expressions, given)
    other = {e.key: e for e in _expr.all_expressions(structure, flipped)}
    slides = dict(slides or {})
    places = {e.key: _places(slides[e.key]) if e.key in slides else decimals for e in expressions}
    r, carry = {}, {}
    for e in expressions:
        r[e.key] = _half_unit(places[e.key])
        s = _sensitivities(e, values, _expr.EVALUATORS[e.kind])
        carry[e.key] = _quadrature(s[d] * r.get(d, 0.0) for d in s)
    tol = {k: r[k] + carry[k] for k in r}
    wrong_ways = {}
    for m in _mistakes.MISTAKES:
        if _mistakes.applies(m, order):
            graph = list(other.values()) if m.flip_order else expressions
            wrong_ways[m.name] = _expr.evaluate(graph, given, m.rules)
    keys = list(keys) if keys is not None else [e.key for e in expressions]
    return SimpleNamespace(title=title, order=order, keys=keys, expressions={e.key: e for e in expressions},
                           other=other, given=given, values=values, places=places, r=r, carry=carry, tol=tol,
                           slides=slides, mistakes=wrong_ways, other_values=_expr.evaluate(list(other.values()), given))


def check_example(answer, example, order="layerwise", keys=None):
    """Feedback on ``answer`` to one of the lecture's Examples 2 and 3 (``bplib.examples``).

    ``order="layerwise"`` is the slides' order (output weights updated first, hidden errors sent
    back through the updated weights); ``"simultaneous"`` asks for the true gradient.
    """
    how = "the slides' order (output weights first)" if order == "layerwise" else "the true gradient"
    ref = reference(example, example.net, example.x, example.t, example.eta, order,
                    keys if keys is not None else list(example.slides) or None, example.slides,
                    title=f"{example.name}, {how}")
    return check(answer, ref)


def slide_table(example):
    """Markdown table: each quantity as the slides print it, and exact under both update orders.

    Exact values get two more decimals than the slides print; * marks a slide number that is
    not the exact value correctly rounded, bold a true-gradient value that differs.
    """
    ref = reference(example, example.net, example.x, example.t, example.eta, "layerwise", slides=example.slides)
    rows = ["| quantity | slides | exact, slides' order | exact, true gradient |", "|---|---|---|---|"]
    for key, slide in example.slides.items():
        d = ref.places[key] + 2
        mine, true = f"{ref.values[key]:.{d}f}", f"{ref.other_values[key]:.{d}f}"
        star = " *" if abs(float(slide) - ref.values[key]) > ref.r[key] + 1e-12 else ""
        rows.append(f"| `{key}` | {slide}{star} | {mine} | {true if true == mine else f'**{true}**'} |")
    return "\n".join(rows)


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
            f"it is {_describe(answer)}"))])
    numbers, lines = {}, {}
    for key in ref.keys:
        if key not in answer:
            lines[key] = Line(key, "missing", f"missing: add \"{key}\": ... to answer")
            continue
        kind, *read = read_number(answer[key])
        if kind == "ellipsis":
            lines[key] = Line(key, "not answered", NOT_ANSWERED)
        elif kind == "bad":
            lines[key] = Line(key, "unreadable", read[0])
        else:
            numbers[key] = read
    for key in list(ref.expressions) + ref.keys:  # graph order: earlier quantities are judged first
        if key in numbers and key not in lines:
            judge = _judge if key in ref.expressions else _judge_value
            lines[key] = judge(key, *numbers[key], numbers, lines, ref)
    extra = [_unknown(k, ref) for k in answer if k not in ref.keys]
    return Feedback(ref.title, [lines[k] for k in ref.keys] + extra)


def _unknown(key, ref):
    if not isinstance(key, str):
        return Line(repr(key)[:30], "unknown", "quantity names are text, like \"z_top\"; this key was ignored")
    if key in ref.expressions:
        return Line(key, "unknown", "not asked in this question; ignored")
    close = difflib.get_close_matches(key, ref.keys, n=1)
    hint = f"; did you mean \"{close[0]}\"?" if close else ""
    return Line(key[:30], "unknown", f"not a quantity of this question{hint}")


def _judge(key, v, places, numbers, lines, ref):
    """One `Line` for the student's number ``v`` (written with ``places`` decimals) for ``key``."""
    e, exact = ref.expressions[key], ref.values[key]
    tol = _half_unit(max(places, ref.places[key])) + ref.carry[key] + _FLOOR * max(1.0, abs(exact))
    wrote = f"you wrote {_shown(v, places)}"
    if abs(v - exact) <= tol:
        return Line(key, "correct", "correct" + _slide_note(key, ref))
    slide = ref.slides.get(key)
    if slide and abs(v - float(slide)) < 1e-12 and (ref.order == "layerwise" or _same_in_both(key, ref)):
        return Line(key, "correct", f"correct: this is the slides' {slide}, but unrounded it is "
                                    f"{_mistakes.fmt(exact)}, which rounds to {exact:.{ref.places[key]}f}")
    merged = {**ref.values, **{k: n[0] for k, n in numbers.items()}}
    own, slack, candidates = _from_own_numbers(e, merged, places, numbers, ref)
    ctx = SimpleNamespace(values=ref.values, slides=ref.slides, order=ref.order)
    seen = {line.mistake for line in lines.values()}
    hits = sorted((m is not None, m is not None and m.name not in seen, abs(v - value), i, m)
                  for i, (m, value) in enumerate(candidates) if abs(v - value) <= slack)
    # the correct rule first (the benefit of the doubt), then a mistake already made elsewhere
    if hits and hits[0][-1] is None:
        upstream = [d for d in _expr.dependencies(e) if d in lines and lines[d].status in ("wrong", "follows", "coarse")]
        if upstream:
            root = lines[upstream[0]].root or upstream[0]
            return Line(key, "follows", f"{wrote}, which is right for your {' and '.join(upstream)}: fix {root} "
                                        f"and this will follow", root=root)
        return Line(key, "correct", "correct, from your own rounded numbers")
    if places < ref.places[key] and abs(v - exact) <= 10.0 ** -places:
        return _coarse(key, wrote, places, ref)
    if hits:
        return Line(key, "wrong", f"{wrote}; {hits[0][-1].explain(e, ctx)}", hits[0][-1].name)
    known = sorted((abs(v - m[key]), name) for name, m in ref.mistakes.items()
                   if abs(v - m[key]) <= tol and abs(m[key] - exact) > tol)
    if known:
        m = next(m for m in _mistakes.MISTAKES if m.name == known[0][1])
        why = m.explain(e, ctx) if _mistakes.happens_at(m, e) else f"that is what you get if {m.summary}"
        return Line(key, "wrong", f"{wrote}; {why}", m.name)
    if abs(v + own) <= slack and abs(own) > slack:
        return Line(key, "wrong", f"{wrote}: the size is right but the sign is flipped", "sign")
    mine = [d for d in _expr.dependencies(e) if d in numbers]
    return Line(key, "wrong", f"{wrote}, which does not follow from {e.text}"
                              + (f" with your {', '.join(mine)}" if mine else ""))


def _from_own_numbers(e, merged, places, numbers, ref):
    """Recompute ``e`` from the student's own earlier numbers: the correct value, how far their
    rounding lets it move, and (mistake or None, value) for the correct rule and each mistake."""
    rule = _expr.EVALUATORS[e.kind]
    own = rule(merged, e)
    slack = _half_unit(max(places, ref.places[e.key])) + _FLOOR * max(1.0, abs(own)) + _quadrature(
        s * (_half_unit(numbers[d][1]) if d in numbers else ref.r.get(d, 0.0))
        for d, s in _sensitivities(e, merged, rule).items())
    candidates = [(None, own)]
    for m in _mistakes.MISTAKES:
        if _mistakes.applies(m, ref.order) and _mistakes.happens_at(m, e):
            candidates.append((m, rule(merged, ref.other[e.key]) if m.flip_order else m.rules[e.kind](merged, e)))
    return own, slack, candidates


def _coarse(key, wrote, places, ref):
    zero = " (Python drops a final 0: if you typed one, add a decimal)" if places == ref.places[key] - 1 else ""
    return Line(key, "coarse", f"{wrote}, too coarse to check: give {ref.places[key]} decimals or more{zero}")


def _same_in_both(key, ref):
    return abs(ref.values[key] - ref.other_values[key]) < 1e-12


def _slide_note(key, ref):
    """Where the slides' number is not the exact value correctly rounded, say why."""
    slide = ref.slides.get(key)
    if not slide or abs(float(slide) - ref.values[key]) <= ref.r[key] + 1e-12:
        return ""
    exact = _mistakes.fmt(ref.values[key])
    if ref.order != "layerwise" and not _same_in_both(key, ref):
        return f" (the slides' {slide} is for their update order; here the exact value is {exact})"
    return f" (the slides print {slide}; unrounded it is {exact})"


def _shown(v, places):
    return repr(v) if places <= 6 else _mistakes.fmt(v)


def values_reference(values, title, decimals=4, hints=None, how=None):
    """A question whose answers are plain numbers (no network graph): ``values`` key -> exact.

    ``decimals`` (one int, or a dict per key) is the precision asked; ``hints`` maps a key to
    ``[(value, explanation), ...]`` for recognised wrong values; ``how`` a key to a reminder of
    how the number is found, shown when an answer is wrong for an unrecognised reason.
    """
    places = {k: decimals.get(k, 4) if isinstance(decimals, dict) else decimals for k in values}
    return SimpleNamespace(title=title, order=None, keys=list(values), expressions={}, values=dict(values),
                           places=places, slides={}, hints=dict(hints or {}), how=dict(how or {}))


def _judge_value(key, v, places, numbers, lines, ref):
    exact = ref.values[key]
    tol = _half_unit(ref.places[key]) + _FLOOR * max(1.0, abs(exact))
    wrote = f"you wrote {_shown(v, places)}"
    if abs(v - exact) <= tol:
        return Line(key, "correct", "correct")
    if places < ref.places[key] and abs(v - exact) <= 10.0 ** -places:
        return _coarse(key, wrote, places, ref)
    for value, why in ref.hints.get(key, ()):
        if abs(v - value) <= tol:
            return Line(key, "wrong", f"{wrote}; {why}", "hint")
    if abs(v + exact) <= tol:
        return Line(key, "wrong", f"{wrote}: the size is right but the sign is flipped", "sign")
    return Line(key, "wrong", f"{wrote}, which is not it" + (f": {ref.how[key]}" if key in ref.how else ""))
