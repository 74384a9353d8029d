"""Forward pass, backward pass and the weight update (chapters 6-9).

Indexing follows Nielsen's ``network.py``: ``ys[0]`` is the input X and, for every layer l,

    zs[l] = ys[l] @ weights[l] + biases[l]        (n, n_{l+1})   pre-activations
    ys[l + 1] = f_l(zs[l])                        (n, n_{l+1})   activations
    deltas[l] = dE/dzs[l]                         (n, n_{l+1})   the lecture's error_j

so ``zs``, ``deltas`` and ``weights`` share an index and ``ys`` runs one ahead. With those,

    deltas[-1] = dE/dy * f'(y)                     output error (chapter 6)
    deltas[l - 1] = (deltas[l] @ weights[l].T) * f'(ys[l])   weighted errors sent back (chapter 7)
    dW[l] = ys[l].T @ deltas[l] + 2 lam weights[l] dE/dw_ij = out_i error_j, summed over examples
    db[l] = deltas[l] summed over examples
"""
from typing import NamedTuple

from . import _validate, activations as _activations, costs as _costs
from .network import Network

ORDERS = ("simultaneous", "layerwise")


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


def _check_net(net):
    if not isinstance(net, Network):
        raise TypeError(f"net must be a bplib.Network; received {_validate.describe(net)}")
    return net


def _check_inputs(net, X):
    return _validate.matrix("X", X, cols=net.sizes[0], dtype=net.dtype)


def _check_data(net, X, T):
    X = _check_inputs(net, X)
    return X, _validate.matrix("T", T, rows=X.shape[0], cols=net.sizes[-1], dtype=net.dtype)


def _scale(cost, n, average):
    """The factor that turns the summed data term into the average over n examples.

    ``mse`` is an average already, so averaging leaves it alone.
    """
    return 1.0 / n if average and not _costs.is_average(cost) else 1.0


def _check_cost(net, cost, lam):
    _costs.check_name(cost)
    if cost == "nll" and net.activations[-1] != "sigmoid":
        raise ValueError(f"cost 'nll' needs a sigmoid output layer; received output activation "
                         f"{net.activations[-1]!r}")
    return _validate.real("lam", lam, nonnegative=True)


def _forward(net, X):
    ys, zs = [X], []
    for W, b, name in zip(net.weights, net.biases, net.activations):
        z = ys[-1] @ W
        if b is not None:
            z += b
        zs.append(z)
        ys.append(_activations.ACTIVATIONS[name][0](z))
    return zs, ys


def forward(net, X):
    """Push the rows of X (n, n_0) through ``net``; return every layer's ``zs`` and ``ys``.

    ``ys[0]`` is X itself and ``ys[-1]`` the network's output (n, n_L).
    """
    net = _check_net(net)
    return Forward(*_forward(net, _check_inputs(net, X)))


def _cost(net, zs, ys, T, cost, lam, scale):
    return float(scale * _costs.value(cost, zs[-1], ys[-1], T)) + _costs.l2_penalty(net.weights, lam)


def cost(net, X, T, cost="half_sse", lam=0.0, average=False):
    """E for ``net`` on inputs X (n, n_0) and targets T (n, n_L), plus the L2 term lam sum w^2.

    ``average=True`` divides the data term (not the penalty) by n: the cost whose gradient a
    mini-batch step follows.
    """
    net = _check_net(net)
    X, T = _check_data(net, X, T)
    lam = _check_cost(net, cost, lam)
    zs, ys = _forward(net, X)
    return _cost(net, zs, ys, T, cost, lam, _scale(cost, X.shape[0], average))


def _backward(net, zs, ys, T, cost, lam, scale, eta=None, order="simultaneous", learn_biases=True,
              in_place=False):
    """One backward pass; with ``eta`` also the update, layer by layer from the output.

    Under ``order="layerwise"`` (the slides' order) the errors sent back from layer l use
    weights[l] *after* its update; under "simultaneous" every update waits until the pass is
    over, so the errors use the forward pass's weights, which makes dW the true gradient.
    ``in_place=True`` updates ``net``'s own arrays (``train`` does, on its private copy);
    otherwise new arrays are made and ``net`` is left as it was.
    """
    L = len(net.weights)
    derivatives = [_activations.ACTIVATIONS[name][1] for name in net.activations]
    deltas, dW, db = [None] * L, [None] * L, [None] * L
    if in_place:
        new_weights, new_biases = net.weights, net.biases
    else:
        new_weights = list(net.weights)
        new_biases = [None if b is None else b.copy() for b in net.biases]  # a new network never shares arrays

    def update(l):
        if in_place:
            new_weights[l] -= eta * dW[l]
        else:
            new_weights[l] = net.weights[l] - eta * dW[l]
        if db[l] is not None and learn_biases:
            new_biases[l] -= eta * db[l]  # new_biases[l] is already this network's own array

    delta = _costs.output_delta(cost, ys[-1], T, derivatives[-1])
    if scale != 1.0:
        delta *= scale
    for l in range(L - 1, -1, -1):
        deltas[l] = delta
        dW[l] = ys[l].T @ delta
        if lam:
            dW[l] += _costs.l2_gradient(net.weights[l], lam)
        if net.biases[l] is not None:
            db[l] = delta.sum(axis=0)
        if eta is not None and order == "layerwise":
            update(l)
        if l > 0:
            delta = (delta @ new_weights[l].T) * derivatives[l - 1](ys[l])
    if eta is not None and order == "simultaneous":
        for l in range(L):
            update(l)
    return deltas, dW, db, new_weights, new_biases


