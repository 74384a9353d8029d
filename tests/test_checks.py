"""bplib.checks: feedback on students' answers.

Correct answers (exact, rounded, the slides' own numbers) are accepted; each common mistake is
named at the quantity where it is made, and what follows from it is marked as following; a
malformed answer of any kind gets a sentence, never an exception (hypothesis).
"""
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import bplib
from bplib import checks, examples
from bplib.checks import _mistakes as mistakes, expressions  # the mistakes the checker knows, tested one by one

EX2, EX3 = examples.example2(), examples.example3()
SLIDE_KEYS = list(examples.SLIDE_QUANTITIES)


def exact(example, order="layerwise"):
    values = expressions.instantiate(example, example.net, example.x, example.t, example.eta, order)
    return {k: values[k] for k in SLIDE_KEYS}


def with_mistake(example, name, order="layerwise", decimals=4):
    """What a student who makes mistake ``name`` throughout writes, rounded to ``decimals``."""
    ref = checks.reference(example, example.net, example.x, example.t, example.eta, order)
    return {k: round(ref.mistakes[name][k], decimals) for k in SLIDE_KEYS}


# ---------------------------------------------------------------- correct answers are accepted

@pytest.mark.parametrize("example", [EX2, EX3], ids=["Example 2", "Example 3"])
@pytest.mark.parametrize("order", ["layerwise", "simultaneous"])
@pytest.mark.parametrize("decimals", [None, 6, 4])
def test_exact_and_rounded_answers_are_correct(example, order, decimals):
    answer = {k: v if decimals is None else round(v, decimals) for k, v in exact(example, order).items()}
    feedback = checks.check_example(answer, example, order)
    assert feedback.all_correct, str(feedback)


@pytest.mark.parametrize("example", [EX2, EX3], ids=["Example 2", "Example 3"])
def test_the_slides_printed_numbers_are_correct_in_the_slides_order(example):
    answer = {k: float(v) for k, v in example.slides.items()}
    feedback = checks.check_example(answer, example, "layerwise")
    assert feedback.all_correct, str(feedback)


def test_slide_slips_are_accepted_with_a_note():
    feedback = checks.check_example({k: float(v) for k, v in EX3.slides.items()}, EX3)
    notes = {line.key: line.message for line in feedback.lines if line.message != "correct"}
    assert set(notes) == {"w_BB_new", "z_bottom_2", "z_final_2"}, notes
    assert "0.1763" in notes["z_bottom_2"] and "0.18" in notes["z_bottom_2"]


def test_an_answer_computed_in_float32_is_correct():
    answer = {k: np.float32(v) for k, v in exact(EX2).items()}
    assert checks.check_example(answer, EX2).all_correct


def test_numbers_given_as_numpy_arrays_decimals_and_fractions_are_read():
    answer = {k: np.array([[v]]) for k, v in exact(EX2).items()}
    answer["z_top"] = Decimal("0.755")
    answer["z_bottom"] = Fraction(68, 100)
    answer["y_top"] = np.float32(exact(EX2)["y_top"])
    assert checks.check_example(answer, EX2).all_correct


# ---------------------------------------------------------------- tolerance from the slides' rounding

SLIDES_INPUTS = {"y_top": 0.68, "w_TF_new": 0.27, "delta_final": 0.041}  # delta_top's inputs as the slides print them


@pytest.mark.parametrize("value, inputs, status", [
    (0.0024, {}, "correct"),    # the slides' number
    (0.00241, {}, "correct"),   # exact 0.002410...
    # 0.68 * 0.32 * 0.27 * 0.041 = 0.0024088; rounding y_top, w_TF_new to 0.005 and delta_final to 0.0005
    # moves it by |1 - 2y| w d 0.005 = 2.0e-5, y(1 - y) d 0.005 = 4.5e-5 and y(1 - y) w 0.0005 = 2.9e-5:
    # sqrt of their squares 5.7e-5, plus half a unit of 0.0025 (5e-5), is 1.07e-4 > |0.0025 - 0.00241|
    (0.0025, SLIDES_INPUTS, "correct"),
    (0.0025, {}, "wrong"),      # the inputs written in full leave no such room: 9e-5 from 0.00241
    (0.0027, {}, "wrong"),      # the old output weight's value, with every other number in the slides' order
    (0.0031, {}, "wrong"),
    (0.002, {}, "coarse"),      # right to 3 decimals, too coarse to tell the orders apart
    (0.0, {}, "coarse"),
])
def test_tolerance_of_delta_top_in_example2(value, inputs, status):
    answer = dict(exact(EX2), delta_top=value, **inputs)
    assert checks.check_example(answer, EX2).status("delta_top") == status


