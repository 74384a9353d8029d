"""Checking a student's reverse-mode engine (exercise 7): `check_operations`, `check_engine`, `check_matmul`.

Exercise 7 (exercises/ex7_engine.ipynb) builds an engine in the spirit of micrograd (chapter 8,
section 8.7). A node, the notebook's ``Value``, holds ``data`` (a number or an array), ``grad``,
its ``parents`` and, for each parent, a function ``back(g)`` that turns the upstream gradient
g = dE/d(node) into that parent's share, "upstream times local" (a vector-Jacobian product)::

    add(a, b)     back_a(g) = g,           back_b(g) = g
    mul(a, b)     back_a(g) = g * b,       back_b(g) = g * a          (element by element)
    sigmoid(a)    back_a(g) = g * y (1 - y),  y = sigma(a) the node's own data
    relu(a)       back_a(g) = g * [a > 0]
    matmul(A, B)  back_A(G) = G @ B.T,     back_B(G) = A.T @ G

``backward(root)`` sets every grad to 0, the root's to 1, and visits the nodes in reverse
topological order, each adding ``back(node.grad)`` into every parent's grad (``+=``: where paths
fork, the shares add).

`check_operations` calls the student's four operations on nodes of its own, `check_engine` runs
the student's ``backward`` on graphs whose nodes it builds itself (so a wrong operation cannot
hide in it), with forks, a node used by two consumers and a relu, and `check_matmul` checks the
matrix node on square matrices (where a missing transpose still gives numbers) and on others
(where it gives the wrong shape). The right gradients come from `bplib.graph` and central
differences; every slip of the exercise's list is simulated and named when it matches what the
student's code gave. A network's gradients through the engine are checked by `check_backward`
(exercise 6), against `bplib.backward`. Student code is called through `_calls.call`; nothing the
student wrote makes a check raise.
"""
import numbers

import numpy as np

from .. import graph as _graph
from ..activations import sigmoid as _sigma
from ..gradient_check import numerical_gradient
from ._calls import call, raised
from ._feedback import NOT_ANSWERED, Feedback, Line, function_line, in_words
from ._mistakes import fmt

__all__ = ["check_operations", "check_engine", "check_matmul"]

TODO = "Replace the ... with your code"


class _Unanswered(Exception):
    """The student's code returned ``...`` somewhere: not answered yet."""


class _Problem(Exception):
    """What is wrong, as the sentence of a feedback line, and the mistake's name."""

    def __init__(self, message, mistake=""):
        super().__init__(message)
        self.message, self.mistake = message, mistake


class _Node:
    """The checker's own node, with the attributes the notebook's Value has."""

    def __init__(self, data, parents=(), backs=(), name=""):
        self.data, self.grad, self.parents, self.backs, self.name = data, 0.0, tuple(parents), tuple(backs), name

    def __repr__(self):
        return f"Value({self.name or 'node'}, data={np.round(self.data, 4)})"


# --- the right operations, on the checker's nodes ---------------------------------------------------

def _add(a, b):
    return _Node(a.data + b.data, (a, b), (lambda g: g, lambda g: g))


def _mul(a, b):
    return _Node(a.data * b.data, (a, b), (lambda g: g * b.data, lambda g: g * a.data))


def _sigmoid(a):
    y = _sigma(a.data) if isinstance(a.data, np.ndarray) else float(_sigma(a.data))
    return _Node(y, (a,), (lambda g: g * y * (1 - y),))


def _relu(a):
    mask = np.asarray(a.data) > 0
    data = np.where(mask, a.data, 0.0) if isinstance(a.data, np.ndarray) else max(a.data, 0.0)
    return _Node(data, (a,), (lambda g: g * (mask if isinstance(a.data, np.ndarray) else float(mask)),))


OPS = {"add": _add, "mul": _mul, "sigmoid": _sigmoid, "relu": _relu}
GRAPH_OPS = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sigmoid": lambda a: a.sigmoid()}


# --- the graphs check_engine runs the student's backward on ----------------------------------------

def _fork(o, v):
    x = v["x"]
    return o["add"](o["mul"](x, x), x), {}


def _shared(o, v):
    h = o["sigmoid"](o["mul"](v["x"], v["w"]))
    return o["add"](h, o["mul"](h, h)), {"h": h}


