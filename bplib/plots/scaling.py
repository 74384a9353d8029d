"""How the cost of all gradients grows with the number of weights, on log-log axes (chapter 8).

Draws what ``bplib.experiments.cost_of_gradients`` counts (forward-pass equivalents) or measures (seconds):
finite differences against backpropagation, one line each, against P, the number of weights
and biases. On log-log axes a cost proportional to P^k is a straight line of slope k.
"""
import numpy as np

from .style import PALETTE, new_figure


def cost_scaling_plot(n_params, finite_differences, backprop, ax=None, *, ylabel="cost of all gradients",
                      guides=(), title=None):
    """Plot two costs against the number of parameters P on log-log axes; returns the Axes.

    Parameters
    ----------
    n_params : sequence of int
        P for each network, increasing.
    finite_differences, backprop : sequence of float
        The cost of all P gradients by each method, one per network (same length as n_params),
        in any unit (forward-pass equivalents from ``count_costs``, seconds from
        ``time_gradients``); ``ylabel`` names the unit.
    guides : sequence of int
        Exponents k (at most three) of faint dashed reference lines proportional to P^k, drawn
        through the finite-difference line's last point and named in the legend, e.g. ``(1, 2)``.
    """
    P = np.asarray(n_params, dtype=float)
    fd, bp = np.asarray(finite_differences, dtype=float), np.asarray(backprop, dtype=float)
    if not (P.shape == fd.shape == bp.shape) or P.ndim != 1:
        raise ValueError(f"n_params, finite_differences and backprop must be 1-D and the same length; "
                         f"received lengths {P.shape}, {fd.shape}, {bp.shape}")
    if ax is None:
        _, ax = new_figure(width=6.0, height=4.0)
    for k, dashes in zip(guides, ([4, 2], [1, 2], [6, 2, 1, 2])):
        ax.plot(P, fd[-1] * (P / P[-1]) ** k, lw=1, color=PALETTE["grey"], dashes=dashes, zorder=1,
                label=f"guide: proportional to $P^{k}$" if k != 1 else "guide: proportional to $P$")
    ax.plot(P, fd, "o-", color=PALETTE["vermillion"], label="finite differences (central)", zorder=3)
    ax.plot(P, bp, "s-", color=PALETTE["blue"], label="backpropagation", zorder=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of weights and biases P")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", fontsize=9)
    if title:
        ax.set_title(title)
    return ax
