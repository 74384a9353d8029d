"""A computational graph drawn with its forward values and its gradients, and its nodes as a table (chapter 8).

Each node of a `bplib.graph` computation is a box: its name or operation, its forward value
and, below it, dE/d(node) after ``backward()``. Edges run from each node to the nodes that use
it, left to right in the order of the forward pass; the backward pass runs them right to left.
"""
import re

from .. import _validate
from ..graph import NODE_COLUMNS, ExampleGraph, Value, node_rows, nodes as _nodes
from .table import Table
from .style import FIGURE_MAX_WIDTH, PALETTE, new_figure

# 11.5 pt: the figure is shown at about 80% in the book's column, so its text reads at about 9 pt.
FONT = 11.5
PAD = 0.25  # the boxes' padding, in units of the font size
OPERATIONS = {"+": "+", "-": "−", "*": "×", "σ": "σ", "½(·)²": "½(·)²", "neg": "−(·)"}


def _mathtext(label):
    """'w_AT' -> '$w_{AT}$', 'x_A*w_AT' -> '$x_A\\,w_{AT}$', 't-y_F' -> '$t-y_F$'."""
    if not label:
        return ""
    parts = re.split(r"([*\-])", label)
    out = []
    for part in parts:
        if part == "*":
            out.append(r"\,")
        elif part == "-":
            out.append("-")
        else:
            base, _, sub = part.partition("_")
            out.append(f"{base}_{{{sub}}}" if sub else base)
    return "$" + "".join(out) + "$"


def _columns(order):
    """Column of every node: operations one right of their furthest parent; a leaf just left of its first user."""
    users = {id(n): [] for n in order}
    for n in order:
        for p in n.parents:
            users[id(p)].append(n)
    column = {}
    for n in order:  # forward order: parents first
        column[id(n)] = 1 + max((column[id(p)] for p in n.parents if p.parents), default=0) if n.parents else 0
    for n in order:
        if not n.parents and users[id(n)]:
            first = min(column[id(u)] for u in users[id(n)])
            column[id(n)] = first - 1
    return column, users


def _rows(order, column, users):
    """Heights: the first column ordered by where its users sit, evenly spaced; every other node
    at the mean height of its parents; a leaf that joins later sits one row above (or below) the
    node it joins, away from the middle."""
    index = {id(n): k for k, n in enumerate(order)}
    first = [n for n in order if column[id(n)] == 0]
    first.sort(key=lambda n: sum(index[id(u)] for u in users[id(n)]) / max(len(users[id(n)]), 1))
    height = {id(n): (len(first) - 1) / 2 - k for k, n in enumerate(first)}
    taken = {}  # column -> heights already used there

    def place(node, wanted):
        used = taken.setdefault(column[id(node)], [])
        for step in range(2 * len(order) + 1):  # wanted, then one row further down or up, alternately
            h = wanted + (step + 1) // 2 * (-1 if step % 2 else 1)
            if all(abs(h - other) > 0.9 for other in used):
                break
        used.append(h)
        height[id(node)] = h

    for n in first:
        taken.setdefault(0, []).append(height[id(n)])
    for n in order:
        if id(n) in height or not n.parents:
            continue
        placed = [height[id(p)] for p in n.parents if id(p) in height]
        middle = sum(placed) / len(placed) if placed else 0.0
        for p in n.parents:
            if id(p) not in height:  # a leaf joining here (a later weight, the target)
                place(p, middle + (1.0 if middle >= 0 else -1.0))
        place(n, sum(height[id(p)] for p in n.parents) / len(n.parents))
    return height


