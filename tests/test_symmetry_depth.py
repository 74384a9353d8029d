"""Symmetry breaking (chapter 7) and vanishing errors across depth (chapter 5).

References here do not share bplib's code: the deep forward and backward passes are written out
with numpy, the first layer's gradient is checked against central differences, and the numbers
compared with (1/12, the sigmoid's bound) are derived by hand in the comments.
"""
import itertools

import numpy as np
import pytest

import bplib
from bplib.experiments import depth, symmetry


def pairwise_difference(W, b):
    """The largest |difference| between two columns of [W; b], pair by pair."""
    incoming = np.vstack([W, b[None, :]])
    return max(np.max(np.abs(incoming[:, j] - incoming[:, k]))
               for j, k in itertools.combinations(range(incoming.shape[1]), 2))


# ----- symmetry -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runs():
    return symmetry.compare_starts(n_hidden=3, weight=0.5, bias=0.0, eta=2.0, epochs=1500, rng=0)


def test_xor_targets_are_one_where_the_inputs_differ():
    X, T = symmetry.xor()
    assert X.shape == (4, 2) and T.shape == (4, 1)
    assert np.array_equal(T[:, 0], (X[:, 0] != X[:, 1]).astype(float))


def test_equal_start_keeps_hidden_units_exactly_identical(runs):
    net = runs["equal"].net
    W, b, V = net.weights[0], net.biases[0], net.weights[1]
    for j in range(1, W.shape[1]):   # bit for bit, not just close
        assert np.array_equal(W[:, j], W[:, 0]) and b[j] == b[0] and V[j, 0] == V[0, 0]
    assert np.all(runs["equal"].difference == 0.0)
    assert not np.array_equal(W, symmetry.equal_network().weights[0])  # it did learn something


def test_random_start_units_differ_and_the_difference_is_what_pairs_give(runs):
    net = runs["random"].net
    assert runs["random"].difference[-1] == pytest.approx(pairwise_difference(net.weights[0], net.biases[0]))
    assert runs["random"].difference[-1] > 1.0
    assert np.all(runs["random"].difference > 0)


def test_unit_difference_on_a_hand_made_layer():
    W = np.array([[1.0, 1.5, 0.0], [2.0, 2.0, 2.0]])
    net = bplib.Network([W, np.ones((3, 1))], [np.array([0.0, 0.1, -0.2]), np.zeros(1)])
    # columns (1, 2, 0), (1.5, 2, 0.1), (0, 2, -0.2): the widest pair is 1 and 3 (or 2 and 3) in row 0: 1.5
    assert symmetry.unit_difference(net) == 1.5
    assert symmetry.unit_difference(net, layer=1) == 0.0   # one output unit: nothing to differ from


def test_identical_units_cannot_beat_one_twelfth_and_random_ones_do(runs):
    # Identical hidden units make the output a monotone function of one z = w.x + b. Over the four
    # corners the targets in z's order are (0, 1, 1, 0) or (1, 0, 0, 1) (or with ties); the best
    # monotone fit leaves a squared error of 1/9 + 1/9 + 4/9 = 2/3, so the average of 1/2 (t - y)^2
    # over four examples is at least 2/3 / 2 / 4 = 1/12.
    assert symmetry.EQUAL_UNITS_FLOOR == pytest.approx(1 / 12)
    assert np.all(runs["equal"].cost > 1 / 12)
    assert runs["random"].cost[-1] < 0.01
    assert runs["equal"].cost[-1] - 1 / 12 < 0.01       # it plateaus near the floor


def test_equal_start_costs_match_an_independent_network_of_one_hidden_unit():
    # H identical units act like one unit whose outgoing weight is H times larger: the same outputs
    X, T = symmetry.xor()
    H, eta, epochs = 3, 2.0, 50
    watch = symmetry.train_watching(symmetry.equal_network(H), X, T, eta, epochs)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    w, b, v, c = np.full(2, 0.5), 0.0, 0.5, 0.0   # the one unit's weights; v is one of its H outgoing weights
    for e in range(epochs + 1):
        h = sig(X @ w + b)
        y = sig(H * v * h + c)
        assert watch.cost[e] == pytest.approx(np.mean(0.5 * (T[:, 0] - y) ** 2), rel=1e-12)
        d_out = (y - T[:, 0]) * y * (1 - y) / 4                  # average cost over 4 examples
        d_hid = d_out * v * h * (1 - h)
        v, c, w, b = v - eta * d_out @ h, c - eta * d_out.sum(), w - eta * X.T @ d_hid, b - eta * d_hid.sum()


def test_symmetry_leaves_the_network_passed_in_unchanged():
    net = symmetry.random_network(3, rng=1)
    before = [W.copy() for W in net.weights]
    symmetry.train_watching(net, *symmetry.xor(), eta=1.0, epochs=3)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))


@pytest.mark.parametrize("call, name", [
    (lambda: symmetry.equal_network(n_hidden=1), "n_hidden"),
    (lambda: symmetry.equal_network(weight="0.5"), "weight"),
    (lambda: symmetry.unit_difference(net=[1.0]), "net"),
    (lambda: symmetry.unit_difference(symmetry.equal_network(), layer=2), "layer"),
    (lambda: symmetry.train_watching(bplib.Network([np.ones((2, 1))]), *symmetry.xor()), "net"),
    (lambda: symmetry.compare_starts(eta=-1.0), "eta"),
    (lambda: symmetry.compare_starts(epochs=2.5), "epochs"),
])
def test_symmetry_bad_input_names_the_argument(call, name):
    with pytest.raises((TypeError, ValueError), match=name):
        call()


# ----- depth ----------------------------------------------------------------------------------

