"""Activation functions, each beside its derivative (chapter 5).

Every derivative is written from the unit's *output* ``y = f(z)``, as the lecture writes the
sigmoid's: ``d sigma / dz = sigma (1 - sigma) = y (1 - y)``. Backpropagation has ``y`` from the
forward pass, so it never needs ``z`` again. ``ACTIVATIONS`` maps a name to ``(f, f_prime)``.

Called by a user, each function checks its argument (real numbers, finite) and refuses a result
that overflows; ``ACTIVATIONS`` holds the same functions unchecked (``f.unchecked``), for the
forward and backward passes, whose public callers check their arguments once.
"""
import numpy as np

from . import _validate


def _as_float(z):
    """An array of z, keeping float32/float64 and turning integers into float64."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


@_validate.checked("z")
def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), for any finite z, without a warning.

    For z below about -709, exp(-z) overflows to infinity and 1 / (1 + inf) is exactly 0.0,
    the correctly rounded answer; that overflow is expected, so it is silenced here (and only
    here): ``sigmoid(-1000)`` is 0.0 and ``sigmoid(1000)`` is 1.0. This one-expression form is
    also the fastest, which matters because every forward pass applies it to every unit.
    """
    z = _as_float(z)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


@_validate.checked("y")
def sigmoid_prime(y):
    """d sigma / dz written from the output: y (1 - y)   (lecture: "a nice derivative")."""
    return y * (1.0 - y)


@_validate.checked("z")
def step(z):
    """The perceptron's threshold: 1 where z >= 0, else 0."""
    z = _as_float(z)
    return (z >= 0).astype(z.dtype)


@_validate.checked("y")
def step_prime(y):
    """Zero wherever it exists: the step gives gradient descent nothing to follow (chapter 5)."""
    return np.zeros_like(y)


@_validate.checked("z")
def tanh(z):
    """Hyperbolic tangent, a sigmoid rescaled to (-1, 1): tanh(z) = 2 sigma(2z) - 1."""
    return np.tanh(z)


@_validate.checked("y")
def tanh_prime(y):
    """d tanh / dz = 1 - y^2."""
    return 1.0 - y * y


@_validate.checked("z")
def relu(z):
    """Rectified linear unit: max(0, z)."""
    return np.maximum(z, 0.0)


@_validate.checked("y")
def relu_prime(y):
    """1 where the unit is active (y > 0), else 0 (the value at z = 0 is taken as 0)."""
    return (y > 0).astype(y.dtype)


@_validate.checked("z")
def identity(z):
    """No activation: y = z (a regression output, chapter 1)."""
    return z


@_validate.checked("y")
def identity_prime(y):
    """d z / dz = 1."""
    return np.ones_like(y)


ACTIVATIONS = {name: (f.unchecked, f_prime.unchecked) for name, (f, f_prime) in {
    "sigmoid": (sigmoid, sigmoid_prime),
    "step": (step, step_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "identity": (identity, identity_prime),
}.items()}


def get(name, argument="activation"):
    """Return ``(f, f_prime)`` for an activation name, e.g. ``get("sigmoid")`` (unchecked functions).

    ``argument`` is the name an error message gives the value (the caller's parameter).
    """
    if not isinstance(argument, str):
        raise TypeError(f"argument must be the name of the caller's parameter; received {_validate.describe(argument)}")
    return ACTIVATIONS[_validate.choice(argument, name, ACTIVATIONS)]
