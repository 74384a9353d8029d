"""Backpropagation on a computational graph of scalars: reverse-mode differentiation (chapter 8).

Every number a computation produces becomes a node, a `Value`, that remembers its ``data``
(the forward value), the nodes it was computed from (its parents) and the local gradient of
the operation with respect to each parent. ``backward()`` then visits the nodes in reverse
topological order (every node after all the nodes that use it) and applies the chain rule one
edge at a time::

    parent.grad += node.grad * d(node)/d(parent)        "upstream gradient times local gradient"

Where a value feeds several nodes (paths fork), the contributions of the paths ADD up. The
operations and their local gradients, for a node ``out`` with parents ``a`` and ``b``::

    a + b        1, 1                  a - b       1, -1           a * b    b, a
    a ** p       p a^(p-1) (p constant)   -a       -1
    sigma(a)     y (1 - y), y = sigma(a)          1/2 a^2   a

`example_graph` writes the lecture's 2-2-1 Examples 2 and 3 as such a graph, with the cost
E = 1/2 (t - y_F)^2, so that its weight gradients can be compared with `bplib.backward`'s dW.
This is the idea of Karpathy's micrograd (https://github.com/karpathy/micrograd); PyTorch's
autograd does the same with tensors in place of scalars.
"""
import math
import numbers
import operator
from functools import partialmethod
from typing import NamedTuple

import numpy as np

from ._validate import REAL, count, declare, describe, instance_of, list_of, real
from .examples import Example, example2

__all__ = ["Value", "ExampleGraph", "NODE_COLUMNS", "example_graph", "nodes", "node_rows"]


def _number(op, what, compute, operands):
    """Run ``compute()`` in plain floats; a result too large for a float is a ValueError naming the operands."""
    try:
        result, cause = compute(), ""
    except (OverflowError, ZeroDivisionError) as error:
        result, cause = math.inf, f" ({error})"
    if isinstance(result, complex) or not math.isfinite(result):
        listed = ", ".join(f"{n} = {v!r:.12}" for n, v in operands.items())
        raise ValueError(f"{op}: the {what} is not a finite real number{cause}: the numbers are too large "
                         f"(or outside the operation's domain) for float arithmetic; {listed}")
    return float(result)


# the operations on two nodes a, b: op -> (forward value, local gradients d(out)/da and d(out)/db)
_ARITHMETIC = {"+": (operator.add, (lambda a, b: 1.0, lambda a, b: 1.0)),
               "-": (operator.sub, (lambda a, b: 1.0, lambda a, b: -1.0)),
               "*": (operator.mul, (lambda a, b: b, lambda a, b: a))}


