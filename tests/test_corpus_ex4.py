"""Exercise 4 (the sigmoid's derivative and gradient checking), answers as students type them, and
what the check cells must print for each.

Parts 1 and 2 ask for functions: each row is the whole student cell, a ``def`` as a student writes
it, run with the notebook's own check cell. Part 3 asks for two numbers: each row is the entries
of the answer dict typed differently from the solved cell. The verdict is the status of the one
line (or of each number), and the words are what a tutor would say: the input, the expected and
the returned value, and the slip by name where there is one.

Part 3's numbers are derived here by hand, in plain Python (`corpus_helpers`), from the lecture's
Example 3 (inputs 0.1 and 0.7, weights 0.1, 0.5, 0.3, 0.2 into the hidden units and 0.2, 0.1 into
the output, target 1, eta = 2): dE/dw_TF = y_T delta_F, and the relative error between the slides'
hidden step divided by eta and the true gradient of the hidden weights.
"""
import math

import pytest

from corpus_helpers import Case, Notebook, assert_feedback, backward_step, cut, param, replaced, rounded

NB = Notebook("ex4_sigmoid_gradcheck.ipynb")


def define(name, body):
    """A student cell: ``def name(...)`` with ``body`` (its lines, indented here)."""
    head = {"sigmoid_prime": "def sigmoid_prime(y):", "central_difference": "def central_difference(f, w, eps):"}
    return head[name] + "\n" + "\n".join("    " + line for line in body.splitlines())


SIGMOID_PRIME = [
    Case("y - y**2", define("sigmoid_prime", "return y - y**2"), {}, {"sigmoid_prime": "correct on 2 test inputs"}),
    Case("np.asarray, then y * (1.0 - y)",
         define("sigmoid_prime", "y = np.asarray(y, dtype=float)\nreturn y * (1.0 - y)"), {}),
    Case("y * 1 - y: the brackets forgotten", define("sigmoid_prime", "return y * 1 - y"), {"sigmoid_prime": "wrong"},
         {"sigmoid_prime": ["precedence", "y * (1 - y)", "returned 0", "expected 0.2171303"]}),
    Case("np.round(..., 2) to make it tidy", define("sigmoid_prime", "return np.round(y * (1 - y), 2)"),
         {"sigmoid_prime": "wrong"}, {"sigmoid_prime": ["rounded to 2 decimals", "returned 0.22", "unrounded"]}),
    Case("np.trunc to four decimals", define("sigmoid_prime", "return np.trunc(y * (1 - y) * 1e4) / 1e4"),
         {"sigmoid_prime": "wrong"}, {"sigmoid_prime": ["cut off after 4 decimals", "returned 0.2171,"]}),
    Case("the derivative written from z, applied to y", define(
        "sigmoid_prime", "return math.exp(-y) / (1 + math.exp(-y)) ** 2"), {"sigmoid_prime": "wrong"},
         {"sigmoid_prime": ["sigmoid again", "y(1 - y)"]}),
    Case("return forgotten", define("sigmoid_prime", "y * (1 - y)"), {"sigmoid_prime": "unreadable"},
         {"sigmoid_prime": "forget to return"}),
    Case("print instead of return", define("sigmoid_prime", "print(y * (1 - y))"), {"sigmoid_prime": "unreadable"},
         {"sigmoid_prime": "returned None"}),
    Case("a list comprehension, which a single number breaks",
         define("sigmoid_prime", "return [v * (1 - v) for v in y]"),
         {"sigmoid_prime": "unreadable"}, {"sigmoid_prime": ["raised TypeError", "0.3187"]}),
    Case("1 - y * y", define("sigmoid_prime", "return 1 - y * y"), {"sigmoid_prime": "wrong"},
         {"sigmoid_prime": ["returned 0.8984303", "expected 0.2171303"]}, {"sigmoid_prime": "which is not it"}),
    Case("np.matrix, which makes every result a matrix", define("sigmoid_prime", "return np.matrix(y) * (1 - y)"),
         {"sigmoid_prime": "wrong"}, {"sigmoid_prime": ["shape (1, 1)", "expected ()"]}),
    Case("the slope of a saturated unit set to 0 with an if", define(
        "sigmoid_prime", "return y * (1 - y) if y < 1 else 0"), {"sigmoid_prime": "unreadable"},
         {"sigmoid_prime": ["raised ValueError", "0.0731"]}),
]

