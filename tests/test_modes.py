"""Forward mode and reverse mode (bplib.experiments.modes, chapter 8 section 8.9).

The directional derivative is checked against central differences of a cost computed here in
plain numpy and against the reverse-mode gradient; the counts against a hand count of a 2-2-1
network; the memory formula against the arrays bplib.forward returns and tracemalloc's count.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import bplib
from bplib.experiments import modes


def plain_cost(weights, biases, X, T):
    """1/2 sum (y - T)^2 of a sigmoid network, written out here without bplib."""
    y = X
    for W, b in zip(weights, biases):
        z = y @ W + (0.0 if b is None else b)
        y = 1.0 / (1.0 + np.exp(-z))
    return 0.5 * np.sum((y - T) ** 2)


def random_problem(sizes, seed, bias=True, n=3):
    rng = np.random.default_rng(seed)
    net = bplib.Network.random(sizes, "sigmoid", bias=bias, rng=rng)
    X, T = rng.normal(size=(n, sizes[0])), rng.uniform(size=(n, sizes[-1]))
    V = [rng.normal(size=W.shape) for W in net.weights]
    vb = [None if b is None else rng.normal(size=b.shape) for b in net.biases]
    return net, X, T, V, vb


def test_directional_derivative_matches_central_differences():
    net, X, T, V, vb = random_problem([3, 4, 2], seed=1)
    h = 1e-5
    moved = lambda s: plain_cost([W + s * h * v for W, v in zip(net.weights, V)],
                                 [b + s * h * v for b, v in zip(net.biases, vb)], X, T)
    central = (moved(1) - moved(-1)) / (2 * h)
    assert modes.directional_derivative(net, X, T, V, vb) == pytest.approx(central, rel=1e-7)


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5), seed=st.integers(0, 10_000),
       bias=st.booleans(), n=st.integers(1, 4))
def test_directional_derivative_is_the_gradient_along_the_direction(sizes, seed, bias, n):
    net, X, T, V, vb = random_problem(sizes, seed, bias, n)
    grad = bplib.backward(net, X, T)
    expected = sum(np.sum(g * v) for g, v in zip(grad.dW, V))
    expected += sum(np.sum(g * v) for g, v in zip(grad.db, vb) if g is not None)
    assert modes.directional_derivative(net, X, T, V, vb) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    # without a bias direction the biases stay put
    weights_only = sum(np.sum(g * v) for g, v in zip(grad.dW, V))
    assert modes.directional_derivative(net, X, T, V) == pytest.approx(weights_only, rel=1e-9, abs=1e-12)


def test_forward_mode_gradient_is_the_gradient_in_P_passes():
    for ex in (bplib.examples.example2(), bplib.examples.example3()):
        dW, db, passes = modes.forward_mode_gradient(ex.net, ex.x, ex.t)
        assert passes == ex.net.n_params == 6
        for mine, theirs in zip(dW, bplib.backward(ex.net, ex.x, ex.t).dW):
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)
        assert db == [None, None]
    net, X, T, _, _ = random_problem([2, 3, 2], seed=4)
    dW, db, passes = modes.forward_mode_gradient(net, X, T)
    grad = bplib.backward(net, X, T)
    assert passes == 6 + 6 + 3 + 2
    for mine, theirs in zip(dW + db, grad.dW + grad.db):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-14)


def test_counts_of_a_2_2_1_network_by_hand():
    # forward products: x W1 is 2*2 = 4, y W2 is 2*1 = 2; a forward-mode pass adds y V (4 + 2)
    # and dy W for the second layer only (2): 14 per pass. Backward: Y^T delta (4 + 2) and
    # delta W2^T (2), so forward + backward is 6 + 8 = 14 too.
    count = modes.count_modes([2, 2, 1], bias=False)
    assert count.n_params == count.forward_passes == 6
    assert count.reverse_passes == 2
    assert count.pass_multiply_adds == count.reverse_multiply_adds == 14
    assert count.forward_multiply_adds == 6 * 14
    assert (count.jacobian_forward_passes, count.jacobian_reverse_passes) == (2, 1)
    with_biases = modes.count_modes([2, 2, 1])
    assert with_biases.n_params == 9 and with_biases.forward_multiply_adds == 9 * 14
    big = modes.count_modes([784, 256, 10])
    assert big.n_params == 784 * 256 + 256 + 256 * 10 + 10
    assert big.pass_multiply_adds == 2 * (784 * 256 + 256 * 10) + 256 * 10


@pytest.mark.parametrize("sizes, n, dtype", [([2, 3, 2], 1, np.float64), ([784, 256, 10], 7, np.float64),
                                             ([5, 4, 4, 4, 3], 20, np.float32)])
def test_kept_bytes_is_what_forward_returns_and_what_tracemalloc_counts(sizes, n, dtype):
    net = bplib.Network.random(sizes, rng=0, dtype=dtype)
    X = np.random.default_rng(1).normal(size=(n, sizes[0])).astype(dtype)
    zs, ys = bplib.forward(net, X)
    assert ys[0] is X or np.shares_memory(ys[0], X)          # the input is the caller's, not kept anew
    returned = sum(a.nbytes for a in zs + ys[1:])
    itemsize = np.dtype(dtype).itemsize
    assert modes.kept_bytes(sizes, n, itemsize) == returned == 2 * n * sum(sizes[1:]) * itemsize
    assert modes.measure_kept_bytes(net, X) == returned


def test_memory_scan_measures_the_formula_in_proportion_to_batch_and_depth():
    scan = modes.memory_scan([1, 2, 8], [2, 3], width=16, n_in=20, n_out=4, rng=0)
    assert scan.sizes == [[20, 16, 4], [20, 16, 16, 4]]
    np.testing.assert_array_equal(scan.measured, scan.formula)
    np.testing.assert_array_equal(scan.formula, [[2 * 8 * n * 20 for n in (1, 2, 8)],
                                                 [2 * 8 * n * 36 for n in (1, 2, 8)]])


def test_bad_arguments_are_named():
    net, X, T, V, _ = random_problem([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"dW\[1\]"):
        modes.directional_derivative(net, X, T, [V[0], np.ones((2, 1))])
    with pytest.raises(ValueError, match="net"):
        modes.forward_mode_gradient(bplib.Network.random([200, 60, 1], rng=0), np.ones((1, 200)), np.ones((1, 1)))
    softmax = bplib.Network.random([2, 3], ["softmax"], rng=0)
    with pytest.raises(ValueError, match="net"):
        modes.directional_derivative(softmax, X, np.ones((2, 3)) / 3, [np.ones((2, 3))])
