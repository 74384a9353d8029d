"""The lecture's Examples 2 and 3 against the slides' printed numbers, the exact (simultaneous)
numbers worked by hand, and the recommended reading's published step-by-step example."""
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

import bplib
from bplib import examples

EXAMPLES = {"Example 2": examples.example2, "Example 3": examples.example3}


def with_bplib(example, order):
    """Every slide quantity computed by bplib: forward, one step (its record's deltas), forward again."""
    net, x, t = example.net, example.x, example.t
    first = bplib.forward(net, x)
    new, record = bplib.step(net, x, t, example.eta, order=order)
    second = bplib.forward(new, x)
    W0, W1 = new.weights
    values = [first.zs[0][0, 0], first.ys[1][0, 0], first.zs[0][0, 1], first.ys[1][0, 1], first.zs[1][0, 0], first.ys[2][0, 0],
              record.deltas[1][0, 0], W1[0, 0], W1[1, 0], record.deltas[0][0, 0], record.deltas[0][0, 1],
              W0[0, 0], W0[1, 0], W0[0, 1], W0[1, 1],
              second.zs[0][0, 0], second.zs[0][0, 1], second.ys[1][0, 0], second.ys[1][0, 1], second.zs[1][0, 0], second.ys[2][0, 0]]
    return dict(zip(examples.SLIDE_QUANTITIES, map(float, values)))


def sigma(z):
    return 1 / (1 + math.exp(-z))


def by_hand(xA, xB, wAT, wBT, wAB, wBB, wTF, wBF, target, eta, order):
    """The same 21 quantities in plain Python, one line per slide formula."""
    zT, zB = xA * wAT + xB * wBT, xA * wAB + xB * wBB
    yT, yB = sigma(zT), sigma(zB)
    zF = yT * wTF + yB * wBF
    yF = sigma(zF)
    dF = -yF * (1 - yF) * (target - yF)
    wTF_new, wBF_new = wTF - eta * dF * yT, wBF - eta * dF * yB
    back_T, back_B = (wTF_new, wBF_new) if order == "layerwise" else (wTF, wBF)
    dT, dB = yT * (1 - yT) * back_T * dF, yB * (1 - yB) * back_B * dF
    wAT_new, wBT_new, wAB_new, wBB_new = wAT - eta * dT * xA, wBT - eta * dT * xB, wAB - eta * dB * xA, wBB - eta * dB * xB
    zT2, zB2 = xA * wAT_new + xB * wBT_new, xA * wAB_new + xB * wBB_new
    yT2, yB2 = sigma(zT2), sigma(zB2)
    zF2 = yT2 * wTF_new + yB2 * wBF_new
    values = [zT, yT, zB, yB, zF, sigma(zF), dF, wTF_new, wBF_new, dT, dB, wAT_new, wBT_new, wAB_new, wBB_new,
              zT2, zB2, yT2, yB2, zF2, sigma(zF2)]
    return dict(zip(examples.SLIDE_QUANTITIES, values))


SLIDE_INPUTS = {  # read off the slides: inputs A, B; weights AT, BT, AB, BB, TF, BF; target; learning rate
    "Example 2": (0.35, 0.9, 0.1, 0.8, 0.4, 0.6, 0.3, 0.9, 0.5, 1.0),
    "Example 3": (0.1, 0.7, 0.1, 0.5, 0.3, 0.2, 0.2, 0.1, 1.0, 2.0),
}

# Example 3's slide rounded intermediate results and kept going with them; three numbers differ from
# the exact ones at the printed precision (tested one by one in test_example3_known_slide_slips).
SLIPS = {("Example 3", "w_BB_new"), ("Example 3", "z_bottom_2"), ("Example 3", "z_final_2")}


def decimals(text):
    return len(text.split(".")[1])


def rounds_to(value, text):
    """Does value round to the slide's text? Half-up with a margin: 0.755 is 0.76 on the slide, while
    float 0.755 (0.75499999999999989...) rounds half-even or down to 0.75 in Python."""
    return abs(value - float(text)) <= 0.5 * 10 ** -decimals(text) + 1e-12


