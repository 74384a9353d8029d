"""Every public function, fed one malformed argument: a finite result or a clear error, never harm.

For each public function of bplib's core, experiments, checks and prose (a module's ``__all__``
when it has one, else its names without a leading underscore), `SPECS` gives a valid call.
Hypothesis replaces one argument at a time by a value from `BAD` (wrong types, NaN and
infinities, empty and 3-D arrays, bools and text where numbers go, numbers too large to square,
integers too large for a float, zero and negative sizes) and the call must either

- return a result whose every number is finite, or
- raise ``TypeError`` or ``ValueError`` whose message names the argument,

and must leave every array, list and network it was given unchanged. A student's answer
(``answer``, a student's function ``fn``) must never make a check raise. The last test fails
when a new public function has no entry in `SPECS`, so none can slip past these rules.
``bplib.checks.expressions`` is held to them like the rest: its functions check the author's
structure, network and expressions by name. (``bplib.plots`` and ``bplib.widgets`` draw what the
core computes; tests/test_widgets.py and the site build exercise them.)
"""
import copy
import importlib
import inspect
import math
import numbers
import pkgutil
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import bplib
import bplib.checks
from bplib.checks import expressions
from bplib import activations, costs, examples, gradient_check, graph, optimizers, prose, search
from bplib.experiments import cost_of_gradients, depth, features, modes, symmetry, weight_space
from bplib.plots.table import Table
from bplib import practice


def net():
    return bplib.Network.random([2, 3, 1], rng=0)


def X():
    return np.array([[0.5, -0.2], [0.1, 0.3]])


def T():
    return np.array([[0.2], [0.9]])


def Z():
    return np.array([[-2.0, 0.0, 3.0]])


def Y():
    return np.array([[0.1, 0.5, 0.9]])


def grads():
    return [np.full((2, 3), 0.1), np.full((3, 1), -0.2)]


EX2 = examples.example2()
STRUCTURE = examples.example1()
NET1 = examples.example1_network(rng=0)
X1, T1 = np.array([[0.3, 0.7]]), np.array([[1.0, 0.0]])


def gd_step(eta, grads):
    optimizer = optimizers.GradientDescent(eta)
    return optimizer.step(optimizer.init(globals()["grads"]()), grads)


def momentum_step(eta, mu, grads):
    optimizer = optimizers.Momentum(eta, mu)
    return optimizer.step(optimizer.init(globals()["grads"]()), grads)


def rmsprop_step(eta, rho, eps, grads):
    optimizer = optimizers.RMSProp(eta, rho, eps)
    return optimizer.step(optimizer.init(globals()["grads"]()), grads)


def network_random(sizes, activations, bias, rng, dtype):
    return bplib.Network.random(sizes, activations, bias=bias, rng=rng, dtype=dtype)


def graph_operation(operation):
    """An adapter: one operation of bplib.graph.Value on a leaf, then backward(); (result, gradient)."""
    def run(data, **operand):
        leaf = graph.Value(data, "a")
        out = operation(leaf, *operand.values())
        out.backward()
        return out.data, leaf.grad
    return run


def value_add(data, other):
    return graph_operation(lambda a, b: a + b)(data, other=other)


def value_sub(data, other):
    return graph_operation(lambda a, b: b - a)(data, other=other)


def value_mul(data, other):
    return graph_operation(lambda a, b: a * b)(data, other=other)


def value_pow(data, exponent):
    return graph_operation(lambda a, p: a ** p)(data, exponent=exponent)


def value_sigmoid_half_square(data):
    return graph_operation(lambda a: (-a).sigmoid().half_square())(data)


def sigmoid_prime_student(y):
    return y * (1 - y)


def backward_student(weights, biases, X, T):
    """Exercise 6's backward pass of a sigmoid network, as a student writes it."""
    ys = [X]
    for W, b in zip(weights, biases):
        ys.append(1 / (1 + np.exp(-(ys[-1] @ W + b))))
    delta, dW, db = (ys[-1] - T) * ys[-1] * (1 - ys[-1]), [], []
    for l in reversed(range(len(weights))):
        dW.insert(0, ys[l].T @ delta)
        db.insert(0, delta.sum(axis=0))
        delta = (delta @ weights[l].T) * ys[l] * (1 - ys[l])
    return dW, db


