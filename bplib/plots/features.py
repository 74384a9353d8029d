"""Chapter 1's figures: how fast hand-made features multiply, and what a network learns instead.

- ``feature_counts_plot``: the number of polynomial features of degree p against the number of
  inputs d, on log-log axes where O(d^p) is a straight line of slope p.
- ``decision_map``: a classifier's p(y = 1 | x) over a 2-D input plane (shaded in bands of 0.1),
  its 0.5 contour (the decision boundary) and the training points.
- ``hidden_features``: each hidden unit's activation y_j = f(z_j) over the input plane, beside the
  network's output: the features the network learned.
"""
import numpy as np

from ..experiments import features as _features
from ..backprop import forward
from .style import PALETTE, SEQUENTIAL, new_figure, use

LEVELS = np.linspace(0.0, 1.0, 11)  # shading in bands of 0.1: readable, and small as a PNG
CLASS_STYLE = (  # (label suffix, marker, colour) for targets 0 and 1; shapes differ as well as colours
    ("0", "o", PALETTE["vermillion"]),
    ("1", "^", PALETTE["blue"]),
)


def feature_counts_plot(d=None, degrees=(1, 2, 3), d_max=10_000, marks=None, ax=None):
    """Monomials of degree exactly p, C(d + p - 1, p), against d for each p in ``degrees``.

    ``marks`` maps a label to a value of d drawn as a dotted vertical line (e.g. the lecture's
    house data, d = 100). ``d`` (the widget's slider) puts a dot on every curve and prints the
    counts. Returns the Axes.
    """
    use()
    if ax is None:
        _, ax = new_figure(width=6.4, height=4.2)
    ds = np.unique(np.geomspace(1, d_max, 300).astype(int))
    colours = []
    for p in degrees:
        counts = [_features.n_monomials(int(k), p) for k in ds]
        line, = ax.plot(ds, counts, lw=2, label=f"degree {p}: C(d+{p - 1}, {p})" if p > 1 else "degree 1: d")
        colours.append(line.get_color())
    ax.set_xscale("log")
    ax.set_yscale("log")
    for label, value in (marks or {}).items():
        ax.axvline(value, color=PALETTE["grey"], ls=":", lw=1.2)
        ax.text(value * 1.08, 1.5, label, rotation=90, va="bottom", ha="left", fontsize=8, color=PALETTE["grey"])
    if d is not None:
        lines = [f"d = {d:,}"]
        for p, colour in zip(degrees, colours):
            n = _features.n_monomials(int(d), p)
            ax.plot([d], [n], "o", color=colour, ms=7, mec="white", zorder=5)
            lines.append(f"degree {p}: {n:,}")
        ax.text(0.03, 0.72, "\n".join(lines), transform=ax.transAxes, va="top", ha="left", fontsize=10,
                bbox=dict(boxstyle="round", fc="white", ec=PALETTE["grey"], alpha=0.9))
    ax.set_xlabel("number of inputs d (log scale)")
    ax.set_ylabel("number of features (log scale)")
    ax.legend(loc="upper left")
    return ax


def _grid(extent, resolution):
    x0, x1, y0, y1 = extent
    g0, g1 = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return g0, g1, np.column_stack([g0.ravel(), g1.ravel()])


def _points(ax, X, t, class_names):
    t = np.asarray(t).ravel()
    for (suffix, marker, colour), name in zip(CLASS_STYLE, class_names):
        rows = t == float(suffix)
        ax.scatter(X[rows, 0], X[rows, 1], marker=marker, s=45, c=colour, edgecolors="black",
                   linewidths=0.7, label=name, zorder=4)


def decision_map(predict, X, t, extent, ax=None, *, xlabel="$x_1$", ylabel="$x_2$", title=None,
                 class_names=("target 0", "target 1"), queries=None, resolution=120, colorbar=True):
    """Shade p(y = 1 | x) over the plane, draw its 0.5 contour and the points (X, t).

    ``predict`` maps an (m, 2) array of inputs to m probabilities; ``extent`` is
    (x_min, x_max, y_min, y_max); ``queries`` maps a label to an (x1, x2) point to mark with a star.
    Returns the Axes.
    """
    use()
    if ax is None:
        _, ax = new_figure(width=5.6, height=4.4)
    g0, g1, P = _grid(extent, resolution)
    p = np.asarray(predict(P), dtype=float).reshape(g0.shape)
    image = ax.contourf(g0, g1, p, levels=LEVELS, cmap="PuOr", vmin=0, vmax=1, alpha=0.75)
    ax.contour(g0, g1, p, levels=[0.5], colors="black", linewidths=1.6)
    _points(ax, np.asarray(X), t, class_names)
    for label, (q0, q1) in (queries or {}).items():
        ax.scatter([q0], [q1], marker="*", s=260, c=PALETTE["yellow"], edgecolors="black", linewidths=1, zorder=5)
        ax.annotate(label, (q0, q1), xytext=(8, -14), textcoords="offset points", fontsize=10, zorder=6,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="p(y = 1 | x)", fraction=0.05, pad=0.03)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def hidden_features(net, extent, X=None, t=None, *, layer=1, resolution=80, xlabel="$x_1$", ylabel="$x_2$",
                    class_names=("target 0", "target 1")):
    """One panel per unit of ``layer`` (1 = first hidden layer) and one for the output.

    Panel j shades y_j = f(z_j) over the input plane (0 to 1 for a sigmoid) and draws the line
    z_j = 0 where the unit switches; the last panel is the network's output. ``net`` must take two
    inputs. Returns the Figure.
    """
    if net.sizes[0] != 2:
        raise ValueError(f"net must take 2 inputs to be drawn over a plane; received sizes {net.sizes}")
    g0, g1, P = _grid(extent, resolution)
    fwd = forward(net, P)
    panels = [(f"hidden unit {j + 1}", fwd.ys[layer][:, j], fwd.zs[layer - 1][:, j]) for j in range(net.sizes[layer])]
    panels.append(("output", fwd.ys[-1][:, 0], fwd.zs[-1][:, 0]))
    fig, axes = new_figure(ncols=len(panels), width=2.6 * len(panels) + 0.8, height=3.0, sharey=True,
                           constrained_layout=True)
    for ax, (name, y, z) in zip(np.atleast_1d(axes), panels):
        image = ax.contourf(g0, g1, y.reshape(g0.shape), levels=LEVELS, cmap=SEQUENTIAL, vmin=0, vmax=1)
        ax.set_aspect("equal")
        ax.contour(g0, g1, z.reshape(g0.shape), levels=[0.0], colors="white", linewidths=1.4, linestyles="--")
        if X is not None:
            _points(ax, np.asarray(X), t, class_names)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.grid(False)
    np.atleast_1d(axes)[0].set_ylabel(ylabel)
    fig.colorbar(image, ax=axes, label="activation y", fraction=0.03, pad=0.02)
    return fig
