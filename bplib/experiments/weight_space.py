"""Weight space of the smallest network: one unit, two inputs, one example (chapter 4).

The network has two weights and no bias, so a choice of weights is a point w = (w1, w2) of a
plane, and for one training example x (1, 2) with target t (1, 1)::

    z = w1 x1 + w2 x2,    y = f(z),    E(w) = 1/2 (t - y)^2

(``f`` is the sigmoid unless another activation is named; the cost is any name from
``bplib.costs.COSTS``). Every value of E here comes from ``bplib.cost`` and every gradient from
``bplib.backward`` or ``bplib.step``, so the pictures of chapter 4 are drawn from the same code
that trains the networks of later chapters. Weight vectors are 1-D arrays of two numbers.
"""
from typing import NamedTuple

import numpy as np

from .._validate import POSITIVE, array, count, declare, matrix, rule, vector
from ..backprop import backward, cost as _cost, step as _step
from ..network import Network


def _one_row(cols):
    """One example as a row (1, cols); a flat array of cols numbers (or one number) is accepted."""
    def check(name, value, arguments):
        value = array(name, value)
        return matrix(name, value.reshape(1, -1) if value.ndim < 2 and value.size == cols else value, rows=1, cols=cols)
    return check


def _axis(name, value, arguments):
    """A non-empty 1-D array of weight values."""
    value = array(name, value)
    return vector(name, value, length=value.size)


TWO_WEIGHTS = rule(vector, length=2, dtype=np.float64)  # a weight vector (w1, w2)
EXAMPLE = dict(x=_one_row(2), t=_one_row(1))  # x (1, 2), t (1, 1)


class DescentPath(NamedTuple):
    """Where gradient descent went: ``ws[k]`` (k = 0..n) are the weights after k steps.

    ``Es[k]`` and ``grads[k]`` are E and dE/dw at ``ws[k]``; shapes (n+1, 2), (n+1,), (n+1, 2).
    """
    ws: np.ndarray
    Es: np.ndarray
    grads: np.ndarray


@declare(w=TWO_WEIGHTS)
def network(w, activation="sigmoid"):
    """The one-unit network with weights w = (w1, w2): ``weights[0]`` has shape (2, 1), no bias."""
    return Network([w.reshape(2, 1)], None, activation)


@declare(w=TWO_WEIGHTS, **EXAMPLE)
def error_at(w, x, t, activation="sigmoid", cost="half_sse"):
    """E(w) = 1/2 (t - f(w . x))^2 for one example, as a Python float (``bplib.cost``)."""
    return _cost(network(w, activation), x, t, cost=cost)


@declare(w1s=_axis, w2s=_axis, **EXAMPLE)
def error_grid(w1s, w2s, x, t, activation="sigmoid", cost="half_sse"):
    """E at every point of the grid w1s x w2s; shape (len(w2s), len(w1s)).

    ``E[i, j]`` is the error at (w1s[j], w2s[i]): rows follow w2 and columns w1, the layout of
    ``np.meshgrid(w1s, w2s)`` and of matplotlib's ``contour(w1s, w2s, E)``.
    """
    net = network((0.0, 0.0), activation)  # one private network whose two weights are set in turn
    E = np.empty((w2s.size, w1s.size))
    for i, w2 in enumerate(w2s):
        for j, w1 in enumerate(w1s):
            net.weights[0][:, 0] = (w1, w2)
            E[i, j] = _cost(net, x, t, cost=cost)
    return E


@declare(w=TWO_WEIGHTS, d=POSITIVE)
def neighbour_weights(w, d=0.1):
    """The 3 values of each weight around w: (w1 - d, w1, w1 + d) and (w2 - d, w2, w2 + d)."""
    offsets = np.array([-d, 0.0, d])
    return w[0] + offsets, w[1] + offsets


def neighbour_errors(w, x, t, d=0.1, activation="sigmoid", cost="half_sse"):
    """The nine errors at {w1 - d, w1, w1 + d} x {w2 - d, w2, w2 + d}.

    Returns ``(w1s, w2s, E)`` with E of shape (3, 3) laid out as in ``error_grid``: ``E[1, 1]``
    is the error at w itself, ``E[1, 2]`` one step to the right (w1 + d), ``E[2, 1]`` one step up.
    """
    w1s, w2s = neighbour_weights(w, d)
    return w1s, w2s, error_grid(w1s, w2s, x, t, activation, cost)


@declare(E=rule(matrix, rows=3, cols=3), d=POSITIVE)
def slopes_from_neighbours(E, d=0.1):
    """Central differences read off the 3 x 3 neighbour errors: an estimate of (dE/dw1, dE/dw2)::

        dE/dw1 ~ (E(w1 + d, w2) - E(w1 - d, w2)) / (2d) = (E[1, 2] - E[1, 0]) / (2d)
        dE/dw2 ~ (E(w1, w2 + d) - E(w1, w2 - d)) / (2d) = (E[2, 1] - E[0, 1]) / (2d)

    The error of the estimate shrinks like d^2. Returns an array of shape (2,).
    """
    return np.array([E[1, 2] - E[1, 0], E[2, 1] - E[0, 1]]) / (2.0 * d)


@declare(w=TWO_WEIGHTS, **EXAMPLE)
def gradient(w, x, t, activation="sigmoid", cost="half_sse"):
    """(dE/dw1, dE/dw2) at w by backpropagation (``bplib.backward``); shape (2,).

    For the sigmoid and the half squared error this is  -(t - y) y (1 - y) x  (chapter 6).
    """
    return backward(network(w, activation), x, t, cost=cost).dW[0][:, 0].copy()


@declare(w0=TWO_WEIGHTS, **EXAMPLE, eta=POSITIVE, n_steps=count(minimum=0))
def descent_path(w0, x, t, eta, n_steps, activation="sigmoid", cost="half_sse"):
    """``n_steps`` steps of steepest descent from w0, w_new = w - eta dE/dw, by ``bplib.step``.

    Returns a ``DescentPath``: the n_steps + 1 weights visited (the start first), with E and the
    gradient at each of them.
    """
    net = network(w0, activation)
    ws, Es, grads = [], [], []
    for k in range(n_steps + 1):
        if k < n_steps:
            new, record = _step(net, x, t, eta, cost=cost)
        else:  # the last point: its E and gradient, and no step from it
            new, record = net, backward(net, x, t, cost=cost)
        ws.append(net.weights[0][:, 0].copy())
        Es.append(record.E)
        grads.append(record.dW[0][:, 0].copy())
        net = new
    return DescentPath(np.array(ws), np.array(Es), np.array(grads))
