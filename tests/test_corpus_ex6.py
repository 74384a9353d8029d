"""Exercise 6 (writing the backward pass), functions as students write them, and what the check cells
must print for each.

Each row is a whole student cell (``backward_232``, ``backward``, ``numerical_gradients``) or the
answer dict of the relative error, run in the notebook's namespace (its ``forward``, ``cost`` and
network) with the notebook's own check cell. The verdict is the status of the one line printed,
the words what a tutor would say: the array that is wrong, and the slip by name. The broken
functions are the kinds a student writes: precedence, rounding, float32, lists and tuples instead
of arrays, text or None returned, arrays swapped or transposed, one example only, a loop that
stops early or indexes the wrong layer, inputs changed in place.
"""
import pytest

from corpus_helpers import Case, Notebook, assert_feedback

NB = Notebook("ex6_backward_pass.ipynb")
SETUP = ("import bplib", "def forward(weights, biases, X)", "weights = [rng.normal")

# backward_232 as the solved notebook has it, one line at a time; the rows change some of its lines
TWO = {
    "head": "def backward_232(weights, biases, X, T):",
    "forward": "    X, hidden, y = forward(weights, biases, X)",
    "out": "    delta_out = (y - T) * y * (1 - y)",
    "hidden": "    delta_hidden = (delta_out @ weights[1].T) * hidden * (1 - hidden)",
    "dW": "    dW = [X.T @ delta_hidden, hidden.T @ delta_out]",
    "db": "    db = [delta_hidden.sum(axis=0), delta_out.sum(axis=0)]",
    "return": "    return dW, db",
}


def two_layers(**changed):
    """The source of backward_232 with the lines named in ``changed`` replaced."""
    return "\n".join({**TWO, **changed}.values())


# backward (any depth) as the solved notebook has it
DEEP = {
    "head": "def backward(weights, biases, X, T):",
    "forward": "    ys = forward(weights, biases, X)",
    "out": "    delta = (ys[-1] - T) * ys[-1] * (1 - ys[-1])",
    "lists": "    dW, db = [None] * len(weights), [None] * len(weights)",
    "loop": "    for l in range(len(weights) - 1, -1, -1):",
    "dW": "        dW[l] = ys[l].T @ delta",
    "db": "        db[l] = delta.sum(axis=0)",
    "back": "        delta = (delta @ weights[l].T) * ys[l] * (1 - ys[l])",
    "return": "    return dW, db",
}


def any_depth(**changed):
    return "\n".join(line for line in {**DEEP, **changed}.values() if line is not None)


