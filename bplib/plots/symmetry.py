"""Chapter 7's figure on symmetry breaking: equal and random starting weights, side by side.

Left: ``unit_difference`` of the hidden layer (the largest difference between two hidden units'
incoming weights) against the epoch; right: the average half squared error against the epoch.
One line per start, from ``bplib.experiments.symmetry.compare_starts``.
"""
import numpy as np

from ..experiments.symmetry import EQUAL_UNITS_FLOOR
from .style import PALETTE, new_figure, use

STYLES = {"equal": ("equal start", PALETTE["vermillion"], "-"),
          "random": ("random start", PALETTE["blue"], "--")}


def symmetry_plot(runs, width=6.7, height=3.3):
    """Draw ``runs`` (``{"equal": Watch, "random": Watch}``); return the figure's two Axes.

    The cost panel marks 1/12, the lowest average cost identical hidden units can approach on XOR.
    """
    use()
    fig, (left, right) = new_figure(ncols=2, width=width, height=height, constrained_layout=True)
    for name, watch in runs.items():
        label, colour, dash = STYLES[name]
        epochs = np.arange(len(watch.cost))
        left.plot(epochs, watch.difference, color=colour, ls=dash, lw=2, label=label)
        right.plot(epochs, watch.cost, color=colour, ls=dash, lw=2, label=label)
    right.axhline(EQUAL_UNITS_FLOOR, color=PALETTE["grey"], ls=":", lw=1.2)
    right.text(len(epochs) - 1, EQUAL_UNITS_FLOOR + 0.004, "1/12", ha="right", va="bottom", fontsize=10,
               color=PALETTE["grey"])
    left.set_xlabel("epoch")
    left.set_ylabel("largest difference between\ntwo hidden units' weights")
    right.set_xlabel("epoch")
    right.set_ylabel("average cost E")
    right.set_ylim(bottom=0)
    left.set_ylim(bottom=-0.2)
    right.legend(loc="upper right", fontsize=10)
    return left, right
