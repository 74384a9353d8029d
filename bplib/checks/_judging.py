"""How one student number is judged: correct, following from an earlier wrong number, too coarse, or wrong.

The precision policy, in one sentence (`POLICY`, quoted where feedback needs it): "to 4 decimals"
means the exact value rounded to 4 decimals, within one unit of the last decimal for a number
computed from your own rounded earlier numbers; fewer decimals than asked is too coarse (never
correct) when it is the exact value rounded to the decimals written, and wrong otherwise; a wrong
number is wrong whatever its last digits; a number that follows correctly from a wrong earlier
number is marked as following from it, not correct; and a number that is the exact value cut off
instead of rounded is named as truncated, one rounded the wrong way (one unit off in its last
decimal, and no rounding of the student's own numbers explains it) as misrounded.

What "your own rounded numbers" allow: the numbers the student wrote, each as far as half a unit
of its last decimal; a quantity they did not write (z in exercises 1 and 5) only as far as rounding
it to the decimals asked or more moves its value (none for an exact z = 0.3). A number with fewer than 7
significant digits is taken as exactly what was typed; only one with more (computed by code, in
float32 at worst) is allowed float noise (`_floor`).

`bplib.checks.check` reads a student's answer and hands each number here, earliest quantity
first: `judge` for a quantity of a network (exercises 1, 2, 3 and 5, through `check_example` or
`reference`), `judge_value` for a plain number (exercise 4's, through `values_reference`). Each
returns one `Line` (``bplib.checks._feedback``) saying *correct* or what is wrong and why. The tolerances
are `bplib.checks._feedback`'s, the recognised mistakes `bplib.checks._mistakes`'s.

How a number is judged, in this order:

1. **correct** if within the quantity's tolerance of the exact value: half a unit in its last
   decimal (at least the decimals asked), plus how far rounding its direct inputs can move it,
   at most another half unit (one unit in all), each input the student wrote taken at the
   precision they wrote it, never coarser than asked (a z_top_2 written to four decimals leaves
   y_top_2 little room, a wrong one none); or if it is the slides' printed number (with a note where the slides' number
   is off). A number written with fewer decimals than asked is correct only where it is the exact
   value rounded to the decimals asked, its final zeros dropped by Python (0.475 for 0.4750);
2. **too coarse** if it has fewer decimals than asked and is the exact value rounded to the
   decimals written (within the same one unit); it is counted apart from the numbers to fix. A
   coarse number that is not the exact value rounded is judged like any other (3 to 6);
3. **follows from an earlier number**: recomputed from the student's *own* earlier numbers it
   agrees (at the decimals written, where those are fewer than asked), so the mistake is
   upstream. A quantity the question does not ask (z in exercises 1 and 5) or not answered yet
   is recomputed from the student's numbers on the way. Where the only earlier numbers off are
   too coarse, the number is correct (computed from them as written), or too coarse itself;
   **truncated** where it is the exact value (or the one the student's numbers give) cut off
   after its last decimal instead of rounded, **misrounded** where it is one unit off in its last
   decimal;
4. **a known mistake** (`bplib.checks._mistakes`) made at this step: the step is recomputed from the
   student's numbers with each mistake and compared;
5. **a known mistake carried from earlier**: the whole calculation rerun with the mistake, unless
   the student got right every earlier step where that mistake would have been made, or a number
   it would have spoiled;
6. otherwise **wrong**, with the formula it should follow.

A plain number (`judge_value`) is correct within half a unit of its last decimal (at least the
decimals asked), as a quantity of a network is; otherwise truncated or misrounded,
too coarse (the exact value rounded to fewer decimals), one of the question's recognised wrong
values (its hints), the right size with the wrong sign, or wrong.
"""
import math

from . import expressions as _expr
from . import _mistakes
from ._feedback import FLOOR, Line, carried, half_unit, quadrature, slope

POLICY = "to {n} decimals means the exact value rounded to {n} decimals"   # quoted in the feedback


