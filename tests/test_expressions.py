"""bplib.checks.expressions: the update expressions generated from a network's structure.

References that do not share the code under test: the slides' list for Example 1 (typed from
the slide below), bplib.step's updates in both orders, and float64 central differences.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import bplib
from bplib import examples
from bplib.checks import expressions

# Example 1's solution slide, step by step, left-hand sides as the slide writes them.
SLIDE_EXAMPLE1 = {
    1: [r"\delta_{\alpha}", r"\delta_{\beta}"],
    2: [r"W^{+}_{A \alpha}", r"W^{+}_{A \beta}", r"W^{+}_{B \alpha}", r"W^{+}_{B \beta}",
        r"W^{+}_{C \alpha}", r"W^{+}_{C \beta}"],
    3: [r"\delta_{A}", r"\delta_{B}", r"\delta_{C}"],
    4: [r"W^{+}_{\lambda A}", r"W^{+}_{\Omega A}", r"W^{+}_{\lambda B}", r"W^{+}_{\Omega B}",
        r"W^{+}_{\lambda C}", r"W^{+}_{\Omega C}"],
}
# ... and the slide's right-hand sides, in the plain-text names (old weights W in step 3)
SLIDE_TEXT = [
    "delta_alpha = -y_alpha*(1 - y_alpha)*(t_alpha - y_alpha)",
    "w_A_alpha_new = w_A_alpha - eta*delta_alpha*y_A",
    "w_C_beta_new = w_C_beta - eta*delta_beta*y_C",
    "delta_A = y_A*(1 - y_A)*(delta_alpha*w_A_alpha + delta_beta*w_A_beta)",
    "w_Omega_C_new = w_Omega_C - eta*delta_C*in_Omega",
]


def test_example1_has_the_slides_expressions_in_the_slides_order():
    generated = expressions.update_expressions(examples.example1())
    assert [len(SLIDE_EXAMPLE1[s]) for s in (1, 2, 3, 4)] == [2, 6, 3, 6]
    for step, lhs in SLIDE_EXAMPLE1.items():
        got = [e.lhs for e in generated if e.step == step]
        assert got == lhs, f"step {step}: generated {got}, slide {lhs}"
    texts = [e.text for e in generated]
    for line in SLIDE_TEXT:
        assert line in texts, f"{line!r} not generated; got {texts}"


def test_layerwise_order_puts_the_new_weights_into_the_hidden_errors():
    hidden = {e.key: e for e in expressions.update_expressions(examples.example1(), "layerwise") if e.step == 3}
    assert hidden["delta_B"].text == "delta_B = y_B*(1 - y_B)*(delta_alpha*w_B_alpha_new + delta_beta*w_B_beta_new)"
    assert r"W^{+}_{B \alpha}" in hidden["delta_B"].rhs


def test_latex_rows_are_printed_as_on_the_slide():
    generated = expressions.update_expressions(examples.example1())
    step2 = expressions.to_latex(generated, 2)
    assert step2.startswith(r"\begin{aligned}") and step2.endswith(r"\end{aligned}")
    assert step2.count(r" \\ ") == 2 and step2.count(r"\qquad") == 3  # three rows (A, B, C) of two
    for step in (1, 2, 3, 4):
        latex = expressions.to_latex(generated, step)
        assert latex.count("{") == latex.count("}"), latex


def test_examples_2_and_3_generate_the_slide_quantity_names():
    for example in (examples.example2(), examples.example3()):
        keys = [e.key for e in expressions.all_expressions(example)]
        assert sorted(keys) == sorted(examples.SLIDE_QUANTITIES)


def test_example2_by_hand():
    ex = examples.example2()
    values = expressions.instantiate(ex, ex.net, ex.x, ex.t, ex.eta, "layerwise")
    assert values["z_top"] == pytest.approx(0.35 * 0.1 + 0.9 * 0.8)        # = 0.755
    y_final = values["y_final"]
    assert values["delta_final"] == pytest.approx(-y_final * (1 - y_final) * (0.5 - y_final))
    # slides: NEW_WEIGHT_TF = 0.3 - 0.041 * 0.68 * 1 = 0.27 ; ERROR_T uses that 0.27
    assert values["w_TF_new"] == pytest.approx(0.3 - values["delta_final"] * values["y_top"])
    y_top = values["y_top"]
    assert values["delta_top"] == pytest.approx(y_top * (1 - y_top) * values["w_TF_new"] * values["delta_final"])


def random_network(sizes, seed):
    rng = np.random.default_rng(seed)
    net = bplib.Network.random(sizes, "sigmoid", bias=False, rng=rng)
    x = rng.uniform(-1, 1, size=(1, sizes[0]))
    t = rng.uniform(0, 1, size=(1, sizes[-1]))
    names = [[f"{chr(65 + 5 * l + i)}" for i in range(n)] for l, n in enumerate(sizes)]
    return names, net, x, t


sizes = st.lists(st.integers(1, 3), min_size=2, max_size=5)


@settings(max_examples=30, deadline=None)
@given(sizes=sizes, seed=st.integers(0, 10_000), order=st.sampled_from(["simultaneous", "layerwise"]),
       eta=st.floats(0.1, 3.0))
def test_instantiated_updates_equal_bplib_step_for_any_layer_sizes(sizes, seed, order, eta):
    names, net, x, t = random_network(sizes, seed)
    values = expressions.instantiate(names, net, x, t, eta, order)
    new, record = bplib.step(net, x, t, eta, order=order, average=False)
    for l, (mine, theirs) in enumerate(zip(expressions.weight_arrays(names, values), new.weights)):
        assert np.allclose(mine, theirs, rtol=0, atol=1e-12), f"sizes {sizes}, {order}, layer {l}: {mine} vs {theirs}"
    for l, layer in enumerate(names[1:]):
        mine = [values[f"delta_{expressions.unit_key(n)}"] for n in layer]
        assert np.allclose(mine, record.deltas[l][0], rtol=0, atol=1e-12), f"deltas of layer {l + 1}"


@settings(max_examples=20, deadline=None)
@given(sizes=sizes, seed=st.integers(0, 10_000))
def test_simultaneous_updates_follow_the_gradient_by_finite_differences(sizes, seed):
    names, net, x, t = random_network(sizes, seed)
    eta = 0.5
    values = expressions.instantiate(names, net, x, t, eta, "simultaneous")
    numeric = bplib.gradcheck(net, x, t).numeric
    for l, (W, W_new) in enumerate(zip(net.weights, expressions.weight_arrays(names, values))):
        gradient = (W - W_new) / eta
        # central differences with eps = 1e-6 carry an absolute error of about 1e-10 (rounding in E)
        assert np.allclose(gradient, numeric[l], rtol=1e-6, atol=1e-9), (
            f"sizes {sizes}, layer {l}: from the expressions {gradient}, finite differences {numeric[l]}")


def test_layerwise_updates_are_not_the_gradient_when_the_output_weights_move():
    ex = examples.example3()
    values = expressions.instantiate(ex, ex.net, ex.x, ex.t, ex.eta, "layerwise")
    hidden = (ex.net.weights[0] - expressions.weight_arrays(ex, values)[0]) / ex.eta
    numeric = bplib.gradcheck(ex.net, ex.x, ex.t).numeric[0]
    assert bplib.relative_error(hidden, numeric) > 0.1


def test_deeper_networks_repeat_steps_three_and_four():
    names = [("A", "B"), ("P", "Q"), ("R", "S"), ("F",)]
    generated = expressions.update_expressions(names)
    counts = [sum(e.step == s for e in generated) for s in range(1, 7)]
    assert counts == [1, 2, 2, 4, 2, 4]
    assert [e.key for e in generated if e.step == 5] == ["delta_P", "delta_Q"]


def test_bad_structures_are_refused_with_a_message():
    with pytest.raises(TypeError, match="structure"):
        expressions.update_expressions("2-3-2")
    with pytest.raises(ValueError, match="non-empty"):
        expressions.update_expressions([("A",), ()])
    with pytest.raises(ValueError, match="distinct unit names"):
        expressions.update_expressions([("A", "B"), ("A",)])
    with pytest.raises(ValueError, match="distinct weight names"):
        expressions.update_expressions([("A",), ("Top", "Tail"), ("F",)])
    with pytest.raises(ValueError, match="order"):
        expressions.update_expressions(examples.example1(), "backwards")
    ex = examples.example2()
    with pytest.raises(ValueError, match="layer sizes"):
        expressions.given_values(examples.example1(), ex.net, ex.x, ex.t, ex.eta)
    with_bias = bplib.Network.random([2, 2, 1], bias=True, rng=0)
    with pytest.raises(ValueError, match="biases"):
        expressions.instantiate(ex, with_bias, ex.x, ex.t, ex.eta)
