"""Error surfaces over a plane of two weights (chapter 4).

Every function takes arrays (a grid ``w1s``, ``w2s`` and errors ``E`` of shape
(len(w2s), len(w1s)), as ``bplib.experiments.weight_space.error_grid`` returns them), never a chapter's
globals, and draws on the Axes it is given (or a new one). The colour map is the book's
sequential one: dark is low error, bright is high.
"""
import numpy as np
from matplotlib.colors import Normalize, PowerNorm

from .style import PALETTE, SEQUENTIAL, new_figure

W1_LABEL, W2_LABEL = r"weight $w_1$", r"weight $w_2$"


def _axes(ax, width=5.6, height=4.6):
    if ax is None:
        _, ax = new_figure(width=width, height=height)
    return ax


def error_surface(w1s, w2s, E, ax=None, *, levels=10, colorbar=True, norm=None, contour_labels=True,
                  cbar_label=r"error $E$", shading="gouraud"):
    """Colour-code E over the (w1, w2) plane and draw its contour lines; returns the Axes.

    ``levels`` is a number of contour lines, their values, or 0 for none; ``norm`` a colour
    scale. By default colours follow sqrt(E) (``PowerNorm(0.5)``) and the contour lines are
    spaced the same way, so the low ground that descent heads for is not one flat dark patch.
    ``shading`` is ``"gouraud"`` (colours blend smoothly between grid points), ``"bands"`` (one
    colour between neighbouring contour lines, like an elevation map; its PNGs stay small) or
    ``"nearest"`` (a flat tile per grid point, right for a surface with a cliff).
    """
    ax = _axes(ax)
    E = np.asarray(E, dtype=float)
    low, high = float(E.min()), float(E.max())
    norm = norm or PowerNorm(0.5, vmin=low, vmax=high)
    draw_lines = high > low and np.size(levels) and not (np.isscalar(levels) and levels == 0)
    if np.isscalar(levels) and draw_lines:
        levels = low + (high - low) * np.linspace(0.0, 1.0, int(levels) + 2)[1:-1] ** 2
    if shading == "bands" and draw_lines:
        inside = np.asarray(levels, dtype=float)
        bounds = np.unique(np.concatenate([[low], inside[(inside > low) & (inside < high)], [high]]))
        mesh = ax.contourf(w1s, w2s, E, levels=bounds, cmap=SEQUENTIAL, norm=norm)
    else:
        mesh = ax.pcolormesh(w1s, w2s, E, shading="nearest" if shading == "bands" else shading,
                             cmap=SEQUENTIAL, norm=norm, rasterized=True)
    if draw_lines:
        lines = ax.contour(w1s, w2s, E, levels=levels, colors="white", linewidths=0.7, alpha=0.8)
        if contour_labels:
            ax.clabel(lines, fontsize=7, fmt="%.3g")
    if colorbar:
        bar = ax.figure.colorbar(mesh, ax=ax, label=cbar_label, shrink=0.9, format="%.3g")
        if shading == "bands" and draw_lines:
            bar.set_ticks(np.asarray(levels)[1::2])  # label contour levels, not the grid's extremes
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_aspect("equal")
    ax.grid(False)
    return ax


