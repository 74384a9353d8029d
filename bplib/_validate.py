"""Input checks shared by every public function.

Each helper raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong
value or shape) with a message that names the argument, what was expected and what was received.
What the arithmetic does with inputs that pass these checks is guarded in ``_guard``.
"""
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
