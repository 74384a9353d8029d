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

from ._loop import BATCH_SIZE, EPOCHS, LOOP, History, run_epochs
from ._passes import backward_pass, forward_pass
from ._validate import (ARRAY, FLAG, FRACTION, NONNEGATIVE, POSITIVE, REAL, SEED, declare, describe, like, list_of,
                        optional, real)
from .backprop import DATA, cost as cost_of
from .train import gradient_steps, too_large

GRADS = list_of(ARRAY, "arrays, one per parameter array")


@declare(grad=ARRAY, eta=POSITIVE)
def gradient_descent(grad, eta):
    """The lecture's step for one parameter array: Δw = -eta g (``grad`` any shape)."""
    return -eta * grad


@declare(grad=ARRAY, velocity=like("grad"), eta=POSITIVE, mu=FRACTION)
def momentum(velocity, grad, eta, mu):
    """Heavy-ball momentum: the new velocity v' = mu v - eta g, which is also the step Δw.

    ``velocity`` and ``grad`` have the parameter's shape; mu in [0, 1) is the fraction of the
    previous step kept. With mu = 0 this is gradient descent; along a constant gradient the steps
    grow towards -eta g / (1 - mu).
    """
    return mu * velocity - eta * grad


@declare(grad=ARRAY, mean_square=like("grad"), eta=POSITIVE, rho=FRACTION, eps=POSITIVE)
def rmsprop(mean_square, grad, eta, rho=0.9, eps=1e-8):
    """RMSProp: s' = rho s + (1 - rho) g^2, then Δw = -eta g / (sqrt(s') + eps); returns (Δw, s').

    Every connection divides its gradient by a running root-mean-square of its own recent
    gradients, so each weight gets its own effective rate eta / sqrt(s').
    """
    mean_square = rho * mean_square + (1.0 - rho) * grad * grad
    return -eta * grad / (np.sqrt(mean_square) + eps), mean_square


def _factor(holds, what):
    """A real number for which ``holds(value)``, described as ``what``."""
    def check(name, value, arguments):
        value = real(name, value)
        if not holds(value):
            raise ValueError(f"{name} must be {what}; received {value}")
        return value
    return check


FACTORS = dict(increase=_factor(lambda v: v >= 1, "1 or more (the factor that grows eta)"),
               decrease=_factor(lambda v: 0 < v < 1, "between 0 and 1 (the factor that cuts eta)"))


@declare(eta=POSITIVE, E_before=REAL, E_after=REAL, **FACTORS)
def bold_driver(eta, E_before, E_after, increase=1.05, decrease=0.5):
    """Adapt one global learning rate: grow it while the cost falls, cut it when the cost rises."""
    return eta * (increase if E_after <= E_before else decrease)


def _state(name, value, arguments):
    """What init() returned: one entry per gradient, None or an array of that gradient's shape."""
    grads = arguments["grads"]
    if not isinstance(value, (list, tuple)) or len(value) != len(grads):
        raise TypeError(f"{name} must be what init() returned, one entry for each of the {len(grads)} grads; "
                        f"received {describe(value)}")
    for k, (s, g) in enumerate(zip(value, grads)):
        if s is not None and np.shape(s) != g.shape:
            raise ValueError(f"{name}[{k}] must have the shape of grads[{k}] {g.shape}; received shape {np.shape(s)}")
    return value


def OPTIMIZER(name, value, arguments):
    """One of ``OPTIMIZERS`` whose constants meet what its update rule declares (``optimizer.eta``, ...)."""
    optimizer = value
    if not isinstance(optimizer, OPTIMIZERS):
        raise TypeError(f"{name} must be one of {[c.__name__ for c in OPTIMIZERS]}, e.g. Momentum(eta=0.5); "
                        f"received {type(optimizer).__name__}")
    rule = {GradientDescent: gradient_descent, Momentum: momentum, RMSProp: rmsprop}[type(optimizer)]
    label = type(optimizer).__name__ if name == "self" else name  # a step names its own class
    for field, value in optimizer._asdict().items():
        rule.constraints[field](f"{label}.{field}", value, {})
    return optimizer


class GradientDescent(NamedTuple):
    """Plain steps Δw = -eta g; no state."""
    eta: float

    @declare(params=GRADS)
    def init(self, params):
        return [None for _ in params]

    @declare(self=OPTIMIZER, grads=GRADS, state=_state)
    def step(self, state, grads):
        return [gradient_descent.unchecked(g, self.eta) for g in grads], state


class Momentum(NamedTuple):
    """``momentum`` for every parameter array; the state is one velocity per array."""
    eta: float
    mu: float = 0.9

    @declare(params=GRADS)
    def init(self, params):
        return [np.zeros_like(p) for p in params]

    @declare(self=OPTIMIZER, grads=GRADS, state=_state)
    def step(self, state, grads):
        velocities = [momentum.unchecked(v, g, self.eta, self.mu) for v, g in zip(state, grads)]
        return velocities, velocities


