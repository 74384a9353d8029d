"""How one student number is judged: correct, following from an earlier wrong number, too coarse, or wrong.

`bplib.checks.check` reads a student's answer and hands each number here, earliest quantity
first: `judge` for a quantity of a network (exercises 1, 2, 3 and 5, through `check_example` or
`reference`), `judge_value` for a plain number (exercise 4's, through `values_reference`). Each
returns one `Line` (``bplib.checks._feedback``) saying *correct* or what is wrong and why. The tolerances
are `bplib.checks._feedback`'s, the recognised mistakes `bplib.checks._mistakes`'s.

How a number is judged, in this order:

1. **correct** if within the quantity's tolerance of the exact value (see
   `bplib.checks.reference`), or if it is the slides' printed number (with a note where the
   slides' number is off);
2. **follows from an earlier number**: recomputed from the student's *own* earlier numbers it
   agrees, so the mistake is upstream (correct, if those numbers were right but rounded);
3. **too coarse** if it is the exact value rounded to fewer decimals than the slides give;
4. **a known mistake** (`bplib.checks._mistakes`) made at this step: the step is recomputed from the
   student's numbers with each mistake and compared;
5. **a known mistake carried from earlier**: the whole calculation rerun with the mistake;
6. otherwise **wrong**, with the formula it should follow.

A plain number (`judge_value`) is correct within half a unit of the decimals asked, too coarse,
one of the question's recognised wrong values (its hints), the right size with the wrong sign,
or wrong.
"""
from types import SimpleNamespace

from . import expressions as _expr
from . import _mistakes
from ._feedback import FLOOR, Line, half_unit, quadrature, sensitivities


def judge(key, v, places, numbers, lines, ref):
    """One `Line` for the student's number ``v`` (written with ``places`` decimals) for ``key``."""
    e, exact = ref.expressions[key], ref.values[key]
    tol = half_unit(max(places, ref.places[key])) + ref.carry[key] + FLOOR * max(1.0, abs(exact))
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
    slack = half_unit(max(places, ref.places[e.key])) + FLOOR * max(1.0, abs(own)) + quadrature(
        s * (half_unit(numbers[d][1]) if d in numbers else ref.r.get(d, 0.0))
        for d, s in sensitivities(e, merged, rule).items())
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


def judge_value(key, v, places, numbers, lines, ref):
    exact = ref.values[key]
    tol = half_unit(ref.places[key]) + FLOOR * max(1.0, abs(exact))
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
