"""The chapters' experiments, built on the core: not the lecture's algorithm, but measurements of it.

- `features`: how many polynomial features d inputs need (chapter 1);
- `weight_space`: the error over a plane of two weights and its nine neighbours (chapters 4 and 5);
- `cost_of_gradients`: all gradients by backpropagation against finite differences, counted in
  forward passes and timed (chapter 8);
- `modes`: forward mode (one directional derivative per pass) against reverse mode (the whole
  gradient per pass), counted, and the activations reverse mode keeps, measured (chapter 8);
- `depth`: the size of the error at every layer of a deep sigmoid, tanh or ReLU network (chapter 5);
- `symmetry`: hidden units started equal stay equal; random starts break the symmetry (chapter 7).
"""
from . import cost_of_gradients, depth, features, modes, symmetry, weight_space

__all__ = ["cost_of_gradients", "depth", "features", "modes", "symmetry", "weight_space"]
