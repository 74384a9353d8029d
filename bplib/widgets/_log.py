"""Sliders on a logarithmic scale, for parameters whose interesting values span decades.

A linear slider over 1..10,000 gives the first decade a few pixels (a 60 px drag jumped from 100
to 4,063); these put every decade on the same length of track.
"""
import math

import ipywidgets as widgets

# the "nice" mantissas of each decade an integer slider stops at: 1, 1.5, 2, 3, 5, 7, 10, 15, ...
MANTISSAS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)


def log_float_slider(value, low, high, description, *, steps_per_decade=50, readout_format=".3g", **kwargs):
    """An ``ipywidgets.FloatLogSlider`` from ``low`` to ``high`` (both > 0), starting at ``value``."""
    if not 0 < low < high:
        raise ValueError(f"a logarithmic slider needs 0 < low < high; received low={low}, high={high}")
    return widgets.FloatLogSlider(value=min(max(value, low), high), base=10, min=math.log10(low),
                                  max=math.log10(high), step=1 / steps_per_decade, description=description,
                                  readout_format=readout_format, continuous_update=False, **kwargs)


def log_int_values(low, high, *, include=()):
    """Integers from ``low`` to ``high`` (1 <= low < high) at 1, 1.5, 2, 3, 5, 7 times each power of
    ten, with both ends and every value of ``include``: the stops of a logarithmic integer slider."""
    if not 1 <= low < high:
        raise ValueError(f"a logarithmic integer slider needs 1 <= low < high; received low={low}, high={high}")
    values = {int(low), int(high), *(int(v) for v in include if low <= v <= high)}
    for exponent in range(int(math.log10(low)), int(math.log10(high)) + 1):
        values.update(int(round(m * 10 ** exponent)) for m in MANTISSAS if low <= m * 10 ** exponent <= high)
    return sorted(values)


def log_int_slider(value, low, high, description, **kwargs):
    """A ``SelectionSlider`` over ``log_int_values(low, high)`` (``value`` included); its value is an int."""
    options = log_int_values(low, high, include=(value,))
    return widgets.SelectionSlider(options=[(f"{v:,}", v) for v in options], value=int(value),
                                   description=description, continuous_update=False, **kwargs)


def zero_or_log_values(high, *, low, include=()):
    """0, then ``log_int_values``-style stops from ``low`` to ``high`` for a float parameter such as
    the L2 weight lambda, whose useful values span decades but which must also reach 0."""
    if not 0 < low < high:
        raise ValueError(f"needs 0 < low < high; received low={low}, high={high}")
    values = {0.0, float(low), float(high), *(float(v) for v in include if 0 <= v <= high)}
    for exponent in range(math.floor(math.log10(low)), math.floor(math.log10(high)) + 1):
        values.update(round(m * 10.0 ** exponent, 12) for m in MANTISSAS if low <= m * 10.0 ** exponent <= high)
    return sorted(values)
