"""bplib.graph, the scalar computational graph, against references that share none of its code:
bplib.backward's matrix backward pass, central differences of plain-float functions written
here, and gradients worked by hand."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import bplib
from bplib import examples, graph

EXAMPLES = {"Example 2": examples.example2, "Example 3": examples.example3}
NAMES = ("w_AT", "w_BT", "w_AB", "w_BB", "w_TF", "w_BF")


def sigma(z):
    """sigma(z) = 1 / (1 + e^-z), written as (1 + tanh(z/2)) / 2: no overflow, and not bplib's formula."""
    return 0.5 * (1 + math.tanh(z / 2))


def cost_by_hand(xA, xB, wAT, wBT, wAB, wBB, wTF, wBF, t):
    """E = 1/2 (t - y_F)^2 of the 2-2-1 network, in plain floats."""
    yT, yB = sigma(xA * wAT + xB * wBT), sigma(xA * wAB + xB * wBB)
    return 0.5 * (t - sigma(yT * wTF + yB * wBF)) ** 2


def central_difference(f, args, k, h=1e-6):
    up, down = list(args), list(args)
    up[k] += h
    down[k] -= h
    return (f(*up) - f(*down)) / (2 * h)


def example_arguments(example):
    (W1, W2), (xA, xB), t = example.net.weights, example.x[0], example.t[0, 0]
    return [xA, xB, W1[0, 0], W1[1, 0], W1[0, 1], W1[1, 1], W2[0, 0], W2[1, 0], t]


@pytest.mark.parametrize("name", EXAMPLES)
def test_weight_gradients_equal_bplib_backward(name):
    example = EXAMPLES[name]()
    built = graph.example_graph(example)
    reference = bplib.backward(example.net, example.x, example.t).dW   # default order: the forward pass's weights
    for mine, theirs in zip(built.dW(), reference):
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
    assert built.cost.data == pytest.approx(float(bplib.cost(example.net, example.x, example.t)), abs=1e-15)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_leaf_gradient_equals_a_central_difference(name):
    example = EXAMPLES[name]()
    built = graph.example_graph(example)
    args = example_arguments(example)
    leaves = [built.weights[n] for n in NAMES]
    by_label = {n.label: n for n in built.nodes}
    for k, leaf in enumerate([by_label["x_A"], by_label["x_B"], *leaves, by_label["t"]]):
        numeric = central_difference(cost_by_hand, args, k)
        assert leaf.grad == pytest.approx(numeric, rel=1e-6, abs=1e-10), leaf.label


def test_example2_gradients_worked_by_hand():
    """The lecture's formulas: error_F = -y_F(1 - y_F)(t - y_F); dE/dw_TF = y_T error_F; the input x_A
    feeds both hidden units, so dE/dx_A = w_AT error_T + w_AB error_B (two paths, added)."""
    built = graph.example_graph()
    node = {n.label: n.data for n in built.nodes}
    grad = {n.label: n.grad for n in built.nodes}
    yT, yB, yF = sigma(0.35 * 0.1 + 0.9 * 0.8), sigma(0.35 * 0.4 + 0.9 * 0.6), node["y_F"]
    error_F = -yF * (1 - yF) * (0.5 - yF)
    error_T, error_B = yT * (1 - yT) * 0.3 * error_F, yB * (1 - yB) * 0.9 * error_F
    assert grad["z_F"] == pytest.approx(error_F, rel=1e-12)
    assert grad["w_TF"] == pytest.approx(yT * error_F, rel=1e-12)
    assert grad["w_AB"] == pytest.approx(0.35 * error_B, rel=1e-12)
    assert grad["x_A"] == pytest.approx(0.1 * error_T + 0.4 * error_B, rel=1e-12)
    assert grad["x_A"] != pytest.approx(0.1 * error_T, rel=1e-3)    # one path alone is not the gradient
    assert round(error_F, 3) == 0.041 and round(yF, 2) == 0.69       # the slide's numbers


def test_a_node_used_twice_gets_the_sum_of_both_paths():
    a = graph.Value(3.0, "a")
    square = a * a                      # d(a a)/da = a + a: one a from each path
    square.backward()
    assert a.grad == 6.0
    b = graph.Value(-0.5, "b")
    f = b * 2.0 + b.sigmoid() - b ** 3  # three paths out of b
    f.backward()
    s = sigma(-0.5)
    assert b.grad == pytest.approx(2.0 + s * (1 - s) - 3 * 0.25, rel=1e-15)
    (b + b).backward()                  # backward starts again from zero
    assert b.grad == 2.0


def test_backward_visits_every_node_after_the_nodes_that_use_it():
    built = graph.example_graph()
    order = graph.nodes(built.cost)
    position = {id(n): k for k, n in enumerate(order)}
    assert len(order) == len(built.nodes) == 23 and order[-1] is built.cost
    for n in order:
        assert all(position[id(p)] < position[id(n)] for p in n.parents)


