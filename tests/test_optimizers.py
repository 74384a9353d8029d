"""bplib.optimizers: update rules against arithmetic done here, first steps against gradients from
central differences of a cost written in this file (no bplib code), and training that lowers the cost."""
import math

import numpy as np
import pytest
from scipy.special import expit

import bplib
from bplib import optimizers as opt

H = 1e-6


def small_problem(seed=0, n=8):
    """A 2-3-1 sigmoid network with biases and n examples, all drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.8, (2, 3)), rng.normal(0, 0.8, (3, 1))]
    biases = [rng.normal(0, 0.3, 3), rng.normal(0, 0.3, 1)]
    X = rng.normal(0, 1, (n, 2))
    T = rng.uniform(0.1, 0.9, (n, 1))
    return bplib.Network(weights, biases, "sigmoid"), X, T


def reference_cost(params, X, T, lam=0.0):
    """Average half sum of squares plus lam * sum w^2 (weights only), from the lecture's formulas."""
    W0, b0, W1, b1 = params
    y = expit(expit(X @ W0 + b0) @ W1 + b1)
    return 0.5 * float(np.sum((T - y) ** 2)) / X.shape[0] + lam * (float(np.sum(W0 ** 2)) + float(np.sum(W1 ** 2)))


def reference_gradient(params, X, T, lam=0.0):
    """Central differences of ``reference_cost`` for every entry of every parameter array."""
    grads = []
    for k, p in enumerate(params):
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            plus = [q.copy() for q in params]
            minus = [q.copy() for q in params]
            plus[k][index] += H
            minus[k][index] -= H
            g[index] = (reference_cost(plus, X, T, lam) - reference_cost(minus, X, T, lam)) / (2 * H)
        grads.append(g)
    return grads


def params_of(net):
    return [net.weights[0], net.biases[0], net.weights[1], net.biases[1]]


def assert_close(received, expected, what, atol=1e-8):
    received, expected = np.asarray(received), np.asarray(expected)
    assert np.allclose(received, expected, rtol=0, atol=atol), (
        f"{what}: received {received.ravel()}, expected {expected.ravel()}, "
        f"largest difference {np.max(np.abs(received - expected)):.3g}")


# ---- the update rules, one array at a time, against arithmetic written out here ----

def test_gradient_descent_by_hand():
    # -0.5 * [0.2, -0.4] = [-0.1, 0.2]
    assert_close(opt.gradient_descent(np.array([0.2, -0.4]), 0.5), [-0.1, 0.2], "gradient_descent")


def test_momentum_first_step_from_rest_is_gradient_descent():
    g = np.array([[0.3, -1.2], [0.0, 2.5]])
    assert_close(opt.momentum(np.zeros_like(g), g, eta=0.1, mu=0.9), -0.1 * g, "momentum from v = 0")


def test_momentum_second_step_by_hand():
    # v1 = -0.1 * 0.4 = -0.04; v2 = 0.9 * (-0.04) - 0.1 * 0.2 = -0.036 - 0.02 = -0.056
    v1 = opt.momentum(np.array([0.0]), np.array([0.4]), eta=0.1, mu=0.9)
    v2 = opt.momentum(v1, np.array([0.2]), eta=0.1, mu=0.9)
    assert_close(v1, [-0.04], "first velocity")
    assert_close(v2, [-0.056], "second velocity")


def test_momentum_with_mu_zero_is_gradient_descent():
    rng = np.random.default_rng(3)
    v, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    assert np.array_equal(opt.momentum(v, g, 0.7, 0.0), opt.gradient_descent(g, 0.7)), "mu = 0 must forget v"


def test_rmsprop_against_an_elementwise_loop():
    rng = np.random.default_rng(4)
    s, g = rng.uniform(0, 2, (3, 2)), rng.normal(size=(3, 2))
    eta, rho, eps = 0.01, 0.9, 1e-8
    step, s_new = opt.rmsprop(s, g, eta, rho, eps)
    for i in range(3):
        for j in range(2):
            expected_s = rho * float(s[i, j]) + (1 - rho) * float(g[i, j]) ** 2
            expected_step = -eta * float(g[i, j]) / (math.sqrt(expected_s) + eps)
            assert math.isclose(float(s_new[i, j]), expected_s, rel_tol=1e-12), (i, j, float(s_new[i, j]), expected_s)
            assert math.isclose(float(step[i, j]), expected_step, rel_tol=1e-12), (i, j, float(step[i, j]), expected_step)


