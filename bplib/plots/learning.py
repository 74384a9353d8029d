"""Training curves for chapter 10: cost against epochs or updates, one learning rate at a time,
regularisation sweeps and fitted functions. Every function draws on an Axes it is given (or a new
one) and returns that Axes; the numbers come from ``bplib.train`` or ``bplib.optimizers``.
"""
import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from .curves import training_curves
from .scrub import scrubbable
from .style import PALETTE, new_figure

COST_LABEL = "average cost E / n"


def _axes(ax, width=6.4, height=4.0):
    return new_figure(width=width, height=height)[1] if ax is None else ax


def cost_curves(curves, ax=None, *, xlabel="epoch", ylabel=COST_LABEL, logy=True, title=None, styles=None):
    """``training_curves`` with chapter 10's defaults (cost per epoch, log scale). ``curves`` maps a
    label to ``(x, costs)`` or to ``costs`` alone (then x = 0, 1, 2, ...)."""
    curves = {label: curve if isinstance(curve, tuple) else (np.arange(len(curve)), curve)
              for label, curve in curves.items()}
    return training_curves(curves, xlabel, ylabel, _axes(ax), logy=logy, title=title, styles=styles)


def _curve_artists(ax, costs, eta, ylim, stop_above):
    """The parts of the learning-rate figure that change with eta: curve, divergence mark, title."""
    artists = ax.plot(np.arange(len(costs)), np.clip(costs, ylim[0], ylim[1]), color=PALETTE["blue"], lw=1.8)
    diverged = stop_above is not None and costs[-1] > stop_above
    if diverged:
        end = (len(costs) - 1, min(costs[-1], ylim[1]))
        artists += ax.plot([end[0]], [end[1]], "x", color=PALETTE["vermillion"], ms=10, mew=2)
        artists.append(ax.annotate(f"diverged after {end[0]} epochs", end, xytext=(10, -14),
                                   textcoords="offset points", color=PALETTE["vermillion"], fontsize=9))
    # a fixed title position (y=1.01) skips matplotlib's automatic placement, the slowest part of a frame
    ax.set_title(f"learning rate η = {eta:.3g}" + ("  (diverged)" if diverged else f"  final cost {costs[-1]:.3g}"),
                 fontsize=10, y=1.01)
    return artists


def _learning_rate_axes(ax, epochs, ylim, reference):
    """The parts of the learning-rate figure that stay fixed: scales, limits, labels, reference curve."""
    if reference is not None:
        ax.plot(np.arange(len(reference[1])), reference[1], color=PALETTE["grey"], lw=1.2, ls="--",
                label=f"{reference[0]} (for comparison)")
        ax.legend(loc="upper right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(*ylim)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))  # plain text: no mathtext per frame
    ax.yaxis.set_minor_locator(NullLocator())  # decades only: fewer ticks to draw in every frame
    ax.set_xlim(0, epochs)
    ax.set_xlabel("epoch (full-batch updates)")
    ax.set_ylabel(COST_LABEL)


def learning_rate_curve(costs, eta, ax=None, *, epochs=None, ylim=(5e-3, 20.0), stop_above=None, reference=None):
    """One training curve at learning rate ``eta`` (the slider's figure).

    ``costs[e]`` is the cost after epoch e (``optimizers.learning_curve``). A curve that stopped
    early because it passed ``stop_above`` is marked "diverged". ``reference`` (optional) is a
    ``(label, costs)`` curve drawn dashed in grey for comparison.
    """
    ax = _axes(ax, 5.0, 3.5)
    _learning_rate_axes(ax, len(costs) - 1 if epochs is None else epochs, ylim, reference)
    _curve_artists(ax, costs, eta, ylim, stop_above)
    return ax


def learning_rate_player(curves, etas, *, epochs, ylim=(5e-3, 20.0), stop_above=None, reference=None,
                         width=5.0, height=3.5, dpi=80, alt="", element_id="eta_player"):
    """A kernel-free slider for the static site: frame i shows ``curves[i]`` at ``etas[i]``.

    The axes are drawn once; each frame swaps only the curve, the divergence mark and the title,
    which keeps rendering cheap. ``alt`` becomes the alt text of the player's image and
    ``element_id`` replaces the random id matplotlib gives the player's HTML elements, so the
    output is the same on every run (use a different id for each player on a page).
    """
    fig, ax = new_figure(width=width, height=height)
    fig.set_dpi(dpi)
    fig.subplots_adjust(left=0.16, right=0.97, bottom=0.14, top=0.9)
    _learning_rate_axes(ax, epochs, ylim, reference)
    current = _curve_artists(ax, curves[0], etas[0], ylim, stop_above)

    def draw(i):
        nonlocal current
        for artist in current:
            artist.remove()
        current = _curve_artists(ax, curves[i], etas[i], ylim, stop_above)
        return current

    return scrubbable(fig, draw, len(etas), alt=alt, element_id=element_id)


def lambda_sweep(lams, train_costs, val_costs, ax=None, *, unregularised=None):
    """Training and validation cost against the L2 weight lam (log axis).

    ``unregularised`` = (train, validation) at lam = 0, drawn as horizontal dashed lines, since a
    log axis has no place for 0. Costs are the data term only, without the penalty.
    """
    ax = _axes(ax)
    ax.plot(lams, train_costs, "o-", color=PALETTE["blue"], label="training data")
    ax.plot(lams, val_costs, "s-", color=PALETTE["orange"], label="held-out data")
    if unregularised is not None:
        ax.axhline(unregularised[0], color=PALETTE["blue"], ls="--", lw=1, label="training, λ = 0")
        ax.axhline(unregularised[1], color=PALETTE["orange"], ls="--", lw=1, label="held-out, λ = 0")
    best = int(np.argmin(val_costs))
    ax.annotate("lowest held-out cost", (lams[best], val_costs[best]), xytext=(0, -28), textcoords="offset points",
                ha="center", fontsize=9, arrowprops=dict(arrowstyle="->", color=PALETTE["black"]))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("L2 weight λ")
    ax.set_ylabel(COST_LABEL + " (data term)")
    ax.legend(fontsize=8)
    return ax


def fitted_functions(X, T, grid, predictions, ax=None, *, truth=None, X_val=None, T_val=None):
    """A 1-D regression: training points, optional held-out points and true function, and each
    network's output on ``grid`` (``predictions`` maps a label to an array shaped like grid)."""
    ax = _axes(ax)
    if X_val is not None:
        ax.scatter(X_val.ravel(), T_val.ravel(), s=8, color=PALETTE["grey"], alpha=0.4, label="held-out data")
    if truth is not None:
        ax.plot(grid.ravel(), truth.ravel(), color=PALETTE["black"], lw=1, ls=":", label="true function")
    for k, (label, y) in enumerate(predictions.items()):
        ax.plot(grid.ravel(), np.ravel(y), color=(PALETTE["vermillion"], PALETTE["blue"], PALETTE["green"])[k % 3],
                lw=1.8, label=label)
    ax.scatter(X.ravel(), T.ravel(), s=36, color=PALETTE["black"], zorder=3, label="training data")
    ax.set_xlabel("input x")
    ax.set_ylabel("target t / network output y")
    ax.legend(fontsize=8)
    return ax
