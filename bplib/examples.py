"""The lecture's example networks as data (chapter 9 and the exercises).

Weights use bplib's layout: ``weights[l][i, j]`` connects unit i of layer l to unit j of layer
l+1. Every function returns fresh objects, so changing one cannot leak into the next caller.
The ``slides`` dictionaries hold the numbers the lecture prints, as the strings it prints, so
the number of decimals (and with it the rounding) is part of the data.
"""
from typing import NamedTuple

import numpy as np

from .backprop import forward, step
from .network import Network


class Example(NamedTuple):
    name: str
    net: Network
    x: np.ndarray           # (1, 2): one example, one row
    t: np.ndarray           # (1, k)
    eta: float
    input_names: tuple
    hidden_names: tuple
    output_names: tuple
    slides: dict            # quantity -> the number as the slide prints it


# Names of the slide quantities, shared by Examples 2 and 3 (inputs A, B; hidden Top, Bottom;
# output Final). "w_AT" is the weight from input A to Top, "w_TF" from Top to Final; a trailing
# "_new" is the slide's NEW_WEIGHT and a trailing "_2" a value of the second forward pass.
SLIDE_QUANTITIES = (
    "z_top", "y_top", "z_bottom", "y_bottom", "z_final", "y_final",
    "delta_final", "w_TF_new", "w_BF_new", "delta_top", "delta_bottom",
    "w_AT_new", "w_BT_new", "w_AB_new", "w_BB_new",
    "z_top_2", "z_bottom_2", "y_top_2", "y_bottom_2", "z_final_2", "y_final_2",
)


class _SlideRow(NamedTuple):
    """One slide quantity beside exact arithmetic: a row of ``bplib.checks.slide_table`` and of
    ``bplib.plots.order.comparison_table``, which format the same rows two ways."""
    quantity: str           # a name of SLIDE_QUANTITIES
    printed: str            # as the slide prints it
    decimals: int           # how many decimals the slide prints
    slides_order: float     # exact, the slides' order (output weights updated first, "layerwise")
    true_gradient: float    # exact, the true gradient (old weights, "simultaneous")
    agrees: bool            # slides_order rounded to the slide's decimals reads as printed


def _slide_rows(example):
    """The slide quantities of a 2-2-1 example, in ``SLIDE_QUANTITIES`` order, as ``_SlideRow``s."""
    slides_order, true_gradient = _exact_quantities(example, "layerwise"), _exact_quantities(example, "simultaneous")
    return [_SlideRow(q, example.slides[q], _decimals(example.slides[q]), slides_order[q], true_gradient[q],
                      _agrees(example.slides[q], slides_order[q])) for q in SLIDE_QUANTITIES]


def _exact_quantities(example, order):
    """Every slide quantity of a 2-2-1 example, in full precision, after one ``step`` in ``order``."""
    new, record = step(example.net, example.x, example.t, example.eta, order=order)
    second = forward(new, example.x)
    (W1, W2), (z1, z2), (y1, y2), (d1, d2) = new.weights, record.zs, record.ys[1:], record.deltas
    values = [z1[0, 0], y1[0, 0], z1[0, 1], y1[0, 1], z2[0, 0], y2[0, 0],
              d2[0, 0], W2[0, 0], W2[1, 0], d1[0, 0], d1[0, 1],
              W1[0, 0], W1[1, 0], W1[0, 1], W1[1, 1],
              second.zs[0][0, 0], second.zs[0][0, 1], second.ys[1][0, 0], second.ys[1][0, 1],
              second.zs[1][0, 0], second.ys[2][0, 0]]
    return {q: float(v) for q, v in zip(SLIDE_QUANTITIES, values, strict=True)}


def _decimals(printed):
    """How many decimals a printed number has: '0.0024' -> 4."""
    return len(printed.split(".")[1]) if "." in printed else 0


def _agrees(printed, exact):
    """True if ``exact`` rounded to the printed number's decimals reads the same."""
    return f"{exact:.{_decimals(printed)}f}" == f"{float(printed):.{_decimals(printed)}f}"


def _two_two_one(name, inputs, w_AT, w_BT, w_AB, w_BB, w_TF, w_BF, target, eta, slide_numbers):
    weights = [np.array([[w_AT, w_AB], [w_BT, w_BB]]), np.array([[w_TF], [w_BF]])]
    return Example(name, Network(weights, None, "sigmoid"), np.array([inputs], dtype=float),
                   np.array([[target]], dtype=float), float(eta), ("A", "B"), ("Top", "Bottom"), ("Final",),
                   dict(zip(SLIDE_QUANTITIES, slide_numbers.split(), strict=True)))


def example2():
    """2-2-1 sigmoid network, no biases; inputs (0.35, 0.9), target 0.5, eta = 1."""
    return _two_two_one(
        "Example 2", (0.35, 0.9), w_AT=0.1, w_BT=0.8, w_AB=0.4, w_BB=0.6, w_TF=0.3, w_BF=0.9,
        target=0.5, eta=1.0, slide_numbers="""
        0.76 0.68 0.68 0.66 0.80 0.69
        0.041 0.27 0.87 0.0024 0.008
        0.099 0.798 0.397 0.593
        0.75 0.67 0.68 0.66 0.76 0.68""")


def example3():
    """2-2-1 sigmoid network, no biases; inputs (0.1, 0.7), target 1, eta = 2."""
    return _two_two_one(
        "Example 3", (0.1, 0.7), w_AT=0.1, w_BT=0.5, w_AB=0.3, w_BB=0.2, w_TF=0.2, w_BF=0.1,
        target=1.0, eta=2.0, slide_numbers="""
        0.36 0.59 0.17 0.54 0.17 0.54
        -0.11 0.33 0.22 -0.009 -0.006
        0.102 0.513 0.301 0.208
        0.37 0.17 0.59 0.54 0.31 0.58""")


class Symbolic(NamedTuple):
    """Example 1's 2-3-2 network by its unit names (LaTeX), for generated update expressions."""
    inputs: tuple
    hidden: tuple
    outputs: tuple


def example1():
    """Inputs lambda and Omega, hidden units A, B, C, outputs alpha and beta (all sigmoid)."""
    return Symbolic((r"\lambda", r"\Omega"), ("A", "B", "C"), (r"\alpha", r"\beta"))


def example1_network(rng=None):
    """Example 1's shape with numbers: a 2-3-2 sigmoid network without biases, random weights."""
    return Network.random([2, 3, 2], "sigmoid", bias=False, rng=rng)


def mazur():
    """The recommended reading's step-by-step example: 2-2-2 sigmoid network with biases.

    Inputs 0.05, 0.10; w1..w4 from inputs to hidden (w1: i1->h1, w2: i2->h1, w3: i1->h2,
    w4: i2->h2), w5..w8 from hidden to outputs (w5: h1->o1, w6: h2->o1, w7: h1->o2, w8: h2->o2);
    one bias per layer, 0.35 and 0.60, kept fixed in training; targets 0.01, 0.99; eta = 0.5.
    """
    weights = [np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])]
    biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    return Example("Step-by-step example", Network(weights, biases, "sigmoid"), np.array([[0.05, 0.10]]),
                   np.array([[0.01, 0.99]]), 0.5, ("i1", "i2"), ("h1", "h2"), ("o1", "o2"), {})
