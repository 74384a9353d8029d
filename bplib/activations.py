"""Activation functions, each beside its derivative (chapter 5).

Every derivative is written from the unit's *output* ``y = f(z)``, as the lecture writes the
sigmoid's: ``d sigma / dz = sigma (1 - sigma) = y (1 - y)``. Backpropagation has ``y`` from the
forward pass, so it never needs ``z`` again. ``ACTIVATIONS`` maps a name to ``(f, f_prime)``.

Called by a user, each function checks its argument (real numbers, finite) and refuses a result
that overflows; ``ACTIVATIONS`` holds the same functions unchecked (``f.unchecked``), for the
forward and backward passes, whose public callers check their arguments once.

The softmax (chapter 6) is the exception: each of its outputs depends on every z of the row, so
its derivative is a Jacobian, not a function ``f_prime(y)`` applied unit by unit. It is therefore
kept out of ``ACTIVATIONS`` and allowed on a network's output layer only (``OUTPUT_ACTIVATIONS``, as
``Network`` enforces), where backpropagation starts: ``softmax_backward`` carries any dE/dy through
its Jacobian, and under ``costs.categorical_cross_entropy`` the output error is simply y - t.
"""
import numpy as np

from ._validate import ARRAY, ROWS, choice, declare, like


@declare(z=ARRAY)
def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), for any finite z, without a warning.

    The one-expression form is the fastest, which matters because every forward pass applies it
    to every unit, and it is right for z above about -709.78 (float64). Below that exp(-z)
    overflows and would give exactly 0.0, although sigma(z) = e^z / (1 + e^z) is still a
    representable positive number down to about -745 (chapter 2 states both limits): so when the
    overflow happens, the whole array is recomputed from ``exp(-abs(z))``, which never overflows.
    ``sigmoid(-740)`` is about 4e-322, ``sigmoid(-1000)`` is 0.0 and ``sigmoid(1000)`` is 1.0.
    """
    try:
        with np.errstate(over="raise"):
            return 1.0 / (1.0 + np.exp(-z))
    except FloatingPointError:  # some z below about -709.78 (float64) or -88.7 (float32)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


@declare(y=ARRAY)
def sigmoid_prime(y):
    """d sigma / dz written from the output: y (1 - y)   (lecture: "a nice derivative")."""
    return y * (1.0 - y)


@declare(z=ARRAY)
def step(z):
    """The perceptron's threshold: 1 where z >= 0, else 0."""
    return (z >= 0).astype(z.dtype)


@declare(y=ARRAY)
def step_prime(y):
    """Zero wherever it exists: the step gives gradient descent nothing to follow (chapter 5)."""
    return np.zeros_like(y)


@declare(z=ARRAY)
def tanh(z):
    """Hyperbolic tangent, a sigmoid rescaled to (-1, 1): tanh(z) = 2 sigma(2z) - 1."""
    return np.tanh(z)


@declare(y=ARRAY)
def tanh_prime(y):
    """d tanh / dz = 1 - y^2."""
    return 1.0 - y * y


@declare(z=ARRAY)
def relu(z):
    """Rectified linear unit: max(0, z)."""
    return np.maximum(z, 0.0)


@declare(y=ARRAY)
def relu_prime(y):
    """1 where the unit is active (y > 0), else 0 (the value at z = 0 is taken as 0)."""
    return (y > 0).astype(y.dtype)


@declare(z=ARRAY)
def identity(z):
    """No activation: y = z (a regression output, chapter 1)."""
    return z


@declare(y=ARRAY)
def identity_prime(y):
    """d z / dz = 1."""
    return np.ones_like(y)


@declare(z=ROWS)
def softmax(z):
    """y_j = exp(z_j) / sum_k exp(z_k) along the last axis: each row (n, k) becomes probabilities.

    Computed as exp(z_j - m) / sum_k exp(z_k - m) with m the row's largest z, the same quotient
    (the factor exp(-m) cancels) but with no exponent above 0, so nothing overflows; every y is
    in [0, 1] and each row sums to 1. A vector output for k classes (chapter 6).
    """
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


@declare(y=ROWS, g=like("y"))
def softmax_backward(y, g):
    """dE/dz for a softmax output from its outputs y and g = dE/dy, both (n, k) (chapter 6).

    dy_k/dz_j = y_k (delta_jk - y_j), so dE/dz_j = sum_k g_k y_k (delta_jk - y_j)
    = y_j (g_j - sum_k g_k y_k): the Jacobian times g without building the (k, k) Jacobian.
    """
    return y * (g - np.sum(g * y, axis=-1, keepdims=True))


ACTIVATIONS = {name: (f.unchecked, f_prime.unchecked) for name, (f, f_prime) in {
    "sigmoid": (sigmoid, sigmoid_prime),
    "step": (step, step_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "identity": (identity, identity_prime),
}.items()}

# activations that are not elementwise: name -> (f, backward), backward(y, dE/dy) = dE/dz
OUTPUT_ACTIVATIONS = {"softmax": (softmax.unchecked, softmax_backward.unchecked)}


def ELEMENTWISE(name, value, arguments=None):
    """A name in ``ACTIVATIONS``; the softmax is refused with the reason (its derivative is a Jacobian)."""
    if isinstance(value, str) and value in OUTPUT_ACTIVATIONS:
        raise ValueError(f"{name} must be one of {sorted(ACTIVATIONS)} (elementwise, with a derivative f'(y)); "
                         f"received {value!r}, which is not elementwise (its derivative is a Jacobian) and may only "
                         f"be a network's output layer")
    return choice(name, value, ACTIVATIONS)


@declare(activation=ELEMENTWISE)
def get(activation):
    """``(f, f_prime)`` for an elementwise activation's name, e.g. ``get("sigmoid")`` (unchecked).

    The softmax has no ``f_prime``: asked for it, ``get`` says so and where it may be used.
    """
    return ACTIVATIONS[activation]
