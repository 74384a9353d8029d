"""Checking a student's gradient check (exercise 6): `check_numerical_gradients` and `check_agreement`.

Exercise 6 asks for ``numerical_gradients(E, arrays, eps)``, central differences
(E(w + eps) - E(w - eps)) / (2 eps) for every entry w of every array (chapter 8; exercise 4 did
one number), and for the relative error ||a - n|| / (||a|| + ||n||) between the student's
backward pass a and those estimates n. `check_numerical_gradients` runs the student's function on
two test functions (on the arrays its E() reads, compared afterwards) and names the usual slips,
estimates of a copy (all 0), an integer array for the estimates, a rounding, a missing bracket and
a matrix nudged a row at a time among them; `check_agreement` says what the measured relative error
means, and that exactly 0 compares a gradient with itself. Neither raises on anything the student wrote.
"""
import math
from collections.abc import Mapping

import numpy as np

from ..gradient_check import numerical_gradient
from .._validate import declare
from ._backward import BAD, GOOD, _arrays, _close, function_name
from ._calls import call, raised
from ._feedback import NOT_ANSWERED, Feedback, Line, function_line, read_answer, read_number, unread

__all__ = ["check_numerical_gradients", "check_agreement"]


def _central(E, arrays, eps, slip=None):
    """Central differences of E() for every entry of every array (nudged in place), or the
    version with one of the usual slips (what a student who made it would get)."""
    if slip is None:
        return [numerical_gradient(E, A, eps) for A in arrays]
    out = []
    for A in arrays:
        g = np.zeros_like(A)
        # "rows": the loop as a student writes it with range(len(A)): for a matrix, A[i] is a whole row,
        # and saved = A[i] a view that moves with it
        for index in np.ndindex(A.shape[:1] if slip == "rows" else A.shape):
            saved = A[index]
            if slip == "whole_array":
                A += eps
                plus = E()
                A -= 2 * eps
                minus = E()
                A += eps
                g[index] = (plus - minus) / (2 * eps)
                continue
            A[index] = saved + eps
            plus = E()
            A[index] = saved if slip == "forward" else saved - eps
            minus = E()
            if slip != "not_restored":
                A[index] = saved
            g[index] = (plus - minus / (2 * eps) if slip == "precedence" else
                        (plus - minus) / (eps if slip in ("forward", "no_two") else 2 * eps))
        out.append(g)
    return out


DIFF_MISTAKES = {
    "forward": "this is the one-sided difference (E(w + eps) - E(w)) / eps, whose error shrinks only like eps; "
               "use both neighbours: (E(w + eps) - E(w - eps)) / (2 eps)",
    "no_two": "twice too large: w + eps and w - eps are 2 eps apart, so divide by 2 eps",
    "not_restored": "an entry was not put back after it was nudged, so every later estimate is taken at "
                    "shifted weights: save the entry and restore it",
    "whole_array": "the whole array was nudged at once; each entry needs its own nudge, the others left as they are",
    "rows": "A[i] of a matrix is a whole row, so each row was nudged at once (and saved = A[i] is a view of it, "
            "which moves with it); nudge one entry at a time, A[index] for index in np.ndindex(A.shape)",
    "precedence": "precedence: Python reads E_plus - E_minus / (2 * eps) as E_plus - (E_minus / (2 * eps)); put "
                  "the difference in brackets, (E_plus - E_minus) / (2 * eps)",
}


_RNG = np.random.default_rng(7)
_A, _B, _C = _RNG.normal(size=(2, 3)), _RNG.normal(size=3), _RNG.normal(size=(2, 3))
EPSILONS = (1e-3, 1e-2)  # the steps the student's function is tried with


def _make():
    """The test function E() and the arrays it reads, fresh copies of ``_A`` and ``_B``."""
    arrays = [_A.copy(), _B.copy()]
    E = lambda: float(np.sum(np.sin(arrays[0]) * _C) + np.sum(arrays[1] ** 3) + np.sum(arrays[0]) * np.sum(arrays[1]) ** 2)
    return E, arrays


@declare(guarded=False, name=function_name)
def check_numerical_gradients(fn, name="numerical_gradients"):
    """Feedback on a student's ``fn(E, arrays, eps)``: central differences
    (E(w + eps) - E(w - eps)) / (2 eps) for every entry w of every array in ``arrays``, where E()
    reads the arrays, which ``fn`` nudges in place and restores. Returns one array per array.
    The one-sided difference, a missing 2, an entry left nudged and a whole array nudged at once
    are named (chapter 8; exercise 6)."""
    line = function_line(name, fn, "E, arrays, eps", lambda fn: _judge_differences(name, fn))
    return Feedback(f"Your {name}", [line], todo="Replace the ... with your code")