def _deep(o, v):
    a = o["mul"](v["x"], v["y"])
    b = o["add"](a, v["x"])
    c = o["mul"](o["sigmoid"](b), a)
    return o["add"](c, o["mul"](b, b)), {"a": a, "b": b}


def _neuron(o, v):
    x = v["x"]
    return o["mul"](o["relu"](o["add"](o["mul"](x, v["w1"]), v["b"])), o["sigmoid"](o["mul"](x, v["w2"]))), {}


# (formula shown to the student, builder, leaf values, built with bplib.graph too)
GRAPHS = [
    ("E = x*x + x", _fork, {"x": 1.5}, True),
    ("h = sigmoid(x*w), E = h + h*h", _shared, {"x": 0.5, "w": -1.2}, True),
    ("a = x*y, b = a + x, E = sigmoid(b)*a + b*b", _deep, {"x": 0.6, "y": -0.9}, True),
    ("E = relu(x*w1 + b) * sigmoid(x*w2)", _neuron, {"x": 0.7, "w1": 1.1, "b": -0.3, "w2": -0.8}, False),
]


def _build(builder, values):
    leaves = {k: _Node(float(v), name=k) for k, v in values.items()}
    root, inner = builder(OPS, leaves)
    named = dict(leaves)
    named.update({k: n for k, n in inner.items()})
    for k, n in inner.items():
        n.name = k
    root.name = "E"
    return root, named


def _topo(root, flip=False, dedupe=True):
    order, seen = [], set()

    def visit(node):
        if dedupe and id(node) in seen:
            return
        seen.add(id(node))
        for parent in (reversed(node.parents) if flip else node.parents):
            visit(parent)
        order.append(node)
    visit(root)
    return order


def _simulate(root, slip, flip):
    """Run the engine with ``slip`` (or none: "right") on a fresh graph from ``root``."""
    everything = _topo(root)
    for node in everything:
        node.grad = 0.0
    if slip != "no_seed":
        root.grad = 1.0
    if slip == "recursive":
        def push(node):
            for parent, back in zip(node.parents, node.backs):
                parent.grad += back(node.grad)
                push(parent)
        push(root)
        return
    if slip == "bfs":
        order, seen, k = [root], {id(root)}, 0
        while k < len(order):
            for parent in (reversed(order[k].parents) if flip else order[k].parents):
                if id(parent) not in seen:
                    seen.add(id(parent))
                    order.append(parent)
            k += 1
    else:
        order = _topo(root, flip, dedupe=slip != "twice")
        order = order if slip == "forward" else order[::-1]
    for node in order:
        for parent, back in zip(node.parents, node.backs):
            if slip == "assign":
                parent.grad = back(node.grad)
            else:
                parent.grad += back(node.grad)


ENGINE_SLIPS = ["no_seed", "assign", "forward", "twice", "recursive", "bfs"]


def _grads(builder, values, slip, flip=False):
    root, named = _build(builder, values)
    _simulate(root, slip, flip)
    return {k: float(n.grad) for k, n in named.items()}


def _central(builder, values):
    keys, w = list(values), np.array(list(values.values()), dtype=float)
    E = lambda: float(_build(builder, dict(zip(keys, map(float, w))))[0].data)  # noqa: E731  (reads w)
    return dict(zip(keys, numerical_gradient(E, w)))


def _graph_grads(builder, values):
    leaves = {k: _graph.Value(v, k) for k, v in values.items()}
    root, _ = builder(GRAPH_OPS, leaves)
    root.backward()
    return {k: leaf.grad for k, leaf in leaves.items()}


_REFERENCES = []


def _references():
    """For each graph: the right grads of every named node and what each slip gives. The leaves'
    right grads are checked against bplib.graph (where it has the operations) and central differences."""
    if not _REFERENCES:
        for formula, builder, values, in_graph in GRAPHS:
            right = _grads(builder, values, "right")
            for other in ([_graph_grads(builder, values)] if in_graph else []) + [_central(builder, values)]:
                assert all(abs(right[k] - other[k]) < 1e-6 * max(1.0, abs(right[k])) for k in other), formula
            slips = {(slip, flip): _grads(builder, values, slip, flip) for slip in ENGINE_SLIPS for flip in (False, True)}
            _REFERENCES.append(dict(formula=formula, builder=builder, values=values, right=right, slips=slips))
    return _REFERENCES


