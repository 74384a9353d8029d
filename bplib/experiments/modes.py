"""Forward mode against reverse mode: what each pass gives, what it costs, what it keeps (chapter 8).

Forward mode pushes a *tangent* through the forward pass: a direction V for the weights (and vb
for the biases), carried beside every value as its derivative along V. With layer l's weights
(n_l, n_{l+1}) and one example per row,

    z_l  = y_l W_l + b_l                       dz_l = dy_l W_l + y_l V_l + vb_l
    y_{l+1} = f(z_l)                           dy_{l+1} = f'(y_{l+1}) * dz_l       (f' from y)
    E = 1/2 sum (y_L - T)^2                    dE = sum (y_L - T) * dy_L

with dy_0 = 0 (the inputs do not move). dE is the directional derivative <grad E, V>: one pass
gives one number, the Jacobian-vector product (JVP). All P partial derivatives need P passes, one
per unit direction. Reverse mode (backpropagation, ``bplib.backward``) gives all P in one forward
and one backward pass, because E is a single number: it computes the vector-Jacobian product
1 * dE/dw, one row of the Jacobian per pass, where forward mode computes one column.

Counted in multiply-adds (matrix products only, as ``cost_of_gradients`` counts them), one
forward-mode pass on n examples does n sum_l n_l n_{l+1} for y W, the same again for y V, and
n sum_{l>0} n_l n_{l+1} for dy W (dy_0 = 0): exactly what one forward plus one backward pass of
reverse mode does. So for the whole gradient forward mode does P times reverse mode's work.

What reverse mode pays: the backward pass needs every layer's outputs, so the forward pass must
keep them until it runs. ``bplib.forward`` keeps ``zs[l]`` and ``ys[l + 1]``, each (n, n_{l+1}),
for every layer:

    kept bytes = 2 n (n_1 + ... + n_L) * itemsize           (8 bytes in float64)

in proportion to the batch size n and to the depth. A forward-mode pass keeps only the layer it
is on (and its tangent). ``measure_kept_bytes`` measures the kept bytes with ``tracemalloc``:
numpy reports every array's data to it in its own domain (``numpy.lib.tracemalloc_domain``), so
the count is of the arrays alone, to the byte. numpy only.
"""
import tracemalloc
from typing import NamedTuple

import numpy as np

from .._validate import SEED, count, declare, like_parameters, list_of
from ..activations import ACTIVATIONS
from ..backprop import forward
from ..network import INPUTS, NETWORK, SIZES, TARGETS, Network
from . import cost_of_gradients

__all__ = ["directional_derivative", "forward_mode_gradient", "count_modes", "kept_bytes",
           "measure_kept_bytes", "memory_scan"]


def _elementwise(name, net, arguments):
    """A network whose output activation is elementwise (forward mode here carries f'(y) unit by unit)."""
    if NETWORK(name, net, arguments).activations[-1] not in ACTIVATIONS:
        raise ValueError(f"{name} must have an element-wise output activation for forward mode here; "
                         f"received output activation {net.activations[-1]!r}")
    return net


def _passes_allowed(name, net, arguments):
    """An elementwise network of at most 10,000 parameters: forward mode makes one pass for each."""
    if _elementwise(name, net, arguments).n_params > 10_000:
        raise ValueError(f"{name} has {net.n_params:,} parameters; forward mode here does one pass per parameter, "
                         f"at most 10,000")
    return net


def _jvp(net, X, T, dW, db):
    """(E, dE): the half sum of squares and its derivative along (dW, db), in one forward pass."""
    y, dy = X, None
    for W, b, V, vb, name in zip(net.weights, net.biases, dW, db, net.activations):
        z = y @ W
        dz = y @ V
        if dy is not None:
            dz += dy @ W
        if b is not None:
            z += b
        if vb is not None:
            dz += vb
        f, f_prime = ACTIVATIONS[name]
        y = f(z)
        dy = f_prime(y) * dz
    r = y - T
    return 0.5 * float(np.sum(r ** 2)), float(np.sum(r * dy))


@declare(net=_elementwise, X=INPUTS, T=TARGETS, dW=like_parameters(), db=like_parameters(biases=True))
def directional_derivative(net, X, T, dW, db=None):
    """<dE/dw, V> by one forward-mode pass: E = 1/2 sum (y - T)^2 summed over the rows of X (n, n_0).

    ``dW`` is the direction for the weights, a list shaped like ``net.weights``; ``db`` the
    direction for the biases (None: they stay put; else a list with None where a layer has no
    bias). Returns the number ``sum(dE/dW[l] * dW[l]) + sum(dE/db[l] * db[l])`` of the gradient
    ``bplib.backward(net, X, T)`` gives, found without it: the tangent dy rides the forward pass.
    """
    return _jvp(net, X, T, dW, db)[1]