def test_tolerance_follows_the_slides_decimals():
    ref = checks.reference(EX2, EX2.net, EX2.x, EX2.t, EX2.eta, "layerwise", slides=EX2.slides)
    assert ref.tolerance["z_top"] == pytest.approx(0.005)          # inputs and weights are exact: half of 0.01
    assert 0.005 < ref.tolerance["z_final"] < 0.0125               # y_top, y_bottom rounded to 2 decimals
    assert ref.tolerance["delta_top"] < exact(EX2)["delta_top"] * 0.1


def test_more_decimals_are_held_to_their_own_precision():
    # 0.0082 claims 4 decimals: it is the old-weight value (0.00817), not 0.00793 rounded
    answer = dict(exact(EX2), delta_bottom=0.0082)
    assert checks.check_example(answer, EX2).status("delta_bottom") == "wrong"
    answer = dict(exact(EX2), delta_bottom=0.008)
    assert checks.check_example(answer, EX2).status("delta_bottom") == "correct"


def test_rounded_intermediates_carry_to_later_answers():
    # a student who rounds y_top to 0.68 and w_TF_new to 0.27 gets delta_top from them
    answer = {k: round(v, 2) for k, v in exact(EX2).items()}
    y, w, d = answer["y_top"], answer["w_TF_new"], 0.0407
    answer.update(delta_final=d, delta_top=y * (1 - y) * w * d)
    feedback = checks.check_example(answer, EX2)
    assert feedback.status("delta_top") == "correct", str(feedback)


# ---------------------------------------------------------------- each common mistake is recognised

MISTAKE_CASES = [  # example, question's order, mistake, first quantity where it shows
    (EX2, "layerwise", "old_weights", "delta_top"),
    (EX3, "layerwise", "old_weights", "delta_top"),
    (EX3, "simultaneous", "updated_weights", "delta_top"),
    (EX2, "layerwise", "no_derivative_output", "delta_final"),
    (EX3, "layerwise", "no_derivative_hidden", "delta_top"),
    (EX2, "layerwise", "sign_delta", "delta_final"),
    (EX3, "layerwise", "sign_update", "w_TF_new"),
    (EX3, "layerwise", "z_in_derivative", "delta_final"),
    (EX2, "layerwise", "z_in_update", "w_TF_new"),
    (EX2, "layerwise", "z_in_forward", "y_top"),
    (EX3, "layerwise", "no_eta", "w_TF_new"),
    (EX3, "layerwise", "receiving_out", "w_TF_new"),
]


@pytest.mark.parametrize("example, order, name, first", MISTAKE_CASES,
                         ids=[f"{c[0].name}-{c[2]}" for c in MISTAKE_CASES])
@pytest.mark.parametrize("decimals", [4, 10])
def test_each_mistake_is_named_where_it_is_made(example, order, name, first, decimals):
    feedback = checks.check_example(with_mistake(example, name, order, decimals), example, order)
    wrong = [line for line in feedback.lines if line.status == "wrong"]
    assert wrong and wrong[0].key == first and wrong[0].mistake == name, str(feedback)
    later = [line for line in feedback.lines if line.status not in ("correct", "wrong")]
    assert all(line.status == "follows" for line in later), str(feedback)