CENTRAL_DIFFERENCE = [
    Case("/ 2 / eps", define("central_difference", "return (f(w + eps) - f(w - eps)) / 2 / eps"), {}),
    Case("the result as np.float32", define("central_difference",
                                            "return np.float32((f(w + eps) - f(w - eps)) / (2 * eps))"), {}),
    Case("no brackets at all", define("central_difference", "return f(w + eps) - f(w - eps) / 2 * eps"),
         {"central_difference": "wrong"},
         {"central_difference": ["precedence", "(f(w + eps) - f(w - eps)) / (2 * eps)", "expected 0.9553363"]}),
    Case("eps added to f(w), not to w", define("central_difference", "return (f(w) + eps - (f(w) - eps)) / (2 * eps)"),
         {"central_difference": "wrong"}, {"central_difference": ["not to the input w", "returned 1"]},
         {"central_difference": "rounded"}),
    Case("// for the division", define("central_difference", "return (f(w + eps) - f(w - eps)) // (2 * eps)"),
         {"central_difference": "wrong"}, {"central_difference": ["floor division", "returned 0"]}),
    Case("eps fixed at 1e-6 inside", define("central_difference",
                                            "eps = 1e-6\nreturn (f(w + eps) - f(w - eps)) / (2 * eps)"),
         {"central_difference": "wrong"}, {"central_difference": "use the argument eps"}),
    Case("f(w + eps) + f(w - eps)", define("central_difference", "return (f(w + eps) + f(w - eps)) / (2 * eps)"),
         {"central_difference": "wrong"}, {"central_difference": ["returned 295.5201", "expected 0.9553363"]}),
    Case("the one-sided difference", define("central_difference", "return (f(w + eps) - f(w)) / eps"),
         {"central_difference": "wrong"}, {"central_difference": ["forward difference", "eps squared"]}),
    Case("divided by 2 w instead of 2 eps", define("central_difference", "return (f(w + eps) - f(w - eps)) / (2 * w)"),
         {"central_difference": "wrong"}, {"central_difference": ["central_difference(sin, 0.3, 0.001)", "expected"]}),
    Case("the estimate and eps returned together", define(
        "central_difference", "return (f(w + eps) - f(w - eps)) / (2 * eps), eps"), {"central_difference": "wrong"},
         {"central_difference": ["shape (2,)", "expected ()"]}),
]


@pytest.mark.parametrize("case", [param(c) for c in SIGMOID_PRIME])
def test_sigmoid_prime(case):
    text = NB.run(("import bplib",), "import math\nimport numpy as np\n" + case.typed,
                  'check_function(sigmoid_prime, "sigmoid_prime")')
    assert_feedback(text, case, ["sigmoid_prime"])


@pytest.mark.parametrize("case", [param(c) for c in CENTRAL_DIFFERENCE])
def test_central_difference(case):
    text = NB.run(("import bplib",), "import numpy as np\n" + case.typed,
                  'check_function(central_difference, "central_difference")')
    assert_feedback(text, case, ["central_difference"])


# --- Part 3: two numbers --------------------------------------------------------------------------

