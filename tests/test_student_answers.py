"""Answers as students type them, and what the checker must say to each (issue: feedback that judges
like a tutor, classes 3, 4 and part of 5).

Every answer here is written by hand, in plain Python, the way a student would type it into the
exercise; none comes from bplib's own mistake generators. Each case says what the student did,
then asserts the verdict and the words the feedback must contain.

- Class 3: exercise 3's second check cell, run as the notebook has it, on the student's
  ``answer_true``: the keys checked come from the exercise, never from the student's dict.
- Class 4: functions that change their inputs (``T -= y``, ``weights.reverse()``, ...): the change
  is named as a mistake of its own, even where the returned values are right.
- Class 5 (part): a two-layer backward pass given to the any-depth check, central differences
  that nudge a copy, and a relative error of exactly 0 (a gradient compared with itself).
- Class 5 (rest): a learning rate of 0.25 folded in (not an average), only the first example used
  (not a wrong formula), lists from the output layer down (not a shape to transpose).
"""
import io
import math
import re
from contextlib import redirect_stdout
from pathlib import Path

import nbformat
import numpy as np
import pytest

from bplib import checks, examples
from test_check_backward import central as central_differences  # a right numerical_gradients

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^  (\S) (\S+)\s+(.*)$")


def check_cell(notebook, marker):
    """The source of the notebook's code cell that contains ``marker`` (its check cell)."""
    nb = nbformat.read(ROOT / "exercises" / notebook, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and marker in c.source
                and "student" not in c.metadata.get("tags", []))


def said(text):
    """{key: (symbol, message)} of the feedback lines printed in ``text``."""
    return {m[2]: (m[1], m[3]) for m in map(LINE.match, text.splitlines()) if m}


# ================================================================================================
# Class 3: exercise 3's second check cell, whatever the student typed as answer_true
# ================================================================================================

def run_ex3_check(answer_true):
    """Run exercise 3's check cell as the notebook has it; return what its second check printed."""
    out = io.StringIO()
    with redirect_stdout(out):  # a check cell that raises fails the test here
        exec(check_cell("ex3_example3.ipynb", "answer_true"),
             {"checks": checks, "ex": examples.example3(), "answer": ..., "answer_true": answer_true})
    return out.getvalue().split("\n\n", 1)[1]


# A right answer_true, as the solved notebook has it; each case below is what a student typed instead.
RIGHT = {
    "delta_top": -0.00549,
    "delta_bottom": -0.00282,
    "w_AT_new": 0.1011,
    "w_BT_new": 0.50769,
    "w_AB_new": 0.30056,
    "w_BB_new": 0.20394,
}


def test_ex3_a_typo_in_a_key():
    answer_true = dict(RIGHT)
    answer_true["delta_botom"] = answer_true.pop("delta_bottom")     # typo
    lines = said(text := run_ex3_check(answer_true))
    assert 'missing: is your "delta_botom" meant to be it' in lines["delta_bottom"][1], text
    assert 'did you mean "delta_bottom"' in lines["delta_botom"][1], text
    assert "5 of 6 correct" in text, text


def test_ex3_an_extra_key():
    answer_true = dict(RIGHT, w_TF=0.2, note=1)    # the old output weight "to show the working", and a note
    lines = said(text := run_ex3_check(answer_true))
    assert "all 6 correct" in text and "2 keys not asked, ignored" in text, text
    assert "not asked" in lines["w_TF"][1] and "ignored" in lines["w_TF"][1], text
    assert "not a quantity" in lines["note"][1] and "ignored" in lines["note"][1], text


def test_ex3_an_entry_deleted():
    answer_true = dict(RIGHT)
    del answer_true["w_BB_new"]
    text = run_ex3_check(answer_true)
    assert "all 5 correct" not in text and "5 of 6 correct" in text, text
    assert 'add "w_BB_new"' in said(text)["w_BB_new"][1], text


def test_ex3_answer_true_is_none():
    text = run_ex3_check(None)
    (symbol, message), = said(text).values()
    assert symbol == "?" and "dict" in message and "None" in message, text


def test_ex3_a_number_typed_as_text():
    text = run_ex3_check(dict(RIGHT, delta_top="-0.00549"))          # in quotes
    assert "without quotes" in said(text)["delta_top"][1] and "5 of 6 correct" in text, text


def test_ex3_the_whole_answer_typed_as_text():
    text = run_ex3_check("delta_top = -0.00549, delta_bottom = -0.00282")
    (symbol, message), = said(text).values()
    assert symbol == "?" and "dict" in message, text


