"""Exercise 3 (the lecture's Example 3 by hand, and the true gradient), answers as students type
them, and what the check cell must print for each.

The student cell holds two dicts: ``answer`` (parts 1 to 3, in the slides' order or as the true
gradient) and ``answer_true`` (part 4, the true gradient only); the check cell prints one feedback
for each. Each row names the dict it changes, the entries typed differently from the solved answer
(as source text), what the student did, the verdict per number (every number not named: correct)
and the words the feedback must contain. Every number is derived here by hand, in plain Python
(`corpus_helpers`), from the lecture's Example 3: inputs 0.1 and 0.7, w_AT = 0.1, w_BT = 0.5,
w_AB = 0.3, w_BB = 0.2, w_TF = 0.2, w_BF = 0.1, target 1, eta = 2.
"""
import pytest

from corpus_helpers import Case, Notebook, assert_feedback, cut, replaced, rounded, solved, two_two_one

NB = Notebook("ex3_example3.ipynb")
SETUP = ("import bplib", "ex = examples.example3()")
STUDENT = NB.cell('"z_top"', student=True)
SLIDES = ("0.36 0.59 0.17 0.54 0.17 0.54 -0.11 0.33 0.22 -0.009 -0.006 0.102 0.513 0.301 0.208 "
          "0.37 0.17 0.59 0.54 0.31 0.58").split()

W = [[[0.1, 0.3], [0.5, 0.2]], [[0.2], [0.1]]]
X, T, ETA = [0.1, 0.7], [1.0], 2.0
H, TRUE = two_two_one(W, X, T, ETA, "layerwise"), two_two_one(W, X, T, ETA, "simultaneous")
KEYS = list(H)
PART4 = ["delta_top", "delta_bottom", "w_AT_new", "w_BT_new", "w_AB_new", "w_BB_new"]


def slope(y):
    return y * (1 - y)


NO_ETA_OUT = {"w_TF_new": 0.2 - H["delta_final"] * H["y_top"], "w_BF_new": 0.1 - H["delta_final"] * H["y_bottom"]}
NO_ETA_HIDDEN = {"w_AT_new": 0.1 - H["delta_top"] * X[0], "w_BT_new": 0.5 - H["delta_top"] * X[1],
                 "w_AB_new": 0.3 - H["delta_bottom"] * X[0], "w_BB_new": 0.2 - H["delta_bottom"] * X[1]}
Z_SLOPE = -slope(H["z_final"]) * (T[0] - H["y_final"])
RECEIVING = 0.2 - ETA * H["delta_final"] * H["y_final"]
# part 4 through the updated output weights: the slides' hidden numbers, typed to 5 decimals
SLIDES_ORDER = {k: rounded(H[k], 5) for k in PART4}
NO_ETA_TRUE = {"w_AT_new": 0.1 - TRUE["delta_top"] * X[0], "w_BT_new": 0.5 - TRUE["delta_top"] * X[1]}
SIGN_BOTTOM = -TRUE["delta_bottom"]