class Value:
    """One number in a computational graph (chapter 8): its forward value ``data`` and, after
    ``backward()`` on a node E computed from it, ``grad`` = dE/d(this node).

    Nodes made by arithmetic (``+``, ``-``, ``*``, ``**`` with a constant real exponent, unary
    ``-``, `sigmoid`, `half_square`) keep their ``parents`` and the ``local_grads``
    d(node)/d(parent) of their operation, ``op`` (``"+"``, ``"*"``, ``"σ"``...). A plain number
    on either side of an operation becomes a constant leaf.

    Parameters
    ----------
    data : real number
        The forward value of a leaf (an input, a weight, a target).
    label : str, optional
        A name for tables and figures, e.g. ``"x_A"`` or ``"w_AT"``.
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")
    __array_ufunc__ = None  # numpy array (op) Value calls Value's reflected method, which refuses arrays

    @declare(data=REAL, label=instance_of(str, "a string (a node's name, e.g. 'x_A')"))
    def __init__(self, data, label=""):
        self.data, self.label = data, label
        self.grad, self.op, self.parents, self.local_grads = 0.0, "", (), ()

    @classmethod
    def _node(cls, data, op, parents, local_grads, label=""):
        node = cls.__new__(cls)
        node.data, node.label, node.grad, node.op = data, label, 0.0, op
        node.parents, node.local_grads = tuple(parents), tuple(local_grads)
        return node

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g}{', op=' + repr(self.op) if self.op else ''})"

    # -- arithmetic: each operation records its parents and its local gradients -----------------
    @staticmethod
    def _operand(other):
        if isinstance(other, Value):
            return other
        if isinstance(other, (bool, np.bool_)) or not isinstance(other, numbers.Real):
            raise TypeError(f"other (the second operand) must be a Value or a real number; "
                            f"received {describe(other)}")
        value = real("other", other)
        return Value(value, f"{value:g}")

    def _binary(self, other, op, reverse=False):
        (forward, local), other = _ARITHMETIC[op], self._operand(other)
        a, b = (other, self) if reverse else (self, other)
        operands = {"self.data": self.data, "other.data": other.data}
        data = _number(f"Value {op}", "result", lambda: forward(a.data, b.data), operands)
        grads = [_number(f"Value {op}", "local gradient", lambda g=g: g(a.data, b.data), operands) for g in local]
        return Value._node(data, op, (a, b), grads)

    # other (op) self, for a plain number on the left, is the same operation with a and b swapped
    __add__, __radd__ = partialmethod(_binary, op="+"), partialmethod(_binary, op="+", reverse=True)
    __sub__, __rsub__ = partialmethod(_binary, op="-"), partialmethod(_binary, op="-", reverse=True)
    __mul__, __rmul__ = partialmethod(_binary, op="*"), partialmethod(_binary, op="*", reverse=True)

    def __neg__(self):
        return Value._node(-self.data, "neg", (self,), (-1.0,))

    def __pow__(self, exponent):
        """self ** p for a constant real p: local gradient p self^(p-1).

        A non-integer p needs self.data > 0 (a negative base has no real power, and at 0 the
        gradient is infinite); a negative integer p needs self.data != 0.
        """
        if isinstance(exponent, Value):
            raise TypeError("exponent must be a constant real number, not a Value (only constant powers "
                            "are nodes here); received a Value")
        p = real("exponent", exponent)
        operands = {"self.data": self.data, "exponent": p}
        if not p.is_integer() and self.data <= 0:
            raise ValueError(f"Value ** exponent: a non-integer exponent needs self.data > 0; received "
                             f"self.data = {self.data!r:.12}, exponent = {p!r}")
        if p < 0 and self.data == 0:
            raise ValueError(f"Value ** exponent: a negative exponent needs self.data != 0; received "
                             f"self.data = 0.0, exponent = {p!r}")
        data = _number("Value ** exponent", "result", lambda: self.data ** p, operands)
        local = 0.0 if p == 0 else _number("Value ** exponent", "local gradient",
                                           lambda: p * self.data ** (p - 1), operands)
        return Value._node(data, f"**{p:g}", (self,), (local,))

    def sigmoid(self):
        """y = sigma(a) = 1 / (1 + e^(-a)); local gradient y (1 - y), written from y as the lecture does."""
        a = self.data
        y = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        return Value._node(y, "σ", (self,), (y * (1.0 - y),))

    def half_square(self):
        """E = 1/2 a^2 (the lecture's cost of one output, with a = t - y); local gradient a."""
        data = _number("Value.half_square()", "result", lambda: 0.5 * self.data * self.data, {"self.data": self.data})
        return Value._node(data, "½(·)²", (self,), (self.data,))

    # -- the backward pass ----------------------------------------------------------------------
    def backward(self):
        """dE/d(node) for every node this one (E) was computed from, stored in each node's ``grad``.

        Every ``grad`` in the graph is first set to 0, then E's to 1 (dE/dE); the nodes are visited
        in reverse topological order, each adding "upstream gradient times local gradient" into
        each of its parents. A node that feeds several others receives the SUM over the paths.
        Returns None.
        """
        order = nodes(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += node.grad * local
                if not math.isfinite(parent.grad):
                    raise ValueError(f"backward(): the gradient reaching node {parent.label or parent.op or 'a leaf'!r} "
                                     f"(data = {parent.data!r:.12}) is not finite: the numbers are too large for "
                                     "float arithmetic")


NODE = instance_of(Value, "a bplib.graph.Value")


@declare(root=NODE)
def nodes(root):
    """Every node ``root`` was computed from, and ``root`` itself, in topological order.

    Leaves come first and each node after all its parents: the order of the forward pass.
    ``backward()`` visits this list backwards. Depth-first, without recursion (deep graphs).
    """
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in reversed(node.parents) if id(parent) not in seen)
    return order


NODE_COLUMNS = ("node", "operation", "forward value", "dE/d(node)")


@declare(order=list_of(NODE, "bplib.graph.Value nodes (e.g. nodes(E))"), decimals=count(0, 15))
def node_rows(order, decimals=4):
    """One row of text per node in ``order`` (a list of Values, e.g. ``nodes(E)``), under
    `NODE_COLUMNS`: its label, its operation ("leaf" for a leaf), its forward value ``data`` and
    its gradient ``grad``, the numbers with ``decimals`` decimals. ``bplib.plots.graph.node_table``
    shows them as a table (chapter 8)."""
    return [(n.label, n.op or "leaf", f"{n.data:.{decimals}f}", f"{n.grad:.{decimals}f}") for n in order]


class ExampleGraph(NamedTuple):
    """What `example_graph` builds: the cost node, the weight leaves by name, every node in order."""
    cost: Value
    weights: dict           # "w_AT", "w_BT", "w_AB", "w_BB", "w_TF", "w_BF" -> leaf Value
    nodes: list             # every node in the order it was made, a forward order: leaves before their use

    def dW(self):
        """The weights' gradients in bplib's layout: [dE/dW[0] (2, 2), dE/dW[1] (2, 1)], like ``backward().dW``."""
        w = {name: leaf.grad for name, leaf in self.weights.items()}
        return [np.array([[w["w_AT"], w["w_AB"]], [w["w_BT"], w["w_BB"]]]), np.array([[w["w_TF"]], [w["w_BF"]]])]


EXAMPLE = instance_of(Example, "a bplib.examples.Example (example2() or example3())")


def _lecture_example(name, example, arguments):
    """A 2-2-1 sigmoid example without biases (Example 2 when None)."""
    if example is None:
        return example2()
    net = EXAMPLE(name, example, arguments).net
    shape = (net.sizes, [b is None for b in net.biases], list(net.activations),
             np.shape(example.x), np.shape(example.t))  # x and t of a hand-made Example may be lists
    if shape != ([2, 2, 1], [True, True], ["sigmoid", "sigmoid"], (1, 2), (1, 1)):
        raise ValueError(f"{name} must be a 2-2-1 sigmoid network without biases, one input row and one "
                         f"target (the lecture's Examples 2 and 3); received {example.name!r} with weight shapes "
                         f"{[W.shape for W in net.weights]}")
    return example


@declare(example=_lecture_example)
def example_graph(example=None):
    """The lecture's Example 2 (or 3, or any 2-2-1 sigmoid example without biases) as a graph.

    Leaves: the inputs x_A, x_B, the six weights and the target t. Operations, in the lecture's
    notation (chapter 8, section "Backpropagation as a computational graph"):

        z_T = x_A w_AT + x_B w_BT,   y_T = sigma(z_T)      (and alike z_B, y_B with w_AB, w_BB)
        z_F = y_T w_TF + y_B w_BF,   y_F = sigma(z_F)
        E = 1/2 (t - y_F)^2

    Calls ``backward()`` on E, so every node's ``grad`` holds dE/d(node): the weights' are the
    gradient ``bplib.backward`` computes with the forward pass's weights (the default order).
    Returns an `ExampleGraph` (cost node, weight leaves by name, every node in forward order).
    """
    (W1, W2), (xa, xb), t = example.net.weights, example.x[0], example.t[0, 0]
    made = []                       # every node in the order it is made: a forward order

    def keep(node, label):
        node.label = label
        made.append(node)
        return node

    def unit(inputs, j):
        """Unit j from the two nodes ``inputs`` (by name): z_j = sum_i y_i w_ij, then y_j = sigma(z_j)."""
        products = [keep(inputs[i] * w[f"w_{i}{j}"], f"{inputs[i].label}*w_{i}{j}") for i in inputs]
        return keep(keep(products[0] + products[1], f"z_{j}").sigmoid(), f"y_{j}")

    x = {i: keep(Value(v), f"x_{i}") for i, v in (("A", xa), ("B", xb))}
    w = {f"w_{i}{j}": keep(Value(W1[r, c]), f"w_{i}{j}") for j, c in (("T", 0), ("B", 1)) for i, r in (("A", 0), ("B", 1))}
    y = {j: unit(x, j) for j in ("T", "B")}
    w.update({f"w_{j}F": keep(Value(W2[r, 0]), f"w_{j}F") for j, r in (("T", 0), ("B", 1))})
    y_F = unit(y, "F")
    gap = keep(keep(Value(t), "t") - y_F, "t-y_F")
    E = keep(gap.half_square(), "E")
    E.backward()
    return ExampleGraph(E, w, made)
