"""Polynomial feature counts (chapter 1) against brute-force enumeration and the lecture's numbers."""
from itertools import combinations, combinations_with_replacement

import pytest

from bplib.experiments import features


@pytest.mark.parametrize("d", range(1, 7))
@pytest.mark.parametrize("p", range(0, 5))
def test_counts_match_enumeration(d, p):
    monomials = sum(1 for _ in combinations_with_replacement(range(d), p))
    distinct = sum(1 for _ in combinations(range(d), p))
    assert features.n_monomials(d, p) == monomials, f"d={d}, p={p}: expected {monomials}"
    assert features.n_distinct_products(d, p) == distinct, f"d={d}, p={p}: expected {distinct}"
    up_to = sum(sum(1 for _ in combinations_with_replacement(range(d), q)) for q in range(1, p + 1))
    assert features.n_polynomial_features(d, p) == up_to, f"d={d}, p={p}: expected {up_to}"


def test_the_lectures_orders_of_magnitude():
    # lecture: d = 100 gives "~5000" quadratic and "~170 000" cubic features
    # C(101, 2) = 101 * 100 / 2 = 5050;  C(102, 3) = 102 * 101 * 100 / 6 = 171700
    assert features.n_monomials(100, 2) == 5050
    assert features.n_monomials(100, 3) == 171700


def test_image_inputs():
    # 50 x 50 pixels = 2500 inputs; three colour channels = 7500
    assert features.image_inputs(50, 50) == 2500
    assert features.image_inputs(50, 50, channels=3) == 7500


@pytest.mark.parametrize("bad, error", [(0, ValueError), (2.5, TypeError), ("100", TypeError), (None, TypeError)])
def test_bad_d_is_explained(bad, error):
    with pytest.raises(error, match="d must"):
        features.n_monomials(bad, 2)
