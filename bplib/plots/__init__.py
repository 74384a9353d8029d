"""Figures for the book, in one style. Imports matplotlib; the core of bplib does not."""
from .diagram import network_diagram
from .graph import computational_graph
from .scrub import scrubbable
from .style import CYCLE, DIVERGING, PALETTE, SEQUENTIAL, new_figure, use

__all__ = ["CYCLE", "DIVERGING", "PALETTE", "SEQUENTIAL", "computational_graph", "network_diagram", "new_figure", "scrubbable", "use"]
