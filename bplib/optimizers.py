"""How much to move the weights: momentum, per-connection adaptive rates, a self-adjusting global
rate, and a training loop that uses them (chapter 10, the lecture's "Optimization issues").

Backpropagation gives g = dE/dw for every weight (chapters 6-8). The lecture's rule moves each
weight by a fixed multiple of it; the alternatives below change only that last step::

    gradient descent   Δw = -eta g                                    (the lecture)
    momentum           v <- mu v - eta g ;  Δw = v                     (Polyak 1964)
    RMSProp            s <- rho s + (1 - rho) g^2 ;
                       Δw = -eta g / (sqrt(s) + eps)   per connection  (Tieleman & Hinton 2012)
    bold driver        eta <- 1.05 eta if E fell, 0.5 eta if it rose   (one global rate)

``v`` and ``s`` are arrays shaped like the parameter they belong to and start at zero, so the
first momentum step equals plain gradient descent and the first RMSProp step is
``-eta g / (sqrt(1 - rho) abs(g) + eps)``: about ``eta / sqrt(1 - rho)`` in size whatever g is.
Each update rule is a pure function of (state, gradient); the classes only hold the constants.
"""
from typing import NamedTuple

import numpy as np

from . import _arguments, _guard, _validate
from .backprop import cost as _cost_of
from ._loop import History, run_epochs
from ._passes import backward_pass, forward_pass
from .train import gradient_steps, too_large, train


def _array(name, value):
    """``value`` as a finite, non-empty float array of any shape, or an error naming ``name``."""
    array = _validate.array(name, value)
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; received shape {array.shape}")
    return array


def _grads(name, grads):
    """A list of gradient arrays (one per parameter array), each checked."""
    if not isinstance(grads, (list, tuple)) or not grads:
        raise TypeError(f"{name} must be a non-empty list of arrays, one per parameter array; "
                        f"received {_validate.describe(grads)}")
    return [_array(f"{name}[{k}]", g) for k, g in enumerate(grads)]


def _state(state, grads):
    if not isinstance(state, (list, tuple)) or len(state) != len(grads):
        raise TypeError(f"state must be what init() returned, one entry for each of the {len(grads)} grads; "
                        f"received {_validate.describe(state)}")
    return state


def _same_shape(name, value, like, like_name):
    array = _array(name, value)
    if array.shape != np.shape(like):
        raise ValueError(f"{name} must have the shape of {like_name} {np.shape(like)}; received shape {array.shape}")
    return array


def _fraction(name, value):
    value = _validate.real(name, value, nonnegative=True)
    if value >= 1:
        raise ValueError(f"{name} must be in [0, 1); received {value}")
    return value


@_guard.guarded
def gradient_descent(grad, eta):
    """The lecture's step for one parameter array: Δw = -eta g (``grad`` any shape)."""
    eta = _validate.real("eta", eta, positive=True)
    return -eta * _array("grad", grad)


@_guard.guarded
def momentum(velocity, grad, eta, mu):
    """Heavy-ball momentum: the new velocity v' = mu v - eta g, which is also the step Δw.

    ``velocity`` and ``grad`` have the parameter's shape; mu in [0, 1) is the fraction of the
    previous step kept. With mu = 0 this is gradient descent; along a constant gradient the steps
    grow towards -eta g / (1 - mu).
    """
    eta = _validate.real("eta", eta, positive=True)
    mu = _fraction("mu", mu)
    grad = _array("grad", grad)
    velocity = _same_shape("velocity", velocity, grad, "grad")
    return mu * velocity - eta * grad


