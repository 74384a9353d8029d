"""Chapter 2's sliders: the L2 weight lambda and one weight w, with the cost's two terms.

Wires ipywidgets sliders to ``bplib.plots.costs.cost_terms_plot``; no maths here. The useful values
of lambda span decades (0.001 to 1) and 0 must be reachable, so its slider stops at 0 and then at
1, 1.5, 2, 3, 5, 7 times each power of ten.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..plots.costs import cost_terms_plot
from ._log import zero_or_log_values


def cost_terms_widget(data_term, lam=0.1, w=1.0, w_range=(-1.0, 5.0), lam_max=1.0, lam_min=0.001):
    """Sliders for ``lam`` (0, then ``lam_min`` to ``lam_max`` on a log scale) and ``w`` (within ``w_range``).

    ``data_term`` maps a weight to the data part of the cost, as for ``cost_terms_plot``. Returns
    the widget (an ``ipywidgets.interactive``) to display.
    """

    def draw(lam, w):
        cost_terms_plot(data_term, lam, w, w_range=w_range)
        plt.show()

    lams = zero_or_log_values(lam_max, low=lam_min, include=(lam,))
    lam_slider = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in lams], value=float(lam),
                                         description="lambda", continuous_update=False)
    w_slider = widgets.FloatSlider(value=w, min=w_range[0], max=w_range[1], step=0.05, description="weight w",
                                   continuous_update=False)
    return widgets.interactive(draw, lam=lam_slider, w=w_slider)
