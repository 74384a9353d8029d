"""Costs: values against formulas written here, derivatives against central differences,
nll against scipy, and the L2 penalty worked by hand."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.special import expit, log_expit, log_softmax, softmax, xlogy

import bplib
from bplib import costs

H = 1e-6


def by_loops(name, y, t):
    """Each cost written out element by element (independent of bplib's vectorised code)."""
    n, k = t.shape
    total = 0.0
    for i in range(n):
        for j in range(k):
            total += (float(t[i, j]) - float(y[i, j])) ** 2
    return {"half_sse": total / 2, "sse": total, "mse": total / n}[name]


shapes = st.tuples(st.integers(1, 4), st.integers(1, 3))


@st.composite
def y_and_t(draw):
    n, k = draw(shapes)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return rng.uniform(-2, 2, (n, k)), rng.uniform(0, 1, (n, k))


def test_squared_costs_worked_by_hand():
    y = np.array([[0.2, 0.9], [0.5, 0.1]])
    t = np.array([[0.0, 1.0], [1.0, 0.0]])
    # t - y = [[-0.2, 0.1], [0.5, -0.1]]; squares 0.04 + 0.01 + 0.25 + 0.01 = 0.31
    # half_sse = 0.31 / 2 = 0.155; sse = 0.31; mse = 0.31 / n = 0.31 / 2 = 0.155 (n = 2 rows)
    for name, want in [("half_sse", 0.155), ("sse", 0.31), ("mse", 0.155)]:
        got = float(costs.COSTS[name][0](y, t))
        assert got == pytest.approx(want, abs=1e-15), f"{name}(y={y.tolist()}, t={t.tolist()}): received {got!r}, expected {want}"


@pytest.mark.parametrize("name", ["half_sse", "sse", "mse"])
@settings(max_examples=30, deadline=None, database=None)
@given(data=y_and_t())
def test_squared_cost_matches_loop_formula(name, data):
    y, t = data
    got, want = float(costs.COSTS[name][0](y, t)), by_loops(name, y, t)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15), f"{name}(y={y}, t={t}): received {got!r}, expected {want!r}"


@pytest.mark.parametrize("name", ["half_sse", "sse", "mse"])
@settings(max_examples=30, deadline=None, database=None)
@given(data=y_and_t())
def test_squared_cost_derivative_dE_dy(name, data):
    y, t = data
    E, dE_dy = costs.COSTS[name]
    got = dE_dy(y, t)
    for index in np.ndindex(y.shape):
        plus, minus = y.copy(), y.copy()
        plus[index] += H
        minus[index] -= H
        want = (float(E(plus, t)) - float(E(minus, t))) / (2 * H)
        assert abs(got[index] - want) <= 1e-7 * (1 + abs(want)), (
            f"d{name}/dy{index} at y={y}, t={t}: received {got[index]!r}, expected {want!r} (central difference)")


@settings(max_examples=30, deadline=None, database=None)
@given(data=y_and_t())
def test_nll_derivative_dE_dz(data):
    z, t = data  # here the first array is the output layer's z
    got = costs.COSTS["nll"][1](expit(z), t)  # nll's second function is dE/dz, from y = sigma(z)
    for index in np.ndindex(z.shape):
        plus, minus = z.copy(), z.copy()
        plus[index] += H
        minus[index] -= H
        want = (costs.nll(plus, t) - costs.nll(minus, t)) / (2 * H)
        assert abs(got[index] - want) <= 1e-7 * (1 + abs(want)), (
            f"dnll/dz{index} at z={z}, t={t}: received {got[index]!r}, expected {want!r} (central difference)")


@settings(max_examples=50, deadline=None, database=None)
@given(data=y_and_t(), scale=st.floats(0.1, 15))
def test_nll_matches_scipy_at_moderate_z(data, scale):
    z, t = data
    z = z * scale  # |z| up to 30
    got = float(costs.nll(z, t))
    y = expit(z)
    by_log_expit = -np.sum(t * log_expit(z) + (1 - t) * log_expit(-z))  # log(1 - sigma(z)) = log sigma(-z)
    by_xlogy = -np.sum(xlogy(t, y) + xlogy(1 - t, 1 - y))
    assert got == pytest.approx(by_log_expit, rel=1e-12, abs=1e-12), f"nll(z={z}, t={t}): received {got!r}, expected {by_log_expit!r}"
    if np.all(np.abs(z) < 15):  # 1 - y loses digits as y -> 1; compare the naive formula only where it is accurate
        assert got == pytest.approx(by_xlogy, rel=1e-8, abs=1e-10), f"nll(z={z}, t={t}): received {got!r}, expected {by_xlogy!r}"