def mark_weights(ax, w, label=None, colour=PALETTE["orange"]):
    """A marker at the point w = (w1, w2), with an optional text label beside it."""
    ax.plot([w[0]], [w[1]], "o", ms=8, mfc=colour, mec="black", zorder=5)
    if label:
        ax.annotate(label, (w[0], w[1]), xytext=(6, 6), textcoords="offset points", fontsize=9,
                    color="black", zorder=6,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    return ax


def step_arrow(ax, w, grad, eta=1.0, colour=PALETTE["vermillion"], label=None):
    """An arrow from w to the descent step's target w - eta * grad (downhill, against the gradient)."""
    w, grad = np.asarray(w, dtype=float), np.asarray(grad, dtype=float)
    move = -eta * grad
    ax.annotate("", xy=tuple(w + move), xytext=tuple(w), zorder=6,
                arrowprops=dict(arrowstyle="-|>", color=colour, lw=2.2, mutation_scale=14))
    if label:
        ax.plot([], [], color=colour, lw=2.2, label=label)
    return ax


def draw_descent_path(ax, ws, colour=PALETTE["orange"], label="descent path"):
    """The weights visited by gradient descent, ``ws`` of shape (n+1, 2), joined in order."""
    ws = np.asarray(ws, dtype=float)
    ax.plot(ws[:, 0], ws[:, 1], "-o", color=colour, ms=4, mec="black", mew=0.5, lw=1.6, zorder=4,
            label=label)
    ax.plot(ws[-1, 0], ws[-1, 1], "*", ms=13, color=colour, mec="black", zorder=5)
    return ax


def neighbour_grid(w1s, w2s, E, ax=None, *, decimals=4, norm=None):
    """The 3 x 3 neighbour errors as coloured tiles, each showing its value; returns the Axes.

    ``w1s``, ``w2s`` are the three values of each weight and ``E`` (3, 3) the errors, laid out
    as ``bplib.experiments.weight_space.neighbour_errors`` returns them (rows w2, columns w1).
    """
    ax = _axes(ax, width=4.6, height=4.2)
    E = np.asarray(E, dtype=float)
    norm = norm or Normalize(float(E.min()), float(E.max()))
    mesh = ax.pcolormesh(w1s, w2s, E, shading="nearest", cmap=SEQUENTIAL, norm=norm, edgecolors="white",
                         linewidth=2)
    for i, w2 in enumerate(w2s):
        for j, w1 in enumerate(w1s):
            bright = norm(E[i, j]) > 0.6
            ax.text(w1, w2, f"{E[i, j]:.{decimals}f}", ha="center", va="center", fontsize=10,
                    color="black" if bright else "white", fontweight="bold" if (i, j) == (1, 1) else None)
    ax.set_xticks(w1s, [f"{v:.2f}" for v in w1s])
    ax.set_yticks(w2s, [f"{v:.2f}" for v in w2s])
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.figure.colorbar(mesh, ax=ax, label=r"error $E$", shrink=0.9)
    return ax


def _descent_overlay(ax, path, eta, k):
    """Path up to step k, the current weights, the next step's arrow and the title; returns the artists."""
    before = set(ax.get_children())
    draw_descent_path(ax, path.ws[: k + 1], label=f"{k} step{'s' if k != 1 else ''} of descent")
    w = path.ws[k]
    mark_weights(ax, w)
    step_arrow(ax, w, path.grads[k], eta, label=r"next step $-\eta\,\nabla E$")
    legend = ax.legend(loc="upper left", fontsize=8, frameon=True, framealpha=0.85)
    ax.set_title(f"step {k}:  w = ({w[0]:.2f}, {w[1]:.2f})\nE = {path.Es[k]:.4f},  eta = {eta:g}", fontsize=9)
    return [a for a in ax.get_children() if a not in before and a is not legend] + [legend]


def weight_space_view(w1s, w2s, E, path, eta, ax=None, *, k=None, colorbar=True, norm=None, shading="bands"):
    """The weight-space picture of chapter 4 at step k (default: the last) of a descent ``path``.

    Draws the error surface, the path up to step k, the current weights ``path.ws[k]`` and the
    step arrow -eta * dE/dw there. ``path`` is a ``bplib.experiments.weight_space.DescentPath`` (or anything
    with arrays ``ws``, ``Es``, ``grads``). Used by the static figure and the widget; the
    scrubbable player (``descent_player``) draws the same overlay frame by frame. The default
    ``shading="bands"`` draws the surface as a contour map with filled bands.
    """
    ax = _axes(ax)
    k = len(path.ws) - 1 if k is None else k
    error_surface(w1s, w2s, E, ax, colorbar=colorbar, norm=norm, shading=shading)
    ax.set_xlim(w1s[0], w1s[-1])
    ax.set_ylim(w2s[0], w2s[-1])
    _descent_overlay(ax, path, eta, k)
    return ax


def descent_player(w1s, w2s, E, path, eta, *, width=3.4, height=3.7, shading="bands"):
    """A scrubbable HTML player (no kernel needed) with one frame per step of ``path``.

    Frame k shows the surface with the path up to step k and the next step's arrow, as
    ``weight_space_view(..., k=k)`` does, without the colour bar (drawing it in every frame
    would nearly double the time). Keep ``len(path.ws)`` to about 20 or fewer so the page stays
    small and quick to build.
    """
    from .scrub import scrubbable

    fig, ax = new_figure(width=width, height=height)  # frames are saved at savefig.dpi (100)
    error_surface(w1s, w2s, E, ax, contour_labels=False, colorbar=False, shading=shading)
    ax.set_xlim(w1s[0], w1s[-1])
    ax.set_ylim(w2s[0], w2s[-1])
    drawn = []

    def draw_frame(k):
        for artist in drawn:
            artist.remove()
        drawn[:] = _descent_overlay(ax, path, eta, k)

    draw_frame(0)
    fig.tight_layout()  # after the first frame, so the title is inside the figure
    return scrubbable(fig, draw_frame, len(path.ws))
