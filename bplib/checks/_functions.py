"""Checking a student's *function*, not a number: `check_function`.

Exercise 4 (exercises/ex4_sigmoid_gradcheck.ipynb, the sigmoid's derivative and gradient
checking) asks for two functions, ``sigmoid_prime`` (written from the output y) and
``central_difference`` ``(f, w, eps)``. `check_function` calls the student's function on a few
sample inputs and compares what it returns with a reference implementation and with the
mistaken versions in `bplib.checks._mistakes.FUNCTION_MISTAKES`, and returns a one-line `Feedback`.
It never raises: a function that raises, returns None or returns no numbers gets a line saying so,
and one that changes its argument in place (``y *= 1 - y``) is told so (`bplib.checks._calls`).

The exercise's plain-number questions go through `bplib.checks.values_reference` and
`bplib.checks.check`; `bplib.checks` re-exports `check_function`, so check cells call
``checks.check_function`` as before.
"""
import numpy as np

from . import _mistakes
from .. import _validate
from ._calls import call, raised
from ._feedback import NOT_ANSWERED, Feedback, Line, in_words


# name -> (the right function, argument tuples to try it on)
_FUNCTIONS = {
    "sigmoid_prime": (lambda y: y * (1 - y), [(0.3,), (np.array([0.1, 0.25, 0.5, 0.68, 0.9]),)]),
    "central_difference": (lambda f, w, eps: (f(w + eps) - f(w - eps)) / (2 * eps),
                           [(np.sin, 0.3, 1e-3), (lambda w: w ** 3, 2.0, 1e-2)]),
}
ARGUMENTS = {"sigmoid_prime": ("y",), "central_difference": ("f", "w", "eps")}


def check_function(fn, name):
    """Feedback on a student's function ``name``: "sigmoid_prime" (written from the output y) or
    "central_difference" ``(f, w, eps)``. It is called on a few inputs and compared with the
    right function and with the mistaken ones in `bplib.checks._mistakes.FUNCTION_MISTAKES`."""
    if not isinstance(name, str) or name not in _FUNCTIONS:  # the exercise author's argument: checked like the library's own
        raise ValueError(f"name must be one of {sorted(_FUNCTIONS)}; received {_validate.describe(name)}")
    try:
        return Feedback(f"Your {name}", [_judge_function(fn, name)], todo="Replace the ... in its body with your code")
    except Exception as error:
        return Feedback(f"Your {name}", [Line(name, "unreadable", f"could not check it ({type(error).__name__})")])


def _judge_function(fn, name):
    right, cases = _FUNCTIONS[name]
    if fn is Ellipsis:
        return Line(name, "not answered", NOT_ANSWERED)
    if not callable(fn):
        return Line(name, "unreadable", f"{name} should be a function (def {name}(...): ...); it is {in_words(fn)}")
    for args in cases:
        got = _returned_numbers(fn, args, name)
        if isinstance(got, Line):
            return got._replace(key=name)
        want = np.asarray(right(*args), dtype=float)
        if got.shape != want.shape:
            return Line(name, "wrong", f"{name}{_args(args)} returned shape {got.shape}; expected {want.shape}")
        if np.allclose(got, want, rtol=1e-7, atol=1e-12):
            continue
        for mistake, wrong, why in _mistakes.FUNCTION_MISTAKES[name]:
            if np.allclose(got, np.asarray(wrong(*args), dtype=float), rtol=1e-7, atol=1e-12):
                return Line(name, "wrong", f"{name}{_args(args)} returned {_array_text(got)}; {why}", mistake)
        if name == "central_difference" and np.allclose(got, right(*args[:2], 1e-6), rtol=1e-6):
            return Line(name, "wrong", f"{name}{_args(args)} returned {_array_text(got)}: close to the derivative, "
                                       f"but not with the step it was given; use the argument eps")
        return Line(name, "wrong", f"{name}{_args(args)} returned {_array_text(got)}, which is not it")
    return Line(name, "correct", f"correct on {len(cases)} test inputs")


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
    try:
        got = np.asarray(got, dtype=float)
    except Exception:
        return Line("", "unreadable", f"it returned {in_words(got)}, not numbers")
    if done.change is not None:
        want = np.asarray(_FUNCTIONS[name][0](*args), dtype=float)
        right = got.shape == want.shape and np.allclose(got, want, rtol=1e-7, atol=1e-12)
        return Line("", "wrong", f"{name}{_args(args)} returned {'the right values' if right else _array_text(got)}, "
                                 f"but it {done.change.sentence}", "changed_input")
    return got


def _args(args):
    shown = [a.__name__ if hasattr(a, "__name__") and a.__name__ != "<lambda>" else
             ("a cubic" if callable(a) else _array_text(np.asarray(a))) for a in args]
    return f"({', '.join(shown)})"


def _array_text(a):
    return np.array2string(np.asarray(a, dtype=float), precision=4, separator=", ")