TWO_LAYERS = [
    Case("the solved cell", two_layers(), {}, {"backward": "every dW and db right on 3 networks"}),
    Case("np.round(..., 4) on dW", two_layers(dW="    dW = [np.round(X.T @ delta_hidden, 4), "
                                                 "np.round(hidden.T @ delta_out, 4)]"),
         {"backward": "wrong"}, {"backward": ["dW[1]", "rounded to 4 decimals", "unrounded"]},
         {"backward": "start with the output errors"}),
    Case("weights and X cast to float32", two_layers(
        forward="    weights = [W.astype(np.float32) for W in weights]\n"
                "    X, hidden, y = forward(weights, biases, X.astype(np.float32))"), {}),
    Case("lists of numbers from .tolist()", two_layers(
        **{"return": "    return [a.tolist() for a in dW], [b.tolist() for b in db]"}), {}),
    Case("tuples instead of lists", two_layers(dW="    dW = (X.T @ delta_hidden, hidden.T @ delta_out)",
                                               db="    db = (delta_hidden.sum(axis=0), delta_out.sum(axis=0))"), {}),
    Case("a message returned as well", two_layers(**{"return": "    return dW, db, 'done'"}),
         {"backward": "unreadable"}, {"backward": ["3 things", "return dW, db"]}),
    Case("db, dW in the wrong order", two_layers(**{"return": "    return db, dW"}), {"backward": "wrong"},
         {"backward": ["returned db, dW", "return dW, db"]}, {"backward": "expected (3, 2)"}),
    Case("y * 1 - y without brackets", two_layers(out="    delta_out = (y - T) * y * 1 - y"), {"backward": "wrong"},
         {"backward": ["Python reads", "(y - t) * y * (1 - y)"]}),
    Case("delta.T @ y_below", two_layers(dW="    dW = [delta_hidden.T @ X, delta_out.T @ hidden]"),
         {"backward": "wrong"}, {"backward": ["transpose of dE/dW", "y_below.T @ delta"]}),
    Case("np.sum without an axis", two_layers(db="    db = [np.sum(delta_hidden), np.sum(delta_out)]"),
         {"backward": "wrong"}, {"backward": ["db[1] has shape ()", "expected (2,)"]}),
    Case("a dict returned", two_layers(**{"return": "    return {'dW': dW, 'db': db}"}),
         {"backward": "unreadable"}, {"backward": ["a dict", "return dW, db"]}),
    Case("print instead of return", two_layers(**{"return": "    print(dW, db)"}), {"backward": "unreadable"},
         {"backward": "forget to return"}),
    Case("db kept as a row, (1, n)", two_layers(db="    db = [delta_hidden.sum(axis=0, keepdims=True), "
                                                   "delta_out.sum(axis=0, keepdims=True)]"),
         {"backward": "wrong"}, {"backward": "extra axis"}),
    Case("the mean over the examples", two_layers(db="    db = [delta_hidden.mean(axis=0), delta_out.mean(axis=0)]"),
         {"backward": "wrong"}, {"backward": ["divided by the number of examples", "n = 6"]}),
    Case("only the last example", two_layers(
        dW="    dW = [X[-1:].T @ delta_hidden[-1:], hidden[-1:].T @ delta_out[-1:]]",
        db="    db = [delta_hidden[-1], delta_out[-1]]"), {"backward": "wrong"}, {"backward": "only the last example"}),
    Case("E taken as (t - y)^2, a factor 2 everywhere", two_layers(out="    delta_out = 2 * (y - T) * y * (1 - y)"),
         {"backward": "wrong"}, {"backward": "twice the gradient"}),
    Case("no sigmoid slope anywhere", two_layers(out="    delta_out = y - T",
                                                 hidden="    delta_hidden = delta_out @ weights[1].T"),
         {"backward": "wrong"}, {"backward": "miss the sigmoid's slope"}),
]

ANY_DEPTH = [
    Case("insert(0, ...) into empty lists", any_depth(
        lists="    dW, db = [], []", loop="    for l in reversed(range(len(weights))):",
        dW="        dW.insert(0, ys[l].T @ delta)", db="        db.insert(0, delta.sum(axis=0))"),
         {}, {"backward": "right on 5 networks"}),
    Case("a loop that stops before layer 0", any_depth(loop="    for l in range(len(weights) - 1, 0, -1):"),
         {"backward": "unreadable"}, {"backward": ["dW[0] is None", "stops before layer 0"]}),
    Case("the errors sent back through weights[l - 1]", any_depth(
        back="        delta = (delta @ weights[l - 1].T) * ys[l] * (1 - ys[l])"), {"backward": "wrong"},
         {"backward": ["through weights[0] instead of weights[1]", "not weights[l - 1]"]},
         {"backward": "go back through its transpose"}),
    Case("the slope of the layer above", any_depth(
        back="        delta = (delta @ weights[l].T) * ys[l + 1] * (1 - ys[l + 1])"), {"backward": "wrong"},
         {"backward": ["slope", "layer above", "ys[l]"]}, {"backward": "go back through its transpose"}),
    Case("the update done inside, weights[l] = ...", any_depth(
        db="        db[l] = delta.sum(axis=0)\n        weights[l] = weights[l] - 0.1 * dW[l]"), {"backward": "wrong"},
         {"backward": ["replaced weights[0]", "caller's list"]}, {"backward": "not weights[0] -= "}),
]

# numerical_gradients, as the solved cell has it; the rows change the loop's body
LOOP = """def numerical_gradients(E, arrays, eps):
    estimates = []
    for A in arrays:
        g = {g}
        for index in np.ndindex(A.shape):
{body}
        estimates.append(g)
    return estimates"""
