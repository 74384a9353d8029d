"""bplib: the backpropagation lecture's mathematics as a small numpy package.

The core (``activations``, ``costs``, ``network``, ``backprop``, ``train``, ``gradient_check``,
``search``, ``examples``, ``graph``) needs numpy alone; ``plots`` and ``widgets`` add matplotlib and
ipywidgets and are imported on their own.
"""
from . import activations, costs, examples, graph
from .activations import sigmoid, sigmoid_prime
from .backprop import Backward, Forward, backward, cost, forward, step, update
from .gradient_check import gradcheck, numerical_gradient, relative_error
from .network import Network
from .search import random_perturbation
from .train import History, train

__version__ = "0.1.0"

__all__ = [
    "Backward", "Forward", "History", "Network", "activations", "backward", "cost", "costs", "examples", "graph",
    "forward", "gradcheck", "numerical_gradient", "random_perturbation", "relative_error", "sigmoid",
    "sigmoid_prime", "step", "train", "update",
]