# --- reading what the student's code gave -----------------------------------------------------------

def _array(value, what, kind="an array of numbers"):
    if value is Ellipsis:
        raise _Unanswered()
    if value is None:
        raise _Problem(f"{what} is None: did a function forget to return?")
    try:
        if isinstance(value, (str, bytes)) or np.asarray(value).dtype.kind not in "biuf":
            raise TypeError
        array = np.asarray(value, dtype=float)
    except Exception:
        raise _Problem(f"{what} is {in_words(value)}, not {kind}") from None
    if not np.all(np.isfinite(array)):
        raise _Problem(f"{what} contains NaN or infinity: something in its calculation went wrong")
    return array


def _number(value, what):
    array = _array(value, what, "a number")
    if array.size != 1:
        raise _Problem(f"{what} has shape {array.shape}; expected one number")
    return float(array.reshape(-1)[0])


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=1e-9))


def _invoke(what, fn, *args):
    """``fn(*args)`` through `call` (its errors caught); raises _Problem naming ``what`` if it raised."""
    done = call(lambda: fn(*args), (), ())
    if done.error is not None:
        raise _Problem(f"{what} raised {raised(done.error)}", "raised")
    if done.result is Ellipsis:
        raise _Unanswered()
    return done.result


def _node_parts(result, what, operands):
    """The parents and backs of the node ``result`` the student's ``what`` returned."""
    if result is Ellipsis:
        raise _Unanswered()
    if result is None:
        raise _Problem(f"{what} returned None: did it forget to return the new Value?", "no_node")
    if isinstance(result, (numbers.Number, np.ndarray)):
        raise _Problem(f"{what} returned {in_words(result) if not isinstance(result, np.ndarray) else 'an array'}, "
                       f"a plain number: return a Value(data, parents, backs), a node the engine can go back "
                       f"through", "no_node")
    for attribute in ("data", "parents", "backs"):
        if not hasattr(result, attribute):
            raise _Problem(f"{what} returned {in_words(result)} without .{attribute}: return Value(data, parents, "
                           f"backs)", "no_node")
    parents, backs = result.parents, result.backs
    n = len(operands)
    names = "(a, b)" if n == 2 else "(a,)"
    if not isinstance(parents, (tuple, list)) or len(parents) != n or \
            not all(p is o for p, o in zip(parents, operands)):
        raise _Problem(f"the parents of {what} should be the operand nodes themselves, {names} in that order; they "
                       f"are {_described(parents)}: the engine goes back through the parents", "parents")
    if not isinstance(backs, (tuple, list)) or len(backs) != n or not all(callable(b) for b in backs):
        raise _Problem(f"{what} should have {n} back function{'s' if n > 1 else ''}, one per parent (like "
                       f"lambda g: g * ...); its backs are {_described(backs)}", "backs")
    return parents, backs


def _described(value):
    if isinstance(value, (tuple, list)):
        kinds = ", ".join("a node" if hasattr(v, "data") else in_words(v) for v in value[:3])
        return f"a {type(value).__name__} of {len(value)}: ({kinds})"
    return in_words(value)


# --- part 1: the four operations ---------------------------------------------------------------------

A, B = 0.8, -1.3
ARRAY_A = np.array([[0.5, -2.0, 1.5], [-0.25, 0.75, -1.0]])
ARRAY_B = np.array([[1.25, 0.5, -0.75], [2.0, -1.5, 0.25]])
ARRAY_G = np.array([[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]])
ARRAY_HINT = {"add": "", "mul": "", "sigmoid": " (use np.exp, not math.exp)",
              "relu": " (use np.maximum(a.data, 0) and (a.data > 0), not max() or an if)"}


def _right_op(name, values):
    nodes = [_Node(v) for v in values]
    node = OPS[name](*nodes)
    return node.data, [back(1.0) for back in node.backs]


