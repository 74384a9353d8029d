"""A fully connected feed-forward network as plain data: weights, optional biases, activations.

Layer l's weight matrix ``weights[l]`` has shape (n_l, n_{l+1}): entry ``[i, j]`` is the weight
w_ij from unit i of layer l to unit j of layer l+1, so a batch flows as ``Z = Y_prev @ W + b``
with one example per row. Layer 0 is the input. ``biases[l]`` is a vector of n_{l+1} numbers, or
None where the layer has no bias (the lecture's Examples 2 and 3 have none).
"""
import numpy as np

from . import _validate, activations as _activations


def _is_float_type(dtype):
    try:
        return dtype is not None and np.dtype(dtype) in (np.float64, np.float32)
    except TypeError:
        return False


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

    def __init__(self, weights, biases=None, activations="sigmoid", dtype=np.float64):
        if not _is_float_type(dtype):
            raise ValueError(f"dtype must be float64 or float32 (numpy.float64 or numpy.float32); received {dtype!r}")
        if not isinstance(weights, (list, tuple)) or len(weights) == 0:
            raise TypeError(f"weights must be a non-empty list of 2-D arrays; received {type(weights).__name__}")
        self.weights = [_validate.matrix(f"weights[{l}]", W, dtype=dtype).copy() for l, W in enumerate(weights)]
        for l in range(1, len(self.weights)):
            if self.weights[l].shape[0] != self.weights[l - 1].shape[1]:
                raise ValueError(
                    f"weights[{l}] must have {self.weights[l - 1].shape[1]} rows to follow weights[{l - 1}] "
                    f"of shape {self.weights[l - 1].shape}; received shape {self.weights[l].shape}")
        self.biases = self._check_biases(biases, dtype)
        if isinstance(activations, str):
            activations = [activations] * len(self.weights)
        if not isinstance(activations, (list, tuple)) or len(activations) != len(self.weights):
            raise ValueError(f"activations must be one name or a list of {len(self.weights)} names; "
                             f"received {activations!r}")
        for l, name in enumerate(activations[:-1]):
            _activations.get(name, argument=f"activations[{l}]")
        last = len(self.weights) - 1  # the output layer may also be a softmax
        _activations.check_output(activations[-1], self.weights[-1].shape[1], argument=f"activations[{last}]")
        self.activations = list(activations)

    def _check_biases(self, biases, dtype):
        if biases is None:
            return [None] * len(self.weights)
        if not isinstance(biases, (list, tuple)) or len(biases) != len(self.weights):
            raise ValueError(f"biases must be None or a list of {len(self.weights)} entries; received {biases!r}")
        checked = []
        for l, b in enumerate(biases):
            if b is None:
                checked.append(None)
                continue
            checked.append(_validate.vector(f"biases[{l}]", b, length=self.weights[l].shape[1], dtype=dtype).copy())
        return checked

    @classmethod
    def random(cls, sizes, activations="sigmoid", *, bias=True, rng=None, dtype=np.float64):
        """A network with layer sizes ``sizes`` (input first) and weights drawn at random.

        Weights are normal with standard deviation 1/sqrt(n_in), so each unit's z starts with
        variance about 1 whatever the width; biases start at 0. ``rng`` is a seed or a Generator.
        """
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise ValueError(f"sizes must list at least two layer sizes (input, output); received {sizes!r}")
        sizes = [_validate.integer(f"sizes[{l}]", n) for l, n in enumerate(sizes)]
        n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
        if n_weights > _validate.MAX_COUNT * 10:
            raise ValueError(f"sizes {sizes} would need {n_weights:,} weights; at most {_validate.MAX_COUNT * 10:,} "
                             f"are allowed (about 800 MB in float64)")
        rng = _validate.generator("rng", rng)
        weights = [rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out)) for n_in, n_out in zip(sizes, sizes[1:])]
        biases = [np.zeros(n_out) for n_out in sizes[1:]] if _validate.flag("bias", bias) else None
        return cls(weights, biases, activations, dtype=dtype)

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
        return Network(self.weights, self.biases, self.activations, dtype=self.dtype)

    def __repr__(self):
        has_bias = "with biases" if any(b is not None for b in self.biases) else "no biases"
        return f"Network(sizes={self.sizes}, activations={self.activations}, {has_bias}, dtype={self.dtype})"