def test_rmsprop_first_step_by_hand():
    # s = 0.1 * 0.5^2 = 0.025; sqrt(0.025) = 0.158113883; step = -0.01 * 0.5 / 0.158113883 = -0.0316227766
    step, s = opt.rmsprop(np.zeros(1), np.array([0.5]), eta=0.01, rho=0.9, eps=1e-12)
    assert_close(s, [0.025], "mean square after one step", atol=1e-15)
    assert_close(step, [-0.0316227766], "first RMSProp step", atol=1e-10)


def test_bold_driver_by_hand():
    assert math.isclose(opt.bold_driver(0.2, 1.0, 0.9), 0.21)   # fell: 0.2 * 1.05
    assert math.isclose(opt.bold_driver(0.2, 1.0, 1.1), 0.1)    # rose: 0.2 * 0.5


# ---- one full-batch step of train_with from zero state, against finite-difference gradients ----

@pytest.mark.parametrize("lam", [0.0, 0.05])
def test_first_steps_follow_the_finite_difference_gradient(lam):
    net, X, T = small_problem()
    before = params_of(net)
    g = reference_gradient(before, X, T, lam)
    eta, rho, eps = 0.3, 0.9, 1e-8
    expected = {
        "GradientDescent": [p - eta * gi for p, gi in zip(before, g)],
        "Momentum": [p - eta * gi for p, gi in zip(before, g)],  # v0 = 0: first step is plain
        "RMSProp": [p - eta * gi / (np.sqrt((1 - rho) * gi ** 2) + eps) for p, gi in zip(before, g)],
    }
    for optimizer in (opt.GradientDescent(eta), opt.Momentum(eta, 0.9), opt.RMSProp(eta, rho, eps)):
        after, _ = opt.train_with(optimizer, net, X, T, epochs=1, batch_size=None, lam=lam, shuffle=False)
        name = type(optimizer).__name__
        # central differences are good to ~1e-9; RMSProp divides by |g|, so compare its steps relatively
        atol = 1e-6 if name == "RMSProp" else 1e-8
        for k, (received, wanted) in enumerate(zip(params_of(after), expected[name])):
            assert_close(received, wanted, f"{name} (lam={lam}), parameter {k}", atol=atol)


def test_momentum_second_step_of_train_with():
    net, X, T = small_problem(seed=1)
    eta, mu = 0.5, 0.8
    p0 = params_of(net)
    g0 = reference_gradient(p0, X, T)
    p1 = [p - eta * g for p, g in zip(p0, g0)]
    g1 = reference_gradient(p1, X, T)
    p2 = [p + (mu * (-eta * a)) - eta * b for p, a, b in zip(p1, g0, g1)]
    after, _ = opt.train_with(opt.Momentum(eta, mu), net, X, T, epochs=2, shuffle=False)
    for k, (received, wanted) in enumerate(zip(params_of(after), p2)):
        assert_close(received, wanted, f"momentum after two steps, parameter {k}")


def test_gradient_descent_reproduces_bplib_train_exactly():
    net, X, T = small_problem(seed=2, n=12)
    a, ha = bplib.train(net, X, T, 0.4, epochs=3, batch_size=5, rng=7)
    b, hb = opt.train_with(opt.GradientDescent(0.4), net, X, T, epochs=3, batch_size=5, rng=7)
    for x, y in zip(params_of(a), params_of(b)):
        assert np.array_equal(x, y), "train_with(GradientDescent) must take bplib.train's steps"
    assert ha == hb, f"histories differ: {ha} vs {hb}"