def judge(key, v, places, numbers, lines, ref):
    """One `Line` for the student's number ``v`` (written with ``places`` decimals) for ``key``."""
    e, exact, asked = ref.expressions[key], ref.values[key], ref.places[key]
    at = max(places, asked)
    carry = _carry(e, numbers, lines, ref)
    tol = half_unit(at) + min(carry, half_unit(at)) + _floor(exact, v, places)
    wrote = f"you wrote {_shown(v, places)}"
    if abs(v - exact) <= tol:  # fewer decimals than asked: judged as if written to them (0.7592 = 0.75920)
        return Line(key, "correct", "correct" + _slide_note(key, ref))
    slide = ref.slides.get(key)
    if slide and abs(v - float(slide)) < 1e-12 and (ref.order == "layerwise" or _same_in_both(key, ref)):
        return Line(key, "correct", f"correct: this is the slides' {slide}, but unrounded it is "
                                    f"{_mistakes.fmt(exact)}, which rounds to {exact:.{asked}f}")
    world = own_world(ref, numbers)
    inner, mine = _chain(key, ref, numbers)
    own, slack, candidates = _from_own_numbers(e, world, inner, mine, (v, places), numbers, ref)
    seen = {line.mistake for line in lines.values()}
    hits = sorted((m is not None, m is not None and m.name not in seen, abs(v - value), i, m)
                  for i, (m, value) in enumerate(candidates) if abs(v - value) <= slack)
    right = bool(hits) and hits[0][-1] is None  # at the decimals asked (0.7592 read as 0.75920)
    if places < asked and not right:
        if abs(v - exact) <= half_unit(places) + min(carry, half_unit(places)) + _floor(exact, v, places):
            return _coarse(key, wrote, v, places, ref)
        if abs(v - own) <= slack + half_unit(places) - half_unit(asked):  # their own value, rounded coarser
            hits.insert(0, (False, False, abs(v - own), -1, None))
    # the correct rule first (the benefit of the doubt), then a mistake already made elsewhere
    if hits and hits[0][-1] is None:
        upstream = [d for d in mine if d in lines and lines[d].status in ("wrong", "follows")]
        coarse = [d for d in mine if d in lines and lines[d].status == "coarse"]
        if upstream:  # the earliest wrong numbers behind every flagged input (Line.root: names, space-separated)
            roots = list(dict.fromkeys(r for d in upstream for r in (lines[d].root or d).split()))
            return Line(key, "follows", f"{wrote}, which is right for your {_and(upstream)}{_via(inner)}: "
                                        f"fix {_and(roots)} and this will follow", root=" ".join(roots))
        if not right:  # right for the student's numbers, but written too coarse
            return _coarse(key, wrote, v, places, ref)
        if coarse:  # a too-coarse number does not make what is rightly computed from it wrong
            return Line(key, "correct", f"correct for your rounded {_and(coarse)}")
        return Line(key, "correct", "correct, from your own rounded numbers")
    for slip in (_truncated,) if hits else (_truncated, _misrounded):
        line = (slip(key, wrote, v, places, exact, asked)
                or slip(key, wrote, v, places, own, asked, "the value your own numbers give"))
        if line:
            return line
    if hits:
        return Line(key, "wrong", f"{wrote}; {hits[0][-1].explain(e, ref)}", hits[0][-1].name)
    before, _ = _chain(key, ref, {})  # every quantity key is computed from
    known = sorted((abs(v - m[key]), name) for name, m in ref.mistakes.items()
                   if abs(v - m[key]) <= tol and abs(m[key] - exact) > tol and not _ruled_out(name, before, lines, ref))
    if known:
        m = next(m for m in _mistakes.MISTAKES if m.name == known[0][1])
        why = m.explain(e, ref) if _mistakes.happens_at(m, e) else f"that is what you get if {m.summary}"
        return Line(key, "wrong", f"{wrote}; {why}", m.name)
    if abs(v + own) <= slack and abs(own) > slack:
        return Line(key, "wrong", f"{wrote}: the size is right but the sign is flipped", "sign")
    return Line(key, "wrong", f"{wrote}, which does not follow from {e.text}"
                              + (f" with your {', '.join(mine)}{_via(inner)}" if mine else ""))


def _ruled_out(name, before, lines, ref):
    """A mistake carried from earlier is not the explanation when the student's own numbers show they
    did not make it: they got right every earlier quantity where it would have been made, or a number
    it would have spoiled (delta_top, beside a delta_bottom with its sign flipped)."""
    m = next(m for m in _mistakes.MISTAKES if m.name == name)
    where = [k for k in before if _mistakes.happens_at(m, ref.expressions[k])]
    if where and all(k in lines and lines[k].status == "correct" for k in where):
        return True
    spoiled = ref.mistakes[name]
    return any(line.status == "correct" and k in spoiled and abs(spoiled[k] - ref.values[k]) > ref.tolerance[k]
               for k, line in lines.items())


