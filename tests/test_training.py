"""train() against loops written here, and the random-perturbation learner."""
import numpy as np
import pytest
from scipy.special import expit

import bplib
from bplib.search import random_perturbation


def toy_problem(n=12, seed=3):
    """Two separable blobs around (-1, -1) (target 0) and (1, 1) (target 1)."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    X = rng.normal(0, 0.3, (n, 2)) + np.where(labels[:, None] == 1, 1.0, -1.0)
    return X, labels[:, None].astype(float)


def arrays_of(net):
    """The network's own parameter arrays: weights, then the biases it has."""
    return list(net.weights) + [b for b in net.biases if b is not None]


def arrays(net):
    """Copies of them, to compare later."""
    return [a.copy() for a in arrays_of(net)]


@pytest.mark.parametrize("batch_size", [1, 3, 5])
@pytest.mark.parametrize("order", ["simultaneous", "layerwise"])
@pytest.mark.parametrize("small_data", [True, False], ids=["reordered-per-epoch", "gathered-per-batch"])
def test_train_equals_a_loop_of_steps(batch_size, order, small_data, monkeypatch):
    # train cuts small data into batches one way and large data another (bplib._loop.batches);
    # lowering the threshold to 0 bytes sends these 7 examples down the large-data path
    if not small_data:
        monkeypatch.setattr(bplib._loop, "SMALL_DATA", 0)
    X, T = toy_problem(n=7)
    net = bplib.Network.random([2, 3, 1], rng=1)
    trained, history = bplib.train(net, X, T, eta=0.5, epochs=3, batch_size=batch_size, cost="half_sse", lam=0.01,
                                   order=order, rng=42)
    rng, manual, costs = np.random.default_rng(42), net, []
    for _ in range(3):
        permutation = rng.permutation(len(X))  # train draws one permutation per epoch
        for start in range(0, len(X), batch_size):
            batch = permutation[start:start + batch_size]
            manual, record = bplib.step(manual, X[batch], T[batch], 0.5, cost="half_sse", lam=0.01, order=order)
            costs.append(record.E)
    np.testing.assert_allclose(history.steps, costs, rtol=1e-12, err_msg=f"batch_size {batch_size}: step costs (received) vs manual loop (expected)")
    for l, (got, want) in enumerate(zip(arrays(trained), arrays(manual))):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15, err_msg=f"batch_size {batch_size}: parameter array {l}, train vs manual loop")


def plain_full_batch(W1, b1, W2, b2, X, T, eta, epochs):
    """Gradient descent on the average of 1/2 ||t - y||^2 for a 2-layer sigmoid network, in plain numpy."""
    n, costs = len(X), []
    for _ in range(epochs):
        Y1 = expit(X @ W1 + b1)
        Y2 = expit(Y1 @ W2 + b2)
        costs.append(0.5 * np.sum((T - Y2) ** 2) / n)
        D2 = (Y2 - T) * Y2 * (1 - Y2) / n   # dE/dz2 of the average cost
        D1 = (D2 @ W2.T) * Y1 * (1 - Y1)    # dE/dz1, through the weights of this forward pass
        W2, b2, W1, b1 = W2 - eta * Y1.T @ D2, b2 - eta * D2.sum(0), W1 - eta * X.T @ D1, b1 - eta * D1.sum(0)
    return [W1, b1, W2, b2], costs


def test_full_batch_equals_plain_gradient_descent():
    X, T = toy_problem(n=10)
    rng = np.random.default_rng(5)
    W1, b1, W2, b2 = rng.normal(0, 1, (2, 4)), rng.normal(0, 1, 4), rng.normal(0, 1, (4, 1)), rng.normal(0, 1, 1)
    net = bplib.Network([W1, W2], [b1, b2], "sigmoid")
    trained, history = bplib.train(net, X, T, eta=1.5, epochs=25, batch_size=len(X), rng=0)
    want, costs = plain_full_batch(W1, b1, W2, b2, X, T, 1.5, 25)
    got = [trained.weights[0], trained.biases[0], trained.weights[1], trained.biases[1]]
    for name, g, w in zip(["W1", "b1", "W2", "b2"], got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=f"{name} after 25 full-batch epochs: train (received) vs plain numpy (expected)")
    np.testing.assert_allclose(history.steps, costs, rtol=1e-10, err_msg="average cost per step: train (received) vs plain numpy (expected)")


