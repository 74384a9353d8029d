"""Answers as students type them, and what the checker must say (issue: precision, and exercise 4's
function checks).

Every answer and function here is typed by hand, the way a student would, against the exercises'
own references (built as the notebooks' cells build them). The precision policy under test is the
one in `bplib.checks._judging`'s docstring: "to 4 decimals" means the exact value rounded to 4
decimals (within one unit of the last decimal for numbers computed from your own rounded earlier
numbers); fewer decimals than asked is too coarse, never correct; a wrong number is wrong whatever
its last digits; a number that follows correctly from a wrong earlier number is marked as following
from it; a number that is the exact value cut off instead of rounded is named as truncated.
"""
import numpy as np
import pytest

import bplib
from bplib import checks, examples
from bplib.checks import expressions


def ex1_reference():
    """Exercise 1's reference, as its notebook builds it."""
    layers = examples.example1()
    net = bplib.Network([np.array([[0.1, 0.3, -0.2], [0.4, -0.1, 0.2]]),
                         np.array([[0.5, -0.3], [0.2, 0.6], [-0.4, 0.1]])])
    x, t, eta = np.array([[1.0, 0.5]]), np.array([[1.0, 0.0]]), 0.5
    asked = ([e.key for e in expressions.all_expressions(layers) if e.kind == "out" and not e.key.endswith("_2")]
             + [e.key for e in expressions.update_expressions(layers)])
    return checks.reference(layers, net, x, t, eta, order="simultaneous", keys=asked, title="Example 1 with numbers")


def ex5_reference():
    """Exercise 5's reference, as its notebook builds it (5 decimals asked)."""
    names = [("A", "B"), ("P", "Q"), ("R", "S"), ("F",)]
    net = bplib.Network([np.array([[0.2, -0.3], [0.4, 0.1]]), np.array([[0.5, 0.2], [-0.6, 0.3]]),
                         np.array([[0.7], [-0.4]])])
    asked = [e.key for e in expressions.all_expressions(names) if e.kind != "z" and not e.key.endswith("_2")]
    return checks.reference(names, net, np.array([[1.0, 0.5]]), np.array([[1.0]]), 1.0, order="simultaneous",
                            keys=asked, decimals=5, title="Two hidden layers")


# Exercise 1's solved answer, as the notebook has it
EX1 = {"y_A": 0.5744, "y_B": 0.5622, "y_C": 0.475, "y_alpha": 0.5522, "y_beta": 0.5529,
       "delta_alpha": -0.1107, "delta_beta": 0.1367, "w_A_alpha_new": 0.5318, "w_A_beta_new": -0.3393,
       "w_B_alpha_new": 0.2311, "w_B_beta_new": 0.5616, "w_C_alpha_new": -0.3737, "w_C_beta_new": 0.0675,
       "delta_A": -0.0236, "delta_B": 0.0147, "delta_C": 0.0145, "w_lambda_A_new": 0.1118,
       "w_Omega_A_new": 0.4059, "w_lambda_B_new": 0.2926, "w_Omega_B_new": -0.1037, "w_lambda_C_new": -0.2072,
       "w_Omega_C_new": 0.1964}

# Exercise 5's solved answer
EX5 = {"y_P": 0.59869, "y_Q": 0.43782, "y_R": 0.50916, "y_S": 0.56244, "y_F": 0.53281, "delta_F": -0.11629,
       "w_RF_new": 0.75921, "w_SF_new": -0.33459, "delta_R": -0.02034, "delta_S": 0.01145, "w_PR_new": 0.51218,
       "w_QR_new": -0.59109, "w_PS_new": 0.19315, "w_QS_new": 0.29499, "delta_P": -0.00189, "delta_Q": 0.00385,
       "w_AP_new": 0.20189, "w_BP_new": 0.40095, "w_AQ_new": -0.30385, "w_BQ_new": 0.09808}


def line(feedback, key):
    return next(l for l in feedback.lines if l.key == key)


# ================================================================================================
# Precision
# ================================================================================================

def test_ex1_the_solved_answer_is_all_correct():
    assert checks.check(dict(EX1), ex1_reference()).all_correct


def test_ex1_delta_alpha_to_two_decimals_from_coarse_inputs_is_too_coarse_not_correct():
    # the student rounded y_alpha to 0.55 and then delta_alpha = -(1 - 0.55) * 0.55 * 0.45 = -0.111 to -0.11
    feedback = checks.check(dict(EX1, y_alpha=0.55, delta_alpha=-0.11), ex1_reference())
    got = line(feedback, "delta_alpha")
    assert got.status == "coarse", feedback
    assert "4 decimals" in got.message, feedback


def test_ex1_delta_alpha_to_two_decimals_alone_is_too_coarse():
    got = line(checks.check(dict(EX1, delta_alpha=-0.11), ex1_reference()), "delta_alpha")
    assert got.status == "coarse" and "4 decimals" in got.message, got


def test_ex1_a_wrong_delta_C_ending_in_zero_is_wrong_not_too_coarse():
    # exact 0.014453; the student typed 0.0150 (Python keeps 0.015): wrong, and no "add a decimal"
    got = line(checks.check(dict(EX1, delta_C=0.0150), ex1_reference()), "delta_C")
    assert got.status == "wrong", got
    assert "drops a final 0" not in got.message and "too coarse" not in got.message, got
    assert "0.015" in got.message, got


def test_ex1_a_truncated_y_B_is_named_as_truncated():
    # exact 0.562177: cut off after 4 decimals, not rounded
    got = line(checks.check(dict(EX1, y_B=0.5621), ex1_reference()), "y_B")
    assert got.status == "wrong" and got.mistake == "truncated", got
    assert "cut off" in got.message and "0.5622" in got.message and "does not follow" not in got.message, got