def _and(keys):
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} and {keys[-1]}"


def _via(inner):
    return f" (through {', '.join(inner)}, computed from them)" if inner else ""


def own_world(ref, numbers):
    """Every quantity of the question as the student's own numbers make it: their number where they
    gave one, otherwise computed by the correct rule from the numbers before it (a quantity the
    question does not ask, such as z in exercises 1 and 5, or one not answered yet)."""
    values = dict(ref.given)
    for k, e in ref.expressions.items():
        values[k] = numbers[k][0] if k in numbers else _expr.EVALUATORS[e.kind](values, e)
    return values


def _chain(key, ref, numbers):
    """The quantities recomputed on the way to ``key`` (its unanswered computed ancestors, in graph
    order; with no ``numbers``, every quantity it is computed from, directly or not) and the student's
    numbers they start from (``key``'s own inputs, as far back as needed)."""
    inner, mine = set(), []

    def visit(k):
        for d in _expr.dependencies(ref.expressions[k]):
            if d in numbers:
                if d not in mine:
                    mine.append(d)
            elif d in ref.expressions and d not in inner:
                inner.add(d)
                visit(d)

    visit(key)
    return [k for k in ref.expressions if k in inner], mine


def _carry(e, numbers, lines, ref):
    """How far rounding ``e``'s direct inputs can move it: each input the student wrote at the
    precision they wrote it, never coarser than asked (`_room`), a wrong one not at all (its
    error is not rounding), the others as far as rounding their exact values can move them."""
    def room(d):
        if d in lines and lines[d].status in ("wrong", "follows"):
            return 0.0
        return _room(d, numbers, ref, ref.values.get(d))
    return carried(e, ref.values, room)


def _room(d, numbers, ref, value=None):
    """How far the student's rounding of ``d`` can move it: half a unit of the decimals they wrote,
    but no more than of the decimals asked (a number written coarser is used as written, and buys
    what is computed from it no extra room). Where they wrote none, ``d`` (its value ``value``) is
    taken as rounded to the decimals asked or more: as far as that moves this very value, so an
    exact 0.3 has no room at all (0.5745 is not sigmoid(0.3) = 0.574443 rounded)."""
    if d not in numbers:
        if value is None or d not in ref.places:
            return ref.half_units.get(d, 0.0)
        return max(abs(value - round(value, p)) for p in range(ref.places[d], 16))
    return half_unit(max(numbers[d][1], ref.places.get(d, 0)))


def _from_own_numbers(e, world, inner, mine, written, numbers, ref):
    """Recompute ``e`` from the student's own earlier numbers (through the quantities in ``inner``
    they did not write): the correct value, how far their rounding lets it move, and (mistake or None,
    value) for the correct rule and each mistake. ``written``: the student's number and its decimals."""
    number, places = written
    steps = [ref.expressions[k] for k in inner]

    def through(changes, rule=_expr.EVALUATORS[e.kind], expression=e):
        v = dict(world)
        for k in mine:
            v[k] += changes.get(k, 0.0)
        for x in steps:
            v[x.key] = _expr.EVALUATORS[x.kind](v, x) + changes.get(x.key, 0.0)
        return rule(v, expression)

    own = through({})
    rounding = [(k, _room(k, numbers, ref)) for k in mine] + [(k, _room(k, numbers, ref, world[k])) for k in inner]
    terms = [slope(lambda h: through({k: h}), world[k]) * r for k, r in rounding]
    slack = half_unit(max(places, ref.places[e.key])) + _floor(own, number, places) + quadrature(terms)
    flipped = ref.other_expressions[e.key]
    return own, slack, [(None, own)] + [
        (m, through({}, _expr.EVALUATORS[flipped.kind], flipped) if m.flip_order else through({}, m.rules[e.kind]))
        for m in _mistakes.MISTAKES if _mistakes.applies(m, ref.order) and _mistakes.happens_at(m, e)]