def test_example_data_matches_the_slides():
    for name, make in EXAMPLES.items():
        ex = make()
        xA, xB, wAT, wBT, wAB, wBB, wTF, wBF, target, eta = SLIDE_INPUTS[name]
        want = [np.array([[wAT, wAB], [wBT, wBB]]), np.array([[wTF], [wBF]])]
        for l in range(2):
            np.testing.assert_array_equal(ex.net.weights[l], want[l], err_msg=f"{name} weights[{l}]")
        assert ex.x.tolist() == [[xA, xB]] and ex.t.tolist() == [[target]] and ex.eta == eta, f"{name}: x {ex.x}, t {ex.t}, eta {ex.eta}"
        assert ex.net.biases == [None, None], f"{name}: received biases {ex.net.biases}, expected none (bias = 0)"
        assert set(ex.slides) == set(examples.SLIDE_QUANTITIES), f"{name}: slide keys {sorted(ex.slides)}"


@pytest.mark.parametrize("name, quantity", [(n, q) for n in EXAMPLES for q in examples.SLIDE_QUANTITIES
                                            if (n, q) not in SLIPS])
def test_layerwise_order_reproduces_the_slide(name, quantity):
    ex = EXAMPLES[name]()
    got = with_bplib(ex, "layerwise")[quantity]
    slide = ex.slides[quantity]
    assert rounds_to(got, slide), (
        f"{name} {quantity} (layerwise): received {got!r}, expected the slide's {slide} to {decimals(slide)} decimals")


@pytest.mark.parametrize("order", ["layerwise", "simultaneous"])
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_quantity_matches_plain_python(name, order):
    got, want = with_bplib(EXAMPLES[name](), order), by_hand(*SLIDE_INPUTS[name], order)
    for q in examples.SLIDE_QUANTITIES:
        assert abs(got[q] - want[q]) <= 1e-12, f"{name} {q} ({order}): received {got[q]!r}, expected {want[q]!r}"


def test_example2_z_top_is_exactly_0755():
    # 0.35 * 0.1 + 0.9 * 0.8 = 0.035 + 0.72 = 0.755: a tie at 2 decimals; the slide rounds half up to 0.76
    got = with_bplib(examples.example2(), "layerwise")["z_top"]
    assert abs(got - 0.755) < 1e-12, f"Example 2 z_top: received {got!r}, expected 0.755"
    assert Decimal("0.755").quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(examples.example2().slides["z_top"])
    assert rounds_to(got, "0.76") and rounds_to(got, "0.75"), "0.755 lies on the boundary between 0.75 and 0.76"


def test_example3_known_slide_slips():
    ex = examples.example3()
    got = with_bplib(ex, "layerwise")
    exact = by_hand(*SLIDE_INPUTS["Example 3"], "layerwise")

    # w_BB_new: 0.2 - eta * delta_bottom * x_B = 0.2 - 2 * (-0.0062798) * 0.7 = 0.2 + 0.0087917 = 0.20879 (0.209);
    # the slide used the rounded delta_bottom -0.006: 0.2 - (-0.006) * 0.7 * 2 = 0.2 + 0.0084 = 0.2084 -> 0.208
    assert abs(got["w_BB_new"] - 0.2087917) < 1e-6 and abs(got["w_BB_new"] - exact["w_BB_new"]) < 1e-12, (
        f"Example 3 w_BB_new: received {got['w_BB_new']!r}, expected 0.2087917 (plain Python {exact['w_BB_new']!r})")
    assert ex.slides["w_BB_new"] == "0.208" and not rounds_to(got["w_BB_new"], "0.208")
    assert f"{0.2 - (-0.006) * 0.7 * 2:.3f}" == "0.208"

    # z_bottom_2: 0.1 * w_AB_new + 0.7 * w_BB_new = 0.1 * 0.3012560 + 0.7 * 0.2087917 = 0.0301256 + 0.1461542 = 0.17628 (0.18);
    # even with the slide's rounded weights 0.1 * 0.301 + 0.7 * 0.208 = 0.0301 + 0.1456 = 0.1757, which rounds to 0.18:
    # the slide truncated to 0.17
    assert abs(got["z_bottom_2"] - 0.1762798) < 1e-6 and abs(got["z_bottom_2"] - exact["z_bottom_2"]) < 1e-12, (
        f"Example 3 z_bottom_2: received {got['z_bottom_2']!r}, expected 0.1762798 (plain Python {exact['z_bottom_2']!r})")
    assert ex.slides["z_bottom_2"] == "0.17" and not rounds_to(got["z_bottom_2"], "0.17")
    from_slide = 0.1 * 0.301 + 0.7 * 0.208
    assert abs(from_slide - 0.1757) < 1e-12 and f"{from_slide:.2f}" == "0.18" and math.floor(from_slide * 100) / 100 == 0.17

    # z_final_2: w_TF_new * y_top_2 + w_BF_new * y_bottom_2 = 0.3336320 * 0.5912563 + 0.2230505 * 0.5439562
    #          = 0.1972620 + 0.1213298 = 0.31859 (0.32); the slide: 0.33 * 0.59 + 0.22 * 0.54 = 0.1947 + 0.1188 = 0.3135 -> 0.31
    assert abs(got["z_final_2"] - 0.3185917) < 1e-6 and abs(got["z_final_2"] - exact["z_final_2"]) < 1e-12, (
        f"Example 3 z_final_2: received {got['z_final_2']!r}, expected 0.3185917 (plain Python {exact['z_final_2']!r})")
    assert ex.slides["z_final_2"] == "0.31" and not rounds_to(got["z_final_2"], "0.31")
    assert f"{0.33 * 0.59 + 0.22 * 0.54:.2f}" == "0.31"