def test_ex3_only_some_keys_kept_and_one_misspelt_in_case():
    text = run_ex3_check({"Delta_top": -0.00549, "delta_bottom": -0.00282})
    lines = said(text)
    assert 'did you mean "delta_top"' in lines["Delta_top"][1], text
    assert all('add "' in lines[k][1] for k in ("w_AT_new", "w_BT_new", "w_AB_new", "w_BB_new")), text
    assert "1 of 6 correct" in text, text


def test_ex3_a_right_answer_is_all_correct():
    text = run_ex3_check(dict(RIGHT))
    assert "all 6 correct" in text, text


# ================================================================================================
# Class 4: functions that change their inputs (exercises 6 and 4)
# ================================================================================================

def forward(weights, biases, X):
    """The exercise's given forward pass: every layer's outputs, ys[0] = X."""
    ys = [X]
    for W, b in zip(weights, biases):
        ys.append(1 / (1 + np.exp(-(ys[-1] @ W + b))))
    return ys


def output_errors(ys, T):
    return (ys[-1] - T) * ys[-1] * (1 - ys[-1])


def down_the_layers(weights, ys, delta):
    """Steps 2 and 3 from the output layer down, as a right answer writes them: dW, db."""
    dW, db = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        dW[l] = ys[l].T @ delta
        db[l] = delta.sum(axis=0)
        delta = (delta @ weights[l].T) * ys[l] * (1 - ys[l])
    return dW, db


def backward_T_minus_y(weights, biases, X, T):
    ys = forward(weights, biases, X)
    y = ys[-1]
    T -= y                                   # T now holds t - y ...
    delta = -T * y * (1 - y)                 # ... so this is (y - t) y (1 - y)
    return down_the_layers(weights, ys, delta)


def backward_reversing_weights(weights, biases, X, T):
    ys = forward(weights, biases, X)
    delta = output_errors(ys, T)
    dW, db = [], []
    weights.reverse()                        # walk from the output layer down
    for k, W in enumerate(weights):
        l = len(weights) - 1 - k
        dW.insert(0, ys[l].T @ delta)
        db.insert(0, delta.sum(axis=0))
        delta = (delta @ W.T) * ys[l] * (1 - ys[l])
    return dW, db


def backward_with_update(weights, biases, X, T):
    ys = forward(weights, biases, X)
    dW, db = down_the_layers(weights, ys, output_errors(ys, T))
    for W, g in zip(weights, dW):
        W -= 0.5 * g                         # "and take the step while we are here"
    return dW, db


def backward_X_scaled(weights, biases, X, T):
    X /= len(X)                              # average over the examples
    ys = forward(weights, biases, X)
    return down_the_layers(weights, ys, output_errors(ys, T))


def backward_popping_weights(weights, biases, X, T):
    ys = forward(weights, biases, X)
    delta = output_errors(ys, T)
    dW, db = [], []
    while weights:                           # take the layers off the top, one by one
        W = weights.pop()
        dW.insert(0, ys[len(weights)].T @ delta)
        db.insert(0, delta.sum(axis=0))
        delta = (delta @ W.T) * ys[len(weights)] * (1 - ys[len(weights)])
    return dW, db


def backward_copying_first(weights, biases, X, T):
    T = T.copy()                             # a copy: changing it is fine
    ys = forward(weights, biases, X)
    y = ys[-1]
    T -= y
    return down_the_layers(weights, ys, -T * y * (1 - y))


@pytest.mark.parametrize("fn, words", [
    pytest.param(backward_T_minus_y, ["right dW and db", "changed T", "in place", "T -= "], id="T -= y"),
    pytest.param(backward_reversing_weights, ["right dW and db", "reversed", "weights", "reversed(weights)"],
                 id="weights.reverse()"),
    pytest.param(backward_with_update, ["right dW and db", "changed weights[", "in place"],
                 id="weights changed in place by an update"),
    pytest.param(backward_X_scaled, ["changed X", "scaled", "not right either"], id="X /= len(X)"),
    pytest.param(backward_popping_weights, ["right dW and db", "list weights", "entries"], id="weights.pop()"),
])
def test_a_backward_pass_that_changes_its_inputs_is_told(fn, words):
    feedback = checks.check_backward(fn)
    line = feedback.lines[0]
    assert line.status == "wrong" and line.mistake == "changed_input", feedback
    assert all(w in line.message for w in words), feedback


def test_a_backward_pass_that_changes_a_copy_is_correct():
    feedback = checks.check_backward(backward_copying_first)
    assert feedback.all_correct, feedback


def test_sigmoid_prime_that_multiplies_y_in_place_is_told():
    def sigmoid_prime(y):
        y *= 1 - y                           # saves an array ... and overwrites the caller's y
        return y
    line = checks.check_function(sigmoid_prime, "sigmoid_prime").lines[0]
    assert line.status == "wrong" and line.mistake == "changed_input", line
    assert "right values" in line.message and "changed y" in line.message, line