def backward(net, X, T, cost="half_sse", lam=0.0, average=False):
    """Forward then backward pass: every ``delta = dE/dz`` and every ``dE/dW``, ``dE/db``.

    Shapes: ``deltas[l]`` (n, n_{l+1}); ``dW[l]`` like ``weights[l]``; ``db[l]`` like
    ``biases[l]`` (None where the layer has no bias). E is summed over the n examples unless
    ``average=True``. Returns a ``Backward`` with the forward pass and the cost too.
    """
    net = _check_net(net)
    X, T = _check_data(net, X, T)
    lam = _check_cost(net, cost, lam)
    scale = _scale(cost, X.shape[0], average)
    zs, ys = _forward(net, X)
    deltas, dW, db, _, _ = _backward(net, zs, ys, T, cost, lam, scale)
    return Backward(zs, ys, deltas, dW, db, _cost(net, zs, ys, T, cost, lam, scale))


def _gradient_list(name, grads, net, allow_none):
    if grads is None and allow_none:
        return [None] * len(net.weights)
    if not isinstance(grads, (list, tuple)):
        raise TypeError(f"{name} must be a list of {len(net.weights)} arrays, one per layer; "
                        f"received {_validate.describe(grads)}")
    if len(grads) != len(net.weights):
        raise ValueError(f"{name} must be a list of {len(net.weights)} arrays, one per layer; "
                         f"received a list of {len(grads)}")
    return list(grads)


def update(net, dW, db, eta):
    """w_new = w_old - eta dE/dw for every weight (and bias where ``db`` has one); a new Network.

    ``dW`` (and ``db``, or None) are lists with one entry per layer, shaped like the weights
    (and biases): what ``backward`` returns.
    """
    net = _check_net(net)
    eta = _validate.real("eta", eta, positive=True)
    dW = _gradient_list("dW", dW, net, allow_none=False)
    db = _gradient_list("db", db, net, allow_none=True)
    weights = [W - eta * _validate.matrix(f"dW[{l}]", g, rows=W.shape[0], cols=W.shape[1], dtype=net.dtype)
               for l, (W, g) in enumerate(zip(net.weights, dW))]
    biases = [b if (b is None or g is None) else b - eta * _validate.vector(f"db[{l}]", g, length=b.size, dtype=net.dtype)
              for l, (b, g) in enumerate(zip(net.biases, db))]
    return Network(weights, biases, net.activations, dtype=net.dtype)


def step(net, X, T, eta, cost="half_sse", lam=0.0, order="simultaneous", average=True, learn_biases=True):
    """One step of gradient descent on the examples in X, T; returns ``(new_net, record)``.

    ``order="simultaneous"`` (default) moves every weight along the true gradient at the old
    weights. ``order="layerwise"`` is the lecture's worked examples: update the output layer
    first, then back-propagate the errors through the *updated* weights (chapter 9).
    ``record`` is the ``Backward`` of the step, its deltas as that order computed them.
    ``learn_biases=False`` keeps the biases fixed (the recommended reading's example).
    """
    net = _check_net(net)
    X, T = _check_data(net, X, T)
    lam = _check_cost(net, cost, lam)
    eta = _validate.real("eta", eta, positive=True)
    _validate.choice("order", order, ORDERS)
    return _step(net, X, T, eta, cost, lam, order, _scale(cost, X.shape[0], average), learn_biases)


def _step(net, X, T, eta, cost, lam, order, scale, learn_biases=True, in_place=False):
    zs, ys = _forward(net, X)
    E = _cost(net, zs, ys, T, cost, lam, scale)  # before the update: the cost this step descends
    deltas, dW, db, weights, biases = _backward(net, zs, ys, T, cost, lam, scale, eta, order, learn_biases, in_place)
    if in_place:
        new = net
    else:
        new = Network.__new__(Network)  # skip re-validation: the arrays came from a valid network
        new.weights, new.biases, new.activations = weights, biases, list(net.activations)
    return new, Backward(zs, ys, deltas, dW, db, E)