@pytest.mark.parametrize("name, words", [
    ("old_weights", "OLD"), ("updated_weights", "UPDATED"), ("no_derivative_output", "missing sigmoid derivative"),
    ("no_derivative_hidden", "missing sigmoid derivative"), ("sign_delta", "sign"), ("sign_update", "sign"),
    ("z_in_derivative", "used z where y belongs"), ("z_in_update", "used z where y belongs"),
    ("z_in_forward", "used z where y belongs"), ("no_eta", "learning rate left out"),
    ("receiving_out", "wrong unit's output"),
])
def test_the_explanations_name_the_mistake(name, words):
    case = next(c for c in MISTAKE_CASES if c[2] == name)
    feedback = checks.check_example(with_mistake(case[0], name, case[1]), case[0], case[1])
    assert words in next(line.message for line in feedback.lines if line.key == case[3]), str(feedback)


def test_old_weight_feedback_quotes_both_weights():
    feedback = checks.check_example(dict(exact(EX2), delta_top=0.0027), EX2)
    message = next(line.message for line in feedback.lines if line.key == "delta_top")
    assert "0.0027" in message and "w_TF = 0.3" in message and "UPDATED" in message and "0.27" in message


def test_learning_rate_one_cannot_reveal_a_missing_learning_rate():
    # Example 2 has eta = 1: leaving it out changes nothing, and nothing is flagged
    assert checks.check_example(with_mistake(EX2, "no_eta"), EX2).all_correct


def test_a_flipped_sign_on_a_hidden_delta_is_named():
    answer = dict(exact(EX3), delta_bottom=-exact(EX3)["delta_bottom"])
    line = next(l for l in checks.check_example(answer, EX3).lines if l.key == "delta_bottom")
    assert line.status == "wrong" and "sign" in line.message


def test_only_the_wrong_number_is_flagged():
    for key in SLIDE_KEYS:
        answer = exact(EX3)
        answer[key] += 0.05 + abs(answer[key])
        feedback = checks.check_example(answer, EX3)
        assert [l.key for l in feedback.lines if l.status == "wrong"] == [key], str(feedback)


def test_other_networks_use_the_same_machinery():
    names = [("A", "B"), ("P", "Q"), ("R", "S"), ("F",)]
    net = bplib.Network([np.array([[0.2, -0.3], [0.4, 0.1]]), np.array([[0.5, 0.2], [-0.6, 0.3]]),
                         np.array([[0.7], [-0.4]])])
    x, t = np.array([[1.0, 0.5]]), np.array([[1.0]])
    ref = checks.reference(names, net, x, t, 1.0, "simultaneous")
    answer = {k: round(ref.values[k], 5) for k in ref.keys}
    assert checks.check(answer, ref).all_correct
    wrong = {k: round(ref.mistakes["no_derivative_hidden"][k], 5) for k in ref.keys}
    lines = [l for l in checks.check(wrong, ref).lines if l.status == "wrong"]
    assert lines[0].key == "delta_R" and lines[0].mistake == "no_derivative_hidden"


# ---------------------------------------------------------------- malformed answers: a sentence, never a traceback

def assert_plain_feedback(feedback):
    text = str(feedback)
    assert text and "Traceback" not in text
    assert all(line.message and line.status in checks.SYMBOLS for line in feedback.lines)
    assert feedback.summary().endswith(".")
    assert isinstance(feedback._repr_markdown_(), str)


class Hostile:
    """Breaks every conversion a checker might try."""
    def __float__(self):
        raise RuntimeError("no float")

    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = object.__hash__


values = st.one_of(
    st.none(), st.just(Ellipsis), st.booleans(), st.integers(), st.integers(min_value=10 ** 310),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20), st.binary(max_size=5),
    st.complex_numbers(), st.lists(st.floats(), max_size=4), st.lists(st.text(), max_size=3),
    st.tuples(st.floats(), st.floats()), st.dictionaries(st.text(max_size=3), st.floats(), max_size=2),
    st.decimals(allow_nan=True), st.fractions(), st.just(np.array([])), st.just(np.array([[1.0, 2.0]])),
    st.just(np.array(["0.5"])), st.just(np.array([np.nan])), st.just(object()), st.just(Hostile()),
    st.just(print), st.just([[0.5]]), st.just([Ellipsis]), st.sets(st.integers(), max_size=2),
)
keys = st.one_of(st.sampled_from(SLIDE_KEYS), st.text(max_size=12), st.integers(), st.none())