@pytest.mark.parametrize("z, t, want", [
    (1000.0, 1.0, 0.0),     # -log sigma(1000) = log(1 + e^-1000) = 0 in float64
    (1000.0, 0.0, 1000.0),  # -log(1 - sigma(1000)) = -log sigma(-1000) = 1000 + log(1 + e^-1000) = 1000
    (-1000.0, 0.0, 0.0),
    (-1000.0, 1.0, 1000.0),
    (1000.0, 0.25, 750.0),  # 0.25 * 0 + 0.75 * 1000
])
def test_nll_saturated_is_finite_without_warning(z, t, want):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = float(costs.nll(np.array([[z]]), np.array([[t]])))
    reference = -(t * float(log_expit(z)) + (1 - t) * float(log_expit(-z)))
    assert np.isfinite(got) and got == pytest.approx(want, abs=1e-9), f"nll(z={z}, t={t}): received {got!r}, expected {want!r}"
    assert got == pytest.approx(reference, abs=1e-9), f"nll(z={z}, t={t}): received {got!r}, expected scipy's {reference!r}"


def test_l2_penalty_worked_by_hand():
    weights = [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[3.0], [-1.0]])]
    # squares: 1 + 4 + 0.25 + 0 = 5.25 and 9 + 1 = 10; sum 15.25; lam = 0.1 -> 1.525
    got = costs.l2_penalty(weights, 0.1)
    assert got == pytest.approx(1.525, abs=1e-14), f"l2_penalty(lam=0.1, {weights}): received {got!r}, expected 1.525"
    assert costs.l2_penalty(weights, 0.0) == 0.0, "l2_penalty with lam=0: expected 0"


def test_l2_gradient_is_two_lam_w():
    W = np.array([[1.0, -2.0], [0.5, 0.0]])
    got = costs.l2_gradient(W, 0.1)
    want = np.array([[0.2, -0.4], [0.1, 0.0]])  # 2 * 0.1 * W
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-15, err_msg=f"l2_gradient(W={W.tolist()}, lam=0.1)")


def test_cost_penalises_weights_but_not_biases():
    # a 2-2-1 network with large biases: the penalty must see the weights only
    weights = [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[3.0], [-1.0]])]
    biases = [np.array([10.0, -10.0]), np.array([7.0])]
    net = bplib.Network(weights, biases, "sigmoid")
    X, T = np.array([[0.3, -0.2]]), np.array([[0.5]])
    difference = bplib.cost(net, X, T, lam=0.1) - bplib.cost(net, X, T, lam=0.0)
    # as in test_l2_penalty_worked_by_hand: 0.1 * 15.25 = 1.525; with biases it would be 0.1 * (15.25 + 100 + 100 + 49)
    assert difference == pytest.approx(1.525, abs=1e-12), f"cost(lam=0.1) - cost(lam=0): received {difference!r}, expected 1.525"


# mean absolute error: like mse, summed over the outputs and averaged over the n examples

def test_mae_worked_by_hand():
    y = np.array([[0.2, 0.9], [0.5, 0.1]])
    t = np.array([[0.0, 1.0], [1.0, 0.0]])
    # |t - y| = 0.2 + 0.1 + 0.5 + 0.1 = 0.9 over n = 2 rows: 0.45
    got = float(costs.mae(y, t))
    assert got == pytest.approx(0.45, abs=1e-15), f"mae(y={y.tolist()}, t={t.tolist()}): received {got!r}, expected 0.45"
    # dE/dy = -sign(t - y) / n: t - y = [[-0.2, 0.1], [0.5, -0.1]] -> [[0.5, -0.5], [-0.5, 0.5]]
    want = np.array([[0.5, -0.5], [-0.5, 0.5]])
    np.testing.assert_array_equal(costs.mae_prime(y, t), want, err_msg="mae_prime worked by hand")


@settings(max_examples=30, deadline=None, database=None)
@given(data=y_and_t())
def test_mae_matches_np_abs_and_its_derivative_matches_central_differences(data):
    y, t = data
    want = float(np.mean(np.sum(np.abs(t - y), axis=1)))  # per example, then the mean over the rows
    got = float(costs.mae(y, t))
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15), f"mae(y={y}, t={t}): received {got!r}, expected {want!r}"
    slope = costs.mae_prime(y, t)
    for index in np.ndindex(y.shape):
        if abs(y[index] - t[index]) < 1e-3:
            continue  # the kink at y = t
        plus, minus = y.copy(), y.copy()
        plus[index] += H
        minus[index] -= H
        fd = (float(costs.mae(plus, t)) - float(costs.mae(minus, t))) / (2 * H)
        assert abs(slope[index] - fd) <= 1e-7, f"dmae/dy{index} at y={y}, t={t}: received {slope[index]!r}, expected {fd!r}"


def test_mae_slope_is_zero_where_the_output_is_exactly_right():
    y = np.array([[0.3, 0.7]])
    got = costs.mae_prime(y, np.array([[0.3, 0.2]]))
    assert got.tolist() == [[0.0, 1.0]], f"mae_prime at y = t in the first column: received {got.tolist()}, expected [[0, 1]]"


