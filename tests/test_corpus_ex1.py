"""Exercise 1 (every update of a 2-3-2 network), answers as students type them, and what the check
cell must print for each.

Each row: what the student typed into the answer dict (the entries that differ from the solved
answer, as source text), what they did, the verdict per number (every number not named: correct)
and the words the feedback must contain. The row is put into the notebook's own student cell and
run through its own check cell. Every number typed here is derived below by hand, in plain Python
(`corpus_helpers.backward_step`), from the exercise's network: weights from lambda, Omega to A, B, C
[[0.1, 0.3, -0.2], [0.4, -0.1, 0.2]], from A, B, C to alpha, beta [[0.5, -0.3], [0.2, 0.6],
[-0.4, 0.1]], input (1, 0.5), targets (1, 0), eta = 0.5, the true gradient (old weights); 4
decimals asked.
"""
import pytest

from corpus_helpers import Case, Notebook, assert_check_cell_says, backward_step, cut, param, rounded, solved

NB = Notebook("ex1_example1.ipynb")
SETUP = ("import bplib", "ref = checks.reference")
STUDENT = NB.cell('"y_A"', student=True)

W = [[[0.1, 0.3, -0.2], [0.4, -0.1, 0.2]], [[0.5, -0.3], [0.2, 0.6], [-0.4, 0.1]]]
X, T, ETA = [1.0, 0.5], [1.0, 0.0], 0.5
ZS, YS, DELTAS, NEW = backward_step(W, X, T, ETA)
HIDDEN, OUTPUTS, INPUTS = ["A", "B", "C"], ["alpha", "beta"], ["lambda", "Omega"]

H = {f"y_{u}": YS[1][i] for i, u in enumerate(HIDDEN)}
H.update({f"y_{u}": YS[2][j] for j, u in enumerate(OUTPUTS)})
H.update({f"delta_{u}": DELTAS[1][j] for j, u in enumerate(OUTPUTS)})
H.update({f"w_{a}_{b}_new": NEW[1][i][j] for i, a in enumerate(HIDDEN) for j, b in enumerate(OUTPUTS)})
H.update({f"delta_{u}": DELTAS[0][i] for i, u in enumerate(HIDDEN)})
H.update({f"w_{a}_{b}_new": NEW[0][i][j] for i, a in enumerate(INPUTS) for j, b in enumerate(HIDDEN)})
KEYS = list(H)
Z = {f"z_{u}": ZS[1][j] for j, u in enumerate(OUTPUTS)} | {f"z_{u}": ZS[0][i] for i, u in enumerate(HIDDEN)}
OLD_OUT = {f"w_{a}_{b}": W[1][i][j] for i, a in enumerate(HIDDEN) for j, b in enumerate(OUTPUTS)}
R4 = {k: round(v, 4) for k, v in H.items()}    # the solved answer, as a student rounds it


def into_alpha(delta_alpha):
    """The three new weights into alpha, computed from the student's (wrong) delta_alpha, typed to 4 decimals."""
    d = round(delta_alpha, 4)
    return {f"w_{u}_alpha_new": rounded(OLD_OUT[f"w_{u}_alpha"] - ETA * d * R4[f"y_{u}"], 4) for u in HIDDEN}


def slope(y):
    return y * (1 - y)


# the slips, by hand
SIGN = slope(H["y_alpha"]) * (T[0] - H["y_alpha"])                      # +y(1-y)(t-y): the minus forgotten
NO_SLOPE_OUT = -(T[0] - H["y_alpha"])                                   # y(1-y) forgotten at the output
Z_SLOPE = -slope(Z["z_alpha"]) * (T[0] - H["y_alpha"])                  # z_alpha where y_alpha belongs
NO_ETA = OLD_OUT["w_A_alpha"] - H["delta_alpha"] * H["y_A"]
RECEIVING = OLD_OUT["w_A_alpha"] - ETA * H["delta_alpha"] * H["y_alpha"]    # the output of alpha, not of A
UPDATED = slope(H["y_A"]) * (H["w_A_alpha_new"] * H["delta_alpha"] + H["w_A_beta_new"] * H["delta_beta"])
SWAPPED = slope(H["y_A"]) * (OLD_OUT["w_A_beta"] * H["delta_alpha"] + OLD_OUT["w_A_alpha"] * H["delta_beta"])
NO_SLOPE_A = OLD_OUT["w_A_alpha"] * H["delta_alpha"] + OLD_OUT["w_A_beta"] * H["delta_beta"]
CUT_BETA = float(cut(H["delta_beta"], 4))

