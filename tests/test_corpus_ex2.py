"""Exercise 2 (the lecture's Example 2 by hand), answers as students type them, and what the check
cell must print for each.

Each row: the entries the student typed differently from the solved answer (as source text), what
they did, the verdict per number (every number not named: correct) and the words the feedback must
contain; run through the notebook's own student and check cells. Every number is derived here by
hand, in plain Python (`corpus_helpers`), from the lecture's Example 2: inputs 0.35 and 0.9,
w_AT = 0.1, w_BT = 0.8, w_AB = 0.4, w_BB = 0.6, w_TF = 0.3, w_BF = 0.9, target 0.5, eta = 1, in the
slides' order (output weights updated first) or as the true gradient; the decimals asked are the
slides'.
"""
import pytest

from corpus_helpers import Case, Notebook, assert_check_cell_says, param, rounded, solved, two_two_one

NB = Notebook("ex2_example2.ipynb")
SETUP = ("import bplib", "ex = examples.example2()")
STUDENT = NB.cell('"z_top"', student=True)
SLIDES = ("0.76 0.68 0.68 0.66 0.80 0.69 0.041 0.27 0.87 0.0024 0.008 0.099 0.798 0.397 0.593 "
          "0.75 0.67 0.68 0.66 0.76 0.68").split()    # the lecture's printed numbers, in the order below

W = [[[0.1, 0.4], [0.8, 0.6]], [[0.3], [0.9]]]
X, T, ETA = [0.35, 0.9], [0.5], 1.0
H, TRUE = two_two_one(W, X, T, ETA, "layerwise"), two_two_one(W, X, T, ETA, "simultaneous")
KEYS = list(H)
R4 = {k: round(v, 4) for k, v in H.items()}


def slope(y):
    return y * (1 - y)


def output_weights(delta_final):
    """w_TF_new and w_BF_new from the student's delta_final, typed to 4 decimals."""
    d = round(delta_final, 4)
    return {"w_TF_new": rounded(0.3 - ETA * d * R4["y_top"], 4), "w_BF_new": rounded(0.9 - ETA * d * R4["y_bottom"], 4)}


SIGN = slope(H["y_final"]) * (T[0] - H["y_final"])
NO_SLOPE = -(T[0] - H["y_final"])
Z_SLOPE = -slope(H["z_final"]) * (T[0] - H["y_final"])
WRONG_WEIGHT = slope(H["y_top"]) * H["w_BF_new"] * H["delta_final"]     # Bottom's weight on Top's path
TWICE = 0.3 - 2 * ETA * H["delta_final"] * H["y_top"]
UPHILL = 0.3 + ETA * H["delta_final"] * H["y_top"]
OTHER_INPUT = 0.1 - ETA * H["delta_top"] * X[1]                          # x_B in the update of w_AT

CASES = [
    Case("the slides' printed numbers", dict(zip(KEYS, SLIDES)), {}, {"summary": "all 21 correct"}),
    Case("the true gradient, to four decimals", {k: rounded(v, 4) for k, v in TRUE.items()}, {},
         {"summary": ["true gradient", "all 21 correct"]}),
    Case("every number to six decimals", {k: rounded(v, 6) for k, v in H.items()}, {},
         {"summary": ["slides' order", "all 21 correct"]}),
    Case("z_top and z_bottom as exact fractions", {"z_top": "Fraction(35, 100) * Fraction(1, 10) + Fraction(9, 10) * "
                                                            "Fraction(8, 10)", "z_bottom": "Fraction(17, 25)"}, {},
         prelude="from fractions import Fraction\n"),
    Case("outputs copied from a float32 array", {k: f"np.float32({R4[k]})" for k in ("y_top", "y_final")}, {},
         prelude="import numpy as np\n"),
    Case("the minus of -(t - y) forgotten, the output weights from it",
         {"delta_final": rounded(SIGN, 4), **output_weights(SIGN)},
         {"delta_final": "wrong", "w_TF_new": "follows", "w_BF_new": "follows"},
         {"delta_final": "sign", "w_TF_new": "fix delta_final"}),
    Case("y(1 - y) forgotten at the output, the output weights from it",
         {"delta_final": rounded(NO_SLOPE, 4), **output_weights(NO_SLOPE)},
         {"delta_final": "wrong", "w_TF_new": "follows", "w_BF_new": "follows"},
         {"delta_final": "missing sigmoid derivative"}),
    Case("the slope of Final from z_final", {"delta_final": rounded(Z_SLOPE, 4)}, {"delta_final": "wrong"},
         {"delta_final": "used z where y belongs"}),
    Case("delta_top sent back through w_BF_new", {"delta_top": rounded(WRONG_WEIGHT, 4)}, {"delta_top": "wrong"},
         {"delta_top": ["does not follow", "delta_final*w_TF_new"]}),
    Case("the change of w_TF subtracted twice", {"w_TF_new": rounded(TWICE, 4)}, {"w_TF_new": "wrong"},
         {"w_TF_new": "twice the change"}, {"w_TF_new": "does not follow"}),
    Case("w_TF moved uphill", {"w_TF_new": rounded(UPHILL, 4)}, {"w_TF_new": "wrong"},
         {"w_TF_new": ["sign", "subtracts"]}),
    Case("the second forward pass with the old weights", {"z_top_2": rounded(H["z_top"], 4)}, {"z_top_2": "wrong"},
         {"z_top_2": ["does not follow", "w_AT_new", "w_BT_new"]}),
    Case("a slip of 0.01 in z_final", {"z_final": rounded(H["z_final"] + 0.01, 4)}, {"z_final": "wrong"},
         {"z_final": "does not follow"}),
    Case("x_B in the update of w_AT", {"w_AT_new": rounded(OTHER_INPUT, 4)}, {"w_AT_new": "wrong"},
         {"w_AT_new": ["does not follow", "in_A"]}),
    Case("delta_top from the true gradient, the rest in the slides' order",
         {"delta_top": rounded(TRUE["delta_top"], 4)},
         {"delta_top": "wrong"}, {"delta_top": ["OLD", "not a mix", "one order"]}),
    Case("the whole answer to two decimals", {k: rounded(v, 2) for k, v in H.items()},
         dict.fromkeys(["delta_top", "delta_bottom", "w_AB_new", "w_BB_new"], "coarse"),
         {"delta_top": "give 4 decimals", "w_AB_new": "give 3 decimals", "summary": "4 too coarse"}),
    Case("the last output left as ...", {"y_final_2": "..."}, {"y_final_2": "not answered"}),
]


@pytest.mark.parametrize("case", [param(c) for c in CASES])
def test_what_the_check_cell_says(case):
    assert_check_cell_says(NB, SETUP, STUDENT, case, "check_example(answer, ex)", KEYS)


def test_the_solved_answer_is_the_hand_calculation_rounded():
    assert solved(STUDENT)["answer"] == R4