def test_the_gradient_check_after_T_minus_y_points_at_the_change():
    """The notebook's Part 3 after a backward pass that does T -= y: the check of the backward pass
    names the change, and the relative error's feedback says how such a change shows up here."""
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(2, 3)), rng.normal(size=(3, 2))]
    biases = [rng.normal(0, 0.5, size=3), rng.normal(0, 0.5, size=2)]
    X, T = rng.normal(size=(4, 2)), rng.uniform(0.1, 0.9, size=(4, 2))

    def cost():
        return 0.5 * float(np.sum((T - forward(weights, biases, X)[-1]) ** 2))

    dW, db = backward_T_minus_y(weights, biases, X, T)      # T is now t - y
    estimates = central_differences(cost, weights + biases, 1e-6)
    a, n = np.concatenate([g.ravel() for g in dW + db]), np.concatenate([g.ravel() for g in estimates])
    relative_error = np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))
    line = checks.check_agreement(relative_error).lines[0]
    assert line.status == "wrong" and "in place" in line.message and "run" in line.message, line
    assert "changed T" in checks.check_backward(backward_T_minus_y).lines[0].message


# ================================================================================================
# Class 5 (part): a two-layer pass at any depth, differences of a copy, a relative error of 0
# ================================================================================================

def backward_two_layers(weights, biases, X, T):
    W1, W2 = weights
    b1, b2 = biases
    h = 1 / (1 + np.exp(-(X @ W1 + b1)))
    y = 1 / (1 + np.exp(-(h @ W2 + b2)))
    d2 = (y - T) * y * (1 - y)
    d1 = (d2 @ W2.T) * h * (1 - h)
    return [X.T @ d1, h.T @ d2], [d1.sum(axis=0), d2.sum(axis=0)]


def backward_two_layers_indexed(weights, biases, X, T):
    h = 1 / (1 + np.exp(-(X @ weights[0] + biases[0])))
    y = 1 / (1 + np.exp(-(h @ weights[1] + biases[1])))
    d2 = (y - T) * y * (1 - y)
    d1 = (d2 @ weights[1].T) * h * (1 - h)
    return [X.T @ d1, h.T @ d2], [d1.sum(axis=0), d2.sum(axis=0)]


@pytest.mark.parametrize("fn", [backward_two_layers, backward_two_layers_indexed],
                         ids=["W1, W2 = weights", "weights[0] and weights[1]"])
def test_a_two_layer_backward_at_any_depth_is_told_it_passed_two_layers(fn):
    feedback = checks.check_backward(fn)   # the any-depth check, as in exercise 6's Part 2
    line = feedback.lines[0]
    assert line.status == "wrong", feedback
    assert "right on the networks with two layers of weights" in line.message, feedback
    assert "3-4-4-2" in line.message and "any number of layers" in line.message, feedback


def numerical_gradients_on_copies(E, arrays, eps):
    estimates = []
    for A in arrays:
        A = A.copy()                         # "so that I do not break the weights"
        estimates += central_differences(E, [A], eps)
    return estimates


def numerical_gradients_on_a_copied_list(E, arrays, eps):
    arrays = [np.array(A) for A in arrays]
    return central_differences(E, arrays, eps)


def test_right_central_differences_are_correct():
    assert checks.check_numerical_gradients(central_differences).all_correct


@pytest.mark.parametrize("fn", [numerical_gradients_on_copies, numerical_gradients_on_a_copied_list],
                         ids=["A = A.copy()", "arrays = [np.array(A) ...]"])
def test_central_differences_that_nudge_a_copy_are_told(fn):
    line = checks.check_numerical_gradients(fn).lines[0]
    assert line.status == "wrong" and line.mistake == "nudged_copy", line
    assert "every estimate is 0" in line.message and "copy" in line.message, line


def test_a_relative_error_of_a_gradient_with_itself_is_told():
    dW = [np.array([[0.1, -0.2], [0.3, 0.05]])]
    db = [np.array([0.01, -0.02])]
    a = np.concatenate([g.ravel() for g in dW + db])
    n = np.concatenate([g.ravel() for g in dW + db])      # compared with itself, not the estimates
    relative_error = np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))
    assert relative_error == 0.0
    line = checks.check_agreement(relative_error).lines[0]
    assert line.status == "wrong" and "exactly 0" in line.message and "itself" in line.message, line


def test_a_relative_error_typed_as_zero_is_told():
    line = checks.check_agreement(0).lines[0]
    assert line.status == "wrong" and "exactly 0" in line.message, line


