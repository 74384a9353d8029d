"""Sliders for chapter 4: the starting weights (w1, w2) and the learning rate eta.

Moving a slider re-runs gradient descent from the chosen weights (``bplib.experiments.weight_space``) and
redraws ``bplib.plots.surfaces.weight_space_view`` with the path and the next step. The static
site shows the same function's figure at the default values.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..experiments import weight_space
from ..plots.surfaces import weight_space_view
from ._log import log_float_slider


def weight_space_widget(x, t, w1s, w2s, E=None, w=(1.0, 1.0), eta=10.0, n_steps=10, eta_max=60.0, eta_min=0.5):
    """Sliders for w1, w2 (within the grid) and eta; each change draws the descent from (w1, w2).

    eta runs from ``eta_min`` to ``eta_max`` (two decades) on a logarithmic slider.

    ``x`` (1, 2) and ``t`` (1, 1) are the training example; ``w1s``, ``w2s`` the grid of the
    surface and ``E`` its errors (computed with ``weight_space.error_grid`` if not given).
    """
    E = weight_space.error_grid(w1s, w2s, x, t) if E is None else E

    def draw(w1, w2, eta):
        path = weight_space.descent_path((w1, w2), x, t, eta, n_steps)
        weight_space_view(w1s, w2s, E, path, eta, k=n_steps)
        plt.show()

    def slider(value, low, high, step, description):
        return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                                   continuous_update=False, readout_format=".2f")

    return widgets.interact(
        draw,
        w1=slider(w[0], float(np.min(w1s)), float(np.max(w1s)), 0.05, "w1"),
        w2=slider(w[1], float(np.min(w2s)), float(np.max(w2s)), 0.05, "w2"),
        eta=log_float_slider(eta, eta_min, eta_max, "eta", readout_format=".3g"),
    )
