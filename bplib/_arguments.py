"""The argument checks of the core's public functions, by name (``backprop``, ``train``, ...).

Each check returns the argument ready for ``_passes`` (arrays as finite floats of the network's
dtype, numbers as Python floats) or raises ``TypeError`` / ``ValueError`` naming the argument,
what was expected and what was received. A public function calls them once, at its entry, and
then runs the unchecked mathematics in ``_passes`` as often as it needs.
"""
from . import _validate, costs as _costs
from .network import Network
from ._passes import ORDERS


def network(net):
    """``net`` if it is a ``bplib.Network``."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a bplib.Network; received {_validate.describe(net)}")
    return net


def inputs(net, X):
    """X as a finite (n, n_0) array of ``net``'s dtype."""
    return _validate.matrix("X", X, cols=net.sizes[0], dtype=net.dtype)


def data(net, X, T):
    """``(X, T)``: the inputs (n, n_0) and the targets (n, n_L), same n, ``net``'s dtype."""
    X = inputs(net, X)
    return X, _validate.matrix("T", T, rows=X.shape[0], cols=net.sizes[-1], dtype=net.dtype, rows_of="X")


def cost(net, cost, lam):
    """``lam`` as a float >= 0, after checking that ``cost`` names a cost that suits ``net``."""
    _costs.check_name(cost)
    needs, output = _costs.FROM_Z.get(cost), net.activations[-1]
    if needs is not None and output != needs:
        raise ValueError(f"cost {cost!r} needs a {needs} output layer; received output activation {output!r}")
    return _validate.real("lam", lam, nonnegative=True)


def step(eta, order):
    """``eta`` as a float > 0, after checking that ``order`` is one of ``_passes.ORDERS``."""
    eta = _validate.real("eta", eta, positive=True)
    _validate.choice("order", order, ORDERS)
    return eta
