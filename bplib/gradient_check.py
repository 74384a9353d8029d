"""Gradient checking with central finite differences, in float64 (chapters 6-8).

    dE/dw  ~=  (E(w + eps) - E(w - eps)) / (2 eps)

has error O(eps^2), so with eps = 1e-6 it agrees with an exact gradient to about 1e-9 relative
(the rest is rounding in E). The agreement is measured as a relative error over all parameters,

    ||analytic - numeric|| / (||analytic|| + ||numeric||),

which is 0 for identical gradients and 1 for unrelated ones, whatever their scale.
"""
from typing import NamedTuple

import numpy as np

from .costs import COST
from .network import AS_FLOAT64, INPUTS, TARGETS
from .backprop import backward, cost as cost_of
from ._validate import FLAG, FUNCTION, NONNEGATIVE, POSITIVE, array, declare, describe, real


def _flat(name, value, arguments):
    """An array, or a list of arrays, as one finite float64 vector."""
    parts = value if isinstance(value, (list, tuple)) and value and not np.isscalar(value[0]) else [value]
    return np.concatenate([np.ravel(array(f"{name}[{k}]" if len(parts) > 1 else name, part))
                           for k, part in enumerate(parts)]).astype(np.float64)


def _same_size(name, value, arguments):
    value = _flat(name, value, arguments)
    if value.shape != arguments["analytic"].shape:
        raise ValueError(f"analytic and {name} must hold the same number of values; received "
                         f"{arguments['analytic'].size} and {value.size}")
    return value


@declare(analytic=_flat, numeric=_same_size)
def relative_error(analytic, numeric):
    """||a - n|| / (||a|| + ||n||), 0.0 when both are zero.

    ``analytic`` and ``numeric`` are arrays, or lists of arrays, with the same number of entries.
    """
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def _nudged(name, w, arguments):
    if not isinstance(w, np.ndarray) or w.dtype.kind != "f":
        raise TypeError(f"{name} must be a float numpy array that f reads (it is nudged in place); "
                        f"received {describe(w)}")
    array(name, w)
    return w


@declare(f=FUNCTION, w=_nudged, eps=POSITIVE)
def numerical_gradient(f, w, eps=1e-6):
    """Central differences of the scalar function ``f()`` with respect to every entry of ``w``.

    ``w`` is changed in place, one entry at a time, and restored; ``f`` reads it.
    """
    grad = np.zeros_like(w, dtype=np.float64)
    for index in np.ndindex(w.shape):
        saved = w[index]
        try:
            w[index] = saved + eps
            e_plus = f()
            w[index] = saved - eps
            e_minus = f()
        finally:
            w[index] = saved
        grad[index] = (real("f()", e_plus) - real("f()", e_minus)) / (2 * eps)
    return grad


def _parameter_arrays(weights, biases):
    """weights[0], biases[0], weights[1], ...: a network's parameter arrays (or their gradients) in
    one list, in the order ``GradCheck.errors`` reports them, leaving out the layers without a bias."""
    return [p for W, b in zip(weights, biases) for p in (W, b) if p is not None]


class GradCheck(NamedTuple):
    """Backprop's gradients, the finite-difference ones, and their relative error."""
    analytic: list
    numeric: list
    error: float
    errors: list  # one per parameter array, in the order weights[0], biases[0], weights[1], ...


@declare(net=AS_FLOAT64, X=INPUTS, T=TARGETS, cost=COST, lam=NONNEGATIVE, average=FLAG, eps=POSITIVE)
def gradcheck(net, X, T, cost="half_sse", lam=0.0, average=False, eps=1e-6):
    """Compare ``backward`` with central differences for every weight and bias of ``net``.

    The check runs on a float64 copy whatever ``net``'s dtype. Returns a ``GradCheck``;
    ``error`` below about 1e-7 means backprop is right.
    """
    record = backward.unchecked(net, X, T, cost, lam, average)

    def E():
        return cost_of.unchecked(net, X, T, cost, lam, average)

    analytic = _parameter_arrays(record.dW, record.db)
    numeric = [numerical_gradient(E, p, eps) for p in _parameter_arrays(net.weights, net.biases)]
    errors = [relative_error.unchecked(np.ravel(a), np.ravel(n)) for a, n in zip(analytic, numeric)]
    return GradCheck(analytic, numeric, relative_error(analytic, numeric), errors)