F = {"sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda y: y * (1 - y)),
     "tanh": (np.tanh, lambda y: 1 - y ** 2),
     "relu": (lambda z: np.maximum(z, 0), lambda y: (y > 0).astype(float))}


def numpy_backward(weights, X, T, activation):
    """Forward and backward pass written out: hidden layers f, identity output, E = 1/2 sum (y - t)^2."""
    f, f_prime = F[activation]
    ys = [X]
    for l, W in enumerate(weights):
        z = ys[-1] @ W
        ys.append(z if l == len(weights) - 1 else f(z))
    deltas = [ys[-1] - T]
    for l in range(len(weights) - 1, 0, -1):
        deltas.insert(0, (deltas[0] @ weights[l].T) * f_prime(ys[l]))
    return deltas, [ys[l].T @ deltas[l] for l in range(len(weights))]


@pytest.fixture(scope="module")
def measured():
    return depth.compare_activations(("sigmoid", "tanh", "relu"), depth=8, width=20, n=16, rng=3)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_per_layer_errors_equal_an_independent_backward_pass(measured, activation):
    m = measured[activation]
    deltas, dW = numpy_backward(m.net.weights, m.X, m.T, activation)
    rms = lambda arrays: np.array([np.sqrt(np.mean(a ** 2)) for a in arrays])  # noqa: E731
    np.testing.assert_allclose(m.delta_rms, rms(deltas), rtol=1e-10)
    np.testing.assert_allclose(m.dW_rms, rms(dW), rtol=1e-10)
    assert m.net.activations == [activation] * 7 + ["identity"]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_first_layer_gradient_matches_central_differences(measured, activation):
    m = measured[activation]
    f = F[activation][0]
    weights = [W.copy() for W in m.net.weights]

    def E():
        y = m.X
        for l, W in enumerate(weights):
            y = y @ W if l == len(weights) - 1 else f(y @ W)
        return 0.5 * np.sum((y - m.T) ** 2)

    # E is a sum over the batch of about 1e2: rounding alone puts an error of about 1e-16 E / eps on
    # each difference quotient, so eps is larger than usual (its truncation error, ~eps^2, is smaller still)
    eps, numeric = 1e-4, np.empty((3, 3))
    for i in range(3):
        for j in range(3):
            weights[0][i, j] += eps
            up = E()
            weights[0][i, j] -= 2 * eps
            numeric[i, j] = (up - E()) / (2 * eps)
            weights[0][i, j] += eps
    analytic = bplib.backward(m.net, m.X, m.T).dW[0][:3, :3]
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-14 * E() / eps)
    assert np.sqrt(np.mean(bplib.backward(m.net, m.X, m.T).dW[0] ** 2)) == pytest.approx(m.dW_rms[0], rel=1e-12)


def test_sigmoid_error_shrinks_at_least_as_the_slope_bound_says(measured):
    # For each example (row): deltas[l-1] = (deltas[l] @ W[l].T) * y(1-y) with 0 < y(1-y) <= 1/4, so
    # |deltas[l-1]| <= 1/4 * ||W[l]||_2 * |deltas[l]|, ||.||_2 the largest singular value. Over the
    # batch (Frobenius norms) the first layer's error is at most prod_{l>=1} (||W[l]||_2 / 4) times the
    # output's. All layers are equally wide, so the same holds for the root-mean-squares.
    m = measured["sigmoid"]
    bound = np.prod([np.linalg.norm(W, 2) / 4 for W in m.net.weights[1:]])
    assert m.delta_rms[0] / m.delta_rms[-1] <= bound
    for l in range(1, len(m.net.weights)):   # and layer by layer
        assert m.delta_rms[l - 1] <= np.linalg.norm(m.net.weights[l], 2) / 4 * m.delta_rms[l] * (1 + 1e-12)
    assert depth.shrinkage(m) >= 1 / bound > 10


def test_tanh_and_relu_lose_far_less_than_the_sigmoid(measured):
    s = {a: depth.shrinkage(measured[a]) for a in measured}
    assert s["sigmoid"] > 1000 * max(s["tanh"], s["relu"])
    # ReLU passes on the active half of the errors: about 1/sqrt(2) of the root-mean-square per layer
    assert 2 ** (7 / 2) / 4 < s["relu"] < 2 ** (7 / 2) * 4


def test_depth_is_seeded_and_the_same_weights_serve_every_activation():
    a = depth.compare_activations(("sigmoid", "relu"), depth=3, width=5, n=4, rng=7)
    b = depth.error_sizes("relu", depth=3, width=5, n=4, rng=7)
    assert all(np.array_equal(W1, W2) for W1, W2 in zip(a["sigmoid"].net.weights, a["relu"].net.weights))
    np.testing.assert_array_equal(a["relu"].delta_rms, b.delta_rms)
    net = depth.deep_network("tanh", depth=3, width=5, rng=7)
    assert all(np.array_equal(W1, W2) for W1, W2 in zip(net.weights, b.net.weights))
    # N(0, 1/n_in): the weights' variance is about 1/width
    big = depth.deep_network("tanh", depth=2, width=400, rng=0)
    assert np.var(big.weights[0]) == pytest.approx(1 / 400, rel=0.02)


@pytest.mark.parametrize("call, name", [
    (lambda: depth.error_sizes("step"), "activation"),
    (lambda: depth.error_sizes(depth=1), "depth"),
    (lambda: depth.error_sizes(width=0), "width"),
    (lambda: depth.compare_activations("sigmoid"), "activations"),
    (lambda: depth.compare_activations(["tanh", "identity"]), "activations"),
    (lambda: depth.deep_network(rng=-1), "rng"),
    (lambda: depth.shrinkage([1.0, 2.0]), "errors"),
])
def test_depth_bad_input_names_the_argument(call, name):
    with pytest.raises((TypeError, ValueError), match=name):
        call()
