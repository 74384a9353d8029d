"""bplib.checks.check_operations, check_engine and check_matmul (exercise 7: build the engine).

Each student's engine here is typed by hand, as a student would write it, with one slip in it;
the checker must give the verdict "wrong" (or "unreadable" where nothing can be judged), name the
slip and say what to do. The right engines must pass. Nothing a student writes may make a check
raise. The reference gradients themselves are checked against bplib.graph and central
differences inside the checker; here the graphs' right answers are worked out by hand once.
"""
import math

import numpy as np
import pytest

import bplib
from bplib import checks


class Value:
    """The notebook's node, typed again."""

    def __init__(self, data, parents=(), backs=()):
        self.data, self.grad = data, 0.0
        self.parents, self.backs = tuple(parents), tuple(backs)


# ---------------------------------------------------------------- right operations, two ways

def add(a, b):
    return Value(a.data + b.data, (a, b), (lambda g: g, lambda g: g))


def mul(a, b):
    return Value(a.data * b.data, (a, b), (lambda g: g * b.data, lambda g: g * a.data))


def sigmoid(a):
    y = 1 / (1 + np.exp(-a.data))
    return Value(y, (a,), (lambda g: g * y * (1 - y),))


def relu(a):
    return Value(np.maximum(a.data, 0), (a,), (lambda g: g * (a.data > 0),))


def sigmoid_tanh(a):
    y = 0.5 * (1 + np.tanh(a.data / 2))
    return Value(y, [a], [lambda g: y * (1 - y) * g])


def relu_where(a):
    return Value(np.where(a.data > 0, a.data, 0.0), [a], [lambda g: np.where(a.data > 0, g, 0.0)])


def ops(**changed):
    chosen = dict(add=add, mul=mul, sigmoid=sigmoid, relu=relu)
    chosen.update(changed)
    return checks.check_operations(**chosen)


def line_of(feedback, key):
    return next(line for line in feedback.lines if line.key == key)


def test_right_operations_pass():
    feedback = ops()
    assert feedback.all_correct, str(feedback)
    assert "all 4 correct" in feedback.summary()


def test_right_operations_written_otherwise_pass():
    assert ops(sigmoid=sigmoid_tanh, relu=relu_where).all_correct


def wrong(feedback, key, mistake, *words):
    line = line_of(feedback, key)
    assert line.status == "wrong", str(feedback)
    assert line.mistake == mistake, str(feedback)
    for word in words:
        assert word in line.message, (word, line.message)
    others = [l for l in feedback.lines if l.key != key]
    assert all(l.status == "correct" for l in others), str(feedback)
    return line


# ---------------------------------------------------------------- slips in the operations

def test_mul_local_gradient_from_its_own_operand():
    def mul_own(a, b):
        return Value(a.data * b.data, (a, b), (lambda g: g * a.data, lambda g: g * b.data))
    wrong(ops(mul=mul_own), "mul", "mul_operand", "OTHER operand", "0.8", "-1.3")


def test_mul_only_one_local_gradient_swapped():
    def mul_half(a, b):
        return Value(a.data * b.data, (a, b), (lambda g: g * b.data, lambda g: g * b.data))
    wrong(ops(mul=mul_half), "mul", "mul_operand", "back_b", "OTHER operand")


def test_sigmoid_slope_from_z():
    def sigmoid_z(a):
        y = 1 / (1 + np.exp(-a.data))
        return Value(y, (a,), (lambda g: g * a.data * (1 - a.data),))
    wrong(ops(sigmoid=sigmoid_z), "sigmoid", "sigma_from_z", "computed from z", "y = sigma(z)")


def test_sigmoid_slope_formula_for_z_applied_to_y():
    def sigmoid_twice(a):
        y = 1 / (1 + np.exp(-a.data))
        s = 1 / (1 + np.exp(-y))
        return Value(y, (a,), (lambda g: g * s * (1 - s),))
    wrong(ops(sigmoid=sigmoid_twice), "sigmoid", "sigma_of_y", "sigma(y)(1 - sigma(y))", "already holds y")


def test_sigmoid_forward_value_wrong():
    def sigmoid_sign(a):
        y = 1 / (1 + np.exp(a.data))
        return Value(y, (a,), (lambda g: g * y * (1 - y),))
    line = wrong(ops(sigmoid=sigmoid_sign), "sigmoid", "forward", "data is 0.31", "expected 0.69")


def test_relu_slope_on_the_wrong_side():
    def relu_side(a):
        return Value(np.maximum(a.data, 0), (a,), (lambda g: g * (a.data < 0),))
    wrong(ops(relu=relu_side), "relu", "relu_side", "wrong way round")


def test_relu_slope_is_its_value():
    def relu_value(a):
        y = np.maximum(a.data, 0)
        return Value(y, (a,), (lambda g: g * y,))
    wrong(ops(relu=relu_value), "relu", "relu_value", "relu's value, not its slope")


def test_back_function_ignores_the_upstream_gradient():
    def mul_no_g(a, b):
        return Value(a.data * b.data, (a, b), (lambda g: b.data, lambda g: a.data))
    wrong(ops(mul=mul_no_g), "mul", "no_upstream", "upstream gradient g")


def test_add_local_gradients_are_the_operands():
    def add_values(a, b):
        return Value(a.data + b.data, (a, b), (lambda g: g * a.data, lambda g: g * b.data))
    wrong(ops(add=add_values), "add", "", "each local gradient is 1")


def test_add_forward_subtracts():
    def add_minus(a, b):
        return Value(a.data - b.data, (a, b), (lambda g: g, lambda g: -g))
    wrong(ops(add=add_minus), "add", "forward", "data is 2.1", "expected -0.5")


def test_operation_returns_a_plain_number():
    line = line_of(ops(add=lambda a, b: a.data + b.data), "add")
    assert line.status == "unreadable" and line.mistake == "no_node" and "plain number" in line.message


def test_operation_forgets_to_return():
    def mul_no_return(a, b):
        Value(a.data * b.data, (a, b), (lambda g: g * b.data, lambda g: g * a.data))
    line = line_of(ops(mul=mul_no_return), "mul")
    assert line.status == "unreadable" and "forget to return" in line.message


def test_parents_are_copies():
    def add_copies(a, b):
        return Value(a.data + b.data, (Value(a.data), Value(b.data)), (lambda g: g, lambda g: g))
    wrong(ops(add=add_copies), "add", "parents", "operand nodes themselves")


def test_parents_are_the_numbers():
    def mul_numbers(a, b):
        return Value(a.data * b.data, (a.data, b.data), (lambda g: g * b.data, lambda g: g * a.data))
    wrong(ops(mul=mul_numbers), "mul", "parents", "operand nodes themselves", "0.8")


def test_one_back_function_for_two_parents():
    def add_one_back(a, b):
        return Value(a.data + b.data, (a, b), (lambda g: g,))
    wrong(ops(add=add_one_back), "add", "backs", "2 back functions")


def test_local_gradients_stored_as_numbers_not_functions():
    def mul_numbers_as_backs(a, b):
        return Value(a.data * b.data, (a, b), (b.data, a.data))
    wrong(ops(mul=mul_numbers_as_backs), "mul", "backs", "lambda g")


def test_relu_with_max_fails_on_arrays():
    def relu_max(a):
        return Value(max(a.data, 0.0), (a,), (lambda g: g * (1.0 if a.data > 0 else 0.0),))
    wrong(ops(relu=relu_max), "relu", "arrays", "right on numbers", "np.maximum")


def test_sigmoid_with_math_exp_fails_on_arrays():
    def sigmoid_math(a):
        y = 1 / (1 + math.exp(-a.data))
        return Value(y, (a,), (lambda g: g * y * (1 - y),))
    wrong(ops(sigmoid=sigmoid_math), "sigmoid", "arrays", "right on numbers", "np.exp")


def test_operation_that_changes_its_operand():
    def add_in_place(a, b):
        a.grad = 0.5
        return Value(a.data + b.data, (a, b), (lambda g: g, lambda g: g))
    wrong(ops(add=add_in_place), "add", "changed_operand", "changed its operand a")