def _judge_op(name, fn, values):
    """Check ``fn`` on the scalars ``values``; raises _Problem/_Unanswered, else returns None."""
    operands = [_Node(v, name=k) for v, k in zip(values, "ab")]
    shown = f"{name}({', '.join(f'Value({v})' for v in values)})"
    result = _invoke(f"{shown}", fn, *operands)
    parents, backs = _node_parts(result, shown, operands)
    for operand, v in zip(operands, values):
        if operand.data != v or operand.grad != 0.0:
            raise _Problem(f"{shown} changed its operand {operand.name} (its data or grad): an operation makes a new "
                           f"node and leaves its operands as they are", "changed_operand")
    want_data, want_locals = _right_op(name, values)
    data = _number(result.data, f"{shown}.data")
    if not _close(data, want_data):
        raise _Problem(f"{shown}.data is {fmt(data)}; expected {fmt(want_data)}", "forward")
    for k, (back, want) in enumerate(zip(backs, want_locals)):
        who = "ab"[k]
        local = _number(_invoke(f"the back function for {who} of {shown}", back, 1.0), f"back_{who}(1.0)")
        twice = _number(_invoke(f"the back function for {who} of {shown}", back, 2.0), f"back_{who}(2.0)")
        if _close(local, want) and not _close(twice, 2 * want):
            if _close(twice, want):
                raise _Problem(f"in {shown}, back_{who}(g) gives {fmt(twice)} for g = 2 as for g = 1: it must multiply "
                               f"the upstream gradient g by the local gradient (return g * ...)", "no_upstream")
            raise _Problem(f"in {shown}, back_{who}(2.0) is {fmt(twice)}; expected {fmt(2 * want)}, twice "
                           f"back_{who}(1.0): return g times the local gradient", "no_upstream")
        if not _close(local, want):
            raise _Problem(_wrong_local(name, k, shown, local, want, values, data),
                           _local_mistake(name, k, local, values, data))
    return None


def _local_mistake(name, k, local, values, data):
    a = values[0]
    if name == "mul" and _close(local, values[k]):
        return "mul_operand"
    if name == "sigmoid":
        if _close(local, a * (1 - a)):
            return "sigma_from_z"
        s = float(_sigma(data))
        if _close(local, s * (1 - s)):
            return "sigma_of_y"
    if name == "relu":
        if _close(local, float(a <= 0)):
            return "relu_side"
        if _close(local, data) or _close(local, a):
            return "relu_value"
    return ""


def _wrong_local(name, k, shown, local, want, values, data):
    who = "ab"[k]
    mistake = _local_mistake(name, k, local, values, data)
    head = f"in {shown}, back_{who}(1.0) (the local gradient) is {fmt(local)}; expected {fmt(want)}"
    if mistake == "mul_operand":
        return (f"{head}: d(a*b)/d{who} is the OTHER operand (the local gradient for a is b.data, for b it is "
                f"a.data); this took it from {who} itself")
    if mistake == "sigma_from_z":
        return (f"{head}: y(1 - y) was computed from z = a.data, the sigmoid's input; it takes the node's output "
                f"y = sigma(z)")
    if mistake == "sigma_of_y":
        return (f"{head}: this is sigma(y)(1 - sigma(y)), the formula for z applied to y = sigma(z); the node "
                f"already holds y, so the local gradient is just y(1 - y)")
    if mistake == "relu_side":
        return f"{head}: relu's slope is 1 where a > 0 and 0 where a < 0; this has the two sides the wrong way round"
    if mistake == "relu_value":
        return f"{head}: this is relu's value, not its slope; the slope is 1 where a > 0 and 0 elsewhere"
    if name == "add":
        return f"{head}: a + b changes one for one with each operand, so each local gradient is 1"
    return head


def _judge_op_arrays(name, fn):
    values = (ARRAY_A, ARRAY_B)[:2 if name in ("add", "mul") else 1]
    operands = [_Node(v.copy(), name=k) for v, k in zip(values, "ab")]
    shown = f"{name} on arrays"
    done = call(lambda: fn(*operands), (), ())
    if done.error is not None:
        raise _Problem(f"right on numbers, but on arrays (shape {ARRAY_A.shape}) it raised {raised(done.error, 60)}: in "
                       f"part 3 data is an array, so write it with numpy{ARRAY_HINT[name]}", "arrays")
    parents, backs = _node_parts(done.result, shown, operands)
    right = OPS[name](*[_Node(v) for v in values])
    try:
        data = _array(done.result.data, f"{shown}: data")
        if not _close(data, right.data):
            raise _Problem(f"right on numbers, but on arrays its data is not the element-by-element result{ARRAY_HINT[name]}",
                           "arrays")
        for k, (back, want) in enumerate(zip(backs, right.backs)):
            got = _array(_invoke(f"on arrays, back_{'ab'[k]}", back, ARRAY_G), f"back_{'ab'[k]}(G)")
            if not _close(got, want(ARRAY_G)):
                raise _Problem(f"right on numbers, but on arrays back_{'ab'[k]}(G) is not G times the local gradients, "
                               f"element by element{ARRAY_HINT[name]}", "arrays")
    except _Problem as problem:
        if problem.mistake == "raised":
            raise _Problem(f"right on numbers, but {problem.message}{ARRAY_HINT[name]}", "arrays") from None
        raise