@pytest.mark.parametrize("n, batch_size, epochs, steps", [(7, 1, 3, 21), (7, 3, 2, 6), (7, 7, 4, 4), (7, None, 4, 4), (6, 4, 3, 6), (5, 2, 0, 0)])
def test_history_lengths(n, batch_size, epochs, steps):
    X, T = toy_problem(n)
    net = bplib.Network.random([2, 2, 1], rng=0)
    _, history = bplib.train(net, X, T, 0.1, epochs=epochs, batch_size=batch_size)
    assert len(history.steps) == steps, f"n={n}, batch_size={batch_size}, epochs={epochs}: received {len(history.steps)} steps, expected {steps}"
    assert len(history.epochs) == epochs + 1, f"received {len(history.epochs)} epoch costs, expected {epochs + 1} (one before training)"
    _, quiet = bplib.train(net, X, T, 0.1, epochs=epochs, batch_size=batch_size, record_epochs=False)
    assert quiet.epochs == [] and len(quiet.steps) == steps, f"record_epochs=False: received {quiet}"


def test_first_epoch_cost_is_the_average_cost_before_training():
    X, T = toy_problem()
    net = bplib.Network.random([2, 3, 1], rng=0)
    _, history = bplib.train(net, X, T, 0.1, epochs=1, lam=0.05)
    Y = bplib.forward(net, X).ys[-1]
    want = 0.5 * np.sum((T - Y) ** 2) / len(X) + 0.05 * sum(np.sum(W ** 2) for W in net.weights)
    assert history.epochs[0] == pytest.approx(want, rel=1e-12), f"epochs[0]: received {history.epochs[0]!r}, expected {want!r}"


@pytest.mark.parametrize("options", [dict(), dict(batch_size=1), dict(order="layerwise"), dict(learn_biases=False), dict(lam=0.1, cost="nll")])
def test_the_network_passed_in_is_not_modified(options):
    X, T = toy_problem()
    net = bplib.Network.random([2, 3, 1], rng=0)
    net.biases[0][:] = [0.1, -0.2, 0.3]
    before = arrays(net)
    trained, _ = bplib.train(net, X, T, 1.0, epochs=3, **options)
    for l, (got, want) in enumerate(zip(arrays(net), before)):
        np.testing.assert_array_equal(got, want, err_msg=f"train(**{options}) changed parameter array {l} of its input")
    assert any(not np.array_equal(a, b) for a, b in zip(arrays(trained), before)), "the trained network should differ"


def test_float32_network_trains_and_stays_float32():
    X, T = toy_problem()
    net = bplib.Network.random([2, 3, 1], rng=0, dtype=np.float32)
    trained, history = bplib.train(net, X, T, 1.0, epochs=30, batch_size=4)
    dtypes = [a.dtype for a in arrays(trained)]
    assert all(d == np.float32 for d in dtypes), f"received dtypes {dtypes}, expected float32 throughout"
    assert all(np.isfinite(history.steps)) and history.epochs[-1] < history.epochs[0], (
        f"float32 cost: received {history.epochs[0]} -> {history.epochs[-1]}, expected a decrease")


@pytest.mark.parametrize("cost", ["half_sse", "nll"])
@pytest.mark.parametrize("order", ["simultaneous", "layerwise"])
def test_training_reduces_the_cost_on_a_separable_problem(order, cost):
    X, T = toy_problem()
    net = bplib.Network.random([2, 3, 1], rng=2)
    trained, history = bplib.train(net, X, T, 2.0, epochs=100, batch_size=4, cost=cost, order=order, rng=1)
    assert history.epochs[-1] < 0.5 * history.epochs[0], (
        f"{order}, {cost}: received cost {history.epochs[0]:.4f} -> {history.epochs[-1]:.4f}, expected it at least halved")
    predictions = bplib.forward(trained, X).ys[-1] > 0.5
    assert np.array_equal(predictions, T == 1), f"{order}: received predictions {predictions.ravel()}, expected {T.ravel() == 1}"


