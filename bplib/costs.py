"""The lecture's cost functions and its L2 penalty (chapter 2).

Each cost is a pure function of the output layer and the targets, summed over the examples in
the rows, beside ``dE/dy``, its derivative with respect to the outputs (chapter 6).
``COSTS`` maps a name to ``(E, dE_dy)``.

Regularisation follows the lecture exactly: ``E + lam * sum_k sum_ij (w_ij^(k))^2``, with biases
not penalised, so the penalty's gradient is ``2 * lam * w``. Books that average the data term
over the n examples and write ``lam' / (2n)`` in front of the penalty (Nielsen, for example)
minimise E / n with lam' = 2 lam: their lambda is twice the lecture's.
"""
import numpy as np

from . import _validate


def half_sse(y, t):
    """E = 1/2 sum ||t - y||^2: the lecture's standard choice (chapter 2, "why the 1/2")."""
    return 0.5 * np.sum((t - y) ** 2)


def half_sse_prime(y, t):
    """dE/dy_j = -(t_j - y_j): the 1/2 cancels the 2 of the square (chapter 6)."""
    return -(t - y)


def sse(y, t):
    """E = sum_i [t_i - y_i]^2: the regression cost the lecture calls mean square error.

    The slide writes the sum over examples with no 1/n; ``mse`` divides by n.
    """
    return np.sum((t - y) ** 2)


def sse_prime(y, t):
    """dE/dy = -2 (t - y)."""
    return -2.0 * (t - y)


def mse(y, t):
    """E = (1/n) sum_i ||t_i - y_i||^2 over the n examples (rows)."""
    return np.sum((t - y) ** 2) / t.shape[0]


def mse_prime(y, t):
    """dE/dy = -2 (t - y) / n."""
    return -2.0 * (t - y) / t.shape[0]


def nll(z, t):
    """E = -sum [t log y + (1 - t) log(1 - y)] with y = sigma(z), computed from z.

    Written as ``sum(log(1 + exp(z)) - t z)`` (``np.logaddexp``), which is the same quantity but
    stays finite when the sigmoid saturates (y rounded to exactly 0 or 1). Needs a sigmoid output.
    """
    return np.sum(np.logaddexp(0.0, z) - t * z)


def nll_delta(y, t):
    """dE/dz for a sigmoid output under ``nll``: y - t.

    dE/dy = (y - t) / (y (1 - y)) and dy/dz = y (1 - y) cancel exactly, so backpropagation
    starts from this product rather than dividing by zero at a saturated unit.
    """
    return y - t


COSTS = {
    "half_sse": (half_sse, half_sse_prime),
    "sse": (sse, sse_prime),
    "mse": (mse, mse_prime),
    "nll": (nll, nll_delta),  # takes z, and its second function is dE/dz, not dE/dy
}


def is_average(cost):
    """True for costs that already average over the examples (``mse``)."""
    return cost == "mse"


def check_name(cost):
    """Return ``cost`` if it names a cost in ``COSTS``."""
    return _validate.choice("cost", cost, COSTS)


def value(cost, z, y, t):
    """E for the output layer's pre-activations z, outputs y and targets t, all (n, k)."""
    if cost == "nll":
        return nll(z, t)
    return COSTS[cost][0](y, t)


def output_delta(cost, y, t, f_prime):
    """delta = dE/dz at the output layer, (n, k): dE/dy * dy/dz (chapter 6).

    ``f_prime`` is the output activation's derivative written from y.
    """
    if cost == "nll":
        return nll_delta(y, t)
    return COSTS[cost][1](y, t) * f_prime(y)


def l2_penalty(weights, lam):
    """lam * sum_k sum_ij (w_ij^(k))^2 over every weight matrix (biases are not included)."""
    if not lam:
        return 0.0
    return lam * sum(float(np.sum(W * W)) for W in weights)


def l2_gradient(W, lam):
    """d/dW of the penalty: 2 lam W."""
    return 2.0 * lam * W