def numerical_gradients_student(E, arrays, eps):
    """Exercise 6's central differences over a list of arrays."""
    out = []
    for A in arrays:
        g = np.zeros_like(A)
        for index in np.ndindex(A.shape):
            saved = A[index]
            A[index] = saved + eps
            up = E()
            A[index] = saved - eps
            g[index] = (up - E()) / (2 * eps)
            A[index] = saved
        out.append(g)
    return out


# function -> valid arguments (each value, or a function that makes a fresh one). Arguments listed
# in STUDENT are a student's: any value at all must give feedback, not an exception.
SPECS = {
    # activations and costs: pure functions of arrays
    **{getattr(activations, n): {"z": Z} for n in ["sigmoid", "step", "tanh", "relu", "identity"]},
    **{getattr(activations, n + "_prime"): {"y": Y} for n in ["sigmoid", "step", "tanh", "relu", "identity"]},
    activations.get: {"activation": "tanh"},
    **{getattr(costs, n): {"y": Y, "t": Y} for n in ["half_sse", "half_sse_prime", "sse", "sse_prime", "mse",
                                                     "mse_prime", "nll_delta"]},
    costs.nll: {"z": Z, "t": Y},
    activations.softmax: {"z": Z},
    activations.softmax_backward: {"y": Y, "g": Z},
    costs.mae: {"y": Y, "t": Z},
    costs.mae_prime: {"y": Y, "t": Z},
    costs.categorical_cross_entropy: {"z": Z, "t": lambda: np.array([[0.0, 1.0, 0.0]])},
    costs.categorical_cross_entropy_delta: {"y": Y, "t": lambda: np.array([[0.0, 1.0, 0.0]])},
    costs.is_average: {"cost": "mse"},
    costs.value: {"cost": "half_sse", "z": Z, "y": Y, "t": Y},
    costs.output_delta: {"cost": "half_sse", "y": Y, "t": Y, "f_prime": lambda: activations.sigmoid_prime},
    costs.l2_penalty: {"weights": grads, "lam": 0.1},
    costs.l2_gradient: {"W": lambda: np.ones((2, 3)), "lam": 0.1},
    # the network and its passes
    bplib.Network: {"weights": grads, "biases": None, "activations": "sigmoid", "dtype": np.float64},
    network_random: {"sizes": lambda: [2, 3, 1], "activations": "sigmoid", "bias": True, "rng": 0,
                     "dtype": np.float64},
    bplib.forward: {"net": net, "X": X},
    bplib.cost: {"net": net, "X": X, "T": T, "cost": "half_sse", "lam": 0.01, "average": False},
    bplib.backward: {"net": net, "X": X, "T": T, "cost": "half_sse", "lam": 0.01, "average": False},
    bplib.update: {"net": net, "dW": grads, "db": lambda: [np.zeros(3), np.zeros(1)], "eta": 0.5},
    bplib.step: {"net": net, "X": X, "T": T, "eta": 0.5, "cost": "half_sse", "lam": 0.01,
                 "order": "simultaneous", "average": True, "learn_biases": True},
    bplib.train: {"net": net, "X": X, "T": T, "eta": 0.5, "epochs": 2, "batch_size": 1, "cost": "half_sse",
                  "lam": 0.01, "order": "layerwise", "rng": 0, "shuffle": True, "learn_biases": True,
                  "record_epochs": True},
    # optimisers
    optimizers.gradient_descent: {"grad": lambda: np.ones((2, 3)), "eta": 0.1},
    optimizers.momentum: {"velocity": lambda: np.zeros((2, 3)), "grad": lambda: np.ones((2, 3)), "eta": 0.1,
                          "mu": 0.9},
    optimizers.rmsprop: {"mean_square": lambda: np.zeros((2, 3)), "grad": lambda: np.ones((2, 3)), "eta": 0.1,
                         "rho": 0.9, "eps": 1e-8},
    optimizers.bold_driver: {"eta": 0.1, "E_before": 1.0, "E_after": 0.5, "increase": 1.05, "decrease": 0.5},
    gd_step: {"eta": 0.1, "grads": grads},
    momentum_step: {"eta": 0.1, "mu": 0.9, "grads": grads},
    rmsprop_step: {"eta": 0.1, "rho": 0.9, "eps": 1e-8, "grads": grads},
    optimizers.train_with: {"optimizer": lambda: optimizers.Momentum(0.1), "net": net, "X": X, "T": T, "epochs": 2,
                            "batch_size": 1, "cost": "half_sse", "lam": 0.0, "rng": 0, "shuffle": True,
                            "learn_biases": True, "record_epochs": True},
    optimizers.train_bold_driver: {"net": net, "X": X, "T": T, "eta": 0.5, "epochs": 2, "cost": "half_sse",
                                   "lam": 0.0, "increase": 1.05, "decrease": 0.5},
    optimizers.learning_curve: {"net": net, "X": X, "T": T, "eta": 0.5, "epochs": 2, "batch_size": None,
                                "cost": "half_sse", "lam": 0.0, "rng": 0, "stop_above": None},
    # gradient checking and the random-perturbation learner
    gradient_check.relative_error: {"analytic": lambda: [np.ones(2)], "numeric": lambda: [np.ones(2) * 1.01]},
    gradient_check.numerical_gradient: {"f": lambda: (lambda: 0.0), "w": lambda: np.ones(3), "eps": 1e-6},
    bplib.gradcheck: {"net": net, "X": X, "T": T, "cost": "half_sse", "lam": 0.01, "average": False, "eps": 1e-6},
    search.random_perturbation: {"net": net, "X": X, "T": T, "rounds": 2, "trials_per_example": 3, "step": 0.1,
                                 "cost": "half_sse", "rng": 0},
    # the lecture's examples and the book's numbers
    examples.example1: {},
    examples.example2: {},
    examples.example3: {},
    examples.mazur: {},
    examples.example1_network: {"rng": 0},
    prose.record: {"key": "test_key", "value": 0.5},
    prose.below: {"key": "test_key", "value": 1e-12, "bound": 1e-9},
    # the computational graph of scalars
    graph.Value: {"data": 0.5, "label": "x"},
    value_add: {"data": 0.5, "other": 1.5},
    value_sub: {"data": 0.5, "other": 1.5},
    value_mul: {"data": 0.5, "other": 1.5},
    value_pow: {"data": 0.5, "exponent": 2.0},
    value_sigmoid_half_square: {"data": 0.5},
    graph.nodes: {"root": lambda: graph.example_graph().cost},
    graph.node_rows: {"order": lambda: graph.example_graph().nodes, "decimals": 4},
    graph.example_graph: {"example": EX2},
    # the chapters' experiments
    features.n_monomials: {"d": 3, "p": 2},
    features.n_polynomial_features: {"d": 3, "p": 2, "include_constant": False},
    features.n_distinct_products: {"d": 3, "p": 2},
    features.image_inputs: {"height": 4, "width": 5, "channels": 3},
    weight_space.network: {"w": lambda: np.array([1.0, 1.0]), "activation": "sigmoid"},
    weight_space.error_at: {"w": lambda: np.array([1.0, 1.0]), "x": lambda: np.array([1.0, -0.5]), "t": 0.8,
                            "activation": "sigmoid", "cost": "half_sse"},
    weight_space.error_grid: {"w1s": lambda: np.linspace(0, 2, 3), "w2s": lambda: np.linspace(0, 2, 4),
                              "x": lambda: np.array([1.0, -0.5]), "t": 0.8, "activation": "sigmoid",
                              "cost": "half_sse"},
    weight_space.neighbour_weights: {"w": lambda: np.array([1.0, 1.0]), "d": 0.1},
    weight_space.neighbour_errors: {"w": lambda: np.array([1.0, 1.0]), "x": lambda: np.array([1.0, -0.5]),
                                    "t": 0.8, "d": 0.1, "activation": "sigmoid", "cost": "half_sse"},
    weight_space.slopes_from_neighbours: {"E": lambda: np.arange(9.0).reshape(3, 3) / 10, "d": 0.1},
    weight_space.gradient: {"w": lambda: np.array([1.0, 1.0]), "x": lambda: np.array([1.0, -0.5]), "t": 0.8,
                            "activation": "sigmoid", "cost": "half_sse"},
    weight_space.descent_path: {"w0": lambda: np.array([1.0, 1.0]), "x": lambda: np.array([1.0, -0.5]), "t": 0.8,
                                "eta": 1.0, "n_steps": 3, "activation": "sigmoid", "cost": "half_sse"},
    cost_of_gradients.n_parameters: {"sizes": lambda: [2, 3, 1], "bias": True},
    cost_of_gradients.forward_multiply_adds: {"sizes": lambda: [2, 3, 1], "n": 1},
    cost_of_gradients.backward_multiply_adds: {"sizes": lambda: [2, 3, 1], "n": 1},
    cost_of_gradients.count_costs: {"sizes": lambda: [2, 3, 1], "bias": True},
    cost_of_gradients.sizes_for_width: {"width": 4, "depth": 2, "n_in": None, "n_out": None},
    cost_of_gradients.time_gradients: {"net": net, "X": X, "T": T, "repeats": 1, "fd_repeats": 1, "eps": 1e-6},
    cost_of_gradients.measure_scaling: {"widths": lambda: [2, 3], "depth": 2, "n": 1, "rng": 0, "repeats": 1,
                                        "fd_repeats": 1},
    modes.directional_derivative: {"net": net, "X": X, "T": T, "dW": grads, "db": lambda: [np.full(3, 0.1), None]},
    modes.forward_mode_gradient: {"net": net, "X": X, "T": T},
    modes.count_modes: {"sizes": lambda: [2, 3, 1], "bias": True},
    modes.kept_bytes: {"sizes": lambda: [2, 3, 1], "n": 4, "itemsize": 8},
    modes.measure_kept_bytes: {"net": net, "X": X},
    modes.memory_scan: {"batch_sizes": lambda: [1, 2], "depths": lambda: [2, 3], "width": 4, "n_in": 3, "n_out": 2,
                        "rng": 0},
    symmetry.xor: {},
    symmetry.equal_network: {"n_hidden": 3, "weight": 0.5, "bias": 0.0},
    symmetry.random_network: {"n_hidden": 3, "rng": 0},
    symmetry.unit_difference: {"net": net, "layer": 0},
    symmetry.train_watching: {"net": net, "X": X, "T": T, "eta": 0.5, "epochs": 2},
    symmetry.compare_starts: {"n_hidden": 3, "weight": 0.5, "bias": 0.0, "eta": 2.0, "epochs": 2, "rng": 0},
    depth.deep_network: {"activation": "tanh", "depth": 3, "width": 4, "rng": 0},
    depth.error_sizes: {"activation": "relu", "depth": 3, "width": 4, "n": 5, "rng": 0},
    depth.compare_activations: {"activations": lambda: ["sigmoid", "tanh"], "depth": 3, "width": 4, "n": 5, "rng": 0},
    depth.shrinkage: {"errors": lambda: depth.error_sizes("sigmoid", depth=3, width=4, n=5, rng=0)},
    # exercise feedback: the authors' arguments are checked; the students' never raise
    bplib.checks.check_example: {"answer": lambda: {"z_top": 0.755, "y_top": 0.68}, "example": EX2,
                                 "order": "layerwise", "keys": None},
    bplib.checks.slide_table: {"example": EX2},
    bplib.checks.reference: {"structure": STRUCTURE, "net": NET1, "x": lambda: X1.copy(), "t": lambda: T1.copy(),
                             "eta": 0.5, "order": "layerwise", "keys": None, "slides": None, "decimals": 4,
                             "title": "Your answer"},
    bplib.checks.check: {"answer": lambda: {"z_A": 0.5}, "ref": lambda: bplib.checks.reference(
        STRUCTURE, NET1, X1, T1, 0.5)},
    bplib.checks.values_reference: {"values": lambda: {"a": 0.25, "b": 1.5}, "title": "Your numbers", "decimals": 4,
                                    "hints": None, "how": None},
    bplib.checks.check_function: {"fn": lambda: sigmoid_prime_student, "name": "sigmoid_prime"},
    bplib.checks.read_number: {"value": 0.5},
    bplib.checks.check_backward: {"fn": lambda: backward_student, "layers": 2, "name": "backward"},
    bplib.checks.check_numerical_gradients: {"fn": lambda: numerical_gradients_student, "name": "numerical_gradients"},
    bplib.checks.check_agreement: {"relative_error": 1e-10, "name": "relative_error"},
    bplib.checks.check_operations: {"add": lambda: lambda a, b: ..., "mul": lambda: lambda a, b: ...,
                                    "sigmoid": lambda: lambda a: ..., "relu": lambda: lambda a: ...},
    bplib.checks.check_engine: {"backward": lambda: lambda root: ...},
    bplib.checks.check_matmul: {"matmul": lambda: lambda A, B: ...},
    expressions.dependencies: {"expression": lambda: expressions.update_expressions(STRUCTURE)[0]},
    expressions.evaluate: {"expressions": lambda: expressions.all_expressions(STRUCTURE),
                           "given": lambda: expressions.given_values(STRUCTURE, NET1, X1, T1, 0.5),
                           "evaluators": None},
    expressions.given_values: {"structure": STRUCTURE, "net": NET1, "x": lambda: X1.copy(), "t": lambda: T1.copy(),
                               "eta": 0.5},
    expressions.instantiate: {"structure": STRUCTURE, "net": NET1, "x": lambda: X1.copy(), "t": lambda: T1.copy(),
                              "eta": 0.5, "order": "simultaneous"},
    expressions.weight_arrays: {"structure": STRUCTURE, "values": lambda: expressions.instantiate(
        STRUCTURE, NET1, X1, T1, 0.5), "suffix": "_new"},
    expressions.layers_of: {"structure": STRUCTURE},
    expressions.unit_key: {"name": "A"},
    expressions.weight_key: {"source": "A", "target": r"\alpha"},
    expressions.update_expressions: {"structure": STRUCTURE, "order": "simultaneous"},
    expressions.all_expressions: {"structure": STRUCTURE, "order": "simultaneous"},
    expressions.to_latex: {"expressions": lambda: expressions.update_expressions(STRUCTURE), "step": 1},
    # a table of numbers for display (chapter 9)
    Table: {"headers": lambda: ("quantity", "slide", "exact"), "rows": lambda: [("Input_Top", "0.76", 0.755)],
            "caption": "Example 2"},
    # practice problems (the class's files are made through python -m bplib.practice, tests/test_practice_class.py)
    practice.draw: {"kind": "example2", "seed": 3},
    practice.seed_for: {"student_id": "S001"},
    practice.statement: {"problem": lambda: practice.problem("example1", 3)},
    practice.answer_key: {"problem": lambda: practice.problem("three_layer", 3), "collapsed": True},
    practice.widget: {"kind": "example3"},
}
STUDENT = {(bplib.checks.check_example, "answer"), (bplib.checks.check, "answer"),
           (bplib.checks.check_function, "fn"), (bplib.checks.read_number, "value"),
           (bplib.checks.check_backward, "fn"), (bplib.checks.check_numerical_gradients, "fn"),
           (bplib.checks.check_agreement, "relative_error"), (bplib.checks.check_operations, "add"),
           (bplib.checks.check_operations, "mul"), (bplib.checks.check_operations, "sigmoid"),
           (bplib.checks.check_operations, "relu"), (bplib.checks.check_engine, "backward"),
           (bplib.checks.check_matmul, "matmul")}