def test_layerwise_and_simultaneous_training_differ():
    X, T = toy_problem()
    net = bplib.Network.random([2, 3, 1], rng=2)
    a, _ = bplib.train(net, X, T, 2.0, epochs=5, order="layerwise")
    b, _ = bplib.train(net, X, T, 2.0, epochs=5, order="simultaneous")
    difference = np.max(np.abs(a.weights[0] - b.weights[0]))
    assert difference > 1e-6, f"hidden weights after 5 epochs: layerwise and simultaneous differ by {difference:.2e}, expected them to differ"


@pytest.mark.parametrize("how", ["train-learn_biases=False", "train-epochs=0", "step-learn_biases=False"])
def test_the_returned_network_shares_no_arrays_with_its_input(how):
    # "The network passed in is left unchanged": that should survive editing the returned network in place
    X, T = toy_problem()
    net = bplib.Network.random([2, 3, 1], rng=0)
    if how == "train-learn_biases=False":
        new, _ = bplib.train(net, X, T, 1.0, epochs=2, learn_biases=False)
    elif how == "train-epochs=0":
        new, _ = bplib.train(net, X, T, 1.0, epochs=0)
    else:
        new, _ = bplib.step(net, X, T, 1.0, learn_biases=False)
    shared = [l for l, (a, b) in enumerate(zip(arrays_of(new), arrays_of(net))) if np.shares_memory(a, b)]
    assert not shared, f"{how}: parameter arrays {shared} of the returned network are the input's own arrays (expected copies)"


@pytest.mark.parametrize("cost", ["half_sse", "sse", "mse", "nll"])
def test_batch_of_identical_examples_steps_like_one_example(cost):
    # train's docstring: each step follows the *average* cost over its batch, "so the learning rate means
    # the same thing whatever the batch size". A batch of 4 copies of one example has the same average
    # gradient as that example alone, so both steps must land on the same weights.
    net = bplib.Network.random([2, 3, 1], rng=0)
    x, t = np.array([[0.4, -0.7]]), np.array([[0.9]])
    one, _ = bplib.train(net, x, t, 1.0, epochs=1, cost=cost)
    four, _ = bplib.train(net, np.repeat(x, 4, axis=0), np.repeat(t, 4, axis=0), 1.0, epochs=1, cost=cost)
    for l in range(2):
        np.testing.assert_allclose(four.weights[l], one.weights[l], rtol=1e-12, atol=1e-15,
                                   err_msg=f"cost {cost}: weights[{l}] after one step on 4 copies (received) vs on 1 copy (expected)")


# ---- the random-perturbation learner -------------------------------------------------------------

def test_search_never_increases_the_cost_of_the_chosen_example():
    X, T = toy_problem(n=6)
    net = bplib.Network.random([2, 2, 1], rng=0)
    rng = np.random.default_rng(7)
    for _ in range(15):
        peek = np.random.default_rng()
        peek.bit_generator.state = rng.bit_generator.state
        k = int(peek.integers(len(X)))  # step 1 draws the example first: rng.integers(n)
        before = bplib.cost(net, X[k:k + 1], T[k:k + 1])
        net, _ = random_perturbation(net, X, T, rounds=1, trials_per_example=10, step=0.5, rng=rng)
        after = bplib.cost(net, X[k:k + 1], T[k:k + 1])
        assert after <= before, f"example {k}: cost received {after!r} after the round, expected <= {before!r}"


