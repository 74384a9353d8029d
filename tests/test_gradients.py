"""Backpropagation's gradients on random networks: bplib.gradcheck, plus an independent
central difference computed here with a forward pass and costs written in this file."""
import numpy as np
from hypothesis import assume, given, settings, strategies as st
from scipy.special import expit, log_expit, log_softmax, softmax

import bplib

ACTIVATION = {"sigmoid": expit, "tanh": np.tanh, "identity": lambda z: z, "relu": lambda z: np.maximum(z, 0.0),
              "softmax": lambda z: softmax(z, axis=1)}
COSTS = ["half_sse", "sse", "mse", "mae", "nll", "categorical_cross_entropy"]
SETTINGS = settings(max_examples=40, deadline=None, database=None)


@st.composite
def cases(draw, activations=("sigmoid", "tanh", "identity", "relu")):
    """A random network, data and cost; the output layer may also be a softmax (of 2 or more units)."""
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 6)) for _ in range(depth + 1)]
    acts = [draw(st.sampled_from(activations)) for _ in range(depth)]
    cost = draw(st.sampled_from(COSTS))
    if cost == "nll":
        acts[-1] = "sigmoid"
    elif cost == "categorical_cross_entropy" or draw(st.integers(0, 3)) == 0:  # softmax with any other cost too
        acts[-1] = "softmax"
    if acts[-1] == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    bias = draw(st.booleans())
    lam = draw(st.sampled_from([0.0, 0.01, 0.5]))
    average = draw(st.booleans())
    n = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = [rng.normal(0, 1.2 / np.sqrt(a), (a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, b) for b in sizes[1:]] if bias else None
    X = rng.normal(0, 1, (n, sizes[0]))
    if cost == "categorical_cross_entropy":  # one-hot classes, or probability rows
        T = np.eye(sizes[-1])[rng.integers(sizes[-1], size=n)] if draw(st.booleans()) else \
            rng.dirichlet(np.ones(sizes[-1]), size=n)
    elif acts[-1] in ("sigmoid", "softmax"):
        T = rng.uniform(0, 1, (n, sizes[-1]))
    else:
        T = rng.normal(0, 1, (n, sizes[-1]))
    return dict(weights=weights, biases=biases, acts=acts, cost=cost, lam=lam, average=average, X=X, T=T, rng=rng)


def reference_cost(weights, biases, acts, cost, lam, average, X, T):
    """E written from the lecture's formulas, sharing no code with bplib; also every layer's z and the output."""
    y, zs = X, []
    for l, (W, name) in enumerate(zip(weights, acts)):
        z = y @ W + (0.0 if biases is None else biases[l])
        zs.append(z)
        y = ACTIVATION[name](z)
    n = X.shape[0]
    squares = np.sum((T - y) ** 2)
    data = {"half_sse": squares / 2, "sse": squares, "mse": squares / n, "mae": np.sum(np.abs(T - y)) / n,
            "nll": -np.sum(T * log_expit(zs[-1]) + (1 - T) * log_expit(-zs[-1])),
            "categorical_cross_entropy": -np.sum(T * log_softmax(zs[-1], axis=1))}[cost]
    if average and cost not in ("mse", "mae"):  # mse and mae are averages over the examples already
        data = data / n
    return float(data) + lam * sum(float(np.sum(W ** 2)) for W in weights), zs, y


def away_from_kinks(case):
    """No relu unit within 1e-3 of z = 0 and, under mae, no output within 1e-3 of its target."""
    _, zs, y = reference_cost(**{k: v for k, v in case.items() if k != "rng"})
    relus = all(np.min(np.abs(z)) > 1e-3 for z, name in zip(zs, case["acts"]) if name == "relu")
    return relus and (case["cost"] != "mae" or np.min(np.abs(y - case["T"])) > 1e-3)


def describe(case):
    shapes = [W.shape for W in case["weights"]]
    return (f"weights {shapes}, activations {case['acts']}, cost {case['cost']}, biases {case['biases'] is not None}, "
            f"lam {case['lam']}, average {case['average']}, n {case['X'].shape[0]}")


@SETTINGS
@given(case=cases())
def test_gradcheck_on_random_networks(case):
    assume(away_from_kinks(case))
    net = bplib.Network(case["weights"], case["biases"], case["acts"])
    result = bplib.gradcheck(net, case["X"], case["T"], case["cost"], case["lam"], case["average"])
    # A gradient can be 0 in exact arithmetic (under mae, a softmax whose outputs are all below their
    # targets: the Jacobian sends the equal slopes -1 to 0). Computed, it is 0 or a few 1e-17, by
    # processor (y (v - y.v) rounds either way), and the central differences are rounding noise: the
    # relative error of two noises means nothing. Accept that case only when both are that small.
    flat = max(float(np.max(np.abs(a))) for a in result.analytic) < 1e-12 and \
        max(float(np.max(np.abs(g))) for g in result.numeric) < 1e-8
    assert result.error < 1e-7 or flat, f"{describe(case)}: received relative error {result.error:.3g}, expected < 1e-7"


@SETTINGS
@given(case=cases())
def test_one_weight_against_an_independent_central_difference(case):
    assume(away_from_kinks(case))
    args = {k: v for k, v in case.items() if k != "rng"}
    net = bplib.Network(case["weights"], case["biases"], case["acts"])
    result = bplib.backward(net, case["X"], case["T"], case["cost"], case["lam"], case["average"])
    E0, _, _ = reference_cost(**args)
    assert abs(result.E - E0) <= 1e-12 * (1 + abs(E0)), f"{describe(case)}: E received {result.E!r}, expected {E0!r}"

    rng = case["rng"]
    l = int(rng.integers(len(case["weights"])))
    i, j = (int(rng.integers(s)) for s in case["weights"][l].shape)
    h = 1e-6
    E = []
    for sign in (+1, -1):
        weights = [W.copy() for W in case["weights"]]
        weights[l][i, j] += sign * h
        E.append(reference_cost(**{**args, "weights": weights})[0])
    want = (E[0] - E[1]) / (2 * h)
    got = float(result.dW[l][i, j])
    assert abs(got - want) <= 1e-6 * (1 + abs(want)), (
        f"{describe(case)}: dE/dW[{l}][{i}, {j}] received {got!r}, expected {want!r} (central difference)")


@SETTINGS
@given(case=cases(activations=("sigmoid", "tanh", "identity")))
def test_float32_gradients_close_to_float64(case):
    assume(case["cost"] != "mae" or away_from_kinks(case))  # float32 rounding may flip sign(t - y) at a kink
    net32 = bplib.Network(case["weights"], case["biases"], case["acts"], dtype=np.float32)
    # the float64 network gets the float32-rounded numbers, so only the arithmetic differs
    net64 = bplib.Network(net32.weights, net32.biases, case["acts"], dtype=np.float64)
    X, T = case["X"].astype(np.float32), case["T"].astype(np.float32)
    g32 = bplib.backward(net32, X, T, case["cost"], case["lam"], case["average"])
    g64 = bplib.backward(net64, X, T, case["cost"], case["lam"], case["average"])
    for l, (a, b) in enumerate(zip(g32.dW, g64.dW)):
        assert a.dtype == np.float32, f"{describe(case)}: dW[{l}] received dtype {a.dtype}, expected float32"
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5 * (1 + np.max(np.abs(b))),
                                   err_msg=f"{describe(case)}: float32 dW[{l}] (received) vs float64 (expected)")
    for l, (a, b) in enumerate(zip(g32.db, g64.db)):
        if b is not None:
            np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5 * (1 + np.max(np.abs(b))),
                                       err_msg=f"{describe(case)}: float32 db[{l}] (received) vs float64 (expected)")


