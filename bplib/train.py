"""Online, mini-batch and full-batch gradient descent as one loop (chapter 10).

``batch_size=1`` is online learning (update after every example), ``batch_size=None`` (or n) is
full-batch learning, anything between is mini-batch. Each step follows the gradient of the
*average* cost over its batch, plus the L2 term, so the learning rate means the same thing
whatever the batch size.

Regularisation therefore enters as ``(1/n) sum_i E_i + lam sum w^2``, the lecture's
``E = sum_i E_i + lambda sum w^2`` divided by n with ``lambda = n * lam``: to train on the lecture's
E with its lambda, pass ``lam = lambda / n`` (chapter 2, section 2.4, compares the conventions and
section 2.7 does this). Nielsen's lambda is ``2 n lam`` with ``cost="half_sse"`` or ``"nll"``
(his data term is the average half squared error or log likelihood) and ``n lam`` with
``cost="sse"`` or ``"mse"``, whose squares are not halved.

A step whose cost or weights stop being finite raises ``ValueError`` (the learning rate is too
large for the problem) instead of carrying NaN forward.
"""
from .backprop import DATA
from ._loop import LOOP, History, run_epochs
from ._passes import ORDERS, descent_pass, forward_pass
from ._validate import FLAG, NONNEGATIVE, POSITIVE, declare, one_of

__all__ = ["train", "History"]  # gradient_steps and too_large are shared with optimizers only


@declare(**DATA, lam=NONNEGATIVE, eta=POSITIVE, order=one_of(*ORDERS), learn_biases=FLAG, **LOOP)
def train(net, X, T, eta, epochs=1, batch_size=None, cost="half_sse", lam=0.0, order="simultaneous",
          rng=None, shuffle=True, learn_biases=True, record_epochs=True):
    """Train ``net`` on inputs X (n, n_0) and targets T (n, n_L); return ``(net, history)``.

    Each epoch visits the examples once, in a fresh order drawn from ``rng`` (a seed or a
    ``numpy.random.Generator``) when ``shuffle`` is true, in batches of ``batch_size``; each
    batch is one step of gradient descent on the network's private copy (``_loop.run_epochs``).
    The network passed in is left unchanged.
    """
    return run_epochs(net, X, T, gradient_steps(eta, order, learn_biases), epochs=epochs, batch_size=batch_size,
                      cost=cost, lam=lam, rng=rng, shuffle=shuffle, record_epochs=record_epochs, advice=too_large(eta))


def gradient_steps(eta, order, learn_biases):
    """The ``take_step`` of ``_loop.run_epochs`` for gradient descent at rate eta (checked already).

    Each step is ``_passes.descent_pass`` in place, keeping only the cost it started from.
    """
    def gradient_step(net, X, T, cost, lam, scale, functions):
        zs, ys = forward_pass(net, X, functions)
        return descent_pass(net, zs, ys, T, cost, lam, scale, eta, order, learn_biases, in_place=True).E
    return gradient_step


def too_large(eta):
    """What a diverging run of ``train`` advises."""
    return f"eta = {eta} is too large for this network and data; try a smaller eta"
