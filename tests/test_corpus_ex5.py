"""Exercise 5 (two hidden layers by hand), answers as students type them, and what the check cell
must print for each.

Each row: the entries the student typed differently from the solved answer (as source text), what
they did, the verdict per number (every number not named: correct) and the words the feedback must
contain; run through the notebook's own student and check cells. Every number is derived here by
hand, in plain Python (`corpus_helpers.backward_step`), from the exercise's network: A, B to P, Q
[[0.2, -0.3], [0.4, 0.1]], P, Q to R, S [[0.5, 0.2], [-0.6, 0.3]], R, S to F [[0.7], [-0.4]],
input (1, 0.5), target 1, eta = 1, the true gradient; 5 decimals asked.
"""
import pytest

from corpus_helpers import Case, Notebook, assert_check_cell_says, backward_step, cut, param, rounded, solved

NB = Notebook("ex5_three_layer.ipynb")
SETUP = ("import bplib", "ref = checks.reference")
STUDENT = NB.cell('"y_P"', student=True)

W = [[[0.2, -0.3], [0.4, 0.1]], [[0.5, 0.2], [-0.6, 0.3]], [[0.7], [-0.4]]]
X, T, ETA = [1.0, 0.5], [1.0], 1.0
ZS, YS, DELTAS, NEW = backward_step(W, X, T, ETA)
LAYERS = [["A", "B"], ["P", "Q"], ["R", "S"], ["F"]]

H = {f"y_{u}": YS[1 + l][i] for l in range(3) for i, u in enumerate(LAYERS[1 + l])}
for l in (2, 1, 0):   # as the exercise asks them: from the output layer down
    H.update({f"delta_{u}": DELTAS[l][j] for j, u in enumerate(LAYERS[l + 1])})
    H.update({f"w_{a}{b}_new": NEW[l][i][j] for j, b in enumerate(LAYERS[l + 1]) for i, a in enumerate(LAYERS[l])})
KEYS = list(H)
Z = {f"z_{u}": ZS[l][i] for l in range(3) for i, u in enumerate(LAYERS[l + 1])}
OLD = {f"w_{a}{b}": W[l][i][j] for l in range(3) for i, a in enumerate(LAYERS[l]) for j, b in enumerate(LAYERS[l + 1])}
R5 = {k: round(v, 5) for k, v in H.items()}


def slope(y):
    return y * (1 - y)


ONLY_R = slope(H["y_P"]) * OLD["w_PR"] * H["delta_R"]                      # the S term forgotten
OTHER_UNITS = slope(H["y_Q"]) * (OLD["w_PR"] * H["delta_R"] + OLD["w_PS"] * H["delta_S"])   # P's weights for Q
UPDATED = slope(H["y_R"]) * H["w_RF_new"] * H["delta_F"]
RECEIVING = OLD["w_RF"] - ETA * H["delta_F"] * H["y_F"]
SIGN_F = slope(H["y_F"]) * (T[0] - H["y_F"])
NO_SLOPE_S = OLD["w_SF"] * H["delta_F"]
Z_SLOPE = -slope(Z["z_F"]) * (T[0] - H["y_F"])
TWICE = OLD["w_QS"] - 2 * ETA * H["delta_S"] * H["y_Q"]
SWAPPED_INPUTS = 1 / (1 + 2.718281828459045 ** -(OLD["w_BP"] * X[0] + OLD["w_AP"] * X[1]))   # w_AP and w_BP swapped

FIRST_LAYER = ["w_AP_new", "w_BP_new", "w_AQ_new", "w_BQ_new"]

