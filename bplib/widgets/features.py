"""Chapter 1's slider: the number of inputs d, and how many polynomial features it brings.

Wires an ipywidgets slider to ``bplib.plots.features.feature_counts_plot``; no maths here.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..plots.features import feature_counts_plot


def feature_count_widget(d=100, d_max=10_000, marks=None):
    """Slider for d (1 to ``d_max``, default ``d``) redrawing the counts; returns the widget to display."""

    def draw(d):
        feature_counts_plot(d=d, d_max=d_max, marks=marks)
        plt.show()

    slider = widgets.IntSlider(value=d, min=1, max=d_max, step=1, description="inputs d",
                               continuous_update=False, style={"description_width": "initial"})
    return widgets.interactive(draw, d=slider)