OP_CASES = {"add": [(A, B)], "mul": [(A, B)], "sigmoid": [(A,), (B,)], "relu": [(A,), (B,)]}


def _op_line(name, fn):
    try:
        for values in OP_CASES[name]:
            _judge_op(name, fn, values)
        _judge_op_arrays(name, fn)
    except _Unanswered:
        return Line(name, "not answered", NOT_ANSWERED)
    except _Problem as problem:
        status = "unreadable" if problem.mistake in ("raised", "no_node") else "wrong"
        return Line(name, status, problem.message, problem.mistake)
    return Line(name, "correct", "data and local gradients right, on numbers and on arrays")


def check_operations(add, mul, sigmoid, relu):
    """Feedback on a student's four operations, each returning a new node ``Value(data, parents,
    backs)`` with one back function per parent, ``back(g)`` = g times the local gradient:
    ``add(a, b)``, ``mul(a, b)``, ``sigmoid(a)``, ``relu(a)``. Each is called on numbers (relu on
    both sides of 0) and on arrays; a wrong local gradient is named with the slip that gives it
    (the operand of ``*`` swapped, sigma' from z or from sigma(y), relu's sides swapped)."""
    lines = [function_line(name, fn, "...", lambda fn, name=name: _op_line(name, fn))
             for name, fn in (("add", add), ("mul", mul), ("sigmoid", sigmoid), ("relu", relu))]
    return Feedback("Your operations", lines, todo=TODO)


# --- part 2: backward --------------------------------------------------------------------------------

ENGINE_MISTAKES = {
    "no_seed": "every gradient is 0: the output's own gradient was never set to 1 (dE/dE = 1), so there was nothing "
               "to pass back. Set root.grad = 1.0 after resetting the grads",
    "assign": "where a node is used more than once (paths fork), each path's share must be added: "
              "parent.grad += back(node.grad), not parent.grad = back(node.grad), which keeps only the last share",
    "forward": "the nodes were visited leaves first, in the forward order: a node passed on its gradient before "
               "it had received any. Go through the topological order backwards (reversed(order))",
    "twice": "a node was visited more than once, so its gradient was passed on twice: the topological order listed "
             "it once for every path to it. Keep a set of the nodes already visited",
    "recursive": "a node's gradient was passed on as soon as it received a share (recursing into its parents), so "
                 "a node used twice passed on its partial gradient and then its total: a node's gradient was used "
                 "before all its consumers had added to it. Build the topological order first, then visit it "
                 "backwards",
    "bfs": "a node's gradient was used before all the nodes that use it had added to it: the order visited (level "
           "by level from E) is not a reverse topological order. Build the order depth-first (each node after its "
           "parents) and go through it backwards",
}


def _student_grads(named, formula):
    return {k: _number(n.grad, f"on {formula}, the grad of {k}") for k, n in named.items()}


def _run_engine(fn, ref):
    root, named = _build(ref["builder"], ref["values"])
    result = _invoke(f"backward(E) on {ref['formula']}", fn, root)
    if result is Ellipsis:
        raise _Unanswered()
    return root, named