def test_operation_that_raises():
    def mul_typo(a, b):
        return Value(a.value * b.value, (a, b), ())
    line = line_of(ops(mul=mul_typo), "mul")
    assert line.status == "unreadable" and line.mistake == "raised" and "AttributeError" in line.message


def test_node_class_without_backs():
    class Node:
        def __init__(self, data, parents=()):
            self.data, self.parents = data, parents
    line = line_of(ops(add=lambda a, b: Node(a.data + b.data, (a, b))), "add")
    assert line.status == "unreadable" and "without .backs" in line.message


@pytest.mark.parametrize("bad", [None, 3, "add", [1, 2]])
def test_not_a_function(bad):
    line = line_of(ops(add=bad), "add")
    assert line.status == "unreadable" and "should be a function" in line.message


def test_unanswered_operations():
    feedback = checks.check_operations(..., ..., ..., lambda a: ...)
    assert {line.status for line in feedback.lines} == {"not answered"}
    assert "nothing answered yet" in feedback.summary()


# ---------------------------------------------------------------- backward

def visit_order(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for p in node.parents:
                visit(p)
            order.append(node)
    visit(root)
    return order


def reset(order, root, seed=1.0):
    for node in order:
        node.grad = 0.0
    if seed is not None:
        root.grad = seed


def pass_back(order, add=True):
    """Each node in ``order`` passes its gradient to its parents (``add=False``: ``=`` for ``+=``)."""
    for node in order:
        for parent, back in zip(node.parents, node.backs):
            parent.grad = parent.grad + back(node.grad) if add else back(node.grad)


def backward(root):
    order = visit_order(root)
    reset(order, root)
    pass_back(reversed(order))


def backward_counting(root):
    """Right too, without recursion: a node passes its gradient back once all its consumers have added theirs."""
    edges, nodes, stack = {}, [root], [root]
    while stack:
        for parent in stack.pop().parents:
            if id(parent) not in edges:
                nodes.append(parent)
                stack.append(parent)
            edges[id(parent)] = edges.get(id(parent), 0) + 1
    reset(nodes, root)
    ready = [root]
    while ready:
        node = ready.pop()
        for parent, back in zip(node.parents, node.backs):
            parent.grad += back(node.grad)
            edges[id(parent)] -= 1
            if edges[id(parent)] == 0:
                ready.append(parent)


def engine(fn):
    return line_of(checks.check_engine(fn), "backward")


@pytest.mark.parametrize("fn", [backward, backward_counting])
def test_right_backward_passes(fn):
    line = engine(fn)
    assert line.status == "correct", line.message


def test_the_graphs_right_answers_by_hand():
    x = Value(1.5)
    E = add(mul(x, x), x)
    backward(E)
    assert x.grad == pytest.approx(2 * 1.5 + 1)


def named(line, mistake, words):
    """``line`` says "wrong", names ``mistake`` and has every one of ``words`` in its message."""
    assert line.status == "wrong" and line.mistake == mistake, line
    for word in words:
        assert word in line.message, (word, line.message)


def engine_wrong(fn, mistake, *words):
    named(engine(fn), mistake, words)


def test_assign_instead_of_add_at_a_fork():
    def backward_assign(root):
        order = visit_order(root)
        reset(order, root)
        pass_back(reversed(order), add=False)
    engine_wrong(backward_assign, "assign", "E = x*x + x", "dE/dx is 1.5", "expected 4", "+=")


def test_forgot_to_reverse_the_order():
    def backward_forward(root):
        order = visit_order(root)
        reset(order, root)
        pass_back(order)
    engine_wrong(backward_forward, "forward", "leaves first", "reversed(order)")


def test_breadth_first_order():
    def backward_bfs(root):
        order, queue = [], [root]
        while queue:
            node = queue.pop(0)
            if node not in order:
                order.append(node)
                queue.extend(node.parents)
        reset(order, root)
        pass_back(order)
    engine_wrong(backward_bfs, "bfs", "before all the nodes that use it", "depth-first")


def test_recursion_that_pushes_at_once():
    def backward_recursive(root):
        for node in visit_order(root):
            node.grad = 0.0
        root.grad = 1.0

        def push(node):
            for parent, back in zip(node.parents, node.backs):
                parent.grad += back(node.grad)
                push(parent)
        push(root)
    engine_wrong(backward_recursive, "recursive", "partial gradient", "before all its consumers")


def test_topological_order_without_a_visited_set():
    def backward_no_visited(root):
        order = []

        def visit(node):
            for p in node.parents:
                visit(p)
            order.append(node)
        visit(root)
        reset(order, root)
        pass_back(reversed(order))
    engine_wrong(backward_no_visited, "twice", "more than once", "visited")


def test_output_gradient_never_seeded():
    def backward_no_seed(root):
        order = visit_order(root)
        reset(order, root, seed=None)
        pass_back(reversed(order))
    engine_wrong(backward_no_seed, "no_seed", "every gradient is 0", "root.grad = 1.0")


def test_seeded_before_resetting():
    def backward_seed_first(root):
        root.grad = 1.0
        order = visit_order(root)
        reset(order, root, seed=None)
        pass_back(reversed(order))
    engine_wrong(backward_seed_first, "no_seed", "never set to 1")


def test_gradients_not_reset_between_two_calls():
    def backward_no_reset(root):
        root.grad = 1.0
        pass_back(reversed(visit_order(root)))
    engine_wrong(backward_no_reset, "no_reset", "second backward(E)", "added to the gradients the first had left",
                 "0 before seeding")


def test_backward_that_raises():
    def backward_typo(root):
        for node in reversed(visit_order(root)):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local
    line = engine(backward_typo)
    assert line.status == "unreadable" and "local_grads" in line.message and "AttributeError" in line.message


def test_backward_that_leaves_a_grad_unreadable():
    def backward_text(root):
        backward(root)
        for node in visit_order(root):
            node.grad = str(node.grad)
    line = engine(backward_text)
    assert line.status == "unreadable" and "not a number" in line.message


@pytest.mark.parametrize("bad", [None, ..., 1.0, lambda root: ..., lambda: None])
def test_backward_unanswered_or_malformed_never_raises(bad):
    line = engine(bad)
    if bad is ... or (callable(bad) and bad.__code__.co_argcount == 1):
        assert line.status == "not answered"
    else:
        assert line.status == "unreadable" and line.message


# ---------------------------------------------------------------- matmul

def matmul(A, B):
    if A.data.shape[1] != B.data.shape[0]:
        raise ValueError(f"cannot multiply {A.data.shape} by {B.data.shape}")
    return Value(A.data @ B.data, (A, B), (lambda G: G @ B.data.T, lambda G: A.data.T @ G))


def matmul_with(back_a=None, back_b=None, forward=None, check=True):
    def student(A, B):
        if check and A.data.shape[1] != B.data.shape[0]:
            raise ValueError(f"shapes {A.data.shape} and {B.data.shape} do not fit")
        a, b = A.data, B.data
        return Value(forward(a, b) if forward else a @ b, (A, B),
                     (lambda G: back_a(a, b, G) if back_a else G @ b.T,
                      lambda G: back_b(a, b, G) if back_b else a.T @ G))
    return student


def mm(fn):
    return line_of(checks.check_matmul(fn), "matmul")


def mm_wrong(fn, mistake, *words):
    named(mm(fn), mistake, words)


def test_right_matmul_passes():
    assert mm(matmul).status == "correct"
    assert mm(matmul_with()).status == "correct"


def test_matmul_vjps_swapped():
    def matmul_swapped(A, B):
        if A.data.shape[1] != B.data.shape[0]:
            raise ValueError(f"cannot multiply {A.data.shape} by {B.data.shape}")
        return Value(A.data @ B.data, (A, B), (lambda G: A.data.T @ G, lambda G: G @ B.data.T))
    mm_wrong(matmul_swapped, "vjp_swapped", "exchanged", "G @ B.T")


def test_matmul_transpose_missing():
    mm_wrong(matmul_with(back_a=lambda a, b, G: G @ b), "vjp_no_transpose", "back_A", "transpose is missing")


def test_matmul_gradient_transposed():
    mm_wrong(matmul_with(back_b=lambda a, b, G: G.T @ a), "vjp_transposed", "back_B", "transpose of the gradient")


def test_matmul_factors_in_the_wrong_order():
    mm_wrong(matmul_with(back_a=lambda a, b, G: b.T @ G), "vjp_order", "wrong order")


def test_matmul_vjp_of_the_wrong_shape():
    mm_wrong(matmul_with(back_b=lambda a, b, G: (a.T @ G).sum(axis=0)), "vjp_shape", "shape of its node", "(3, 4)")


def test_matmul_element_by_element():
    mm_wrong(matmul_with(forward=lambda a, b: a * b), "forward", "element-by-element", "A @ B")


def test_matmul_without_a_shape_check_numpy_error():
    mm_wrong(matmul_with(check=False), "shape_message", "raise ValueError", "naming both shapes")


def test_matmul_shape_check_with_assert():
    def matmul_assert(A, B):
        assert A.data.shape[1] == B.data.shape[0], "shapes (2, 3) do not fit"
        return Value(A.data @ B.data, (A, B), (lambda G: G @ B.data.T, lambda G: A.data.T @ G))
    mm_wrong(matmul_assert, "shape_message", "AssertionError", "ValueError")


def test_matmul_that_accepts_any_shapes():
    def matmul_dot(A, B):
        n = min(A.data.shape[1], B.data.shape[0])
        return Value(A.data[:, :n] @ B.data[:n], (A, B), (lambda G: G @ B.data.T, lambda G: A.data.T @ G))
    mm_wrong(matmul_dot, "no_shape_check", "did not raise", "A.data.shape[1] == B.data.shape[0]")


def test_matmul_returns_an_array():
    line = mm(lambda A, B: A.data @ B.data)
    assert line.status == "unreadable" and "plain number" in line.message


@pytest.mark.parametrize("bad", [None, ..., "matmul", lambda A, B: ...])
def test_matmul_unanswered_or_malformed(bad):
    line = mm(bad)
    assert line.status == ("unreadable" if bad is None or isinstance(bad, str) else "not answered")


# ---------------------------------------------------------------- the network through the engine

def engine_backward(weights, biases, X, T, matmul=matmul):
    Ws = [Value(W) for W in weights]
    bs = [Value(np.reshape(b, (1, -1))) for b in biases]
    ones, Y = Value(np.ones((len(X), 1))), Value(X)
    for W, b in zip(Ws, bs):
        Y = sigmoid(add(matmul(Y, W), matmul(ones, b)))
    E = Value(0.5 * float(np.sum((Y.data - T) ** 2)), (Y,), (lambda g: g * (Y.data - T),))
    backward(E)
    return [W.grad for W in Ws], [b.grad.reshape(-1) for b in bs]


def test_network_through_the_engine_matches_bplib_backward():
    net = bplib.Network.random([2, 3, 2], "sigmoid", rng=3)
    X, T = np.random.default_rng(4).normal(size=(5, 2)), np.full((5, 2), 0.5)
    dW, db = engine_backward(net.weights, net.biases, X, T)
    record = bplib.backward(net, X, T)
    assert all(np.allclose(a, b) for a, b in zip(dW + db, record.dW + record.db))
    assert checks.check_backward(engine_backward, name="engine_backward").all_correct


def test_network_with_swapped_matmul_vjps_is_caught():
    def swapped(A, B):
        return Value(A.data @ B.data, (A, B), (lambda G: (A.data.T @ G).T, lambda G: (G @ B.data.T).T))
    feedback = checks.check_backward(lambda *a: engine_backward(*a, matmul=swapped), name="engine_backward")
    assert not feedback.all_correct and feedback.lines[0].status in ("wrong", "unreadable")


def test_network_with_bias_gradients_left_as_rows():
    def keep_rows(weights, biases, X, T):
        dW, db = engine_backward(weights, biases, X, T)
        return dW, [d.reshape(1, -1) for d in db]
    line = checks.check_backward(keep_rows, name="engine_backward").lines[0]
    assert line.status == "wrong" and line.mistake == "db_keepdims"
