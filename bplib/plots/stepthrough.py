"""One backward pass, frame by frame, on a drawn network (chapter 7).

The frames follow the lecture's algorithm for one training case:

1. the forward pass: every unit's output y;
2. the output layer's errors, delta_j = y_j (1 - y_j) (-(t_j - y_j));
3. each hidden layer's errors, from the last hidden layer back to the first,
   delta_i = y_i (1 - y_i) sum_j w_ij delta_j;
4. the gradients dE/dw_ij = y_i delta_j on the edges and, with a learning rate eta,
   the updated weights w_ij - eta y_i delta_j.

``backward_pass_frames`` computes the frames (numbers only), ``draw_backward_step`` draws one,
``backward_pass_player`` turns them all into a scrubbable HTML player for the static site and
``bplib.widgets.stepthrough`` puts them on a slider.
"""
from typing import NamedTuple

from ..backprop import backward, update
from .diagram import network_diagram
from .scrub import scrubbable
from .style import PLAYER_MAX_WIDTH, new_figure


class Frame(NamedTuple):
    """What one picture of the backward pass shows."""
    title: str
    deltas: list          # one entry per weight layer; None hides that layer's deltas
    weights: list         # numbers on the edges: the weights, the gradients or the updated weights
    highlight: object     # index of the layer to outline (0 = input), or None


def backward_pass_frames(net, X, T, eta=None):
    """The frames of one backward pass of ``net`` on the first example of X (1, n_0) and T.

    The cost is the lecture's E = 1/2 sum_j (t_j - y_j)^2; the titles write the sigmoid's
    derivative y (1 - y), the lecture's assumption (other activations get the right numbers
    under those titles).

    Returns ``(frames, record)``: a list of ``Frame`` (forward pass, output errors, each hidden
    layer's errors from the output back, gradients, and with ``eta`` the updated weights) and the
    ``Backward`` record with the forward pass's ``ys`` that every frame shows.
    """
    record = backward(net, X[:1], T[:1])
    L = len(net.weights)
    hidden = [None] * L
    frames = [Frame("1. Forward pass: every unit's output $y$", list(hidden), net.weights, None)]
    for l in range(L - 1, -1, -1):
        hidden[l] = record.deltas[l]
        if l == L - 1:
            title = r"2. Output errors: $\delta_j = y_j(1-y_j)\,(-(t_j-y_j))$"
        else:
            title = f"3. Hidden layer {l + 1} errors: " + r"$\delta_i = y_i(1-y_i)\sum_j w_{ij}\delta_j$"
        frames.append(Frame(title, list(hidden), net.weights, l + 1))
    frames.append(Frame(r"4. Gradients on the edges: $\partial E/\partial w_{ij} = y_i\,\delta_j$", list(hidden),
                        record.dW, None))
    if eta is not None:
        new = update(net, record.dW, None, eta)
        frames.append(Frame(r"4. Updated weights: $w_{ij} - \eta\, y_i\delta_j$" + f"  ($\\eta$ = {eta:g})",
                            list(hidden), new.weights, None))
    return frames, record


def draw_frame(net, ys, frame, ax, names=None, decimals=3, edge_label_at=0.25):
    """Draw one ``Frame`` of ``net`` (with the forward pass's ``ys``) on ``ax``; returns ``ax``."""
    ax.clear()
    network_diagram(net, ax, names=names, ys=ys, deltas=frame.deltas, weights=frame.weights,
                    highlight=frame.highlight, decimals=decimals, edge_label_at=edge_label_at)
    ax.set_ylim(bottom=-(max(net.sizes) - 1) / 2 - 0.7)  # the notes under the lowest unit end here
    ax.set_title(frame.title, fontsize=10, loc="left")
    return ax


def draw_backward_step(net, X, T, step=0, ax=None, *, eta=None, names=None, decimals=3,
                       width=7.0, height=4.0):
    """Draw frame ``step`` of the backward pass of ``net`` on X, T; returns the Axes.

    ``step`` counts from 0 (the forward pass) to ``len(frames) - 1`` (the gradients, or the
    updated weights when ``eta`` is given).
    """
    frames, record = backward_pass_frames(net, X, T, eta)
    if not 0 <= step < len(frames):
        raise ValueError(f"step must be between 0 and {len(frames) - 1}; received {step}")
    if ax is None:
        fig, ax = new_figure(width=width, height=height)
        fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.01)
    return draw_frame(net, record.ys, frames[step], ax, names, decimals)


def backward_pass_player(net, X, T, *, eta=None, names=None, decimals=3, width=6.0, height=3.4,
                         interval=1200):
    """A scrubbable HTML player of every frame of the backward pass (no kernel needed).

    Each frame is a PNG inside the page, drawn at 100 dpi. The width is at most
    ``style.PLAYER_MAX_WIDTH`` inches (a wider one is narrowed to it), so that a phone shows
    the frames at three quarters of their size or more and the labels stay readable.
    """
    width = min(width, PLAYER_MAX_WIDTH)
    frames, record = backward_pass_frames(net, X, T, eta)
    fig, ax = new_figure(width=width, height=height)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.01)
    alts = [_frame_alt(net, record.ys, frame, i, len(frames), names, decimals) for i, frame in enumerate(frames)]
    return scrubbable(fig, lambda i: draw_frame(net, record.ys, frames[i], ax, names, decimals),
                      len(frames), interval=interval, alt=alts, label="The backward pass, step by step")


def _plain(title):
    """A frame title without its mathtext, for alt text."""
    for tex, text in ((r"\partial E/\partial w_{ij}", "dE/dw_ij"), (r"\delta", "delta"), (r"\eta", "eta"),
                      (r"\sum_j", "sum over j of"), (r"\,", " "), ("$", ""), ("_j", "_j"), ("{", ""), ("}", "")):
        title = title.replace(tex, text)
    return " ".join(title.split())


def _frame_alt(net, ys, frame, i, n, names, decimals):
    """What frame i of the backward pass shows, in words and numbers."""
    parts = [f"Frame {i + 1} of {n}: {_plain(frame.title)}."]
    labels = names or [[None] * size for size in net.sizes]
    for l in range(1, len(net.sizes)):
        units = []
        for j in range(net.sizes[l]):
            name = labels[l][j] or f"unit {j + 1} of layer {l}"
            text = f"{_plain(str(name))} y={float(ys[l][0, j]):.{decimals}f}"
            if frame.deltas[l - 1] is not None:
                text += f" delta={float(frame.deltas[l - 1][0, j]):.{max(decimals, 4)}f}"
            units.append(text)
        parts.append("; ".join(units) + ".")
    return " ".join(parts)