# (dict, Case): which of the two dicts the row changes
CASES = [
    ("answer", Case("the slides' printed numbers", dict(zip(KEYS, SLIDES)), {}, {"summary": "all 21 correct"})),
    ("answer", Case("parts 1 to 3 as the true gradient, to four decimals", {k: rounded(v, 4) for k, v in TRUE.items()},
                    {}, {"summary": ["true gradient", "all 21 correct"]})),
    ("answer", Case("eta = 2 left out of the output weights", {k: rounded(v, 4) for k, v in NO_ETA_OUT.items()},
                    dict.fromkeys(NO_ETA_OUT, "wrong"),
                    dict.fromkeys(NO_ETA_OUT, ["learning rate left out", "eta = 2"]))),
    ("answer", Case("eta = 2 left out of the hidden weights", {k: rounded(v, 4) for k, v in NO_ETA_HIDDEN.items()},
                    dict.fromkeys(NO_ETA_HIDDEN, "wrong"), {"w_BB_new": "learning rate left out"})),
    ("answer", Case("the slope of Final from z_final", {"delta_final": rounded(Z_SLOPE, 4)}, {"delta_final": "wrong"},
                    {"delta_final": ["used z where y belongs", "y_final"]})),
    ("answer", Case("y_final, not y_top, in w_TF_new", {"w_TF_new": rounded(RECEIVING, 4)}, {"w_TF_new": "wrong"},
                    {"w_TF_new": ["comes FROM", "y_top"]})),
    ("answer", Case("y_top copied from a float32 array", {"y_top": f"np.float32({round(H['y_top'], 4)})"}, {},
                    prelude="import numpy as np\n")),
    ("answer", Case("delta_top cut off after four decimals", {"delta_top": cut(H["delta_top"], 4)},
                    {"delta_top": "wrong"}, {"delta_top": ["cut off", rounded(H["delta_top"], 4)]})),
    ("answer", Case("z_final_2 cut off to the slides' 0.31", {"z_final_2": cut(H["z_final_2"], 2)}, {},
                    {"z_final_2": ["the slides' 0.31", "rounds to 0.32"]})),
    ("answer_true", Case("part 4 through the updated output weights", SLIDES_ORDER,
                         {"delta_top": "wrong", "delta_bottom": "wrong", **dict.fromkeys(PART4[2:], "follows")},
                         {"delta_top": ["UPDATED", "OLD weight w_TF = 0.2"], "w_BB_new": "fix delta_bottom"})),
    ("answer_true", Case("part 4 to four decimals", {k: rounded(TRUE[k], 4) for k in PART4}, {},
                         {"summary": "all 6 correct"})),
    ("answer_true", Case("part 4 to three decimals, as the slides print", {k: rounded(TRUE[k], 3) for k in PART4}, {})),
    ("answer_true", Case("part 4 with eta = 2 left out of two weights",
                         {k: rounded(v, 5) for k, v in NO_ETA_TRUE.items()}, dict.fromkeys(NO_ETA_TRUE, "wrong"),
                         dict.fromkeys(NO_ETA_TRUE, "learning rate left out"))),
    ("answer_true", Case("part 4's errors in scientific notation",
                         {"delta_top": f"{TRUE['delta_top']:.2e}", "delta_bottom": f"{TRUE['delta_bottom']:.2E}"}, {})),
    ("answer_true", Case("part 4 with round() typed into the cell",
                         {"delta_top": f"round({TRUE['delta_top']!r}, 5)"}, {})),
    ("answer_true", Case("delta_bottom with its sign flipped", {"delta_bottom": rounded(SIGN_BOTTOM, 5)},
                         {"delta_bottom": "wrong"}, {"delta_bottom": "sign is flipped"})),
    ("answer_true", Case("one number in a list, one in a (1, 1) array",
                         {"delta_top": f"[{round(TRUE['delta_top'], 5)}]",
                          "w_AT_new": f"np.array([[{round(TRUE['w_AT_new'], 5)}]])"}, {},
                         prelude="import numpy as np\n")),
    ("answer_true", Case("w_AT_new typed in quotes", {"w_AT_new": f"'{round(TRUE['w_AT_new'], 5)}'"},
                         {"w_AT_new": "unreadable"}, {"w_AT_new": "without quotes", "summary": "5 of 6 correct"})),
    ("answer_true", Case("w_BB_new still ...", {"w_BB_new": "..."}, {"w_BB_new": "not answered"})),
]


@pytest.mark.parametrize("which, case", [pytest.param(w, c, id=f"{w}: {c.story}") for w, c in CASES])
def test_what_the_check_cell_says(which, case):
    text = NB.run(SETUP, case.prelude + replaced(STUDENT, case.typed, which), "check_example(answer, ex)")
    first, second = text.strip().split("\n\n")
    assert_feedback(first if which == "answer" else second, case, KEYS if which == "answer" else PART4)


def test_the_solved_answers_are_the_hand_calculation_rounded():
    space = solved(STUDENT)
    assert space["answer"] == {k: round(v, 4) for k, v in H.items()}
    assert space["answer_true"] == {k: float(f"{TRUE[k]:.{len(str(v).split('.')[1])}f}")
                                    for k, v in space["answer_true"].items()}
