"""What each public argument must be, declared once beside its function (after scikit-learn's
``_parameter_constraints``), and the guard on what the arithmetic returns.

A public function is declared with ``@declare(eta=POSITIVE, mu=FRACTION, ...)``: at each call the
named arguments are checked in the order declared and replaced by their checked form (a finite
float array, a Python float, ...). A ``TypeError`` (wrong kind of thing) or ``ValueError`` (right
kind, wrong value or shape) names the argument, what was expected and what was received. The body
then runs with numpy's overflow and invalid operations raising, and its result must be finite;
either failure is a ``ValueError`` naming the largest input (``declare(guarded=False, ...)`` leaves
the body's arithmetic as it is: the feedback checks judge a student's numbers themselves). The body
is the mathematics alone and stays reachable as ``.unchecked``, the one way to it, for callers whose
arguments are checked.

A constraint is a function ``(name, value, arguments) -> checked value``; ``arguments`` holds the
call's arguments, those declared before this one already checked.
"""
import functools
import inspect
import math
import numbers
from collections.abc import Callable

import numpy as np

# Counts (epochs, rounds, steps, layer sizes, repeats) above this would run or allocate for longer
# than anyone waits; a number that large is a mistake, so it is refused rather than started.
MAX_COUNT = 10_000_000


def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def _numbers(name, value, what):
    """``value`` as a numeric (integer or float) array, or a TypeError that says ``what`` was wanted."""
    try:
        if value is None or isinstance(value, (str, bytes, dict)):
            raise TypeError
        array = np.asarray(value)
    except (ValueError, TypeError):
        raise TypeError(f"{name} must be {what}; received {describe(value)}") from None
    if array.dtype == bool or array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be {what}; received an array of dtype {array.dtype}")
    return array


def _finite(name, array, dtype=None):
    array = array.astype(dtype or np.float64, copy=False)
    # min and max are NaN if any entry is NaN, and infinite if any entry is: two passes that
    # allocate nothing, where isfinite would build a boolean array as large as the data
    if array.size and not (np.isfinite(array.min()) and np.isfinite(array.max())):
        raise ValueError(f"{name} must be finite; received an array containing NaN or infinity")
    return array


def matrix(name, value, *, cols=None, rows=None, dtype=None, rows_of=None):
    """``value`` as a finite, non-empty 2-D float array of ``rows`` x ``cols`` (either may be None);
    ``rows_of`` names the argument whose row count ``rows`` is."""
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
    """``value`` as a finite 1-D float array of ``length`` numbers."""
    array = _numbers(name, value, f"a 1-D array of {length} real numbers")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; received shape {array.shape}")
    if array.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},); received shape {array.shape}")
    return _finite(name, array, dtype)


def array(name, value):
    """``value`` as a finite float array of any shape (a number is a 0-d array)."""
    return _finite(name, _numbers(name, value, "a real number or an array of real numbers"))


def real(name, value, *, positive=False, nonnegative=False):
    """``value`` as a finite Python float, optionally > 0 or >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; received {describe(value)}")
    try:
        value = float(value)
    except OverflowError:  # an int beyond float's range, e.g. 10**400
        raise ValueError(f"{name} must be a finite number of at most about 1.8e308 in size; "
                         f"received an integer of {len(str(abs(value)))} digits") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; received {value}")
    if (positive and value <= 0) or (nonnegative and value < 0):
        raise ValueError(f"{name} must be {'greater than 0' if positive else '0 or greater'}; received {value}")
    return value


def integer(name, value, *, minimum=1, maximum=MAX_COUNT):
    """``value`` as an int in [``minimum``, ``maximum``]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; received {describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; received {value}")
    if value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}; received {describe(value)}"[:200])
    return int(value)