def _judge_differences(key, fn):
    for eps in EPSILONS:
        E, arrays = _make()  # E() reads these very arrays: the student's function gets them, not copies
        done = call(fn, (E, arrays, eps), ("E", "arrays", "eps"), fresh=True)
        if done.error is not None:
            return Line(key, "unreadable", f"calling it raised {raised(done.error)}")
        if done.result is Ellipsis:
            return Line(key, "not answered", NOT_ANSWERED)
        if done.result is None:
            return Line(key, "unreadable", "it returned None: did it forget to return its estimates?")
        got = _arrays("the result", done.result, len(arrays))
        if isinstance(got, str):
            return Line(key, "unreadable", got.replace("per layer", "per array") + " (one estimate per array given)")
        want = _central(*_make(), eps)
        for k, (g, w) in enumerate(zip(got, want)):
            if g.shape != w.shape:
                return Line(key, "wrong", f"estimate {k} has shape {g.shape}; expected {w.shape}, the shape of arrays[{k}]")
        right = all(_close(g, w) for g, w in zip(got, want))
        line = _changed(key, done.change, right, eps) or _nudged_copy(key, got, want)
        if line is not None:
            return line
        if right:
            continue
        whole = next((k for k, a in enumerate(done.result) if np.asarray(a).dtype.kind in "iub"), None)
        if whole is not None:
            return Line(key, "wrong", f"estimate {whole} is an array of whole numbers, which cuts off every estimate "
                                      f"(np.zeros(A.shape, dtype=int)?): make it an array of floats, "
                                      f"np.zeros_like(A) or dtype=float", "integer")
        decimals = next((d for d in range(1, 9) if all(
            np.allclose(g, np.round(w, d), rtol=0, atol=1e-12) for g, w in zip(got, want))), None)
        if decimals is not None:
            return Line(key, "wrong", f"the estimates are the central differences rounded to {decimals} decimals: "
                                      f"return them unrounded (round only where you print)", "rounded")
        for slip, why in DIFF_MISTAKES.items():
            if all(_close(g, w) for g, w in zip(got, _central(*_make(), eps, slip))):
                return Line(key, "wrong", f"with eps = {eps:g}: {why}", slip)
        if all(np.allclose(g, w, rtol=1e-3) for g, w in zip(got, _central(*_make(), 1e-6))):
            return Line(key, "wrong", f"with eps = {eps:g} the estimates are close to the derivatives, but not "
                                      f"taken with the step it was given; use the argument eps")
        return Line(key, "wrong", f"with eps = {eps:g} the estimates are not the central differences")
    return Line(key, "correct", f"correct on {len(EPSILONS)} test functions")


def _changed(key, change, right, eps):
    """The line for arrays left changed: an entry not put back, or the list itself reordered."""
    if change is None:
        return None
    if change.where != "arrays":  # an entry's value: nudged and not put back
        if right:
            return Line(key, "wrong", f"the estimates are right, but {change.where} was left changed: restore "
                                      f"every entry after nudging it", "not_restored")
        return Line(key, "wrong", f"with eps = {eps:g}: {DIFF_MISTAKES['not_restored']}", "not_restored")
    return Line(key, "wrong", f"it {change.sentence}", "changed_input")


def _nudged_copy(key, got, want):
    if any(np.any(g) for g in got) or not any(np.any(w) for w in want):
        return None
    return Line(key, "wrong", "every estimate is 0: E() gave the same value for w + eps and w - eps, so the nudges "
                              "never reached the arrays E() reads. Nudge the arrays in the list itself (A[index] = "
                              "saved + eps for A in arrays), not a copy of them (A.copy(), np.array(A))", "nudged_copy")


@declare(guarded=False, name=function_name)
def check_agreement(relative_error, name="relative_error"):
    """Feedback on the relative error ||a - n|| / (||a|| + ||n||) a student measured between their
    backward pass (a) and their central differences (n): below 1e-7 they agree (float64, eps
    about 1e-6); above 1e-4 one of them is wrong; in between, the step or the precision is off;
    exactly 0 compares something with itself. ``relative_error`` is the number, or the student's
    answer dict, read at the key ``name`` (missing and misspelt keys are told, never raised)."""
    readings, missing, extra = (read_answer(relative_error, [name]) if isinstance(relative_error, Mapping)
                                else ({name: read_number(relative_error)}, {}, []))
    line = missing[name] if missing else _judge_agreement(name, readings[name])
    return Feedback(f"Your {name}", [line, *extra], todo=TODO)


TODO = "Replace the ... with your relative error"


def _power(x):
    """1e-07 as the lecture writes it: 1e-7."""
    return f"1e{round(math.log10(x))}"


def _judge_agreement(name, read):
    if read.kind != "number":
        return unread(name, read)
    if not 0 <= read.number <= 1:
        return Line(name, "wrong", f"{read.number:.3g} cannot be a relative error, which lies between 0 and 1: "
                                   f"divide ||a - n|| by ||a|| + ||n||, norms of all the gradients together")
    if read.number == 0:
        return Line(name, "wrong", "exactly 0: central differences never agree with a backward pass to the last "
                                   "digit, so this compares a gradient with itself. Compare your backward's dW + db "
                                   "with the estimates of numerical_gradients", "compared_with_itself")
    if read.number < GOOD:
        # no digits here: below GOOD they are rounding noise, different on another processor
        return Line(name, "correct", f"below {_power(GOOD)}: your backward pass and your central differences agree")
    if read.number > BAD:
        return Line(name, "wrong", f"{read.number:.1e} is above {_power(BAD)}: the two disagree, so one of them is "
                                   f"wrong; fix what the checks above name. If they call both right, a function may "
                                   f"have changed weights, X or T in place: run the cells again from the one that "
                                   f"makes them")
    return Line(name, "wrong", f"{read.number:.1e} lies between {_power(GOOD)} and {_power(BAD)}: too large for a "
                               f"right gradient in float64, too small for a wrong formula; use eps about 1e-6 and "
                               f"float64 arrays")