class RMSProp(NamedTuple):
    """``rmsprop`` for every parameter array; the state is one running mean of g^2 per array."""
    eta: float
    rho: float = 0.9
    eps: float = 1e-8

    @declare(params=GRADS)
    def init(self, params):
        return [np.zeros_like(p) for p in params]

    @declare(self=OPTIMIZER, grads=GRADS, state=_state)
    def step(self, state, grads):
        pairs = [rmsprop.unchecked(s, g, self.eta, self.rho, self.eps) for s, g in zip(state, grads)]
        return [p[0] for p in pairs], [p[1] for p in pairs]


OPTIMIZERS = (GradientDescent, Momentum, RMSProp)


@declare(optimizer=OPTIMIZER, **DATA, lam=NONNEGATIVE, learn_biases=FLAG, **LOOP)
def train_with(optimizer, net, X, T, epochs=1, batch_size=None, cost="half_sse", lam=0.0, rng=None,
               shuffle=True, learn_biases=True, record_epochs=True):
    """``bplib.train`` with the last step replaced by ``optimizer``; returns ``(net, history)``.

    Same loop (``_loop.run_epochs``), same batches, same averaged gradient
    g = (1 / len(batch)) sum dE/dw + 2 lam w (from ``_passes.backward_pass``, true gradient), same
    ``History``; then every weight (and bias, if ``learn_biases``) moves by the optimizer's Δw.
    ``GradientDescent(eta)`` reproduces ``bplib.train(..., eta)`` exactly. The network passed in
    is left unchanged.
    """
    learned = [l for l, b in enumerate(net.biases) if b is not None and learn_biases]
    state = optimizer.init.unchecked(optimizer, net.weights + [net.biases[l] for l in learned])

    def optimizer_step(model, X, T, cost, lam, scale, functions):
        nonlocal state
        zs, ys = forward_pass(model, X, functions)
        record = backward_pass(model, zs, ys, T, cost, lam, scale)
        moves, state = optimizer.step.unchecked(optimizer, state, record.dW + [record.db[l] for l in learned])
        for p, move in zip(model.weights + [model.biases[l] for l in learned], moves):
            p += move  # in place: the arrays are the model's own
        return record.E

    return run_epochs(net, X, T, optimizer_step, epochs=epochs, batch_size=batch_size, cost=cost, lam=lam, rng=rng,
                      shuffle=shuffle, record_epochs=record_epochs,
                      advice=f"{optimizer} takes steps too large for this network and data")


@declare(**DATA, lam=NONNEGATIVE, eta=POSITIVE, epochs=EPOCHS, **FACTORS)
def train_bold_driver(net, X, T, eta, epochs=1, cost="half_sse", lam=0.0, increase=1.05, decrease=0.5):
    """Full-batch gradient descent whose single rate follows ``bold_driver``; returns (net, history, etas).

    After each step the cost on all of X is compared with the cost before it: if it fell, the step
    is kept and eta grows by ``increase``; if it rose, the step is undone and eta is cut by
    ``decrease``. ``history.epochs[e]`` is the cost after epoch e, ``etas[e]`` the rate epoch e used.
    """
    epoch_costs, etas = [cost_of.unchecked(net, X, T, cost, lam, average=True)], []
    for _ in range(epochs):
        candidate, history = run_epochs(net, X, T, gradient_steps(eta, "simultaneous", True), epochs=1,
                                        batch_size=X.shape[0], cost=cost, lam=lam, rng=None, shuffle=False,
                                        record_epochs=True, advice=too_large(eta))
        etas.append(eta)
        if history.epochs[-1] <= epoch_costs[-1]:
            net = candidate
        epoch_costs.append(min(history.epochs[-1], epoch_costs[-1]))
        eta = bold_driver.unchecked(eta, history.epochs[0], history.epochs[-1], increase, decrease)
    return net, History([], epoch_costs), etas


@declare(**DATA, lam=NONNEGATIVE, eta=POSITIVE, epochs=EPOCHS, batch_size=BATCH_SIZE, rng=SEED,
         stop_above=optional(POSITIVE))
def learning_curve(net, X, T, eta, epochs, batch_size=None, cost="half_sse", lam=0.0, rng=None, stop_above=None):
    """Average cost on all of X before training and after each epoch of ``bplib.train`` at rate eta.

    Training stops early after the first epoch whose cost exceeds ``stop_above``: a learning
    rate that is too large makes the cost grow without bound, and stopping keeps every number
    finite. Returns a list of at most ``epochs + 1`` costs (chapter 10's eta slider).
    """
    _, history = run_epochs(net, X, T, gradient_steps(eta, "simultaneous", True), epochs=epochs,
                            batch_size=batch_size, cost=cost, lam=lam, rng=rng, shuffle=True, record_epochs=True,
                            advice=too_large(eta), stop_above=stop_above)
    return history.epochs