def choice(name, value, options):
    """``value`` if it is one of the names ``options``, else the choices explained."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {sorted(options)}; received {describe(value)}")
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}; received {value!r}")
    return value


def _generator(name, value):
    """A ``numpy.random.Generator`` from a seed (an int >= 0), a Generator, or None (seed 0)."""
    if value is None or isinstance(value, np.random.Generator):
        return np.random.default_rng(0) if value is None else value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0:
        return np.random.default_rng(int(value))
    raise TypeError(f"{name} must be a seed (an integer >= 0) or a numpy.random.Generator; "
                    f"received {describe(value)}")


# -- the constraints, by what a student reads in a declaration ---------------------------------
def rule(check, **options):
    """A constraint from a check ``check(name, value, **options)`` that needs no other argument."""
    return lambda name, value, arguments: check(name, value, **options)


REAL, POSITIVE, NONNEGATIVE = rule(real), rule(real, positive=True), rule(real, nonnegative=True)
SEED, ARRAY = rule(_generator), rule(array)


def _fraction(name, value):
    """A number in [0, 1): the share of the previous state kept (momentum's mu, RMSProp's rho)."""
    value = real(name, value, nonnegative=True)
    if value >= 1:
        raise ValueError(f"{name} must be in [0, 1); received {value}")
    return value


def _rows(name, value):
    """A finite float array with at least one entry along its last axis (rows of a softmax's outputs)."""
    value = array(name, value)
    if value.ndim == 0 or value.shape[-1] == 0:
        raise ValueError(f"{name} must be an array with at least one entry along its last axis (one row of "
                         f"outputs per example); received shape {value.shape}")
    return value


FRACTION, ROWS = rule(_fraction), rule(_rows)


def count(minimum=1, maximum=MAX_COUNT):
    """An integer in [minimum, maximum]."""
    return rule(integer, minimum=minimum, maximum=maximum)


def one_of(*options):
    """One of the names ``options``."""
    return rule(choice, options=options)


def optional(constraint):
    """None, or what ``constraint`` accepts."""
    return lambda name, value, arguments: None if value is None else constraint(name, value, arguments)


def instance_of(kind, what):
    """An instance of the class ``kind`` (or of one of a tuple of classes), described as ``what``."""
    def check(name, value, arguments):
        if not isinstance(value, kind):
            raise TypeError(f"{name} must be {what}; received {describe(value)}")
        return value
    return check


FLAG, FUNCTION = instance_of((bool, np.bool_), "True or False"), instance_of(Callable, "a function")


def like(other):
    """A finite float array with the shape of the argument ``other`` (declared before it)."""
    def check(name, value, arguments):
        value, shape = array(name, value), np.shape(arguments[other])
        if value.shape != shape:
            raise ValueError(f"{name} must have the shape of {other} {shape}; received shape {value.shape}")
        return value
    return check


def list_of(constraint, what):
    """A non-empty list (or tuple) whose entries ``name[k]`` each satisfy ``constraint``."""
    def check(name, value, arguments):
        if not isinstance(value, (list, tuple, range)) or not len(value):
            raise TypeError(f"{name} must be a non-empty list of {what}; received {describe(value)}")
        return [constraint(f"{name}[{k}]", v, arguments) for k, v in enumerate(value)]
    return check


def like_parameters(biases=False):
    """A list with one array per layer shaped like ``net``'s weights, or with ``biases`` like its
    biases (None for a layer, or for the whole list, leaves those biases out): a gradient or a direction."""
    def check(name, value, arguments):
        net = arguments["net"]
        shapes = [None if b is None else b.shape for b in net.biases] if biases else [W.shape for W in net.weights]
        if value is None and biases:
            return [None] * len(shapes)
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{name} must be a list of {len(shapes)} arrays, one per layer; received {describe(value)}")
        if len(value) != len(shapes):
            raise ValueError(f"{name} must be a list of {len(shapes)} arrays, one per layer; "
                             f"received a list of {len(value)}")
        return [entry(f"{name}[{l}]", v, shape, l, net.dtype) for l, (v, shape) in enumerate(zip(value, shapes))]

    def entry(name, value, shape, l, dtype):
        if value is None and biases:  # this bias stays as it is
            return None
        if shape is None:
            raise ValueError(f"{name} must be None: layer {l} of net has no bias; received {describe(value)}")
        if len(shape) == 2:
            return matrix(name, value, rows=shape[0], cols=shape[1], dtype=dtype)
        return vector(name, value, length=shape[0], dtype=dtype)
    return check


# -- the guard on the arithmetic ---------------------------------------------------------------
def largest_input(inputs):
    """'T (largest size 1e+155)': of the dict ``inputs``, the number, array, list of arrays or
    network with the largest magnitude, the likely cause of an overflow."""
    sizes, inputs = {}, dict(inputs)
    if hasattr(inputs.get("self"), "_asdict"):  # an optimizer's step: its constants are inputs too
        inputs.update(inputs.pop("self")._asdict())
    for name, value in inputs.items():
        value = value.weights if hasattr(value, "weights") else value  # a Network: its weights
        try:
            if isinstance(value, (bool, np.bool_, str)):
                raise TypeError
            arrays = [np.asarray(part, dtype=np.float64) for part in (value if isinstance(value, (list, tuple))
                                                                      else [value]) if part is not None]
            sizes[name] = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
        except (TypeError, ValueError):
            continue
    name = max(sizes, key=sizes.get, default=None)
    return "its inputs" if name is None else f"{name} (largest size {sizes[name]:.3g})"


def _all_finite(value):
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return math.isfinite(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if isinstance(value, (tuple, list, dict)):
        return all(_all_finite(v) for v in (value.values() if isinstance(value, dict) else value))
    if hasattr(value, "weights") and hasattr(value, "biases"):  # a Network
        return _all_finite(value.weights) and _all_finite(value.biases)
    return True


def finite(what, result, inputs=None):
    """``result`` (numbers, arrays, networks, or tuples, lists and dicts of them) if every number in
    it is finite, else a ValueError naming ``what`` and the largest of the dict ``inputs``."""
    if not _all_finite(result):
        raise ValueError(f"{what} is not finite: the numbers are too large for float arithmetic; the largest "
                         f"input is {largest_input(inputs or {})}. Scale the data or use smaller values")
    return result


def overflow(what, error, inputs):
    """The ValueError for a FloatingPointError in ``what``, naming the largest of ``inputs``."""
    return ValueError(f"{what} overflowed ({error}): the numbers are too large for float arithmetic; "
                      f"the largest input is {largest_input(inputs)}. Scale the data or use smaller values")


def declare(guarded=True, **constraints):
    """Decorator: check the arguments named in ``constraints``, in that order, then run the body
    guarded (see the module's docstring); the body stays available as ``.unchecked``. With
    ``guarded=False`` the body runs as it is: a feedback check (``bplib.checks``) handles the numbers
    of a student's answer itself, and must never raise on them."""
    def wrap(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def public(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments, what = bound.arguments, f"{function.__name__}()"
            for name, constraint in constraints.items():
                arguments[name] = constraint(name, arguments[name], arguments)
            if not guarded:
                return function(*bound.args, **bound.kwargs)
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    return finite(f"{what}'s result", function(*bound.args, **bound.kwargs), arguments)
            except FloatingPointError as error:
                raise overflow(what, error, arguments) from None

        public.unchecked, public.constraints = function, constraints
        return public
    return wrap
