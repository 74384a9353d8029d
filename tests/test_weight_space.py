"""Weight space (chapter 4) against the closed form of one sigmoid unit, written here with scipy.

No bias, one example x = (x1, x2) with target t:  y = expit(w1 x1 + w2 x2),  E = 1/2 (t - y)^2,
dE/dw_i = -(t - y) y (1 - y) x_i.
"""
import numpy as np
import pytest
from scipy.special import expit

from bplib.experiments import weight_space as ws

X, T = np.array([1.0, 2.0]), 1.0
POINTS = [(0.5, -0.25), (0.0, 0.0), (-1.3, 0.7), (2.0, 1.5)]


def E_closed(w, x=X, t=T):
    return 0.5 * (t - expit(np.dot(w, x))) ** 2


def grad_closed(w, x=X, t=T):
    y = expit(np.dot(w, x))
    return -(t - y) * y * (1 - y) * np.asarray(x)


def test_one_point_worked_by_hand():
    # w = (0.5, -0.25), x = (1, 2), t = 1:  z = 0.5*1 - 0.25*2 = 0,  y = sigmoid(0) = 0.5,
    # E = 1/2 (1 - 0.5)^2 = 0.125,  y(1 - y) = 0.25,  dE/dw = -(0.5)(0.25)(1, 2) = (-0.125, -0.25)
    w = (0.5, -0.25)
    assert ws.error_grid([w[0]], [w[1]], X, T) == pytest.approx(np.array([[0.125]]), abs=1e-15)
    assert ws.gradient(w, X, T) == pytest.approx([-0.125, -0.25], abs=1e-15)
    assert (E_closed(w), *grad_closed(w)) == pytest.approx((0.125, -0.125, -0.25), abs=1e-15)


def test_error_grid_rows_follow_w2_and_columns_w1():
    w1s, w2s = np.linspace(-2, 2, 5), np.array([-1.0, 0.0, 0.5])  # not square: a transpose would fail
    want = np.array([[E_closed((a, b)) for a in w1s] for b in w2s])
    assert ws.error_grid(w1s, w2s, X, T) == pytest.approx(want, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("w", POINTS)
def test_gradient_is_the_closed_form(w):
    assert ws.gradient(w, X.reshape(1, 2), np.array([[T]])) == pytest.approx(grad_closed(w), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("w", POINTS)
def test_neighbours_and_their_slopes(w, d=0.1):
    w1s, w2s, E = ws.neighbour_errors(w, X, T, d)
    assert w1s == pytest.approx(w[0] + np.array([-d, 0, d])) and w2s == pytest.approx(w[1] + np.array([-d, 0, d]))
    assert E == pytest.approx(np.array([[E_closed((a, b)) for a in w1s] for b in w2s]), rel=1e-12, abs=1e-15)
    central = [(E_closed((w[0] + d, w[1])) - E_closed((w[0] - d, w[1]))) / (2 * d),
               (E_closed((w[0], w[1] + d)) - E_closed((w[0], w[1] - d))) / (2 * d)]
    assert ws.slopes_from_neighbours(E, d) == pytest.approx(central, rel=1e-10, abs=1e-14)
    # the estimate's error shrinks like d^2: with d = 1e-3 it is the gradient to about 1e-6
    fine = ws.slopes_from_neighbours(ws.neighbour_errors(w, X, T, 1e-3)[2], 1e-3)
    assert fine == pytest.approx(grad_closed(w), abs=1e-6)


@pytest.mark.parametrize("eta, n_steps", [(0.5, 0), (0.5, 5), (3.0, 4)])
def test_descent_path_steps_are_w_minus_eta_grad(eta, n_steps):
    path = ws.descent_path((-1.3, 0.7), X, T, eta, n_steps)
    assert (path.ws.shape, path.Es.shape, path.grads.shape) == ((n_steps + 1, 2), (n_steps + 1,), (n_steps + 1, 2))
    w = np.array([-1.3, 0.7])
    for k in range(n_steps + 1):
        assert path.ws[k] == pytest.approx(w, rel=1e-12, abs=1e-15), f"step {k}"
        assert path.Es[k] == pytest.approx(E_closed(w), rel=1e-12, abs=1e-15), f"step {k}"
        assert path.grads[k] == pytest.approx(grad_closed(w), rel=1e-12, abs=1e-15), f"step {k}"
        w = w - eta * grad_closed(w)


BAD = [  # (call, error, the argument its message must name)
    (lambda: ws.error_grid("a", [0.0], X, T), TypeError, "w1s"),
    (lambda: ws.error_grid([0.0], [[0.0, 1.0]], X, T), ValueError, "w2s"),
    (lambda: ws.gradient([1.0, 2.0, 3.0], X, T), ValueError, "w"),
    (lambda: ws.gradient([np.nan, 0.0], X, T), ValueError, "w"),
    (lambda: ws.gradient((0.0, 0.0), [1.0, 2.0, 3.0], T), ValueError, "x"),
    (lambda: ws.gradient((0.0, 0.0), X, [1.0, 0.0]), ValueError, "t"),
    (lambda: ws.neighbour_errors((0.0, 0.0), X, T, d="0.1"), TypeError, "d"),
    (lambda: ws.slopes_from_neighbours(np.zeros((2, 3))), ValueError, "E"),
    (lambda: ws.slopes_from_neighbours(np.zeros((3, 3)), d=0), ValueError, "d"),
    (lambda: ws.descent_path((0.0, 0.0), X, T, -0.5, 3), ValueError, "eta"),
    (lambda: ws.descent_path((0.0, 0.0), X, T, 0.5, 1.5), TypeError, "n_steps"),
    (lambda: ws.descent_path((0.0, 0.0), X, T, 0.5, -1), ValueError, "n_steps"),
    pytest.param(lambda: ws.descent_path([1.0, 2.0, 3.0], X, T, 0.5, 3), ValueError, "w0"),
    pytest.param(lambda: ws.error_grid([], [0.0], X, T), ValueError, "w1s"),
]


@pytest.mark.parametrize("call, error, name", BAD)
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=rf"^{name} "):
        call()
