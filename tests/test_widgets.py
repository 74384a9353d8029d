"""Every widget the chapters offer, driven in this process: build it, move each slider to both
ends, and check that the figure was redrawn without an error.

The notebooks do not run their widget cells when the site is built (CONTRIBUTING.md explains
why), so this is where the sliders are tested.
"""
import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bplib  # noqa: E402
from bplib.experiments import weight_space  # noqa: E402
from bplib.widgets.activations import neuron_widget  # noqa: E402
from bplib.widgets.costs import cost_terms_widget  # noqa: E402
from bplib.widgets.features import feature_count_widget  # noqa: E402
from bplib.widgets.learning_rate import learning_rate_widget  # noqa: E402
from bplib.widgets.stepthrough import backward_stepper  # noqa: E402
from bplib.widgets.weight_space import weight_space_widget  # noqa: E402


def one_weight_nll(w):
    x, t = np.array([[-1.0], [1.0]]), np.array([[0.0], [1.0]])
    return bplib.cost(bplib.Network([np.array([[w]])]), x, t, cost="nll")


def regression_problem():
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, (20, 1))
    return bplib.Network.random([1, 4, 1], ["tanh", "identity"], rng=0), X, np.sin(X)


def weight_space_args():
    x, t = np.array([[1.0, -0.5]]), np.array([[0.9]])
    w1s, w2s = np.linspace(-1, 3, 9), np.linspace(-1, 3, 9)
    return x, t, w1s, w2s, weight_space.error_grid(w1s, w2s, x, t)


WIDGETS = {
    "features": lambda: feature_count_widget(d=100, d_max=1000),
    "costs": lambda: cost_terms_widget(one_weight_nll, lam=0.1, w=1.0),
    "weight space": lambda: weight_space_widget(*weight_space_args(), n_steps=3),
    "activations": lambda: neuron_widget(w=2.0, b=-1.0),
    "step-through": lambda: backward_stepper(bplib.examples.example2().net, bplib.examples.example2().x,
                                             bplib.examples.example2().t, eta=1.0),
    "learning rate": lambda: learning_rate_widget(*regression_problem(), eta=0.1, epochs=5),
}


def as_widget(made):
    """``interact`` returns the function with the widget attached; the others return the widget."""
    return made.widget if hasattr(made, "widget") else made


def sliders(widget):
    found = [widget] if isinstance(widget, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)) else []
    for child in getattr(widget, "children", ()):
        found += sliders(child)
    return found


def images(widget):
    found = [widget] if isinstance(widget, widgets.Image) else []
    for child in getattr(widget, "children", ()):
        found += images(child)
    return found


@pytest.mark.parametrize("name", WIDGETS)
def test_every_slider_redraws_at_both_ends(name, monkeypatch, caplog):
    figures = []
    make_figure = matplotlib.figure.Figure.__init__

    def counting(self, *args, **kwargs):
        figures.append(self)
        make_figure(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", counting)
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    widget = as_widget(WIDGETS[name]())
    assert isinstance(widget, widgets.Widget), f"{name}: expected an ipywidgets widget, received {type(widget)}"
    found = sliders(widget)
    assert found, f"{name}: expected at least one slider, found none"
    for slider in found:
        for value in (slider.max, slider.min):
            drawn, pictures = len(figures), [image.value for image in images(widget)]
            slider.value = value
            redrawn = len(figures) > drawn or pictures != [image.value for image in images(widget)]
            assert redrawn, f"{name}: moving {slider.description!r} to {value} drew no new figure"
            plt.close("all")
    failures = [r.getMessage() for r in caplog.records if "Exception in interact callback" in r.getMessage()]
    assert not failures, f"{name}: a callback raised: {failures[0]}"