def test_gradcheck_notices_a_wrong_gradient():
    # gradcheck must be able to fail: compare a correct numeric gradient with a deliberately wrong one
    assert bplib.relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    got = bplib.relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    # ||(1, -1)|| / (1 + 1) = sqrt(2) / 2
    assert abs(got - np.sqrt(2) / 2) < 1e-15, f"relative_error((1,0), (0,1)): received {got!r}, expected {np.sqrt(2) / 2!r}"


@SETTINGS
@given(case=cases())
def test_output_error_is_y_minus_t_for_matched_pairs(case):
    """nll after a sigmoid and categorical cross-entropy after a softmax: deltas[-1] = y - t (chapter 6)."""
    assume(case["cost"] in ("nll", "categorical_cross_entropy"))
    net = bplib.Network(case["weights"], case["biases"], case["acts"])
    result = bplib.backward(net, case["X"], case["T"], case["cost"])
    _, _, y = reference_cost(**{**{k: v for k, v in case.items() if k != "rng"}, "lam": 0.0})
    # the rows of a Dirichlet draw sum to 1 up to rounding, so y - t holds to rounding, not bit for bit
    np.testing.assert_allclose(result.deltas[-1], y - case["T"], rtol=0, atol=1e-12,
                               err_msg=f"{describe(case)}: deltas[-1] (received) vs y - t (expected)")


def three_blobs(n_per_class=30, seed=0):
    """Three classes in the plane around (0, 2), (-2, -1) and (2, -1), with one-hot targets."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    labels = np.repeat(np.arange(3), n_per_class)
    return centres[labels] + rng.normal(0, 0.6, (labels.size, 2)), np.eye(3)[labels], labels


def test_softmax_step_moves_every_weight_against_the_central_difference_gradient():
    X, T, _ = three_blobs(5)
    net = bplib.Network.random([2, 4, 3], ["tanh", "softmax"], rng=3)
    eta = 0.1
    new, _ = bplib.step(net, X, T, eta, cost="categorical_cross_entropy", average=False)
    h = 1e-6
    for l, W in enumerate(net.weights):
        for i, j in np.ndindex(W.shape):
            E = []
            for sign in (+1, -1):
                weights = [V.copy() for V in net.weights]
                weights[l][i, j] += sign * h
                E.append(reference_cost(weights, net.biases, net.activations,
                                        "categorical_cross_entropy", 0.0, False, X, T)[0])
            want = W[i, j] - eta * (E[0] - E[1]) / (2 * h)
            assert abs(new.weights[l][i, j] - want) <= 1e-7, (
                f"weights[{l}][{i}, {j}] after one step: received {new.weights[l][i, j]!r}, expected {want!r}")


def test_softmax_network_learns_three_classes():
    X, T, labels = three_blobs()
    net = bplib.Network.random([2, 5, 3], ["tanh", "softmax"], rng=0)
    trained, history = bplib.train(net, X, T, eta=0.5, epochs=200, batch_size=10, cost="categorical_cross_entropy",
                                   rng=0)
    # before training the outputs are near 1/3 each: E per example near log 3 = 1.0986
    assert history.epochs[-1] < 0.3 * history.epochs[0], (
        f"average cross-entropy: received {history.epochs[0]:.4f} before and {history.epochs[-1]:.4f} after training, "
        f"expected it to fall below 30% of the start")
    predicted = np.argmax(bplib.forward(trained, X).ys[-1], axis=1)
    accuracy = float(np.mean(predicted == labels))
    assert accuracy >= 0.95, f"training accuracy on three separated blobs: received {accuracy:.3f}, expected >= 0.95"
