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


SLIDERS = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider, widgets.SelectionSlider)


def sliders(widget):
    found = [widget] if isinstance(widget, SLIDERS) else []
    for child in getattr(widget, "children", ()):
        found += sliders(child)
    return found


def images(widget):
    found = [widget] if isinstance(widget, widgets.Image) else []
    for child in getattr(widget, "children", ()):
        found += images(child)
    return found


def ends(slider):
    """The slider's largest and smallest values (a SelectionSlider's last and first option)."""
    if isinstance(slider, widgets.SelectionSlider):
        values = [value for _, value in slider.options]
        return values[-1], values[0]
    if isinstance(slider, widgets.FloatLogSlider):
        return slider.base ** slider.max, slider.base ** slider.min
    return slider.max, slider.min


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
        for value in ends(slider):
            drawn, pictures = len(figures), [image.value for image in images(widget)]
            slider.value = value
            redrawn = len(figures) > drawn or pictures != [image.value for image in images(widget)]
            assert redrawn, f"{name}: moving {slider.description!r} to {value} drew no new figure"
            plt.close("all")
    failures = [r.getMessage() for r in caplog.records if "Exception in interact callback" in r.getMessage()]
    assert not failures, f"{name}: a callback raised: {failures[0]}"


def slider_named(widget, description):
    found = [s for s in sliders(as_widget(widget)) if s.description == description]
    assert len(found) == 1, f"expected one slider {description!r}; found {[s.description for s in sliders(widget)]}"
    return found[0]


def decades_per_half(slider):
    """How many decades the first half of the slider's track covers, and the second half."""
    if isinstance(slider, widgets.SelectionSlider):
        values = [v for _, v in slider.options if v > 0]
        middle = values[len(values) // 2]
        return np.log10(middle / values[0]), np.log10(values[-1] / middle)
    assert isinstance(slider, widgets.FloatLogSlider), f"{slider.description!r} is linear: {type(slider).__name__}"
    middle = (slider.min + slider.max) / 2
    return middle - slider.min, slider.max - middle


@pytest.mark.parametrize("name, description, low, high", [
    ("features", "inputs d", 1, 1000),
    ("costs", "lambda", 0.001, 1.0),
    ("weight space", "eta", 0.5, 60.0),
    ("learning rate", "η", 0.01, 10 ** 0.2),
])
def test_sliders_over_decades_are_logarithmic(name, description, low, high, monkeypatch):
    """Each half of the track covers about as many decades as the other (a linear 1..10,000
    slider gives its first half 3.7 decades and its second 0.3), and the ends are the range's."""
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    slider = slider_named(WIDGETS[name](), description)
    first, second = decades_per_half(slider)
    assert abs(first - second) <= 0.25 * (first + second), (
        f"{name} {description!r}: first half of the track spans {first:.2f} decades, second {second:.2f}")
    top, bottom = ends(slider)
    positive_bottom = min(v for _, v in slider.options if v > 0) if isinstance(slider, widgets.SelectionSlider) else bottom
    assert np.isclose(top, high) and np.isclose(positive_bottom, low), (
        f"{name} {description!r}: range {positive_bottom}..{top}, expected {low}..{high}")
    plt.close("all")


def test_feature_slider_gives_integers_from_1_to_10000_and_starts_at_d():
    slider = slider_named(feature_count_widget(d=100), "inputs d")
    values = [v for _, v in slider.options]
    assert values[0] == 1 and values[-1] == 10_000 and slider.value == 100, (values, slider.value)
    assert all(isinstance(v, int) for v in values), values
    assert all(b / a <= 2.0 for a, b in zip(values, values[1:])), f"gaps wider than a factor of 2: {values}"
    assert len(values) <= 30, f"{len(values)} stops; a student should reach each decade in a few steps"
    plt.close("all")


def test_lambda_slider_reaches_zero_and_keeps_its_default():
    slider = slider_named(cost_terms_widget(one_weight_nll, lam=0.1, w=1.0), "lambda")
    values = [v for _, v in slider.options]
    assert values[0] == 0.0 and slider.value == 0.1, (values[:3], slider.value)
    plt.close("all")


@pytest.mark.parametrize("bad", [dict(low=0, high=10), dict(low=5, high=1)])
def test_log_slider_refuses_a_range_that_is_not_positive_and_increasing(bad):
    from bplib.widgets._log import log_float_slider, log_int_values

    with pytest.raises(ValueError, match="low"):
        log_float_slider(1.0, bad["low"], bad["high"], "x")
    with pytest.raises(ValueError, match="low"):
        log_int_values(bad["low"], bad["high"])
