"""Training curves: a cost (or any quantity) against time, one line per learner (chapters 3, 10).

``curves`` maps a label to ``(x, y)``: for example the number of forward passes made and the
cost measured there. Nothing here knows what x counts; the axis labels say it.
"""
import numpy as np

from .style import CYCLE, PALETTE, new_figure, use


def training_curves(curves, xlabel, ylabel, ax=None, *, logx=False, logy=False, target=None,
                    target_label="target", marks=None, title=None, styles=None):
    """Plot every ``label -> (x, y)`` in ``curves`` on one Axes; return the Axes.

    ``target`` draws a horizontal line (e.g. the cost both learners must reach); ``marks`` maps a
    label to a point ``(x, y)`` drawn as a dot (e.g. where a curve first reaches the target);
    ``styles`` maps a label to extra ``ax.plot`` keyword arguments (colour, line style, width).
    """
    use()
    if ax is None:
        _, ax = new_figure(width=6.4, height=4.2)
    styles = styles or {}
    for (label, (x, y)), colour in zip(curves.items(), CYCLE * (1 + len(curves) // len(CYCLE))):
        kwargs = {"color": colour, "lw": 1.8}
        kwargs.update(styles.get(label, {}))
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if len(x) != len(y):
            raise ValueError(f"curves[{label!r}] needs x and y of the same length; received {len(x)} and {len(y)}")
        ax.plot(x, y, label=label, **kwargs)
    if target is not None:
        ax.axhline(target, color=PALETTE["grey"], ls="--", lw=1.2, label=target_label)
    for label, (mx, my) in (marks or {}).items():
        ax.plot([mx], [my], "o", ms=8, mec="black", color=PALETTE["yellow"], zorder=5)
        ax.annotate(label, (mx, my), xytext=(6, -16), textcoords="offset points", fontsize=9, zorder=6,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, y=1.01)  # a fixed position skips matplotlib's slow automatic title placement
    ax.legend(fontsize=9)
    return ax
