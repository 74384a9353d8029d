"""Every number of one step, named as the exercises name them, computed by `bplib.step`.

The mathematics is chapter 8's, for sigmoid units without biases and one example; ``order``
is chapter 9's: ``"simultaneous"`` (the true gradient) sends the errors back through the weights
of the forward pass, ``"layerwise"`` (the slides' Examples 2 and 3) through the ones just updated.
``weights[l][i][j]`` connects unit i of layer l to unit j of layer l + 1, as in bplib.
"""
import numpy as np

from ..backprop import forward, step
from ..checks.expressions import unit_key, weight_key
from ..network import Network
from .._passes import ORDERS


def named_values(layers, weights, x, t, eta, order):
    """Every quantity of one step by the name a student types (``z_top``, ``delta_alpha``, ``w_AT_new``,
    ``y_final_2`` for the second forward pass), as `bplib.checks.expressions` names them."""
    net = Network([np.array(W, dtype=float) for W in weights])
    X, T = np.array([x], dtype=float), np.array([t], dtype=float)
    new, record = step(net, X, T, eta, order=order)
    again = forward(new, X)
    values = {}
    for l, layer in enumerate(layers[1:]):
        for j, name in enumerate(layer):
            key = unit_key(name)
            values[f"z_{key}"], values[f"y_{key}"] = float(record.zs[l][0, j]), float(record.ys[l + 1][0, j])
            values[f"delta_{key}"] = float(record.deltas[l][0, j])
            values[f"z_{key}_2"], values[f"y_{key}_2"] = float(again.zs[l][0, j]), float(again.ys[l + 1][0, j])
    for l, W in enumerate(new.weights):
        for i, source in enumerate(layers[l]):
            for j, target in enumerate(layers[l + 1]):
                values[f"{weight_key(source, target)}_new"] = float(W[i, j])
    return values
