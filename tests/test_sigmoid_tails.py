"""bplib.sigmoid in its tails, against scipy (an independent implementation): chapter 2 says
sigma(z) rounds to exactly 1 above about 37 and to exactly 0 only below about -745.

scipy's ``expit`` itself returns 0.0 below about -709 (it has the same overflow), so the
reference is ``exp(log_expit(z))``: scipy computes log sigma(z) stably, and exp of it is
representable down to about -745."""
import numpy as np
import pytest
from scipy.special import log_expit

import bplib


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_matches_expit_over_the_whole_range(dtype):
    z = np.linspace(-800, 60, 86001).astype(dtype)
    got, want = bplib.activations.ACTIVATIONS["sigmoid"][0](z), np.exp(log_expit(z))  # the passes' copy keeps float32
    assert got.dtype == dtype
    np.testing.assert_array_equal(bplib.sigmoid(z.astype(np.float64)), bplib.sigmoid(z))
    tiny = np.finfo(dtype).tiny  # subnormal results keep fewer bits: compare those absolutely
    normal = want >= tiny
    np.testing.assert_allclose(got[normal], want[normal], rtol=max(1e-12, 16 * np.finfo(dtype).eps), atol=0)  # exp() of log_expit(z) multiplies its rounding by |z| <= 800
    np.testing.assert_allclose(got[~normal], want[~normal], rtol=0, atol=tiny * 1e-6)


def test_where_the_sigmoid_rounds_to_zero_and_to_one():
    assert bplib.sigmoid(-740.0) > 0.0 and bplib.sigmoid(-709.9) > 0.0  # exp(709.9) overflows
    assert bplib.sigmoid(-746.0) == 0.0
    assert bplib.sigmoid(37.0) == 1.0 and bplib.sigmoid(36.0) < 1.0


def test_the_overflow_in_the_fast_form_is_silent():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        np.testing.assert_array_equal(bplib.sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
