"""Chapter 2's sliders: the L2 weight lambda and one weight w, with the cost's two terms.

Wires ipywidgets sliders to ``bplib.plots.costs.cost_terms_plot``; no maths here.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..plots.costs import cost_terms_plot


def cost_terms_widget(data_term, lam=0.1, w=1.0, w_range=(-1.0, 5.0), lam_max=1.0):
    """Sliders for ``lam`` (0 to ``lam_max``) and ``w`` (within ``w_range``).

    ``data_term`` maps a weight to the data part of the cost, as for ``cost_terms_plot``. Returns
    the widget (an ``ipywidgets.interactive``) to display.
    """

    def draw(lam, w):
        cost_terms_plot(data_term, lam, w, w_range=w_range)
        plt.show()

    lam_slider = widgets.FloatSlider(value=lam, min=0.0, max=lam_max, step=0.01, description="lambda",
                                     continuous_update=False)
    w_slider = widgets.FloatSlider(value=w, min=w_range[0], max=w_range[1], step=0.05, description="weight w",
                                   continuous_update=False)
    return widgets.interactive(draw, lam=lam_slider, w=w_slider)