@settings(max_examples=300, deadline=None)
@given(answer=st.dictionaries(keys, values, max_size=25))
def test_any_dict_gets_feedback_not_an_exception(answer):
    assert_plain_feedback(checks.check_example(answer, EX2))


@settings(max_examples=100, deadline=None)
@given(key=st.sampled_from(SLIDE_KEYS), value=values, order=st.sampled_from(["layerwise", "simultaneous"]))
def test_one_malformed_value_among_correct_ones(key, value, order):
    answer = dict(exact(EX3, order), **{key: value})
    feedback = checks.check_example(answer, EX3, order)
    assert_plain_feedback(feedback)
    others = [l for l in feedback.lines if l.key != key]
    assert all(l.status in ("correct", "follows") for l in others), str(feedback)


@settings(max_examples=100, deadline=None)
@given(answer=values)
def test_anything_that_is_not_a_dict_gets_one_sentence(answer):
    feedback = checks.check_example(answer, EX2)
    assert_plain_feedback(feedback)
    if answer is not Ellipsis and not isinstance(answer, dict):
        assert len(feedback.lines) == 1 and feedback.lines[0].status == "unreadable"


@pytest.mark.parametrize("value, words", [
    (None, "None"), ("0.76", "without quotes"), ([0.7, 0.6], "shape (2,)"), (float("nan"), "NaN"),
    (math.inf, "infinite"), (True, "truth value"), (1j, "complex"),
])
def test_malformed_values_are_explained(value, words):
    feedback = checks.check_example(dict(exact(EX2), z_top=value), EX2)
    line = next(l for l in feedback.lines if l.key == "z_top")
    assert line.status == "unreadable" and words in line.message, line


def test_missing_and_misspelt_keys():
    answer = exact(EX2)
    del answer["z_final"]
    answer["Z_final"] = 0.8
    feedback = checks.check_example(answer, EX2)
    assert feedback.status("z_final") == "missing"
    assert 'did you mean "z_final"' in next(l.message for l in feedback.lines if l.key == "Z_final")


def test_a_blank_answer_is_only_not_answered_yet():
    for answer in (Ellipsis, {k: ... for k in SLIDE_KEYS}):
        feedback = checks.check_example(answer, EX3)
        assert {l.status for l in feedback.lines} == {"not answered"}
        assert all(l.message == checks.NOT_ANSWERED for l in feedback.lines)
        assert "nothing answered yet" in feedback.summary()


# ---------------------------------------------------------------- functions and plain numbers

def test_functions_are_checked_and_their_mistakes_named():
    assert checks.check_function(lambda y: y * (1 - y), "sigmoid_prime").all_correct
    assert checks.check_function(lambda f, w, eps: (f(w + eps) - f(w - eps)) / (2 * eps), "central_difference").all_correct
    for name, cases in mistakes.FUNCTION_MISTAKES.items():
        for mistake, fn, _ in cases:
            line = checks.check_function(fn, name).lines[0]
            assert line.status == "wrong" and line.mistake == mistake, line


def returns_ellipsis(y):
    return ...


@pytest.mark.parametrize("fn, status", [
    (..., "not answered"), (returns_ellipsis, "not answered"), (lambda y: None, "unreadable"),
    (lambda y: 1 / 0, "unreadable"), (lambda y: "x", "unreadable"), (lambda y: np.zeros(3), "wrong"),
    (3.0, "unreadable"), (None, "unreadable"), (lambda: 1, "unreadable"), (lambda y: Hostile(), "unreadable"),
])
def test_broken_functions_get_a_sentence(fn, status):
    feedback = checks.check_function(fn, "sigmoid_prime")
    assert_plain_feedback(feedback)
    assert feedback.lines[0].status == status, str(feedback)


