"""Online, mini-batch and full-batch gradient descent as one loop (chapter 10).

``batch_size=1`` is online learning (update after every example), ``batch_size=None`` (or n) is
full-batch learning, anything between is mini-batch. Each step follows the gradient of the
*average* cost over its batch, plus the L2 term, so the learning rate means the same thing
whatever the batch size.

Regularisation therefore enters as ``(1/n) sum_i E_i + lam sum w^2``: full-batch training with
``lam`` minimises the lecture's ``E = sum_i E_i + lam' sum w^2`` (divided by n) with
``lam' = n * lam``. To train on the lecture's E with its lambda, pass ``lam = lambda / n``
(chapter 2 does this).

A step whose cost or weights stop being finite raises ``ValueError`` (the learning rate is too
large for the problem) instead of carrying NaN forward.
"""
from typing import NamedTuple

import numpy as np

from . import _validate
from .backprop import ORDERS, _check_cost, _check_data, _check_net, _cost, _forward, _scale, _step


class History(NamedTuple):
    """What training recorded.

    ``steps[s]``: the average cost on the batch of step s, measured in that step's forward pass
    (before its update). ``epochs[e]``: the average cost on all of X after epoch e (index 0 is
    before training); empty when ``record_epochs=False``.
    """
    steps: list
    epochs: list


def train(net, X, T, eta, epochs=1, batch_size=None, cost="half_sse", lam=0.0, order="simultaneous",
          rng=None, shuffle=True, learn_biases=True, record_epochs=True):
    """Train ``net`` on inputs X (n, n_0) and targets T (n, n_L); return ``(net, history)``.

    Each epoch visits the examples once, in a fresh order drawn from ``rng`` (a seed or a
    ``numpy.random.Generator``) when ``shuffle`` is true, in batches of ``batch_size``.
    The network passed in is left unchanged.
    """
    eta = _validate.real("eta", eta, positive=True)
    _validate.choice("order", order, ORDERS)

    def gradient_step(net, X, T, cost, lam, scale):
        return _step(net, X, T, eta, cost, lam, order, scale, learn_biases, in_place=True)[1].E

    return _loop(net, X, T, gradient_step, epochs, batch_size, cost, lam, rng, shuffle, record_epochs,
                 f"eta = {eta} is too large for this network and data; try a smaller eta")


def _loop(net, X, T, take_step, epochs, batch_size, cost, lam, rng, shuffle, record_epochs, advice):
    """The epochs-and-batches loop shared by ``train`` and ``optimizers.train_with``.

    ``take_step(net, X_batch, T_batch, cost, lam, scale)`` updates ``net`` in place from one batch
    and returns the batch's cost before the update. ``advice`` ends the message if training
    diverges.
    """
    net = _check_net(net)
    X, T = _check_data(net, X, T)
    lam = _check_cost(net, cost, lam)
    epochs = _validate.integer("epochs", epochs, minimum=0)
    n = X.shape[0]
    batch_size = n if batch_size is None else _validate.integer("batch_size", batch_size)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of examples ({n}); received {batch_size}")
    rng = _validate.generator("rng", rng)

    def full_cost(net):
        zs, ys = _forward(net, X)
        return _cost(net, zs, ys, T, cost, lam, _scale(cost, n, True))

    net = net.copy()  # trained in place from here on; the caller's network is left unchanged
    steps, epoch_costs = [], [full_cost(net)] if record_epochs else []
    try:
        with np.errstate(over="raise", invalid="raise"):
            for _ in range(epochs):
                order_of_examples = rng.permutation(n) if shuffle else np.arange(n)
                for start in range(0, n, batch_size):
                    batch = order_of_examples[start:start + batch_size]
                    steps.append(take_step(net, X[batch], T[batch], cost, lam, _scale(cost, len(batch), True)))
                if record_epochs:
                    epoch_costs.append(full_cost(net))
    except FloatingPointError as error:
        raise ValueError(f"training diverged after {len(steps)} steps ({error}): {advice}") from error
    return net, History(steps, epoch_costs)