def test_momentum_mu_zero_trains_like_gradient_descent():
    net, X, T = small_problem(seed=5, n=10)
    a, ha = opt.train_with(opt.GradientDescent(0.6), net, X, T, epochs=4, batch_size=3, rng=1)
    b, hb = opt.train_with(opt.Momentum(0.6, 0.0), net, X, T, epochs=4, batch_size=3, rng=1)
    assert all(np.array_equal(x, y) for x, y in zip(params_of(a), params_of(b)))
    assert ha == hb


def test_learn_biases_false_keeps_the_biases():
    net, X, T = small_problem(seed=6)
    after, _ = opt.train_with(opt.RMSProp(0.01), net, X, T, epochs=3, learn_biases=False)
    for l in range(2):
        assert np.array_equal(after.biases[l], net.biases[l]), f"bias {l} moved"
        assert not np.array_equal(after.weights[l], net.weights[l]), f"weights {l} did not move"


@pytest.mark.parametrize("optimizer", [opt.GradientDescent(1.0), opt.Momentum(0.5, 0.9), opt.RMSProp(0.02)])
def test_training_lowers_the_cost(optimizer):
    net, X, T = small_problem(seed=8, n=16)
    trained, history = opt.train_with(optimizer, net, X, T, epochs=60, batch_size=4, rng=0)
    before, after = reference_cost(params_of(net), X, T), reference_cost(params_of(trained), X, T)
    assert after < 0.8 * before, f"{optimizer}: cost {before:.5f} -> {after:.5f}"
    assert math.isclose(history.epochs[0], before, rel_tol=1e-12) and math.isclose(history.epochs[-1], after, rel_tol=1e-12)
    assert len(history.steps) == 60 * 4 and len(history.epochs) == 61


def test_learning_curve_stops_once_the_cost_explodes():
    # a linear unit y = w x fitted to t = 0 from w = 1 with x = 1: E/n = w^2 / 2 and dE/dw = w, so each
    # full-batch step multiplies w by (1 - eta); eta = 3 doubles |w| and quadruples the cost every epoch
    net = bplib.Network([np.array([[1.0]])], None, "identity")
    X, T = np.ones((4, 1)), np.zeros((4, 1))
    costs = opt.learning_curve(net, X, T, eta=3.0, epochs=50, stop_above=100.0)
    expected = [0.5 * 4.0 ** e for e in range(len(costs))]
    assert np.allclose(costs, expected, rtol=1e-12), f"costs {costs}, expected {expected}"
    assert costs[-2] <= 100.0 < costs[-1] and len(costs) == 5, f"should stop at the first cost above 100: {costs}"
    assert len(opt.learning_curve(net, X, T, eta=0.5, epochs=7)) == 8


def test_bold_driver_training_never_raises_the_cost():
    net, X, T = small_problem(seed=9, n=16)
    trained, history, etas = opt.train_bold_driver(net, X, T, eta=5.0, epochs=40)
    costs = history.epochs
    assert all(b <= a for a, b in zip(costs, costs[1:])), f"cost rose: {costs}"
    assert costs[-1] < costs[0] and len(etas) == 40
    assert math.isclose(reference_cost(params_of(trained), X, T), costs[-1], rel_tol=1e-12)


def test_the_network_passed_in_is_unchanged():
    net, X, T = small_problem(seed=10)
    saved = [p.copy() for p in params_of(net)]
    opt.train_with(opt.Momentum(0.5), net, X, T, epochs=2)
    assert all(np.array_equal(a, b) for a, b in zip(saved, params_of(net)))


# ---- bad input: the message names the argument ----