def test_ex1_a_rounded_answer_with_a_final_zero_dropped_is_correct():
    # y_C = 0.47502 to 4 decimals is 0.4750, which Python prints 0.475
    assert line(checks.check(dict(EX1), ex1_reference()), "y_C").status == "correct"


def test_ex5_a_missing_S_term_written_with_final_zeros_is_wrong_and_what_follows_is_not_correct():
    # delta_Q without the S term: 0.24614 * (-0.02034 * -0.6) = 0.00300, typed 0.00300;
    # then w_AQ_new = -0.3 - 1 * 1.0 * 0.003 and w_BQ_new = 0.1 - 1 * 0.5 * 0.003, typed to 5 decimals
    answer = dict(EX5, delta_Q=0.00300, w_AQ_new=-0.30300, w_BQ_new=0.09850)
    feedback = checks.check(answer, ex5_reference())
    assert line(feedback, "delta_Q").status == "wrong", feedback
    assert "too coarse" not in line(feedback, "delta_Q").message, feedback
    for key in ("w_AQ_new", "w_BQ_new"):
        assert line(feedback, key).status == "follows", feedback
        assert "delta_Q" in line(feedback, key).message, feedback


def test_ex5_a_coarse_but_rightly_rounded_number_is_still_too_coarse():
    got = line(checks.check(dict(EX5, delta_Q=0.004), ex5_reference()), "delta_Q")
    assert got.status == "coarse" and "5 decimals" in got.message, got


def test_a_plain_number_follows_the_same_policy():
    ref = checks.values_reference({"g": -0.066816}, "Part 3", decimals=4)
    assert checks.check({"g": -0.0668}, ref).lines[0].status == "correct"
    assert checks.check({"g": -0.07}, ref).lines[0].status == "coarse"
    assert checks.check({"g": -0.060}, ref).lines[0].status == "wrong"       # not -0.07 rounded: wrong
    truncated = checks.check({"g": -0.0668 + 0.0}, checks.values_reference({"g": -0.066876}, "P", decimals=4))
    assert truncated.lines[0].mistake == "truncated", truncated


# ================================================================================================
# Exercise 4's functions
# ================================================================================================

def sigmoid_prime_rounded(y):
    return round(y * (1 - y), 4) if np.ndim(y) == 0 else np.round(y * (1 - y), 4)


def sigmoid_prime_float32(y):
    y = np.asarray(y, dtype=np.float32)
    return y * (1 - y)


def sigmoid_prime_plus(y):
    return y * (1 + y)


def central_difference_text(f, w, eps):
    return f"{(f(w + eps) - f(w - eps)) / (2 * eps):.6f}"


def central_difference_str(f, w, eps):
    return str((f(w + eps) - f(w - eps)) / (2 * eps))


def central_difference_precedence(f, w, eps):
    return (f(w + eps) - f(w - eps)) / 2*eps


def central_difference_rounded(f, w, eps):
    return round((f(w + eps) - f(w - eps)) / (2 * eps), 4)


def sigmoid_prime_list_of_text(y):
    return [str(v * (1 - v)) for v in np.atleast_1d(y)]


def sigmoid_prime_none_inside(y):
    return [None for _ in np.atleast_1d(y)]


@pytest.mark.parametrize("fn, name, mistake, words", [
    pytest.param(sigmoid_prime_rounded, "sigmoid_prime", "rounded", ["rounded to 4 decimals", "unrounded"],
                 id="round(y * (1 - y), 4)"),
    pytest.param(central_difference_rounded, "central_difference", "rounded", ["rounded to 4 decimals"],
                 id="round(central difference, 4)"),
    pytest.param(central_difference_precedence, "central_difference", "precedence", ["(2 * eps)", "precedence"],
                 id="/ 2*eps"),
    pytest.param(sigmoid_prime_plus, "sigmoid_prime", "plus", ["1 - y", "minus"], id="y * (1 + y)"),
])
def test_a_named_slip_shows_input_expected_and_received(fn, name, mistake, words):
    got = checks.check_function(fn, name).lines[0]
    assert got.status == "wrong" and got.mistake == mistake, got
    assert "returned" in got.message and "expected" in got.message, got
    assert all(w in got.message for w in words), got


@pytest.mark.parametrize("fn", [central_difference_text, central_difference_str])
def test_central_difference_returning_text_is_refused(fn):
    got = checks.check_function(fn, "central_difference").lines[0]
    assert got.status == "unreadable" and "text" in got.message, got


@pytest.mark.parametrize("fn", [sigmoid_prime_list_of_text, sigmoid_prime_none_inside])
def test_sigmoid_prime_returning_no_numbers_is_refused(fn):
    got = checks.check_function(fn, "sigmoid_prime").lines[0]
    assert got.status == "unreadable" and "number" in got.message, got


def test_a_float32_sigmoid_prime_is_correct():
    assert checks.check_function(sigmoid_prime_float32, "sigmoid_prime").all_correct


def test_a_wrong_function_shows_one_input_expected_and_received():
    got = checks.check_function(lambda y: y * (1 - y) + 0.01, "sigmoid_prime").lines[0]
    assert got.status == "wrong", got
    assert "expected" in got.message and "returned" in got.message and "which is not it" not in got.message, got
    assert "..." not in got.message, got


def test_right_functions_are_still_correct():
    assert checks.check_function(lambda y: y * (1 - y), "sigmoid_prime").all_correct
    assert checks.check_function(lambda y: y - y ** 2, "sigmoid_prime").all_correct
    assert checks.check_function(lambda f, w, eps: (f(w + eps) - f(w - eps)) / (2 * eps), "central_difference").all_correct
    assert checks.check_function(lambda f, w, eps: (f(w + eps) - f(w - eps)) / 2 / eps, "central_difference").all_correct