# Simultaneous order (the true gradient), worked by hand. The output layer is the same in both orders.
# Example 2: y_T = sigma(0.755) = 0.6802672, y_B = sigma(0.68) = 0.6637387,
#   z_F = 0.3 * 0.6802672 + 0.9 * 0.6637387 = 0.8014450, y_F = sigma(0.8014450) = 0.6902835,
#   delta_F = y_F (1 - y_F) (y_F - t) = 0.6902835 * 0.3097165 * 0.1902835 = 0.0406811,
#   delta_T = y_T (1 - y_T) w_TF delta_F with the OLD w_TF = 0.3: 0.6802672 * 0.3197328 * 0.3 * 0.0406811 = 0.0026545
#     (layerwise uses w_TF_new = 0.3 - 0.0406811 * 0.6802672 = 0.2723260: 0.2175037 * 0.2723260 * 0.0406811 = 0.0024096)
#   delta_B = 0.6637387 * 0.3362613 * 0.9 * 0.0406811 = 0.0081716,
#   w_AT_new = 0.1 - 0.0026545 * 0.35 = 0.0990709, w_BT_new = 0.8 - 0.0026545 * 0.9 = 0.7976110,
#   w_AB_new = 0.4 - 0.0081716 * 0.35 = 0.3971399, w_BB_new = 0.6 - 0.0081716 * 0.9 = 0.5926455.
# Example 3: y_T = sigma(0.36) = 0.5890404, y_B = sigma(0.17) = 0.5423979,
#   z_F = 0.2 * 0.5890404 + 0.1 * 0.5423979 = 0.1720479, y_F = 0.5429062,
#   delta_F = 0.5429062 * 0.4570938 * (0.5429062 - 1) = -0.1134320,
#   delta_T = 0.5890404 * 0.4109596 * 0.2 * (-0.1134320) = -0.0054917, delta_B = 0.5423979 * 0.4576021 * 0.1 * (-0.1134320) = -0.0028154,
#   w_AT_new = 0.1 + 2 * 0.0054917 * 0.1 = 0.1010983, w_BT_new = 0.5 + 2 * 0.0054917 * 0.7 = 0.5076884,
#   w_AB_new = 0.3 + 2 * 0.0028154 * 0.1 = 0.3005631, w_BB_new = 0.2 + 2 * 0.0028154 * 0.7 = 0.2039416.
SIMULTANEOUS = {
    "Example 2": dict(delta_final=0.0406811, w_TF_new=0.2723260, delta_top=0.0026545, delta_bottom=0.0081716,
                      w_AT_new=0.0990709, w_BT_new=0.7976110, w_AB_new=0.3971399, w_BB_new=0.5926455),
    "Example 3": dict(delta_final=-0.1134320, w_TF_new=0.3336320, delta_top=-0.0054917, delta_bottom=-0.0028154,
                      w_AT_new=0.1010983, w_BT_new=0.5076884, w_AB_new=0.3005631, w_BB_new=0.2039416),
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_simultaneous_order_exact_numbers(name):
    got = with_bplib(EXAMPLES[name](), "simultaneous")
    exact = by_hand(*SLIDE_INPUTS[name], "simultaneous")
    for q, want in SIMULTANEOUS[name].items():
        assert abs(got[q] - want) <= 1e-6, f"{name} {q} (simultaneous): received {got[q]!r}, expected {want} (by hand)"
        assert abs(exact[q] - want) <= 1e-6, f"{name} {q}: plain Python {exact[q]!r} disagrees with the hand working {want}"


def test_example2_hidden_deltas_differ_between_orders():
    ex = examples.example2()
    layerwise, simultaneous = with_bplib(ex, "layerwise"), with_bplib(ex, "simultaneous")
    assert abs(layerwise["delta_top"] - 0.0024096) < 1e-7, f"layerwise delta_top: received {layerwise['delta_top']!r}, expected 0.0024096"
    assert abs(simultaneous["delta_top"] - 0.0026545) < 1e-7, f"simultaneous delta_top: received {simultaneous['delta_top']!r}, expected 0.0026545"


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_orders_share_the_output_layer_and_differ_below(name):
    ex = EXAMPLES[name]()
    new_l, rec_l = bplib.step(ex.net, ex.x, ex.t, ex.eta, order="layerwise")
    new_s, rec_s = bplib.step(ex.net, ex.x, ex.t, ex.eta, order="simultaneous")
    np.testing.assert_array_equal(new_l.weights[1], new_s.weights[1], err_msg=f"{name}: output weights, layerwise vs simultaneous")
    np.testing.assert_array_equal(rec_l.deltas[1], rec_s.deltas[1], err_msg=f"{name}: output delta, layerwise vs simultaneous")
    assert np.all(np.abs(rec_l.deltas[0] - rec_s.deltas[0]) > 1e-4), (
        f"{name}: hidden deltas layerwise {rec_l.deltas[0]} and simultaneous {rec_s.deltas[0]} should differ")


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_simultaneous_step_is_the_true_gradient(name):
    ex = EXAMPLES[name]()
    new, _ = bplib.step(ex.net, ex.x, ex.t, ex.eta, order="simultaneous")
    check = bplib.gradcheck(ex.net, ex.x, ex.t)
    for l in range(2):
        want = ex.net.weights[l] - ex.eta * check.numeric[l]  # no biases: numeric = [dW0, dW1]
        np.testing.assert_allclose(new.weights[l], want, rtol=0, atol=1e-9, err_msg=f"{name} weights[{l}] vs eta * finite differences")


# The recommended reading (mattmazur.com, "A Step by Step Backpropagation Example"), with its published numbers.
MAZUR_BEFORE = 0.298371109
MAZUR_W = {"w1": 0.149780716, "w2": 0.19956143, "w3": 0.24975114, "w4": 0.29950229,
           "w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121}


def test_mazur_step_by_step_example():
    ex = examples.mazur()
    before = bplib.cost(ex.net, ex.x, ex.t, "half_sse")
    assert abs(before - MAZUR_BEFORE) < 1e-8, f"E_total before training: received {before!r}, expected {MAZUR_BEFORE}"
    new, _ = bplib.step(ex.net, ex.x, ex.t, 0.5, order="simultaneous", learn_biases=False)
    (w1, w3), (w2, w4) = new.weights[0]  # weights[0] = [[w1, w3], [w2, w4]]
    (w5, w7), (w6, w8) = new.weights[1]  # weights[1] = [[w5, w7], [w6, w8]]
    got = dict(w1=w1, w2=w2, w3=w3, w4=w4, w5=w5, w6=w6, w7=w7, w8=w8)
    for key, want in MAZUR_W.items():
        assert abs(got[key] - want) < 1e-8, f"{key} after one step: received {got[key]!r}, expected {want}"
    for l, want in enumerate([0.35, 0.60]):
        assert np.all(new.biases[l] == want), f"bias {l} with learn_biases=False: received {new.biases[l]}, expected {want}"
