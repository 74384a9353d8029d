"""Chapter 2's figure: a cost as data term plus L2 penalty, drawn against one weight.

The lecture's regularised cost is E(w) = E_data(w) + lam * sum_k sum_ij (w_ij^(k))^2. With every
weight but one held fixed, each term is a curve in that weight w: the data term as given, the
penalty the parabola lam * w^2 (plus a constant from the fixed weights, left out here), and the
total their sum. The penalty pulls the total's minimum towards w = 0, the harder the larger lam.
"""
import numpy as np

from .style import PALETTE, new_figure, use


def cost_terms_plot(data_term, lam, w=None, w_range=(-1.0, 5.0), ax=None, *, n_points=201,
                    xlabel="weight $w$", ylabel="cost", show_minimum=True):
    """Draw ``data_term(w)``, ``lam * w**2`` and their sum for w in ``w_range``.

    ``data_term`` maps one weight (a float) to the data part of the cost. ``w`` (the widget's
    slider) is marked on all three curves and its values are given in the title; ``show_minimum``
    marks where the total is lowest on the grid. The legend sits to the right of the axes, so no
    setting of the sliders can hide a curve behind it. Returns the Axes.
    """
    use()
    if ax is None:
        _, ax = new_figure(width=8.0, height=4.0, constrained_layout=True)
    ws = np.linspace(w_range[0], w_range[1], n_points)
    data = np.array([float(data_term(float(v))) for v in ws])
    penalty = lam * ws ** 2
    total = data + penalty
    ax.plot(ws, data, color=PALETTE["blue"], lw=2, label="data term $E_{data}(w)$")
    ax.plot(ws, penalty, color=PALETTE["orange"], lw=2, ls="--", label=rf"penalty $\lambda w^2$ ($\lambda$ = {lam:g})")
    ax.plot(ws, total, color=PALETTE["black"], lw=2.4, label=r"total $E(w)$")
    top = float(np.max(total))
    if show_minimum:
        k = int(np.argmin(total))
        ax.plot([ws[k]], [total[k]], "s", color=PALETTE["green"], ms=9, mec="black", zorder=5,
                label=f"lowest total:\nw = {ws[k]:.2f}" + (" (grid edge)" if k in (0, n_points - 1) else ""))
    if w is not None:
        values = (float(data_term(float(w))), lam * w ** 2)
        ax.axvline(w, color=PALETTE["grey"], ls=":", lw=1.2)
        for value, colour in zip(values + (sum(values),), (PALETTE["blue"], PALETTE["orange"], PALETTE["black"])):
            ax.plot([w], [value], "o", color=colour, ms=7, mec="white", zorder=6)
        ax.set_title(f"at w = {w:.2f}:  data {values[0]:.3f} + penalty {values[1]:.3f} = total {sum(values):.3f}",
                     fontsize=10)
        top = max(top, sum(values))
    ax.set_ylim(0, top * 1.05)
    ax.set_xlim(*w_range)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9)
    return ax
