"""ipywidgets interfaces for the chapters, one module per topic.

Each widget follows the book's pattern: the function that draws the figure at given values
lives in ``bplib.plots``; the widget here only wires sliders to it, so the static site can draw
the same figure at the default values without a kernel.
"""