CASES = [
    Case("every number to six decimals", {k: rounded(v, 6) for k, v in H.items()}, {},
         {"summary": "all 20 correct"}),
    Case("y_P and y_Q to four decimals", {"y_P": rounded(H["y_P"], 4), "y_Q": rounded(H["y_Q"], 4)},
         {"y_P": "coarse", "y_Q": "coarse"}, {"y_P": "give 5 decimals", "summary": "2 too coarse"}),
    Case("delta_P to four decimals, its final zero dropped by Python", {"delta_P": rounded(H["delta_P"], 4)},
         {"delta_P": "coarse"}, {"delta_P": ["give 5 decimals", f"if you typed {rounded(round(H['delta_P'], 4), 5)}"]}),
    Case("y_F typed 0.53280, which Python keeps as 0.5328", {"y_F": "0.53280"}, {"y_F": "coarse"},
         {"y_F": ["Python drops final zeros", "0.53280 is not it either"]}, {"y_F": "add a decimal"}),
    Case("delta_S cut off after five decimals", {"delta_S": cut(H["delta_S"], 5)}, {"delta_S": "wrong"},
         {"delta_S": ["cut off", rounded(H["delta_S"], 5)]}),
    Case("y_S rounded up the wrong way", {"y_S": rounded(H["y_S"] + 1e-5, 5)}, {"y_S": "wrong"},
         {"y_S": ["one unit off", rounded(H["y_S"], 5)]}),
    Case("delta_P from R alone (the S term forgotten), P's weights from it",
         {"delta_P": rounded(ONLY_R, 5), "w_AP_new": rounded(OLD["w_AP"] - ETA * round(ONLY_R, 5) * X[0], 5),
          "w_BP_new": rounded(OLD["w_BP"] - ETA * round(ONLY_R, 5) * X[1], 5)},
         {"delta_P": "wrong", "w_AP_new": "follows", "w_BP_new": "follows"},
         {"delta_P": ["does not follow", "delta_R*w_PR + delta_S*w_PS"], "w_BP_new": "fix delta_P"}),
    Case("delta_Q sent back through P's weights", {"delta_Q": rounded(OTHER_UNITS, 5)}, {"delta_Q": "wrong"},
         {"delta_Q": ["does not follow", "w_QR"]}),
    Case("delta_R through the updated w_RF", {"delta_R": rounded(UPDATED, 5)}, {"delta_R": "wrong"},
         {"delta_R": ["UPDATED", "OLD weight w_RF = 0.7"]}),
    Case("y_F, not y_R, in w_RF_new", {"w_RF_new": rounded(RECEIVING, 5)}, {"w_RF_new": "wrong"},
         {"w_RF_new": ["comes FROM", "(y_R)"]}),
    Case("the minus of delta_F forgotten, the weights into F from it",
         {"delta_F": rounded(SIGN_F, 5),
          "w_RF_new": rounded(OLD["w_RF"] - ETA * round(SIGN_F, 5) * R5["y_R"], 5),
          "w_SF_new": rounded(OLD["w_SF"] - ETA * round(SIGN_F, 5) * R5["y_S"], 5)},
         {"delta_F": "wrong", "w_RF_new": "follows", "w_SF_new": "follows"},
         {"delta_F": "sign", "w_SF_new": "fix delta_F"}),
    Case("y(1 - y) left out of delta_S", {"delta_S": rounded(NO_SLOPE_S, 5)}, {"delta_S": "wrong"},
         {"delta_S": ["missing sigmoid derivative", "y_S"]}),
    Case("the slope of F from z_F", {"delta_F": rounded(Z_SLOPE, 5)}, {"delta_F": "wrong"},
         {"delta_F": ["used z where y belongs", "z_F"]}),
    Case("the change of w_QS subtracted twice", {"w_QS_new": rounded(TWICE, 5)}, {"w_QS_new": "wrong"},
         {"w_QS_new": "twice the change"}),
    Case("y_P with w_AP and w_BP swapped", {"y_P": rounded(SWAPPED_INPUTS, 5)}, {"y_P": "wrong"},
         {"y_P": ["does not follow", "sigmoid(z_P)"]}),
    Case("numbers copied from a float32 computation", {k: f"np.float32({R5[k]})" for k in ("y_R", "delta_F")}, {},
         prelude="import numpy as np\n"),
    Case("two weights typed as text", {"w_PS_new": f"'{R5['w_PS_new']}'", "w_QS_new": f'"{R5["w_QS_new"]}"'},
         {"w_PS_new": "unreadable", "w_QS_new": "unreadable"}, {"w_QS_new": "without quotes"}),
    Case("the first layer's weights not done yet", dict.fromkeys(FIRST_LAYER, "..."),
         dict.fromkeys(FIRST_LAYER, "not answered"),
         {"summary": ["16 of 20 correct", "4 not answered yet"]}),
]


@pytest.mark.parametrize("case", [param(c) for c in CASES])
def test_what_the_check_cell_says(case):
    assert_check_cell_says(NB, SETUP, STUDENT, case, "checks.check(answer, ref)", KEYS)


def test_the_solved_answer_is_the_hand_calculation_rounded():
    assert solved(STUDENT)["answer"] == R5