def test_plain_number_questions_use_hints():
    ref = checks.values_reference({"g": -0.0668, "k": 2}, "Numbers", decimals={"g": 4, "k": 0},
                                  hints={"g": [(-0.1336, "that is eta times the gradient")]}, how={"g": "dE/dw"})
    feedback = checks.check({"g": -0.1336, "k": 2}, ref)
    assert feedback.status("k") == "correct" and "eta times" in feedback.lines[0].message
    assert "dE/dw" in checks.check({"g": 0.5, "k": 3}, ref).lines[0].message
    assert_plain_feedback(checks.check({"g": "x", "k": None}, ref))


# ---------------------------------------------------------------- either update order (issue 10, item 1.3)

def by_hand(example, order):
    """Examples 2 and 3 computed in the test, from the weights as numbers (no bplib arithmetic)."""
    from scipy.special import expit
    (w_AT, w_AB), (w_BT, w_BB) = example.net.weights[0]
    w_TF, w_BF = example.net.weights[1][:, 0]
    (x_A, x_B), t, eta = example.x[0], example.t[0, 0], example.eta
    v = {"z_top": x_A * w_AT + x_B * w_BT, "z_bottom": x_A * w_AB + x_B * w_BB}
    v["y_top"], v["y_bottom"] = expit(v["z_top"]), expit(v["z_bottom"])
    v["z_final"] = v["y_top"] * w_TF + v["y_bottom"] * w_BF
    v["y_final"] = y = expit(v["z_final"])
    v["delta_final"] = d = -y * (1 - y) * (t - y)
    v["w_TF_new"], v["w_BF_new"] = w_TF - eta * d * v["y_top"], w_BF - eta * d * v["y_bottom"]
    back_T, back_B = (v["w_TF_new"], v["w_BF_new"]) if order == "layerwise" else (w_TF, w_BF)
    v["delta_top"] = v["y_top"] * (1 - v["y_top"]) * back_T * d
    v["delta_bottom"] = v["y_bottom"] * (1 - v["y_bottom"]) * back_B * d
    v["w_AT_new"], v["w_BT_new"] = w_AT - eta * v["delta_top"] * x_A, w_BT - eta * v["delta_top"] * x_B
    v["w_AB_new"], v["w_BB_new"] = w_AB - eta * v["delta_bottom"] * x_A, w_BB - eta * v["delta_bottom"] * x_B
    v["z_top_2"] = x_A * v["w_AT_new"] + x_B * v["w_BT_new"]
    v["z_bottom_2"] = x_A * v["w_AB_new"] + x_B * v["w_BB_new"]
    v["y_top_2"], v["y_bottom_2"] = expit(v["z_top_2"]), expit(v["z_bottom_2"])
    v["z_final_2"] = v["y_top_2"] * v["w_TF_new"] + v["y_bottom_2"] * v["w_BF_new"]
    v["y_final_2"] = expit(v["z_final_2"])
    return {k: float(v[k]) for k in SLIDE_KEYS}


def test_the_by_hand_reference_matches_the_lecture():
    # Example 2 as the slides print it (layerwise): delta_top 0.0024, delta_bottom 0.008, y_final_2 0.68
    v = by_hand(EX2, "layerwise")
    assert round(v["delta_top"], 4) == 0.0024 and round(v["delta_bottom"], 3) == 0.008 and round(v["y_final_2"], 2) == 0.68
    # the true gradient sends delta_F = 0.0407 back through w_TF = 0.3: 0.6803 * 0.3197 * 0.3 * 0.0407 = 0.00266
    assert by_hand(EX2, "simultaneous")["delta_top"] == pytest.approx(0.6803 * 0.3197 * 0.3 * 0.04068, rel=1e-3)


@pytest.mark.parametrize("example", [EX2, EX3], ids=["Example 2", "Example 3"])
@pytest.mark.parametrize("order, words", [("layerwise", "the slides' order (output weights updated first)"),
                                          ("simultaneous", "the true gradient (old weights)")])
@pytest.mark.parametrize("decimals", [4, 6])
def test_either_order_is_accepted_and_named(example, order, words, decimals):
    answer = {k: round(v, decimals) for k, v in by_hand(example, order).items()}
    feedback = checks.check_example(answer, example)
    assert feedback.all_correct, str(feedback)
    assert feedback.order == order and words in feedback.summary(), feedback.summary()


