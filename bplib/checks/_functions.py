"""Checking a student's *function*, not a number: `check_function`.

Exercise 4 (exercises/ex4_sigmoid_gradcheck.ipynb, the sigmoid's derivative and gradient
checking) asks for two functions, ``sigmoid_prime`` (written from the output y) and
``central_difference`` ``(f, w, eps)``. `check_function` calls the student's function on a few
sample inputs and compares what it returns with a reference implementation and with the
mistaken versions in `bplib.checks._mistakes.FUNCTION_MISTAKES`, and returns a one-line `Feedback`.
It never raises: a function that raises, returns None or returns no numbers (text, truth values,
lists of text) gets a line saying so, and one that changes its argument in place
(``y *= 1 - y``) is told so (`bplib.checks._calls`).

The test inputs expose the commonest slips: none of the results is round to a few decimals, so a
``round(..., 4)`` inside the function shows; eps is not 1, so ``/ 2*eps`` (which Python reads as
``(... / 2) * eps``) differs from ``/ (2*eps)``. A result in float32 is compared with a float32
tolerance (`_rtol`). For the first input where the function is off, the feedback shows the
input, the value expected and the value returned, and names the slip where it recognises one
(rounding inside the function, on every input, precedence, a sign, a one-sided difference, floor
division, a nudge of f's value instead of its input).

The exercise's plain-number questions go through `bplib.checks.values_reference` and
`bplib.checks.check`; `bplib.checks` re-exports `check_function`, so check cells call
``checks.check_function`` as before.
"""
import numpy as np

from . import _mistakes
from .._validate import declare, one_of
from ._calls import call, raised
from ._feedback import NOT_ANSWERED, Feedback, Line, function_line, in_words


# name -> (the right function, argument tuples to try it on): results not round to any few decimals,
# eps not 1
_FUNCTIONS = {
    "sigmoid_prime": (lambda y: y * (1 - y), [(0.3187,), (np.array([0.0731, 0.25, 0.5, 0.6604, 0.9267]),)]),
    "central_difference": (lambda f, w, eps: (f(w + eps) - f(w - eps)) / (2 * eps),
                           [(np.sin, 0.3, 1e-3), (lambda w: w ** 3, 1.23, 0.017)]),
}
ARGUMENTS = {"sigmoid_prime": ("y",), "central_difference": ("f", "w", "eps")}


@declare(guarded=False, name=one_of(*_FUNCTIONS))  # the author's argument, checked like the library's
def check_function(fn, name):
    """Feedback on a student's function ``name``: "sigmoid_prime" (written from the output y) or
    "central_difference" ``(f, w, eps)``. It is called on a few inputs and compared with the
    right function and with the mistaken ones in `bplib.checks._mistakes.FUNCTION_MISTAKES`."""
    line = function_line(name, fn, "...", lambda fn: _judge_function(fn, name))
    return Feedback(f"Your {name}", [line], todo="Replace the ... in its body with your code")


def _judge_function(fn, name):
    right, cases = _FUNCTIONS[name]
    for args in cases:
        got = _returned_numbers(fn, args, name)
        if isinstance(got, Line):
            return got._replace(key=name)
        want = np.asarray(right(*args), dtype=float)
        if got.shape != want.shape:
            return Line(name, "wrong", f"{name}{_args(args)} returned shape {got.shape}; expected {want.shape}")
        rtol = _rtol(got)
        close = lambda value: np.allclose(got, np.asarray(value, dtype=float), rtol=rtol, atol=1e-12)
        if close(want):
            continue
        shown = _first_off(name, args, got, want, rtol)
        for mistake, wrong, why in _mistakes.FUNCTION_MISTAKES[name]:
            if close(wrong(*args)):
                return Line(name, "wrong", f"{shown}: {why}", mistake)
        for how, cut in (("rounded to", np.round), ("cut off after", _cut)):
            decimals = _rounded_to(got, want, cut)
            if decimals is not None and _rounded_everywhere(fn, name, decimals, cut):
                return Line(name, "wrong", f"{shown}: that is the right value {how} {decimals} decimal"
                                           f"{'s' if decimals > 1 else ''}; return it unrounded (round only where "
                                           f"you print)", "rounded")
        if name == "central_difference" and np.allclose(got, right(*args[:2], 1e-6), rtol=1e-6):
            return Line(name, "wrong", f"{shown}: close to the derivative, but not with the step it was given; "
                                       f"use the argument eps")
        return Line(name, "wrong", shown)
    return Line(name, "correct", f"correct on {len(cases)} test inputs")


