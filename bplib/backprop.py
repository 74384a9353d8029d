"""Forward pass, backward pass and the weight update (chapters 6-9).

Each function checks its arguments once (``_arguments``) and then runs the mathematics in
``_passes``, whose docstring gives the indexing and the equations:

    zs[l] = ys[l] @ weights[l] + biases[l],  ys[l + 1] = f_l(zs[l])          forward (chapter 6)
    deltas[-1] = dE/dy * f'(y),  deltas[l - 1] = (deltas[l] @ weights[l].T) * f'(ys[l])  (chapter 7)
    dW[l] = ys[l].T @ deltas[l] + 2 lam weights[l],  db[l] = deltas[l] summed over the rows
"""
from . import _arguments, _guard, _validate
from .network import Network
from ._passes import ORDERS, Backward, Forward, backward_pass, batch_scale, cost_value, descent_step, forward_pass


@_guard.guarded
def forward(net, X):
    """Push the rows of X (n, n_0) through ``net``; return every layer's ``zs`` and ``ys``.

    ``ys[0]`` is X itself and ``ys[-1]`` the network's output (n, n_L).
    """
    net = _arguments.network(net)
    return Forward(*forward_pass(net, _arguments.inputs(net, X)))


def _checked(net, X, T, cost, lam):
    net = _arguments.network(net)
    X, T = _arguments.data(net, X, T)
    return net, X, T, _arguments.cost(net, cost, lam)


@_guard.guarded
def cost(net, X, T, cost="half_sse", lam=0.0, average=False):
    """E for ``net`` on inputs X (n, n_0) and targets T (n, n_L), plus the L2 term lam sum w^2.

    ``average=True`` divides the data term (not the penalty) by n: the cost whose gradient a
    mini-batch step follows.
    """
    net, X, T, lam = _checked(net, X, T, cost, lam)
    average = _validate.flag("average", average)
    zs, ys = forward_pass(net, X)
    return cost_value(net, zs, ys, T, cost, lam, batch_scale(cost, X.shape[0], average))


@_guard.guarded
def backward(net, X, T, cost="half_sse", lam=0.0, average=False):
    """Forward then backward pass: every ``delta = dE/dz`` and every ``dE/dW``, ``dE/db``.

    Shapes: ``deltas[l]`` (n, n_{l+1}); ``dW[l]`` like ``weights[l]``; ``db[l]`` like
    ``biases[l]`` (None where the layer has no bias). E is summed over the n examples unless
    ``average=True``. Returns a ``Backward`` with the forward pass and the cost too.
    """
    net, X, T, lam = _checked(net, X, T, cost, lam)
    average = _validate.flag("average", average)
    zs, ys = forward_pass(net, X)
    return backward_pass(net, zs, ys, T, cost, lam, batch_scale(cost, X.shape[0], average))


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


@_guard.guarded
def update(net, dW, db, eta):
    """w_new = w_old - eta dE/dw for every weight (and bias where ``db`` has one); a new Network.

    ``dW`` (and ``db``, or None) are lists with one entry per layer, shaped like the weights
    (and biases): what ``backward`` returns.
    """
    net = _arguments.network(net)
    eta = _validate.real("eta", eta, positive=True)
    dW = _gradient_list("dW", dW, net, allow_none=False)
    db = _gradient_list("db", db, net, allow_none=True)
    weights = [W - eta * _validate.matrix(f"dW[{l}]", g, rows=W.shape[0], cols=W.shape[1], dtype=net.dtype)
               for l, (W, g) in enumerate(zip(net.weights, dW))]
    for l, (b, g) in enumerate(zip(net.biases, db)):
        if b is None and g is not None:
            raise ValueError(f"db[{l}] must be None: layer {l} of the network has no bias; received {_validate.describe(g)}")
    biases = [b if (b is None or g is None) else b - eta * _validate.vector(f"db[{l}]", g, length=b.size, dtype=net.dtype)
              for l, (b, g) in enumerate(zip(net.biases, db))]
    return Network(weights, biases, net.activations, dtype=net.dtype)


@_guard.guarded
def step(net, X, T, eta, cost="half_sse", lam=0.0, order="simultaneous", average=True, learn_biases=True):
    """One step of gradient descent on the examples in X, T; returns ``(new_net, record)``.

    ``order="simultaneous"`` (default) moves every weight along the true gradient at the old
    weights. ``order="layerwise"`` is the lecture's worked examples: update the output layer
    first, then back-propagate the errors through the *updated* weights (chapter 9).
    ``record`` is the ``Backward`` of the step, its deltas as that order computed them.
    ``learn_biases=False`` keeps the biases fixed (the recommended reading's example).
    """
    net, X, T, lam = _checked(net, X, T, cost, lam)
    eta = _arguments.step(eta, order)
    average, learn_biases = _validate.flag("average", average), _validate.flag("learn_biases", learn_biases)
    return descent_step(net, X, T, eta, cost, lam, order, batch_scale(cost, X.shape[0], average), learn_biases)