W = [[[0.1, 0.3], [0.5, 0.2]], [[0.2], [0.1]]]
X, T, ETA = [0.1, 0.7], [1.0], 2.0
_, YS, TRUE_DELTAS, _ = backward_step(W, X, T, ETA, "simultaneous")
_, _, SLIDES_DELTAS, SLIDES_NEW = backward_step(W, X, T, ETA, "layerwise")
GRADIENT = YS[1][0] * TRUE_DELTAS[1][0]                                 # dE/dw_TF = y_T delta_F
true_hidden = [X[i] * TRUE_DELTAS[0][j] for i in range(2) for j in range(2)]
step_hidden = [(W[0][i][j] - SLIDES_NEW[0][i][j]) for i in range(2) for j in range(2)]


def relative_error(a, n):
    norm = lambda v: math.sqrt(sum(x * x for x in v))
    return norm([p - q for p, q in zip(a, n)]) / (norm(a) + norm(n))


REL = relative_error([d / ETA for d in step_hidden], true_hidden)
REL_UNDIVIDED = relative_error(step_hidden, true_hidden)
KEYS = ["dE_dw_TF", "rel_error_hidden"]
SETUP = ("import bplib", "ex = examples.example3()", "def cost_at", "questions = checks.values_reference")
STUDENT = NB.cell("rel_error_hidden", student=True)

NUMBERS = [
    Case("both by hand, to the decimals asked", {"dE_dw_TF": rounded(GRADIENT, 4), "rel_error_hidden": rounded(REL, 2)},
         {}, {"summary": "all 2 correct"}),
    Case("more decimals than asked", {"dE_dw_TF": rounded(GRADIENT, 7), "rel_error_hidden": rounded(REL, 5)}, {}),
    Case("dE/dw_TF to three decimals", {"dE_dw_TF": rounded(GRADIENT, 3)}, {"dE_dw_TF": "coarse"},
         {"dE_dw_TF": "give 4 decimals"}),
    Case("dE/dw_TF cut off after five decimals", {"dE_dw_TF": cut(GRADIENT, 5)}, {"dE_dw_TF": "wrong"},
         {"dE_dw_TF": ["cut off", rounded(GRADIENT, 5)]}),
    Case("eta times the gradient", {"dE_dw_TF": rounded(ETA * GRADIENT, 4)}, {"dE_dw_TF": "wrong"},
         {"dE_dw_TF": "eta times the gradient"}),
    Case("delta_F alone", {"dE_dw_TF": rounded(TRUE_DELTAS[1][0], 4)}, {"dE_dw_TF": "wrong"},
         {"dE_dw_TF": "delta_F alone"}),
    Case("the gradient with its sign flipped", {"dE_dw_TF": rounded(-GRADIENT, 4)}, {"dE_dw_TF": "wrong"},
         {"dE_dw_TF": "sign is flipped"}),
    Case("the change W - W+ not divided by eta", {"rel_error_hidden": rounded(REL_UNDIVIDED, 2)},
         {"rel_error_hidden": "wrong"}, {"rel_error_hidden": "divide the change W - W+ by eta"}),
    Case("the relative error to one decimal", {"rel_error_hidden": rounded(REL, 1)}, {"rel_error_hidden": "coarse"},
         {"rel_error_hidden": "give 2 decimals"}),
    Case("the relative error in quotes", {"rel_error_hidden": f"'{rounded(REL, 2)}'"},
         {"rel_error_hidden": "unreadable"}, {"rel_error_hidden": "without quotes"}),
]


def central_difference(f, w, eps):   # a right Part 2, which the stored Part 3 cell calls
    return (f(w + eps) - f(w - eps)) / (2 * eps)


@pytest.mark.parametrize("case", [param(c) for c in NUMBERS])
def test_part_3_numbers(case):
    text = NB.run(SETUP, replaced(STUDENT, case.typed), "checks.check(answer, questions)",
                  central_difference=central_difference)
    assert_feedback(text, case, KEYS)


def test_part_3_hand_values_match_the_notebook_prose():
    """The hand values above are the ones the solved notebook states (0.29 and -0.066816)."""
    assert rounded(REL, 2) == "0.29" and rounded(GRADIENT, 6) == "-0.066816"