@declare(net=_passes_allowed, X=INPUTS, T=TARGETS)
def forward_mode_gradient(net, X, T):
    """Every dE/dw by forward mode: one pass per weight and bias, along its unit direction.

    Returns ``(dW, db, passes)``: lists shaped like ``bplib.backward``'s ``dW`` and ``db`` (None
    where a layer has no bias) and the number of forward-mode passes made, P = ``net.n_params``.
    At most 10,000 parameters (each pass is a whole forward pass).
    """
    zero_W = [np.zeros_like(W) for W in net.weights]
    zero_b = [None if b is None else np.zeros_like(b) for b in net.biases]
    dW, db, passes = [np.zeros_like(W) for W in net.weights], [None if b is None else np.zeros_like(b)
                                                              for b in net.biases], 0
    for tangents, gradients in ((zero_W, dW), (zero_b, db)):
        for V, G in zip(tangents, gradients):
            if V is None:
                continue
            for index in np.ndindex(V.shape):
                V[index] = 1.0                     # the unit direction of this one parameter
                G[index] = _jvp(net, X, T, zero_W, zero_b)[1]
                V[index] = 0.0
                passes += 1
    return dW, db, passes


class ModeCount(NamedTuple):
    """Passes and multiply-adds (one example) for every dE/dw, and for the output's Jacobian dy/dx."""
    n_params: int                 # P
    forward_passes: int           # P: one directional derivative per pass
    reverse_passes: int           # 2: one forward and one backward pass
    pass_multiply_adds: int       # one forward-mode pass = one forward plus one backward pass
    forward_multiply_adds: int    # P passes
    reverse_multiply_adds: int    # one forward plus one backward pass
    jacobian_forward_passes: int  # dy/dx: one column per pass, n_0 passes
    jacobian_reverse_passes: int  # dy/dx: one row per pass, n_L passes


@declare(sizes=SIZES)
def count_modes(sizes, bias=True):
    """Count both modes for a network with layer sizes ``sizes`` (input first), on one example.

    A forward-mode pass does sum_l n_l n_{l+1} multiply-adds for y W, as many for y V, and
    sum_{l>0} n_l n_{l+1} for dy W: the forward plus backward multiply-adds of
    ``cost_of_gradients``, so forward mode does P times the work of reverse mode for all P
    derivatives. For a 2-2-1 network without biases: 6 + 6 + 2 = 14 per pass, P = 6, 84 in all.
    """
    P = cost_of_gradients.n_parameters(sizes, bias)
    per_pass = cost_of_gradients.forward_multiply_adds(sizes) + cost_of_gradients.backward_multiply_adds(sizes)
    return ModeCount(P, P, 2, per_pass, P * per_pass, per_pass, sizes[0], sizes[-1])


@declare(sizes=SIZES, n=count(), itemsize=count(maximum=16))
def kept_bytes(sizes, n, itemsize=8):
    """The bytes reverse mode keeps for the backward pass: 2 n (n_1 + ... + n_L) itemsize.

    ``bplib.forward`` keeps ``zs[l]`` and ``ys[l + 1]`` (n, n_{l+1}) for every layer l; the input
    ``ys[0]`` is X itself, the caller's array. ``itemsize`` is 8 in float64, 4 in float32.
    """
    return 2 * n * sum(sizes[1:]) * itemsize


@declare(net=NETWORK, X=INPUTS)
def measure_kept_bytes(net, X):
    """Bytes of numpy array data that ``bplib.forward(net, X)`` allocates and keeps, by ``tracemalloc``.

    Counts numpy's own tracemalloc domain only (array data, not Python objects), after the call
    and while its result is held; equal to ``kept_bytes(net.sizes, len(X), net.dtype.itemsize)``.
    """
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        before = _numpy_bytes()
        result = forward(net, X)
        after = _numpy_bytes()
    finally:
        if started:
            tracemalloc.stop()
    del result
    return after - before


def _numpy_bytes():
    only_numpy = tracemalloc.DomainFilter(inclusive=True, domain=np.lib.tracemalloc_domain)
    return sum(trace.size for trace in tracemalloc.take_snapshot().filter_traces([only_numpy]).traces)


class MemoryScan(NamedTuple):
    """Kept bytes for every depth (rows) and batch size (columns): measured and by the formula."""
    batch_sizes: list
    depths: list
    sizes: list                   # the layer sizes of each depth
    measured: np.ndarray          # (len(depths), len(batch_sizes)) int
    formula: np.ndarray           # the same shape, from kept_bytes


def _counts(maximum, what="counts"):
    return list_of(count(maximum=maximum), what)


@declare(batch_sizes=_counts(4096), depths=_counts(16), width=count(maximum=1024), n_in=count(maximum=1024),
         n_out=count(maximum=1024), rng=SEED)
def memory_scan(batch_sizes, depths, width=256, n_in=784, n_out=10, rng=None):
    """``measure_kept_bytes`` and ``kept_bytes`` for random sigmoid networks of each depth.

    Depth d has d weight layers: n_in, then d - 1 hidden layers of ``width``, then n_out (depth 2
    with the defaults is 784-256-10). The inputs are random, n rows for each batch size n.
    """
    all_sizes = [[n_in] + [width] * (d - 1) + [n_out] for d in depths]
    measured = np.zeros((len(depths), len(batch_sizes)), dtype=np.int64)
    formula = np.zeros_like(measured)
    for i, sizes in enumerate(all_sizes):
        net = Network.random(sizes, "sigmoid", rng=rng)
        for j, n in enumerate(batch_sizes):
            measured[i, j] = measure_kept_bytes(net, rng.normal(size=(n, n_in)))
            formula[i, j] = kept_bytes(sizes, n)
    return MemoryScan(batch_sizes, depths, all_sizes, measured, formula)

