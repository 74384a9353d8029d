"""The forward pass, the backward pass and one gradient step, without argument checks (chapters 6-9).

This is the mathematics alone. Callers check their arguments once, at the public entry
(``backprop``, ``train``, ``gradient_check``, ``search``, ``optimizers``, each declaring its
constraints with ``_validate.declare``), and then call these functions as often as they need:
10,000 online steps of training check X and T once, not 10,000 times. Everything here trusts that ``net`` is a
``Network``, X (n, n_0) and T (n, n_L) are finite float arrays of ``net``'s dtype, ``cost``
names a cost in ``costs.COSTS``, ``lam >= 0`` and ``eta > 0`` are floats.

The lists are kept as in Nielsen's ``network.py`` (``ys`` is his ``activations``); the weights
are not his: ``weights[l]`` is (n_in, n_out), from -> to as the lecture's w_ij, one example per
row, and f' is written from y (the notation page maps his BP1-BP4). ``ys[0]`` is the input X and,
for every layer l,

    zs[l] = ys[l] @ weights[l] + biases[l]        (n, n_{l+1})   pre-activations
    ys[l + 1] = f_l(zs[l])                        (n, n_{l+1})   activations
    deltas[l] = dE/dzs[l]                         (n, n_{l+1})   the lecture's error_j

so ``zs``, ``deltas`` and ``weights`` share an index and ``ys`` runs one ahead. With those,

    deltas[-1] = dE/dy * f'(y)                    output error (chapter 6); y - t for nll, and for a softmax under categorical_cross_entropy
    deltas[l - 1] = (deltas[l] @ weights[l].T) * f'(ys[l])   weighted errors sent back (chapter 7)
    dW[l] = ys[l].T @ deltas[l] + 2 lam weights[l]   dE/dw_ij = out_i error_j, summed over examples
    db[l] = deltas[l] summed over examples
"""
import copy
from typing import NamedTuple

import numpy as np

from . import activations as _activations, costs as _costs

ORDERS = ("simultaneous", "layerwise")
# every activation by name, for any layer: Network allows the softmax on the output layer only
LAYER_FUNCTIONS = {**_activations.ACTIVATIONS, **_activations.OUTPUT_ACTIVATIONS}


class Forward(NamedTuple):
    zs: list
    ys: list


class Backward(NamedTuple):
    """Everything one backward pass produces; ``E`` is the cost at the forward pass's weights."""
    zs: list
    ys: list
    deltas: list
    dW: list
    db: list
    E: float


def batch_scale(cost, n, average):
    """The factor that turns the data term summed over n examples into their average (or 1.0).

    ``mse`` and ``mae`` are averages already, so averaging leaves them alone.
    """
    return 1.0 / n if average and not _costs.is_average.unchecked(cost) else 1.0


def forward_pass(net, X, functions=None):
    """Every layer's ``zs`` and ``ys`` for the rows of X (n, n_0); ``ys[0]`` is X itself.

    ``functions`` (one activation per layer) defaults to the network's own; the training loop
    passes ``_loop.loop_activations(net)``.
    """
    ys, zs = [X], []
    for W, b, f in zip(net.weights, net.biases, functions or activation_functions(net)):
        z = ys[-1] @ W
        if b is not None:
            z += b
        zs.append(z)
        ys.append(f(z))
    return zs, ys


def activation_functions(net):
    """f_l for every layer l, from ``activations.ACTIVATIONS`` (the output's may be a softmax)."""
    return [LAYER_FUNCTIONS[name][0] for name in net.activations]


def cost_value(net, zs, ys, T, cost, lam, scale):
    """E = scale * (data term on the output layer) + lam sum w^2, as a Python float."""
    return float(scale * _costs.value.unchecked(cost, zs[-1], ys[-1], T)) + _costs.l2_penalty.unchecked(net.weights, lam)