CASES = [
    Case("every number to five decimals", {k: rounded(v, 5) for k, v in H.items()}, {},
         {"summary": "all 22 correct"}),
    Case("the outputs straight from the calculator, eight decimals", {k: rounded(H[k], 8) for k in KEYS[:5]}, {}),
    Case("numpy floats and a Decimal", {"y_A": f"np.float64({R4['y_A']})", "y_B": f"np.float64({R4['y_B']})",
                                        "delta_alpha": f"Decimal('{rounded(H['delta_alpha'], 4)}')"}, {},
         prelude="import numpy as np\nfrom decimal import Decimal\n"),
    Case("y_alpha and y_beta copied from a float32 array", {"y_alpha": f"np.float32({R4['y_alpha']})",
                                                            "y_beta": f"np.float32({R4['y_beta']})"}, {},
         prelude="import numpy as np\n"),
    Case("y_B typed in quotes", {"y_B": f"'{rounded(H['y_B'], 4)}'"}, {"y_B": "unreadable"},
         {"y_B": "without quotes"}),
    Case("y_A to two decimals", {"y_A": rounded(H["y_A"], 2)}, {"y_A": "coarse"},
         {"y_A": ["give 4 decimals", "Python drops final zeros"], "summary": "1 too coarse"}),
    Case("y_A rounded the wrong way", {"y_A": rounded(H["y_A"] + 1e-4, 4)}, {"y_A": "wrong"},
         {"y_A": ["one unit off", rounded(H["y_A"], 4)]}, {"y_A": ["does not follow"]}),
    Case("delta_beta cut off, not rounded, and w_A_beta_new from it",
         {"delta_beta": cut(H["delta_beta"], 4),
          "w_A_beta_new": rounded(OLD_OUT["w_A_beta"] - ETA * CUT_BETA * R4["y_A"], 4)},
         {"delta_beta": "wrong", "w_A_beta_new": "follows"},
         {"delta_beta": ["cut off", rounded(H["delta_beta"], 4)], "w_A_beta_new": "fix delta_beta"}),
    Case("the minus of -(t - y) forgotten, the weights into alpha from it",
         {"delta_alpha": rounded(SIGN, 4), **into_alpha(SIGN)},
         {"delta_alpha": "wrong", **dict.fromkeys(into_alpha(SIGN), "follows")},
         {"delta_alpha": "sign", "w_B_alpha_new": "fix delta_alpha"}),
    Case("y(1 - y) forgotten at the output, the weights into alpha from it",
         {"delta_alpha": rounded(NO_SLOPE_OUT, 4), **into_alpha(NO_SLOPE_OUT)},
         {"delta_alpha": "wrong", **dict.fromkeys(into_alpha(NO_SLOPE_OUT), "follows")},
         {"delta_alpha": ["missing sigmoid derivative", "y(1 - y)"], "w_C_alpha_new": "fix delta_alpha"}),
    Case("z_alpha used instead of y_alpha in the slope", {"delta_alpha": rounded(Z_SLOPE, 4)},
         {"delta_alpha": "wrong"}, {"delta_alpha": ["used z where y belongs", "OUTPUT"]}),
    Case("y_C given as its input z_C", {"y_C": rounded(Z["z_C"], 4)}, {"y_C": "wrong"},
         {"y_C": "used z where y belongs"}),
    Case("eta left out of w_A_alpha_new", {"w_A_alpha_new": rounded(NO_ETA, 4)}, {"w_A_alpha_new": "wrong"},
         {"w_A_alpha_new": ["learning rate left out", "eta = 0.5"]}),
    Case("the output of alpha, not of A, in w_A_alpha_new", {"w_A_alpha_new": rounded(RECEIVING, 4)},
         {"w_A_alpha_new": "wrong"}, {"w_A_alpha_new": ["comes FROM", "y_A"]}),
    Case("output weights updated before delta_A was computed", {"delta_A": rounded(UPDATED, 4)},
         {"delta_A": "wrong"}, {"delta_A": ["UPDATED", "OLD", "true gradient"]}),
    Case("the two weights of delta_A's chain swapped", {"delta_A": rounded(SWAPPED, 4)}, {"delta_A": "wrong"},
         {"delta_A": ["does not follow", "delta_alpha*w_A_alpha + delta_beta*w_A_beta"]}),
    Case("y(1 - y) left out of delta_A, A's weights from it",
         {"delta_A": rounded(NO_SLOPE_A, 4),
          "w_lambda_A_new": rounded(W[0][0][0] - ETA * round(NO_SLOPE_A, 4) * X[0], 4),
          "w_Omega_A_new": rounded(W[0][1][0] - ETA * round(NO_SLOPE_A, 4) * X[1], 4)},
         {"delta_A": "wrong", "w_lambda_A_new": "follows", "w_Omega_A_new": "follows"},
         {"delta_A": ["missing sigmoid derivative", "y_A"], "w_Omega_A_new": "fix delta_A"}),
    Case("a slip of 0.01 in one product of w_B_beta_new", {"w_B_beta_new": rounded(H["w_B_beta_new"] - 0.01, 4)},
         {"w_B_beta_new": "wrong"}, {"w_B_beta_new": ["does not follow", "w_B_beta - eta*delta_beta*y_B"]}),
    Case("delta_C left as ...", {"delta_C": "..."}, {"delta_C": "not answered"}, {"summary": "1 not answered yet"}),
    Case("the delta_C line deleted", {"delta_C": None}, {"delta_C": "unreadable"},
         {"delta_C": ["missing", 'add "delta_C"']}),
]


@pytest.mark.parametrize("case", [param(c) for c in CASES])
def test_what_the_check_cell_says(case):
    assert_check_cell_says(NB, SETUP, STUDENT, case, "checks.check(answer, ref)", KEYS)


def test_the_solved_answer_is_the_hand_calculation_rounded():
    """The notebook's stored answer is what the hand calculation above gives to 4 decimals: the
    corpus and the exercise agree on the numbers."""
    assert solved(STUDENT)["answer"] == R4
