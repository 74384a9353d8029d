"""A fully connected feed-forward network as plain data: weights, optional biases, activations.

Layer l's weight matrix ``weights[l]`` has shape (n_l, n_{l+1}): entry ``[i, j]`` is the weight
w_ij from unit i of layer l to unit j of layer l+1, so a batch flows as ``Z = Y_prev @ W + b``
with one example per row. Layer 0 is the input. ``biases[l]`` is a vector of n_{l+1} numbers, or
None where the layer has no bias (the lecture's Examples 2 and 3 have none).
"""
import copy

import numpy as np

from . import activations as _activations
from ._validate import FLAG, MAX_COUNT, SEED, declare, instance_of, integer, matrix, vector


def _float_type(name, dtype, arguments):
    try:
        if dtype is not None and np.dtype(dtype) in (np.float64, np.float32):
            return np.dtype(dtype)
    except (TypeError, ValueError):
        pass
    raise ValueError(f"{name} must be float64 or float32 (numpy.float64 or numpy.float32); received {dtype!r}")


def _layers(name, weights, arguments):
    """The weight matrices as copies in the network's dtype, each following the one before."""
    if not isinstance(weights, (list, tuple)) or len(weights) == 0:
        raise TypeError(f"{name} must be a non-empty list of 2-D arrays; received {type(weights).__name__}")
    checked = [matrix(f"{name}[{l}]", W, dtype=arguments["dtype"]).copy() for l, W in enumerate(weights)]
    for l in range(1, len(checked)):
        if checked[l].shape[0] != checked[l - 1].shape[1]:
            raise ValueError(f"{name}[{l}] must have {checked[l - 1].shape[1]} rows to follow {name}[{l - 1}] "
                             f"of shape {checked[l - 1].shape}; received shape {checked[l].shape}")
    return checked


def _biases(name, biases, arguments):
    """One bias vector (or None) per layer, as copies; None alone means no layer has one."""
    weights = arguments["weights"]
    if biases is None:
        return [None] * len(weights)
    if not isinstance(biases, (list, tuple)) or len(biases) != len(weights):
        raise ValueError(f"{name} must be None or a list of {len(weights)} entries; received {biases!r}")
    return [None if b is None else vector(f"{name}[{l}]", b, length=W.shape[1], dtype=arguments["dtype"]).copy()
            for l, (b, W) in enumerate(zip(biases, weights))]


def _activation_names(name, activations, arguments):
    """One name per layer (one name for all); the output layer's may also be a softmax of 2 units or more."""
    weights = arguments["weights"]
    if isinstance(activations, str):
        activations = [activations] * len(weights)
    if not isinstance(activations, (list, tuple)) or len(activations) != len(weights):
        raise ValueError(f"{name} must be one name or a list of {len(weights)} names; received {activations!r}")
    hidden = [_activations.ELEMENTWISE(f"{name}[{l}]", a) for l, a in enumerate(activations[:-1])]
    output, units, last = activations[-1], weights[-1].shape[1], f"{name}[{len(weights) - 1}]"
    if not (isinstance(output, str) and output in _activations.OUTPUT_ACTIVATIONS):
        return hidden + [_activations.ELEMENTWISE(last, output)]
    if units < 2:  # a softmax over one unit is the constant 1, and its gradient is zero
        raise ValueError(f"{last} {output!r} needs at least 2 output units (over one unit it is always 1, so "
                         f"nothing could be learned); received a layer of {units} unit. For two classes use one "
                         f"'sigmoid' output with cost 'nll'")
    return hidden + [output]


def SIZES(name, value, arguments=None):
    """Layer sizes, input first: a list of at least two counts."""
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        raise ValueError(f"{name} must list at least two layer sizes (input, output); received {value!r}")
    return [integer(f"{name}[{l}]", n) for l, n in enumerate(value)]


def _allocatable(name, sizes, arguments):
    sizes = SIZES(name, sizes)
    n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if n_weights > MAX_COUNT * 10:
        raise ValueError(f"{name} {sizes} would need {n_weights:,} weights; at most {MAX_COUNT * 10:,} "
                         f"are allowed (about 800 MB in float64)")
    return sizes


class Network:
    """Weights, biases and one activation name per non-input layer.

    Parameters
    ----------
    weights : list of 2-D arrays
        ``weights[l]`` has shape (n_l, n_{l+1}); consecutive shapes must chain.
    biases : list of 1-D arrays or None, optional
        One entry per weight matrix, each of length n_{l+1} or None. ``None`` (the default)
        means no layer has a bias.
    activations : str or list of str
        A name from ``bplib.activations.ACTIVATIONS`` for every layer, or one name for all; the
        output layer may also be ``"softmax"`` (``activations.OUTPUT_ACTIVATIONS``).
    dtype : numpy float type
        float64 (default) or float32; every array is stored in it.
    """

    @declare(dtype=_float_type, weights=_layers, biases=_biases, activations=_activation_names)
    def __init__(self, weights, biases=None, activations="sigmoid", dtype=np.float64):
        self.weights, self.biases, self.activations = weights, biases, activations

    @classmethod
    @declare(sizes=_allocatable, bias=FLAG, rng=SEED)
    def random(cls, sizes, activations="sigmoid", *, bias=True, rng=None, dtype=np.float64):
        """A network with layer sizes ``sizes`` (input first) and weights drawn at random.

        Weights are normal with standard deviation 1/sqrt(n_in), so each unit's z starts with
        variance about 1 whatever the width; biases start at 0. ``rng`` is a seed or a Generator.
        """
        weights = [rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out)) for n_in, n_out in zip(sizes, sizes[1:])]
        return cls(weights, [np.zeros(n_out) for n_out in sizes[1:]] if bias else None, activations, dtype=dtype)

    @property
    def sizes(self):
        """Units per layer, input first, e.g. [2, 2, 1]."""
        return [self.weights[0].shape[0]] + [W.shape[1] for W in self.weights]

    @property
    def dtype(self):
        return self.weights[0].dtype

    @property
    def n_params(self):
        """The number of values learning adjusts, counting every weight and every bias."""
        return sum(W.size for W in self.weights) + sum(b.size for b in self.biases if b is not None)

    def copy(self):
        """The same network with arrays of its own (a valid network's copy needs no checks)."""
        new = copy.copy(self)
        new.weights = [W.copy() for W in self.weights]
        new.biases = [None if b is None else b.copy() for b in self.biases]
        new.activations = list(self.activations)
        return new

    def __repr__(self):
        has_bias = "with biases" if any(b is not None for b in self.biases) else "no biases"
        return f"Network(sizes={self.sizes}, activations={self.activations}, {has_bias}, dtype={self.dtype})"


# -- the constraints on a network and on what goes with it -------------------------------------
NETWORK = instance_of(Network, "a bplib.Network")


def AS_FLOAT64(name, value, arguments):
    """A ``bplib.Network``, as a float64 copy whatever its dtype (X and T declared after it follow)."""
    net = NETWORK(name, value, arguments)
    return Network(net.weights, net.biases, net.activations, dtype=np.float64)


def INPUTS(name, value, arguments):
    """X as a finite (n, n_0) array of ``net``'s dtype."""
    net = arguments["net"]
    return matrix(name, value, cols=net.sizes[0], dtype=net.dtype)


def TARGETS(name, value, arguments):
    """T as a finite (n, n_L) array of ``net``'s dtype, one row for each row of X."""
    net = arguments["net"]
    return matrix(name, value, rows=arguments["X"].shape[0], cols=net.sizes[-1], dtype=net.dtype, rows_of="X")