def _engine_line(key, fn):
    refs = _references()
    got = []
    try:
        for ref in refs:
            root, named = _run_engine(fn, ref)
            got.append(_student_grads(named, ref["formula"]))
    except _Unanswered:
        return Line(key, "not answered", NOT_ANSWERED)
    except _Problem as problem:
        return Line(key, "unreadable", problem.message, problem.mistake)
    wrong = [k for k, (g, ref) in enumerate(zip(got, refs)) if not all(_close(g[n], ref["right"][n]) for n in g)]
    if wrong:
        ref, g = refs[wrong[0]], got[wrong[0]]
        node = next(n for n in g if not _close(g[n], ref["right"][n]))
        values = ", ".join(f"{k} = {v}" for k, v in ref["values"].items())
        where = (f"on {ref['formula']} with {values}, dE/d{node} is {fmt(g[node])}; expected "
                 f"{fmt(ref['right'][node])}")
        for slip in ENGINE_SLIPS:
            if any(all(all(_close(gk[n], r["slips"][(slip, flip)][n]) for n in gk) for gk, r in zip(got, refs))
                   for flip in (False, True)):
                return Line(key, "wrong", f"{where}: {ENGINE_MISTAKES[slip]}", slip)
        return Line(key, "wrong", f"{where}. Each node must add back(node.grad) into each parent's grad, visiting the "
                                  f"nodes from E in reverse topological order")
    # a second call on the same graph must give the same gradients
    ref = refs[1]
    try:
        root, named = _run_engine(fn, ref)
        _invoke(f"a second backward(E) on {ref['formula']}", fn, root)
        again = _student_grads(named, ref["formula"])
    except _Unanswered:
        return Line(key, "not answered", NOT_ANSWERED)
    except _Problem as problem:
        return Line(key, "unreadable", problem.message, problem.mistake)
    if not all(_close(again[n], ref["right"][n]) for n in again):
        node = next(n for n in again if not _close(again[n], ref["right"][n]))
        return Line(key, "wrong", f"right on the first call, but a second backward(E) on {ref['formula']} gave "
                                  f"dE/d{node} = {fmt(again[node])} (expected {fmt(ref['right'][node])}): the second "
                                  f"call added to the gradients the first had left. Set every node's grad to 0 before "
                                  f"seeding the output with 1",
                    "no_reset")
    return Line(key, "correct", f"every gradient right on {len(refs)} graphs with forks, and again on a second call")


def check_engine(backward):
    """Feedback on a student's ``backward(root)``: on graphs of nodes with ``data``, ``grad``,
    ``parents`` and ``backs`` (built by the checker, so the operations are right), it must set
    every grad to 0, the root's to 1, and visit the nodes in reverse topological order, adding
    ``back(node.grad)`` into each parent. The graphs have forks (x*x + x), a node with two
    consumers and a relu; a wrong gradient is named with the slip that gives it (= for +=, no seed,
    a wrong visiting order, a node visited twice, grads not reset between two calls)."""
    line = function_line("backward", backward, "root", lambda fn: _engine_line("backward", fn))
    return Feedback("Your backward", [line], todo=TODO)


# --- part 3: the matrix node -------------------------------------------------------------------------

_R = np.random.default_rng(7)
SQUARE = tuple(_R.normal(size=(3, 3)) for _ in range(3))       # A, B, G: a missing transpose gives numbers
OBLONG = (_R.normal(size=(2, 3)), _R.normal(size=(3, 4)), _R.normal(size=(2, 4)))  # ... and here wrong shapes

VJP_SLIPS = {
    "A": lambda A, B, G: {"swapped": A.T @ G, "no_transpose": G @ B, "transposed": B @ G.T, "order": B.T @ G},
    "B": lambda A, B, G: {"swapped": G @ B.T, "no_transpose": A @ G, "transposed": G.T @ A, "order": G @ A.T},
}
RIGHT_VJP = {"A": lambda A, B, G: G @ B.T, "B": lambda A, B, G: A.T @ G}
VJP_WORDS = {
    "swapped": "this is the other operand's VJP: the two back functions are exchanged (or their transposes "
               "swapped). For C = A @ B, dE/dA = G @ B.T and dE/dB = A.T @ G",
    "no_transpose": "the transpose is missing: going back through a matrix product takes the other factor "
                    "transposed, dE/dA = G @ B.T and dE/dB = A.T @ G",
    "transposed": "this is the transpose of the gradient, the transposes in the wrong places: dE/dA = G @ B.T "
                  "(shape of A), dE/dB = A.T @ G (shape of B)",
    "order": "the factors are in the wrong order: dE/dA = G @ B.T (G first), dE/dB = A.T @ G (G last)",
}