@_guard.guarded
def rmsprop(mean_square, grad, eta, rho=0.9, eps=1e-8):
    """RMSProp: s' = rho s + (1 - rho) g^2, then Δw = -eta g / (sqrt(s') + eps); returns (Δw, s').

    Every connection divides its gradient by a running root-mean-square of its own recent
    gradients, so each weight gets its own effective rate eta / sqrt(s').
    """
    eta = _validate.real("eta", eta, positive=True)
    rho = _fraction("rho", rho)
    eps = _validate.real("eps", eps, positive=True)
    grad = _array("grad", grad)
    mean_square = _same_shape("mean_square", mean_square, grad, "grad")
    mean_square = rho * mean_square + (1.0 - rho) * grad * grad
    return -eta * grad / (np.sqrt(mean_square) + eps), mean_square


@_guard.guarded
def bold_driver(eta, E_before, E_after, increase=1.05, decrease=0.5):
    """Adapt one global learning rate: grow it while the cost falls, cut it when the cost rises."""
    eta = _validate.real("eta", eta, positive=True)
    E_before, E_after = _validate.real("E_before", E_before), _validate.real("E_after", E_after)
    increase, decrease = _factors(increase, decrease)
    return eta * (increase if E_after <= E_before else decrease)


def _factors(increase, decrease):
    """The bold driver's ``(increase, decrease)``: a factor of 1 or more, and one between 0 and 1."""
    increase, decrease = _validate.real("increase", increase), _validate.real("decrease", decrease)
    if increase < 1:
        raise ValueError(f"increase must be 1 or more (the factor that grows eta); received {increase}")
    if not 0 < decrease < 1:
        raise ValueError(f"decrease must be between 0 and 1 (the factor that cuts eta); received {decrease}")
    return increase, decrease


class GradientDescent(NamedTuple):
    """Plain steps Δw = -eta g; no state."""
    eta: float

    def init(self, params):
        return [None for _ in _grads("params", params)]

    @_guard.guarded
    def step(self, state, grads):
        grads = _grads("grads", grads)
        return [gradient_descent.__wrapped__(g, self.eta) for g in grads], _state(state, grads)


class Momentum(NamedTuple):
    """``momentum`` for every parameter array; the state is one velocity per array."""
    eta: float
    mu: float = 0.9

    def init(self, params):
        return [np.zeros_like(p) for p in _grads("params", params)]

    @_guard.guarded
    def step(self, state, grads):
        grads = _grads("grads", grads)
        velocities = [momentum.__wrapped__(v, g, self.eta, self.mu) for v, g in zip(_state(state, grads), grads)]
        return velocities, velocities


class RMSProp(NamedTuple):
    """``rmsprop`` for every parameter array; the state is one running mean of g^2 per array."""
    eta: float
    rho: float = 0.9
    eps: float = 1e-8

    def init(self, params):
        return [np.zeros_like(p) for p in _grads("params", params)]

    @_guard.guarded
    def step(self, state, grads):
        grads = _grads("grads", grads)
        pairs = [rmsprop.__wrapped__(s, g, self.eta, self.rho, self.eps) for s, g in zip(_state(state, grads), grads)]
        return [p[0] for p in pairs], [p[1] for p in pairs]


OPTIMIZERS = (GradientDescent, Momentum, RMSProp)


def _check_optimizer(optimizer):
    if not isinstance(optimizer, OPTIMIZERS):
        raise TypeError(f"optimizer must be one of {[c.__name__ for c in OPTIMIZERS]}, e.g. Momentum(eta=0.5); "
                        f"received {type(optimizer).__name__}")
    _validate.real("optimizer.eta", optimizer.eta, positive=True)
    if isinstance(optimizer, Momentum):
        _fraction("optimizer.mu", optimizer.mu)
    if isinstance(optimizer, RMSProp):
        _fraction("optimizer.rho", optimizer.rho)
        _validate.real("optimizer.eps", optimizer.eps, positive=True)
    return optimizer


