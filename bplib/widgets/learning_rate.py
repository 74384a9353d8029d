"""Chapter 10's learning-rate slider: drag eta, see the training curve it gives.

The figure is ``bplib.plots.learning.learning_rate_curve``; the numbers come from
``bplib.optimizers.learning_curve`` (full-batch gradient descent, stopped once it diverges).
"""
import matplotlib.pyplot as plt
from ipywidgets import FloatLogSlider, interact

from ..optimizers import learning_curve
from ..plots.learning import learning_rate_curve


def learning_rate_widget(net, X, T, *, eta=0.3, epochs=100, batch_size=None, stop_above=10.0,
                         log10_range=(-2.0, 0.2), reference=None):
    """A log-scale slider for eta in 10**log10_range; each move retrains ``net`` from the start."""
    def show(eta):
        costs = learning_curve(net, X, T, eta, epochs, batch_size=batch_size, stop_above=stop_above)
        learning_rate_curve(costs, eta, epochs=epochs, stop_above=stop_above, reference=reference)
        plt.show()

    slider = FloatLogSlider(value=eta, base=10, min=log10_range[0], max=log10_range[1], step=0.05,
                            description="η", continuous_update=False, readout_format=".3f")
    return interact(show, eta=slider)
