"""Gradient checking with central finite differences, in float64 (chapters 6-8).

    dE/dw  ~=  (E(w + eps) - E(w - eps)) / (2 eps)

has error O(eps^2), so with eps = 1e-6 it agrees with an exact gradient to about 1e-9 relative
(the rest is rounding in E). The agreement is measured as a relative error over all parameters,

    ||analytic - numeric|| / (||analytic|| + ||numeric||),

which is 0 for identical gradients and 1 for unrelated ones, whatever their scale.
"""
from typing import NamedTuple

import numpy as np

from . import _arguments, _guard, _validate
from .network import Network
from ._passes import backward_pass, batch_scale, cost_value, forward_pass


def _flat(name, value):
    """An array, or a list of arrays, as one finite float64 vector."""
    parts = value if isinstance(value, (list, tuple)) and value and not np.isscalar(value[0]) else [value]
    return np.concatenate([np.ravel(_validate.array(f"{name}[{k}]" if len(parts) > 1 else name, part))
                           for k, part in enumerate(parts)]).astype(np.float64)


@_guard.guarded
def relative_error(analytic, numeric):
    """||a - n|| / (||a|| + ||n||), 0.0 when both are zero.

    ``analytic`` and ``numeric`` are arrays, or lists of arrays, with the same number of entries.
    """
    a, n = _flat("analytic", analytic), _flat("numeric", numeric)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric must hold the same number of values; received {a.size} and {n.size}")
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)


def numerical_gradient(f, w, eps=1e-6):
    """Central differences of the scalar function ``f()`` with respect to every entry of ``w``.

    ``w`` is changed in place, one entry at a time, and restored; ``f`` reads it.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments that returns the cost; received {_validate.describe(f)}")
    if not isinstance(w, np.ndarray) or w.dtype.kind != "f":
        raise TypeError(f"w must be a float numpy array that f reads (it is nudged in place); received {_validate.describe(w)}")
    _validate.array("w", w)
    eps = _validate.real("eps", eps, positive=True)
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
        grad[index] = (_validate.real("f()", e_plus) - _validate.real("f()", e_minus)) / (2 * eps)
    return grad


class GradCheck(NamedTuple):
    """Backprop's gradients, the finite-difference ones, and their relative error."""
    analytic: list
    numeric: list
    error: float
    errors: list  # one per parameter array, in the order weights[0], biases[0], weights[1], ...


@_guard.guarded
def gradcheck(net, X, T, cost="half_sse", lam=0.0, average=False, eps=1e-6):
    """Compare ``backward`` with central differences for every weight and bias of ``net``.

    The check runs on a float64 copy whatever ``net``'s dtype. Returns a ``GradCheck``;
    ``error`` below about 1e-7 means backprop is right.
    """
    net = _arguments.network(net)
    eps = _validate.real("eps", eps, positive=True)
    net = Network(net.weights, net.biases, net.activations, dtype=np.float64)
    X, T = _arguments.data(net, X, T)
    lam = _arguments.cost(net, cost, lam)
    scale = batch_scale(cost, X.shape[0], _validate.flag("average", average))
    zs, ys = forward_pass(net, X)
    record = backward_pass(net, zs, ys, T, cost, lam, scale)

    def E():
        zs, ys = forward_pass(net, X)
        return cost_value(net, zs, ys, T, cost, lam, scale)

    analytic, numeric = [], []
    for l in range(len(net.weights)):
        analytic.append(record.dW[l])
        numeric.append(numerical_gradient(E, net.weights[l], eps))
        if net.biases[l] is not None:
            analytic.append(record.db[l])
            numeric.append(numerical_gradient(E, net.biases[l], eps))
    errors = [relative_error.__wrapped__(a, n) for a, n in zip(analytic, numeric)]
    flat = lambda arrays: np.concatenate([np.ravel(a) for a in arrays])
    return GradCheck(analytic, numeric, relative_error(flat(analytic), flat(numeric)), errors)
