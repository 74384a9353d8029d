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

from .. import _guard, _validate
from ..backprop import backward, cost as _cost, step as _step
from ..network import Network


class DescentPath(NamedTuple):
    """Where gradient descent went: ``ws[k]`` (k = 0..n) are the weights after k steps.

    ``Es[k]`` and ``grads[k]`` are E and dE/dw at ``ws[k]``; shapes (n+1, 2), (n+1,), (n+1, 2).
    """
    ws: np.ndarray
    Es: np.ndarray
    grads: np.ndarray


def _weights(w, name="w"):
    """``w`` as a float array of shape (2,)."""
    return _validate.vector(name, w, length=2, dtype=np.float64)


def _item(x, t):
    """One example as rows: x (1, 2) and t (1, 1); a flat x of two numbers or a scalar t is accepted."""
    x, t = _validate.array("x", x), _validate.array("t", t)
    x = _validate.matrix("x", x.reshape(1, -1) if x.ndim == 1 else x, rows=1, cols=2)
    t = _validate.matrix("t", t.reshape(1, 1) if t.ndim < 2 and t.size == 1 else t, rows=1, cols=1)
    return x, t


def network(w, activation="sigmoid"):
    """The one-unit network with weights w = (w1, w2): ``weights[0]`` has shape (2, 1), no bias."""
    return Network([_weights(w).reshape(2, 1)], None, activation)


@_guard.guarded
def error_at(w, x, t, activation="sigmoid", cost="half_sse"):
    """E(w) = 1/2 (t - f(w . x))^2 for one example, as a Python float (``bplib.cost``)."""
    x, t = _item(x, t)
    return _cost(network(w, activation), x, t, cost=cost)


@_guard.guarded
def error_grid(w1s, w2s, x, t, activation="sigmoid", cost="half_sse"):
    """E at every point of the grid w1s x w2s; shape (len(w2s), len(w1s)).

    ``E[i, j]`` is the error at (w1s[j], w2s[i]): rows follow w2 and columns w1, the layout of
    ``np.meshgrid(w1s, w2s)`` and of matplotlib's ``contour(w1s, w2s, E)``.
    """
    w1s, w2s = _validate.array("w1s", w1s), _validate.array("w2s", w2s)
    w1s = _validate.vector("w1s", w1s, length=w1s.size)
    w2s = _validate.vector("w2s", w2s, length=w2s.size)
    x, t = _item(x, t)
    net = network((0.0, 0.0), activation)  # one private network whose two weights are set in turn
    E = np.empty((w2s.size, w1s.size))
    for i, w2 in enumerate(w2s):
        for j, w1 in enumerate(w1s):
            net.weights[0][:, 0] = (w1, w2)
            E[i, j] = _cost(net, x, t, cost=cost)
    return E


@_guard.guarded
def neighbour_weights(w, d=0.1):
    """The 3 values of each weight around w: (w1 - d, w1, w1 + d) and (w2 - d, w2, w2 + d)."""
    w = _weights(w)
    d = _validate.real("d", d, positive=True)
    offsets = np.array([-d, 0.0, d])
    return w[0] + offsets, w[1] + offsets


def neighbour_errors(w, x, t, d=0.1, activation="sigmoid", cost="half_sse"):
    """The nine errors at {w1 - d, w1, w1 + d} x {w2 - d, w2, w2 + d}.

    Returns ``(w1s, w2s, E)`` with E of shape (3, 3) laid out as in ``error_grid``: ``E[1, 1]``
    is the error at w itself, ``E[1, 2]`` one step to the right (w1 + d), ``E[2, 1]`` one step up.
    """
    w1s, w2s = neighbour_weights(w, d)
    return w1s, w2s, error_grid(w1s, w2s, x, t, activation, cost)


@_guard.guarded
def slopes_from_neighbours(E, d=0.1):
    """Central differences read off the 3 x 3 neighbour errors: an estimate of (dE/dw1, dE/dw2)::

        dE/dw1 ~ (E(w1 + d, w2) - E(w1 - d, w2)) / (2d) = (E[1, 2] - E[1, 0]) / (2d)
        dE/dw2 ~ (E(w1, w2 + d) - E(w1, w2 - d)) / (2d) = (E[2, 1] - E[0, 1]) / (2d)

    The error of the estimate shrinks like d^2. Returns an array of shape (2,).
    """
    E = _validate.matrix("E", E, rows=3, cols=3)
    d = _validate.real("d", d, positive=True)
    return np.array([E[1, 2] - E[1, 0], E[2, 1] - E[0, 1]]) / (2.0 * d)


@_guard.guarded
def gradient(w, x, t, activation="sigmoid", cost="half_sse"):
    """(dE/dw1, dE/dw2) at w by backpropagation (``bplib.backward``); shape (2,).

    For the sigmoid and the half squared error this is  -(t - y) y (1 - y) x  (chapter 6).
    """
    x, t = _item(x, t)
    return backward(network(w, activation), x, t, cost=cost).dW[0][:, 0].copy()


@_guard.guarded
def descent_path(w0, x, t, eta, n_steps, activation="sigmoid", cost="half_sse"):
    """``n_steps`` steps of steepest descent from w0, w_new = w - eta dE/dw, by ``bplib.step``.

    Returns a ``DescentPath``: the n_steps + 1 weights visited (the start first), with E and the
    gradient at each of them.
    """
    n_steps = _validate.integer("n_steps", n_steps, minimum=0)
    eta = _validate.real("eta", eta, positive=True)
    x, t = _item(x, t)
    net = network(_weights(w0, "w0"), activation)
    ws, Es, grads = [], [], []
    for _ in range(n_steps):
        new, record = _step(net, x, t, eta, cost=cost)
        ws.append(net.weights[0][:, 0].copy())
        Es.append(record.E)
        grads.append(record.dW[0][:, 0].copy())
        net = new
    last = backward(net, x, t, cost=cost)
    ws.append(net.weights[0][:, 0].copy())
    Es.append(last.E)
    grads.append(last.dW[0][:, 0].copy())
    return DescentPath(np.array(ws), np.array(Es), np.array(grads))