BAD = [None, "text", True, np.nan, np.inf, -np.inf, -1, 0, 10**400, 1e308, -1e308, 1e155, 2.5,
       np.zeros((0, 2)), np.ones((2, 2, 2)), np.array([1, 0]), [[1e155]], [[1e300, -1e300]], {}, object(), [],
       np.array(["a"]), 3 + 4j, np.array([[np.nan, 1.0]]), [1.0, "a"], [None], lambda *args: None,
       np.full((2, 3), 1e200), [np.full((2, 3), 1e200), np.full((3, 1), 1e200)]]


def make(value):
    """A valid value from SPECS: a function (not a class) makes a fresh one; anything else is the value."""
    return value() if callable(value) and not isinstance(value, type) else value


def fresh(spec):
    return {name: make(value) for name, value in spec.items()}


def snapshot(value):
    """A deep copy to compare with after the call (None where a value cannot be copied)."""
    try:
        return copy.deepcopy(value)
    except Exception:
        return None


def same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and (
            a.dtype.kind not in "fc" or np.array_equal(a, b, equal_nan=True)) and (
            a.dtype.kind in "fc" or np.array_equal(a, b))
    if isinstance(a, bplib.Network):
        return same(a.weights, b.weights) and same(a.biases, b.biases) and a.activations == b.activations
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return True  # numbers, strings, functions: immutable or not ours to compare