def test_search_on_one_example_is_monotone():
    x, t = np.array([[0.3, -0.6]]), np.array([[0.9]])
    net = bplib.Network.random([2, 3, 1], rng=1)
    _, history = random_perturbation(net, x, t, rounds=40, trials_per_example=5, step=0.3, rng=0)
    assert all(b <= a for a, b in zip(history.costs, history.costs[1:])), f"received costs {history.costs}, expected non-increasing"
    assert history.costs[-1] < history.costs[0], f"received {history.costs[0]} -> {history.costs[-1]}, expected a decrease"


@pytest.mark.parametrize("rounds, trials", [(0, 3), (1, 1), (5, 20), (12, 7)])
def test_search_counts_forward_passes(rounds, trials):
    X, T = toy_problem(n=4)
    net = bplib.Network.random([2, 2, 1], rng=0)
    _, history = random_perturbation(net, X, T, rounds=rounds, trials_per_example=trials, rng=0)
    want = [r * (trials + 1) for r in range(rounds + 1)]  # one pass to measure the example, one per trial
    assert history.forward_passes == want, f"rounds={rounds}, trials={trials}: received {history.forward_passes}, expected {want}"
    assert len(history.costs) == rounds + 1, f"received {len(history.costs)} costs, expected {rounds + 1}"


def test_search_reduces_the_full_data_cost():
    # one run is noisy (a nudge that helps one example can hurt the others), so average five seeds
    X, T = toy_problem(n=8)
    runs = []
    for seed in range(5):
        net = bplib.Network.random([2, 2, 1], rng=seed)
        before = arrays(net)
        _, history = random_perturbation(net, X, T, rounds=300, trials_per_example=2, step=0.05, rng=seed)
        runs.append(history.costs)
        for got, want in zip(arrays(net), before):
            np.testing.assert_array_equal(got, want, err_msg="random_perturbation changed the network passed in")
    mean = np.mean(runs, axis=0)
    slope = np.polyfit(np.arange(len(mean)), mean, 1)[0]
    first, last = mean[:75].mean(), mean[-75:].mean()
    assert slope < 0 and last < 0.85 * first, (
        f"mean full-data cost over 5 seeds: first quarter {first:.4f}, last quarter {last:.4f}, slope {slope:.2e}; "
        f"expected a downward trend (last < 0.85 * first)")


def test_a_saturated_sigmoid_unit_is_not_divergence():
    # Inside train's loop overflow raises; exp(-z) overflows for z < -709 although sigmoid(z) is
    # just 0 there. Hidden unit 1 gets z = -1000 * 1 = -1000 (sigmoid exactly 0.0 in float64),
    # unit 2 gets z = 0.5; the reference is plain_full_batch with scipy's expit, which never overflows.
    W1, W2 = np.array([[-1000.0, 0.5]]), np.array([[0.3], [-0.2]])
    b1, b2 = np.zeros(2), np.zeros(1)
    X, T = np.array([[1.0], [0.002]]), np.array([[1.0], [0.0]])
    net = bplib.Network([W1, W2], [b1, b2], "sigmoid")
    trained, history = bplib.train(net, X, T, eta=0.5, epochs=3, shuffle=False)
    want, costs = plain_full_batch(W1, b1, W2, b2, X, T, 0.5, 3)
    np.testing.assert_allclose(history.steps, costs, rtol=1e-12, err_msg="step costs (received) vs expit reference")
    for l, (got, ref) in enumerate(zip([trained.weights[0], trained.biases[0], trained.weights[1], trained.biases[1]], want)):
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15, err_msg=f"parameter array {l} vs expit reference")


def test_divergence_is_reported_not_carried_as_nan():
    # a linear unit on inputs of size 10 with eta = 10: each step multiplies the error by about
    # |1 - eta * x^2| = 999, so the weights overflow within a few hundred steps
    net = bplib.Network([np.array([[0.5]])], None, "identity")
    X, T = np.array([[10.0]]), np.array([[1.0]])
    with pytest.raises(ValueError, match="diverged.*eta"):
        bplib.train(net, X, T, eta=10.0, epochs=1000)