@pytest.mark.parametrize("example", [EX2, EX3], ids=["Example 2", "Example 3"])
@pytest.mark.parametrize("order, mixed, mistake", [("layerwise", "delta_top", "old_weights"),
                                                   ("simultaneous", "delta_bottom", "updated_weights")])
def test_a_mix_of_the_two_orders_is_told(example, order, mixed, mistake):
    other = "simultaneous" if order == "layerwise" else "layerwise"
    answer = {k: round(v, 6) for k, v in by_hand(example, order).items()}
    answer[mixed] = round(by_hand(example, other)[mixed], 6)   # one hidden error in the other order
    feedback = checks.check_example(answer, example)
    line = next(l for l in feedback.lines if l.key == mixed)
    assert feedback.order == order, str(feedback)
    assert line.status == "wrong" and line.mistake == mistake and "not a mix" in line.message, line


def test_an_explicit_order_accepts_that_order_only():
    answer = {k: round(v, 4) for k, v in by_hand(EX3, "simultaneous").items()}
    feedback = checks.check_example(answer, EX3, "layerwise")
    line = next(l for l in feedback.lines if l.key == "delta_top")
    assert line.mistake == "old_weights" and "This question follows the slides" in line.message, line
    assert checks.check_example(answer, EX3, "simultaneous").all_correct


def test_numbers_that_fit_both_orders_name_neither():
    answer = {k: (round(v, 4) if k in ("z_top", "y_top", "z_final") else ...) for k, v in by_hand(EX2, "layerwise").items()}
    feedback = checks.check_example(answer, EX2)
    assert feedback.order is None and "either update order" in feedback.summary()
    assert feedback.status("z_top") == "correct"


# ---------------------------------------------------------------- checker slips (issue 10, item 1.8)

EX1_NET = bplib.Network([np.array([[0.1, 0.3, -0.2], [0.4, -0.1, 0.2]]), np.array([[0.5, -0.3], [0.2, 0.6], [-0.4, 0.1]])])


def test_numbers_computed_from_an_earlier_wrong_number_through_an_unasked_z_follow():
    # Exercise 1 asks for the outputs, not z. A student who passes z on as the hidden outputs writes
    # y_A = z_A = 1 * 0.1 + 0.5 * 0.4 = 0.3, y_B = 0.3 - 0.05 = 0.25, y_C = -0.2 + 0.1 = -0.1, then applies
    # the sigmoid at the outputs correctly: y_alpha = sigma(0.5 * 0.3 + 0.2 * 0.25 - 0.4 * -0.1) = sigma(0.24)
    from scipy.special import expit
    layers, x, t = examples.example1(), np.array([[1.0, 0.5]]), np.array([[1.0, 0.0]])
    asked = ["y_A", "y_B", "y_C", "y_alpha", "y_beta"]
    ref = checks.reference(layers, EX1_NET, x, t, 0.5, "simultaneous", keys=asked)
    answer = {"y_A": 0.3, "y_B": 0.25, "y_C": -0.1, "y_alpha": round(float(expit(0.24)), 4),
              "y_beta": round(float(expit(-0.3 * 0.3 + 0.6 * 0.25 + 0.1 * -0.1)), 4)}
    feedback = checks.check(answer, ref)
    assert [feedback.status(k) for k in asked] == ["wrong"] * 3 + ["follows"] * 2, str(feedback)
    assert feedback.lines[0].mistake == "z_in_forward"
    assert all(l.root == "y_A y_B y_C" and "fix y_A, y_B and y_C and" in l.message for l in feedback.lines[3:])
    assert "through z_alpha" in feedback.lines[3].message, str(feedback)


