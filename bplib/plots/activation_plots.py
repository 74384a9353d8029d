"""Activation functions and their derivatives (chapter 5).

Functions take the numbers to draw (weights, biases, a range of z) and names from
``bplib.activations.ACTIVATIONS``; derivatives are evaluated from the output y = f(z), the
way backpropagation evaluates them.
"""
import numpy as np

from .. import activations
from .style import PALETTE, new_figure

COLOURS = {"sigmoid": PALETTE["blue"], "step": PALETTE["vermillion"], "tanh": PALETTE["green"],
           "relu": PALETTE["orange"], "identity": PALETTE["grey"]}
LABELS = {"sigmoid": r"sigmoid $\sigma(z)$", "step": "step (perceptron)", "tanh": r"$\tanh(z)$",
          "relu": r"ReLU $\max(0, z)$", "identity": r"identity $z$"}


def step_vs_sigmoid(w, b, xs=None, axes=None):
    """One unit with a single input x: the step of (w x + b) beside the sigmoid of (w x + b).

    The left panel is the perceptron's output, the right the sigmoid unit's, both against x;
    a dashed line marks the threshold x = -b / w where z = w x + b = 0. Returns the two Axes.
    """
    xs = np.linspace(-4.0, 4.0, 801) if xs is None else np.asarray(xs, dtype=float)
    if axes is None:
        _, axes = new_figure(ncols=2, width=8.4, height=3.2, sharey=True)
    zs = w * xs + b
    for ax, name in zip(axes, ("step", "sigmoid")):
        f = activations.get(name)[0]
        ys = f(zs)
        if name == "step":  # draw the jump as a jump, not as a steep line
            ys = np.where(np.r_[False, np.diff(ys) != 0], np.nan, ys)
        ax.plot(xs, ys, color=COLOURS[name], lw=2.2)
        if w != 0 and xs[0] <= -b / w <= xs[-1]:
            ax.axvline(-b / w, color=PALETTE["grey"], ls="--", lw=1, label=r"$z = wx + b = 0$")
            ax.legend(loc="upper left" if w > 0 else "upper right", fontsize=8)
        ax.set_title(f"{LABELS[name]}:  $w$ = {w:g}, $b$ = {b:g}", fontsize=10)
        ax.set_xlabel(r"input $x$")
        ax.set_ylim(-0.08, 1.08)
    axes[0].set_ylabel(r"output $y$")
    return axes


def _with_gaps(values):
    """``values`` with NaN where they jump (by more than 0.5), so a jump is drawn as a gap."""
    return np.where(np.r_[False, np.abs(np.diff(values)) > 0.5], np.nan, values)


def activations_and_derivatives(names=("step", "sigmoid", "tanh", "relu", "identity"), zs=None, axes=None):
    """One column per activation: y = f(z) on top, its derivative f'(z) below, computed from y.

    ``names`` are keys of ``bplib.activations.ACTIVATIONS``. Returns the (2, len(names)) Axes.
    """
    zs = np.linspace(-5.0, 5.0, 1001) if zs is None else np.asarray(zs, dtype=float)
    if axes is None:
        _, axes = new_figure(ncols=len(names), nrows=2, width=2.1 * len(names) + 0.6, height=4.6,
                             sharex=True, sharey="row", squeeze=False)
    for col, name in enumerate(names):
        f, f_prime = activations.get(name)
        ys = f(zs)
        colour = COLOURS.get(name)
        axes[0, col].plot(zs, _with_gaps(ys), color=colour, lw=2)
        axes[1, col].plot(zs, _with_gaps(f_prime(ys)), color=colour, lw=2)
        axes[0, col].set_title(LABELS.get(name, name), fontsize=10)
        axes[1, col].set_xlabel(r"$z$")
    axes[0, 0].set_ylim(-1.5, 2.5)
    axes[1, 0].set_ylim(-0.1, 1.15)
    axes[0, 0].set_ylabel(r"output $y = f(z)$")
    axes[1, 0].set_ylabel("slope $f'(z)$\n(computed from $y$)")
    return axes