@_guard.guarded
def train_with(optimizer, net, X, T, epochs=1, batch_size=None, cost="half_sse", lam=0.0, rng=None,
               shuffle=True, learn_biases=True, record_epochs=True):
    """``bplib.train`` with the last step replaced by ``optimizer``; returns ``(net, history)``.

    Same loop (``_loop.run_epochs``), same batches, same averaged gradient
    g = (1 / len(batch)) sum dE/dw + 2 lam w (from ``_passes.backward_pass``, true gradient), same
    ``History``; then every weight (and bias, if ``learn_biases``) moves by the optimizer's Δw.
    ``GradientDescent(eta)`` reproduces ``bplib.train(..., eta)`` exactly. The network passed in
    is left unchanged.
    """
    optimizer = _check_optimizer(optimizer)
    net = _arguments.network(net)
    learned = [l for l, b in enumerate(net.biases) if b is not None and _validate.flag("learn_biases", learn_biases)]
    state = optimizer.init(net.weights + [net.biases[l] for l in learned])

    def optimizer_step(model, X, T, cost, lam, scale, functions):
        nonlocal state
        zs, ys = forward_pass(model, X, functions)
        record = backward_pass(model, zs, ys, T, cost, lam, scale)
        moves, state = optimizer.step(state, record.dW + [record.db[l] for l in learned])
        for W, move in zip(model.weights, moves):
            W += move
        for l, move in zip(learned, moves[len(model.weights):]):
            model.biases[l] += move
        return record.E

    return run_epochs(net, X, T, optimizer_step, epochs=epochs, batch_size=batch_size, cost=cost, lam=lam, rng=rng,
                      shuffle=shuffle, record_epochs=record_epochs,
                      advice=f"{optimizer} takes steps too large for this network and data")


@_guard.guarded
def train_bold_driver(net, X, T, eta, epochs=1, cost="half_sse", lam=0.0, increase=1.05, decrease=0.5):
    """Full-batch gradient descent whose single rate follows ``bold_driver``; returns (net, history, etas).

    After each step the cost on all of X is compared with the cost before it: if it fell, the step
    is kept and eta grows by ``increase``; if it rose, the step is undone and eta is cut by
    ``decrease``. ``history.epochs[e]`` is the cost after epoch e, ``etas[e]`` the rate epoch e used.
    """
    net = _arguments.network(net)
    eta = _validate.real("eta", eta, positive=True)
    epochs = _validate.integer("epochs", epochs, minimum=0)
    increase, decrease = _factors(increase, decrease)
    E = _cost_of(net, X, T, cost, lam, average=True)
    epoch_costs, etas = [E], []
    for _ in range(epochs):
        candidate, history = train(net, X, T, eta, epochs=1, cost=cost, lam=lam, shuffle=False)
        etas.append(eta)
        E_after = history.epochs[-1]
        if E_after <= E:
            net, E = candidate, E_after
        eta = bold_driver(eta, history.epochs[0], E_after, increase, decrease)
        epoch_costs.append(E)
    return net, History([], epoch_costs), etas


@_guard.guarded
def learning_curve(net, X, T, eta, epochs, batch_size=None, cost="half_sse", lam=0.0, rng=None, stop_above=None):
    """Average cost on all of X before training and after each epoch of ``bplib.train`` at rate eta.

    Training stops early after the first epoch whose cost exceeds ``stop_above``: a learning
    rate that is too large makes the cost grow without bound, and stopping keeps every number
    finite. Returns a list of at most ``epochs + 1`` costs (chapter 10's eta slider).
    """
    net = _arguments.network(net)
    epochs = _validate.integer("epochs", epochs, minimum=0)
    if stop_above is not None:
        stop_above = _validate.real("stop_above", stop_above, positive=True)
    rng = _validate.generator("rng", rng)
    eta = _arguments.step(eta, "simultaneous")
    _, history = run_epochs(net, X, T, gradient_steps(eta, "simultaneous", True), epochs=epochs,
                            batch_size=batch_size, cost=cost, lam=lam, rng=rng, shuffle=True, record_epochs=True,
                            advice=too_large(eta), stop_above=stop_above)
    return history.epochs