def finite(value, seen=None):
    """True if every number reachable in ``value`` (arrays, tuples, lists, dicts, networks) is finite."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return True
    seen.add(id(value))
    if isinstance(value, (bool, str, bytes)) or value is None:
        return True
    if isinstance(value, numbers.Real):
        return math.isfinite(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if isinstance(value, bplib.Network):
        return finite(value.weights, seen) and finite(value.biases, seen)
    if isinstance(value, dict):
        return all(finite(v, seen) for v in value.values())
    if isinstance(value, (tuple, list)):
        return all(finite(v, seen) for v in value)
    return True


def call(function, kwargs):
    before = {name: snapshot(value) for name, value in kwargs.items()}
    try:
        result = function(**kwargs)
    except (TypeError, ValueError) as error:
        return None, error, before
    return result, None, before


def check_outcome(function, kwargs, result, error, before, bad_name=None):
    where = f"{function.__qualname__}({', '.join(f'{k}={v!r:.60}' for k, v in kwargs.items())})"
    if error is not None:
        assert (function, bad_name) not in STUDENT, f"{where}: a student's answer raised {error!r}"
        assert bad_name is not None, f"{where}: valid arguments raised {error!r}"
        message = str(error)
        # a short name (x, t, d) must stand as a word; a longer one may begin one ("activation[s]")
        pattern = rf"\b{re.escape(bad_name)}\b" if len(bad_name) <= 2 else rf"\b{re.escape(bad_name)}"
        assert re.search(pattern, message, re.IGNORECASE), (f"{where}: the error does not name the argument {bad_name!r}: "
                                     f"{type(error).__name__}: {message}")
    else:
        assert finite(result), f"{where}: returned a result that is not finite: {result!r:.300}"
    for name, old in before.items():
        if old is not None:
            assert same(old, kwargs[name]), f"{where}: changed the caller's argument {name!r}"


SPEC_ITEMS = list(SPECS.items())
IDS = [f"{f.__module__.replace('bplib.', '')}.{f.__qualname__}" for f, _ in SPEC_ITEMS]


@pytest.mark.parametrize("function, spec", SPEC_ITEMS, ids=IDS)
def test_valid_arguments_give_a_finite_result_and_leave_them_unchanged(function, spec):
    kwargs = fresh(spec)
    result, error, before = call(function, kwargs)
    check_outcome(function, kwargs, result, error, before)


@pytest.mark.parametrize("function, spec", [item for item in SPEC_ITEMS if item[1]],
                         ids=[i for i, item in zip(IDS, SPEC_ITEMS) if item[1]])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_malformed_argument_gives_a_finite_result_or_an_error_naming_it(function, spec, data):
    bad_name = data.draw(st.sampled_from(sorted(spec)), label="argument")
    bad = data.draw(st.sampled_from(range(len(BAD))), label="bad value index")
    kwargs = fresh(spec)
    kwargs[bad_name] = copy.deepcopy(BAD[bad]) if not callable(BAD[bad]) else BAD[bad]
    result, error, before = call(function, kwargs)
    check_outcome(function, kwargs, result, error, before, bad_name)


def public_callables():
    """Every public function and class of bplib outside plots/ and widgets/ (see the docstring)."""
    found = set()
    for info in pkgutil.walk_packages(bplib.__path__, "bplib."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or parts[1] in ("plots", "widgets"):
            continue
        module = importlib.import_module(info.name)
        declared = getattr(module, "__all__", None)
        for name in declared or [n for n in vars(module) if not n.startswith("_")]:
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)) or not obj.__module__.startswith("bplib"):
                continue
            if declared or obj.__module__ == module.__name__:  # without __all__, what the module defines
                found.add(obj)
    return found


# result records (NamedTuples and the feedback an exercise prints): built by bplib, not called by users
RECORDS = {"Forward", "Backward", "History", "GradCheck", "SearchHistory", "Example", "Symbolic", "CostCount",
           "Timing", "DescentPath", "Expression", "Feedback", "Line", "ExampleGraph", "Problem", "KeyEntry", "Kind", "Part"}
# classes whose behaviour is reached through an adapter in SPECS
THROUGH = {optimizers.GradientDescent: gd_step, optimizers.Momentum: momentum_step, optimizers.RMSProp: rmsprop_step}


def is_constraint(obj):
    """A constraint ``(name, value, arguments)`` of ``_validate.declare``, fuzzed through the functions declaring it."""
    return inspect.isfunction(obj) and list(inspect.signature(obj).parameters) == ["name", "value", "arguments"]


def test_every_public_function_has_a_spec():
    covered = set(SPECS) | set(THROUGH)
    missing = sorted(f"{obj.__module__}.{obj.__qualname__}" for obj in public_callables()
                     if obj not in covered and obj.__name__ not in RECORDS and not is_constraint(obj))
    assert not missing, f"public functions without an entry in tests/test_bad_input.py SPECS: {missing}"