def test_mae_is_an_average_like_mse():
    assert costs.is_average("mae") and costs.is_average("mse") and not costs.is_average("sse")
    net = bplib.Network([np.array([[1.0], [-1.0]])], activations="identity")
    X, T = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]]), np.array([[0.0], [0.0], [0.0]])
    # outputs 1, -1, 1: |t - y| = 3 over 3 examples = 1; averaging again must not divide by 3 once more
    for average in (False, True):
        got = bplib.cost(net, X, T, cost="mae", average=average)
        assert got == pytest.approx(1.0, abs=1e-15), f"cost(mae, average={average}): received {got!r}, expected 1.0"


# categorical cross-entropy: -sum t log softmax(z), taken from z

@st.composite
def z_and_distributions(draw):
    n, k = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.floats(0.1, 20))
    return rng.normal(0, scale, (n, k)), rng.dirichlet(np.ones(k), size=n)


@settings(max_examples=50, deadline=None, database=None)
@given(data=z_and_distributions())
def test_categorical_cross_entropy_matches_scipy(data):
    z, t = data
    got = float(costs.categorical_cross_entropy(z, t))
    want = float(-np.sum(t * log_softmax(z, axis=1)))
    assert got == pytest.approx(want, rel=1e-12, abs=1e-12), f"cross-entropy(z={z}, t={t}): received {got!r}, expected {want!r}"
    if np.all(np.abs(z) < 20):  # where the naive -sum t log(softmax) keeps its digits
        naive = float(-np.sum(xlogy(t, softmax(z, axis=1))))
        assert got == pytest.approx(naive, rel=1e-9, abs=1e-10), f"cross-entropy(z={z}): received {got!r}, expected {naive!r}"


@settings(max_examples=40, deadline=None, database=None)
@given(data=z_and_distributions(), one_hot=st.booleans(), any_t=st.booleans())
def test_categorical_cross_entropy_delta_matches_central_differences(data, one_hot, any_t):
    z, t = data
    z = np.clip(z, -30, 30)
    if one_hot:
        t = np.eye(z.shape[1])[np.argmax(t, axis=1)]
    elif any_t:
        t = t * 3 - 0.5  # rows that do not sum to 1: the formula must still be the true gradient
    got = costs.categorical_cross_entropy_delta(softmax(z, axis=1), t)
    for index in np.ndindex(z.shape):
        plus, minus = z.copy(), z.copy()
        plus[index] += H
        minus[index] -= H
        want = (float(costs.categorical_cross_entropy(plus, t)) - float(costs.categorical_cross_entropy(minus, t))) / (2 * H)
        assert abs(got[index] - want) <= 1e-7 * (1 + abs(want)), (
            f"dE/dz{index} at z={z}, t={t}: received {got[index]!r}, expected {want!r} (central difference)")
    if one_hot:
        y = softmax(z, axis=1)
        np.testing.assert_array_equal(got, y - t, err_msg="one-hot targets: the output error must be exactly y - t")


@pytest.mark.parametrize("z, t, want", [
    ([[1000.0, 0.0, -1000.0]], [[1.0, 0.0, 0.0]], 0.0),      # log softmax = 0 - log(1 + e^-1000 + e^-2000) = 0
    ([[1000.0, 0.0, -1000.0]], [[0.0, 0.0, 1.0]], 2000.0),   # -(-1000 - 1000 - log(1 + ...)) = 2000
    ([[-800.0, -800.0]], [[0.5, 0.5]], np.log(2.0)),         # equal z: y = 1/2 each, however negative
])
def test_categorical_cross_entropy_saturated_is_finite_without_warning(z, t, want):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = float(costs.categorical_cross_entropy(np.array(z), np.array(t)))
    reference = float(-np.sum(np.array(t) * log_softmax(np.array(z), axis=1)))
    assert got == pytest.approx(want, abs=1e-9), f"cross-entropy(z={z}, t={t}): received {got!r}, expected {want!r}"
    assert got == pytest.approx(reference, abs=1e-9), f"cross-entropy(z={z}, t={t}): received {got!r}, expected scipy's {reference!r}"


def test_two_class_softmax_cross_entropy_is_nll_of_the_difference():
    # softmax over (z0, z1) gives y1 = sigma(z1 - z0): two softmax classes are one sigmoid unit
    z = np.array([[0.3, -1.2], [2.0, 0.5], [-0.4, 0.4]])
    t = np.array([[0.0, 1.0], [1.0, 0.0], [0.25, 0.75]])
    got = float(costs.categorical_cross_entropy(z, t))
    want = float(costs.nll((z[:, 1] - z[:, 0]).reshape(-1, 1), t[:, 1:]))
    assert got == pytest.approx(want, rel=1e-13), f"two-class cross-entropy: received {got!r}, expected nll's {want!r}"


@pytest.mark.parametrize("cost, output", [("categorical_cross_entropy", "sigmoid"), ("nll", "softmax")])
def test_cost_refuses_the_wrong_output_activation(cost, output):
    net = bplib.Network.random([2, 3], output, rng=0)
    with pytest.raises(ValueError) as info:
        bplib.backward(net, np.ones((1, 2)), np.array([[0.0, 1.0, 0.0]]), cost=cost)
    message = str(info.value)
    assert cost in message and repr(output) in message, f"{cost} with a {output} output: message {message!r}"
