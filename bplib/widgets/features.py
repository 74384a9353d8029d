"""Chapter 1's slider: the number of inputs d, and how many polynomial features it brings.

Wires an ipywidgets slider to ``bplib.plots.features.feature_counts_plot``; no maths here. d spans
four decades, so the slider is logarithmic: it stops at 1, 2, 3, 5, 7, 10, 15, ... 10,000.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..plots.features import feature_counts_plot
from ._log import log_int_slider


def feature_count_widget(d=100, d_max=10_000, marks=None):
    """Logarithmic slider for d (1 to ``d_max``, default ``d``) redrawing the counts; returns the widget."""

    def draw(d):
        feature_counts_plot(d=d, d_max=d_max, marks=marks)
        plt.show()

    slider = log_int_slider(d, 1, d_max, "inputs d", style={"description_width": "initial"})
    return widgets.interactive(draw, d=slider)
