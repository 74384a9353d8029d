"""bplib.checks.check_backward, check_numerical_gradients and check_agreement (exercise 6).

The right answers here are written in the test, one example and one unit at a time with
math.exp (nothing shared with bplib), and themselves checked against central differences. Each
mistake is written as a student would write it, independently of the checker's own list, and must
be recognised and named; malformed answers of every kind give a sentence, never an exception.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from bplib import checks


# ---------------------------------------------------------------- a reference that shares no code

def loop_backward(weights, biases, X, T):
    """dE/dW, dE/db of E = 1/2 sum (t - y)^2 by explicit loops over examples, units and weights."""
    L = len(weights)
    dW = [np.zeros(np.shape(W)) for W in weights]
    db = [np.zeros(len(b)) for b in biases]
    for x, t in zip(np.asarray(X).tolist(), np.asarray(T).tolist()):
        ys = [x]
        for W, b in zip(weights, biases):
            below = ys[-1]
            ys.append([1 / (1 + math.exp(-(sum(below[i] * W[i][j] for i in range(len(below))) + b[j])))
                       for j in range(len(b))])
        errors = [(y - tj) * y * (1 - y) for y, tj in zip(ys[-1], t)]
        for l in range(L - 1, -1, -1):
            for i, y_i in enumerate(ys[l]):
                for j, e_j in enumerate(errors):
                    dW[l][i, j] += y_i * e_j
            for j, e_j in enumerate(errors):
                db[l][j] += e_j
            errors = [ys[l][i] * (1 - ys[l][i]) * sum(weights[l][i][j] * errors[j] for j in range(len(errors)))
                      for i in range(len(ys[l]))]
    return dW, db


def loop_cost(weights, biases, X, T):
    total = 0.0
    for x, t in zip(np.asarray(X).tolist(), np.asarray(T).tolist()):
        y = x
        for W, b in zip(weights, biases):
            y = [1 / (1 + math.exp(-(sum(y[i] * W[i][j] for i in range(len(y))) + b[j]))) for j in range(len(b))]
        total += 0.5 * sum((tj - yj) ** 2 for tj, yj in zip(t, y))
    return total


def network(sizes, n, seed):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5, size=b) for b in sizes[1:]]
    return weights, biases, rng.normal(size=(n, sizes[0])), rng.uniform(0.1, 0.9, size=(n, sizes[-1]))


def test_the_loop_reference_is_the_gradient():
    weights, biases, X, T = network([3, 4, 2], 3, 11)
    dW, db = loop_backward(weights, biases, X, T)
    eps = 1e-6
    for analytic, arrays in ((dW, weights), (db, biases)):
        for A, g in zip(arrays, analytic):
            for index in np.ndindex(A.shape):
                saved = A[index]
                A[index] = saved + eps
                up = loop_cost(weights, biases, X, T)
                A[index] = saved - eps
                down = loop_cost(weights, biases, X, T)
                A[index] = saved
                assert (up - down) / (2 * eps) == pytest.approx(g[index], rel=1e-6, abs=1e-9)


# ---------------------------------------------------------------- students' functions, right and wrong

def sig(z):
    return 1 / (1 + np.exp(-z))


def student(slip=None, eta=0.5):
    """A vectorised backward pass as a student writes it, with at most one slip."""
    def backward(weights, biases, X, T):
        ys, zs = [X], []
        for W, b in zip(weights, biases):
            zs.append(ys[-1] @ W + b)
            ys.append(sig(zs[-1]))
        y = ys[-1]
        if slip == "no_prime_output":
            delta = y - T
        elif slip == "sign":
            delta = (T - y) * y * (1 - y)
        elif slip == "factor_2":
            delta = 2 * (y - T) * y * (1 - y)
        elif slip == "prime_of_z":
            delta = (y - T) * zs[-1] * (1 - zs[-1])
        else:
            delta = (y - T) * y * (1 - y)
        dW, db = [], []
        for l in reversed(range(len(weights))):
            a = {"outputs_above": ys[l + 1], "z_below": zs[l - 1] if l else X}.get(slip, ys[l])
            g = delta.T @ a if slip == "dW_transposed" else a.T @ delta
            if slip == "dW_not_summed":
                g = a[:, :, None] * delta[:, None, :]
            gb = {"db_not_summed": delta, "db_wrong_axis": np.sum(delta, axis=1),
                  "db_keepdims": np.sum(delta, axis=0, keepdims=True)}.get(slip, np.sum(delta, axis=0))
            if slip == "averaged":
                g, gb = g / X.shape[0], np.mean(delta, axis=0)
            if slip == "eta":
                g, gb = eta * g, eta * gb
            dW.insert(0, g)
            db.insert(0, gb)
            back = delta @ weights[l] if slip == "transposed_back" else delta @ weights[l].T
            if slip in ("no_prime_hidden",):
                delta = back
            elif slip == "prime_of_z" and l:
                delta = back * zs[l - 1] * (1 - zs[l - 1])
            else:
                delta = back * ys[l] * (1 - ys[l])
        return dW, db
    return backward


def test_the_vectorised_student_function_is_the_loop_reference():
    for sizes, n, seed in [([2, 3, 2], 4, 0), ([3, 5, 4, 1], 2, 1)]:
        weights, biases, X, T = network(sizes, n, seed)
        got, want = student()(weights, biases, X, T), loop_backward(weights, biases, X, T)
        for a, b in zip(got[0] + got[1], want[0] + want[1]):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("layers", [None, 2, 3, 4])
@pytest.mark.parametrize("fn", [loop_backward, student()], ids=["loops", "vectorised"])
def test_a_right_backward_pass_is_correct(fn, layers):
    feedback = checks.check_backward(fn, layers=layers)
    assert feedback.all_correct, feedback
    assert "2-3-2" in str(feedback) or layers != 2


def test_a_backward_pass_for_two_layers_only_fails_on_deeper_networks():
    def two_layers(weights, biases, X, T):
        W1, W2 = weights
        h = sig(X @ W1 + biases[0])
        y = sig(h @ W2 + biases[1])
        d2 = (y - T) * y * (1 - y)
        d1 = (d2 @ W2.T) * h * (1 - h)
        return [X.T @ d1, h.T @ d2], [d1.sum(0), d2.sum(0)]
    assert checks.check_backward(two_layers, layers=2).all_correct
    deep = checks.check_backward(two_layers).lines[0]
    assert deep.status == "wrong" and deep.mistake == "two_layers_only", deep
    assert "right on the networks with two layers" in deep.message and "ValueError" in deep.message, deep


MISTAKES = {  # slip -> the checker's name for it, and a word its sentence must contain
    "transposed_back": ("transposed_back", "transpose"),
    "dW_transposed": ("dW_transposed", "transpose"),
    "no_prime_hidden": ("no_prime_hidden", "y(1 - y)"),
    "no_prime_output": ("no_prime_output", "y(1 - y)"),
    "prime_of_z": ("prime_of_z", "output y"),
    "outputs_above": ("outputs_above", "layer below"),
    "z_below": ("z_below", "pre-activations"),
    "dW_not_summed": ("dW_not_summed", "one matrix per example"),
    "db_not_summed": ("db_not_summed", "sum the errors over the examples"),
    "db_wrong_axis": ("db_wrong_axis", "axis 0"),
    "db_keepdims": ("db_keepdims", "extra axis"),
    "averaged": ("averaged", "average"),
    "sign": ("sign", "minus the gradient"),
    "factor_2": ("factor_2", "twice"),
    "eta": ("eta", "learning rate"),
}


@pytest.mark.parametrize("layers", [None, 2])
@pytest.mark.parametrize("slip", sorted(MISTAKES))
def test_each_mistake_is_recognised_and_named(slip, layers):
    name, word = MISTAKES[slip]
    feedback = checks.check_backward(student(slip), layers=layers)
    line = feedback.lines[0]
    assert line.status == "wrong" and line.mistake == name, feedback
    assert word in line.message, feedback
    assert "not yet right" in feedback.summary()


@pytest.mark.parametrize("eta", [0.01, 0.1, 0.25, 0.3, 3.0])
def test_a_folded_learning_rate_is_named_with_its_value(eta):
    line = checks.check_backward(student("eta", eta)).lines[0]
    assert line.mistake == "eta" and f"{eta:g} times the gradient" in line.message


def test_a_transposed_weight_matrix_is_named_where_it_can_run_and_its_shape_error_explained():
    line = checks.check_backward(student("transposed_back"), layers=2).lines[0]
    assert "3-3-3" in line.message and "W.T" in line.message and "not square" in line.message


def test_the_first_wrong_array_is_located_when_no_mistake_explains_it():
    def off(weights, biases, X, T):
        dW, db = student()(weights, biases, X, T)
        dW[0] = dW[0] + 0.01 * np.arange(dW[0].size).reshape(dW[0].shape)  # noise in the first layer
        return dW, db
    line = checks.check_backward(off).lines[0]
    assert line.status == "wrong" and not line.mistake
    assert "dW[0]" in line.message and "dW[1], db[1] right" in line.message


@pytest.mark.parametrize("fn, words", [
    (lambda w, b, X, T: 1 / 0, "ZeroDivisionError"),
    (lambda w, b, X, T: None, "returned None"),
    (lambda w, b, X, T: {"dW": 1, "db": 2}, "a dict"),
    (lambda w, b, X, T: (1, 2, 3), "3 things"),
    (lambda w, b, X, T: ([np.zeros(1)], [np.zeros(1)]), "expected 2, one per layer"),
    (lambda w, b, X, T: (np.zeros((2, 3)), [0, 0]), "should be a list"),
    (lambda w, b, X, T: ([None, None], [None, None]), "fill in every layer"),
    (lambda w, b, X, T: ([..., ...], [..., ...]), "fill in every layer"),
    (lambda w, b, X, T: (["a", "b"], [0, 0]), "not an array of numbers"),
    (lambda w, b, X, T: ([np.full(W.shape, np.nan) for W in w], list(b)), "NaN"),
    (lambda w, b, X, T: ([np.zeros((W.shape[1], W.shape[1] + 1)) for W in w], list(b)), "expected (3, 2)"),
    (lambda w, b, X, T: (student()(w, b, X, T)[0], [np.zeros(5) for _ in b]), "expected (2,)"),
    (lambda w, b, X, T: ([np.zeros(W.shape) for W in w], list(b)), "all zeros"),
    (lambda w: w, "TypeError"),
    (42, "should be a function"),
    ("def backward(): pass", "should be a function"),
])
def test_malformed_answers_get_a_sentence(fn, words):
    feedback = checks.check_backward(fn)
    line = feedback.lines[0]
    assert line.status in ("unreadable", "wrong") and words in line.message, feedback
    assert "Traceback" not in str(feedback)


def test_ellipsis_is_not_answered_yet():
    for fn in (..., lambda w, b, X, T: ...):
        feedback = checks.check_backward(fn)
        assert feedback.lines[0].status == "not answered" and "nothing answered yet" in feedback.summary()


def test_shape_messages_name_the_array_and_the_expected_shape():
    def transposed_db(weights, biases, X, T):
        dW, db = student()(weights, biases, X, T)
        return dW, [np.zeros((len(b), 2)) for b in db]
    line = checks.check_backward(transposed_db).lines[0]
    assert "db[1] has shape (2, 2); expected (2,)" in line.message, line


def test_the_student_gets_copies():
    right = student()

    def vandal(weights, biases, X, T):
        result = right(weights, biases, X, T)
        for W in weights:
            W *= 0
        X[:] = np.nan
        biases.clear()
        return result
    line = checks.check_backward(vandal).lines[0]  # the change is named, the right arrays said so
    assert line.mistake == "changed_input" and "right dW and db" in line.message and "weights[0]" in line.message
    assert checks.check_backward(right).all_correct  # the samples were not damaged


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5), st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)))
def test_any_returned_value_gives_feedback_not_an_exception(value):
    feedback = checks.check_backward(lambda w, b, X, T: value)
    assert feedback.lines[0].status in ("unreadable", "wrong", "not answered")
    str(feedback), feedback._repr_markdown_()


@pytest.mark.parametrize("kwargs, error, word", [
    ({"layers": True}, TypeError, "layers"), ({"layers": 2.0}, TypeError, "layers"),
    ({"layers": 1}, ValueError, "layers"), ({"layers": 5}, ValueError, "layers"),
    ({"name": 3}, TypeError, "name"), ({"name": "two words"}, TypeError, "name"),
])
def test_the_authors_arguments_are_checked(kwargs, error, word):
    with pytest.raises(error, match=word):
        checks.check_backward(student(), **kwargs)


# ---------------------------------------------------------------- the student's central differences

def central(E, arrays, eps):
    out = []
    for A in arrays:
        g = np.empty(A.shape)
        flat = A.reshape(-1)  # a view: nudging it nudges A
        for k in range(flat.size):
            keep = flat[k]
            flat[k] = keep + eps
            up = E()
            flat[k] = keep - eps
            down = E()
            flat[k] = keep
            g.reshape(-1)[k] = (up - down) / (2 * eps)
        out.append(g)
    return out


def one_sided(E, arrays, eps):
    out = []
    for A in arrays:
        g = np.empty(A.shape)
        for index in np.ndindex(A.shape):
            here = E()
            A[index] += eps
            g[index] = (E() - here) / eps
            A[index] -= eps
        out.append(g)
    return out


def without_two(E, arrays, eps):
    return [2 * g for g in central(E, arrays, eps)]


def never_restores(E, arrays, eps):
    out = []
    for A in arrays:
        g = np.empty(A.shape)
        for index in np.ndindex(A.shape):
            A[index] += eps
            up = E()
            A[index] -= 2 * eps
            g[index] = (up - E()) / (2 * eps)
        out.append(g)
    return out


def whole_array(E, arrays, eps):
    out = []
    for A in arrays:
        A += eps
        up = E()
        A -= 2 * eps
        down = E()
        A += eps
        out.append(np.full(A.shape, (up - down) / (2 * eps)))
    return out


def test_right_central_differences_are_correct():
    assert checks.check_numerical_gradients(central).all_correct


@pytest.mark.parametrize("fn, name", [(one_sided, "forward"), (without_two, "no_two"),
                                      (never_restores, "not_restored"), (whole_array, "whole_array")])
def test_central_difference_mistakes_are_named(fn, name):
    line = checks.check_numerical_gradients(fn).lines[0]
    assert line.status == "wrong" and line.mistake == name, line


def test_central_differences_that_ignore_eps_are_told_so():
    line = checks.check_numerical_gradients(lambda E, arrays, eps: central(E, arrays, 1e-6)).lines[0]
    assert line.status == "wrong" and "use the argument eps" in line.message


@pytest.mark.parametrize("fn, words", [(..., "not answered yet"), (lambda E, a, eps: ..., "not answered yet"),
                                       (lambda E, a, eps: None, "returned None"), (1.5, "should be a function"),
                                       (lambda E, a, eps: 1 / 0, "ZeroDivisionError"),
                                       (lambda E, a, eps: np.zeros(3), "should be a list"),
                                       (lambda E, a, eps: [np.zeros(1)] * len(a), "shape")])
def test_malformed_central_differences_get_a_sentence(fn, words):
    assert words in checks.check_numerical_gradients(fn).lines[0].message


# ---------------------------------------------------------------- the relative error the student measured

@pytest.mark.parametrize("value, status, words", [
    (..., "not answered", "not answered yet"), (3e-11, "correct", "agree"), (np.float64(2e-9), "correct", "agree"),
    (0.0, "wrong", "compares a gradient with itself"), (1e-5, "wrong", "between"), (0.3, "wrong", "disagree"), (1.7, "wrong", "between 0 and 1"),
    (-1e-3, "wrong", "between 0 and 1"), (None, "unreadable", "None"), ("1e-10", "unreadable", "quotes"),
    (float("nan"), "unreadable", "NaN"), (np.array([1e-10, 2e-10]), "unreadable", "one number"),
])
def test_the_measured_relative_error_is_read(value, status, words):
    line = checks.check_agreement(value).lines[0]
    assert line.status == status and words in line.message, line


def test_check_agreement_checks_its_name():
    with pytest.raises(TypeError, match="name"):
        checks.check_agreement(1e-10, name=None)