NUDGE = """            saved = A[index]
            A[index] = saved + eps
            E_plus = E()
            A[index] = saved - eps
            E_minus = E()
            A[index] = saved
            g[index] = {estimate}"""
RIGHT = "(E_plus - E_minus) / (2 * eps)"


def differences(g="np.zeros_like(A)", estimate=RIGHT, body=None):
    return LOOP.format(g=g, body=body or NUDGE.format(estimate=estimate))


NUMERICAL = [
    Case("an integer array for the estimates", differences(g="np.zeros(A.shape, dtype=int)"),
         {"numerical_gradients": "wrong"}, {"numerical_gradients": ["whole numbers", "dtype=int"]}),
    Case("+= eps, -= 2 eps, += eps", differences(body="""            A[index] += eps
            E_plus = E()
            A[index] -= 2 * eps
            E_minus = E()
            A[index] += eps
            g[index] = (E_plus - E_minus) / (2 * eps)"""), {}),
    Case("each estimate rounded to 4 decimals", differences(estimate=f"round({RIGHT}, 4)"),
         {"numerical_gradients": "wrong"}, {"numerical_gradients": ["rounded to 4 decimals", "unrounded"]},
         {"numerical_gradients": "use the argument eps"}),
    Case("E_plus - E_minus / (2 * eps)", differences(estimate="E_plus - E_minus / (2 * eps)"),
         {"numerical_gradients": "wrong"}, {"numerical_gradients": ["precedence", "(E_plus - E_minus) / (2 * eps)"]}),
    Case("range(len(A)), which nudges a row of a matrix", """def numerical_gradients(E, arrays, eps):
    estimates = []
    for A in arrays:
        g = np.zeros_like(A)
        for i in range(len(A)):
            saved = A[i]
            A[i] = saved + eps
            E_plus = E()
            A[i] = saved - eps
            E_minus = E()
            A[i] = saved
            g[i] = (E_plus - E_minus) / (2 * eps)
        estimates.append(g)
    return estimates""", {"numerical_gradients": "wrong"},
         {"numerical_gradients": ["whole row", "view", "np.ndindex(A.shape)"]}),
    Case("only the last array's estimates returned", differences().replace("    return estimates", "    return g"),
         {"numerical_gradients": "unreadable"}, {"numerical_gradients": "one estimate per array"}),
]

AGREEMENT = [
    Case("typed in quotes", '{"relative_error": "3.2e-11"}', {"relative_error": "unreadable"},
         {"relative_error": "without quotes"}),
    Case("3.2e-5: between the two lines", '{"relative_error": 3.2e-5}', {"relative_error": "wrong"},
         {"relative_error": ["between 1e-7 and 1e-4", "float64"]}),
    Case("a negative number", '{"relative_error": -2e-10}', {"relative_error": "wrong"},
         {"relative_error": "cannot be a relative error"}),
    Case("a numpy float below 1e-7", '{"relative_error": np.float64(4.1e-11)}', {},
         {"relative_error": "agree"}),
    Case("one number in a list", '{"relative_error": [4.1e-11]}', {}),
    Case("0.49: a slip somewhere", '{"relative_error": 0.49}', {"relative_error": "wrong"},
         {"relative_error": ["above 1e-4", "one of them is wrong"]}),
]


# Each part of the exercise: its answers, what precedes the student's text, the check cell's call
# and the feedback line it prints.
PARTS = [
    (TWO_LAYERS, "", "check_backward(backward_232, layers=2)", "backward"),
    (ANY_DEPTH, "", "check_backward(backward)", "backward"),
    (NUMERICAL, "", "check_numerical_gradients(numerical_gradients)", "numerical_gradients"),
    (AGREEMENT, "answer = ", "check_agreement(answer)", "relative_error"),
]


@pytest.mark.parametrize("case, before, check, key", [
    pytest.param(case, before, check, key, id=f"{check.split('(')[1].rstrip(')')}: {case.story}")
    for cases, before, check, key in PARTS for case in cases])
def test_what_the_check_cell_says(case, before, check, key):
    text = NB.run(SETUP, "import numpy as np\n" + before + case.typed, check)
    assert_feedback(text, case, [key])