def _floor(value, v, places):
    """The float noise the student's ``v`` may carry: one with 7 significant digits or more came from
    code (float32 at worst, `FLOOR`); one with fewer was typed, and is exactly what was typed."""
    digits = places + math.floor(math.log10(abs(v))) + 1 if v else 0
    return (FLOOR if digits >= 7 else 1e-12) * max(1.0, abs(value))


def _coarse(key, wrote, v, places, ref, later=True):
    """Fewer decimals than asked, and the exact value (or the student's own) rounded to them. Typed
    with final zeros up to the decimals asked (0.53280), the number would not be right either:
    Python drops those zeros, so the feedback says so instead of asking for a decimal."""
    n = ref.places[key]
    then = "; numbers you computed from it are judged from it as you wrote it" if later else ""
    zeros = f"; if you typed {v:.{n}f}: Python drops final zeros, and {v:.{n}f} is not it either" if places < n else ""
    return Line(key, "coarse", f"{wrote}, too coarse to check: give {n} decimals or more "
                               f"({POLICY.format(n=n)}){zeros}{then}")


def _truncated(key, wrote, v, places, value, asked, what="the exact value"):
    """A `Line` naming ``v`` as ``value`` cut off after its last decimal instead of rounded, or None.
    Only for a number given to the decimals asked or more: a coarser one is too coarse or wrong."""
    if places < max(1, asked) or places > 15:  # past 15 decimals a double holds no cut-off digits
        return None
    scale = 10.0 ** places
    cut, rounded = math.trunc(value * scale) / scale, round(value, places)
    if abs(v - cut) > FLOOR * max(1.0, abs(value)) * 1e-3 or abs(cut - rounded) < 0.5 / scale:
        return None
    return Line(key, "wrong", f"{wrote}: that is {what}, {value:.{places + 2}f}, cut off after {places} decimals; "
                              f"rounded, it is {rounded:.{places}f} (to {places} decimals means rounded, not cut off)",
                "truncated")


def _misrounded(key, wrote, v, places, value, asked, what="the exact value"):
    """A `Line` naming ``v`` as ``value`` rounded the wrong way (one unit off in the last decimal
    written), or None. Only for a number given to the decimals asked or more."""
    if places < max(1, asked) or places > 15 or abs(v - value) > 2 * half_unit(places) + 1e-12 * max(1.0, abs(v)):
        return None
    rounded = round(value, places)
    return Line(key, "wrong", f"{wrote}: one unit off in the last decimal; {what}, {value:.{places + 2}f}, rounds "
                              f"to {rounded:.{places}f} ({POLICY.format(n=places)})", "rounding")


def _same_in_both(key, ref):
    return abs(ref.values[key] - ref.other_values[key]) < 1e-12


def _slide_note(key, ref):
    """Where the slides' number is not the exact value correctly rounded, say why."""
    slide = ref.slides.get(key)
    if not slide or abs(float(slide) - ref.values[key]) <= ref.half_units[key] + 1e-12:
        return ""
    exact = _mistakes.fmt(ref.values[key])
    if ref.order != "layerwise" and not _same_in_both(key, ref):
        return f" (the slides' {slide} is for their update order; here the exact value is {exact})"
    return f" (the slides print {slide}; unrounded it is {exact})"


def _shown(v, places):
    return repr(v) if places <= 6 else _mistakes.fmt(v)


def judge_value(key, v, places, numbers, lines, ref):
    exact, asked = ref.values[key], ref.places[key]
    tol = half_unit(max(places, asked)) + _floor(exact, v, places)  # more decimals than asked: held to them
    wrote = f"you wrote {_shown(v, places)}"
    if abs(v - exact) <= tol:
        return Line(key, "correct", "correct")
    cut = _truncated(key, wrote, v, places, exact, asked) or _misrounded(key, wrote, v, places, exact, asked)
    if cut:
        return cut
    if places < asked and abs(v - exact) <= half_unit(places) + _floor(exact, v, places):
        return _coarse(key, wrote, v, places, ref, later=False)
    for value, why in ref.hints.get(key, ()):
        if abs(v - value) <= tol:
            return Line(key, "wrong", f"{wrote}; {why}", "hint")
    if abs(v + exact) <= tol:
        return Line(key, "wrong", f"{wrote}: the size is right but the sign is flipped", "sign")
    return Line(key, "wrong", f"{wrote}, which is not it" + (f": {ref.how[key]}" if key in ref.how else ""))