@pytest.mark.parametrize("call, error, name", [
    (lambda: opt.momentum(np.zeros((2, 3)), np.zeros((3, 2)), 0.1, 0.9), ValueError, "velocity"),
    (lambda: opt.momentum(np.zeros(2), np.zeros(2), 0.1, 1.0), ValueError, "mu"),
    (lambda: opt.momentum(np.zeros(2), np.zeros(2), -0.1, 0.5), ValueError, "eta"),
    (lambda: opt.momentum(np.zeros(2), "g", 0.1, 0.5), TypeError, "grad"),
    (lambda: opt.rmsprop(np.zeros(3), np.zeros(2), 0.1), ValueError, "mean_square"),
    (lambda: opt.rmsprop(np.zeros(2), np.zeros(2), 0.1, rho=-0.1), ValueError, "rho"),
    (lambda: opt.rmsprop(np.zeros(2), np.zeros(2), 0.1, eps=0.0), ValueError, "eps"),
    (lambda: opt.gradient_descent(np.zeros(2), "fast"), TypeError, "eta"),
    (lambda: opt.bold_driver(0.1, float("nan"), 1.0), ValueError, "E_before"),
    (lambda: opt.momentum(np.zeros(2), np.array([1.0, np.nan]), 0.1, 0.5), ValueError, "grad"),
    (lambda: opt.rmsprop(np.array([np.inf, 0.0]), np.zeros(2), 0.1), ValueError, "mean_square"),
    (lambda: opt.learning_curve(bplib.Network.random([1, 2, 1]), np.zeros((3, 1)), np.zeros((3, 1)), 0.1, 2,
                                stop_above=0.0), ValueError, "stop_above"),
    (lambda: opt.train_bold_driver(bplib.Network.random([1, 2, 1]), np.zeros((3, 1)), np.zeros((3, 1)), 0.1,
                                   epochs=2, decrease=-1.0), ValueError, "decrease"),
])
def test_bad_arguments_are_named(call, error, name):
    with pytest.raises(error, match=name):
        call()


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(optimizer="sgd"), TypeError, "optimizer"),
    (dict(optimizer=opt.Momentum(0.1, 1.5)), ValueError, "optimizer.mu"),
    (dict(optimizer=opt.RMSProp(0.0)), ValueError, "optimizer.eta"),
    (dict(net="net"), TypeError, "net"),
    (dict(X=np.zeros((8, 3))), ValueError, "X"),
    (dict(T=np.zeros((7, 1))), ValueError, "T"),
    (dict(epochs=-1), ValueError, "epochs"),
    (dict(batch_size=9), ValueError, "batch_size"),
    (dict(cost="hinge"), ValueError, "cost"),
    (dict(lam=-1.0), ValueError, "lam"),
    (dict(rng="seed"), TypeError, "rng"),
])
def test_train_with_names_bad_arguments(kwargs, error, name):
    net, X, T = small_problem()
    arguments = dict(optimizer=opt.GradientDescent(0.1), net=net, X=X, T=T)
    arguments.update(kwargs)
    with pytest.raises(error, match=name):
        opt.train_with(**arguments)


@pytest.mark.parametrize("eta, error, received", [
    (None, TypeError, "NoneType None"), ("fast", TypeError, "str 'fast'"), (b"0.1", TypeError, "bytes b'0.1'"),
    (-0.1, ValueError, "-0.1"), (float("nan"), ValueError, "nan"), (0, ValueError, "0.0"),
])
def test_bold_driver_checks_eta_before_any_epoch(eta, error, received):
    """With epochs=0 no epoch runs, and eta is still checked: a bad rate is a bad call, not a later surprise."""
    with pytest.raises(error) as raised:
        opt.train_bold_driver(bplib.Network.random([1, 2, 1]), np.zeros((3, 1)), np.zeros((3, 1)), eta, epochs=0)
    message = str(raised.value)
    assert message.startswith("eta must be") and message.endswith(f"received {received}"), message


@pytest.mark.parametrize("factors, name, received", [
    (dict(increase=0.5), "increase", "0.5"), (dict(decrease=1.5), "decrease", "1.5"), (dict(decrease=0.0), "decrease", "0.0"),
])
def test_bold_driver_checks_its_factors_before_any_epoch(factors, name, received):
    with pytest.raises(ValueError) as raised:
        opt.train_bold_driver(bplib.Network.random([1, 2, 1]), np.zeros((3, 1)), np.zeros((3, 1)), 0.1, epochs=0,
                              **factors)
    message = str(raised.value)
    assert message.startswith(f"{name} must be") and message.endswith(f"received {received}"), message
