"""The epochs-and-batches loop that ``train`` and ``optimizers.train_with`` share (chapter 10).

``run_epochs`` trusts its arguments (its public callers declare ``LOOP``), copies the network, and
then, every epoch, puts the examples in a fresh order (or keeps theirs), cuts them into batches of
``batch_size`` rows and hands each batch to ``take_step``, which moves the copy's weights in place. Each step's cost is
the batch average (``_passes.batch_scale``), so the learning rate means the same whatever the
batch size. Arithmetic that overflows or turns invalid stops training with a ``ValueError``.
"""
from typing import NamedTuple

import numpy as np

from . import activations as _activations
from ._passes import activation_functions, batch_scale
from .backprop import cost as cost_of
from ._validate import FLAG, SEED, count, finite, integer, overflow

SMALL_DATA = 1 << 20  # bytes of X and T up to which an epoch reorders all of them at once


def BATCH_SIZE(name, value, arguments):
    """None (all n examples of X), or a count of at most n."""
    n = arguments["X"].shape[0]
    value = n if value is None else integer(name, value)
    if value > n:
        raise ValueError(f"{name} must be at most the number of examples ({n}); received {value}")
    return value


EPOCHS = count(minimum=0)
LOOP = dict(epochs=EPOCHS, batch_size=BATCH_SIZE, rng=SEED, shuffle=FLAG, record_epochs=FLAG)


class History(NamedTuple):
    """What training recorded.

    ``steps[s]``: the average cost on the batch of step s, measured in that step's forward pass
    (before its update). ``epochs[e]``: the average cost on all of X after epoch e (index 0 is
    before training); empty when ``record_epochs=False``.
    """
    steps: list
    epochs: list


def run_epochs(net, X, T, take_step, *, epochs, batch_size, cost, lam, rng, shuffle, record_epochs, advice,
               stop_above=None):
    """Train a copy of ``net`` for ``epochs`` epochs; return ``(trained_copy, History)``.

    ``take_step(net, X_batch, T_batch, cost, lam, scale, functions)`` updates ``net`` in place
    from one batch (rows (b, n_0) and (b, n_L)) and returns the batch's cost before the update;
    ``scale`` is 1/b for a summed cost, ``functions`` the activations for ``_passes.forward_pass``
    (``loop_activations``). ``advice`` ends the message if training diverges. With
    ``record_epochs``, training stops after the first epoch whose cost exceeds ``stop_above``.
    """
    n = X.shape[0]
    scales = {b: batch_scale(cost, b, True) for b in {batch_size, n % batch_size or batch_size, n}}

    def full_cost(net):
        return cost_of.unchecked(net, X, T, cost, lam, average=True)

    start = net
    net = net.copy()  # trained in place from here on; the caller's network is left unchanged
    functions = loop_activations(net)

    def starting_cost():
        """The cost at the starting weights. If it overflows, the data, the weights or lam are too
        large, whatever eta is; an overflow later in training is a step that was too large."""
        what, inputs = "the cost at the starting weights", dict(X=X, T=T, lam=lam, weights=start.weights)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                return finite(what, full_cost(start), inputs)
        except FloatingPointError as error:
            raise overflow(what, error, inputs) from None

    # computed up front only when it is recorded: for one epoch of a large data set it would cost
    # as much as a third of the epoch; otherwise it is computed only if training fails
    steps, epoch_costs = [], [starting_cost()] if record_epochs else []
    try:
        with np.errstate(over="raise", invalid="raise"):
            for _ in range(epochs):
                for x, t in batches(X, T, batch_size, rng.permutation(n) if shuffle else None):
                    steps.append(take_step(net, x, t, cost, lam, scales[len(x)], functions))
                if record_epochs:
                    epoch_costs.append(full_cost(net))
                    if stop_above is not None and epoch_costs[-1] > stop_above:
                        break
    except FloatingPointError as error:
        if not record_epochs:
            starting_cost()  # raises, naming the large input, if the trouble was there from the start
        penalty = f"; lam = {lam} adds 2 lam w to every gradient, so a large lam makes each step larger too" if lam else ""
        raise ValueError(f"training diverged after {len(steps)} steps ({error}): {advice}{penalty}") from error
    finite("the costs recorded in training", (steps, epoch_costs), dict(X=X, T=T, lam=lam))
    return net, History(steps, epoch_costs)


def batches(X, T, batch_size, order=None):
    """The epoch's batches ``(x, t)`` of ``batch_size`` rows (the last may be smaller), in ``order``.

    ``order`` is a permutation of the row indices, or None for the rows as they are. Small data
    (X and T together up to ``SMALL_DATA`` bytes) is put in order once and each batch is a slice
    of it; large data is gathered a batch at a time, so each batch is still in cache for its
    matrix products and no copy of all of X is made every epoch. The same rows either way.
    """
    n = X.shape[0]
    if order is not None and X.nbytes + T.nbytes <= SMALL_DATA:
        X, T, order = X[order], T[order], None
    for start in range(0, n, batch_size):
        rows = slice(start, start + batch_size) if order is None else order[start:start + batch_size]
        yield X[rows], T[rows]


def loop_activations(net):
    """``activation_functions(net)`` for code that runs inside ``np.errstate(over="raise")``.

    The sigmoid becomes ``_sigmoid_raising``: the same numbers, without entering an errstate
    of its own on every call (on a 2-2-1 network that costs as much as the arithmetic).
    """
    return [_sigmoid_raising if f is _activations.sigmoid.unchecked else f for f in activation_functions(net)]


def _sigmoid_raising(z):
    """``activations.sigmoid`` where overflow raises: 1 / (1 + exp(-z)), and the public sigmoid,
    which silences the harmless overflow of exp(-z) for z below about -709, when it does."""
    try:
        return 1.0 / (1.0 + np.exp(-z))
    except FloatingPointError:
        return _activations.sigmoid.unchecked(z)
