"""Sliders for chapter 5: the weight w and bias b of one unit with a single input.

Each change redraws ``bplib.plots.activation_plots.step_vs_sigmoid``: the perceptron's step
beside the sigmoid, both of z = w x + b. The static site shows the figure at the defaults.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..plots.activation_plots import step_vs_sigmoid


def neuron_widget(w=2.0, b=-1.0, w_range=(-10.0, 10.0), b_range=(-5.0, 5.0)):
    """Sliders for w and b; the figure shows how the threshold moves and how steep the sigmoid is."""

    def draw(w, b):
        step_vs_sigmoid(w, b)
        plt.show()

    def slider(value, bounds, description):
        return widgets.FloatSlider(value=value, min=bounds[0], max=bounds[1], step=0.1, description=description,
                                   continuous_update=False, readout_format=".1f")

    return widgets.interact(draw, w=slider(w, w_range, "w"), b=slider(b, b_range, "b"))
