"""Costs: values against formulas written here, derivatives against central differences,
nll against scipy, and the L2 penalty worked by hand."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.special import expit, log_expit, xlogy

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