def three_layer(y_R=None):
    """Exercise 5's network by hand (true gradient), optionally with y_R replaced by a student's value."""
    from scipy.special import expit
    W1, W2, W3 = np.array([[0.2, -0.3], [0.4, 0.1]]), np.array([[0.5, 0.2], [-0.6, 0.3]]), np.array([0.7, -0.4])
    x, t = np.array([1.0, 0.5]), 1.0
    y1 = expit(x @ W1)
    y2 = expit(y1 @ W2)
    if y_R is not None:
        y2[0] = y_R
    y3 = expit(y2 @ W3)
    d3 = -y3 * (1 - y3) * (t - y3)
    d2 = y2 * (1 - y2) * W3 * d3
    d1 = y1 * (1 - y1) * (W2 @ d2)
    v = {"y_P": y1[0], "y_Q": y1[1], "y_R": y2[0], "y_S": y2[1], "y_F": y3, "delta_F": d3,
         "w_RF_new": 0.7 - d3 * y2[0], "w_SF_new": -0.4 - d3 * y2[1], "delta_R": d2[0], "delta_S": d2[1]}
    for i, a in enumerate("PQ"):
        for j, b in enumerate("RS"):
            v[f"w_{a}{b}_new"] = W2[i, j] - d2[j] * y1[i]
    v["delta_P"], v["delta_Q"] = d1
    for i, a in enumerate("AB"):
        for j, b in enumerate("PQ"):
            v[f"w_{a}{b}_new"] = W1[i, j] - d1[j] * x[i]
    return {k: float(val) for k, val in v.items()}


def three_layer_reference():
    names = [("A", "B"), ("P", "Q"), ("R", "S"), ("F",)]
    net = bplib.Network([np.array([[0.2, -0.3], [0.4, 0.1]]), np.array([[0.5, 0.2], [-0.6, 0.3]]),
                         np.array([[0.7], [-0.4]])])
    asked = [e.key for e in expressions.all_expressions(names) if e.kind != "z" and not e.key.endswith("_2")]
    return checks.reference(names, net, np.array([[1.0, 0.5]]), np.array([[1.0]]), 1.0, "simultaneous",
                            keys=asked, decimals=5)


def test_a_too_coarse_number_does_not_poison_what_follows():
    # y_R = 0.50916 written as 0.509, everything after it computed from 0.509 and given to five decimals
    ref = three_layer_reference()
    answer = {k: round(v, 5) for k, v in three_layer(y_R=0.509).items()}
    answer["y_R"] = 0.509
    feedback = checks.check(answer, ref)
    assert feedback.status("y_R") == "coarse", str(feedback)
    assert {l.status for l in feedback.lines if l.key != "y_R"} == {"correct"}, str(feedback)
    assert "to fix" not in feedback.summary() and "1 too coarse" in feedback.summary(), feedback.summary()


def test_an_answer_only_too_coarse_is_counted_coarse_not_wrong():
    ref = three_layer_reference()
    feedback = checks.check({k: round(v, 4) for k, v in three_layer().items()}, ref)
    assert {l.status for l in feedback.lines} <= {"correct", "coarse"}, str(feedback)
    assert "to fix" not in feedback.summary() and "Start with" not in feedback.summary(), feedback.summary()


def test_a_number_from_a_flagged_input_is_not_correct_by_the_inputs_rounding():
    # z_top_2 = 0.7485 (exact 0.7528) is wrong; sigma(0.7485) = 0.67885, written 0.6788, is right for it,
    # 0.001 from the exact 0.6798: the 4 decimals written for z_top_2 allow 0.218 * 0.00005, not 0.001
    answer = {k: round(v, 4) for k, v in by_hand(EX2, "layerwise").items()}
    answer.update(z_top_2=0.7485, y_top_2=0.6788)
    feedback = checks.check_example(answer, EX2)
    assert feedback.status("z_top_2") == "wrong" and feedback.status("y_top_2") == "follows", str(feedback)
    answer.update(y_top_2=0.6798)   # the exact value, whatever z_top_2 was, is correct
    assert checks.check_example(answer, EX2).status("y_top_2") == "correct"


def test_the_same_slip_in_example3_no_eta():
    # no eta: z_bottom_2 = 0.1 * 0.3005 + 0.7 * 0.2032 = 0.1723 (exact 0.1763); y_bottom_2 = sigma(0.1723) = 0.5430
    # is right for it but 0.001 from the exact 0.5440: it follows, it is not correct
    feedback = checks.check_example(with_mistake(EX3, "no_eta"), EX3, "layerwise")
    assert feedback.status("z_bottom_2") == "follows" and feedback.status("y_bottom_2") == "follows", str(feedback)


