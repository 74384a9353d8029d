"""Input checks shared by every public function, and the guard on what their arithmetic returns.

Each helper raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong
value or shape) with a message that names the argument, what was expected and what was received.

Finite inputs can still overflow (a target of 1e155 squared, a lambda of 1e308 times a weight).
`arithmetic` runs a computation with numpy's overflow and invalid operations raising, and turns
them into a ``ValueError`` that names the computation and the largest input; `finite` does the
same for a result computed in plain Python floats, which overflow silently. `checked` wraps a
pure function of arrays (an activation, a cost) in all three.
"""
import contextlib
import functools
import inspect
import math
import numbers

import numpy as np


def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def _numbers(name, value, what):
    """``value`` as a numeric (integer or float) array, or a TypeError that says ``what`` was wanted."""
    if value is None or isinstance(value, (str, bytes, dict)):
        raise TypeError(f"{name} must be {what}; received {describe(value)}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise TypeError(f"{name} must be {what}; received {describe(value)}") from error
    if array.dtype == bool or array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be {what}; received an array of dtype {array.dtype}")
    return array


def _finite(name, array, dtype):
    array = array.astype(dtype or np.float64, copy=False)
    if array.size == 0:
        return array
    # min and max are NaN if any entry is NaN, and infinite if any entry is: two passes that
    # allocate nothing, where isfinite would build a boolean array as large as the data
    if not (np.isfinite(array.min()) and np.isfinite(array.max())):
        raise ValueError(f"{name} must be finite; received an array containing NaN or infinity")
    return array


def matrix(name, value, *, cols=None, rows=None, dtype=None, rows_of=None):
    """Return ``value`` as a finite 2-D float array, checking its shape.

    ``cols`` / ``rows`` (when given) are the required sizes; ``dtype`` the float type wanted;
    ``rows_of`` names the argument whose row count ``rows`` is (the message then says so).
    """
    array = _numbers(name, value, "a 2-D array of real numbers")
    want = f"({'n' if rows is None else rows}, {'k' if cols is None else cols})"
    if array.ndim != 2:
        hint = " (write one example as a row: x.reshape(1, -1))" if array.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D with shape {want}; received shape {array.shape}{hint}")
    if (cols is not None and array.shape[1] != cols) or (rows is not None and array.shape[0] != rows):
        match = f", one row for each row of {rows_of}" if rows_of else ""
        raise ValueError(f"{name} must have shape {want}{match}; received shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; received shape {array.shape}")
    return _finite(name, array, dtype)


def vector(name, value, *, length, dtype=None):
    """Return ``value`` as a finite 1-D float array of ``length`` numbers."""
    array = _numbers(name, value, f"a 1-D array of {length} real numbers")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; received shape {array.shape}")
    if array.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},); received shape {array.shape}")
    return _finite(name, array, dtype)


def real(name, value, *, positive=False, nonnegative=False):
    """Return ``value`` as a finite Python float, optionally > 0 or >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; received {describe(value)}")
    try:
        value = float(value)
    except OverflowError:  # an int beyond float's range, e.g. 10**400
        raise ValueError(f"{name} must be a finite number of at most about 1.8e308 in size; "
                         f"received an integer of {len(str(abs(value)))} digits") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; received {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be greater than 0; received {value}")
    if nonnegative and value < 0:
        raise ValueError(f"{name} must be 0 or greater; received {value}")
    return value


def flag(name, value):
    """Return ``value`` as a bool: True, False (or numpy's bool scalars), nothing else."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; received {describe(value)}")
    return bool(value)


# Counts (epochs, rounds, steps, layer sizes, repeats) above this would run or allocate for longer
# than anyone waits; a number that large is a mistake, so it is refused rather than started.
MAX_COUNT = 10_000_000


def integer(name, value, *, minimum=1, maximum=MAX_COUNT):
    """Return ``value`` as an int in [``minimum``, ``maximum``]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; received {describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; received {value}")
    if value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}; received {describe(value)}"[:200])
    return int(value)


def choice(name, value, options):
    """Return ``value`` if it is one of ``options`` (names), else explain the choices."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {sorted(options)}; received {describe(value)}")
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}; received {value!r}")
    return value


def generator(name, value):
    """Return a ``numpy.random.Generator`` from a seed (int), a Generator, or None (seed 0)."""
    if value is None:
        return np.random.default_rng(0)
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0:
        return np.random.default_rng(int(value))
    raise TypeError(f"{name} must be a seed (an integer >= 0) or a numpy.random.Generator; "
                    f"received {describe(value)}")


def array(name, value):
    """``value`` as a finite float array of any shape (a number is a 0-d array)."""
    return _finite(name, _as_float(_numbers(name, value, "a real number or an array of real numbers")), None)


def _as_float(array):
    return array if array.dtype.kind == "f" else array.astype(np.float64)


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