def output_error(net, zs, ys, T, cost, lam, scale):
    """``(E, delta)``: ``cost_value`` and the output layer's delta = scale * dE/dy * f'(y) (n, n_L).

    For the lecture's half sum of squares the residual r = y - t serves both:
    E = 1/2 sum r^2 and dE/dy = -(t - y) = r (``costs.half_sse`` and ``costs.half_sse_prime``,
    computed once instead of twice; the same numbers to the last bit).

    A softmax output has no f'(y): its delta is ``costs.categorical_cross_entropy_delta``
    (y - t) under that cost, and otherwise dE/dy carried through the softmax's Jacobian
    (``activations.softmax_backward``).
    """
    y, last = ys[-1], net.activations[-1]
    if last in _activations.OUTPUT_ACTIVATIONS:  # the softmax (the cost suits it: costs.COST)
        E = cost_value(net, zs, ys, T, cost, lam, scale)
        dE = _costs.COSTS[cost][1](y, T)  # dE/dz for a cost that takes z, else dE/dy
        delta = dE if cost in _costs.FROM_Z else _activations.OUTPUT_ACTIVATIONS[last][1](y, dE)
    elif cost == "half_sse":
        r = y - T
        E = float(scale * (0.5 * np.add.reduce(r ** 2, axis=None))) + _costs.l2_penalty.unchecked(net.weights, lam)
        delta = r * _activations.ACTIVATIONS[last][1](y)
    else:
        E = cost_value(net, zs, ys, T, cost, lam, scale)
        delta = _costs.output_delta.unchecked(cost, y, T, _activations.ACTIVATIONS[last][1])
    if scale != 1.0:
        delta *= scale
    return E, delta


def backward_pass(net, zs, ys, T, cost, lam, scale, move=None):
    """One backward pass: a ``Backward`` record, E the cost at the forward pass's weights.

    Without ``move`` the errors are sent back through the forward pass's weights, so dW is the
    true gradient. ``move(l, dW[l], db[l])``, when given, moves layer l as soon as its gradient
    is known, before its errors are sent back through ``net.weights[l]``: the slides' layerwise
    order (chapter 9), in which the errors from layer l use its weights *after* their update.
    """
    L, weights, biases = len(net.weights), net.weights, net.biases
    derivatives = [_activations.ACTIVATIONS[name][1] for name in net.activations[:-1]]  # the output's: output_error
    deltas, dW, db = [None] * L, [None] * L, [None] * L
    E, delta = output_error(net, zs, ys, T, cost, lam, scale)
    for l in range(L - 1, -1, -1):
        deltas[l] = delta
        dW[l] = ys[l].T @ delta
        if lam:
            dW[l] += _costs.l2_gradient.unchecked(weights[l], lam)
        if biases[l] is not None:
            db[l] = np.add.reduce(delta, axis=0)  # delta.sum(axis=0), without its Python wrapper
        if move is not None:
            move(l, dW[l], db[l])
        if l > 0:
            delta = (delta @ weights[l].T) * derivatives[l - 1](ys[l])
    return Backward(zs, ys, deltas, dW, db, E)


def descent_pass(net, zs, ys, T, cost, lam, scale, eta, order, learn_biases, in_place):
    """The backward pass and w <- w - eta dE/dw for every layer of ``net``; returns its ``Backward``.

    Under ``order="simultaneous"`` every layer moves after the pass, along the true gradient;
    under "layerwise" each moves as soon as its gradient is known (``backward_pass``'s ``move``).
    ``in_place=True`` moves ``net``'s own arrays (``train`` does, on its private copy) and leaves
    eta dE/dw in dW; otherwise each layer's weights become a new array in ``net.weights``.
    """
    def move(l, dW, db):
        """w <- w - eta dE/dw for layer l (and its bias, if it has one and ``learn_biases``).

        In place, dW itself becomes eta dE/dw: no second array of the weights' size per step (with
        784-256 weights, that temporary's fresh pages cost more than the update's arithmetic).
        """
        if in_place:
            dW *= eta
            net.weights[l] -= dW
        else:
            net.weights[l] = net.weights[l] - eta * dW
        if db is not None and learn_biases:
            net.biases[l] -= eta * db  # the bias array is the moving network's own

    if order == "layerwise":
        return backward_pass(net, zs, ys, T, cost, lam, scale, move)
    record = backward_pass(net, zs, ys, T, cost, lam, scale)
    for l in range(len(net.weights)):
        move(l, record.dW[l], record.db[l])
    return record


def descent_step(net, X, T, eta, cost, lam, order, scale, learn_biases=True):
    """One step of gradient descent on the rows of X, T: ``(new_net, Backward)`` (chapter 9).

    ``net`` is left as it was: the step moves a new network, which shares the weight arrays until
    each is replaced and has biases of its own; ``train`` takes the same step in place
    (``train.gradient_steps``).
    """
    zs, ys = forward_pass(net, X)
    new = copy.copy(net)
    new.weights, new.activations = list(net.weights), list(net.activations)
    new.biases = [None if b is None else b.copy() for b in net.biases]
    return new, descent_pass(new, zs, ys, T, cost, lam, scale, eta, order, learn_biases, in_place=False)
