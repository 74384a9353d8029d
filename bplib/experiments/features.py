"""How many hand-made features a linear model needs: polynomial feature counts (chapter 1).

A polynomial feature of degree p in d inputs x_1..x_d is a monomial x_1^a_1 ... x_d^a_d with
a_1 + ... + a_d = p. Counting them is "stars and bars": choose p inputs with repetition, so

    monomials of degree exactly p     C(d + p - 1, p)        (squares and cubes included)
    monomials of degree 1 up to p     C(d + p, p) - 1        (the constant left out)
    products of p *different* inputs  C(d, p)                (no squares, no cubes)

For d = 100 the first gives 5,050 quadratic and 171,700 cubic features: the lecture's "about
5,000" and "about 170,000". The third gives 4,950 and 161,700, which fits the first number but
not the second, so the lecture counts degree exactly p, powers included.

Everything is exact integer arithmetic (``math.comb``); nothing here needs numpy.
"""
import math

from .._validate import FLAG, count, declare

DEGREE = dict(d=count(), p=count(minimum=0, maximum=1000))  # d inputs, degree p


@declare(**DEGREE)
def n_monomials(d, p):
    """Number of monomials of degree exactly ``p`` in ``d`` inputs: C(d + p - 1, p).

    ``n_monomials(100, 2)`` is 5050 (the 100 squares plus 4950 products of two inputs).
    """
    return math.comb(d + p - 1, p)


@declare(**DEGREE, include_constant=FLAG)
def n_polynomial_features(d, p, include_constant=False):
    """Number of monomials of degree 1, 2, ..., ``p`` in ``d`` inputs: C(d + p, p) - 1.

    With ``include_constant=True`` the degree-0 monomial (the constant 1) is counted too.
    """
    return math.comb(d + p, p) - (0 if include_constant else 1)


@declare(**DEGREE)
def n_distinct_products(d, p):
    """Number of products of ``p`` *different* inputs (no powers): C(d, p)."""
    return math.comb(d, p)


@declare(height=count(), width=count(), channels=count())
def image_inputs(height, width, channels=1):
    """Number of inputs d of an image: one per pixel and colour channel.

    ``image_inputs(50, 50)`` is 2500 (grey scale); ``image_inputs(50, 50, 3)`` is 7500 (RGB).
    """
    return height * width * channels
