"""The guard on what public functions' arithmetic returns.

Finite inputs can still overflow (a target of 1e155 squared, a lambda of 1e308 times a weight).
`arithmetic` runs a computation with numpy's overflow and invalid operations raising, and turns
them into a ``ValueError`` that names the computation and the largest input; `finite` does the
same for a result computed in plain Python floats, which overflow silently. `guarded` wraps a
public function of the core in both; `checked` also checks a pure function's array arguments
(an activation, a cost) with ``_validate.array``.
"""
import contextlib
import functools
import inspect
import math
import numbers

import numpy as np

from ._validate import array


def largest_input(inputs):
    """'T (largest size 1e+155)': the input with the largest magnitude, the likely cause of an overflow."""
    sizes = {}
    for name, value in inputs.items():
        parts = value if isinstance(value, (list, tuple)) else [value]  # a list of weight matrices
        try:
            arrays = [np.asarray(part, dtype=np.float64) for part in parts if part is not None]
            sizes[name] = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
        except (TypeError, ValueError):
            continue
    if not sizes:
        return "its inputs"
    name = max(sizes, key=sizes.get)
    return f"{name} (largest size {sizes[name]:.3g})"


@contextlib.contextmanager
def arithmetic(what, **inputs):
    """Run numpy arithmetic for ``what``; an overflow or invalid operation raises ValueError.

    ``inputs`` name the values the computation started from; the message names the largest.
    """
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield
    except FloatingPointError as error:
        raise _overflow(what, error, inputs) from None


def _overflow(what, error, inputs):
    return ValueError(f"{what} overflowed ({error}): the numbers are too large for float arithmetic; "
                      f"the largest input is {largest_input(inputs)}. Scale the data or use smaller values")


def finite(what, result, **inputs):
    """``result`` if every number in it is finite, else a ValueError naming ``what`` and the largest input.

    ``result`` may be a number, an array, or tuples, lists and dicts of them.
    """
    if not _all_finite(result):
        raise ValueError(f"{what} is not finite: the numbers are too large for float arithmetic; "
                         f"the largest input is {largest_input(inputs)}. Scale the data or use smaller values")
    return result


def _all_finite(value):
    if isinstance(value, (bool, np.bool_, str)) or value is None:
        return True
    if isinstance(value, numbers.Number):
        return math.isfinite(value) if isinstance(value, numbers.Real) else True
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return all(_all_finite(v) for v in value)
    if hasattr(value, "weights") and hasattr(value, "biases"):  # a Network
        return _all_finite(value.weights) and _all_finite(value.biases)
    return True


def _numeric(arguments):
    """The arguments that are numbers or arrays (or lists of arrays): the candidates for an overflow."""
    return {name: value for name, value in arguments.items()
            if (isinstance(value, (numbers.Real, np.ndarray)) and not isinstance(value, (bool, np.bool_)))
            or (isinstance(value, (list, tuple)) and value)
            or hasattr(value, "weights")}


def guarded(function):
    """Decorator for a public function of the core: its arithmetic may not overflow, its result
    must be finite (a ValueError names the largest input otherwise). It checks no argument itself.

    The inputs are only gathered when something went wrong, so a call that succeeds pays for one
    errstate and one pass over its result.
    """
    signature = inspect.signature(function)

    def inputs(args, kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        owner = arguments.pop("self", None)
        if hasattr(owner, "_asdict"):  # a method of a NamedTuple (an optimizer): its fields are inputs too
            arguments.update(owner._asdict())
        return _numeric({n: (v.weights if hasattr(v, "weights") else v) for n, v in arguments.items()})

    @functools.wraps(function)
    def public(*args, **kwargs):
        what = f"{function.__name__}()"
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                result = function(*args, **kwargs)
        except FloatingPointError as error:  # the inputs are gathered only now, for the message
            raise _overflow(what, error, inputs(args, kwargs)) from None
        if not _all_finite(result):
            finite(f"{what}'s result", result, **inputs(args, kwargs))
        return result

    return public


def checked(*arrays):
    """Decorator for a pure function of arrays: check the ``arrays`` arguments, guard the arithmetic.

    The wrapped function's arguments named in ``arrays`` must be real numbers or arrays of them,
    all finite; its arithmetic runs inside `arithmetic` and its result must be finite. The
    original function stays available as ``.unchecked``, for inner loops whose callers have
    already checked the arguments.
    """
    def wrap(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def public(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            for name in arrays:
                bound.arguments[name] = array(name, bound.arguments[name])
            shapes = {name: bound.arguments[name].shape for name in arrays}
            if len(set(shapes.values())) > 1:
                raise ValueError(f"{' and '.join(arrays)} must have the same shape; received shapes "
                                 + ", ".join(f"{n} {sh}" for n, sh in shapes.items()))
            named = _numeric(bound.arguments)
            with arithmetic(f"{function.__name__}()", **named):
                result = function(*bound.args, **bound.kwargs)
            return finite(f"{function.__name__}()'s result", result, **named)

        public.unchecked = function
        return public
    return wrap
