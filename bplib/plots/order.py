"""The lecture's worked Examples 2 and 3 beside exact arithmetic, under both update orders (chapter 9).

The slides round every intermediate number to two or three digits and update the output weights
before sending the error back (``order="layerwise"``); bplib keeps full precision and can use
either order. These helpers gather the slide's quantities (``bplib.examples.SLIDE_QUANTITIES``)
from one ``bplib.step``, compare each with the printed value, and draw the comparison.
A slide value "agrees" when the exact value rounded to the slide's number of decimals gives the
same digits; the mismatch is measured in units of the slide's last digit (0.5 is a rounding error).
"""
import numpy as np

import bplib
from .diagram import network_diagram
from .style import PALETTE, new_figure
from .table import Table

# The names the slides print (Input = z, Output = y, ERROR = delta, NEW_WEIGHT = w after the step).
SLIDE_NAMES = {
    "z_top": "Input_Top", "y_top": "Output_Top", "z_bottom": "Input_Bottom", "y_bottom": "Output_Bottom",
    "z_final": "Input_Final", "y_final": "Output_Final", "delta_final": "ERROR_F",
    "w_TF_new": "NEW_WEIGHT_TF", "w_BF_new": "NEW_WEIGHT_BF", "delta_top": "ERROR_T", "delta_bottom": "ERROR_B",
    "w_AT_new": "NEW_WEIGHT_AT", "w_BT_new": "NEW_WEIGHT_BT", "w_AB_new": "NEW_WEIGHT_AB",
    "w_BB_new": "NEW_WEIGHT_BB", "z_top_2": "Input_Top (2nd)", "z_bottom_2": "Input_Bottom (2nd)",
    "y_top_2": "Output_Top (2nd)", "y_bottom_2": "Output_Bottom (2nd)", "z_final_2": "Input_Final (2nd)",
    "y_final_2": "Output_Final (2nd)",
}


def exact_quantities(example, order):
    """Every slide quantity of a 2-2-1 example, in full precision, after one ``bplib.step``.

    Returns a dict keyed by ``SLIDE_QUANTITIES``: the forward pass (z, y), the deltas as
    ``order`` computes them, the new weights, and the second forward pass on those weights.
    """
    return bplib.examples._exact_quantities(example, order)


def decimals(printed):
    """How many decimals a printed number has: '0.0024' -> 4."""
    return bplib.examples._decimals(printed)


def agrees(printed, exact):
    """True if ``exact`` rounded to the printed number's decimals reads the same."""
    return bplib.examples._agrees(printed, exact)


def last_digit_units(printed, exact):
    """(printed - exact) in units of the printed number's last digit; up to 0.5 either way is plain rounding."""
    return (float(printed) - exact) * 10 ** decimals(printed)


def format_table(headers, rows, caption=None):
    """A ``Table`` of ``rows`` under ``headers`` (cells as ``str(cell)``; format numbers first).

    Displayed in a notebook it is a real table (HTML, Markdown); ``print`` gives aligned plain
    text, the same under every numpy version. See ``bplib.plots.table``.
    """
    return Table(headers, rows, caption=caption)


def comparison_table(example, digits=5):
    """Slide | exact in the slides' order | agrees? | exact along the true gradient, as a ``Table``.

    One row per quantity of ``bplib.examples.SLIDE_QUANTITIES``; exact values to ``digits`` decimals.
    """
    rows = [(SLIDE_NAMES[r.quantity], r.printed, f"{r.slides_order:.{digits}f}", "yes" if r.agrees else "NO",
             f"{r.true_gradient:.{digits}f}") for r in bplib.examples._slide_rows(example)]
    return format_table(("slide quantity", "slide", "exact (slides' order)", "agrees", "exact (true gradient)"), rows,
                        caption=f"{example.name}: the slide's numbers beside exact arithmetic")


def discrepancy_figure(examples, order="layerwise"):
    """One panel per example: slide minus exact, in units of the slide's last digit, per quantity.

    Points inside the shaded band (from -0.5 to 0.5) are what rounding the exact value produces; points
    outside it come from rounding *intermediate* numbers (or from truncating).
    """
    fig, axes = new_figure(ncols=len(examples), width=4.2 * len(examples), height=5.6, sharey=True, sharex=True)
    axes = np.atleast_1d(axes)
    quantities = bplib.examples.SLIDE_QUANTITIES
    rows = np.arange(len(quantities))[::-1]
    for ax, example in zip(axes, examples):
        exact = exact_quantities(example, order)
        units = np.array([last_digit_units(example.slides[q], exact[q]) for q in quantities])
        outside = np.abs(units) > 0.5 + 1e-9
        ax.axvspan(-0.5, 0.5, color=PALETTE["sky"], alpha=0.25, lw=0, label="rounding of the exact value")
        ax.scatter(units[~outside], rows[~outside], color=PALETTE["blue"], s=25, zorder=3, label="agrees")
        ax.scatter(units[outside], rows[outside], color=PALETTE["vermillion"], marker="D", s=35, zorder=3,
                   label="does not agree")
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)
        ax.set_title(example.name)
        ax.set_xlabel("slide − exact (units of the slide's last digit)")
    axes[0].set_xlim(-1.05, 1.05)
    axes[0].set_yticks(rows)
    axes[0].set_yticklabels([SLIDE_NAMES[q] for q in quantities], fontsize=8)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9)
    return fig


def example_figure(example, order="layerwise", decimals=3):
    """Two diagrams of a 2-2-1 example, one above the other: before the step and after it.

    Top: the original weights, the forward pass's outputs y and the deltas as ``order``
    computes them. Bottom: the updated weights and the second forward pass's outputs.
    Stacked and 4.6 inches wide, in 9.5-point text, so that a phone's 358 px column shows the
    numbers at about 10 px (side by side, the figure was 8.5 inches wide: 5 px text on a phone).
    """
    new, record = bplib.step(example.net, example.x, example.t, example.eta, order=order)
    names = [list(example.input_names), list(example.hidden_names), list(example.output_names)]
    fig, axes = new_figure(nrows=2, width=4.6, height=6.4)
    network_diagram(example.net, axes[0], names=names, ys=record.ys, deltas=record.deltas, decimals=decimals,
                    title="forward pass and errors", fontsize=9.5)
    network_diagram(new, axes[1], names=names, ys=bplib.forward(new, example.x).ys, decimals=decimals,
                    title=f"after one step (η = {example.eta:g})", fontsize=9.5)
    fig.tight_layout()
    return fig


def mazur_weights(net):
    """The recommended reading's names w1..w8 for the weights of ``bplib.examples.mazur()``'s layout."""
    (W1, W2) = net.weights
    return {"w1": W1[0, 0], "w2": W1[1, 0], "w3": W1[0, 1], "w4": W1[1, 1],
            "w5": W2[0, 0], "w6": W2[1, 0], "w7": W2[0, 1], "w8": W2[1, 1]}
