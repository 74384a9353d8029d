"""Activations: derivatives (written from y) against central differences, sigmoid against scipy."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.special import expit

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
