"""Why training starts from random weights: equal hidden units stay equal (chapter 7).

Take a network whose hidden units j and k start with the same incoming weights (and biases) and
the same outgoing weights. On every example they get the same input z and so the same output y.
Their errors come from the chapter's rule

    error_j = y_j (1 - y_j) sum_m w_jm error_m,

and since y_j = y_k and w_jm = w_km for every unit m of the next layer, error_j = error_k. Each
incoming weight then moves by -eta y_i error_j (the same for j and k) and each outgoing weight
by -eta y_j error_m (the same again). After the step the two units are still equal, and by
induction they are equal after any number of steps: the network behaves as if it had one hidden
unit, however many it was given. Random starting weights make the units differ from the start,
so their errors and updates differ and they can learn different features.

The task is XOR on the four corners (+-1, +-1) of chapter 1's data set (target 1 where the two
inputs differ). A 2-H-1 sigmoid network is trained by full-batch gradient descent on the average
half squared error, one ``bplib.step`` per epoch (four examples, one batch). Shapes: X (4, 2),
T (4, 1); ``weights[0]`` (2, H), ``biases[0]`` (H,).

Identical hidden units cannot fit XOR. Their common output h is a monotone function of
z = w_1 x_1 + w_2 x_2 + b, and the output a monotone function of h, so the outputs follow the
order of z over the four corners; no order puts both targets 0 on one side and both targets 1 on
the other (XOR is not linearly separable). The best monotone fit to targets ordered (0, 1, 1, 0)
or (1, 0, 0, 1) is (0, 2/3, 2/3, 2/3) or (1/3, 1/3, 1/3, 1): squared errors summing to 2/3, an
average half squared error of 1/12 (``EQUAL_UNITS_FLOOR``) that equal units can approach but
never beat.
"""
from typing import NamedTuple

import numpy as np

from .._validate import POSITIVE, REAL, SEED, count, declare
from ..backprop import cost as _cost, step as _step
from ..network import INPUTS, NETWORK, TARGETS, Network

__all__ = ["xor", "equal_network", "random_network", "unit_difference", "train_watching", "compare_starts"]

MAX_START = 100.0  # larger starting weights only saturate every unit
EQUAL_UNITS_FLOOR = 1.0 / 12.0  # the lowest average half squared error identical hidden units can approach


class Watch(NamedTuple):
    """One training run watched epoch by epoch; ``difference[e]`` and ``cost[e]`` after e epochs.

    ``difference``: ``unit_difference`` of the hidden layer, shape (epochs + 1,);
    ``cost``: the average half squared error on X, shape (epochs + 1,); ``net``: the trained network.
    """
    difference: np.ndarray
    cost: np.ndarray
    net: Network


def xor():
    """The four XOR corners as rows, ``(X, T)``: X (4, 2) in {-1, 1}, T (4, 1) = 1 where x_1 != x_2."""
    X = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    T = np.array([[0.0], [0.0], [1.0], [1.0]])
    return X, T


def _start(name, value, arguments):
    """A starting weight or bias: a real number of size at most ``MAX_START`` (a sigmoid is flat beyond)."""
    value = REAL(name, value, arguments)
    if abs(value) > MAX_START:
        raise ValueError(f"{name} must be between -{MAX_START} and {MAX_START}; received {value}")
    return value


HIDDEN_UNITS = count(minimum=2, maximum=1000)


@declare(n_hidden=HIDDEN_UNITS, weight=_start, bias=_start)
def equal_network(n_hidden=3, weight=0.5, bias=0.0):
    """A 2-``n_hidden``-1 sigmoid network whose every weight is ``weight`` and every bias ``bias``.

    All hidden units are identical: same incoming weights, same bias, same outgoing weight.
    """
    return Network([np.full((2, n_hidden), weight), np.full((n_hidden, 1), weight)],
                   [np.full(n_hidden, bias), np.full(1, bias)], "sigmoid")


@declare(n_hidden=HIDDEN_UNITS, rng=SEED)
def random_network(n_hidden=3, rng=0):
    """A 2-``n_hidden``-1 sigmoid network from ``Network.random``: weights N(0, 1/n_in), biases 0."""
    return Network.random([2, n_hidden, 1], "sigmoid", rng=rng)


def _layer(name, layer, arguments):
    return count(minimum=0, maximum=len(arguments["net"].weights) - 1)(name, layer, arguments)


@declare(net=NETWORK, layer=_layer)
def unit_difference(net, layer=0):
    """How far apart the units fed by ``weights[layer]`` are: max over pairs j, k and inputs i of

        abs(w_ij - w_ik)   (and abs(b_j - b_k) where the layer has biases).

    Unit j's incoming weight vector is column j of ``weights[layer]`` (shape (n_in,)), with
    ``biases[layer][j]`` appended. 0.0 exactly when every unit of the layer has the same vector.
    """
    incoming = net.weights[layer]
    if net.biases[layer] is not None:
        incoming = np.vstack([incoming, net.biases[layer][None, :]])
    # columns j and k differ most where max_i |w_ij - w_ik| is largest; over all pairs that is the
    # largest spread (max - min) of any row across the units
    return float(np.max(incoming.max(axis=1) - incoming.min(axis=1)))


def _hidden_layer(name, net, arguments):
    if len(NETWORK(name, net, arguments).weights) < 2:
        raise ValueError(f"{name} must have a hidden layer; received a network of sizes {net.sizes}")
    return net


@declare(net=_hidden_layer, X=INPUTS, T=TARGETS, eta=POSITIVE, epochs=count(minimum=0, maximum=100_000))
def train_watching(net, X, T, eta=2.0, epochs=2000):
    """Full-batch gradient descent for ``epochs`` epochs, one ``bplib.step`` each; a ``Watch``.

    Records ``unit_difference(net, 0)`` and the average half squared error before training and
    after every epoch. ``net`` needs at least one hidden layer; it is left unchanged.
    """
    difference, cost = [unit_difference.unchecked(net)], [_cost.unchecked(net, X, T, average=True)]
    for _ in range(epochs):
        net, _ = _step.unchecked(net, X, T, eta)
        difference.append(unit_difference.unchecked(net))
        cost.append(_cost.unchecked(net, X, T, average=True))
    return Watch(np.array(difference), np.array(cost), net)


def compare_starts(n_hidden=3, weight=0.5, bias=0.0, eta=2.0, epochs=2000, rng=0):
    """Train XOR from an equal start and from a random one; ``{"equal": Watch, "random": Watch}``.

    The equal start is ``equal_network(n_hidden, weight, bias)``, the random one
    ``random_network(n_hidden, rng)``; both learn with the same ``eta`` for the same ``epochs``.
    """
    X, T = xor()
    starts = {"equal": equal_network(n_hidden, weight, bias), "random": random_network(n_hidden, rng)}
    return {start: train_watching(net, X, T, eta, epochs) for start, net in starts.items()}
