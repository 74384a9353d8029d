"""Network diagrams: units in columns, weights on the edges, activations and deltas on the units.

Used wherever the book draws a network (chapters 7 and 9, the exercises). Only the first
example (row 0) of ``ys`` and ``deltas`` is shown.
"""
import numpy as np

from .style import PALETTE, new_figure


def _positions(sizes):
    """(x, y) of every unit: layer l at x = l, units centred vertically, top to bottom."""
    return [[(l, (n - 1) / 2 - i) for i in range(n)] for l, n in enumerate(sizes)]


def _default_name(l, i, n_layers):
    """x1, x2, ... for inputs, o1, ... for outputs; h1, ... for one hidden layer, h1.1, h2.1, ... for several."""
    if l == 0:
        return f"x{i + 1}"
    if l == n_layers - 1:
        return f"o{i + 1}"
    return f"h{i + 1}" if n_layers == 3 else f"h{l}.{i + 1}"


def network_diagram(net, ax=None, *, names=None, ys=None, deltas=None, weights=None,
                    highlight=None, title=None, decimals=3, edge_label_at=0.3, fontsize=8):
    """Draw ``net`` as a graph; returns the matplotlib Axes.

    Parameters
    ----------
    names : list of lists of str, optional
        A label per unit, layer by layer (input first); mathtext such as ``"$\\lambda$"`` works.
    ys : list of arrays, optional
        ``forward(net, X).ys``; each unit shows ``y`` for example 0.
    deltas : list of arrays or None, optional
        ``backward(...).deltas`` (one per weight layer); an entry of None hides that layer's
        deltas, which is how a step-through reveals them one layer at a time.
    weights : list of arrays, optional
        Weights to print on the edges instead of ``net.weights`` (e.g. the updated ones).
    highlight : int, optional
        Index of a layer (0 = input) to outline, e.g. the layer whose deltas were just computed.
    fontsize : float, optional
        Size in points of the weights and of the y and delta notes (the units' names are one
        point larger); the units' circles grow with it where there is room.
    """
    sizes = net.sizes
    weights = net.weights if weights is None else weights
    if ax is None:
        _, ax = new_figure(width=2.2 * len(sizes) + 1.5, height=1.5 * max(sizes) + 1.2)
    pos = _positions(sizes)
    scale = max(float(np.max(np.abs(W))) for W in weights) or 1.0
    # Units and weight labels sized to the room between columns: in a narrow figure (a player
    # on a phone) the circles shrink and the labels move along the edges, clear of the circles.
    fig = ax.figure
    column_in = ax.get_position().width * fig.get_figwidth() / len(sizes)
    radius_in = min(0.27 * fontsize / 8, 0.21 * column_in)  # room for the unit's name in larger text
    unit_size = (2 * radius_in * 72) ** 2
    edge_label_at = max(edge_label_at, min(0.45, (radius_in + 0.22) / column_in))
    for l, W in enumerate(weights):
        for i, (x0, y0) in enumerate(pos[l]):
            for j, (x1, y1) in enumerate(pos[l + 1]):
                w = float(W[i, j])
                colour = PALETTE["blue"] if w >= 0 else PALETTE["vermillion"]
                ax.plot([x0, x1], [y0, y1], color=colour, lw=0.8 + 2.5 * abs(w) / scale, alpha=0.7, zorder=1)
                lx, ly = x0 + edge_label_at * (x1 - x0), y0 + edge_label_at * (y1 - y0)
                ax.text(lx, ly, f"{w:.{decimals}f}", fontsize=fontsize, ha="center", va="center", zorder=3,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
    for l, layer in enumerate(pos):
        for i, (x, y) in enumerate(layer):
            edge = PALETTE["orange"] if highlight == l else PALETTE["black"]
            ax.scatter([x], [y], s=unit_size, c="white", edgecolors=edge, linewidths=2.5 if highlight == l else 1.2, zorder=2)
            label = names[l][i] if names else _default_name(l, i, len(sizes))
            ax.text(x, y, label, ha="center", va="center", fontsize=fontsize + 1, zorder=4)
            notes = []
            if ys is not None:
                notes.append(f"y={float(ys[l][0, i]):.{decimals}f}")
            if deltas is not None and l > 0 and deltas[l - 1] is not None:
                notes.append(f"δ={float(deltas[l - 1][0, i]):.{max(decimals, 4)}f}")
            if notes:
                ax.text(x, y - 0.3 * radius_in / 0.27, "\n".join(notes), ha="center", va="top", fontsize=fontsize, zorder=4,
                        color=PALETTE["black"])
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    below = 0.8 if (ys is not None or deltas is not None) else 0.4  # room for the y and delta notes
    ax.set_ylim(-(max(sizes) - 1) / 2 - below, (max(sizes) - 1) / 2 + 0.35)
    ax.set_aspect("auto")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax
