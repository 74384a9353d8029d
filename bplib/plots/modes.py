"""The memory reverse mode keeps, against the batch size, one line per depth (chapter 8).

Draws what ``bplib.experiments.modes.memory_scan`` returns: the bytes of activations that the
forward pass keeps for the backward pass, measured (markers) and by the formula
2 n (n_1 + ... + n_L) * 8 (lines), on log-log axes, where memory proportional to n is a line of
slope 1 and a deeper network a line shifted up.
"""
import numpy as np

from .style import CYCLE, PALETTE, new_figure

MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def kept_memory_plot(batch_sizes, measured, formula, labels, ax=None, *, weights_bytes=None,
                     weights_label="the weights"):
    """Plot kept megabytes (10^6 bytes) against batch size on log-log axes; returns the Axes.

    Parameters
    ----------
    batch_sizes : sequence of int
        The batch sizes n, increasing.
    measured, formula : 2-D arrays (one row per network, one column per batch size)
        Bytes measured and bytes by the formula; each row is drawn as markers on a line.
    labels : sequence of str
        One legend label per row, e.g. "depth 2 (784-256-10)".
    weights_bytes : int, optional
        Draws a faint dashed horizontal line at this many bytes, named ``weights_label`` in the
        legend (the bytes of a network's weights, to compare with).
    """
    n = np.asarray(batch_sizes, dtype=float)
    measured, formula = np.asarray(measured, dtype=float), np.asarray(formula, dtype=float)
    if n.ndim != 1 or measured.shape != formula.shape or measured.shape != (len(labels), n.size):
        raise ValueError(f"measured and formula must have shape (len(labels), len(batch_sizes)) = "
                         f"({len(labels)}, {n.size}); received {measured.shape} and {formula.shape}")
    if ax is None:
        _, ax = new_figure(width=6.4, height=4.2)
    if weights_bytes is not None:
        ax.axhline(weights_bytes / 1e6, color=PALETTE["grey"], lw=1, dashes=[4, 2], zorder=1,
                   label=weights_label)
    for k, label in enumerate(labels):
        colour = CYCLE[k % len(CYCLE)]
        ax.plot(n, formula[k] / 1e6, "-", color=colour, lw=1.5, zorder=2)
        ax.plot(n, measured[k] / 1e6, MARKERS[k % len(MARKERS)], color=colour, zorder=3,
                label=label)
    ax.plot([], [], "-", color=PALETTE["black"], lw=1.5, label="lines: the formula; markers: measured")
    ax.set_xscale("log", base=2)
    ax.set_xticks(n, [f"{int(v):,d}" for v in n])
    ax.set_yscale("log")
    ax.set_xlabel("batch size n (examples)")
    ax.set_ylabel("activations kept for the backward pass\n(megabytes, float64)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=9)
    return ax
