"""How the error shrinks as it is sent back through many layers (chapter 5, vanishing gradients).

A deep network of ``depth`` weight layers, every layer ``width`` units wide: ``depth - 1`` hidden
layers with one activation f (sigmoid, tanh or ReLU) and a linear (identity) output layer, no
biases. Its weights are drawn once, N(0, 1/n_in) as ``Network.random`` draws them (LeCun's
initialisation: each z starts with variance about 1 whatever the width), and the same weights,
inputs X ~ N(0, 1) (n, width) and targets T ~ N(0, 1) (n, width) are used for every activation.

One forward and one backward pass (``bplib.backward``, summed half squared error) give
``deltas[l]`` (n, width), the errors error_j = dE/dz_j of the units that ``weights[l]`` feeds
(l = 0: the first hidden layer; l = depth - 1: the output), and ``dW[l] = ys[l].T @ deltas[l]``.
Going back one layer is (chapter 7)

    deltas[l - 1] = (deltas[l] @ W[l].T) * f'(ys[l]),

so each hidden layer multiplies the error by its slopes f'. With N(0, 1/n_in) weights the sum
``deltas[l] @ W[l].T`` keeps the error's root-mean-square about the same, and what is left is
the slope: sigma' = y (1 - y) <= 1/4, so sigmoid layers shrink the error at least about fourfold
each; tanh' = 1 - y^2 <= 1, close to 1 for small z; ReLU' is 1 where the unit is active and 0
elsewhere, so about half the errors are dropped and the root-mean-square falls by about sqrt(2)
per layer. As a bound for every row (example) of the batch, with ||W||_2 the largest singular
value, ||deltas[l - 1]|| <= max f' ||W[l]||_2 ||deltas[l]||.
"""
from typing import NamedTuple

import numpy as np

from .._validate import SEED, count, declare, instance_of, list_of, one_of
from ..backprop import backward
from ..network import Network

__all__ = ["deep_network", "error_sizes", "compare_activations", "shrinkage"]

HIDDEN = ("sigmoid", "tanh", "relu")


class LayerErrors(NamedTuple):
    """What one backward pass through a deep network measured, one entry per weight layer l.

    ``delta_rms[l]``: root-mean-square of ``deltas[l]`` over the batch and the units;
    ``dW_rms[l]``: root-mean-square of ``dW[l]``; both shape (depth,), l = 0 the first hidden
    layer, depth - 1 the output. ``net``, ``X``, ``T``: the network and the batch measured.
    """
    delta_rms: np.ndarray
    dW_rms: np.ndarray
    net: Network
    X: np.ndarray
    T: np.ndarray


HIDDEN_ACTIVATION = one_of(*HIDDEN)
SHAPE = dict(depth=count(minimum=2, maximum=100), width=count(maximum=1000), rng=SEED)


def _draw(depth, width, n, rng):
    """Weights N(0, 1/width) for ``depth`` layers, then X and T, all from one generator."""
    weights = Network.random([width] * (depth + 1), "identity", bias=False, rng=rng).weights
    return weights, rng.standard_normal((n, width)), rng.standard_normal((n, width))


def _network(weights, activation):
    return Network(weights, None, [activation] * (len(weights) - 1) + ["identity"])


@declare(activation=HIDDEN_ACTIVATION, **SHAPE)
def deep_network(activation="sigmoid", depth=10, width=30, rng=0):
    """``depth`` layers of ``width`` units: hidden layers of ``activation``, a linear output, no biases.

    Weights N(0, 1/width) from ``rng`` (a seed or a Generator); ``weights[l]`` (width, width).
    """
    return _network(_draw(depth, width, 1, rng)[0], activation)


def _measure(net, X, T):
    record = backward(net, X, T)
    rms = lambda arrays: np.array([np.sqrt(np.mean(a * a)) for a in arrays])  # noqa: E731
    return LayerErrors(rms(record.deltas), rms(record.dW), net, X, T)


@declare(activation=HIDDEN_ACTIVATION)
def error_sizes(activation="sigmoid", depth=10, width=30, n=64, rng=0):
    """One forward and backward pass through ``deep_network`` on n random examples: ``LayerErrors``."""
    return compare_activations((activation,), depth, width, n, rng)[activation]


@declare(activations=list_of(HIDDEN_ACTIVATION, f"names from {list(HIDDEN)}"), **SHAPE, n=count(maximum=10_000))
def compare_activations(activations=HIDDEN, depth=10, width=30, n=64, rng=0):
    """``{activation: LayerErrors}``, every activation on the same weights, X and T (drawn from ``rng``)."""
    weights, X, T = _draw(depth, width, n, rng)
    return {a: _measure(_network(weights, a), X, T) for a in activations}


def _layer_errors(name, errors, arguments):
    errors = instance_of(LayerErrors, "the LayerErrors that error_sizes returns")(name, errors, arguments)
    if not errors.delta_rms[0] > 0:
        raise ValueError(f"{name} must have a first-layer error above 0; received {errors.delta_rms[0]}")
    return errors


@declare(errors=_layer_errors)
def shrinkage(errors):
    """How many times smaller the first hidden layer's error is than the output's:

        delta_rms[-1] / delta_rms[0]   (from a ``LayerErrors``).
    """
    return float(errors.delta_rms[-1] / errors.delta_rms[0])
