"""Forward pass, backward pass and the weight update (chapters 6-9).

Each function declares what its arguments must be (``_validate.declare``) and runs the mathematics in
``_passes``, whose docstring gives the indexing and the equations:

    zs[l] = ys[l] @ weights[l] + biases[l],  ys[l + 1] = f_l(zs[l])          forward (chapter 6)
    deltas[-1] = dE/dy * f'(y),  deltas[l - 1] = (deltas[l] @ weights[l].T) * f'(ys[l])  (chapter 7)
    dW[l] = ys[l].T @ deltas[l] + 2 lam weights[l],  db[l] = deltas[l] summed over the rows
"""
from .costs import COST
from .network import INPUTS, NETWORK, TARGETS, Network
from ._passes import ORDERS, Backward, Forward, backward_pass, batch_scale, cost_value, descent_step, forward_pass
from ._validate import FLAG, NONNEGATIVE, POSITIVE, declare, like_parameters, one_of

DATA = dict(net=NETWORK, X=INPUTS, T=TARGETS, cost=COST)  # a network, its data and a cost that suits it


@declare(net=NETWORK, X=INPUTS)
def forward(net, X):
    """Push the rows of X (n, n_0) through ``net``; return every layer's ``zs`` and ``ys``.

    ``ys[0]`` is X itself and ``ys[-1]`` the network's output (n, n_L).
    """
    return Forward(*forward_pass(net, X))


@declare(**DATA, lam=NONNEGATIVE, average=FLAG)
def cost(net, X, T, cost="half_sse", lam=0.0, average=False):
    """E for ``net`` on inputs X (n, n_0) and targets T (n, n_L), plus the L2 term lam sum w^2.

    ``average=True`` divides the data term (not the penalty) by n: the cost whose gradient a
    mini-batch step follows.
    """
    zs, ys = forward_pass(net, X)
    return cost_value(net, zs, ys, T, cost, lam, batch_scale(cost, X.shape[0], average))


@declare(**DATA, lam=NONNEGATIVE, average=FLAG)
def backward(net, X, T, cost="half_sse", lam=0.0, average=False):
    """Forward then backward pass: every ``delta = dE/dz`` and every ``dE/dW``, ``dE/db``.

    Shapes: ``deltas[l]`` (n, n_{l+1}); ``dW[l]`` like ``weights[l]``; ``db[l]`` like
    ``biases[l]`` (None where the layer has no bias). E is summed over the n examples unless
    ``average=True``. Returns a ``Backward`` with the forward pass and the cost too.
    """
    zs, ys = forward_pass(net, X)
    return backward_pass(net, zs, ys, T, cost, lam, batch_scale(cost, X.shape[0], average))


@declare(net=NETWORK, dW=like_parameters(), db=like_parameters(biases=True), eta=POSITIVE)
def update(net, dW, db, eta):
    """w_new = w_old - eta dE/dw for every weight (and bias where ``db`` has one); a new Network.

    ``dW`` (and ``db``, or None) are lists with one entry per layer, shaped like the weights
    (and biases): what ``backward`` returns.
    """
    weights = [W - eta * g for W, g in zip(net.weights, dW)]
    biases = [b if g is None else b - eta * g for b, g in zip(net.biases, db)]
    return Network(weights, biases, net.activations, dtype=net.dtype)


@declare(**DATA, lam=NONNEGATIVE, eta=POSITIVE, order=one_of(*ORDERS), average=FLAG, learn_biases=FLAG)
def step(net, X, T, eta, cost="half_sse", lam=0.0, order="simultaneous", average=True, learn_biases=True):
    """One step of gradient descent on the examples in X, T; returns ``(new_net, record)``.

    ``order="simultaneous"`` (default) moves every weight along the true gradient at the old
    weights. ``order="layerwise"`` is the lecture's worked examples: update the output layer
    first, then back-propagate the errors through the *updated* weights (chapter 9).
    ``record`` is the ``Backward`` of the step, its deltas as that order computed them.
    ``learn_biases=False`` keeps the biases fixed (the recommended reading's example).
    """
    return descent_step(net, X, T, eta, cost, lam, order, batch_scale(cost, X.shape[0], average), learn_biases)