@pytest.mark.parametrize("relative_error", [3.1e-11, 2e-10, 8.7e-9])
def test_a_right_relative_error_is_below_1e_7_without_digits(relative_error):
    line = checks.check_agreement(relative_error).lines[0]
    assert line.status == "correct" and "below 1e-7" in line.message, line
    assert "e-07" not in line.message and f"{relative_error:.1e}" not in line.message, line


def test_ex6_relative_error_under_another_key_or_none_does_not_raise():
    cell = check_cell("ex6_backward_pass.ipynb", "check_agreement")
    for answer, words in [({"relative error": 1e-10}, 'did you mean "relative_error"'),
                          ({"rel_err": 1e-10}, 'is your "rel_err" meant to be it'),
                          ({"value": 1e-10}, 'add "relative_error"'),
                          (None, "None"),
                          ({"relative_error": 2e-10}, "agree")]:
        out = io.StringIO()
        with redirect_stdout(out):
            exec(cell, {"checks": checks, "answer": answer})
        assert words in out.getvalue(), out.getvalue()


# ================================================================================================
# Class 5 (rest): diagnoses that pointed the wrong way (exercise 6)
# ================================================================================================

def backward_with_learning_rate(weights, biases, X, T):
    eta = 0.25                               # "the gradient times the learning rate, ready to use"
    ys = forward(weights, biases, X)
    delta = (ys[-1] - T) * ys[-1] * (1 - ys[-1])
    dW, db = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        dW[l] = eta * (ys[l].T @ delta)
        db[l] = eta * delta.sum(axis=0)
        delta = (delta @ weights[l].T) * ys[l] * (1 - ys[l])
    return dW, db


def backward_first_example_sliced(weights, biases, X, T):
    X, T = X[0:1], T[0:1]                    # "one example first, the batch later"
    ys = forward(weights, biases, X)
    return down_the_layers(weights, ys, output_errors(ys, T))


def backward_first_example_indexed(weights, biases, X, T):
    ys = forward(weights, biases, X)
    Y = ys[-1]
    delta = (Y[0] - T[0]) * Y[0] * (1 - Y[0])          # the output errors of one example, a vector
    dW, db = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        dW[l] = np.outer(ys[l][0], delta)
        db[l] = delta
        delta = (weights[l] @ delta) * ys[l][0] * (1 - ys[l][0])
    return dW, db


def backward_lists_not_reversed(weights, biases, X, T):
    ys = forward(weights, biases, X)
    delta = (ys[-1] - T) * ys[-1] * (1 - ys[-1])
    dW, db = [], []
    for l in range(len(weights) - 1, -1, -1):   # from the output layer down ...
        dW.append(ys[l].T @ delta)              # ... appended in that order
        db.append(delta.sum(axis=0))
        delta = (delta @ weights[l].T) * ys[l] * (1 - ys[l])
    return dW, db                               # never reversed


def backward_dW_not_reversed(weights, biases, X, T):
    dW, db = backward_lists_not_reversed(weights, biases, X, T)
    return dW, db[::-1]                         # reversed db, forgot dW


@pytest.mark.parametrize("fn, mistake, words, not_said", [
    pytest.param(backward_with_learning_rate, "eta", ["0.25 times the gradient", "learning rate"],
                 ["averag", "number of examples"], id="eta = 0.25 folded in"),
    pytest.param(backward_first_example_sliced, "first_example_only", ["only the first example", "sum over all rows"],
                 ["output errors", "y(1 - y)"], id="X[0:1], T[0:1]"),
    pytest.param(backward_first_example_indexed, "first_example_only", ["only the first example", "sum over all rows"],
                 ["output errors", "y(1 - y)"], id="Y[0] - T[0]"),
    pytest.param(backward_lists_not_reversed, "reversed_lists",
                 ["lists dW and db", "from the output layer down", "reverse them", "dW[0] is the first layer's"],
                 ["expected", "shape"], id="lists not reversed"),
    pytest.param(backward_dW_not_reversed, "reversed_lists", ["list dW", "reverse it"], ["db", "expected", "shape"],
                 id="dW not reversed"),
])
def test_a_diagnosis_points_at_what_the_student_did(fn, mistake, words, not_said):
    line = checks.check_backward(fn).lines[0]
    assert line.status == "wrong" and line.mistake == mistake, line
    assert all(w in line.message for w in words) and not any(w in line.message for w in not_said), line


def test_no_network_has_as_many_examples_as_one_over_a_learning_rate():
    from bplib.checks._backward import CASES
    for _, n, _ in CASES:
        if n > 1:                           # with one example every factor 1/n is 1: nothing to confuse
            assert all(abs(1 / n - eta) > 1e-9 for eta in (0.01, 0.05, 0.1, 0.2, 0.25, 0.5, 1)), n
