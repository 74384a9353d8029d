"""Chapter 5's figure on vanishing gradients: the size of the error at every layer of a deep network.

One line per hidden activation, from ``bplib.experiments.depth.compare_activations``: the
root-mean-square of ``deltas[l]`` against the layer, on a logarithmic axis, so that a constant
factor lost per layer is a straight line.
"""
import numpy as np

from .style import PALETTE, new_figure, use

STYLES = {"sigmoid": (PALETTE["vermillion"], "o", "-"), "tanh": (PALETTE["blue"], "s", "--"),
          "relu": (PALETTE["green"], "^", "-.")}
NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}


def error_by_layer(errors, ax=None, width=6.4, height=3.8):
    """Plot ``{activation: LayerErrors}``: layer 1 (first hidden) to depth (output) on x; return the Axes."""
    use()
    if ax is None:
        _, ax = new_figure(width=width, height=height, constrained_layout=True)
    for name, measured in errors.items():
        colour, marker, dash = STYLES.get(name, (PALETTE["black"], "x", ":"))
        layers = np.arange(1, len(measured.delta_rms) + 1)
        ax.plot(layers, measured.delta_rms, color=colour, marker=marker, ls=dash, lw=2, ms=6,
                label=NAMES.get(name, name))
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set_xlabel("layer (1 = first hidden layer, %d = output)" % layers[-1])
    ax.set_ylabel("size of the error\n(root-mean-square of dE/dz)")
    ax.legend(title="hidden layers", loc="lower right", fontsize=10)
    return ax