def test_node_rows_list_each_node_with_its_numbers():
    built = graph.example_graph()
    rows = graph.node_rows(built.nodes, decimals=4)
    assert len(rows) == 23 and all(len(row) == len(graph.NODE_COLUMNS) for row in rows)
    y_F = built.cost.parents[0].parents[1]               # E <- (t - y_F) <- y_F
    assert ("y_F", "σ", f"{y_F.data:.4f}", f"{y_F.grad:.4f}") in rows
    assert rows[0][:2] == ("x_A", "leaf") and rows[-1][0] == "E"


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="data"):
        graph.Value("0.5")
    with pytest.raises(TypeError, match="other"):
        graph.Value(1.0) * "2"
    with pytest.raises(ValueError, match="other"):
        graph.Value(1e200) * 1e200
    with pytest.raises(ValueError, match="exponent"):
        graph.Value(-2.0) ** 0.5
    with pytest.raises(TypeError, match="example"):
        graph.example_graph(examples.example1())
    with pytest.raises(ValueError, match="example"):
        graph.example_graph(examples.mazur())


# -- random small expressions against central differences ------------------------------------
INPUTS = 3
leaf = st.one_of(st.sampled_from([f"x{k}" for k in range(INPUTS)]),
                 st.floats(-2, 2, allow_nan=False).map(lambda c: ("const", c)))


def extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*"]), children, children),
        st.tuples(st.just("**"), children, st.sampled_from([2, 3])),
        st.tuples(st.just("sigmoid"), children),
        st.tuples(st.just("neg"), children))


expressions = st.recursive(leaf, extend, max_leaves=8)


def with_graph(expr, x):
    if isinstance(expr, str):
        return x[int(expr[1:])]
    if expr[0] == "const":
        return graph.Value(expr[1])
    if expr[0] == "sigmoid":
        return with_graph(expr[1], x).sigmoid()
    if expr[0] == "neg":
        return -with_graph(expr[1], x)
    if expr[0] == "**":
        return with_graph(expr[1], x) ** expr[2]
    a, b = with_graph(expr[1], x), with_graph(expr[2], x)
    return {"+": a + b, "-": a - b, "*": a * b}[expr[0]]


def with_floats(expr, x):
    """The same expression in plain Python floats: the reference's only shared part is the tree."""
    if isinstance(expr, str):
        return x[int(expr[1:])]
    if expr[0] == "const":
        return expr[1]
    if expr[0] == "sigmoid":
        return sigma(with_floats(expr[1], x))
    if expr[0] == "neg":
        return -with_floats(expr[1], x)
    if expr[0] == "**":
        return with_floats(expr[1], x) ** expr[2]
    a, b = with_floats(expr[1], x), with_floats(expr[2], x)
    return {"+": a + b, "-": a - b, "*": a * b}[expr[0]]


@settings(max_examples=200, deadline=None)
@given(expr=expressions, extra=expressions, x=st.lists(st.floats(-1.5, 1.5), min_size=INPUTS, max_size=INPUTS))
def test_random_expressions_against_central_differences(expr, extra, x):
    # x0 always reaches the output on several paths: through expr, through extra and directly
    tree = ("+", ("*", expr, "x0"), ("-", ("sigmoid", extra), "x0"))
    assume(abs(with_floats(tree, x)) < 1e3)
    leaves = [graph.Value(v, f"x{k}") for k, v in enumerate(x)]
    out = with_graph(tree, leaves)
    assert out.data == pytest.approx(with_floats(tree, x), rel=1e-12, abs=1e-12)
    out.backward()
    for k, node in enumerate(leaves):
        numeric = central_difference(lambda *v: with_floats(tree, v), x, k, h=1e-5)
        scale = 1 + abs(numeric) + max(abs(with_floats(tree, x)), 1)
        assert node.grad == pytest.approx(numeric, abs=1e-6 * scale), (k, tree)


def test_the_figure_shows_every_node_its_value_and_its_gradient():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from bplib.plots.graph import computational_graph

    built = graph.example_graph()
    ax = computational_graph(built)
    texts = [t.get_text() for t in ax.texts]
    for n in built.nodes:   # the forward value inside a box, the gradient below it
        assert any(t.endswith(f"\n{n.data:.3f}") for t in texts), n.label
        assert f"{n.grad:.3g}" in texts, n.label
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == sum(len(n.parents) for n in built.nodes) == 24
    thick = [t for t in ax.texts if t.get_bbox_patch() is not None and t.get_bbox_patch().get_linewidth() > 2]
    assert sorted(t.get_text().split("\n")[0] for t in thick) == ["$x_{A}$", "$x_{B}$"]   # the two forks
    assert ax.figure.get_figwidth() <= bplib.plots.style.FIGURE_MAX_WIDTH
    plt.close(ax.figure)
    with pytest.raises(TypeError, match="graph"):
        computational_graph([1, 2])


def test_the_node_table_is_a_table_of_every_node():
    from bplib.plots.graph import node_table

    built = graph.example_graph()
    table = node_table(built, decimals=4, caption="Example 2")
    assert table.headers == graph.NODE_COLUMNS and len(table.rows) == 23
    assert "<th" in table._repr_html_() and "x_A" in table._repr_html_()
