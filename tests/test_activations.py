"""Activations: derivatives (written from y) against central differences, sigmoid and softmax against scipy."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.special import expit, softmax as softmax_reference

import bplib
from bplib import activations

NAMES = sorted(activations.ACTIVATIONS)
H = 1e-6  # central-difference step; error O(H^2) + rounding O(1e-16 / H), about 1e-10 here


def central_difference(f, z, h=H):
    return (float(f(np.float64(z + h))) - float(f(np.float64(z - h)))) / (2 * h)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None, database=None)
@given(z=st.floats(-30, 30, allow_nan=False))
def test_derivative_from_y_matches_central_difference(name, z):
    if name in ("relu", "step") and abs(z) < 1e-4:
        z = 1e-4 if z >= 0 else -1e-4  # stay away from the kink at 0
    f, f_prime = activations.get(name)
    y = f(np.array([z]))
    got = float(f_prime(y)[0])
    want = central_difference(f, z)
    assert abs(got - want) <= 1e-8 + 1e-6 * abs(want), (
        f"{name}'(z={z!r}) from y={float(y[0])!r}: received {got!r}, expected {want!r} (central difference)")


WIDE = np.array([-1000.0, -745.0, -700.0, -100.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 100.0, 700.0, 1000.0])


def test_sigmoid_matches_expit_over_a_wide_range():
    z = np.concatenate([WIDE, np.linspace(-800, 800, 1601)])
    got, want = activations.sigmoid(z), expit(z)
    bad = ~(np.abs(got - want) <= 1e-14 * np.abs(want) + 1e-300)
    assert not bad.any(), f"sigmoid(z={z[bad]}): received {got[bad]}, expected {want[bad]} (scipy expit)"


@settings(max_examples=100, deadline=None, database=None)
@given(z=st.floats(-1000, 1000, allow_nan=False))
def test_sigmoid_matches_expit_at_random_z(z):
    got, want = float(activations.sigmoid(z)), float(expit(z))
    assert abs(got - want) <= 1e-14 * abs(want) + 1e-300, f"sigmoid({z!r}): received {got!r}, expected {want!r}"


@pytest.mark.parametrize("z, want", [(1000.0, 1.0), (-1000.0, 0.0), (700.0, 1.0), (0.0, 0.5)])
def test_sigmoid_saturates_without_warning(z, want):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = float(activations.sigmoid(np.array(z)))
    assert np.isfinite(got) and got == want, f"sigmoid({z}): received {got!r}, expected {want!r}"


def test_sigmoid_of_minus_700_is_tiny_but_positive():
    # exp(-700) = 9.86e-305 is a normal float64 and 1 + exp(-700) rounds to 1, so sigma(-700) = exp(-700)
    got, want = float(activations.sigmoid(-700.0)), math.exp(-700)
    assert 0 < got == pytest.approx(want, rel=1e-12), f"sigmoid(-700): received {got!r}, expected {want!r}"


@pytest.mark.parametrize("name", NAMES)
def test_float32_in_float32_out(name):
    f, f_prime = activations.get(name)
    z = np.array([-1000.0, -2.0, -0.5, 0.5, 2.0, 1000.0], dtype=np.float32)  # no overflow warning either
    y = f(z)
    dy = f_prime(y)
    assert y.dtype == np.float32, f"{name}(float32 input): received dtype {y.dtype}, expected float32"
    assert dy.dtype == np.float32, f"{name}'(float32 y): received dtype {dy.dtype}, expected float32"


@pytest.mark.parametrize("name", NAMES)
def test_float64_in_float64_out(name):
    f, f_prime = activations.get(name)
    y = f(np.array([-2.0, 0.5]))
    assert y.dtype == np.float64 and f_prime(y).dtype == np.float64, f"{name}: received dtype {y.dtype}, expected float64"


def test_step_values():
    got = activations.step(np.array([-3.0, -1e-12, 0.0, 2.5]))
    assert got.tolist() == [0.0, 0.0, 1.0, 1.0], f"step([-3, -1e-12, 0, 2.5]): received {got}, expected [0, 0, 1, 1]"


@pytest.mark.parametrize("bad", ["softmax", "Sigmoid", ""])
def test_unknown_activation_name(bad):
    with pytest.raises(ValueError, match="activation") as info:
        activations.get(bad)
    assert repr(bad) in str(info.value) and "sigmoid" in str(info.value), (
        f"get({bad!r}): message {info.value} should list the choices and show the name received")


@pytest.mark.parametrize("bad", [None, 3, ["sigmoid"]])
def test_activation_name_of_wrong_type(bad):
    with pytest.raises(TypeError, match="activation") as info:
        activations.get(bad)
    assert type(bad).__name__ in str(info.value), f"get({bad!r}): message {info.value} should show what was received"


# the softmax: a vector output, kept out of ACTIVATIONS because its derivative is a Jacobian

@settings(max_examples=60, deadline=None, database=None)
@given(n=st.integers(1, 4), k=st.integers(1, 6), scale=st.floats(0.01, 1000), seed=st.integers(0, 2**32 - 1))
def test_softmax_matches_scipy_and_rows_sum_to_one(n, k, scale, seed):
    z = np.random.default_rng(seed).normal(0, scale, (n, k))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # large z must not overflow, very negative z may underflow quietly
        got = activations.softmax(z)
    want = softmax_reference(z, axis=1)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300, err_msg=f"softmax(z={z}) vs scipy")
    np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=0, atol=1e-14, err_msg=f"softmax(z={z}): rows must sum to 1")


def test_softmax_of_one_example_as_a_vector_and_in_float32():
    z = np.array([1.0, 2.0, 3.0])
    e = np.exp(z)
    np.testing.assert_allclose(activations.softmax(z), e / e.sum(), rtol=1e-15, err_msg="softmax of a 1-D z")
    f, backward = activations.OUTPUT_ACTIVATIONS["softmax"]  # what a float32 network's passes use
    y32 = f(z.astype(np.float32))
    dz32 = backward(y32, np.ones(3, dtype=np.float32))
    assert y32.dtype == np.float32 and dz32.dtype == np.float32, (
        f"softmax of float32: received dtypes {y32.dtype} and {dz32.dtype}, expected float32")


@settings(max_examples=40, deadline=None, database=None)
@given(k=st.integers(2, 6), seed=st.integers(0, 2**32 - 1))
def test_softmax_backward_is_the_jacobian_times_g(k, seed):
    rng = np.random.default_rng(seed)
    z, g = rng.normal(0, 2, (1, k)), rng.normal(0, 1, (1, k))
    y = activations.softmax(z)
    # the Jacobian J[i, j] = dy_i / dz_j measured column by column with central differences
    J = np.empty((k, k))
    for j in range(k):
        step = np.zeros((1, k))
        step[0, j] = H
        J[:, j] = (softmax_reference(z + step, axis=1) - softmax_reference(z - step, axis=1))[0] / (2 * H)
    by_formula = np.diag(y[0]) - np.outer(y[0], y[0])   # y_i (delta_ij - y_j), written out
    np.testing.assert_allclose(J, by_formula, atol=1e-8, err_msg="softmax Jacobian: central differences vs formula")
    got = activations.softmax_backward(y, g)
    np.testing.assert_allclose(got[0], J.T @ g[0], atol=1e-8, err_msg=f"softmax_backward(y, g={g}) vs J^T g")


def test_softmax_backward_works_row_by_row():
    rng = np.random.default_rng(4)
    y, g = activations.softmax(rng.normal(size=(3, 4))), rng.normal(size=(3, 4))
    rows = np.vstack([(np.diag(r) - np.outer(r, r)) @ h for r, h in zip(y, g)])  # J is symmetric
    np.testing.assert_allclose(activations.softmax_backward(y, g), rows, atol=1e-15, err_msg="row by row")


@pytest.mark.parametrize("bad", [np.float64(2.0), np.zeros((2, 0))])
def test_softmax_refuses_what_has_no_row(bad):
    with pytest.raises(ValueError, match=r"\bz\b") as info:
        activations.softmax(bad)
    assert str(bad.shape) in str(info.value), f"softmax(shape {bad.shape}): message {info.value} should show the shape"


def test_softmax_only_on_the_output_layer_of_two_or_more_units():
    W = [np.ones((2, 3)), np.ones((3, 2))]
    net = bplib.Network(W, activations=["tanh", "softmax"])
    assert net.activations == ["tanh", "softmax"]
    with pytest.raises(ValueError, match=r"activations\[0\]") as info:
        bplib.Network(W, activations="softmax")  # a softmax hidden layer
    assert "'softmax'" in str(info.value) and "output layer" in str(info.value), str(info.value)
    with pytest.raises(ValueError, match=r"activations\[1\]") as info:
        bplib.Network([np.ones((2, 3)), np.ones((3, 1))], activations=["tanh", "softmax"])
    assert "2 output units" in str(info.value) and "1 unit" in str(info.value), str(info.value)
    assert bplib.Network([np.ones((2, 1))], activations="relu").activations == ["relu"]  # any elementwise output


def test_get_explains_why_softmax_has_no_f_prime():
    with pytest.raises(ValueError, match="activation") as info:
        activations.get("softmax")
    assert "Jacobian" in str(info.value) and "output layer" in str(info.value), str(info.value)