def _rtol(got):
    """How close counts: a few units of the result's own precision (float32: about 1e-6)."""
    return 1e-7 if got.dtype.itemsize >= 8 else 10 * float(np.finfo(got.dtype).eps)


def _first_off(name, args, got, want, rtol):
    """The call, the first input where ``got`` is off, the value expected there and the value returned."""
    off = ~np.isclose(got, want, rtol=rtol, atol=1e-12)
    i = int(np.argmax(off.ravel())) if got.ndim else 0
    if got.ndim and name == "sigmoid_prime":
        return (f"{name}(y) with y = {_array_text(args[0])}: at y = {_num(np.ravel(args[0])[i])} it returned "
                f"{_num(got.ravel()[i])}, expected {_num(want.ravel()[i])}")
    return f"{name}{_args(args)} returned {_num(got.ravel()[i])}, expected {_num(want.ravel()[i])}"


def _cut(x, decimals):
    """``x`` cut off after ``decimals`` decimals (np.trunc, not rounded)."""
    return np.trunc(np.asarray(x, dtype=float) * 10.0 ** decimals) / 10.0 ** decimals


def _rounded_to(got, want, cut=np.round):
    """The decimals ``got`` is ``want`` rounded to (``cut``: or cut off; inside the function), or None."""
    for decimals in range(1, 7):
        if np.allclose(got, cut(want, decimals), rtol=0, atol=1e-9) and not np.allclose(got, want, rtol=1e-7):
            return decimals
    return None


def _rounded_everywhere(fn, name, decimals, cut=np.round):
    """Whether ``fn`` returns the right value rounded to ``decimals`` on every test input: a
    rounding inside the function does, a wrong formula that happens to give a round number on
    one input (an estimate of exactly 1) does not."""
    right, cases = _FUNCTIONS[name]
    for args in cases:
        got = _returned_numbers(fn, args, name)
        if isinstance(got, Line) or got.shape != np.shape(right(*args)) or not np.allclose(
                got, cut(np.asarray(right(*args), dtype=float), decimals), rtol=0, atol=1e-9):
            return False
    return True


def _num(x):
    """A number as this feedback prints it: 7 significant digits, enough to show a rounding."""
    return f"{float(x):.7g}"


def _returned_numbers(fn, args, name):
    """The function's result as a float array, or a `Line` saying why there is none (or that it
    changed its argument: ``y *= 1 - y`` would change the caller's y)."""
    done = call(fn, args, ARGUMENTS[name])
    if done.error is not None:
        return Line("", "unreadable", f"calling it as {_args(args)} raised {raised(done.error, 80)}")
    got = done.result
    if got is Ellipsis:
        return Line("", "not answered", NOT_ANSWERED)
    if got is None:
        return Line("", "unreadable", "it returned None: did it forget to return its result?")
    if _text_inside(got):
        return Line("", "unreadable", f"it returned {_what(got)}: return the number itself, not text "
                                      f"(no str(), f-string or format)")
    try:
        kept = np.asarray(got)
        if kept.dtype.kind not in "iuf":
            raise TypeError
        got = kept if kept.dtype.kind == "f" else kept.astype(float)
    except Exception:
        return Line("", "unreadable", f"it returned {_what(got)}, not numbers")
    if done.change is not None:
        want = np.asarray(_FUNCTIONS[name][0](*args), dtype=float)
        right = got.shape == want.shape and np.allclose(got, want, rtol=_rtol(got), atol=1e-12)
        return Line("", "wrong", f"{name}{_args(args)} returned {'the right values' if right else _array_text(got)}, "
                                 f"but it {done.change.sentence}", "changed_input")
    return got


def _text_inside(value):
    if isinstance(value, (str, bytes)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_text_inside(v) for v in value)
    return isinstance(value, np.ndarray) and value.dtype.kind in "USO" and any(_text_inside(v) for v in value.ravel())


def _what(value):
    if isinstance(value, str):
        return f"the text {value if len(value) <= 12 else value[:10] + '...'!r}"
    if isinstance(value, (list, tuple)):
        kinds = sorted({"None" if v is None else "text" if isinstance(v, str) else type(v).__name__ for v in value})
        return f"a {type(value).__name__} of {' and '.join(kinds)}"
    return in_words(value)


def _args(args):
    shown = [a.__name__ if hasattr(a, "__name__") and a.__name__ != "<lambda>" else
             ("a cubic" if callable(a) else _array_text(np.asarray(a))) for a in args]
    return f"({', '.join(shown)})"


def _array_text(a):
    return np.array2string(np.asarray(a, dtype=float), precision=4, separator=", ")
