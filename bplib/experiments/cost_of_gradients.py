"""What every gradient costs: backpropagation against finite differences (chapter 8).

The unit of cost is one *forward-pass equivalent*: the multiply-adds of one forward pass.
For a network with P parameters (weights and biases):

    finite differences (central):  E(w + eps) and E(w - eps) for each parameter
                                   -> exactly 2 P forward passes
    backpropagation:               1 forward pass + 1 backward pass
                                   -> 1 + (backward multiply-adds) / (forward multiply-adds)

Per layer l (weights (n_l, n_{l+1}), n examples) the forward pass does one matrix product,
``zs[l] = ys[l] @ W[l]`` (n n_l n_{l+1} multiply-adds); the backward pass does two,
``dW[l] = ys[l].T @ deltas[l]`` and, except at the first layer, ``deltas[l] @ W[l].T``.
So backpropagation costs a little under 3 forward passes however large P is, while finite
differences cost 2 P: backprop wins by a factor that grows in proportion to P.
Only the matrix products are counted; the element-wise work (sigmoids, y (1 - y), biases)
grows with the number of units, not weights, and is left out.

``time_gradients`` measures the same comparison with ``time.perf_counter`` on one network.
numpy only.
"""
import time
from typing import NamedTuple

import numpy as np

from ..backprop import backward, cost
from .._validate import FLAG, POSITIVE, SEED, count, declare, list_of, optional
from ..gradient_check import _parameter_arrays, numerical_gradient, relative_error
from ..network import AS_FLOAT64, INPUTS, SIZES, TARGETS, Network


@declare(sizes=SIZES, bias=FLAG)
def n_parameters(sizes, bias=True):
    """P: the number of weights (and biases, if ``bias``) of a network with layer sizes ``sizes``:
    sum_l n_l n_{l+1} (+ sum_l n_{l+1})."""
    return sum(a * b for a, b in zip(sizes, sizes[1:])) + (sum(sizes[1:]) if bias else 0)


@declare(sizes=SIZES, n=count())
def forward_multiply_adds(sizes, n=1):
    """Multiply-adds of one forward pass on n examples: n sum_l n_l n_{l+1}."""
    return n * sum(a * b for a, b in zip(sizes, sizes[1:]))


@declare(sizes=SIZES, n=count())
def backward_multiply_adds(sizes, n=1):
    """Multiply-adds of one backward pass on n examples.

    ``dW[l] = ys[l].T @ deltas[l]`` for every layer, plus ``deltas[l] @ W[l].T`` for every layer
    but the first (the input units need no delta).
    """
    return forward_multiply_adds.unchecked(sizes, n) + n * sum(a * b for a, b in zip(sizes[1:], sizes[2:]))


class CostCount(NamedTuple):
    """The cost of all P gradients, in forward-pass equivalents."""
    n_params: int
    finite_differences: int    # 2 P
    backprop: float            # 1 + backward / forward, below 3


@declare(sizes=SIZES, bias=FLAG)
def count_costs(sizes, bias=True):
    """Forward-pass equivalents of all gradients by central differences and by backprop."""
    P = n_parameters.unchecked(sizes, bias)
    backprop = 1.0 + backward_multiply_adds.unchecked(sizes) / forward_multiply_adds.unchecked(sizes)
    return CostCount(P, 2 * P, backprop)


@declare(width=count(), depth=count(), n_in=optional(count()), n_out=optional(count()))
def sizes_for_width(width, depth=2, n_in=None, n_out=None):
    """Layer sizes of a network with ``depth`` weight layers, all ``width`` wide by default.

    ``sizes_for_width(8)`` is [8, 8, 8]: P = 2 * 8 * 8 + 16 = 144 with biases.
    """
    return [n_in or width] + [width] * (depth - 1) + [n_out or width]


class Timing(NamedTuple):
    """Seconds for one forward pass and for all gradients by each method (best of the repeats)."""
    n_params: int
    forward: float
    finite_differences: float
    backprop: float
    error: float               # relative error between the two gradients


def _best_time(function, repeats):
    best, result = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def _timeable(name, net, arguments):
    """A float64 copy of the network, of at most 100,000 parameters (finite differences make two
    forward passes per parameter)."""
    net = AS_FLOAT64(name, net, arguments)
    if net.n_params > 100_000:
        raise ValueError(f"{name} has {net.n_params:,} parameters; timing finite differences needs at most 100,000")
    return net


@declare(net=_timeable, X=INPUTS, T=TARGETS, repeats=count(maximum=100), fd_repeats=count(maximum=100), eps=POSITIVE)
def time_gradients(net, X, T, repeats=3, fd_repeats=1, eps=1e-6):
    """Time one forward pass, all gradients by backprop and all by central differences.

    Every method uses the same internal forward pass and half sum-of-squares cost, so the
    times differ only by the work each does. The network is copied (finite differences nudge
    its weights in place). Returns a ``Timing``; its ``error`` confirms both gave the same
    gradient. Wall-clock numbers vary from run to run: plot them, never print them in a test.
    """

    def E():
        return cost.unchecked(net, X, T)

    def by_finite_differences():
        return [numerical_gradient(E, p, eps) for p in _parameter_arrays(net.weights, net.biases)]

    t_forward, _ = _best_time(E, repeats)
    t_backprop, record = _best_time(lambda: backward.unchecked(net, X, T), repeats)
    t_fd, numeric = _best_time(by_finite_differences, fd_repeats)
    analytic = _parameter_arrays(record.dW, record.db)
    return Timing(net.n_params, t_forward, t_fd, t_backprop, relative_error(analytic, numeric))


@declare(widths=list_of(count(maximum=1024), "layer widths"), n=count(maximum=10_000), rng=SEED)
def measure_scaling(widths, depth=2, n=1, rng=None, repeats=3, fd_repeats=1):
    """``time_gradients`` for a random sigmoid network of each width in ``widths``.

    Returns a list of ``Timing``, one per width, in the order given. ``rng`` seeds the weights
    and the n random examples.
    """
    timings = []
    for width in widths:
        sizes = sizes_for_width(width, depth)
        net = Network.random(sizes, "sigmoid", rng=rng)
        X, T = rng.normal(size=(n, sizes[0])), rng.uniform(size=(n, sizes[-1]))
        timings.append(time_gradients(net, X, T, repeats, fd_repeats))
    return timings
