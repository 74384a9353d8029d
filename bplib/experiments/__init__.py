"""The chapters' experiments, built on the core: not the lecture's algorithm, but measurements of it.

- `features`: how many polynomial features d inputs need (chapter 1);
- `weight_space`: the error over a plane of two weights and its nine neighbours (chapters 4 and 5);
- `cost_of_gradients`: all gradients by backpropagation against finite differences, counted in
  forward passes and timed (chapter 8).
"""
from . import cost_of_gradients, features, weight_space

__all__ = ["cost_of_gradients", "features", "weight_space"]