def _matmul_case(fn, A, B, G):
    """The student's node for A @ B and what its two back functions give for upstream G."""
    operands = [_Node(A.copy(), name="A"), _Node(B.copy(), name="B")]
    shown = f"matmul(A {A.shape}, B {B.shape})"
    result = _invoke(shown, fn, *operands)
    parents, backs = _node_parts(result, shown, operands)
    if not (_close(operands[0].data, A) and _close(operands[1].data, B)):
        raise _Problem(f"{shown} changed the data of its operands: leave them as they are", "changed_operand")
    data = _array(result.data, f"{shown}.data")
    if not _close(data, A @ B):
        if data.shape == A.shape and _close(data, A * B):
            raise _Problem(f"{shown}.data is the element-by-element product A * B; the matrix product is A @ B",
                           "forward")
        if data.shape == (A @ B).shape and A.shape == B.shape and _close(data, B @ A):
            raise _Problem(f"{shown}.data is B @ A; the product is A @ B, in that order", "forward")
        raise _Problem(f"{shown}.data is not A.data @ B.data (shape {data.shape}, expected {(A @ B).shape})", "forward")
    got = {}
    for who, back in zip("AB", backs):
        got[who] = _array(_invoke(f"the back function for {who} of {shown}", back, G.copy()), f"back_{who}(G)")
    return shown, got


def _judge_matmul(fn):
    for A, B, G in (SQUARE, OBLONG):
        shown, got = _matmul_case(fn, A, B, G)
        for who, node in (("A", A), ("B", B)):
            want = RIGHT_VJP[who](A, B, G)
            if _close(got[who], want):
                continue
            if got[who].shape != node.shape:
                raise _Problem(f"in {shown}, back_{who}(G) with G {G.shape} has shape {got[who].shape}; a gradient has "
                               f"the shape of its node, {who} is {node.shape}: "
                               f"{'G @ B.T is (2, 4)(4, 3) = (2, 3)' if who == 'A' else 'A.T @ G is (3, 2)(2, 4) = (3, 4)'}",
                               "vjp_shape")
            for slip, wrong in VJP_SLIPS[who](A, B, G).items():
                if _close(got[who], wrong):
                    raise _Problem(f"in {shown}, back_{who}(G) is not dE/d{who}: {VJP_WORDS[slip]}", f"vjp_{slip}")
            raise _Problem(f"in {shown}, back_{who}(G) is not dE/d{who} = "
                           f"{'G @ B.T' if who == 'A' else 'A.T @ G'}", "vjp")
    # the shape check: inner sizes that differ must be refused, naming both shapes
    A, C = OBLONG[0], OBLONG[0] + 1.0
    operands = [_Node(A.copy(), name="A"), _Node(C.copy(), name="B")]
    done = call(lambda: fn(*operands), (), ())
    if done.error is None:
        raise _Problem(f"matmul(A (2, 3), B (2, 3)) did not raise: A has 3 columns and B 2 rows, so A @ B is not "
                       f"defined. Check A.data.shape[1] == B.data.shape[0] first and raise ValueError naming both "
                       f"shapes", "no_shape_check")
    text = str(done.error)
    if not isinstance(done.error, ValueError) or "(2, 3)" not in text:
        raise _Problem(f"matmul(A (2, 3), B (2, 3)) raised {raised(done.error, 80)}; check the shapes yourself before "
                       f"multiplying and raise ValueError with a message naming both shapes, such as "
                       f"f\"cannot multiply {{A.data.shape}} by {{B.data.shape}}\"", "shape_message")


def check_matmul(matmul):
    """Feedback on a student's ``matmul(A, B)``: a node with data A.data @ B.data, parents (A, B)
    and back functions G -> G @ B.T and G -> A.T @ G, which raises ValueError naming both shapes
    when A's columns and B's rows differ. Tried on square matrices (a missing or misplaced transpose
    gives numbers, named) and on (2, 3) @ (3, 4) (where it gives the wrong shape)."""
    return Feedback("Your matmul", [function_line("matmul", matmul, "A, B", _matmul_line)], todo=TODO)


def _matmul_line(fn):
    try:
        _judge_matmul(fn)
    except _Unanswered:
        return Line("matmul", "not answered", NOT_ANSWERED)
    except _Problem as problem:
        return Line("matmul", "unreadable" if problem.mistake in ("raised", "no_node") else "wrong", problem.message,
                    problem.mistake)
    return Line("matmul", "correct", "data, both VJPs (G @ B.T and A.T @ G) and the shape check right")