def _arrows(ax, order, where, boxes, grads):
    """An arrow from each parent to each node that uses it, from just outside the parent's box and
    gradient to just outside the node's box, whatever the direction (sizes measured in points)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    points = 72 / fig.dpi

    def half_sizes(text, pad):
        box = text.get_window_extent(renderer)
        return box.width / 2 * points + pad, box.height / 2 * points + pad

    for n in order:
        for p in n.parents:
            (x0, y0), (x1, y1) = ax.transData.transform([where[id(p)], where[id(n)]])
            dx, dy = (x1 - x0) * points, (y1 - y0) * points
            length = (dx * dx + dy * dy) ** 0.5
            c, s = abs(dx) / length, abs(dy) / length
            # leaving the parent: its box above, its gradient below (the way the arrows go)
            w_box, _ = half_sizes(boxes[id(p)], PAD * FONT + 1)
            w_grad, _ = half_sizes(grads[id(p)], 1)
            below = (where[id(p)][1] - grads[id(p)].get_position()[1]) * ax.transData.get_matrix()[1, 1] * points \
                + half_sizes(grads[id(p)], 2)[1]
            start = min(max(w_box, w_grad) / c if c else float("inf"), below / s if s else float("inf"))
            w_child, h_child = half_sizes(boxes[id(n)], PAD * FONT + 2)
            h_child += 0.05 * ax.transData.get_matrix()[1, 1] * points   # the box sits a little above the node
            end = min(w_child / c if c else float("inf"), h_child / s if s else float("inf"))
            ax.annotate("", xy=where[id(n)], xytext=where[id(p)], zorder=1,
                        arrowprops=dict(arrowstyle="-|>", color=PALETTE["grey"], lw=1.0, shrinkA=start, shrinkB=end))


def _order(graph):
    if isinstance(graph, ExampleGraph):
        return list(graph.nodes)
    if isinstance(graph, Value):
        return _nodes(graph)
    raise TypeError(f"graph must be a bplib.graph.ExampleGraph or Value; received {_validate.describe(graph)}")


def node_table(graph, decimals=4, caption=None):
    """Every node of ``graph`` (an ExampleGraph, or a computation's output Value) in forward order,
    with its operation, forward value and dE/d(node), as a `bplib.plots.table.Table`."""
    return Table(NODE_COLUMNS, node_rows(_order(graph), decimals), caption=caption)


def computational_graph(graph, ax=None, *, decimals=3, title=None):
    """Draw a computational graph: every node with its forward value and its gradient.

    Parameters
    ----------
    graph : ExampleGraph or Value
        What ``bplib.graph.example_graph()`` returns, or the output node of any computation
        (after ``backward()`` the gradients are meaningful; before it they are all 0).
    decimals : int
        Decimals of the forward values; gradients are shown with three significant digits.

    A node that feeds more than one other node (where paths fork, and gradients add) has a thick
    frame; leaves have blue frames. Returns the matplotlib Axes.
    """
    order = _order(graph)
    decimals = _validate.integer("decimals", decimals, minimum=0, maximum=8)
    column, users = _columns(order)
    height = _rows(order, column, users)
    levels = max(column.values()) + 1
    left, right = min(height.values()), max(height.values())
    # the forward pass runs down the page, one level per step; nodes of a level spread across it
    where = {key: ((right - h) * 1.0, -level * 1.0) for key, h in height.items() for level in [column[key]]}
    if ax is None:
        # 0.2 in narrower than the widest figure: with the 0.1 in the tight box adds on each side,
        # the image is at most 840 px wide, shown at 80% or more in the 672 px column
        fig, ax = new_figure(width=FIGURE_MAX_WIDTH - 0.2, height=0.85 * levels + 0.3)
        fig.subplots_adjust(left=0.0, right=1.0, bottom=0.0, top=0.95)
    ax.set_xlim(-0.5, right - left + 0.5)
    ax.set_ylim(-(levels - 1) - 0.55, 0.4)
    boxes, grads = {}, {}
    for n in order:
        leaf = not n.parents
        name = _mathtext(n.label)
        symbol = OPERATIONS.get(n.op) or (f"$(\\cdot)^{{{n.op[2:]}}}$" if n.op.startswith("**") else n.op)
        head = name if leaf else (f"{name} = {symbol}" if n.label and not re.search(r"[*\-]", n.label) else symbol)
        x, y = where[id(n)]
        boxes[id(n)] = ax.text(x, y + 0.05, f"{head}\n{n.data:.{decimals}f}", ha="center", va="center", fontsize=FONT,
                               zorder=3, linespacing=1.2, bbox=dict(boxstyle=f"round,pad={PAD}", fc="white",
                                                                    lw=2.6 if len(users[id(n)]) > 1 else 1.2,
                                                                    ec=PALETTE["blue"] if leaf else PALETTE["black"]))
        grads[id(n)] = ax.text(x, y - 0.4, f"{n.grad:.3g}", ha="center", va="center", fontsize=FONT,
                               color=PALETTE["vermillion"], fontweight="bold", zorder=4)
    _arrows(ax, order, where, boxes, grads)
    ax.axis("off")
    ax.text(0.0, 1.0, "each box: a name or operation, and its forward value; below it, in orange: dE/d(node)",
            transform=ax.transAxes, fontsize=FONT, va="bottom", ha="left")
    if title:
        ax.set_title(title, pad=18)
    return ax