def test_a_mistake_carried_from_earlier_is_not_blamed_where_the_earlier_numbers_are_right():
    # no_derivative_output carried to z_top_2 gives 0.7484; a student whose delta_final and new weights
    # are right did not make that mistake, so their 0.7484 is not explained by it
    ref = checks.reference(EX2, EX2.net, EX2.x, EX2.t, EX2.eta, "layerwise")
    carried = round(ref.mistakes["no_derivative_output"]["z_top_2"], 4)
    answer = dict({k: round(v, 4) for k, v in by_hand(EX2, "layerwise").items()}, z_top_2=carried)
    line = next(l for l in checks.check_example(answer, EX2).lines if l.key == "z_top_2")
    assert line.status == "wrong" and line.mistake == "" and "does not follow" in line.message, line
    alone = dict.fromkeys(SLIDE_KEYS, ...) | {"z_top_2": carried}   # nothing earlier answered: it may be the cause
    line = next(l for l in checks.check_example(alone, EX2).lines if l.key == "z_top_2")
    assert line.mistake == "no_derivative_output", line


@pytest.mark.parametrize("slip", ["no_eta", "z_in_derivative", "no_derivative_output", "sign_update"])
def test_a_slip_carried_through_the_slides_order_is_judged_in_the_slides_order(slip):
    # in Example 3 a few later numbers of these slips round to the true gradient's values (z_in_derivative's
    # delta_bottom: 0.17 * 0.83 * 0.1706 * -0.0651 = -0.0016, and 0.2482 * 0.1 * -0.0651 = -0.0016 too);
    # the order is still the slides', where every number is the slip or follows from it
    feedback = checks.check_example(with_mistake(EX3, slip), EX3)
    assert feedback.order == "layerwise", str(feedback)
    assert {l.status for l in feedback.lines} <= {"correct", "wrong", "follows"}
    assert all(l.mistake == slip for l in feedback.lines if l.status == "wrong"), str(feedback)


# ---- the exercise author's arguments: an error names the one at fault ----

EX1_NAMES, EX1_NETWORK = examples.example1(), examples.example1_network(rng=0)


@pytest.mark.parametrize("structure, net, name, expected, received", [
    (EX1_NAMES, bplib.Network.random([2, 3, 2], rng=0), "net", "no biases", "biases in layers [0, 1]"),
    (EX1_NAMES, bplib.Network.random([2, 2, 2], bias=False, rng=0), "net", "[2, 3, 2]", "[2, 2, 2]"),
    (EX1_NAMES, bplib.Network.random([2, 3, 3, 2], bias=False, rng=0), "net", "[2, 3, 2]", "[2, 3, 3, 2]"),
    (EX1_NAMES, bplib.Network.random([2, 3, 2], ["relu", "sigmoid"], bias=False, rng=0), "net", "sigmoid",
     "['relu', 'sigmoid']"),
    (examples.example2(), EX1_NETWORK, "net", "[2, 2, 1]", "[2, 3, 2]"),
    ([["a", "b"], [], ["c", "d"]], EX1_NETWORK, "structure", "non-empty", "layer 1: []"),
    ([["a", "b"], [1, 2, 3], ["c", "d"]], EX1_NETWORK, "structure", "unit names", "layer 1: [1, 2, 3]"),
    ([["A", "B"], ["A", "C", "D"], ["E", "F"]], EX1_NETWORK, "structure", "distinct unit names", "['A']"),
])
def test_reference_names_the_argument_at_fault(structure, net, name, expected, received):
    """The message starts with the argument's name, then says what was expected and what was received."""
    with pytest.raises(ValueError) as raised:
        checks.reference(structure, net, np.array([[0.3, 0.7]]), np.array([[1.0, 0.0]]), 0.5)
    message = str(raised.value)
    assert message.startswith(f"{name} must"), message
    said, got = message.split("; received ", 1)
    assert expected in said and received in got, message
